"""The pricing engine: pay paths as (rows x periods) arrays, then the ledger.

``price(scenarios, district)`` projects the status quo from the district's base year,
applies each scenario's proposals in effective-date order to every employee at once, and
books each proposal's marginal cost by fiscal year, unit, classification, component and
kind. The conventions are stated in ``docs/engine.md``; in short:

* Time is cut into *periods*: every fiscal year of the horizon, split at each effective
  date that falls inside it. A period of ``m`` months weighs ``m / 12`` of a year.
* A row's pay in a period is ``weight x people x rate x hours x days`` (hourly) or
  ``weight x people x fte x rate`` (salaried); a fiscal year's pay is the sum of its
  periods. ``people`` is ``count``, times a cohort weight when turnover is modelled.
* A pay change rewrites the rate (or hours) of the selected rows in every period from its
  effective date on, so later changes compound on it; its cost is the change in pay.
* Statutory benefits are charged on each change at the rates of the fiscal year paid.

No Python loop runs over employees: loops run over scenarios, proposals, fiscal years
and row chunks (to bound memory), never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import fiscal_year_label, fiscal_year_of, months_into_fiscal_year, parse_fiscal_year
from .district import District
from .proposals.base import CostProposal
from .proposals.pay import Bonus, Floor, Hours, PayProposal, Raise, Stipend
from .proposals.selectors import select
from .rates import RatesError
from .scenario import Scenario
from .schedules import StepPlacement, cohort_weights
from .workforce import PRICING_COLUMNS

__all__ = [
    "COMPONENTS",
    "KINDS",
    "LEDGER_COLUMNS",
    "STATUS_QUO",
    "PricingError",
    "PricingOptions",
    "price",
]

LEDGER_COLUMNS = [
    "scenario",
    "proposal",
    "fiscal_year",
    "unit",
    "classification",
    "component",
    "kind",
    "amount",
    "fte",
]
COMPONENTS = ("salary", "step_column", "other_compensation", "statutory_benefits", "health_welfare", "program")
KINDS = ("ongoing", "one_time")
STATUS_QUO = "status quo"
STEP_PROPOSAL = "step and column"
_SYSTEMS = ("STRS", "PERS", "none")


class PricingError(ValueError):
    """A scenario that cannot be priced against this district (with the reason)."""


@dataclass(frozen=True)
class PricingOptions:
    """Settings of a pricing run.

    * ``turnover``: share of scheduled employees replaced at the lowest step each July 1
      (0 = no turnover).
    * ``oasdi_systems``: retirement systems whose members pay Social Security (default
      CalPERS members only; CalSTRS replaces it).
    * ``one_time_pensionable_strs`` (default true: CalSTRS credits one-time pay to the
      Defined Benefit Supplement at the employer rate) and ``one_time_pensionable_pers``
      (default false: CalPERS does not count one-time pay).
    * ``step_movement``: status-quo step movement on (default) or off.
    * ``merge_identical_rows``: price rows identical in every column pricing reads once,
      their counts added (default; the result is the same, only faster).
    * ``chunk_rows``: workforce rows priced at once (memory bound).
    """

    turnover: float = 0.0
    oasdi_systems: tuple[str, ...] = ("PERS",)
    one_time_pensionable_strs: bool = True
    one_time_pensionable_pers: bool = False
    step_movement: bool = True
    merge_identical_rows: bool = True
    chunk_rows: int = 200_000

    def __post_init__(self) -> None:
        if not 0 <= float(self.turnover) < 1:
            raise PricingError(f"turnover must be at least 0 and below 1, got {self.turnover}")
        object.__setattr__(self, "oasdi_systems", tuple(self.oasdi_systems))
        bad = [s for s in self.oasdi_systems if s not in _SYSTEMS]
        if bad:
            raise PricingError(f"oasdi_systems: unknown retirement system(s) {bad}; expected {_SYSTEMS}")
        if int(self.chunk_rows) < 1:
            raise PricingError("chunk_rows must be at least 1")


# ---------------------------------------------------------------------------- calendar
@dataclass(frozen=True)
class _Timeline:
    """Fiscal years of the horizon and the periods they are cut into."""

    base: int  # base fiscal year (starting calendar year)
    years: int  # fiscal years in the horizon, base + 1 ... base + years
    bounds: np.ndarray  # period boundaries in months from July 1 of base + 1

    @property
    def labels(self) -> list[str]:
        return [fiscal_year_label(self.base + 1 + t) for t in range(self.years)]

    @property
    def starts(self) -> np.ndarray:
        return self.bounds[:-1]

    @property
    def weight(self) -> np.ndarray:
        """Share of a year in each period (months / 12)."""
        return np.diff(self.bounds) / 12.0

    @property
    def year(self) -> np.ndarray:
        """Horizon year index of each period."""
        return self.starts // 12

    @property
    def year_first_period(self) -> np.ndarray:
        return np.searchsorted(self.starts, np.arange(self.years) * 12)

    def month(self, day: dt.date) -> int:
        """Months from July 1 of base + 1 to ``day``."""
        return (fiscal_year_of(day) - self.base - 1) * 12 + months_into_fiscal_year(day)

    def period_of(self, day: dt.date) -> int:
        """First period on or after ``day`` (``n_periods`` if after the horizon)."""
        m = self.month(day)
        return int(np.searchsorted(self.starts, max(m, 0), side="left"))


def _timeline(base: int, years: int, dates: Iterable[dt.date]) -> _Timeline:
    months = {12 * t for t in range(years + 1)}
    end = 12 * years
    for d in dates:
        m = (fiscal_year_of(d) - base - 1) * 12 + months_into_fiscal_year(d)
        if 0 < m < end:
            months.add(m)
    return _Timeline(base, years, np.array(sorted(months), dtype=np.int64))


# ---------------------------------------------------------------------------- checks
def _as_list(scenarios: Scenario | Sequence[Scenario]) -> list[Scenario]:
    if isinstance(scenarios, Scenario):
        return [scenarios]
    out = list(scenarios)
    for s in out:
        if not isinstance(s, Scenario):
            raise PricingError(f"expected Scenario objects, got {type(s).__name__}")
    names = [s.name for s in out]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise PricingError(f"scenario names must be unique within one pricing run; repeated: {', '.join(dups)}")
    return out


def _effective(p: PayProposal) -> dt.date | None:
    return getattr(p, "effective", None)


def _check_scenario(s: Scenario, district: District, masks: dict, hours_known: np.ndarray, hourly: np.ndarray) -> None:
    base = parse_fiscal_year(district.base_year)
    start = parse_fiscal_year(s.start)
    wf = district.workforce
    if start <= base:
        raise PricingError(
            f"scenario {s.name!r} starts in {s.start}, but the workforce describes pay in the base "
            f"year {district.base_year}; a scenario must start after the base year (price it "
            "against a workforce for an earlier base year)"
        )
    first_day = dt.date(start, 7, 1)
    problems = [f"scenario {s.name!r}, {p.kind_name} {p.name!r}: {msg}"
                for p in s.proposals if isinstance(p, CostProposal) for msg in p.check(district, s.fiscal_years)]
    if problems:
        raise PricingError("\n".join(problems))
    for p in _pay(s):
        where = f"scenario {s.name!r}, {p.kind_name} {p.name!r}"
        eff = _effective(p)
        if eff is not None and eff < first_day:
            raise PricingError(f"{where}: effective {eff.isoformat()} is before the scenario's first fiscal year {s.start} (July 1, {start})")
        if isinstance(p, Bonus) and p.fiscal_year not in s.fiscal_years:
            raise PricingError(f"{where}: fiscal_year {p.fiscal_year} is outside the scenario's years {s.start} to {s.end}")
        mask = masks[(s.name, p.name)]
        if not mask.any():
            raise PricingError(f"{where}: selects no employees ({_describe(p)}); check the unit and classification names")
        needs_hours = False
        if isinstance(p, Raise) and p.per_hour != 0:
            needs_hours = True
        if isinstance(p, Floor) and p.hourly_rate is not None:
            needs_hours = True
        if needs_hours:
            bad = np.flatnonzero(mask & ~hourly & ~hours_known)
            if len(bad):
                rows = ", ".join(str(i + 2) for i in bad[:10]) + (" ..." if len(bad) > 10 else "")
                raise PricingError(
                    f"{where}: converts dollars per hour for salaried rows without hours_per_day and "
                    f"days_per_year (workforce rows {rows}); add their hours or narrow the selector"
                )
        if isinstance(p, Raise) and p.per_year != 0 or isinstance(p, Floor) and p.annual_salary is not None:
            bad = np.flatnonzero(mask & hourly & ~hours_known)
            if len(bad):
                rows = ", ".join(str(i + 2) for i in bad[:10])
                raise PricingError(f"{where}: hourly rows {rows} lack hours to convert dollars per year")
        if isinstance(p, Hours):
            bad = np.flatnonzero(mask & ~hourly)
            if len(bad):
                rows = ", ".join(str(i + 2) for i in bad[:10]) + (" ..." if len(bad) > 10 else "")
                raise PricingError(
                    f"{where}: hours changes apply to hourly employees only, but the selector also "
                    f"picks salaried rows ({rows}); add where = {{pay_basis = \"hourly\"}}"
                )
            if p.add_hours is not None and p.add_hours < 0:
                h = wf["hours_per_day"].to_numpy(float)
                low = np.flatnonzero(mask & (h + p.add_hours <= 0))
                if len(low):
                    raise PricingError(f"{where}: add_hours {p.add_hours} leaves rows {', '.join(str(i + 2) for i in low[:10])} with no hours")


def _pay(s: Scenario) -> list[PayProposal]:
    """A scenario's pay proposals (the ones the engine's arrays price)."""
    return [p for p in s.proposals if isinstance(p, PayProposal)]


def _cost_proposal_rows(s: Scenario, p: CostProposal, district: District, options: PricingOptions) -> pd.DataFrame:
    """Ledger rows of a proposal that prices itself, checked against the ledger's contract."""
    rows = p.cost_rows(district, s.fiscal_years, options)
    where = f"scenario {s.name!r}, {p.kind_name} {p.name!r}"
    need = ["fiscal_year", "unit", "classification", "component", "kind", "amount", "fte"]
    missing = [c for c in need if c not in rows.columns]
    if missing:
        raise PricingError(f"{where}: its cost rows lack column(s) {', '.join(missing)}")
    bad = rows[~rows["component"].isin(COMPONENTS) | ~rows["kind"].isin(KINDS)
               | ~rows["fiscal_year"].isin(s.fiscal_years)]
    if len(bad):
        raise PricingError(f"{where}: cost rows outside the ledger's contract:\n{bad.head().to_string()}")
    out = rows[need].copy()
    out.insert(0, "proposal", p.name)
    out.insert(0, "scenario", s.name)
    out["amount"] = out["amount"].astype(float)
    out["fte"] = out["fte"].astype(float)
    return out[LEDGER_COLUMNS]


