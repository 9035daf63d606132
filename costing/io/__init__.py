"""Readers for public source files (California Department of Education formats)."""

from .cde_enrollment import (
    GRADE_COLUMNS,
    SCHOOL_COLUMNS,
    CDEEnrollmentError,
    read_cde_enrollment,
)

__all__ = ["GRADE_COLUMNS", "SCHOOL_COLUMNS", "CDEEnrollmentError", "read_cde_enrollment"]
