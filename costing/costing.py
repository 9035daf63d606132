"""The Costing: one ledger of incremental costs, and every view of it.

``Costing.ledger`` is the single source of truth: one row per scenario, proposal, fiscal
year, unit, classification, component and kind, with ``amount`` (dollars in that fiscal
year, incremental over the status quo) and ``fte``. ``Costing.levels`` holds the status
quo's own levels (payroll, statutory benefits, health premiums, FTE, headcount) by unit,
classification and fiscal year, base year included: the "cost before the agreement"
that percentages and the cost of 1% are measured against. Every view below is a
reshaping of these two tables, never a second pricing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .engine import COMPONENTS, LEDGER_COLUMNS, STATUS_QUO, STEP_PROPOSAL, PricingOptions

if TYPE_CHECKING:  # pragma: no cover
    from .district import District
    from .scenario import Scenario

__all__ = ["DISCLOSURE_ROWS", "Costing", "CostingError", "combined_ledger"]

DISCLOSURE_ROWS = [
    "Salary schedule",
    "Step and column",
    "Other compensation",
    "Statutory benefits",
    "Health and welfare",
    "Total compensation",
    "Represented FTE",
    "Average cost per employee",
]
LEVEL_COLUMNS = ["salary", "statutory_benefits", "health_welfare", "fte", "headcount", "health_enrollees"]


class CostingError(ValueError):
    """A view asked of a Costing that it cannot give (unknown scenario, ...)."""


@dataclass(frozen=True)
class Costing:
    """Result of :func:`costing.price`.

    Attributes: ``ledger`` (the long table, columns :data:`LEDGER_COLUMNS`), ``levels``
    (status-quo levels by fiscal year, unit and classification, with the number of input
    ``rows`` behind each group in the base year), ``scenarios``, ``base_year``,
    ``fiscal_years`` (the horizon), ``options``, the district's name and ``details``:
    finer tables some proposals give (``{(scenario, proposal): DataFrame}``, e.g.
    positions by school).
    """

    ledger: pd.DataFrame
    levels: pd.DataFrame
    scenarios: tuple
    base_year: str
    fiscal_years: tuple
    options: PricingOptions
    district_name: str = ""
    details: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ build
    @classmethod
    def from_parts(cls, scenarios: list[Scenario], district: District, options: PricingOptions,
                   labels: list[str], group_index: pd.MultiIndex, acc, levels, rows_per_group: np.ndarray,
                   extra_rows: list[pd.DataFrame] | None = None, details: dict | None = None) -> Costing:
        units = group_index.get_level_values(0).to_numpy()
        classes = group_index.get_level_values(1).to_numpy()
        horizon = {s.name: set(s.fiscal_years) for s in scenarios}
        labels_arr = np.array(labels, dtype=object)
        cols: dict[str, list] = {c: [] for c in LEDGER_COLUMNS}
        for key in acc.order:
            scen, prop, component, kind = key
            touched = np.flatnonzero(acc.touched[key])
            if len(touched) == 0:
                continue
            if scen == STATUS_QUO:
                yidx = np.arange(len(labels))
            else:
                yidx = np.array([t for t, lab in enumerate(labels) if lab in horizon[scen]], dtype=np.int64)
            amount = acc.amount[key][np.ix_(touched, yidx)]
            fte = acc.fte[key][np.ix_(touched, yidx)]
            g = np.repeat(touched, len(yidx))
            m = len(g)
            cols["scenario"].append(np.full(m, scen, dtype=object))
            cols["proposal"].append(np.full(m, prop, dtype=object))
            cols["fiscal_year"].append(labels_arr[np.tile(yidx, len(touched))])
            cols["unit"].append(units[g])
            cols["classification"].append(classes[g])
            cols["component"].append(np.full(m, component, dtype=object))
            cols["kind"].append(np.full(m, kind, dtype=object))
            cols["amount"].append(amount.ravel())
            cols["fte"].append(fte.ravel())
        ledger = pd.DataFrame({
            c: (np.concatenate(v) if v else np.array([], dtype=float if c in ("amount", "fte") else object))
            for c, v in cols.items()
        })
        if extra_rows:
            ledger = pd.concat([ledger, *extra_rows], ignore_index=True)
        # status-quo levels, base year first
        all_labels = np.array([district.base_year, *labels], dtype=object)
        T = len(all_labels)
        G = len(units)
        level_df = pd.DataFrame({
            "fiscal_year": np.repeat(all_labels, G),
            "unit": np.tile(units, T),
            "classification": np.tile(classes, T),
            **{c: (levels.amount[("levels", c)].T.ravel() if ("levels", c) in levels.amount else 0.0)
               for c in LEVEL_COLUMNS},
            "rows": np.concatenate([rows_per_group, np.zeros(G * (T - 1), dtype=np.int64)]).astype(np.int64),
        })
        return cls(
            ledger=ledger,
            levels=level_df,
            scenarios=tuple(scenarios),
            base_year=district.base_year,
            fiscal_years=tuple(labels),
            options=options,
            district_name=district.name,
            details=dict(details or {}),
        )

    # ------------------------------------------------------------------ basics
    @property
    def plot(self) -> _CostingPlots:
        """Figures of this result: ``result.plot.compare()``, ``.components(scenario)``,
        ``.waterfall(scenario)``, ``.positions(by="band")`` (see :mod:`costing.plot`)."""
        return _CostingPlots(self)

    @property
    def scenario_names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def scenario(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise CostingError(f"no scenario named {name!r}; have: {', '.join(self.scenario_names)}")

    def to_csv(self, path: str | Path) -> Path:
        """Write the ledger (the columns of :data:`LEDGER_COLUMNS`)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.ledger.to_csv(path, index=False)
        return path

    def total(self, scenario: str, with_step: bool = False) -> pd.Series:
        """A scenario's cost by fiscal year (with the status quo's step and column if asked)."""
        s = self.scenario(scenario)
        led = self.ledger
        mask = led["scenario"] == scenario
        if with_step:
            mask |= led["scenario"] == STATUS_QUO
        out = led[mask & led["fiscal_year"].isin(s.fiscal_years)].groupby("fiscal_year")["amount"].sum()
        return out.reindex(s.fiscal_years, fill_value=0.0)

    # ------------------------------------------------------------------ views
    def _pivot(self, index: list[str], columns: str = "fiscal_year") -> pd.DataFrame:
        led = self.ledger
        table = led.pivot_table(index=index, columns=columns, values="amount", aggfunc="sum", fill_value=0.0, sort=False)
        if columns == "fiscal_year":
            table = table.reindex(columns=[c for c in self.fiscal_years if c in table.columns])
        table.columns.name = columns
        return table

    def by_year(self) -> pd.DataFrame:
        """Cost by scenario (rows) and fiscal year (columns), dollars; every scenario appears."""
        order = [STATUS_QUO, *self.scenario_names] if (self.ledger["scenario"] == STATUS_QUO).any() else self.scenario_names
        table = self._pivot(["scenario"])
        table = table.reindex(index=order, columns=list(self.fiscal_years))
        for s in self.scenarios:  # years outside a scenario's horizon are not zero but absent
            outside = [y for y in self.fiscal_years if y not in s.fiscal_years]
            table.loc[s.name, outside] = np.nan
            inside = [y for y in s.fiscal_years]
            table.loc[s.name, inside] = table.loc[s.name, inside].fillna(0.0)
        return table

    def by_unit(self) -> pd.DataFrame:
        """Cost by scenario and unit (rows) and fiscal year (columns)."""
        return self._pivot(["scenario", "unit"])

    def by_classification(self) -> pd.DataFrame:
        """Cost by scenario, unit and classification (rows) and fiscal year (columns)."""
        return self._pivot(["scenario", "unit", "classification"])

    def by_component(self) -> pd.DataFrame:
        """Cost by scenario and component (rows) and fiscal year (columns)."""
        table = self._pivot(["scenario", "component"])
        order = [(s, c) for s in [STATUS_QUO, *self.scenario_names] for c in COMPONENTS if (s, c) in table.index]
        return table.reindex(order)

    def by_proposal(self) -> pd.DataFrame:
        """Cost by scenario and proposal (rows) and fiscal year (columns)."""
        return self._pivot(["scenario", "proposal"])

    def cost_of_one_percent(self) -> pd.DataFrame:
        """Cost of a 1% raise on each unit's status-quo payroll, by fiscal year.

        ``C_1% = 0.01 x (payroll + statutory benefits on it)`` per unit and year, base
        year included (METHODOLOGY section 2); rows are units plus ``All units``.
        """
        lv = self.levels
        c = lv.assign(cost=0.01 * (lv["salary"] + lv["statutory_benefits"]))
        table = c.pivot_table(index="unit", columns="fiscal_year", values="cost", aggfunc="sum", sort=True)
        table = table.reindex(columns=[self.base_year, *self.fiscal_years])
        table.loc["All units"] = table.sum()
        return table

    def compare(self, first: str, second: str) -> pd.DataFrame:
        """Two scenarios side by side by fiscal year, with ``second - first`` and totals."""
        a = self.total(first)
        b = self.total(second)
        years = list(dict.fromkeys([*a.index, *b.index]))
        out = pd.DataFrame({first: a.reindex(years), second: b.reindex(years)})
        out["difference"] = out[second].fillna(0.0) - out[first].fillna(0.0)
        out.loc["total"] = out.sum()
        out.index.name = "fiscal_year"
        return out

    def disclosure(self, scenario: str, units: list[str] | None = None, include_step: bool = True) -> pd.DataFrame:
        """The public-disclosure table (Gov. Code 3547.5, CDE format, section A).

        Rows: salary schedule, step and column, other compensation, statutory benefits,
        health and welfare, total, represented FTE, average cost per employee (total / FTE). Columns: the cost
        before the agreement (base-year status quo of the units in scope), then the
        scenario's first three fiscal years, each in dollars and as a percentage of total
        compensation before the agreement. ``units`` defaults to the units the scenario
        touches; the status quo's step and column (and its statutory benefits) are
        included unless ``include_step`` is false.
        """
        s = self.scenario(scenario)
        led = self.ledger
        if units is None:
            units = sorted(led.loc[led["scenario"] == scenario, "unit"].unique())
            if not units:
                units = sorted(self.levels["unit"].unique())
        years = s.fiscal_years[:3]
        in_units = led["unit"].isin(units)
        base = self.levels[(self.levels["fiscal_year"] == self.base_year) & self.levels["unit"].isin(units)]
        before = {
            "Salary schedule": base["salary"].sum(),
            "Step and column": 0.0,
            "Other compensation": 0.0,
            "Statutory benefits": base["statutory_benefits"].sum(),
            "Health and welfare": base["health_welfare"].sum(),
        }
        before["Total compensation"] = sum(before.values())
        before_fte = base["fte"].sum()
        cols: dict[tuple[str, str], list[float]] = {}
        cols[("Cost before agreement", "$")] = [*before.values(), before_fte, _safe_div(before["Total compensation"], before_fte)]
        names = ["Current year", "Year 2", "Year 3"]
        for name, fy in zip(names, years, strict=False):
            sl = led[in_units & (led["fiscal_year"] == fy)]
            own = sl[sl["scenario"] == scenario]
            sq = sl[(sl["scenario"] == STATUS_QUO) & (sl["proposal"] == STEP_PROPOSAL)] if include_step else sl.iloc[:0]
            by = own.groupby("component")["amount"].sum()
            sq_by = sq.groupby("component")["amount"].sum()
            vals = {
                "Salary schedule": by.get("salary", 0.0),
                "Step and column": sq_by.get("step_column", 0.0),
                "Other compensation": by.get("other_compensation", 0.0),
                "Statutory benefits": by.get("statutory_benefits", 0.0) + sq_by.get("statutory_benefits", 0.0),
                "Health and welfare": by.get("health_welfare", 0.0),
            }
            vals["Total compensation"] = sum(vals.values())
            fte = self.levels[(self.levels["fiscal_year"] == fy) & self.levels["unit"].isin(units)]["fte"].sum()
            label = f"{name} {fy}"
            cols[(label, "$")] = [*vals.values(), fte, _safe_div(vals["Total compensation"], fte)]
            total_before = before["Total compensation"]
            cols[(label, "%")] = [_safe_div(v, total_before) * 100 for v in vals.values()] + [np.nan, np.nan]
        table = pd.DataFrame(cols, index=DISCLOSURE_ROWS)
        table.columns = pd.MultiIndex.from_tuples(table.columns)
        table.attrs["scenario"] = scenario
        table.attrs["units"] = units
        return table

    def accounting(self) -> pd.DataFrame:
        """Every workforce row accounted for: input rows, headcount and FTE by unit and
        classification in the base year."""
        base = self.levels[self.levels["fiscal_year"] == self.base_year]
        return base[["unit", "classification", "rows", "headcount", "fte", "salary"]].reset_index(drop=True)

    def summary(self) -> str:
        """A short text summary by scenario and fiscal year, dollars."""
        table = self.by_year()
        return table.map(lambda v: "" if pd.isna(v) else f"{v:,.0f}").to_string()


