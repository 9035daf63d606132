"""Dated parameters with sources: statutory benefit rates, premiums, thresholds.

A parameter is a series of values, each set from a fiscal year on; the value in a fiscal
year is the last one set on or before it. Asking for a year before the first value is an
error, never a silent zero. Every value carries its unit, status (actual, projected,
derived, assumed), reliability tag (H official, M reputable secondary, L weak) and
source, so any figure in a result can be traced.

Units: ``percent`` values in files are converted to fractions in code (19.10 -> 0.191);
``dollars``, ``hours`` and ``count`` are kept as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar import FiscalYearError, fiscal_year_label, parse_fiscal_year

__all__ = ["RATE_COLUMNS", "UNITS", "Rates", "RatesError"]

RATE_COLUMNS = ["parameter", "fiscal_year", "value", "unit", "status", "reliability", "source"]
UNITS = ("percent", "fraction", "dollars", "hours", "count")
RELIABILITY = ("H", "M", "L")


class RatesError(ValueError):
    """A rates file or lookup that cannot be honoured."""


@dataclass(frozen=True)
class Rates:
    """A table of dated parameters (one row per parameter and fiscal year it is set in).

    Columns: ``parameter, fiscal_year, value, unit, status, reliability, source`` plus
    any others (``url``, ``note``). ``value`` is in the row's ``unit``.
    """

    table: pd.DataFrame
    origin: str = "<rates>"

    def __post_init__(self) -> None:
        t = self.table.copy()
        missing = [c for c in RATE_COLUMNS if c not in t.columns]
        if missing:
            raise RatesError(f"{self.origin}: missing column(s) {', '.join(missing)}")
        problems = []
        years = []
        for i, label in enumerate(t["fiscal_year"].astype(str)):
            try:
                years.append(parse_fiscal_year(label))
            except FiscalYearError as exc:
                problems.append(f"{self.origin}, row {i + 2}, column fiscal_year: {exc}")
                years.append(-1)
        values = pd.to_numeric(t["value"], errors="coerce")
        for i in np.flatnonzero(values.isna().to_numpy()):
            problems.append(
                f"{self.origin}, row {i + 2}, column value: expected a number, got {t['value'].iloc[i]!r}"
            )
        for i in np.flatnonzero(~t["unit"].isin(UNITS).to_numpy()):
            problems.append(
                f"{self.origin}, row {i + 2}, column unit: expected one of {', '.join(UNITS)}, "
                f"got {t['unit'].iloc[i]!r}"
            )
        for i in np.flatnonzero(~t["reliability"].isin(RELIABILITY).to_numpy()):
            problems.append(
                f"{self.origin}, row {i + 2}, column reliability: expected H, M or L, "
                f"got {t['reliability'].iloc[i]!r}"
            )
        for i in np.flatnonzero(t["source"].isna().to_numpy() | (t["source"].astype(str).str.strip() == "")):
            problems.append(f"{self.origin}, row {i + 2}, column source: every value needs a source")
        t["_year"] = years
        dup = t.duplicated(["parameter", "_year"], keep=False) & (t["_year"] >= 0)
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(
                f"{self.origin}, row {i + 2}: parameter {t['parameter'].iloc[i]!r} is set twice "
                f"for {t['fiscal_year'].iloc[i]}"
            )
        if problems:
            raise RatesError("\n".join(problems))
        factor = np.where(t["unit"].to_numpy() == "percent", 0.01, 1.0)
        t["_value"] = values.to_numpy(dtype=float) * factor
        t = t.sort_values(["parameter", "_year"], kind="stable").reset_index(drop=True)
        object.__setattr__(self, "table", t)
        # lookups by parameter: (years set, values) arrays, built once
        index = {name: (g["_year"].to_numpy(), g["_value"].to_numpy())
                 for name, g in t.groupby("parameter", sort=False)}
        object.__setattr__(self, "_index", index)

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_csv(cls, path: str | Path) -> Rates:
        """Read a rates file (see ``data/rates/statutory_rates.csv``)."""
        path = Path(path)
        try:
            table = pd.read_csv(path, dtype={"fiscal_year": str})
        except (OSError, pd.errors.ParserError) as exc:
            raise RatesError(f"{path}: cannot read rates file: {exc}") from exc
        return cls(table, origin=str(path))

    @classmethod
    def from_values(cls, values: Mapping[str, float | Mapping[str, float]], source: str = "user") -> Rates:
        """Rates from code values (fractions, dollars, hours): ``{"medicare": 0.0145,
        "calpers_employer": {"2024-25": 0.2705}}``. A plain number is set from 1900-01.
        """
        rows = []
        for name, spec in values.items():
            items = spec.items() if isinstance(spec, Mapping) else [("1900-01", spec)]
            for fy, v in items:
                rows.append(
                    {
                        "parameter": name,
                        "fiscal_year": fiscal_year_label(parse_fiscal_year(fy)),
                        "value": float(v),
                        "unit": "fraction",
                        "status": "assumed",
                        "reliability": "L",
                        "source": source,
                    }
                )
        return cls(pd.DataFrame(rows, columns=RATE_COLUMNS), origin=source)

    def override(self, other: Rates) -> Rates:
        """These rates with every parameter that ``other`` sets replaced by ``other``'s."""
        keep = self.table[~self.table["parameter"].isin(other.parameters)]
        cols = [c for c in self.table.columns if not c.startswith("_")]
        merged = pd.concat([keep[cols], other.table[[c for c in cols if c in other.table]]])
        return Rates(merged.reset_index(drop=True), origin=f"{self.origin} + {other.origin}")

    # ----------------------------------------------------------------- lookups
    @property
    def parameters(self) -> list[str]:
        return sorted(self.table["parameter"].unique())

    def has(self, parameter: str) -> bool:
        return parameter in self._index

    def series(self, parameter: str, fiscal_years: Iterable[str | int]) -> np.ndarray:
        """Values (code units) of ``parameter`` in each of ``fiscal_years``."""
        if parameter not in self._index:
            raise RatesError(f"{self.origin}: no parameter named {parameter!r} (have: {', '.join(self.parameters)})")
        set_years, set_values = self._index[parameter]
        years = np.array([parse_fiscal_year(fy) for fy in fiscal_years], dtype=int)
        idx = np.searchsorted(set_years, years, side="right") - 1
        if (idx < 0).any():
            first = fiscal_year_label(int(set_years[0]))
            bad = fiscal_year_label(int(years[idx < 0][0]))
            raise RatesError(
                f"{self.origin}: parameter {parameter!r} has no value for {bad}; its first value "
                f"is for {first}"
            )
        return set_values[idx]

    def value(self, parameter: str, fiscal_year: str | int) -> float:
        """The value (code units) of ``parameter`` in ``fiscal_year``."""
        return float(self.series(parameter, [fiscal_year])[0])

    def provenance(self, parameter: str, fiscal_year: str | int) -> dict:
        """The row that sets ``parameter``'s value in ``fiscal_year``, source included."""
        self.series(parameter, [fiscal_year])
        rows = self.table[(self.table["parameter"] == parameter) & (self.table["_year"] <= parse_fiscal_year(fiscal_year))]
        row = rows.iloc[-1]
        return {k: row[k] for k in self.table.columns if not k.startswith("_")}