def _describe(p: PayProposal) -> str:
    parts = []
    if p.units:
        parts.append(f"units={list(p.units)}")
    if p.classifications:
        parts.append(f"classifications={list(p.classifications)}")
    for col, vals in p.where:
        parts.append(f"{col}={list(vals)}")
    return ", ".join(parts) or "everyone"

# ---------------------------------------------------------------------------- rows
@dataclass
class _Rows:
    """Virtual rows of one chunk: workforce rows (expanded into turnover cohorts when
    turnover is modelled), sorted by (unit, classification) group.

    Arrays are (V,) per row, (V x Y) per fiscal year or (V x P) per period.
    """

    parent: np.ndarray  # workforce row index
    group: np.ndarray  # (unit, classification) group code, sorted
    hourly: np.ndarray
    fte: np.ndarray
    days: np.ndarray
    hours0: np.ndarray  # hours per day (0 where unknown)
    ann_hours: np.ndarray  # hours x days, NaN where unknown
    count: np.ndarray  # the workforce row's count
    original: np.ndarray  # the row's own employees, not a turnover replacement cohort
    base_pp: np.ndarray  # base-year annual pay per employee
    people: np.ndarray  # (V x Y) employees the row stands for in each fiscal year
    sq_rate: np.ndarray  # (V x P) status-quo rate
    system: np.ndarray  # 0 STRS, 1 PERS, 2 none
    eligible0: np.ndarray  # health-eligible in the base year
    moving: np.ndarray  # on a schedule below its top step
    covered: np.ndarray  # pays Social Security


