"""The bundled Los Angeles Unified School District.

``load_lausd()`` gives a researcher a realistic district in one line: the synthetic,
calibrated workforce of the UTLA and SEIU Local 99 units (``data/lausd/workforce.md``
states every calibration target next to the value reached), salary schedules, the 732
district-run schools, dated statutory rates, the general-fund budget figures, the
district's own past projections against actual outcomes, and budget assumptions, each
with its source (``sources()``).

Base years. A workforce describes the pay rates in force at the end of its base year
(June 30); scenarios start after it. The current snapshot is 2024-25 (rates in force on
June 30, 2025: UTLA's last 2022-25 step and SEIU Local 99's $22.52 minimum). Two
historical snapshots of the same synthetic people price the historical bargaining
rounds: 2019-20 (before SEIU Local 99's 2020-24 agreement) and 2021-22 (before UTLA's
2022-25 agreement). :func:`lausd_base_year_for` picks the snapshot for a scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .calendar import fiscal_year_label, parse_fiscal_year
from .costing import Costing
from .district import District, data_dir
from .engine import PricingOptions, price
from .proposals.health import price_without_workforce
from .rates import Rates
from .scenario import Scenario
from .schedules import read_schedules
from .workforce import read_workforce

__all__ = ["LAUSD_BASE_YEARS", "lausd_base_year_for", "load_lausd", "price_lausd", "sources"]

CURRENT_BASE_YEAR = "2024-25"
LAUSD_BASE_YEARS = ("2019-20", "2021-22", CURRENT_BASE_YEAR)


def _lausd_dir() -> Path:
    return data_dir() / "lausd"


def _files(base_year: str) -> tuple[Path, Path]:
    d = _lausd_dir()
    if base_year == CURRENT_BASE_YEAR:
        return d / "workforce.csv", d / "schedules.csv"
    return d / "history" / f"workforce_{base_year}.csv", d / "history" / f"schedules_{base_year}.csv"


def lausd_base_year_for(start: str) -> str:
    """The latest bundled base year before fiscal year ``start`` (a scenario's first year).

    >>> lausd_base_year_for("2022-23")
    '2021-22'
    >>> lausd_base_year_for("2026-27")
    '2024-25'
    """
    first = parse_fiscal_year(start)
    earlier = [b for b in LAUSD_BASE_YEARS if parse_fiscal_year(b) < first]
    if not earlier:
        raise ValueError(
            f"no bundled LAUSD workforce before {start}; the earliest base year is {LAUSD_BASE_YEARS[0]}"
        )
    return earlier[-1]


def load_lausd(base_year: str = CURRENT_BASE_YEAR, enrollment: str | Path | None = None) -> District:
    """The bundled LAUSD district as of ``base_year`` (one of :data:`LAUSD_BASE_YEARS`),
    validated on load. Its ``sources`` name every file it was built from.

    ``enrollment``: a real CDE census-day enrollment file (``cdenroll2425.txt``); its
    district-run LAUSD schools replace the bundled table, whose enrollment is imputed.
    """
    base_year = fiscal_year_label(parse_fiscal_year(base_year))
    if base_year not in LAUSD_BASE_YEARS:
        raise ValueError(f"no bundled LAUSD workforce for {base_year}; choose one of {', '.join(LAUSD_BASE_YEARS)}")
    d = _lausd_dir()
    wf_path, sch_path = _files(base_year)
    schedules = read_schedules(sch_path)
    workforce = read_workforce(wf_path, schedules=schedules)
    rates_path = data_dir() / "rates" / "statutory_rates.csv"
    schools = pd.read_csv(d / "schools.csv", dtype={"cds_code": str, "county_code": str, "district_code": str,
                                                     "school_code": str, "low_grade": str, "high_grade": str})
    sources = {
        "workforce": f"{wf_path.relative_to(data_dir().parent)} (synthetic, calibrated; see data/lausd/workforce.md)",
        "schedules": f"{sch_path.relative_to(data_dir().parent)} (synthetic approximation; see data/lausd/schedules.md)",
        "rates": "data/rates/statutory_rates.csv (source and reliability on every row; see data/rates/statutory_rates.md)",
        "schools": "data/lausd/schools.csv (CDE 2014-15 codes and FRPM; enrollment imputed; see data/lausd/schools.md)",
        "budget": "data/lausd/budget.csv (public figures with sources; see data/lausd/budget.md)",
        "history": "data/lausd/projection_history.csv (see data/lausd/projection_history.md)",
        "assumptions": "data/lausd/assumptions.csv (see data/lausd/assumptions.md)",
    }
    if enrollment is not None:
        from .io import read_cde_enrollment

        schools = read_cde_enrollment(enrollment)
        sources["schools"] = f"{enrollment} (CDE census-day enrollment, read by costing.io.read_cde_enrollment)"
    return District(
        name="Los Angeles Unified",
        base_year=base_year,
        workforce=workforce,
        rates=Rates.from_csv(rates_path),
        schedules=schedules,
        sources=sources,
        validated=True,
        schools=schools,
        budget=pd.read_csv(d / "budget.csv", dtype={"fiscal_year": str}),
        history=pd.read_csv(d / "projection_history.csv", dtype={"made_in": str, "fiscal_year": str}),
        assumptions=Rates.from_csv(d / "assumptions.csv"),
    )


def sources() -> pd.DataFrame:
    """Every bundled data file with its provenance: file, what it holds, basis
    (reported, imputed, synthetic, derived), reliability and its source note."""
    manifest = pd.read_csv(data_dir() / "MANIFEST.csv")
    return manifest


def price_lausd(scenarios: Sequence[Scenario], options: PricingOptions | None = None,
                enrollment: str | Path | None = None) -> dict[str, Costing]:
    """Price scenarios against the bundled LAUSD snapshot each one needs.

    Scenarios are grouped by :func:`lausd_base_year_for` their start year and each group
    is priced against :func:`load_lausd` of that base year. Returns one Costing per base
    year (in order); a group's status-quo rows belong to its own base year.

    Scenarios that start before the earliest snapshot and need no workforce (only health
    policies, e.g. the 2017 health round) are priced from their own terms with
    :func:`costing.proposals.health.price_without_workforce`, keyed by the year before the
    earliest of them (no status quo).
    """
    groups: dict[str, list[Scenario]] = {}
    early: list[Scenario] = []
    first = parse_fiscal_year(LAUSD_BASE_YEARS[0])
    for s in scenarios:
        if parse_fiscal_year(s.start) <= first and _workforce_free(s):
            early.append(s)
            continue
        groups.setdefault(lausd_base_year_for(s.start), []).append(s)
    results = {base: price(group, load_lausd(base, enrollment=enrollment), options)
               for base, group in sorted(groups.items())}
    if early:
        base = fiscal_year_label(min(parse_fiscal_year(s.start) for s in early) - 1)
        results[base] = price_without_workforce(early, load_lausd(LAUSD_BASE_YEARS[0]), options)
    return dict(sorted(results.items()))


def _workforce_free(s: Scenario) -> bool:
    """A scenario whose every proposal prices itself without a workforce."""
    return bool(s.proposals) and all(not getattr(p, "needs_workforce", True) for p in s.proposals)
