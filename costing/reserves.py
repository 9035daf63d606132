"""District reserves: a multi-year budget projection, the legal minimum reserve, and the
district's own forecasting record (METHODOLOGY section 7).

* :func:`project` starts from a base year's general-fund budget (a :class:`Baseline`:
  revenues and expenditures by fund, ongoing or one-time; the fund balance at the start of
  the year and its composition) and projects each fiscal year: revenue lines tagged
  ``lcff`` grow with the LCFF COLA times the change in (funded) ADA, expenditure lines
  tagged ``expenditure`` with the expenditure growth, one-time lines occur in their year
  only. Each priced scenario's costs (from a :class:`~costing.costing.Costing` ledger) are
  added, the share paid from the unrestricted general fund set per bargaining unit.
  Per year: revenues, expenditures, scenario costs, net change, ending balance,
  restricted and unrestricted balance, available reserves, the minimum reserve for
  economic uncertainty in dollars and the margin above it; and the affordability
  measures unions cite (cost as a share of reserves, years of the proposal the reserves
  could fund, cost as a share of the budget).
* :func:`minimum_reserve_rate` (5 CCR 15450, by ADA band) and :func:`minimum_reserve`
  (the greater of the percentage and the small bands' dollar floor).
* :func:`forecast_errors`: how far the district's projections missed (actual minus
  projected, by horizon), how often a projected deficit became a surplus, and the
  district's current projection corrected by its past errors, as a band.

Balances. ``unrestricted_balance`` = committed + assigned + REU + unassigned, moved by the
unrestricted net change; ``restricted_balance`` moved by the restricted net change;
nonspendable held. ``available_reserves`` = the unrestricted balance less ``designated``:
nothing by default (a board can undo its own commitments and assignments: the union's
reading, "26.5% vs 1%"), or with ``hold_designations`` the committed and assigned amounts
of the base year held through the projection, leaving the REU plus unassigned (the
state's narrow test of available reserves, METHODOLOGY 7; the district's reading).
``margin_above_minimum`` = available reserves - minimum reserve.

Everything runs as (scenarios x years) arrays; no loop runs over years.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .calendar import FiscalYearError, fiscal_year_label, fiscal_years, parse_fiscal_year
from .rates import Rates, RatesError

if TYPE_CHECKING:  # pragma: no cover
    from .costing import Costing
    from .district import District

__all__ = [
    "ADA_RULES",
    "BALANCE_COMPONENTS",
    "BASELINE_NAME",
    "PROJECTION_COLUMNS",
    "Baseline",
    "ForecastErrors",
    "Reserves",
    "ReservesError",
    "forecast_errors",
    "lausd_baseline",
    "minimum_reserve",
    "minimum_reserve_rate",
    "project",
    "read_baseline",
]

BALANCE_COMPONENTS = ("nonspendable", "restricted", "committed", "assigned", "reu", "unassigned")
FUNDS = ("unrestricted", "restricted")
LINE_KINDS = ("ongoing", "one_time")
GROWTHS = ("lcff", "expenditure", "none")
#: ``current``: revenue follows the year's ADA; ``declining_enrollment_protection``: the
#: LCFF's funded ADA, the greatest of the current year, the prior year and the average of
#: the three prior years (EC 42238.05 as amended from 2022-23; LAO report 4505)
ADA_RULES = ("current", "declining_enrollment_protection")
BASELINE_NAME = "baseline (no agreement)"
PROJECTION_COLUMNS = [
    "scenario", "fiscal_year", "ada", "funded_ada", "revenues", "expenditures", "scenario_costs",
    "scenario_costs_unrestricted", "total_expenditures", "net_change", "beginning_balance", "ending_balance",
    "nonspendable", "restricted_balance", "unrestricted_balance", "designated", "available_reserves",
    "unrestricted_ratio", "minimum_reserve_rate", "minimum_reserve", "margin_above_minimum",
]
HISTORY_COLUMNS = ["made_in", "fiscal_year", "measure", "projected", "actual"]


class ReservesError(ValueError):
    """A projection, baseline or history that cannot be honoured (missing years, bad
    values); the message names the input."""


# ============================================================================ minimum reserve
@functools.lru_cache(maxsize=4)
def _bundled_assumptions() -> Rates:
    from .district import data_dir

    return Rates.from_csv(data_dir() / "lausd" / "assumptions.csv")


def _bands(assumptions: Rates, fiscal_year: str | int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(upper ADA limits of bands 1..K, percent of bands 1..K+1, dollar floors of bands 1..K+1)."""
    params = set(assumptions.parameters)
    if fiscal_year is None:
        rows = assumptions.table[assumptions.table["parameter"].str.startswith("reu_band_")]
        if rows.empty:
            raise ReservesError(f"{assumptions.origin}: no reu_band_N_* parameters (minimum reserve bands)")
        fiscal_year = int(rows["_year"].max())
    maxima, pct, floors = [], [], []
    k = 1
    while f"reu_band_{k}_min_percent" in params:
        try:
            pct.append(assumptions.value(f"reu_band_{k}_min_percent", fiscal_year))
            floors.append(assumptions.value(f"reu_band_{k}_min_dollars", fiscal_year)
                          if f"reu_band_{k}_min_dollars" in params else 0.0)
            if f"reu_band_{k}_max_ada" in params:
                maxima.append(assumptions.value(f"reu_band_{k}_max_ada", fiscal_year))
        except RatesError as exc:
            raise ReservesError(str(exc)) from exc
        k += 1
    if not pct or len(maxima) != len(pct) - 1 or np.any(np.diff(maxima) <= 0):
        raise ReservesError(f"{assumptions.origin}: the reu_band_N parameters must give increasing max_ada for "
                            "bands 1..K and min_percent for bands 1..K+1")
    return np.array(maxima, float), np.array(pct, float), np.array(floors, float)


def _ada_array(ada: float | Iterable[float]) -> np.ndarray:
    a = np.asarray(ada, dtype=float)
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ReservesError(f"ADA must be a number, 0 or more, got {ada!r}")
    return a