def _build_rows(wf: pd.DataFrame, idx: np.ndarray, place: StepPlacement, group: np.ndarray,
                tl: _Timeline, options: PricingOptions, thr_base: float) -> _Rows:
    n = len(idx)
    Y = tl.years
    hourly = wf["pay_basis"].to_numpy()[idx] == "hourly"
    base_rate = np.where(hourly, wf["hourly_rate"].to_numpy(float)[idx], wf["annual_salary"].to_numpy(float)[idx])
    on = place.on_schedule[idx]
    pos = place.position[idx]
    length = place.length[idx]
    offset = place.offset[idx]
    k = np.arange(1, Y + 1)  # moves made by fiscal year base + 1 + t
    moves = k if options.step_movement else np.zeros(Y, dtype=np.int64)

    def cell(position: np.ndarray, r: np.ndarray) -> np.ndarray:
        p = np.minimum(position, length[r, None] - 1)
        return place.values[offset[r, None] + p]

    year_rate = np.repeat(base_rate[:, None], Y, axis=1)
    r_on = np.flatnonzero(on)
    if len(r_on):
        year_rate[r_on] = cell(pos[r_on, None] + moves[None, :], r_on)
    weights = np.ones((n, Y))
    parts_parent, parts_rate, parts_weight = [np.arange(n)], [year_rate], [weights]
    tau = float(options.turnover)
    if tau > 0 and len(r_on):
        w = [cohort_weights(tau, int(kk)) for kk in k]
        weights[r_on] = np.array([wk[0] for wk in w])[None, :]
        for j in range(1, Y + 1):  # hired July 1 of base + j at the lowest step
            wj = np.array([w[t][j] if j <= t + 1 else 0.0 for t in range(Y)])
            posj = np.maximum(k - j, 0) if options.step_movement else np.zeros(Y, dtype=np.int64)
            parts_parent.append(r_on)
            parts_rate.append(cell(np.broadcast_to(posj, (len(r_on), Y)), r_on))
            parts_weight.append(np.broadcast_to(wj, (len(r_on), Y)))
    par = np.concatenate(parts_parent)
    original = np.zeros(len(par), dtype=bool)
    original[:n] = True
    order = np.argsort(group[idx[par]], kind="stable")
    par, original = par[order], original[order]
    year_rate = np.vstack(parts_rate)[order]
    wgt = np.vstack(parts_weight)[order]
    rows = idx[par]
    count = wf["count"].to_numpy(float)[rows]
    hours0 = wf["hours_per_day"].to_numpy(float)[rows]
    days = wf["days_per_year"].to_numpy(float)[rows]
    fte = wf["fte"].to_numpy(float)[rows]
    hr = hourly[par]
    system = pd.Categorical(wf["retirement"].to_numpy()[rows], categories=list(_SYSTEMS)).codes.astype(np.int64)
    if "health_eligible" in wf.columns:
        he = wf["health_eligible"].to_numpy()[rows]
        explicit = ~pd.isna(he)
        given = np.where(explicit, he, False).astype(bool)
    else:
        explicit = np.zeros(len(rows), bool)
        given = explicit
    # salaried staff are eligible unless their (full-time) hours x FTE fall short or the
    # health_eligible column says otherwise; hourly staff by their hours per day
    with np.errstate(invalid="ignore"):
        by_hours = np.where(hr, hours0 >= thr_base, np.isnan(hours0) | (fte * hours0 >= thr_base))
    b_rate = base_rate[par]
    covered = np.isin(system, [_SYSTEMS.index(s) for s in options.oasdi_systems])
    return _Rows(
        parent=rows,
        group=group[rows],
        hourly=hr,
        fte=fte,
        days=days,
        hours0=np.nan_to_num(hours0),
        ann_hours=hours0 * days,
        count=count,
        original=original,
        base_pp=np.where(hr, b_rate * np.nan_to_num(hours0 * days), fte * b_rate),
        people=count[:, None] * wgt,
        sq_rate=year_rate[:, tl.year],
        system=system,
        eligible0=np.where(explicit, given, by_hours),
        moving=on[par] & (pos[par] < length[par] - 1),
        covered=covered,
    )


