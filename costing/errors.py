"""Errors shared by several modules (kept here so that importing one never imports the
whole proposals package)."""

from __future__ import annotations

__all__ = ["ProposalError"]


class ProposalError(ValueError):
    """A proposal whose values are impossible (negative hours, no amount, ...)."""