def minimum_reserve_rate(ada: float | Iterable[float], fiscal_year: str | int | None = None,
                         assumptions: Rates | None = None) -> float | np.ndarray:
    """The state's minimum reserve for economic uncertainty, as a fraction of total
    general-fund expenditures and other uses, for a district of ``ada`` (5 CCR 15450):
    5% up to 300 ADA, 4% to 1,000, 3% to 30,000, 2% to 400,000, 1% above.

    The band is decided by ADA (P-2 average daily attendance), never enrollment. Rule for
    fractional ADA: ADA is compared unrounded, a band running from just above the previous
    band's maximum to its own maximum inclusive, so 30,000 ADA is in the 3% band and
    30,000.5 ADA in the 2% band. The bands are dated parameters (``reu_band_N_max_ada``,
    ``reu_band_N_min_percent``; default: ``data/lausd/assumptions.csv``, the latest values
    unless ``fiscal_year`` is given). Vectorized over ``ada``.

    >>> minimum_reserve_rate(381_000)  # LAUSD, 2023-24: the 2% band
    0.02
    >>> minimum_reserve_rate([300, 300.5, 30_000, 30_000.5, 400_000.5]).tolist()
    [0.05, 0.04, 0.03, 0.02, 0.01]
    """
    maxima, pct, _ = _bands(assumptions or _bundled_assumptions(), fiscal_year)
    a = _ada_array(ada)
    out = pct[np.searchsorted(maxima, a, side="left")]
    return float(out) if np.ndim(a) == 0 else out


def minimum_reserve(ada: float | Iterable[float], expenditures: float | Iterable[float],
                    fiscal_year: str | int | None = None, assumptions: Rates | None = None) -> float | np.ndarray:
    """The minimum reserve in dollars: the greater of the band's percentage of
    ``expenditures`` (total general-fund expenditures and other uses) and the band's
    dollar floor (``reu_band_N_min_dollars``: $55,000 for the two smallest bands in the
    bundled assumptions, a dated parameter the regulation raises by the prior-year COLA).

    >>> minimum_reserve(250, 800_000)  # 5% = $40,000 < the $55,000 floor
    55000.0
    >>> minimum_reserve(381_000, 18.8e9) / 1e6  # 2% of $18.8B
    376.0
    """
    maxima, pct, floors = _bands(assumptions or _bundled_assumptions(), fiscal_year)
    a = _ada_array(ada)
    e = np.asarray(expenditures, dtype=float)
    band = np.searchsorted(maxima, a, side="left")
    out = np.maximum(pct[band] * e, floors[band])
    return float(out) if np.ndim(out) == 0 else out


# ============================================================================ baseline
@dataclass(frozen=True)
class Baseline:
    """A district's general-fund budget in a base year, the starting point of a projection.

    * ``base_year``: the first projected fiscal year (usually the budget year).
    * ``lines``: revenue and expenditure lines, a table (or list of dicts) with ``side``
      (``revenue`` | ``expenditure``), ``line`` (a label), ``fund`` (``unrestricted`` |
      ``restricted``), ``kind`` (``ongoing`` | ``one_time``), ``growth`` (ongoing lines:
      ``lcff`` | ``expenditure`` | ``none``), ``fiscal_year`` (one-time lines: the year it
      occurs, default the base year) and ``amount`` (dollars in the base year, or in that
      year for a one-time line).
    * ``balance``: the general fund balance at the start of the base year by component,
      :data:`BALANCE_COMPONENTS` (dollars; missing components are 0).
    * ``ada``: ADA by fiscal year (P-2), every projected year and, for the
      ``declining_enrollment_protection`` rule, the three years before the base year.
    * ``expenditure_growth``: fraction by fiscal year after the base year.
    * ``unrestricted_share``: share of scenario costs paid from the unrestricted general
      fund, by bargaining unit (``"*"``: every other unit).
    * ``sources``: where each figure came from (free text per item).
    """

    base_year: str
    lines: Any
    balance: Mapping[str, float]
    ada: Mapping[str, float] = field(default_factory=dict)
    expenditure_growth: Mapping[str, float] = field(default_factory=dict)
    unrestricted_share: Mapping[str, float] = field(default_factory=lambda: {"*": 1.0})
    sources: Mapping[str, str] = field(default_factory=dict)
    origin: str = "<baseline>"

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "base_year", fiscal_year_label(parse_fiscal_year(self.base_year)))
        except FiscalYearError as exc:
            raise ReservesError(f"{self.origin}: base_year: {exc}") from exc
        lines = pd.DataFrame(self.lines) if not isinstance(self.lines, pd.DataFrame) else self.lines.copy()
        for col, default in (("line", ""), ("fund", "unrestricted"), ("kind", "ongoing"), ("growth", "none"),
                             ("fiscal_year", self.base_year)):
            if col not in lines.columns:
                lines[col] = default
            lines[col] = lines[col].where(lines[col].notna() & (lines[col].astype(str) != ""), default)
        missing = [c for c in ("side", "amount") if c not in lines.columns]
        if missing:
            raise ReservesError(f"{self.origin}: lines lack column(s) {', '.join(missing)}")
        lines.loc[lines["kind"] == "one_time", "growth"] = "none"
        problems = []
        for i, r in enumerate(lines.itertuples(index=False), start=1):
            where = f"{self.origin}: line {i} ({r.line or r.side})"
            if r.side not in ("revenue", "expenditure"):
                problems.append(f"{where}: side must be revenue or expenditure, got {r.side!r}")
            if r.fund not in FUNDS:
                problems.append(f"{where}: fund must be unrestricted or restricted, got {r.fund!r}")
            if r.kind not in LINE_KINDS:
                problems.append(f"{where}: kind must be ongoing or one_time, got {r.kind!r}")
            if r.growth not in GROWTHS:
                problems.append(f"{where}: growth must be one of {', '.join(GROWTHS)}, got {r.growth!r}")
            try:
                amount = float(r.amount)
                if not math.isfinite(amount):
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(f"{where}: amount must be a number of dollars, got {r.amount!r}")
            try:
                fy = parse_fiscal_year(r.fiscal_year)
                if r.kind == "ongoing" and fy != parse_fiscal_year(self.base_year):
                    problems.append(f"{where}: an ongoing line is given for the base year {self.base_year}, "
                                    f"not {r.fiscal_year}")
                if fy < parse_fiscal_year(self.base_year):
                    problems.append(f"{where}: {r.fiscal_year} is before the base year {self.base_year}")
            except FiscalYearError as exc:
                problems.append(f"{where}: {exc}")
        unknown = set(self.balance) - set(BALANCE_COMPONENTS)
        if unknown:
            problems.append(f"{self.origin}: unknown balance component(s) {', '.join(sorted(unknown))}; expected "
                            f"{', '.join(BALANCE_COMPONENTS)}")
        for name, share in self.unrestricted_share.items():
            if not 0 <= float(share) <= 1:
                problems.append(f"{self.origin}: unrestricted_share for {name!r} must be from 0 to 1 (a fraction), "
                                f"got {share!r}")
        if problems:
            raise ReservesError("\n".join(problems))
        lines["amount"] = lines["amount"].astype(float)
        lines["fiscal_year"] = [fiscal_year_label(parse_fiscal_year(y)) for y in lines["fiscal_year"]]
        object.__setattr__(self, "lines", lines.reset_index(drop=True))
        object.__setattr__(self, "balance", {c: float(self.balance.get(c, 0.0)) for c in BALANCE_COMPONENTS})
        object.__setattr__(self, "ada", {fiscal_year_label(parse_fiscal_year(k)): float(v) for k, v in self.ada.items()})
        object.__setattr__(self, "expenditure_growth", {fiscal_year_label(parse_fiscal_year(k)): float(v)
                                                        for k, v in self.expenditure_growth.items()})
        object.__setattr__(self, "unrestricted_share", {str(k): float(v) for k, v in self.unrestricted_share.items()})

    @property
    def beginning_balance(self) -> float:
        return float(sum(self.balance.values()))

    def summary(self) -> pd.DataFrame:
        """The base year's lines by side, fund and kind (dollars)."""
        return self.lines.pivot_table(index=["side", "fund", "kind"], values="amount", aggfunc="sum")