# ---------------------------------------------------------------------------- money
@dataclass(frozen=True)
class _YearRates:
    pension: np.ndarray  # (3 systems x Y)
    oasdi: np.ndarray  # (Y,)
    wage_base: np.ndarray  # (Y,)
    mcw: np.ndarray  # medicare + sui + workers' comp (Y,)
    premium: np.ndarray  # (Y,)
    threshold: np.ndarray  # (Y,)


def _year_rates(district: District, labels: list[str]) -> _YearRates:
    r = district.rates
    return _YearRates(
        pension=np.vstack([r.series("calstrs_employer", labels), r.series("calpers_employer", labels), np.zeros(len(labels))]),
        oasdi=r.series("oasdi", labels),
        wage_base=r.series("oasdi_wage_base", labels),
        mcw=r.series("medicare", labels) + r.series("sui", labels) + r.series("workers_comp", labels),
        premium=r.series("health_premium", labels),
        threshold=r.series("health_eligibility_hours", labels),
    )


def _base_year_rates(district: District, horizon: _YearRates) -> _YearRates:
    """Rates of the base year, for the status quo's "cost before the agreement".

    Nothing is paid in the base year, so rates need not cover it: a parameter without a
    base-year value gives NaN there (the base-year levels then show as not available,
    never as zero), and the health-eligibility threshold falls back to the first priced
    year's.
    """
    r = district.rates
    label = [district.base_year]

    def get(name: str) -> np.ndarray:
        try:
            return r.series(name, label)
        except RatesError:
            return np.array([np.nan])

    threshold = get("health_eligibility_hours")
    if np.isnan(threshold[0]):
        threshold = horizon.threshold[:1]
    return _YearRates(
        pension=np.vstack([get("calstrs_employer"), get("calpers_employer"), np.zeros(1)]),
        oasdi=get("oasdi"),
        wage_base=get("oasdi_wage_base"),
        mcw=get("medicare") + get("sui") + get("workers_comp"),
        premium=get("health_premium"),
        threshold=threshold,
    )