class _CostingPlots:
    """``Costing.plot``: the figure functions of :mod:`costing.plot` bound to one result."""

    def __init__(self, costing: Costing):
        self._c = costing

    def compare(self, scenarios: list[str] | None = None):
        """Cost by fiscal year, scenarios side by side (:func:`costing.plot.cost_by_year`)."""
        from .plot import cost_by_year

        return cost_by_year(self._c, scenarios)

    def components(self, scenario: str, include_step: bool = False):
        """One scenario's cost by component (:func:`costing.plot.cost_by_component`)."""
        from .plot import cost_by_component

        return cost_by_component(self._c, scenario, include_step=include_step)

    def waterfall(self, scenario: str, fiscal_year: str | None = None):
        """From the status quo to the package (:func:`costing.plot.waterfall`)."""
        from .plot import waterfall

        return waterfall(self._c, scenario, fiscal_year)

    def positions(self, by: str = "band"):
        """Positions added by class-size caps and staffing ratios (:func:`costing.plot.positions_added`)."""
        from .plot import positions_added

        return positions_added(self._c, by=by)


def _safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b else float("nan")


def combined_ledger(results: dict[str, Costing]) -> pd.DataFrame:
    """One ledger from Costings priced against different base years (``{base: Costing}``).

    Each result's status-quo rows are renamed ``"status quo (base 2019-20)"`` when there is
    more than one base year, so that no two status quos are ever added together.
    """
    frames = []
    for base, result in results.items():
        led = result.ledger
        if len(results) > 1:
            led = led.assign(scenario=led["scenario"].where(led["scenario"] != STATUS_QUO, f"{STATUS_QUO} (base {base})"))
        frames.append(led)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LEDGER_COLUMNS)
