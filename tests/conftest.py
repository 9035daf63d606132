"""Shared fixtures: round illustrative rates (WORKED-EXAMPLES section 6) and tiny districts."""

from __future__ import annotations

import pandas as pd
import pytest

import costing as ct

#: FY 2024-25-style rates for hand-worked tests (fractions): CalPERS 27.05%, CalSTRS 19.10%,
#: OASDI 6.2% (CalPERS members), Medicare 1.45%, UI 0.05%, workers' comp 1.50%.
ROUND_RATES = {
    "calstrs_employer": 0.191,
    "calpers_employer": 0.2705,
    "oasdi": 0.062,
    "oasdi_wage_base": 176_100.0,
    "medicare": 0.0145,
    "sui": 0.0005,
    "workers_comp": 0.015,
    "health_eligibility_hours": 4.0,
    "health_premium": 12_000.0,
}


@pytest.fixture
def round_rates() -> ct.Rates:
    return ct.Rates.from_values(ROUND_RATES, source="WORKED-EXAMPLES section 6 (illustrative)")


def make_district(rows: list[dict], rates: ct.Rates, base_year: str = "2024-25",
                  schedules: pd.DataFrame | None = None) -> ct.District:
    """A district from a list of workforce rows."""
    return ct.District("test", base_year, pd.DataFrame(rows), rates, schedules)