class _Statutory:
    """Per-row statutory rates of one chunk, by fiscal year (arrays V x Y).

    Below the Social Security wage base every rate is linear in pay: ``pension + OASDI
    (covered members) + Medicare + SUI + workers' comp``. The wage base is applied as a
    correction on the few (row, year) cells where pay per employee exceeds it.
    """

    def __init__(self, rows: _Rows, yr: _YearRates, one_time_pension: np.ndarray):
        self.rows = rows
        self.yr = yr
        self.one_time_pension = one_time_pension
        self._lin: dict[str, np.ndarray] = {}
        self.covered = rows.covered
        self.wbp = yr.wage_base[None, :] * rows.people  # wage base x employees

    def lin(self, kind: str) -> np.ndarray:
        """``ongoing``: every part; ``no_pension``: without the pension rate (pay not
        pensionable); ``one_time``: pension only where one-time pay is pensionable."""
        if kind not in self._lin:
            sysc = self.rows.system
            pension = self.yr.pension[sysc]
            if kind == "no_pension":
                pension = 0.0
            elif kind == "one_time":
                pension = pension * self.one_time_pension[sysc][:, None]
            oasdi = self.covered[:, None] * self.yr.oasdi[None, :]
            self._lin[kind] = pension + oasdi + self.yr.mcw[None, :]
        return self._lin[kind]

    def cost(self, sel, y0: int, d: np.ndarray, total_before: np.ndarray, kind: str = "ongoing") -> np.ndarray:
        """Statutory cost of a pay change ``d`` on rows ``sel`` in fiscal years ``y0..``.

        ``rate x d``, where OASDI on a covered member's change is instead
        ``oasdi x (min(T1, WB x n) - min(T0, WB x n))`` (``T0``, ``T1``: the row's pay of
        every kind before and after; ``n`` employees; the same as per employee
        ``n x (min(T1/n, WB) - min(T0/n, WB))``).
        """
        ys = slice(y0, y0 + d.shape[1])
        out = self.lin(kind)[sel, ys] * d
        if not self.covered[sel].any():
            return out
        wbp = self.wbp[sel, ys]
        t1 = total_before + d
        over = (np.maximum(total_before, t1) > wbp) & self.covered[sel][:, None]
        if over.any():
            r, c = np.nonzero(over)
            t0o, t1o, wo = total_before[r, c], t1[r, c], wbp[r, c]
            capped = np.minimum(t1o, wo) - np.minimum(t0o, wo)
            out[r, c] += self.yr.oasdi[y0 + c] * (capped - d[r, c])
        return out


def _fy_from(per_period: np.ndarray, tl: _Timeline, p0: int) -> tuple[int, np.ndarray]:
    """Fiscal-year sums of per-period values that start at period ``p0``."""
    y0 = int(tl.year[p0])
    firsts = tl.year_first_period[y0:] - p0
    firsts[0] = 0
    return y0, np.add.reduceat(per_period, firsts, axis=1)


def _units(rows: _Rows, sel, hours: np.ndarray, tl: _Timeline, p0: int) -> np.ndarray:
    """Dollars of pay per dollar of rate, per period from ``p0``:
    ``weight x people x hours x days`` (hourly) or ``weight x people x fte`` (salaried)."""
    ps = slice(p0, None)
    people = rows.people[sel][:, tl.year[ps]]
    mult = np.where(rows.hourly[sel][:, None], hours * rows.days[sel][:, None], rows.fte[sel][:, None])
    return tl.weight[ps][None, :] * people * mult


