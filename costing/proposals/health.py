"""``[[health]]``: a health contribution policy as a proposal.

A :class:`HealthPolicy` prices the district's health contribution under a policy
(:mod:`costing.health`) into the ledger, component ``health_welfare``, kind ``ongoing``:

    amount_t = contribution_t + refill_t - base_contribution

the district's contribution in fiscal year ``t`` (plus any top-up of the health reserve to
its floor, with ``refill``) over what it paid in the base year (``base_contribution``,
default the plan's base-year premium cost: the district paying the full premium, as LAUSD
has since 1969). So ``current_levels`` costs the premium growth, a ``freeze`` at the
base-year level costs nothing to the district (the health reserve pays the shortfall:
see the projection in ``Costing.details``), a ``share`` below 100% can save money. The
health reserve's year-by-year path is kept as the proposal's detail.

Scenario file keys (percent in files, fractions in code)::

    [[health]]
    name = "Freeze at the 2017 level"
    policy = "freeze"            # current_levels | freeze | cap | share
    plan_year = "calendar"       # fiscal (default) | calendar: half of each calendar year per fiscal year
    base_year = "2017"           # year t = 0 (default: the year before the scenario starts)
    premium_cost = 1100000000    # the plan's base-year cost, dollars (or tiers, or enrollees)
    contribution = 1100000000    # freeze: the frozen amount; cap: the base-year cap
    trend = 6.0                  # percent a year; or { "2018" = 6.0, "2019" = 7.5 }; or by group
    reserve = 300000000          # health reserve at the start of the first fiscal year
    floor = 100000000
    refill = false               # the district tops the reserve up to its floor
    unit = "All units"           # ledger unit and classification of the rows
    classification = "Health plan"

Also: ``cap_growth`` and ``share`` (percent), ``interest`` and ``enrollee_growth``
(percent a year), ``savings`` (dollars a year into the reserve), ``shortfall_paid_by``
(``reserve`` | ``employees``), ``base_contribution`` (dollars), ``tiers`` (an array of
``{group, tier, enrollees, premium, cap}`` tables: the detailed form), ``enrollees`` (with
no ``premium_cost`` or ``tiers``: enrollees times the district's dated ``health_premium``
of each fiscal year, whose growth is then the trend; fiscal plans only).

A health policy needs no workforce, so a scenario made only of such proposals can be
priced for years before any workforce snapshot with :func:`price_without_workforce`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from ..calendar import FiscalYearError, fiscal_year_label, parse_fiscal_year
from ..health import GROUPS, POLICIES, HealthFund, HealthFundError
from ..rates import RatesError
from .base import CostProposal, register
from .pay import ProposalError

if TYPE_CHECKING:  # pragma: no cover
    from ..costing import Costing
    from ..district import District
    from ..engine import PricingOptions
    from ..scenario import Scenario

__all__ = ["HealthPolicy", "health_drawdown", "price_without_workforce"]

_DOLLARS = ("premium_cost", "contribution", "base_contribution", "reserve", "floor", "savings", "enrollees")
_PERCENTS = ("cap_growth", "share", "interest", "enrollee_growth")
_TEXT = ("policy", "plan_year", "shortfall_paid_by", "unit", "classification", "name")
_KEYS = (*_TEXT, "base_year", *_DOLLARS, *_PERCENTS, "trend", "refill", "tiers")


@register
@dataclass(frozen=True)
class HealthPolicy(CostProposal):
    """The district's health contribution under a policy; see the module docstring.

    >>> p = HealthPolicy(name="freeze", policy="freeze", premium_cost=1.1e9, trend=0.06,
    ...                  reserve=300e6, floor=100e6, base_year="2024-25")
    >>> p.fund(None, ["2025-26", "2026-27"]).project(["2025-26", "2026-27"])["shortfall"].round(-5).tolist()
    [66000000.0, 136000000.0]
    """

    policy: str = "current_levels"
    premium_cost: float | None = None
    enrollees: float | None = None
    contribution: float | None = None
    base_contribution: float | None = None
    trend: float | tuple | None = None
    cap_growth: float = 0.0
    share: float | None = None
    reserve: float = 0.0
    floor: float = 0.0
    interest: float = 0.0
    savings: float = 0.0
    enrollee_growth: float = 0.0
    refill: bool = False
    shortfall_paid_by: str | None = None
    base_year: str | None = None
    plan_year: str = "fiscal"
    tiers: tuple = ()
    unit: str = "All units"
    classification: str = "Health plan"

    kind_name: ClassVar[str] = "health"
    #: priced from its own terms (and the district's dated premium at most): no workforce
    needs_workforce: ClassVar[bool] = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "trend", _freeze_trend(self.trend))
        object.__setattr__(self, "tiers", tuple(tuple(t) for t in _tier_rows(self.tiers)))
        if self.base_year is not None:
            object.__setattr__(self, "base_year", str(self.base_year))
        sources = [self.premium_cost is not None, bool(self.tiers), self.enrollees is not None]
        if sum(sources) != 1:
            raise ProposalError(
                "health: give exactly one of premium_cost (the plan's base-year cost), tiers "
                "(enrollees and premium by tier) or enrollees (times the district's dated health_premium)"
            )
        if self.enrollees is not None:
            if self.trend is not None:
                raise ProposalError("health: with enrollees the trend comes from the district's dated "
                                    "health_premium; leave trend out")
            if self.plan_year != "fiscal":
                raise ProposalError("health: enrollees x the district's fiscal-year health_premium needs a fiscal "
                                    "plan year; give premium_cost or tiers for a calendar-year plan")
        elif self.trend is None:
            raise ProposalError("health: give trend (premium growth, percent a year in files)")
        for name in ("unit", "classification"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise ProposalError(f"health: {name} must be a non-empty name")
        try:  # every check that does not depend on the scenario's years
            self._make_fund(base=self.base_year or ("2000" if self.plan_year == "calendar" else None),
                            premium=1.0 if self.enrollees is not None else self.premium_cost,
                            trend=self.trend if self.trend is not None else 0.0)
        except HealthFundError as exc:
            raise ProposalError(f"health: {exc}") from exc

    # ------------------------------------------------------------------ the fund
    def base_label(self, fiscal_years: Sequence[str]) -> str:
        """Year ``t = 0``: ``base_year``, or by default the fiscal year before the
        scenario's first (fiscal plan) or the calendar year in which it begins."""
        if self.base_year is not None:
            return self.base_year
        first = parse_fiscal_year(fiscal_years[0])
        return str(first) if self.plan_year == "calendar" else fiscal_year_label(first - 1)

    def _make_fund(self, base: str | None, premium: float | None, trend: Any) -> HealthFund:
        return HealthFund(
            policy=self.policy,
            contribution=self.contribution,
            premium_cost=premium,
            trend=_thaw_trend(trend),
            reserve=self.reserve,
            floor=self.floor,
            cap_growth=self.cap_growth,
            share=self.share,
            base_year=base,
            plan_year=self.plan_year,
            tiers=[dict(zip(("group", "tier", "enrollees", "premium", "cap"), t, strict=True)) for t in self.tiers] or None,
            enrollee_growth=self.enrollee_growth,
            interest=self.interest,
            savings=self.savings,
            shortfall_paid_by=self.shortfall_paid_by,
            refill=self.refill,
        )

    def fund(self, district: District | None, fiscal_years: Sequence[str]) -> HealthFund:
        """The :class:`~costing.health.HealthFund` this proposal describes for a scenario
        over ``fiscal_years`` (the district supplies the dated premium with ``enrollees``)."""
        base = self.base_label(fiscal_years)
        if self.enrollees is None:
            return self._make_fund(base, self.premium_cost, self.trend)
        if district is None:
            raise ProposalError("health: enrollees x health_premium needs a district")
        b = parse_fiscal_year(base)
        last = parse_fiscal_year(fiscal_years[-1])
        labels = [fiscal_year_label(y) for y in range(b, last + 1)]
        prem = district.rates.series("health_premium", labels)
        trend = {lab: float(prem[k] / prem[k - 1] - 1.0) for k, lab in enumerate(labels) if k > 0}
        return self._make_fund(base, float(self.enrollees) * float(prem[0]), trend or 0.0)

    def _base_cost(self, fund: HealthFund) -> float:
        if self.base_contribution is not None:
            return float(self.base_contribution)
        return float(fund.plan_years(0)["premium_cost"][0])

    def projection(self, district: District | None, fiscal_years: Sequence[str]) -> pd.DataFrame:
        """The fund's projection over the scenario's years, with the ledger amount."""
        fund = self.fund(district, fiscal_years)
        table = fund.project(list(fiscal_years))
        table.insert(1, "policy", self.policy)
        table["base_contribution"] = self._base_cost(fund)
        table["ledger_amount"] = table["contribution"] + table["refill"] - table["base_contribution"]
        table["floor"] = self.floor
        return table

    # ------------------------------------------------------------------ CostProposal
    def cost_rows(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        table = self.projection(district, fiscal_years)
        return pd.DataFrame({
            "fiscal_year": list(fiscal_years),
            "unit": self.unit,
            "classification": self.classification,
            "component": "health_welfare",
            "kind": "ongoing",
            "amount": table["ledger_amount"].to_numpy(float),
            "fte": 0.0,
        })

    def detail(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self.projection(district, fiscal_years)

    def check(self, district: District, fiscal_years: list[str]) -> list[str]:
        try:
            self.projection(district, fiscal_years)
        except (HealthFundError, ProposalError, FiscalYearError, RatesError) as exc:
            return [str(exc).removeprefix("health: ")]
        return []

    # ------------------------------------------------------------------ files
    @classmethod
    def from_table(cls, table: dict[str, Any], label: str, problems: list[str]) -> HealthPolicy | None:
        before = len(problems)
        kwargs: dict[str, Any] = {}
        for key, value in table.items():
            if key not in _KEYS:
                problems.append(f"{label}: unknown key {key!r}; expected one of {', '.join(_KEYS)}")
                continue
            if key in _TEXT:
                if not isinstance(value, str):
                    problems.append(f"{label}: key {key!r} must be text, got {value!r}")
                    continue
                kwargs[key] = value
            elif key == "base_year":
                if isinstance(value, bool) or not isinstance(value, str | int):
                    problems.append(f"{label}: key 'base_year' must be a year such as \"2017-18\" or 2017, got {value!r}")
                    continue
                kwargs[key] = str(value)
            elif key in _DOLLARS:
                if not _number(value):
                    problems.append(f"{label}: key {key!r} must be a number, got {value!r}")
                    continue
                kwargs[key] = float(value)
            elif key in _PERCENTS:
                if not _number(value):
                    problems.append(f"{label}: key {key!r} must be a number (percent), got {value!r}")
                    continue
                kwargs[key] = _pct_in(value)
            elif key == "refill":
                if not isinstance(value, bool):
                    problems.append(f"{label}: key 'refill' must be true or false, got {value!r}")
                    continue
                kwargs[key] = value
            elif key == "trend":
                try:
                    kwargs[key] = _trend_in(value)
                except ValueError as exc:
                    problems.append(f"{label}: key 'trend': {exc}")
            elif key == "tiers":
                try:
                    kwargs[key] = _tiers_in(value)
                except ValueError as exc:
                    problems.append(f"{label}: key 'tiers': {exc}")
        if "policy" not in table:
            problems.append(f"{label}: missing required key 'policy' ({' | '.join(POLICIES)})")
        if len(problems) > before:
            return None
        try:
            return cls(**kwargs)
        except ProposalError as exc:
            problems.append(f"{label}: {str(exc).removeprefix('health: ')}")
            return None

    def to_table(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "policy": self.policy}
        defaults = {"cap_growth": 0.0, "interest": 0.0, "enrollee_growth": 0.0, "savings": 0.0, "reserve": 0.0,
                    "floor": 0.0, "refill": False, "plan_year": "fiscal", "unit": "All units",
                    "classification": "Health plan"}
        for key in ("plan_year", "base_year", *_DOLLARS, *_PERCENTS, "refill", "shortfall_paid_by", "unit",
                    "classification"):
            value = getattr(self, key)
            if value is None or (key in defaults and value == defaults[key]):
                continue
            out[key] = _pct_out(value) if key in _PERCENTS else value
        if self.trend is not None:
            out["trend"] = _trend_out(self.trend)
        if self.tiers:
            out["tiers"] = [{k: v for k, v in zip(("group", "tier", "enrollees", "premium", "cap"), t, strict=True)
                             if v is not None} for t in self.tiers]
        return out


# ---------------------------------------------------------------------------- pricing without a workforce
def price_without_workforce(scenarios: Scenario | Sequence[Scenario], district: District | None = None,
                            options: PricingOptions | None = None) -> Costing:
    """Price scenarios made only of proposals that need no workforce (health policies)
    into a :class:`~costing.costing.Costing`: the proposals' own ledger rows and details,
    no status quo and no levels. Its ``base_year`` is the year before the earliest start.

    For years before any workforce snapshot (LAUSD's 2017 health round): the engine
    refuses a scenario that starts in or before a workforce's base year. ``district``
    supplies dated rates (only needed for ``enrollees`` x ``health_premium``).
    """
    from ..costing import LEVEL_COLUMNS, Costing
    from ..engine import PricingError, PricingOptions, _cost_proposal_rows
    from ..scenario import Scenario

    options = options or PricingOptions()
    scen = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    if not scen:
        raise PricingError("no scenarios to price")
    names = [s.name for s in scen]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise PricingError(f"scenario names must be unique within one pricing run; repeated: {', '.join(dups)}")
    problems = []
    for s in scen:
        for p in s.proposals:
            if getattr(p, "needs_workforce", True) or not isinstance(p, CostProposal):
                problems.append(f"scenario {s.name!r}, {p.kind_name} {p.name!r}: needs a workforce; price the "
                                "scenario with costing.price against a district")
            else:
                problems.extend(f"scenario {s.name!r}, {p.kind_name} {p.name!r}: {msg}"
                                for msg in p.check(district, s.fiscal_years))
    if problems:
        raise PricingError("\n".join(problems))
    rows = [_cost_proposal_rows(s, p, district, options) for s in scen for p in s.proposals]
    from ..engine import LEDGER_COLUMNS

    ledger = (pd.concat(rows, ignore_index=True) if rows
              else pd.DataFrame({c: pd.Series(dtype=float if c in ("amount", "fte") else object)
                                 for c in LEDGER_COLUMNS}))
    details = {(s.name, p.name): d for s in scen for p in s.proposals
               if (d := p.detail(district, s.fiscal_years, options)) is not None}
    years = sorted({parse_fiscal_year(y) for s in scen for y in s.fiscal_years})
    levels = pd.DataFrame({c: pd.Series(dtype=object if c in ("fiscal_year", "unit", "classification") else float)
                           for c in ["fiscal_year", "unit", "classification", *LEVEL_COLUMNS, "rows"]})
    return Costing(
        ledger=ledger,
        levels=levels,
        scenarios=tuple(scen),
        base_year=fiscal_year_label(years[0] - 1),
        fiscal_years=tuple(fiscal_year_label(y) for y in range(years[0], years[-1] + 1)),
        options=options,
        district_name=getattr(district, "name", ""),
        details=details,
    )


def health_drawdown(costing: Costing | Mapping[str, Costing]) -> pd.DataFrame:
    """The health reserve's path for every health proposal priced (a view for figures):
    ``scenario, proposal, policy, fiscal_year, reserve_start, reserve_draw, reserve_end,
    floor, below_floor, shortfall, refill``."""
    results = costing.values() if isinstance(costing, Mapping) else [costing]
    frames = []
    for res in results:
        for (scen, prop), table in res.details.items():
            if "reserve_end" not in table.columns or "policy" not in table.columns:
                continue
            t = table[["policy", "fiscal_year", "reserve_start", "reserve_draw", "reserve_end", "floor",
                       "below_floor", "shortfall", "refill"]].copy()
            t.insert(0, "proposal", prop)
            t.insert(0, "scenario", scen)
            frames.append(t)
    cols = ["scenario", "proposal", "policy", "fiscal_year", "reserve_start", "reserve_draw", "reserve_end", "floor",
            "below_floor", "shortfall", "refill"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


# ---------------------------------------------------------------------------- helpers
def _number(v: object) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool) and math.isfinite(float(v))


def _pct_in(value: Decimal | float | int) -> float:
    """Percent as written in a file -> fraction: 6.0 -> 0.06 (one rounding)."""
    return float(Decimal(str(value)) / 100)


def _pct_out(value: float) -> Decimal:
    """Fraction -> percent to write back exactly: 0.06 -> 6.00."""
    return Decimal(repr(float(value))) * 100


def _trend_in(value: Any) -> float | tuple:
    """A file's trend (percent) -> fraction, or ``((key, fraction), ...)`` by year or group."""
    if _number(value):
        return _pct_in(value)
    if isinstance(value, Mapping):
        if not value:
            raise ValueError("an empty table")
        out = []
        for k, v in value.items():
            if isinstance(v, Mapping):
                if k not in GROUPS:
                    raise ValueError(f"a nested table must be keyed by group ({', '.join(GROUPS)}), got {k!r}")
                out.append((str(k), _trend_in(v)))
            elif _number(v):
                out.append((str(k), _pct_in(v)))
            else:
                raise ValueError(f"{k!r} must be a number (percent), got {v!r}")
        return tuple(out)
    raise ValueError(f"expected a number (percent a year) or a table of year = percent, got {value!r}")


def _trend_out(trend: float | tuple) -> Any:
    if isinstance(trend, tuple):
        return {k: _trend_out(v) for k, v in trend}
    return _pct_out(trend)


def _freeze_trend(trend: Any) -> Any:
    """A trend in code (fraction, {year: fraction}, list, by group) as hashable tuples."""
    if trend is None or isinstance(trend, float):
        return trend
    if isinstance(trend, int | np.integer | np.floating) and not isinstance(trend, bool):
        return float(trend)
    if isinstance(trend, Mapping):
        return tuple((str(k), _freeze_trend(v)) for k, v in trend.items())
    if isinstance(trend, tuple) and all(isinstance(x, tuple) and len(x) == 2 for x in trend):
        return tuple((str(k), _freeze_trend(v)) for k, v in trend)
    if isinstance(trend, list | tuple | np.ndarray):
        return tuple(float(v) for v in trend)
    return trend


def _thaw_trend(trend: Any) -> Any:
    if isinstance(trend, tuple) and trend and all(isinstance(x, tuple) and len(x) == 2 for x in trend):
        return {k: _thaw_trend(v) for k, v in trend}
    if isinstance(trend, tuple):
        return list(trend)
    return trend


def _tier_rows(tiers: Any) -> list[tuple]:
    if tiers is None:
        return []
    if isinstance(tiers, pd.DataFrame):
        tiers = tiers.to_dict("records")
    out = []
    for t in tiers:
        if isinstance(t, Mapping):
            cap = t.get("cap")
            out.append((t.get("group"), t.get("tier"), t.get("enrollees"), t.get("premium"),
                        None if cap is None or (isinstance(cap, float) and math.isnan(cap)) else cap))
        else:
            t = tuple(t)
            out.append(t if len(t) == 5 else (*t, None))
    return out


def _tiers_in(value: Any) -> tuple:
    if not isinstance(value, list) or not value:
        raise ValueError("expected an array of tables {group, tier, enrollees, premium, cap}")
    out = []
    for i, t in enumerate(value, start=1):
        if not isinstance(t, Mapping):
            raise ValueError(f"tier {i}: expected a table, got {t!r}")
        unknown = set(t) - {"group", "tier", "enrollees", "premium", "cap"}
        if unknown:
            raise ValueError(f"tier {i}: unknown key(s) {', '.join(sorted(unknown))}")
        row = [t.get("group"), t.get("tier")]
        for k in ("enrollees", "premium", "cap"):
            v = t.get(k)
            if v is None and k == "cap":
                row.append(None)
            elif not _number(v):
                raise ValueError(f"tier {i}: {k} must be a number, got {v!r}")
            else:
                row.append(float(v))
        out.append(tuple(row))
    return tuple(out)
