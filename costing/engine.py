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
from .proposals.pay import Bonus, Floor, Hours, PayProposal, Raise, Stipend
from .proposals.selectors import select
from .scenario import Scenario
from .schedules import StepPlacement, cohort_weights, step_placement

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
COMPONENTS = ("salary", "step_column", "other_compensation", "statutory_benefits", "health_welfare")
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
    * ``chunk_rows``: workforce rows priced at once (memory bound).
    """

    turnover: float = 0.0
    oasdi_systems: tuple[str, ...] = ("PERS",)
    one_time_pensionable_strs: bool = True
    one_time_pensionable_pers: bool = False
    step_movement: bool = True
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


def _fy_sum(per_period: np.ndarray, tl: _Timeline) -> np.ndarray:
    """Sum a (rows x periods) array into (rows x fiscal years)."""
    return np.add.reduceat(per_period, tl.year_first_period, axis=1)


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
    for p in s.proposals:
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
    """Virtual rows of one chunk: workforce rows, expanded into turnover cohorts."""

    parent: np.ndarray  # workforce row index of each virtual row
    group: np.ndarray  # (unit, classification) group code
    hourly: np.ndarray
    fte: np.ndarray
    days: np.ndarray
    hours0: np.ndarray
    ann_hours: np.ndarray  # hours x days, NaN when unknown
    count: np.ndarray  # the workforce row's count
    original: np.ndarray  # the row's own employees (not a turnover replacement cohort)
    base_pp: np.ndarray  # base-year annual pay per employee (rate x hours x days, or fte x rate)
    people: np.ndarray  # (V x Y) employees the row stands for in each fiscal year
    sq_rate: np.ndarray  # (V x P) status-quo rate in each period
    base_rate: np.ndarray  # (V,) base-year rate
    system: np.ndarray  # 0 STRS, 1 PERS, 2 none
    eligible0: np.ndarray  # health-eligible at base
    explicit_elig: np.ndarray  # health_eligible given on the row
    moving: np.ndarray  # on a schedule below its top step


def _build_rows(wf: pd.DataFrame, idx: np.ndarray, place: StepPlacement, group: np.ndarray,
                tl: _Timeline, options: PricingOptions, thr_base: float) -> _Rows:
    n = len(idx)
    Y = tl.years
    P = len(tl.starts)
    hourly = (wf["pay_basis"].to_numpy()[idx] == "hourly")
    base_rate = np.where(hourly, wf["hourly_rate"].to_numpy(float)[idx], wf["annual_salary"].to_numpy(float)[idx])
    on = place.on_schedule[idx]
    pos = place.position[idx]
    length = place.length[idx]
    offset = place.offset[idx]
    k = np.arange(1, Y + 1)  # moves made by fiscal year base + 1 + t
    moves = k if options.step_movement else np.zeros(Y, dtype=np.int64)

    def cell(position: np.ndarray, rows: np.ndarray) -> np.ndarray:
        p = np.minimum(position, length[rows, None] - 1)
        return place.values[offset[rows, None] + p] if len(place.values) else np.zeros(p.shape)

    tau = float(options.turnover)
    expand = on & (tau > 0)
    # cohort 0: the employees there now
    year_rate = np.repeat(base_rate[:, None], Y, axis=1)
    if on.any():
        r_on = np.flatnonzero(on)
        year_rate[r_on] = cell(pos[r_on, None] + moves[None, :], r_on)
    weights0 = np.ones((n, Y))
    parents = [np.arange(n)]
    rates = [year_rate]
    weights = [weights0]
    if expand.any():
        r_ex = np.flatnonzero(expand)
        w = np.array([cohort_weights(tau, int(kk)) for kk in k], dtype=object)
        weights0[r_ex] = np.array([w_k[0] for w_k in w])[None, :]
        for j in range(1, Y + 1):
            # hired on July 1 of base + j, at the lowest step, moving each later July 1
            wj = np.array([w[t][j] if j <= t + 1 else 0.0 for t in range(Y)])
            posj = np.maximum(k - j, 0) if options.step_movement else np.zeros(Y, dtype=np.int64)
            parents.append(r_ex)
            rates.append(cell(np.broadcast_to(posj, (len(r_ex), Y)), r_ex))
            weights.append(np.broadcast_to(wj, (len(r_ex), Y)).copy())
    par = np.concatenate(parents)
    year_rate = np.vstack(rates)
    wgt = np.vstack(weights)
    rows = idx[par]
    count = wf["count"].to_numpy(float)[rows]
    hours0 = wf["hours_per_day"].to_numpy(float)[rows]
    days = wf["days_per_year"].to_numpy(float)[rows]
    system = pd.Categorical(wf["retirement"].to_numpy()[rows], categories=list(_SYSTEMS)).codes
    if "health_eligible" in wf.columns:
        he = wf["health_eligible"].to_numpy()[rows]
        explicit = np.array([v is not None and not (isinstance(v, float) and np.isnan(v)) for v in he]) if len(he) else np.zeros(0, bool)
        given = np.where(explicit, he, False).astype(bool)
    else:
        explicit = np.zeros(len(rows), bool)
        given = np.zeros(len(rows), bool)
    hr = hourly[par]
    fte = wf["fte"].to_numpy(float)[rows]
    by_hours = np.where(hr, hours0 >= thr_base, np.where(np.isnan(hours0), True, fte * hours0 >= thr_base))
    eligible0 = np.where(explicit, given, by_hours)
    original = np.zeros(len(par), dtype=bool)
    original[:n] = True
    b_rate = base_rate[par]
    base_pp = np.where(hr, b_rate * np.nan_to_num(hours0 * days), fte * b_rate)
    return _Rows(
        parent=rows,
        group=group[rows],
        hourly=hr,
        fte=fte,
        days=days,
        hours0=hours0,
        ann_hours=hours0 * days,
        count=count,
        original=original,
        base_pp=base_pp,
        people=count[:, None] * wgt,
        sq_rate=year_rate[:, tl.year] if P else year_rate[:, :0],
        base_rate=b_rate,
        system=system,
        eligible0=eligible0,
        explicit_elig=explicit,
        moving=on[par] & (pos[par] < length[par] - 1),
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
    strs = r.series("calstrs_employer", labels)
    pers = r.series("calpers_employer", labels)
    return _YearRates(
        pension=np.vstack([strs, pers, np.zeros(len(labels))]),
        oasdi=r.series("oasdi", labels),
        wage_base=r.series("oasdi_wage_base", labels),
        mcw=r.series("medicare", labels) + r.series("sui", labels) + r.series("workers_comp", labels),
        premium=r.series("health_premium", labels),
        threshold=r.series("health_eligibility_hours", labels),
    )


def _statutory(rows: _Rows, sel: np.ndarray, y0: int, d_pens: np.ndarray, d_pay: np.ndarray,
               total_before: np.ndarray, yr: _YearRates, covered: np.ndarray,
               pension_on: np.ndarray | None = None) -> np.ndarray:
    """Statutory cost of a pay change on rows ``sel`` in years ``y0..``.

    ``pension x d_pens + (medicare + sui + wc) x d_pay + OASDI`` where OASDI is
    ``oasdi x people x (min(T1/people, WB) - min(T0/people, WB))`` for covered members.
    ``pension_on`` (per system) switches the pension part off (one-time pay).
    """
    ys = slice(y0, y0 + d_pay.shape[1])
    sysc = rows.system[sel]
    pens_rate = yr.pension[sysc][:, ys]
    if pension_on is not None:
        pens_rate = pens_rate * pension_on[sysc][:, None]
    people = rows.people[sel][:, ys]
    t0 = total_before
    t1 = total_before + d_pay
    with np.errstate(divide="ignore", invalid="ignore"):
        wb = yr.wage_base[ys][None, :]
        capped = np.where(people > 0, np.minimum(t1 / people, wb) - np.minimum(t0 / people, wb), 0.0)
    oas = covered[sysc][:, None] * yr.oasdi[ys][None, :] * people * capped
    return pens_rate * d_pens + yr.mcw[ys][None, :] * d_pay + oas


def _pay(rows: _Rows, sel: np.ndarray, rate: np.ndarray, hours: np.ndarray, tl: _Timeline, p0: int) -> np.ndarray:
    """Per-period pay of rows ``sel`` from period ``p0`` on."""
    ps = slice(p0, None)
    yidx = tl.year[ps]
    w = tl.weight[ps][None, :]
    people = rows.people[sel][:, yidx]
    hr = rows.hourly[sel][:, None]
    per_person = np.where(hr, rate * hours * rows.days[sel][:, None], rows.fte[sel][:, None] * rate)
    return w * people * per_person


def _fy_from(per_period: np.ndarray, tl: _Timeline, p0: int) -> tuple[int, np.ndarray]:
    """Fiscal-year sums of per-period values from period ``p0`` on: (first year, array)."""
    y0 = int(tl.year[p0]) if p0 < len(tl.starts) else tl.years
    if y0 >= tl.years:
        return tl.years, np.zeros((per_period.shape[0], 0))
    firsts = tl.year_first_period[y0:] - p0
    firsts[0] = 0
    return y0, np.add.reduceat(per_period, firsts, axis=1)


# ---------------------------------------------------------------------------- price
class _Accumulator:
    """Sums of (groups x years) amounts per ledger record, across row chunks."""

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

    def add(self, key: tuple, groups: np.ndarray, y0: int, values: np.ndarray) -> None:
        self.key(key)
        if values.size == 0:
            return
        acc = self.amount[key]
        for j in range(values.shape[1]):
            acc[:, y0 + j] += np.bincount(groups, weights=values[:, j], minlength=self.G)

    def add_fte(self, key: tuple, groups: np.ndarray, y0: int, values: np.ndarray) -> None:
        self.key(key)
        acc = self.fte[key]
        for j in range(values.shape[1]):
            acc[:, y0 + j] += np.bincount(groups, weights=values[:, j], minlength=self.G)

    def touch(self, key: tuple, groups: np.ndarray) -> None:
        self.key(key)
        self.touched[key][np.unique(groups)] = True


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
    from .costing import Costing

    options = options or PricingOptions()
    scen = _as_list(scenarios)
    wf = district.workforce
    base = parse_fiscal_year(district.base_year)
    last = max([parse_fiscal_year(s.end) for s in scen], default=base + 1)
    Y = max(last - base, 1)
    dates = [d for s in scen for p in s.proposals if (d := _effective(p)) is not None]
    tl = _timeline(base, Y, dates)
    labels = tl.labels

    hourly_all = (wf["pay_basis"] == "hourly").to_numpy()
    hours_known = ~np.isnan(wf["hours_per_day"].to_numpy(float) * wf["days_per_year"].to_numpy(float))
    masks = {}
    for s in scen:
        for p in s.proposals:
            masks[(s.name, p.name)] = select(wf, p.units, p.classifications, p.where)
    for s in scen:
        _check_scenario(s, district, masks, hours_known, hourly_all)

    groups_df = wf[["unit", "classification"]].astype(str)
    codes, uniques = pd.MultiIndex.from_frame(groups_df).factorize(sort=True)
    group_index = pd.MultiIndex.from_tuples(list(uniques), names=["unit", "classification"])
    G = len(group_index)
    yr = _year_rates(district, labels)
    base_rates = _year_rates(district, [district.base_year])
    covered = np.array([s in options.oasdi_systems for s in _SYSTEMS], dtype=float)
    one_time_pension = np.array(
        [float(options.one_time_pensionable_strs), float(options.one_time_pensionable_pers), 0.0]
    )
    place = step_placement(wf, district.schedules)

    acc = _Accumulator(G, Y)
    levels = _Accumulator(G, Y + 1)  # status-quo levels, base year + horizon
    n = len(wf)
    for lo in range(0, n, int(options.chunk_rows)):
        idx = np.arange(lo, min(n, lo + int(options.chunk_rows)))
        rows = _build_rows(wf, idx, place, codes, tl, options, float(base_rates.threshold[0]))
        _price_chunk(rows, scen, masks, tl, yr, base_rates, covered, one_time_pension, acc, levels)

    return Costing.from_parts(
        scenarios=scen,
        district=district,
        options=options,
        labels=labels,
        group_index=group_index,
        acc=acc,
        levels=levels,
        rows_per_group=np.bincount(codes, minlength=G),
    )


def _price_chunk(rows: _Rows, scen: list[Scenario], masks: dict, tl: _Timeline, yr: _YearRates,
                 base_rates: _YearRates, covered: np.ndarray, one_time_pension: np.ndarray,
                 acc: _Accumulator, levels: _Accumulator) -> None:
    V = len(rows.parent)
    Y = tl.years
    P = len(tl.starts)
    all_rows = np.arange(V)
    hours_sq = np.repeat(np.nan_to_num(rows.hours0)[:, None], P, axis=1)
    sq_pay = _fy_sum(_pay(rows, all_rows, rows.sq_rate, hours_sq, tl, 0), tl)  # V x Y
    # step and column: status-quo pay minus the same employees paid at base-year rates
    base_year_pay = rows.base_pp[:, None] * rows.people  # V x Y
    d_step = sq_pay - base_year_pay
    step_key = (STATUS_QUO, STEP_PROPOSAL, "step_column", "ongoing")
    step_stat_key = (STATUS_QUO, STEP_PROPOSAL, "statutory_benefits", "ongoing")
    changed = np.flatnonzero(rows.moving | (d_step != 0).any(axis=1))
    if len(changed):
        acc.add(step_key, rows.group, 0, d_step)
        acc.add(step_stat_key, rows.group, 0,
                _statutory(rows, all_rows, 0, d_step, d_step, base_year_pay, yr, covered))
        mov = np.flatnonzero(rows.moving & rows.original)
        acc.add_fte(step_key, rows.group[mov], 0, np.repeat((rows.count * rows.fte)[mov, None], Y, axis=1))
        acc.touch(step_key, rows.group[changed])
        acc.touch(step_stat_key, rows.group[changed])
    _levels(rows, levels, sq_pay, base_rates, yr, covered)

    for s in scen:
        rate = rows.sq_rate.copy()
        hours = hours_sq.copy()
        ratepay = sq_pay.copy()
        total = sq_pay.copy()
        added = np.zeros((V, P), dtype=bool)
        for p in _stable_by_date(s.proposals):
            sel = np.flatnonzero(masks[(s.name, p.name)][rows.parent])
            prim, stat_key = _keys(s, p)
            acc.key(prim)
            acc.key(stat_key)
            if isinstance(p, Hours):
                acc.key((s.name, p.name, "health_welfare", "ongoing"))
            p0 = tl.period_of(p.effective)
            if len(sel) == 0:
                continue
            acc.touch(prim, rows.group[sel])
            acc.touch(stat_key, rows.group[sel])
            if isinstance(p, Hours):
                acc.touch((s.name, p.name, "health_welfare", "ongoing"), rows.group[sel])
            if p0 >= P:
                continue
            y0 = int(tl.year[p0])
            # FTE affected, in every year the proposal is in force
            fte_years = rows.people[sel][:, y0:] * rows.fte[sel][:, None]
            acc.add_fte(prim, rows.group[sel], y0, fte_years)
            if isinstance(p, Stipend):
                share = np.bincount(tl.year[p0:], weights=tl.weight[p0:], minlength=Y)[y0:]
                per = p.amount * (rows.fte[sel] if p.prorate_fte else 1.0)
                d = per[:, None] * rows.people[sel][:, y0:] * share[None, :]
                d_pens = d if p.pensionable else np.zeros_like(d)
                st = _statutory(rows, sel, y0, d_pens, d, total[sel, y0:], yr, covered)
                total[sel, y0:] += d
                acc.add(prim, rows.group[sel], y0, d)
                acc.add(stat_key, rows.group[sel], y0, st)
                continue
            r_old = rate[sel, p0:]
            h_old = hours[sel, p0:]
            if isinstance(p, Raise):
                r_new = _apply_raise(p, r_old, h_old, rows, sel)
                h_new = h_old
            elif isinstance(p, Floor):
                r_new = _apply_floor(p, r_old, h_old, rows, sel)
                h_new = h_old
            elif isinstance(p, Hours):
                r_new = r_old
                h_new = np.full_like(h_old, p.set_hours) if p.set_hours is not None else h_old + p.add_hours
                h_new = np.where(rows.hourly[sel][:, None], h_new, h_old)
                thr = yr.threshold[tl.year[p0:]][None, :]
                newly = (~rows.eligible0[sel][:, None] & ~added[sel, p0:] & (h_new >= thr) & (h_old < thr))
                added[sel, p0:] |= newly
                prem = tl.weight[p0:][None, :] * rows.people[sel][:, tl.year[p0:]] * yr.premium[tl.year[p0:]][None, :] * newly
                yy, hw = _fy_from(prem, tl, p0)
                acc.add((s.name, p.name, "health_welfare", "ongoing"), rows.group[sel], yy, hw)
            else:  # pragma: no cover - guarded by Scenario
                raise PricingError(f"unknown proposal kind {type(p).__name__}")
            new_pay = _pay(rows, sel, r_new, h_new, tl, p0)
            old_pay = _pay(rows, sel, r_old, h_old, tl, p0)
            yy, d = _fy_from(new_pay - old_pay, tl, p0)
            rate[sel, p0:] = r_new
            hours[sel, p0:] = h_new
            st = _statutory(rows, sel, yy, d, d, total[sel, yy:], yr, covered)
            ratepay[sel, yy:] += d
            total[sel, yy:] += d
            acc.add(prim, rows.group[sel], yy, d)
            acc.add(stat_key, rows.group[sel], yy, st)
        for p in s.proposals:
            if not isinstance(p, Bonus):
                continue
            sel = np.flatnonzero(masks[(s.name, p.name)][rows.parent])
            prim, stat_key = _keys(s, p)
            acc.key(prim)
            acc.key(stat_key)
            if len(sel) == 0:
                continue
            acc.touch(prim, rows.group[sel])
            acc.touch(stat_key, rows.group[sel])
            yb = parse_fiscal_year(p.fiscal_year) - tl.base - 1
            if p.percent is not None:
                d = p.percent * ratepay[sel, yb]
            else:
                d = p.amount * rows.people[sel, yb] * (rows.fte[sel] if p.prorate_fte else 1.0)
            d = d[:, None]
            st = _statutory(rows, sel, yb, d, d, total[sel, yb:yb + 1], yr, covered, pension_on=one_time_pension)
            total[sel, yb] += d[:, 0]
            acc.add(prim, rows.group[sel], yb, d)
            acc.add(stat_key, rows.group[sel], yb, st)
            acc.add_fte(prim, rows.group[sel], yb, (rows.people[sel, yb] * rows.fte[sel])[:, None])


def _stable_by_date(proposals: Sequence[PayProposal]) -> list[PayProposal]:
    """Rate, hours and stipend proposals in effective-date order, listed order on ties."""
    items = [(p.effective, i, p) for i, p in enumerate(proposals) if not isinstance(p, Bonus)]
    return [p for _, _, p in sorted(items, key=lambda x: (x[0], x[1]))]


def _keys(s: Scenario, p: PayProposal) -> tuple[tuple, tuple]:
    if isinstance(p, Bonus):
        return (s.name, p.name, "other_compensation", "one_time"), (s.name, p.name, "statutory_benefits", "one_time")
    if isinstance(p, Stipend):
        return (s.name, p.name, "other_compensation", "ongoing"), (s.name, p.name, "statutory_benefits", "ongoing")
    return (s.name, p.name, "salary", "ongoing"), (s.name, p.name, "statutory_benefits", "ongoing")


def _conversions(rows: _Rows, sel: np.ndarray, hours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Factors turning $/hour (H) and $/year (Yf) into each row's own basis."""
    hr = rows.hourly[sel][:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ann_hourly = hours * rows.days[sel][:, None]
        H = np.where(hr, 1.0, rows.ann_hours[sel][:, None])
        Yf = np.where(hr, 1.0 / ann_hourly, 1.0)
    return H, Yf


def _apply_raise(p: Raise, r: np.ndarray, h: np.ndarray, rows: _Rows, sel: np.ndarray) -> np.ndarray:
    """``rate + combine(percent x rate, per_hour x H + per_year x Y)``."""
    pct = p.percent * r
    H, Yf = _conversions(rows, sel, h)
    flat = np.zeros_like(r)
    if p.per_hour:
        flat = flat + p.per_hour * H
    if p.per_year:
        flat = flat + p.per_year * Yf
    if p.rule == "sum":
        return r + pct + flat
    if p.rule == "greater":
        return r + np.maximum(pct, flat)
    return r + np.minimum(pct, flat)


def _apply_floor(p: Floor, r: np.ndarray, h: np.ndarray, rows: _Rows, sel: np.ndarray) -> np.ndarray:
    """``max(rate, floor)``, the floor converted to each row's basis."""
    H, Yf = _conversions(rows, sel, h)
    f = p.hourly_rate * H if p.hourly_rate is not None else p.annual_salary * Yf
    return np.maximum(r, f)


def _levels(rows: _Rows, levels: _Accumulator, sq_pay: np.ndarray, base_rates: _YearRates,
            yr: _YearRates, covered: np.ndarray) -> None:
    """Status-quo levels by group, base year (column 0) then each horizon year: salary,
    statutory benefits, health premiums of enrollees, FTE, headcount, enrollees."""
    people = np.hstack([np.where(rows.original, rows.count, 0.0)[:, None], rows.people])
    pay = np.hstack([(rows.base_pp * np.where(rows.original, rows.count, 0.0))[:, None], sq_pay])
    pension = np.hstack([base_rates.pension, yr.pension])[rows.system]
    oasdi = np.concatenate([base_rates.oasdi, yr.oasdi])
    wage_base = np.concatenate([base_rates.wage_base, yr.wage_base])
    mcw = np.concatenate([base_rates.mcw, yr.mcw])
    premium = np.concatenate([base_rates.premium, yr.premium])
    with np.errstate(divide="ignore", invalid="ignore"):
        per_person = np.where(people > 0, np.minimum(pay / people, wage_base[None, :]), 0.0)
    stat = pension * pay + mcw[None, :] * pay + covered[rows.system][:, None] * oasdi[None, :] * people * per_person
    enrollees = rows.eligible0[:, None] * people
    levels.add(("levels", "salary"), rows.group, 0, pay)
    levels.add(("levels", "statutory_benefits"), rows.group, 0, stat)
    levels.add(("levels", "health_welfare"), rows.group, 0, enrollees * premium[None, :])
    levels.add(("levels", "fte"), rows.group, 0, people * rows.fte[:, None])
    levels.add(("levels", "headcount"), rows.group, 0, people)
    levels.add(("levels", "health_enrollees"), rows.group, 0, enrollees)