# ---------------------------------------------------------------------------- accumulate
class _Accumulator:
    """Sums of (groups x years) amounts and FTE per ledger record, across row chunks."""

    def __init__(self, n_groups: int, years: int):
        self.G = n_groups
        self.Y = years
        self.amount: dict[tuple, np.ndarray] = {}
        self.fte: dict[tuple, np.ndarray] = {}
        self.touched: dict[tuple, np.ndarray] = {}
        self.order: list[tuple] = []

    def key(self, key: tuple) -> None:
        if key not in self.amount:
            self.amount[key] = np.zeros((self.G, self.Y))
            self.fte[key] = np.zeros((self.G, self.Y))
            self.touched[key] = np.zeros(self.G, bool)
            self.order.append(key)

    @staticmethod
    def _group_sums(groups: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sums of ``values`` rows over runs of equal (sorted) ``groups``."""
        starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
        return groups[starts], np.add.reduceat(values, starts, axis=0)

    def add(self, key: tuple, groups: np.ndarray, y0: int, values: np.ndarray, target: str = "amount") -> None:
        self.key(key)
        if values.size == 0:
            return
        g, sums = self._group_sums(groups, values)
        getattr(self, target)[key][g, y0:y0 + values.shape[1]] += sums

    def touch(self, key: tuple, groups: np.ndarray) -> None:
        self.key(key)
        self.touched[key][groups] = True


# ---------------------------------------------------------------------------- price
def price(
    scenarios: Scenario | Sequence[Scenario],
    district: District,
    options: PricingOptions | None = None,
):
    """Price one or more scenarios against a district; returns a :class:`~costing.costing.Costing`.

    The ledger has one row per scenario, proposal, fiscal year, unit, classification,
    component and kind, with ``amount`` (dollars in that fiscal year, incremental over
    the status quo) and ``fte``; the status quo's own step-and-column movement is booked
    under scenario ``"status quo"``. See ``docs/engine.md`` for every convention.
    """
    if getattr(district, "is_statewide", False):  # a costing.statewide collection: every district, on Dask
        from .statewide import price_statewide

        return price_statewide(scenarios, district, options=options)
    from .costing import Costing

    options = options or PricingOptions()
    scen = _as_list(scenarios)
    wf = district.workforce
    base = parse_fiscal_year(district.base_year)
    last = max([parse_fiscal_year(s.end) for s in scen], default=base + 1)
    Y = max(last - base, 1)
    dates = [d for s in scen for p in _pay(s) if (d := _effective(p)) is not None]
    tl = _timeline(base, Y, dates)
    labels = tl.labels

    hourly_all = (wf["pay_basis"] == "hourly").to_numpy()
    hours_known = ~np.isnan(wf["hours_per_day"].to_numpy(float) * wf["days_per_year"].to_numpy(float))
    masks = {(s.name, p.name): select(wf, p.units, p.classifications, p.where, district.factorized)
             for s in scen for p in _pay(s)}
    for s in scen:
        _check_scenario(s, district, masks, hours_known, hourly_all)

    codes, group_index = _group_codes(district)
    G = len(group_index)
    yr = _year_rates(district, labels)
    base_rates = _base_year_rates(district, yr)
    one_time_pension = np.array([float(options.one_time_pensionable_strs), float(options.one_time_pensionable_pers), 0.0])
    place = district.placement()

    # price identical rows once: rows equal in every column that pricing reads (and in
    # every column a selector reads) are one row with their counts added
    selector_cols = sorted({c for s in scen for p in _pay(s) for c, _ in p.where})
    if options.merge_identical_rows:
        first, inverse = _identical_rows(district, place, selector_cols)
    else:
        first = inverse = np.arange(len(wf))
    compact = _compact(wf, first, inverse)
    cplace = StepPlacement(place.on_schedule[first], place.offset[first], place.length[first],
                           place.position[first], place.values)
    cmasks = {k: m[first] for k, m in masks.items()}
    ccodes = codes[first]

    acc = _Accumulator(G, Y)
    levels = _Accumulator(G, Y + 1)  # status-quo levels: base year, then the horizon
    for s in scen:  # every record exists even if a chunk leaves it empty
        for p in _pay(s):
            for key in _keys(s, p):
                acc.key(key)
    n = len(compact)
    step = int(options.chunk_rows)
    for lo in range(0, n, step):
        idx = np.arange(lo, min(n, lo + step))
        rows = _build_rows(compact, idx, cplace, ccodes, tl, options, float(base_rates.threshold[0]))
        _price_chunk(rows, scen, cmasks, tl, yr, base_rates, one_time_pension, acc, levels)

    extra = [_cost_proposal_rows(s, p, district, options) for s in scen for p in s.proposals
             if isinstance(p, CostProposal)]
    details = {(s.name, p.name): dt_ for s in scen for p in s.proposals
               if isinstance(p, CostProposal) and (dt_ := p.detail(district, s.fiscal_years, options)) is not None}
    return Costing.from_parts(
        extra_rows=extra,
        details=details,
        scenarios=scen,
        district=district,
        options=options,
        labels=labels,
        group_index=group_index,
        acc=acc,
        levels=levels,
        rows_per_group=np.bincount(codes, minlength=G),
    )


def _group_codes(district: District) -> tuple[np.ndarray, pd.MultiIndex]:
    """Code of each row's (unit, classification) group, groups sorted by name."""
    wf = district.workforce
    u = district.codes("unit")
    c = district.codes("classification")
    pair = u * (c.max() + 1 if len(c) else 1) + c
    uniq, codes = np.unique(pair, return_inverse=True)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    index = pd.MultiIndex.from_arrays(
        [wf["unit"].to_numpy()[first].astype(str), wf["classification"].to_numpy()[first].astype(str)],
        names=["unit", "classification"],
    )
    order = np.lexsort((index.get_level_values(1), index.get_level_values(0)))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes].astype(np.int64), index[order]