def read_baseline(path: str | Path) -> Baseline:
    """Read a baseline file (see ``data/lausd/reserves_baseline.md``): one figure a row,
    ``item, line, fiscal_year, value, unit, fund, kind, growth, bargaining_unit, status,
    reliability, source, url, note``; every row needs a source. Items: ``revenue``,
    ``expenditure``, ``balance_<component>``, ``ada``, ``expenditure_growth`` (percent),
    ``unrestricted_share`` (percent, by ``bargaining_unit``)."""
    path = Path(path)
    try:
        t = pd.read_csv(path, dtype={"fiscal_year": str, "bargaining_unit": str}, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise ReservesError(f"{path}: cannot read: {exc}") from exc
    need = ["item", "fiscal_year", "value", "unit", "source"]
    missing = [c for c in need if c not in t.columns]
    if missing:
        raise ReservesError(f"{path}: missing column(s) {', '.join(missing)}")
    problems = []
    values = pd.to_numeric(t["value"], errors="coerce")
    for i in np.flatnonzero(values.isna().to_numpy()):
        problems.append(f"{path}, row {i + 2}: value must be a number, got {t['value'].iloc[i]!r}")
    for i in np.flatnonzero((t["source"].astype(str).str.strip() == "").to_numpy()):
        problems.append(f"{path}, row {i + 2}: every figure needs a source")
    factor = np.where(t["unit"].to_numpy() == "percent", 0.01, 1.0)
    t["_value"] = values.to_numpy(float) * factor
    items = t["item"].to_numpy()
    known = {"revenue", "expenditure", "ada", "expenditure_growth", "unrestricted_share"} | {
        f"balance_{c}" for c in BALANCE_COMPONENTS}
    for i in np.flatnonzero(~np.isin(items, list(known))):
        problems.append(f"{path}, row {i + 2}: unknown item {items[i]!r}")
    if problems:
        raise ReservesError("\n".join(problems))
    bal_rows = t[t["item"].str.startswith("balance_")]
    if bal_rows.empty:
        raise ReservesError(f"{path}: no balance_* rows (the fund balance at the start of the base year)")
    base_years = set(bal_rows["fiscal_year"])
    if len(base_years) != 1:
        raise ReservesError(f"{path}: the balance_* rows must all be for the base year, got {sorted(base_years)}")
    base = base_years.pop()
    line_rows = t[t["item"].isin(["revenue", "expenditure"])]
    lines = pd.DataFrame({
        "side": line_rows["item"].to_numpy(),
        "line": line_rows.get("line", pd.Series([""] * len(line_rows))).to_numpy(),
        "fund": line_rows["fund"].to_numpy(),
        "kind": line_rows["kind"].to_numpy(),
        "growth": line_rows["growth"].to_numpy(),
        "fiscal_year": line_rows["fiscal_year"].to_numpy(),
        "amount": line_rows["_value"].to_numpy(),
    })
    by = {item: dict(zip(g["fiscal_year"], g["_value"], strict=True)) for item, g in t.groupby("item")}
    shares = t[t["item"] == "unrestricted_share"]
    sources = {f"{r.item} {r.fiscal_year} {getattr(r, 'line', '')}".strip(): r.source for r in t.itertuples()}
    return Baseline(
        base_year=base,
        lines=lines,
        balance={c: float(by.get(f"balance_{c}", {}).get(base, 0.0)) for c in BALANCE_COMPONENTS},
        ada=by.get("ada", {}),
        expenditure_growth=by.get("expenditure_growth", {}),
        unrestricted_share=(dict(zip(shares["bargaining_unit"], shares["_value"], strict=True))
                            if not shares.empty else {"*": 1.0}),
        sources=sources,
        origin=str(path),
    )


def lausd_baseline() -> Baseline:
    """The bundled LAUSD baseline (``data/lausd/reserves_baseline.csv``; budget year
    2025-26; ILLUSTRATIVE where the public figures stop: see its ``.md``)."""
    from .district import data_dir

    return read_baseline(data_dir() / "lausd" / "reserves_baseline.csv")


# ============================================================================ projection
@dataclass(frozen=True)
class Reserves:
    """Result of :func:`project`.

    ``table``: one row per scenario (the baseline first, :data:`BASELINE_NAME`) and fiscal
    year, columns :data:`PROJECTION_COLUMNS`. ``affordability``: per scenario and year, the
    cost, the baseline's reserves at the start of the year (``reserves`` measure), cost as
    a share of those reserves, years of the cost the reserves could fund, cost as a share
    of the budget (baseline total expenditures), and the cumulative cost against the
    reserves at the start of the projection. ``skipped``: scenarios priced but outside the
    projection's years (already in the base year's budget).
    """

    table: pd.DataFrame
    affordability: pd.DataFrame
    baseline: Baseline
    fiscal_years: tuple
    settings: dict
    skipped: tuple = ()

    @property
    def scenario_names(self) -> list[str]:
        return list(dict.fromkeys(self.table["scenario"]))

    def plot(self, measure: str = "unrestricted_balance"):
        """The reserve path per scenario against the legal minimum
        (:func:`costing.plot.reserve_path`)."""
        from .plot import reserve_path

        return reserve_path(self, measure)

    def path(self, measure: str = "unrestricted_balance") -> pd.DataFrame:
        """A reserve measure by fiscal year (rows) and scenario (columns), with the
        baseline's ``minimum_reserve`` alongside: the reserve-path figure's data."""
        if measure not in self.table.columns:
            raise ReservesError(f"no measure {measure!r}; have: {', '.join(self.table.columns[2:])}")
        wide = self.table.pivot(index="fiscal_year", columns="scenario", values=measure)
        wide = wide.reindex(index=list(self.fiscal_years), columns=self.scenario_names)
        base = self.table[self.table["scenario"] == BASELINE_NAME].set_index("fiscal_year")
        wide["minimum_reserve"] = base["minimum_reserve"].reindex(wide.index)
        wide.columns.name = measure
        return wide

    def scenario(self, name: str) -> pd.DataFrame:
        """One scenario's rows of :attr:`table`."""
        if name not in self.scenario_names:
            raise ReservesError(f"no scenario named {name!r}; have: {', '.join(self.scenario_names)}")
        return self.table[self.table["scenario"] == name].reset_index(drop=True)

    def summary(self) -> str:
        """Unrestricted balance and the margin above the minimum by scenario and year ($M)."""
        cols = ["unrestricted_balance", "available_reserves", "minimum_reserve", "margin_above_minimum"]
        t = self.table.set_index(["scenario", "fiscal_year"])[cols] / 1e6
        return t.round(1).to_string()


def _as_years(spec: Any, years: Sequence[str], what: str) -> np.ndarray:
    """A number or {fiscal year: number} -> one value per year, missing years an error."""
    if spec is None:
        raise ReservesError(f"{what}: no values")
    if isinstance(spec, int | float | np.floating) and not isinstance(spec, bool):
        return np.full(len(years), float(spec))
    if isinstance(spec, Mapping):
        norm = {fiscal_year_label(parse_fiscal_year(k)): float(v) for k, v in spec.items()}
        missing = [y for y in years if y not in norm]
        if missing:
            raise ReservesError(f"{what} has no value for {', '.join(missing)} (missing years)")
        return np.array([norm[y] for y in years])
    raise ReservesError(f"{what} must be a number or {{fiscal year: number}}, got {spec!r}")


def _funded_ada(baseline: Baseline, labels: list[str], rule: str) -> tuple[np.ndarray, np.ndarray]:
    """(ADA, funded ADA) for each projected year; revenue grows with the funded ADA."""
    first = parse_fiscal_year(labels[0])
    back = 0 if rule == "current" else 3
    years = [fiscal_year_label(first - k) for k in range(back, 0, -1)] + list(labels)
    missing = [y for y in years if y not in baseline.ada]
    if missing:
        raise ReservesError(f"{baseline.origin}: ADA has no value for {', '.join(missing)} (missing years; the "
                            f"{rule!r} rule needs ADA for {years[0]} to {years[-1]})")
    a = np.array([baseline.ada[y] for y in years])
    if np.any(a <= 0):
        raise ReservesError(f"{baseline.origin}: ADA must be above 0 in every year, got {a.tolist()}")
    if rule == "current":
        return a, a
    prior = np.concatenate([[np.nan], a[:-1]])
    avg3 = np.concatenate([[np.nan] * 3, (a[:-3] + a[1:-2] + a[2:-1]) / 3.0])
    funded = np.fmax(np.fmax(a, prior), avg3)
    return a[back:], funded[back:]


def _costings(costing: Any) -> list[Any]:
    if costing is None:
        return []
    if isinstance(costing, pd.DataFrame) or hasattr(costing, "ledger"):
        return [costing]
    if isinstance(costing, Mapping):
        return list(costing.values())
    if isinstance(costing, Iterable):
        return [c for item in costing for c in _costings(item)]
    raise ReservesError(f"costing must be a Costing, a {{base year: Costing}} dict or a ledger, got {type(costing).__name__}")


def _scenario_costs(costing: Any, labels: list[str], scenarios: Sequence[str] | None,
                    share_of: Any, include_step: bool, carry_forward: bool
                    ) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """(names, total cost (S, T), unrestricted cost (S, T), skipped names)."""
    from .engine import STATUS_QUO

    first, last = parse_fiscal_year(labels[0]), parse_fiscal_year(labels[-1])
    T = len(labels)
    names: list[str] = []
    totals, unres, skipped = [], [], []
    seen: set[str] = set()
    for src in _costings(costing):
        led = src if isinstance(src, pd.DataFrame) else src.ledger
        missing = [c for c in ("scenario", "fiscal_year", "unit", "kind", "amount") if c not in led.columns]
        if missing:
            raise ReservesError(f"the ledger lacks column(s) {', '.join(missing)}")
        is_sq = led["scenario"].astype(str).str.startswith(STATUS_QUO)
        sq = led[is_sq]
        own = led[~is_sq]
        if isinstance(src, pd.DataFrame):
            spans = {n: sorted(parse_fiscal_year(y) for y in g["fiscal_year"].unique())
                     for n, g in own.groupby("scenario", sort=False)}
        else:
            spans = {s.name: [parse_fiscal_year(y) for y in s.fiscal_years] for s in src.scenarios}
        for name, span in spans.items():
            if scenarios is not None and name not in scenarios:
                continue
            if name in seen:
                raise ReservesError(f"scenario {name!r} appears in two costings; give each a distinct name")
            if span[-1] < first or span[0] > last:
                skipped.append(name)
                continue
            seen.add(name)
            rows = own[own["scenario"] == name]
            if include_step:
                rows = pd.concat([rows, sq[sq["fiscal_year"].isin([fiscal_year_label(y) for y in span])]])
            units = sorted(rows["unit"].astype(str).unique())
            share = _unit_shares(share_of, units)
            yi = np.array([parse_fiscal_year(y) for y in rows["fiscal_year"]]) - first
            amt = rows["amount"].to_numpy(float)
            sh = np.array([share[u] for u in rows["unit"].astype(str)])
            ongoing = (rows["kind"] == "ongoing").to_numpy()
            inside = (yi >= 0) & (yi < T)
            tot = np.bincount(yi[inside], weights=amt[inside], minlength=T)[:T]
            un = np.bincount(yi[inside], weights=(amt * sh)[inside], minlength=T)[:T]
            end = span[-1] - first
            if carry_forward and end < T - 1:
                at_end = yi == end
                tot[end + 1:] = (amt * ongoing)[at_end].sum()
                un[end + 1:] = (amt * sh * ongoing)[at_end].sum()
            names.append(name)
            totals.append(tot)
            unres.append(un)
    if scenarios is not None:
        unknown = [s for s in scenarios if s not in seen and s not in skipped]
        if unknown:
            raise ReservesError(f"no priced scenario named {', '.join(map(repr, unknown))}")
    S = len(names)
    return (names, np.array(totals).reshape(S, T), np.array(unres).reshape(S, T), skipped)


def _unit_shares(share_of: Any, units: list[str]) -> dict[str, float]:
    if isinstance(share_of, int | float) and not isinstance(share_of, bool):
        if not 0 <= share_of <= 1:
            raise ReservesError(f"unrestricted_share must be a fraction from 0 to 1, got {share_of}")
        return dict.fromkeys(units, float(share_of))
    out = {}
    missing = []
    for u in units:
        if u in share_of:
            out[u] = float(share_of[u])
        elif "*" in share_of:
            out[u] = float(share_of["*"])
        else:
            missing.append(u)
    if missing:
        raise ReservesError(f"unrestricted_share has no value for unit(s) {', '.join(missing)} (add them or '*')")
    bad = {u: v for u, v in out.items() if not 0 <= v <= 1}
    if bad:
        raise ReservesError(f"unrestricted_share must be fractions from 0 to 1, got {bad}")
    return out


@dataclass(frozen=True)
class Prepared:
    """A projection made ready for evaluation: everything that does not depend on the
    assumptions a simulation draws (:func:`evaluate`). Built by :func:`project` and by
    :func:`costing.uncertainty.simulate`, so both share one arithmetic."""

    baseline: Baseline
    labels: tuple
    names: tuple  # the baseline first
    ada_series: np.ndarray  # ADA: ``back`` years before the base year, then the T projected years
    back: int
    ada_rule: str
    cola: np.ndarray  # (T-1,) into years 1..T-1
    expenditure_growth: np.ndarray  # (T-1,)
    amounts: Mapping  # (side, fund, growth) -> base-year amount of the ongoing lines
    one_time: Mapping  # (side, fund) -> (T,) one-time amounts
    cost: np.ndarray  # (S, T), row 0 the baseline (zeros)
    cost_unrestricted: np.ndarray  # (S, T)
    bands: tuple  # per year: (upper ADA limits, percents, dollar floors)
    designated: float
    unres0: float
    share_of: Any
    skipped: tuple

    @property
    def T(self) -> int:
        return len(self.labels)

    @property
    def S(self) -> int:
        return len(self.names)


def _prepare(baseline: Baseline, costing: Any, *, assumptions: Rates, years: int, scenarios: Sequence[str] | None,
             unrestricted_share: Any, expenditure_growth: Any, ada_rule: str, cola: str, include_step: bool,
             carry_forward: bool, hold_designations: bool) -> Prepared:
    labels = fiscal_years(baseline.base_year, years)
    T = len(labels)
    back = 0 if ada_rule == "current" else 3
    _funded_ada(baseline, labels, ada_rule)  # validates the ADA years
    first = parse_fiscal_year(labels[0])
    ada_series = np.array([baseline.ada[fiscal_year_label(first - k)] for k in range(back, 0, -1)]
                          + [baseline.ada[y] for y in labels])
    try:
        cola_t = assumptions.series(cola, labels[1:]) if T > 1 else np.array([])
    except RatesError as exc:
        raise ReservesError(str(exc)) from exc
    g_exp = (_as_years(expenditure_growth if expenditure_growth is not None else baseline.expenditure_growth,
                       labels[1:], "expenditure_growth") if T > 1 else np.array([]))
    for name, arr in (("expenditure_growth", g_exp), (cola, cola_t)):
        if np.any(arr < -1):
            raise ReservesError(f"{name} below -100% in {labels[1 + int(np.argmax(arr < -1))]}")
    lines = baseline.lines
    ongoing = (lines["kind"] == "ongoing").to_numpy()
    amounts: dict = {}
    one_time: dict = {}
    yi = np.array([parse_fiscal_year(y) for y in lines["fiscal_year"]], dtype=np.int64) - first
    for i, r in enumerate(lines.itertuples(index=False)):
        if ongoing[i]:
            key = (r.side, r.fund, r.growth)
            amounts[key] = amounts.get(key, 0.0) + float(r.amount)
        elif yi[i] < T:
            arr = one_time.setdefault((r.side, r.fund), np.zeros(T))
            arr[yi[i]] += float(r.amount)
    share_of = unrestricted_share if unrestricted_share is not None else baseline.unrestricted_share
    names, cost, cost_u, skipped = _scenario_costs(costing, labels, scenarios, share_of, include_step, carry_forward)
    b = baseline.balance
    return Prepared(
        baseline=baseline, labels=tuple(labels), names=(BASELINE_NAME, *names), ada_series=ada_series, back=back,
        ada_rule=ada_rule, cola=np.asarray(cola_t, float), expenditure_growth=np.asarray(g_exp, float),
        amounts=amounts, one_time=one_time,
        cost=np.vstack([np.zeros((1, T)), cost]), cost_unrestricted=np.vstack([np.zeros((1, T)), cost_u]),
        bands=tuple(_bands(assumptions, y) for y in labels),
        designated=(b["committed"] + b["assigned"]) if hold_designations else 0.0,
        unres0=b["committed"] + b["assigned"] + b["reu"] + b["unassigned"],
        share_of=share_of, skipped=tuple(skipped))


def _growth_factor(rates: np.ndarray | None, D: int, T: int) -> np.ndarray:
    """(T-1, D) growth rates into years 1..T-1 -> (T, D) cumulative factors, 1 in year 0."""
    if rates is None or T == 1:
        return np.ones((T, D))
    return np.concatenate([np.ones((1, rates.shape[1])), np.cumprod(1.0 + rates, axis=0)], axis=0)


def evaluate(prep: Prepared, *, cola: np.ndarray | None = None, expenditure_growth: np.ndarray | None = None,
             ada_factor: np.ndarray | None = None, revenue_growth: np.ndarray | None = None,
             step_and_column: np.ndarray | None = None, cost: np.ndarray | None = None,
             cost_unrestricted: np.ndarray | None = None, forecast_error: np.ndarray | None = None,
             lean: bool = False) -> dict[str, np.ndarray]:
    """The projection's arrays for ``D`` draws of the assumptions, the draw axis **last**
    (so each year's draws lie together in memory; ``D = 1`` with every argument ``None``:
    the central values, what :func:`project` reports):

    * ``cola``, ``expenditure_growth``, ``revenue_growth``, ``step_and_column``:
      ``(T-1, D)`` rates into years 1..T-1 (``revenue_growth`` and ``step_and_column``
      default 0: growth beyond the baseline's rules);
    * ``ada_factor``: ``(T, D)`` multipliers of the baseline's ADA path in the projected
      years (the years before the base year, used by the declining-enrollment rule, are
      history and stay as given);
    * ``cost``, ``cost_unrestricted``: ``(S, T, D)`` scenario costs (row 0 the baseline);
    * ``forecast_error``: ``(T, D)`` dollars added to the year-end unrestricted balance
      (a level: the district's projection of the balance misses by that much).

    Formulas (year ``t``): ongoing revenue ``sum_lcff A x prod_{k<=t} (1 + COLA_k)
    fADA_k / fADA_{k-1} x R_t + sum_none A x R_t``, ``R_t = prod_{k<=t} (1 + r_k)``
    (``revenue_growth``); ongoing spending ``sum_expenditure A x prod (1 + e_k) x P_t +
    sum_none A``, ``P_t = prod (1 + s_k)`` (``step_and_column``), which also scales every
    scenario cost; balances and the minimum reserve as in :func:`project`.
    Returns arrays of shape ``(T, D)`` (the district's own lines) or ``(S, T, D)``;
    ``lean``: only ``scenario_costs``, ``ending_balance``, ``unrestricted_balance``,
    ``minimum_reserve`` and ``margin_above_minimum``, computed in place where the
    intermediate is not returned (the same operations, so the same numbers).
    """
    T, S = prep.T, prep.S
    D = max([1] + [x.shape[-1] for x in (cola, expenditure_growth, ada_factor, revenue_growth, step_and_column,
                                          cost, cost_unrestricted, forecast_error) if x is not None])
    ada = np.repeat(prep.ada_series[:, None], D, axis=1)
    if ada_factor is not None:
        ada[prep.back:] = ada[prep.back:] * ada_factor
    if prep.ada_rule == "current":
        funded = ada
    else:
        prior = np.concatenate([np.full((1, D), np.nan), ada[:-1]], axis=0)
        avg3 = np.concatenate([np.full((3, D), np.nan), (ada[:-3] + ada[1:-2] + ada[2:-1]) / 3.0], axis=0)
        funded = np.fmax(np.fmax(ada, prior), avg3)
    ada, funded = ada[prep.back:], funded[prep.back:]
    c = np.broadcast_to(prep.cola[:, None] if cola is None else cola, (T - 1, D))
    g = np.broadcast_to(prep.expenditure_growth[:, None] if expenditure_growth is None else expenditure_growth,
                        (T - 1, D))
    rev_factor = (np.concatenate([np.ones((1, D)), np.cumprod((1.0 + c) * funded[1:] / funded[:-1], axis=0)],
                                 axis=0) if T > 1 else np.ones((1, D)))
    exp_factor = _growth_factor(g, D, T)
    rg = _growth_factor(revenue_growth, D, T)
    sc = _growth_factor(step_and_column, D, T)
    factors = {("revenue", "lcff"): rev_factor * rg, ("revenue", "none"): rg, ("revenue", "expenditure"): exp_factor * rg,
               ("expenditure", "lcff"): rev_factor * sc, ("expenditure", "expenditure"): exp_factor * sc,
               ("expenditure", "none"): np.ones((T, D))}

    def total(side: str, fund: str) -> np.ndarray:
        out = np.zeros((T, D))
        for (s_, f_, g_), amount in prep.amounts.items():
            if s_ == side and f_ == fund:
                out = out + amount * factors[(side, g_)]
        return out + prep.one_time.get((side, fund), np.zeros(T))[:, None]

    rev_u, rev_r = total("revenue", "unrestricted"), total("revenue", "restricted")
    exp_u, exp_r = total("expenditure", "unrestricted"), total("expenditure", "restricted")
    # costs keep a draw axis of 1 unless the draws move them (turnover, step and column)
    cost_all = prep.cost[:, :, None] if cost is None else cost
    cost_un = prep.cost_unrestricted[:, :, None] if cost_unrestricted is None else cost_unrestricted
    if step_and_column is not None:
        cost_all = cost_all * sc
        cost_un = cost_un * sc
    b = prep.baseline.balance
    full = not lean
    net_u = (rev_u - exp_u) - cost_un  # (S, T, D)
    net_r = (rev_r - exp_r) - (cost_all - cost_un)
    if full:
        net_change = net_u + net_r
    unres = np.cumsum(net_u, axis=1, out=net_u) if net_u.shape == (S, T, D) else np.cumsum(net_u, axis=1)
    unres += prep.unres0  # the same rounding as unres0 + cumsum(...)
    if forecast_error is not None:
        unres += forecast_error
    restr = np.cumsum(net_r, axis=1, out=net_r) if (net_r.shape == (S, T, D) and not full) else np.cumsum(net_r, axis=1)
    restr = restr + b["restricted"] if full else np.add(restr, b["restricted"], out=restr)
    restr = np.broadcast_to(restr, (S, T, D))
    ending = b["nonspendable"] + restr
    ending += unres
    spend = exp_u + exp_r
    total_exp = spend + cost_all
    rate = np.empty((T, D))
    floor_d = np.empty((T, D))
    for t, (maxima, pct, floors) in enumerate(prep.bands):  # a loop over the few years, not the draws
        band = np.searchsorted(maxima, ada[t], side="left")
        rate[t] = pct[band]
        floor_d[t] = floors[band]
    min_res = rate * total_exp
    np.maximum(min_res, floor_d, out=min_res)
    available = unres - prep.designated
    margin = available - min_res
    out = {"scenario_costs": np.broadcast_to(cost_all, (S, T, D)), "ending_balance": ending,
           "unrestricted_balance": unres, "minimum_reserve": min_res, "margin_above_minimum": margin}
    if not full:
        return out
    beginning = np.concatenate([np.full((S, 1, D), prep.baseline.beginning_balance), ending[:, :-1]], axis=1)
    out.update({
        "ada": ada, "funded_ada": funded, "revenues": rev_u + rev_r, "expenditures": spend,
        "scenario_costs_unrestricted": np.broadcast_to(cost_un, (S, T, D)), "total_expenditures": total_exp,
        "net_change": net_change, "beginning_balance": beginning,
        "nonspendable": np.full((T, D), b["nonspendable"]), "restricted_balance": restr,
        "available_reserves": available, "minimum_reserve_rate": rate,
    })
    return out


def project(district: District | None = None, costing: Costing | Mapping[str, Costing] | pd.DataFrame | None = None,
            *, baseline: Baseline | str | Path | None = None, years: int = 3, scenarios: Sequence[str] | None = None,
            unrestricted_share: float | Mapping[str, float] | None = None, expenditure_growth: Any = None,
            ada_rule: str = "current", cola: str = "lcff_cola_funded", include_step: bool = False,
            carry_forward: bool = True, hold_designations: bool = False, reserves: str = "unrestricted",
            assumptions: Rates | None = None) -> Reserves:
    """Project the general fund over ``years`` fiscal years from the baseline's base year,
    with and without each priced scenario.

    * ``district``: supplies the dated assumptions (``lcff_cola_funded`` or ``cola``, the
      minimum-reserve bands); for LAUSD (or None) the baseline defaults to the bundled
      :func:`lausd_baseline`.
    * ``costing``: a :class:`~costing.costing.Costing`, the ``{base year: Costing}`` of
      :func:`costing.price_lausd`, a ledger DataFrame, or a list of them; every scenario
      whose years reach the projection is included (or those named in ``scenarios``).
    * ``unrestricted_share``: share of a scenario's cost paid from the unrestricted
      general fund, one fraction or ``{unit: fraction}`` (``"*"`` for the rest; default
      the baseline's); the rest is charged to restricted resources.
    * ``expenditure_growth``: overrides the baseline's (a fraction, or by fiscal year).
    * ``ada_rule``: :data:`ADA_RULES`; ``include_step``: add the status quo's step and
      column to every scenario (off: a district budget already carries it);
      ``carry_forward``: after a scenario's last year its ongoing cost continues
      (one-time costs do not); ``hold_designations``: keep the base year's committed and
      assigned amounts out of the available reserves (see the module docstring);
      ``reserves``: the measure the affordability table divides by, ``unrestricted`` |
      ``available`` | ``total``.

    Formulas (year ``t``, base year ``0``): revenue line ``lcff``: ``A x prod_{k<=t}
    (1 + COLA_k) x fADA_k / fADA_{k-1}``; expenditure line ``expenditure``: ``A x
    prod_{k<=t} (1 + e_k)``; ``net = revenues - expenditures - cost``; balances add the net
    change by fund; ``minimum_reserve = max(rate(ADA_t) x (expenditures + cost), floor)``.
    """
    if ada_rule not in ADA_RULES:
        raise ReservesError(f"ada_rule must be one of {', '.join(ADA_RULES)}, got {ada_rule!r}")
    if reserves not in ("unrestricted", "available", "total"):
        raise ReservesError(f"reserves must be 'unrestricted', 'available' or 'total', got {reserves!r}")
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ReservesError(f"years must be a whole number of fiscal years, at least 1, got {years!r}")
    if baseline is None:
        if district is not None and district.name != "Los Angeles Unified":
            raise ReservesError(f"no bundled budget baseline for {district.name!r}; pass baseline= (see "
                                "costing.reserves.Baseline and read_baseline)")
        baseline = lausd_baseline()
    elif not isinstance(baseline, Baseline):
        baseline = read_baseline(baseline)
    if assumptions is None:
        assumptions = (district.assumptions if district is not None and district.assumptions is not None
                       else _bundled_assumptions())
    prep = _prepare(baseline, costing, assumptions=assumptions, years=years, scenarios=scenarios,
                    unrestricted_share=unrestricted_share, expenditure_growth=expenditure_growth, ada_rule=ada_rule,
                    cola=cola, include_step=include_step, carry_forward=carry_forward,
                    hold_designations=hold_designations)
    labels, T, names, S = prep.labels, prep.T, prep.names, prep.S
    r = {k: v[..., 0] for k, v in evaluate(prep).items()}  # one "draw": the central values
    ada, funded = r["ada"], r["funded_ada"]
    cost, cost_u, unres, total_exp = r["scenario_costs"], r["scenario_costs_unrestricted"], r["unrestricted_balance"], \
        r["total_expenditures"]
    designated = prep.designated
    available = r["available_reserves"]
    ending = r["ending_balance"]
    unres0 = prep.unres0
    share_of = prep.share_of
    skipped = prep.skipped

    def flat(x: np.ndarray) -> np.ndarray:
        return np.broadcast_to(x, (S, T)).ravel()

    table = pd.DataFrame({
        "scenario": np.repeat(names, T),
        "fiscal_year": np.tile(labels, S),
        "ada": flat(ada),
        "funded_ada": flat(funded),
        "revenues": flat(r["revenues"]),
        "expenditures": flat(r["expenditures"]),
        "scenario_costs": cost.ravel(),
        "scenario_costs_unrestricted": cost_u.ravel(),
        "total_expenditures": total_exp.ravel(),
        "net_change": r["net_change"].ravel(),
        "beginning_balance": r["beginning_balance"].ravel(),
        "ending_balance": ending.ravel(),
        "nonspendable": flat(r["nonspendable"]),
        "restricted_balance": r["restricted_balance"].ravel(),
        "unrestricted_balance": unres.ravel(),
        "designated": np.full(S * T, designated),
        "available_reserves": available.ravel(),
        "unrestricted_ratio": (unres / total_exp).ravel(),
        "minimum_reserve_rate": flat(r["minimum_reserve_rate"]),
        "minimum_reserve": r["minimum_reserve"].ravel(),
        "margin_above_minimum": r["margin_above_minimum"].ravel(),
    })

    # affordability against the baseline's reserves at the start of each year
    measure = {"unrestricted": unres, "available": available, "total": ending}[reserves][0]
    start0 = {"unrestricted": unres0, "available": unres0 - designated,
              "total": baseline.beginning_balance}[reserves]
    at_start = np.concatenate([[start0], measure[:-1]])
    c = cost[1:]
    with np.errstate(all="ignore"):  # zero or tiny reserves give inf / NaN, by design
        share_res = np.where(at_start[None, :] > 0, c / at_start[None, :], np.nan)
        years_fund = np.where(c > 0, np.maximum(at_start[None, :], 0.0) / c, np.nan)
        share_budget = c / total_exp[0][None, :]
        cum = np.cumsum(c, axis=1)
        cum_share = cum / start0 if start0 > 0 else np.full_like(cum, np.nan)
    n = S - 1
    affordability = pd.DataFrame({
        "scenario": np.repeat(names[1:], T),
        "fiscal_year": np.tile(labels, n),
        "cost": c.ravel(),
        "cost_unrestricted": cost_u[1:].ravel(),
        "reserves_at_start": np.tile(at_start, n),
        "cost_share_of_reserves": share_res.ravel(),
        "years_reserves_could_fund": years_fund.ravel(),
        "cost_share_of_budget": share_budget.ravel(),
        "cumulative_cost": cum.ravel(),
        "cumulative_share_of_reserves": cum_share.ravel(),
    })
    settings = {"ada_rule": ada_rule, "cola": cola, "include_step": include_step, "carry_forward": carry_forward,
                "hold_designations": hold_designations, "reserves": reserves, "unrestricted_share": share_of}
    return Reserves(table=table, affordability=affordability, baseline=baseline, fiscal_years=tuple(labels),
                    settings=settings, skipped=tuple(skipped))


# ============================================================================ forecasting record
@dataclass(frozen=True)
class ForecastErrors:
    """Result of :func:`forecast_errors`.

    * ``errors``: every projection with ``horizon`` (fiscal years from the year it was
      made to the year projected: 0 = the current year), ``error`` = actual - projected
      (positive: the outcome beat the projection), ``relative_error`` = error /
      |projected|, ``closed`` (an actual is known).
    * ``by_horizon``: per measure and horizon over closed rows: ``n``, ``mean_error``
      (the bias), ``min_error``, ``max_error``, ``share_beaten`` (share of actuals above
      the projection).
    * ``deficits``: per measure (and ``all``): ``projected_deficits`` (closed rows
      projected below zero), ``became_surplus`` (of those, actual above zero) and
      ``share``.
    """

    errors: pd.DataFrame
    by_horizon: pd.DataFrame
    deficits: pd.DataFrame

    def adjust(self, projection: pd.DataFrame, using: str | None = None) -> pd.DataFrame:
        """A current projection corrected by the past errors at each horizon, as a band.

        ``projection``: ``made_in, fiscal_year, projected`` (and ``measure``, unless
        ``using`` names the history's measure to correct by). Adds ``horizon``,
        ``n_history``, ``low`` (projected + the smallest past error at that horizon),
        ``adjusted`` (+ the mean error) and ``high`` (+ the largest): a band, not a point.
        Horizons with no closed history give NaN.
        """
        p = _history_frame(projection, need=("made_in", "fiscal_year", "projected"), what="projection")
        if using is None and "measure" not in p.columns:
            raise ReservesError("projection: give a measure column or using= (the history's measure)")
        key = p["measure"] if using is None else pd.Series(using, index=p.index)
        bh = self.by_horizon.set_index(["measure", "horizon"])
        idx = pd.MultiIndex.from_arrays([key, p["horizon"]])
        stats = bh.reindex(idx)
        out = p.copy()
        out["corrected_by"] = key.to_numpy()
        out["n_history"] = stats["n"].fillna(0).astype(int).to_numpy()
        out["low"] = p["projected"].to_numpy() + stats["min_error"].to_numpy()
        out["adjusted"] = p["projected"].to_numpy() + stats["mean_error"].to_numpy()
        out["high"] = p["projected"].to_numpy() + stats["max_error"].to_numpy()
        return out

    def projected_vs_actual(self, measure: str | None = None) -> pd.DataFrame:
        """Closed projections against outcomes (the figure of projected versus actual
        ending balances): ``measure, fiscal_year, made_in, horizon, projected, actual,
        error``."""
        e = self.errors[self.errors["closed"]]
        if measure is not None:
            e = e[e["measure"] == measure]
        cols = ["measure", "fiscal_year", "made_in", "horizon", "projected", "actual", "error"]
        return e[cols].sort_values(["measure", "fiscal_year", "horizon"]).reset_index(drop=True)


def _history_frame(history: Any, need: Sequence[str], what: str) -> pd.DataFrame:
    if hasattr(history, "history") and not isinstance(history, pd.DataFrame):
        history = history.history
    if isinstance(history, str | Path):
        history = pd.read_csv(history, dtype={"made_in": str, "fiscal_year": str})
    if not isinstance(history, pd.DataFrame):
        raise ReservesError(f"{what}: expected a table ({', '.join(need)}), got {type(history).__name__}")
    missing = [c for c in need if c not in history.columns]
    if missing:
        raise ReservesError(f"{what}: missing column(s) {', '.join(missing)}")
    h = history.copy().reset_index(drop=True)
    problems = []
    made, fy = [], []
    for i, (m, y) in enumerate(zip(h["made_in"], h["fiscal_year"], strict=True), start=1):
        try:
            made.append(parse_fiscal_year(m))
            fy.append(parse_fiscal_year(y))
        except FiscalYearError as exc:
            problems.append(f"{what}, row {i}: {exc}")
            made.append(0)
            fy.append(0)
    h["horizon"] = np.array(fy) - np.array(made)
    for i in np.flatnonzero(h["horizon"].to_numpy() < 0):
        problems.append(f"{what}, row {i + 1}: made in {h['made_in'].iloc[i]}, after the year it projects "
                        f"({h['fiscal_year'].iloc[i]}): not a projection")
    h["projected"] = pd.to_numeric(h["projected"], errors="coerce")
    for i in np.flatnonzero(h["projected"].isna().to_numpy()):
        problems.append(f"{what}, row {i + 1}: projected must be a number")
    if problems:
        raise ReservesError("\n".join(problems))
    return h


def forecast_errors(history: pd.DataFrame | District | str | Path) -> ForecastErrors:
    """The district's forecasting record from ``made_in, fiscal_year, measure, projected,
    actual`` (a table, a path, or a District's ``history``); rows without an actual are
    kept but left out of the statistics. See :class:`ForecastErrors`.

    >>> h = pd.DataFrame({"made_in": ["2015-16", "2017-18"], "fiscal_year": ["2017-18", "2017-18"],
    ...                   "measure": "unrestricted_ending_balance", "projected": [105e6, 1.7e9],
    ...                   "actual": [1.863e9, 1.863e9]})
    >>> (forecast_errors(h).by_horizon["mean_error"] / 1e6).tolist()  # horizons 0 and 2
    [163.0, 1758.0]
    """
    h = _history_frame(history, need=HISTORY_COLUMNS, what="history")
    h["actual"] = pd.to_numeric(h["actual"], errors="coerce")
    h["closed"] = h["actual"].notna()
    h["error"] = h["actual"] - h["projected"]
    with np.errstate(divide="ignore", invalid="ignore"):
        h["relative_error"] = np.where(h["projected"] != 0, h["error"] / h["projected"].abs(), np.nan)
    closed = h[h["closed"]]
    by = (closed.assign(beat=closed["error"] > 0)
          .groupby(["measure", "horizon"], sort=True)
          .agg(n=("error", "size"), mean_error=("error", "mean"), min_error=("error", "min"),
               max_error=("error", "max"), share_beaten=("beat", "mean"))
          .reset_index())
    deficit = closed[closed["projected"] < 0]
    rec = (deficit.assign(surplus=deficit["actual"] > 0).groupby("measure")
           .agg(projected_deficits=("surplus", "size"), became_surplus=("surplus", "sum")).reset_index())
    allrow = pd.DataFrame({"measure": ["all"], "projected_deficits": [len(deficit)],
                           "became_surplus": [int((deficit["actual"] > 0).sum())]})
    rec = pd.concat([rec, allrow], ignore_index=True)
    rec["became_surplus"] = rec["became_surplus"].astype(int)
    rec["share"] = np.where(rec["projected_deficits"] > 0,
                            rec["became_surplus"] / rec["projected_deficits"].where(rec["projected_deficits"] > 0, 1),
                            np.nan)
    cols = [*HISTORY_COLUMNS, "horizon", "error", "relative_error", "closed"]
    extra = [c for c in h.columns if c not in cols]
    return ForecastErrors(errors=h[cols + extra], by_horizon=by, deficits=rec)
