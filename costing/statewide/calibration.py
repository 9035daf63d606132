"""Calibration targets of the synthetic statewide dataset, each with its source.

Every number the generator (:mod:`costing.statewide.generate`) is calibrated to is here,
tagged ``reported`` (a published figure, with its source and a reliability tag: H
official, M press or a compilation of official tables, L secondary), ``derived`` (worked
from bundled data) or ``ASSUMPTION`` (no public figure found; a stated convention the
researcher should replace when better data is at hand). ``data/statewide/README.md``
lists them next to the values the generated data reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TARGETS", "Target", "target", "targets_table"]


@dataclass(frozen=True)
class Target:
    """One calibration figure: ``value`` in ``unit``; ``basis`` reported | derived |
    ASSUMPTION; ``reliability`` H | M | L (or ``-`` for an assumption); ``source``."""

    name: str
    value: float
    unit: str
    basis: str
    reliability: str
    source: str


TARGETS: tuple[Target, ...] = (
    # ------------------------------------------------------------------ teachers
    Target("teacher_average_salary", 101_084.0, "dollars", "reported", "M",
           "NEA Rankings and Estimates 2023-24: California average teacher salary (as reported by Yahoo News / "
           "daily8, 2025-01-05); CDE's own 2022-23 figure was $95,160 (Sacramento Bee, 2024-01-18). Applied to "
           "the 2024-25 base year without a further raise (a cautious reading)."),
    Target("teacher_starting_salary", 58_409.0, "dollars", "reported", "M",
           "NEA Teacher Salary Benchmark 2023-24: California average starting teacher salary (same reports); "
           "used as the lowest cell (step 1, column I) of the average district's schedule"),
    Target("teachers_per_instructional_staff_fte", 1.0, "ratio", "ASSUMPTION", "-",
           "NCES CCD 'instructional staff' FTE read as classroom teacher FTE (LAUSD: 21,730 against ~24,800 "
           "teachers by headcount)"),
    Target("special_education_teacher_share", 0.12, "fraction", "ASSUMPTION", "-",
           "share of teacher FTE in special education (no statewide figure found)"),
    Target("district_salary_sd", 0.10, "log sd", "ASSUMPTION", "-",
           "spread of district pay levels around the state (Sacramento region 2022-23: $78,500 to $102,000 "
           "average among its 15 largest districts, Sacramento Bee, suggests about 10%)"),
    Target("column_increment", 0.04, "fraction", "ASSUMPTION", "-",
           "salary gain per schedule column (five columns, I-V)"),
    Target("first_year_share", 1_440 / 26_873, "fraction", "derived", "H",
           "Ed-Data 2024-25 LAUSD profile (shared/data/lausd_eddata_district_profile_2024_25.csv): 1,440 "
           "first-year teachers of 26,873 (first-year + second-year + experienced); step 1"),
    Target("second_year_share", (3_431 - 1_440) / 26_873, "fraction", "derived", "H",
           "same source: 3,431 inexperienced less 1,440 first-year; step 2"),
    Target("top_step_share", 0.52, "fraction", "ASSUMPTION", "-",
           "share at the top step (10+ years); LAUSD teachers average 15 years of experience (Ed-Data); "
           "steps 3-9 share the rest evenly"),
    # ------------------------------------------------------------------ classified
    Target("classified_per_teacher", 1.0, "ratio", "reported", "L",
           "'almost 300,000 teachers and more than 300,000 additional school staff' (sel4ca.org, California "
           "by the numbers); one classified employee per teacher FTE"),
    Target("classified_average_earnings", 39_877.0, "dollars", "reported", "M",
           "NEA 2022-23: average earnings of California K-12 education support professionals (Patch / NEA "
           "Rankings and Estimates report); applied to the 2024-25 base year without a further raise"),
    Target("minimum_wage", 16.50, "dollars per hour", "reported", "H",
           "California minimum wage 2025 (Labor Code 1182.12, DIR); no synthetic hourly rate is below it"),
    # ------------------------------------------------------------------ schools
    Target("elementary_school_size", 2_768_614 / 5_857, "students", "reported", "M",
           "CDE Fingertip Facts 2022-23: elementary schools, 2,768,614 students in 5,857 schools (as mirrored "
           "at npifund.com)"),
    Target("middle_school_size", 859_187 / 1_263, "students", "reported", "M",
           "same: intermediate/middle schools, 859,187 students in 1,263 schools"),
    Target("high_school_size", 1_692_058 / 1_299, "students", "reported", "M",
           "same: high schools, 1,692,058 students in 1,299 schools"),
    Target("tk_cohort_share", 0.5, "grade cohorts", "ASSUMPTION", "-",
           "transitional kindergarten enrolls half a grade cohort while universal TK phases in"),
    # ------------------------------------------------------------------ budget
    Target("ada_per_enrollment", 380_925.11 / 419_929.0, "ratio", "derived", "M",
           "LAUSD 2023-24: P-2 ADA 380,925.11 (data/lausd/assumptions.csv) / NCES 2023-24 enrollment 419,929; "
           "applied to every district"),
    Target("enrollment_trend", -0.01, "fraction per year", "ASSUMPTION", "-",
           "ADA falls 1% a year from 2023-24 (statewide enrollment is declining; no district projection used)"),
    Target("unduplicated_share", 0.624, "fraction", "reported", "H",
           "CDE CALPADS Unduplicated Pupil Count 2020-21: 62.4% of enrollees high-need (kidsdata.org); mean "
           "of the districts' synthetic shares (Beta, concentration 6: ASSUMPTION)"),
    Target("lcff_base_k3", 10_025.0, "dollars per ADA", "reported", "L",
           "LCFF 2024-25 base grant K-3 (shared/data/lcff_base_grants.csv; secondary source), plus the 10.4% "
           "K-3 grade-span adjustment (CDE)"),
    Target("lcff_base_4_6", 10_177.0, "dollars per ADA", "reported", "L", "LCFF 2024-25 base grant 4-6 (same)"),
    Target("lcff_base_7_8", 10_478.0, "dollars per ADA", "reported", "L", "LCFF 2024-25 base grant 7-8 (same)"),
    Target("lcff_base_9_12", 12_144.0, "dollars per ADA", "reported", "L", "LCFF 2024-25 base grant 9-12 (same)"),
    Target("lcff_k3_gsa", 0.104, "fraction", "reported", "H", "LCFF K-3 grade-span adjustment 10.4% (CDE)"),
    Target("lcff_supplemental", 0.20, "fraction", "reported", "H",
           "LCFF supplemental grant: 20% of the adjusted base per unduplicated pupil (CDE)"),
    Target("lcff_concentration", 0.65, "fraction", "reported", "H",
           "LCFF concentration grant: 65% of the adjusted base per unduplicated pupil above 55% (CDE, 2024-25)"),
    Target("lcff_cola_2025_26", 0.0293, "fraction", "reported", "M",
           "LCFF COLA 2025-26 (data/lausd/assumptions.csv, DOF May Revision 2024 projection): 2024-25 grants "
           "raised to the 2025-26 budget year"),
    Target("restricted_revenue_share", 0.30, "fraction", "ASSUMPTION", "-",
           "restricted revenue as a share of general-fund revenue (federal and state categorical programs); "
           "restricted programs spend what they receive"),
    Target("deficit_spending_mean", 0.01, "fraction", "ASSUMPTION", "-",
           "unrestricted spending above LCFF revenue in the budget year, mean of the districts (sd 0.02)"),
    Target("reserve_share_median", 0.22, "fraction", "reported", "M",
           "LAO (April 2020, via CSBA): the median district's unrestricted reserves were 22% of expenditures in "
           "2018-19 (17% statewide in aggregate); lognormal spread (sd 0.6: ASSUMPTION)"),
    Target("reserve_share_aggregate", 0.17, "fraction", "reported", "M",
           "LAO (April 2020, via CSBA): unrestricted reserves were 17% of district spending statewide, 2018-19 "
           "(checked, not imposed: reported next to the value reached)"),
    Target("restricted_balance_share", 0.10, "fraction", "ASSUMPTION", "-",
           "restricted fund balance as a share of restricted revenue"),
    Target("assigned_share", 0.30, "fraction", "ASSUMPTION", "-",
           "share of the unrestricted balance above the minimum reserve that is assigned (the rest unassigned)"),
)

_BY_NAME = {t.name: t for t in TARGETS}


def target(name: str) -> float:
    """The value of calibration figure ``name``."""
    return _BY_NAME[name].value


def targets_table():
    """The calibration figures as a DataFrame (name, value, unit, basis, reliability, source)."""
    import pandas as pd

    return pd.DataFrame([t.__dict__ for t in TARGETS])