def _identical_rows(district: District, place: StepPlacement, extra: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(first, inverse)``: the first row of each set of rows identical for pricing, and
    each row's set. Integer codes of the columns are combined without a row loop."""
    wf = district.workforce
    parts = [district.codes(c) for c in (*PRICING_COLUMNS, *extra) if c in wf.columns]
    parts += [place.on_schedule.astype(np.int64), place.offset, place.position]
    key = np.zeros(len(wf), dtype=np.int64)
    bound = 1
    for c in parts:
        width = int(c.max()) + 2 if len(c) else 1
        if bound * width >= 2**62:
            key = pd.factorize(key)[0].astype(np.int64)
            bound = int(key.max()) + 1
        key = key * width + (c + 1)
        bound *= width
    inverse, uniques = pd.factorize(key)
    first = np.zeros(len(uniques), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    return first, np.asarray(inverse, dtype=np.int64)


def _compact(wf: pd.DataFrame, first: np.ndarray, inverse: np.ndarray) -> pd.DataFrame:
    """One row per set of identical rows, its count the sum of theirs."""
    cols = [c for c in PRICING_COLUMNS if c in wf.columns]
    out = wf[cols].iloc[first].reset_index(drop=True)
    out["count"] = np.bincount(inverse, weights=wf["count"].to_numpy(float), minlength=len(first))
    return out


def _selection(mask: np.ndarray):
    """Row selector: a slice when every row is selected (no copies), else indices."""
    return slice(None) if mask.all() else np.flatnonzero(mask)


def _price_chunk(rows: _Rows, scen: list[Scenario], masks: dict, tl: _Timeline, yr: _YearRates,
                 base_rates: _YearRates, one_time_pension: np.ndarray,
                 acc: _Accumulator, levels: _Accumulator) -> None:
    V = len(rows.parent)
    P = len(tl.starts)
    everyone = slice(None)
    stat = _Statutory(rows, yr, one_time_pension)
    hours_sq = np.repeat(rows.hours0[:, None], P, axis=1)
    units_sq = _units(rows, everyone, hours_sq, tl, 0)
    sq_pay = _fy_from(units_sq * rows.sq_rate, tl, 0)[1]  # V x Y

    # step and column: status-quo pay minus the same employees paid at base-year rates
    base_year_pay = rows.base_pp[:, None] * rows.people
    d_step = sq_pay - base_year_pay
    changed = rows.moving | (d_step != 0).any(axis=1)
    if changed.any():
        c = np.flatnonzero(changed)
        key, skey = _STEP_KEYS
        acc.add(key, rows.group[c], 0, d_step[c])
        acc.add(skey, rows.group[c], 0, stat.cost(c, 0, d_step[c], base_year_pay[c]))
        mov = np.flatnonzero(rows.moving & rows.original)
        acc.add(key, rows.group[mov], 0, np.repeat((rows.count * rows.fte)[mov, None], tl.years, axis=1), "fte")
        acc.touch(key, rows.group[c])
        acc.touch(skey, rows.group[c])
    _levels(rows, levels, sq_pay, base_rates, yr)

    for s in scen:
        rate = rows.sq_rate.copy()
        hours = hours_sq.copy()
        units = units_sq.copy()
        ratepay = sq_pay.copy()
        total = sq_pay.copy()
        added = np.zeros((V, P), dtype=bool)
        for p in _by_date(s.proposals):
            mask = masks[(s.name, p.name)][rows.parent]
            if not mask.any():
                continue
            sel = _selection(mask)
            g = rows.group[sel]
            prim, skey = _keys(s, p)[:2]
            acc.touch(prim, g)
            acc.touch(skey, g)
            p0 = tl.period_of(p.effective)
            if isinstance(p, Hours):
                acc.touch(_keys(s, p)[2], g)
            if p0 >= P:
                continue  # takes effect after the horizon
            y0 = int(tl.year[p0])
            acc.add(prim, g, y0, rows.people[sel][:, y0:] * rows.fte[sel][:, None], "fte")
            if isinstance(p, Stipend):
                share = np.bincount(tl.year[p0:], weights=tl.weight[p0:], minlength=tl.years)[y0:]
                per = p.amount * (rows.fte[sel] if p.prorate_fte else np.ones(len(g)))
                d = per[:, None] * rows.people[sel][:, y0:] * share[None, :]
                st = stat.cost(sel, y0, d, total[sel, y0:], "ongoing" if p.pensionable else "no_pension")
                total[sel, y0:] += d
                acc.add(prim, g, y0, d)
                acc.add(skey, g, y0, st)
                continue
            if isinstance(p, Hours):
                h_old = hours[sel, p0:]
                h_new = np.full_like(h_old, p.set_hours) if p.set_hours is not None else h_old + p.add_hours
                u_new = _units(rows, sel, h_new, tl, p0)
                per_period = rate[sel, p0:] * (u_new - units[sel, p0:])
                thr = yr.threshold[tl.year[p0:]][None, :]
                newly = ~rows.eligible0[sel][:, None] & ~added[sel, p0:] & (h_new >= thr) & (h_old < thr)
                # h_old may be a view of ``hours``: every use of it comes before this write
                hours[sel, p0:] = h_new
                units[sel, p0:] = u_new
                if newly.any():
                    added[sel, p0:] |= newly
                    prem = tl.weight[p0:] * yr.premium[tl.year[p0:]]
                    hw = newly * rows.people[sel][:, tl.year[p0:]] * prem[None, :]
                    acc.add(_keys(s, p)[2], g, *_fy_from(hw, tl, p0))
            else:
                r_old = rate[sel, p0:]  # a view when every row is selected: read before the write
                r_new = _apply_raise(p, r_old, hours[sel, p0:], rows, sel) if isinstance(p, Raise) else _apply_floor(p, r_old, hours[sel, p0:], rows, sel)
                per_period = units[sel, p0:] * (r_new - r_old)
                rate[sel, p0:] = r_new
            yy, d = _fy_from(per_period, tl, p0)
            st = stat.cost(sel, yy, d, total[sel, yy:])
            ratepay[sel, yy:] += d
            total[sel, yy:] += d
            acc.add(prim, g, yy, d)
            acc.add(skey, g, yy, st)
        for p in _pay(s):
            if not isinstance(p, Bonus):
                continue
            mask = masks[(s.name, p.name)][rows.parent]
            if not mask.any():
                continue
            sel = _selection(mask)
            g = rows.group[sel]
            prim, skey = _keys(s, p)[:2]
            acc.touch(prim, g)
            acc.touch(skey, g)
            yb = parse_fiscal_year(p.fiscal_year) - tl.base - 1
            people = rows.people[sel][:, yb]
            if p.percent is not None:
                d = p.percent * ratepay[sel, yb]
            else:
                d = p.amount * people * (rows.fte[sel] if p.prorate_fte else 1.0)
            d = d[:, None]
            st = stat.cost(sel, yb, d, total[sel, yb:yb + 1], "one_time")
            total[sel, yb] += d[:, 0]
            acc.add(prim, g, yb, d)
            acc.add(skey, g, yb, st)
            acc.add(prim, g, yb, (people * rows.fte[sel])[:, None], "fte")


_STEP_KEYS = (
    (STATUS_QUO, STEP_PROPOSAL, "step_column", "ongoing"),
    (STATUS_QUO, STEP_PROPOSAL, "statutory_benefits", "ongoing"),
)


def _by_date(proposals: Sequence[PayProposal]) -> list[PayProposal]:
    """Raise, floor, hours and stipend proposals by effective date; on the same date in the
    scenario's canonical order (raise, floor, hours, stipend; listed order within a kind)."""
    items = [(p.effective, i, p) for i, p in enumerate(proposals)
             if isinstance(p, PayProposal) and not isinstance(p, Bonus)]
    return [p for _, _, p in sorted(items, key=lambda x: (x[0], x[1]))]


def _keys(s: Scenario, p: PayProposal) -> tuple[tuple, ...]:
    """Ledger records of a proposal: primary component, statutory benefits (, health)."""
    if isinstance(p, Bonus):
        return (s.name, p.name, "other_compensation", "one_time"), (s.name, p.name, "statutory_benefits", "one_time")
    if isinstance(p, Stipend):
        return (s.name, p.name, "other_compensation", "ongoing"), (s.name, p.name, "statutory_benefits", "ongoing")
    if isinstance(p, Hours):
        return ((s.name, p.name, "salary", "ongoing"), (s.name, p.name, "statutory_benefits", "ongoing"),
                (s.name, p.name, "health_welfare", "ongoing"))
    return (s.name, p.name, "salary", "ongoing"), (s.name, p.name, "statutory_benefits", "ongoing")


def _conversions(rows: _Rows, sel, hours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Factors turning $/hour (``H``) and $/year (``Yf``) into each row's own basis."""
    hr = rows.hourly[sel][:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        H = np.where(hr, 1.0, rows.ann_hours[sel][:, None])
        Yf = np.where(hr, 1.0 / (hours * rows.days[sel][:, None]), 1.0)
    return H, Yf


def _apply_raise(p: Raise, r: np.ndarray, h: np.ndarray, rows: _Rows, sel) -> np.ndarray:
    """``rate + combine(percent x rate, per_hour x H + per_year x Y)``."""
    pct = p.percent * r
    if not p.per_hour and not p.per_year:
        flat = np.zeros_like(r)
    else:
        H, Yf = _conversions(rows, sel, h)
        flat = (p.per_hour * H if p.per_hour else 0.0) + (p.per_year * Yf if p.per_year else 0.0)
        flat = np.broadcast_to(flat, r.shape)
    if p.rule == "sum":
        return r + pct + flat
    if p.rule == "greater":
        return r + np.maximum(pct, flat)
    return r + np.minimum(pct, flat)


def _apply_floor(p: Floor, r: np.ndarray, h: np.ndarray, rows: _Rows, sel) -> np.ndarray:
    """``max(rate, floor)``, the floor converted to each row's basis."""
    H, Yf = _conversions(rows, sel, h)
    f = p.hourly_rate * H if p.hourly_rate is not None else p.annual_salary * Yf
    return np.maximum(r, f)


def _levels(rows: _Rows, levels: _Accumulator, sq_pay: np.ndarray, base_rates: _YearRates, yr: _YearRates) -> None:
    """Status-quo levels by group, base year (column 0) then each horizon year: salary,
    statutory benefits, health premiums of enrollees, FTE, headcount, enrollees."""
    own = np.where(rows.original, rows.count, 0.0)
    people = np.hstack([own[:, None], rows.people])
    pay = np.hstack([(rows.base_pp * own)[:, None], sq_pay])
    pension = np.hstack([base_rates.pension, yr.pension])[rows.system]
    oasdi = np.concatenate([base_rates.oasdi, yr.oasdi])
    wage_base = np.concatenate([base_rates.wage_base, yr.wage_base])
    mcw = np.concatenate([base_rates.mcw, yr.mcw])
    premium = np.concatenate([base_rates.premium, yr.premium])
    with np.errstate(divide="ignore", invalid="ignore"):
        per_person = np.where(people > 0, np.minimum(pay / people, wage_base[None, :]), 0.0)
    stat = pension * pay + mcw[None, :] * pay + rows.covered[:, None] * oasdi[None, :] * people * per_person
    enrollees = rows.eligible0[:, None] * people
    g = rows.group
    levels.add(("levels", "salary"), g, 0, pay)
    levels.add(("levels", "statutory_benefits"), g, 0, stat)
    levels.add(("levels", "health_welfare"), g, 0, enrollees * premium[None, :])
    levels.add(("levels", "fte"), g, 0, people * rows.fte[:, None])
    levels.add(("levels", "headcount"), g, 0, people)
    levels.add(("levels", "health_enrollees"), g, 0, enrollees)
