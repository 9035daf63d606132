"""Fiscal years and effective dates.

A fiscal year runs July 1 to June 30 and is labelled ``"2025-26"``: the label's first
year is the calendar year in which it begins. In code a fiscal year is also handled as
that starting year (an ``int``); labels are what a person reads.

A change effective on the first of a month costs, in its first fiscal year, the share
of months left in that year: ``months_left / 12`` (July 1 = 12/12, January 1 = 6/12,
April 1 = 3/12). Any effective date that is not the first of a month is refused.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "EffectiveDateError",
    "FiscalYearError",
    "check_effective_date",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_start",
    "fiscal_years",
    "months_into_fiscal_year",
    "parse_date",
    "parse_fiscal_year",
    "share_of_year_remaining",
]

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


class FiscalYearError(ValueError):
    """A fiscal-year label that is not of the form ``"2025-26"``."""


class EffectiveDateError(ValueError):
    """An effective date that is not the first day of a month."""


def parse_fiscal_year(label: str | int) -> int:
    """Return the calendar year in which fiscal year ``label`` begins.

    >>> parse_fiscal_year("2025-26")
    2025
    >>> parse_fiscal_year("1999-00")
    1999
    """
    if isinstance(label, bool):
        raise FiscalYearError(f"expected a fiscal year such as '2025-26', got {label!r}")
    if isinstance(label, int):
        return label
    m = _LABEL.match(str(label).strip())
    if not m:
        raise FiscalYearError(f"expected a fiscal year such as '2025-26', got {label!r}")
    first, second = int(m.group(1)), int(m.group(2))
    if (first + 1) % 100 != second:
        raise FiscalYearError(
            f"fiscal year {label!r} does not run July 1, {first} to June 30, {first + 1}: "
            f"expected '{fiscal_year_label(first)}'"
        )
    return first


def fiscal_year_label(year: int) -> str:
    """The label of the fiscal year beginning July 1 of ``year``.

    >>> fiscal_year_label(2025)
    '2025-26'
    """
    return f"{year}-{(year + 1) % 100:02d}"


def fiscal_years(start: str | int, years: int) -> list[str]:
    """Labels of ``years`` consecutive fiscal years from ``start``.

    >>> fiscal_years("2024-25", 3)
    ['2024-25', '2025-26', '2026-27']
    """
    first = parse_fiscal_year(start)
    return [fiscal_year_label(first + k) for k in range(years)]


def fiscal_year_start(label: str | int) -> dt.date:
    """July 1 of the fiscal year."""
    return dt.date(parse_fiscal_year(label), 7, 1)


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (as its starting calendar year) that contains ``day``.

    >>> fiscal_year_of(dt.date(2025, 1, 1))
    2024
    >>> fiscal_year_of(dt.date(2025, 7, 1))
    2025
    """
    return day.year if day.month >= 7 else day.year - 1


def parse_date(value: object) -> dt.date:
    """A date from a ``datetime.date`` or an ISO string ``"2025-01-01"``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise EffectiveDateError(
                f"expected a date such as 2025-07-01, got {value!r}"
            ) from exc
    raise EffectiveDateError(f"expected a date such as 2025-07-01, got {value!r}")


def check_effective_date(value: object) -> dt.date:
    """Parse an effective date and insist that it is the first of a month.

    >>> check_effective_date("2025-01-01")
    datetime.date(2025, 1, 1)
    """
    day = parse_date(value)
    if day.day != 1:
        raise EffectiveDateError(
            f"effective date {day.isoformat()} is not the first of a month; costs are "
            "prorated by whole months, so changes must take effect on the 1st "
            f"(e.g. {day.replace(day=1).isoformat()})"
        )
    return day


def months_into_fiscal_year(day: dt.date) -> int:
    """Whole months from July 1 of ``day``'s fiscal year to ``day`` (July = 0, June = 11)."""
    return (day.month - 7) % 12


def share_of_year_remaining(day: object) -> float:
    """Share of its fiscal year left from effective date ``day``: ``months_left / 12``.

    >>> share_of_year_remaining("2025-01-01")
    0.5
    >>> share_of_year_remaining("2025-04-01")
    0.25
    >>> share_of_year_remaining("2025-07-01")
    1.0
    """
    d = check_effective_date(day)
    return (12 - months_into_fiscal_year(d)) / 12
