import datetime as dt

import pytest

from costing.calendar import (
    EffectiveDateError,
    FiscalYearError,
    check_effective_date,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_years,
    parse_fiscal_year,
    share_of_year_remaining,
)


def test_labels_round_trip():
    assert parse_fiscal_year("2025-26") == 2025
    assert fiscal_year_label(2025) == "2025-26"
    assert fiscal_year_label(1999) == "1999-00"  # the century turns in the label
    assert parse_fiscal_year("1999-00") == 1999
    assert fiscal_years("2022-23", 3) == ["2022-23", "2023-24", "2024-25"]


@pytest.mark.parametrize("bad", ["2025-27", "2025", "25-26", "2025/26", "", "FY2025-26"])
def test_bad_labels_are_refused(bad):
    with pytest.raises(FiscalYearError):
        parse_fiscal_year(bad)


def test_fiscal_year_of_a_date():
    # June 30, 2025 is the last day of 2024-25; July 1, 2025 the first of 2025-26
    assert fiscal_year_of(dt.date(2025, 6, 30)) == 2024
    assert fiscal_year_of(dt.date(2025, 7, 1)) == 2025


@pytest.mark.parametrize(
    ("day", "share"),
    [
        ("2025-07-01", 12 / 12),  # July 1: the whole year
        ("2026-01-01", 6 / 12),  # January 1: January..June = 6 months
        ("2025-04-01", 3 / 12),  # April 1: April, May, June = 3 months (WORKED-EXAMPLES 2)
        ("2025-06-01", 1 / 12),  # June 1: one month
        ("2025-10-01", 9 / 12),  # October 1: October..June = 9 months
    ],
)
def test_share_of_year_remaining(day, share):
    assert share_of_year_remaining(day) == pytest.approx(share, abs=1e-15)


def test_effective_dates_must_be_the_first_of_a_month():
    assert check_effective_date(dt.date(2025, 1, 1)) == dt.date(2025, 1, 1)
    with pytest.raises(EffectiveDateError, match="not the first of a month"):
        check_effective_date("2025-03-15")
    with pytest.raises(EffectiveDateError, match="expected a date"):
        check_effective_date("March 2025")
