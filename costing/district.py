"""District: everything known about one employer in its base year, loaded and validated.

Immutable once built. The workforce describes pay in force in ``base_year``; the status
quo and every scenario are projected from it (docs/engine.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar import fiscal_year_label, parse_fiscal_year
from .rates import Rates
from .schedules import StepPlacement, read_schedules, step_placement, validate_schedules
from .workforce import PRICING_COLUMNS, read_workforce, validate_workforce

__all__ = ["District", "data_dir", "load_example"]


def data_dir() -> Path:
    """The bundled data folder (``data/`` in a clone, ``costing/data`` in a wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "rates").is_dir():
            return candidate
    raise FileNotFoundError("cannot find the bundled data folder (data/rates is missing)")


@dataclass(frozen=True)
class District:
    """One employer: workforce, salary schedules and dated rates in its base year.

    ``workforce`` is validated on construction (see :mod:`costing.workforce`);
    ``schedules`` (optional) is a schedule table (:mod:`costing.schedules`); ``rates`` the
    dated parameters (:mod:`costing.rates`); ``sources`` maps each bundled input to where
    it came from. Optional: ``schools`` (one row per school, enrollment by grade),
    ``budget`` (general-fund figures by year), ``history`` (the district's past
    projections against actual outcomes) and ``assumptions`` (dated budget assumptions:
    LCFF COLA, ADA, minimum-reserve bands).
    """

    name: str
    base_year: str
    workforce: pd.DataFrame
    rates: Rates
    schedules: pd.DataFrame | None = None
    sources: dict = field(default_factory=dict)
    validated: bool = False
    schools: pd.DataFrame | None = None
    budget: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    assumptions: Rates | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_year", fiscal_year_label(parse_fiscal_year(self.base_year)))
        if self.schedules is not None:
            object.__setattr__(self, "schedules", validate_schedules(self.schedules))
        if not self.validated:
            wf = validate_workforce(self.workforce, source=f"{self.name} workforce", schedules=self.schedules)
            object.__setattr__(self, "workforce", wf)
            object.__setattr__(self, "validated", True)
        # what every pricing run reads, computed once with the district
        self.placement()
        for column in PRICING_COLUMNS:
            if column in self.workforce.columns:
                self.factorized(column)

    @classmethod
    def from_files(
        cls,
        workforce: str | Path,
        base_year: str,
        rates: str | Path | Rates | None = None,
        schedules: str | Path | None = None,
        name: str | None = None,
    ) -> District:
        """Build a district from CSV files; ``rates`` defaults to the bundled statutory rates."""
        sched = read_schedules(schedules) if schedules is not None else None
        wf = read_workforce(workforce, schedules=sched)
        if rates is None:
            rates = Rates.from_csv(data_dir() / "rates" / "statutory_rates.csv")
        elif not isinstance(rates, Rates):
            rates = Rates.from_csv(rates)
        sources = {"workforce": str(workforce), "rates": rates.origin}
        if schedules is not None:
            sources["schedules"] = str(schedules)
        return cls(
            name=name or Path(workforce).stem,
            base_year=base_year,
            workforce=wf,
            rates=rates,
            schedules=sched,
            sources=sources,
            validated=True,
        )

    def placement(self) -> StepPlacement:
        """Where each workforce row sits on its schedule (computed once, then cached)."""
        if "placement" not in self._cache:
            self._cache["placement"] = step_placement(self.workforce, self.schedules)
        return self._cache["placement"]

    def factorized(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """``(codes, uniques)`` of a workforce column (code -1 for an empty cell), cached:
        the engine selects and merges identical rows through them."""
        key = ("codes", column)
        if key not in self._cache:
            codes, uniques = pd.factorize(self.workforce[column], use_na_sentinel=True)
            self._cache[key] = (np.asarray(codes, dtype=np.int64), pd.Series(uniques))
        return self._cache[key]

    def codes(self, column: str) -> np.ndarray:
        """Integer codes of a workforce column's values (-1 for an empty cell)."""
        return self.factorized(column)[0]

    def replace_workforce(self, workforce: pd.DataFrame) -> District:
        """A copy of the district with another workforce (validated)."""
        return dataclasses.replace(self, workforce=workforce, validated=False, _cache={})

    def replace_schools(self, schools: pd.DataFrame, source: str = "user") -> District:
        """A copy of the district with another schools table (e.g. a real CDE census-day
        file read by :func:`costing.io.read_cde_enrollment`)."""
        return dataclasses.replace(self, schools=schools, sources={**self.sources, "schools": source},
                                   _cache={})


def load_example() -> District:
    """The small example district bundled in ``data/example`` (synthetic)."""
    d = data_dir() / "example"
    return District.from_files(
        d / "workforce.csv",
        base_year="2024-25",
        schedules=d / "schedules.csv",
        name="Example Unified (synthetic)",
    )
