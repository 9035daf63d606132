"""The health fund: premiums, the district's contribution policy, and the health reserve.

A health plan costs ``H_t`` a year (enrollees x premium); the district contributes
``C_t`` under a *contribution policy*; the gap is the *shortfall*, drawn from the health
reserve (or paid by employees) until the reserve falls below its floor. METHODOLOGY
section 4 and WORKED-EXAMPLES section 9 fix the arithmetic:

* premium: ``P_t = P_0 x (1 + g_1) x ... x (1 + g_t)`` (``g_t`` the trend into year ``t``;
  year ``t = 0`` is the *base year*); ``H_t = sum over tiers of N_t x P_t`` with enrollees
  ``N_t = N_0 x (1 + e)^t``.
* policies (``C_t``, the district's contribution):

  - ``current_levels``: the district pays the premium, ``C_t = H_t``;
  - ``freeze``: ``C_t = C`` (``contribution``, default ``H_0``), so for a trend ``g`` the
    shortfall is ``C x ((1 + g)^t - 1)``: $1.1B frozen at 6% leaves $66.0M, $136.0M and
    $210.1M uncovered in years 1-3 ($412.1M in all);
  - ``cap``: a fixed amount per enrollee growing at ``cap_growth``; the district pays
    ``min(P_t, cap_0 x (1 + c)^t)`` per enrollee (the CalPERS model);
  - ``share``: ``C_t = s x H_t`` (``share`` a fraction of the premium).

* shortfall ``max(0, H_t - C_t)``; a contribution above the premium (a freeze after
  premiums fall) is a surplus paid into the reserve.
* reserve: ``R_end = R_start x (1 + i) - draw + savings`` with the draw the shortfall
  (when the reserve pays it, the default except under ``share``, where employees pay
  their part of the premium) less any surplus. The fiscal year in which ``R_end`` would
  first fall *below* the floor is reported (``below_floor``, ``floor_year``), never
  silently clipped: the reserve is allowed to go below its floor, even negative, unless
  ``refill`` says the district tops it back up to the floor (the top-up is reported).

Plan years. A ``fiscal`` plan runs July-June like the budget. A ``calendar`` plan (LAUSD's
2018-2020 deal) runs January-December; each fiscal year then takes half of each calendar
year it straddles (METHODOLOGY 1): fiscal 2017-18 = 1/2 CY 2017 + 1/2 CY 2018. The base
year of a calendar plan is a calendar year (``2017``), of a fiscal plan a fiscal year
(``"2017-18"``).

Everything is vectorized over years (and over policies in :meth:`HealthFund.compare`):
premiums are cumulative products, the reserve a discounted cumulative sum, the refill a
running maximum; no Python loop runs over years.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .calendar import FiscalYearError, fiscal_year_label, parse_fiscal_year

__all__ = [
    "GROUPS",
    "PLAN_YEARS",
    "POLICIES",
    "PROJECTION_COLUMNS",
    "TIERS",
    "HealthFund",
    "HealthFundError",
    "freeze_shortfall",
]

POLICIES = ("current_levels", "freeze", "cap", "share")
PLAN_YEARS = ("fiscal", "calendar")
TIERS = ("employee", "plus_one", "family")
GROUPS = ("active", "retiree")
PAYERS = ("reserve", "employees")
PROJECTION_COLUMNS = [
    "fiscal_year",
    "premium_cost",
    "contribution",
    "shortfall",
    "reserve_start",
    "reserve_draw",
    "reserve_end",
    "below_floor",
    "t",
    "employee_cost",
    "interest",
    "savings",
    "refill",
]
TIER_COLUMNS = ("group", "tier", "enrollees", "premium", "cap")


class HealthFundError(ValueError):
    """A health fund that cannot be projected (bad trend, missing years, floor above the
    reserve, ...); the message names the input and what is wrong."""


def freeze_shortfall(contribution: float, trend: float, years: int) -> np.ndarray:
    """Shortfall of a contribution frozen at the base-year premium, years ``1..years``:
    ``C x ((1 + g)^t - 1)``.

    >>> [round(float(x) / 1e6, 1) for x in freeze_shortfall(1.1e9, 0.06, 3)]
    [66.0, 136.0, 210.1]
    """
    _check_rate(trend, "trend")
    t = np.arange(1, int(years) + 1)
    return float(contribution) * ((1.0 + float(trend)) ** t - 1.0)


@dataclass(frozen=True)
class HealthFund:
    """A health plan, the district's contribution policy and the health reserve.

    Simple form: ``premium_cost`` (the plan's total cost in the base year, dollars) and
    ``trend``. Detailed form: ``tiers``, one row per group and tier with ``group``
    (``active`` | ``retiree``), ``tier`` (``employee`` | ``plus_one`` | ``family``),
    ``enrollees``, ``premium`` (dollars per enrollee per year in the base year) and, for
    the ``cap`` policy, ``cap`` (dollars per enrollee in the base year; default the
    premium). Give one form, not both.

    * ``policy``: ``current_levels`` | ``freeze`` | ``cap`` | ``share``.
    * ``contribution``: ``freeze``: the frozen amount (default the base-year premium
      cost); ``cap`` (simple form): the base-year cap for the whole plan (default the
      base-year premium cost). Dollars a year.
    * ``trend``: premium growth, a fraction: one number; ``{year: rate}`` for each year
      after the base year (fiscal labels ``"2018-19"`` for a fiscal plan, calendar years
      ``2018`` for a calendar plan); a sequence for years 1, 2, ...; or, in the detailed
      form, ``{"active": ..., "retiree": ...}`` with any of those per group. A year the
      projection needs and the trend lacks is an error.
    * ``cap_growth`` (fraction a year), ``share`` (fraction of the premium, 0 to 1).
    * ``reserve``: the health reserve at the start of the first fiscal year projected;
      ``floor``: the level it should not go below (at most ``reserve``).
    * ``base_year``: year ``t = 0`` (fiscal label, or calendar year for a calendar plan);
      optional for a fiscal plan projected by a number of years (rows then read
      ``"year 1"``, ...).
    * ``plan_year``: ``fiscal`` | ``calendar``.
    * ``enrollee_growth``: fraction a year (negative for a shrinking workforce).
    * ``interest``: earned on the reserve at the start of each fiscal year (fraction).
    * ``savings``: dollars a year added to the reserve: a number, or ``{fiscal year:
      dollars}`` (years not listed add nothing).
    * ``shortfall_paid_by``: ``reserve`` (default) or ``employees`` (default under
      ``share``: the employees' part of the premium).
    * ``refill``: the district tops the reserve back up to its floor at the end of any
      year it would end below it (the top-up is reported in ``refill``).

    >>> fund = HealthFund(policy="freeze", premium_cost=1.1e9, trend=0.06,
    ...                   reserve=300e6, floor=100e6)
    >>> table = fund.project(3)
    >>> (table["shortfall"] / 1e6).round(1).tolist()
    [66.0, 136.0, 210.1]
    >>> (table["reserve_end"] / 1e6).round(1).tolist()
    [234.0, 98.0, -112.1]
    >>> table.attrs["floor_year"]
    'year 2'
    """

    policy: str = "current_levels"
    contribution: float | None = None
    premium_cost: float | None = None
    trend: Any = 0.0
    reserve: float = 0.0
    floor: float = 0.0
    cap_growth: float = 0.0
    share: float | None = None
    base_year: str | int | None = None
    plan_year: str = "fiscal"
    tiers: Any = None
    enrollee_growth: float = 0.0
    interest: float = 0.0
    savings: Any = 0.0
    shortfall_paid_by: str | None = None
    refill: bool = False

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise HealthFundError(f"policy must be one of {', '.join(POLICIES)}, got {self.policy!r}")
        if self.plan_year not in PLAN_YEARS:
            raise HealthFundError(f"plan_year must be 'fiscal' or 'calendar', got {self.plan_year!r}")
        if self.shortfall_paid_by is not None and self.shortfall_paid_by not in PAYERS:
            raise HealthFundError(f"shortfall_paid_by must be 'reserve' or 'employees', got {self.shortfall_paid_by!r}")
        tiers = _normalize_tiers(self.tiers)
        object.__setattr__(self, "tiers", tiers)
        if tiers is None and self.premium_cost is None:
            raise HealthFundError("give premium_cost (the plan's base-year cost) or tiers (enrollees and premium by tier)")
        if tiers is not None and self.premium_cost is not None:
            raise HealthFundError("give premium_cost or tiers, not both")
        for name in ("premium_cost", "contribution", "reserve", "floor"):
            value = getattr(self, name)
            if value is None:
                continue
            if not _is_number(value) or not math.isfinite(float(value)) or float(value) < 0:
                raise HealthFundError(f"{name} must be a number of dollars, 0 or more, got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.floor > self.reserve:
            raise HealthFundError(
                f"the reserve floor (${self.floor:,.0f}) is above the reserve (${self.reserve:,.0f}); "
                "a fund cannot start below its floor"
            )
        for name in ("cap_growth", "enrollee_growth", "interest"):
            object.__setattr__(self, name, _check_rate(getattr(self, name), name))
        if self.policy == "share":
            if self.share is None:
                raise HealthFundError("the share policy needs share (the fraction of the premium the district pays)")
            if not _is_number(self.share) or not 0 <= float(self.share) <= 1:
                raise HealthFundError(f"share must be a fraction from 0 to 1, got {self.share!r}")
            object.__setattr__(self, "share", float(self.share))
        elif self.share is not None:  # kept for compare(["share", ...])
            if not _is_number(self.share) or not 0 <= float(self.share) <= 1:
                raise HealthFundError(f"share must be a fraction from 0 to 1, got {self.share!r}")
            object.__setattr__(self, "share", float(self.share))
        if self.plan_year == "calendar" and self.base_year is None:
            raise HealthFundError("a calendar-year plan needs base_year (the calendar year before the plan years, e.g. 2017)")
        if self.base_year is not None:
            object.__setattr__(self, "base_year", _parse_year(self.base_year, self.plan_year, "base_year"))
        _check_trend_values(self.trend)
        if not isinstance(self.refill, bool):
            raise HealthFundError(f"refill must be true or false, got {self.refill!r}")

    # ------------------------------------------------------------------ years
    @property
    def paid_by(self) -> str:
        """Who pays the shortfall: ``reserve`` or ``employees``."""
        if self.shortfall_paid_by is not None:
            return self.shortfall_paid_by
        return "employees" if self.policy == "share" else "reserve"

    def fiscal_years(self, years: int | Iterable[str | int]) -> np.ndarray:
        """The fiscal years (starting calendar years) a projection covers, checked.

        ``years`` is a number ``n`` (the ``n`` fiscal years after the base year; for a
        calendar plan the ``n`` fiscal years from the one in which the base year ends,
        e.g. 2017-18 for base 2017) or consecutive fiscal-year labels, none before the
        base year.
        """
        base = self.base_year if self.base_year is not None else 0
        if isinstance(years, bool):
            raise HealthFundError(f"years must be a number of years or fiscal-year labels, got {years!r}")
        if isinstance(years, int | np.integer):
            if years < 1:
                raise HealthFundError(f"years must be at least 1, got {years}")
            first = base if self.plan_year == "calendar" else base + 1
            return np.arange(first, first + int(years))
        if self.base_year is None:
            raise HealthFundError("projecting named fiscal years needs base_year")
        labels = list(years)
        if not labels:
            raise HealthFundError("no fiscal years to project")
        try:
            fy = np.array([parse_fiscal_year(y) for y in labels], dtype=np.int64)
        except FiscalYearError as exc:
            raise HealthFundError(f"years: {exc}") from exc
        if np.any(np.diff(fy) <= 0):
            raise HealthFundError(f"years must be distinct fiscal years in order, got {labels}")
        gaps = sorted(set(range(int(fy[0]), int(fy[-1]) + 1)) - set(fy.tolist()))
        if gaps:
            raise HealthFundError(
                "years must be consecutive (the reserve carries from one year to the next); missing "
                + ", ".join(fiscal_year_label(g) for g in gaps)
            )
        if fy[0] < base:
            raise HealthFundError(
                f"{fiscal_year_label(int(fy[0]))} is before the base year {self._base_label()}; "
                "a projection starts in or after its base year"
            )
        return fy

    def _base_label(self) -> str:
        if self.base_year is None:
            return "year 0"
        return str(self.base_year) if self.plan_year == "calendar" else fiscal_year_label(self.base_year)

    def _plan_label(self, t: int) -> str:
        """Label of plan year ``t`` (for messages and trend keys)."""
        if self.base_year is None:
            return f"year {t}"
        y = self.base_year + t
        return str(y) if self.plan_year == "calendar" else fiscal_year_label(y)

    def _fy_labels(self, fy: np.ndarray) -> list[str]:
        if self.base_year is None:
            return [f"year {int(y)}" for y in fy]
        return [fiscal_year_label(int(y)) for y in fy]

    # ------------------------------------------------------------------ plan-year arithmetic
    def _tier_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str | None]]:
        """(enrollees, premium, cap) per tier in the base year, and each tier's group."""
        if self.tiers is None:
            premium = float(self.premium_cost)
            cap = self.contribution if self.contribution is not None else premium
            return np.array([1.0]), np.array([premium]), np.array([float(cap)]), [None]
        n = np.array([t[2] for t in self.tiers], dtype=float)
        p = np.array([t[3] for t in self.tiers], dtype=float)
        cap = np.array([t[4] if t[4] is not None else t[3] for t in self.tiers], dtype=float)
        return n, p, cap, [t[0] for t in self.tiers]

    def plan_years(self, last: int) -> dict[str, np.ndarray]:
        """Premium cost ``H``, contribution ``C`` and the number of enrollees by plan year
        ``t = 0..last`` (arrays of ``last + 1``), before any split into fiscal years."""
        n0, p0, cap0, groups = self._tier_arrays()
        T = int(last)
        growth = _growth_matrix(self.trend, groups, T, self._plan_label, self.plan_year)  # (J, T)
        factor = _cumulative(growth)  # (J, T+1)
        t = np.arange(T + 1)
        heads = n0[:, None] * (1.0 + self.enrollee_growth) ** t[None, :]
        prem = p0[:, None] * factor
        H = (heads * prem).sum(axis=0)
        C = _contribution(self.policy, H, heads, prem, cap0, self.cap_growth, self.share, self.contribution, t)
        return {"premium_cost": H, "contribution": C, "enrollees": heads.sum(axis=0)}

    # ------------------------------------------------------------------ projection
    def project(self, years: int | Iterable[str | int] = 3) -> pd.DataFrame:
        """Project the fund over ``years`` (see :meth:`fiscal_years`).

        Returns one row per fiscal year, columns :data:`PROJECTION_COLUMNS`:
        ``fiscal_year, premium_cost, contribution, shortfall, reserve_start,
        reserve_draw, reserve_end, below_floor`` then ``t`` (years after the base year;
        for a calendar plan, of the later half), ``employee_cost``, ``interest``,
        ``savings``, ``refill``. ``reserve_end`` is after any refill; ``below_floor`` says
        the year would have ended below the floor without it. ``attrs["floor_year"]`` is
        the first such fiscal year (None if none).
        """
        return self.compare([self.policy], years).drop(columns="policy").reset_index(drop=True)

    def floor_year(self, years: int | Iterable[str | int] = 3) -> str | None:
        """The first fiscal year the reserve would end below its floor (None if none)."""
        return self.project(years).attrs["floor_year"]

    def compare(self, policies: Sequence[str], years: int | Iterable[str | int] = 3) -> pd.DataFrame:
        """The projection under several policies at once (a ``policy`` column first);
        the policy parameters (``contribution``, ``cap_growth``, ``share``) are this
        fund's. ``attrs["floor_year"]`` maps each policy to its floor year."""
        policies = list(policies)
        for p in policies:
            if p not in POLICIES:
                raise HealthFundError(f"policy must be one of {', '.join(POLICIES)}, got {p!r}")
            if p == "share" and self.share is None:
                raise HealthFundError("the share policy needs share (the fraction of the premium the district pays)")
        fy = self.fiscal_years(years)
        base = self.base_year if self.base_year is not None else 0
        if self.plan_year == "calendar":
            last = int(fy[-1]) + 1 - base
        else:
            last = int(fy[-1]) - base
        growth = self.trend_matrix(years)
        arr = self._arrays(policies, fy, last, growth)
        C_f, short_f, draw, employee, savings, path = (arr[k] for k in ("contribution", "shortfall", "draw",
                                                                         "employee_cost", "savings", "path"))
        H_f = arr["premium_cost"]
        idx = fy - base
        P, Y = C_f.shape
        labels = self._fy_labels(fy)
        t_col = (idx + 1 if self.plan_year == "calendar" else idx)
        table = pd.DataFrame({
            "policy": np.repeat(policies, Y),
            "fiscal_year": np.tile(labels, P),
            "premium_cost": H_f.ravel(),
            "contribution": C_f.ravel(),
            "shortfall": short_f.ravel(),
            "reserve_start": path["reserve_start"].ravel(),
            "reserve_draw": draw.ravel(),
            "reserve_end": path["reserve_end"].ravel(),
            "below_floor": path["below_floor"].ravel(),
            "t": np.tile(t_col, P),
            "employee_cost": employee.ravel(),
            "interest": path["interest"].ravel(),
            "savings": np.tile(savings, P),
            "refill": path["refill"].ravel(),
        })
        first = {}
        for k, p in enumerate(policies):
            hit = np.flatnonzero(path["below_floor"][k])
            first[p] = labels[int(hit[0])] if len(hit) else None
        table.attrs["floor_year"] = first[policies[0]] if len(policies) == 1 else first
        table.attrs["base_year"] = self._base_label()
        table.attrs["plan_year"] = self.plan_year
        return table

    def trend_matrix(self, years: int | Iterable[str | int] = 3) -> np.ndarray:
        """The premium trend into plan years ``1..last`` for each tier (``(J, last)``
        fractions; one row per tier of :attr:`tiers`, one row in the simple form): the
        central values a simulation draws around."""
        fy = self.fiscal_years(years)
        last = self._last(fy)
        _, _, _, groups = self._tier_arrays()
        return _growth_matrix(self.trend, groups, last, self._plan_label, self.plan_year)

    def _last(self, fy: np.ndarray) -> int:
        base = self.base_year if self.base_year is not None else 0
        return int(fy[-1]) + 1 - base if self.plan_year == "calendar" else int(fy[-1]) - base

    def simulate_reserve(self, growth: np.ndarray, years: int | Iterable[str | int] = 3) -> dict[str, np.ndarray]:
        """The fund under its own policy for draws of the premium trend: ``growth`` has
        shape ``(D, J, last)`` (or ``(D, last)``, every tier alike), rates into plan years
        1..last as :meth:`trend_matrix` gives them. Returns ``(D, years)`` arrays by fiscal
        year: ``premium_cost``, ``contribution``, ``shortfall``, ``reserve_end``,
        ``below_floor`` (before any refill), ``refill``. The same arithmetic as
        :meth:`project`: the central trend gives its numbers exactly."""
        fy = self.fiscal_years(years)
        last = self._last(fy)
        growth = np.asarray(growth, dtype=float)
        if growth.ndim == 2:
            growth = growth[:, None, :]
        J = len(self._tier_arrays()[0])
        if growth.ndim != 3 or growth.shape[1] not in (1, J) or growth.shape[2] != last:
            raise HealthFundError(f"trend draws must have shape (draws, {J}, {last}) (plan years 1..{last}), got "
                                  f"{growth.shape}")
        if np.any(growth < -1):
            raise HealthFundError("a drawn premium trend is below -100%: the trend distribution is too wide")
        growth = np.broadcast_to(growth, (growth.shape[0], J, last))
        arr = self._arrays([self.policy], fy, last, growth)
        path = arr["path"]
        return {"premium_cost": arr["premium_cost"][:, 0], "contribution": arr["contribution"][:, 0],
                "shortfall": arr["shortfall"][:, 0], "reserve_end": path["reserve_end"][:, 0],
                "below_floor": path["below_floor"][:, 0], "refill": path["refill"][:, 0]}

    def _arrays(self, policies: Sequence[str], fy: np.ndarray, last: int, growth: np.ndarray) -> dict[str, Any]:
        """Premium cost, contribution, shortfall, reserve draw and path by fiscal year, for
        ``policies`` (axis -2) and, when ``growth`` has a leading draw axis, each draw."""
        base = self.base_year if self.base_year is not None else 0
        n0, p0, cap0, _ = self._tier_arrays()
        factor = _cumulative(growth)  # (..., J, T+1)
        t = np.arange(last + 1)
        heads = n0[:, None] * (1.0 + self.enrollee_growth) ** t[None, :]
        prem = p0[:, None] * factor
        H = (heads * prem).sum(axis=-2)  # (..., T+1)
        C = np.stack([_contribution(p, H, heads, prem, cap0, self.cap_growth, self.share, self.contribution, t)
                      for p in policies], axis=-2)  # (..., P, T+1)
        Hs = np.broadcast_to(H[..., None, :], C.shape)
        short = np.maximum(Hs - C, 0.0)
        surplus = np.maximum(C - Hs, 0.0)
        idx = fy - base
        if self.plan_year == "calendar":
            def to_fy(x: np.ndarray) -> np.ndarray:
                return 0.5 * (x[..., idx] + x[..., idx + 1])
        else:
            def to_fy(x: np.ndarray) -> np.ndarray:
                return x[..., idx]
        H_f, C_f, short_f, surplus_f = (to_fy(x) for x in (Hs, C, short, surplus))
        paid_by = np.array([self.shortfall_paid_by or ("employees" if p == "share" else "reserve") for p in policies])
        by_reserve = (paid_by == "reserve")[:, None]
        draw = np.where(by_reserve, short_f, 0.0) - surplus_f
        employee = np.where(by_reserve, 0.0, short_f)
        savings = self._savings(fy)
        path = reserve_path(self.reserve, draw, savings, self.interest, self.floor, self.refill)
        return {"premium_cost": H_f, "contribution": C_f, "shortfall": short_f, "draw": draw,
                "employee_cost": employee, "savings": savings, "path": path}

    def _savings(self, fy: np.ndarray) -> np.ndarray:
        s = self.savings
        if _is_number(s):
            return np.full(len(fy), float(s))
        if isinstance(s, Mapping):
            try:
                by_year = {parse_fiscal_year(k): float(v) for k, v in s.items()}
            except (FiscalYearError, TypeError, ValueError) as exc:
                raise HealthFundError(f"savings: expected {{fiscal year: dollars}}, got {s!r} ({exc})") from exc
            return np.array([by_year.get(int(y), 0.0) for y in fy])
        raise HealthFundError(f"savings must be dollars a year or {{fiscal year: dollars}}, got {s!r}")

    def replace(self, **changes: Any) -> HealthFund:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------- core formulas
def reserve_path(reserve: float, draw: np.ndarray, savings: np.ndarray | float = 0.0, interest: float = 0.0,
                 floor: float = 0.0, refill: bool = False) -> dict[str, np.ndarray]:
    """The reserve over consecutive years, vectorized over the last axis of ``draw``.

    ``R_end,t = R_start,t x (1 + i) - draw_t + savings_t (+ refill_t)``, ``R_start,1 =
    reserve``, ``R_start,t+1 = R_end,t``. With ``D_t = (1 + i)^t`` and ``x_t = savings_t -
    draw_t``, ``R_end,t / D_t = reserve + sum_{k<=t} x_k / D_k`` without refill. With
    refill (the district restores the floor ``F``) the scaled balance follows
    ``V_t = max(F / D_t, V_{t-1} + x_t / D_t)``, whose solution is ``S_t + M_t`` with
    ``S_t`` the sum above and ``M_t = max(0, max_{k<=t}(F / D_k - S_k))``: the cumulative
    top-up (a running maximum). ``below_floor`` flags years whose balance before any
    top-up is below ``F``.

    >>> p = reserve_path(300.0, np.array([66.0, 136.0, 210.1]), floor=100.0)
    >>> p["reserve_end"].round(1).tolist(), p["below_floor"].tolist()
    ([234.0, 98.0, -112.1], [False, True, True])
    >>> reserve_path(300.0, np.array([66.0, 136.0, 210.1]), floor=100.0, refill=True)["refill"].round(1).tolist()
    [0.0, 2.0, 210.1]
    """
    draw = np.asarray(draw, dtype=float)
    T = draw.shape[-1]
    x = np.broadcast_to(np.asarray(savings, dtype=float), draw.shape) - draw
    disc = (1.0 + float(interest)) ** np.arange(1, T + 1)  # D_1..D_T
    S = float(reserve) + np.cumsum(x / disc, axis=-1)
    if refill:
        M = np.maximum(np.maximum.accumulate(float(floor) / disc - S, axis=-1), 0.0)
    else:
        M = np.zeros_like(S)
    end = (S + M) * disc
    M_prev = np.concatenate([np.zeros(M.shape[:-1] + (1,)), M[..., :-1]], axis=-1)
    top_up = (M - M_prev) * disc
    start = np.concatenate([np.full(end.shape[:-1] + (1,), float(reserve)), end[..., :-1]], axis=-1)
    before = end - top_up
    # exact zero where no top-up happened (avoid -0.0 and rounding noise)
    top_up = np.where(M > M_prev, top_up, 0.0)
    return {
        "reserve_start": start,
        "interest": start * float(interest),
        "reserve_end": end,
        "before_refill": before,
        "refill": top_up,
        "below_floor": before < float(floor) - 1e-9 * max(1.0, abs(float(floor))),
    }


def _cumulative(growth: np.ndarray) -> np.ndarray:
    """(J, T) growth rates into years 1..T -> (J, T+1) factors, 1 in year 0."""
    ones = np.ones(growth.shape[:-1] + (1,))
    return np.concatenate([ones, np.cumprod(1.0 + growth, axis=-1)], axis=-1)


def _contribution(policy: str, H: np.ndarray, heads: np.ndarray, prem: np.ndarray, cap0: np.ndarray,
                  cap_growth: float, share: float | None, contribution: float | None, t: np.ndarray) -> np.ndarray:
    """The district's contribution by plan year under ``policy`` (vectorized over years)."""
    if policy == "current_levels":
        return H.copy()
    if policy == "freeze":
        frozen = H[..., :1] if contribution is None else np.full(H.shape[:-1] + (1,), float(contribution))
        return np.broadcast_to(frozen, H.shape).copy()
    if policy == "cap":
        caps = cap0[:, None] * (1.0 + cap_growth) ** t[None, :]
        return (heads * np.minimum(prem, caps)).sum(axis=-2)
    if policy == "share":
        return float(share) * H
    raise HealthFundError(f"unknown policy {policy!r}")  # pragma: no cover


# ---------------------------------------------------------------------------- inputs
def _is_number(x: object) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool)


def _check_rate(value: object, name: str) -> float:
    if not _is_number(value) or not math.isfinite(float(value)):
        raise HealthFundError(f"{name} must be a number (a fraction a year), got {value!r}")
    if float(value) < -1:
        raise HealthFundError(f"{name} of {float(value):.2%} is below -100%: a cost cannot fall by more than all of it")
    return float(value)


def _parse_year(value: object, plan_year: str, what: str) -> int:
    """A fiscal year (start year) for a fiscal plan, a calendar year for a calendar plan."""
    if plan_year == "calendar":
        if isinstance(value, bool):
            raise HealthFundError(f"{what}: expected a calendar year such as 2018, got {value!r}")
        if isinstance(value, int | np.integer):
            return int(value)
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
            return int(value.strip())
        raise HealthFundError(f"{what}: a calendar-year plan is keyed by calendar years such as 2018, got {value!r}")
    try:
        return parse_fiscal_year(value)  # type: ignore[arg-type]
    except FiscalYearError as exc:
        raise HealthFundError(f"{what}: {exc}") from exc


def _check_trend_values(trend: object) -> None:
    """Every number in a trend spec is a rate of at least -100%."""
    if _is_number(trend):
        _check_rate(trend, "trend")
    elif isinstance(trend, Mapping):
        if not trend:
            raise HealthFundError("trend is empty")
        for k, v in trend.items():
            if isinstance(v, Mapping | list | tuple | np.ndarray):
                _check_trend_values(v)
            else:
                _check_rate(v, f"trend[{k!r}]")
    elif isinstance(trend, list | tuple | np.ndarray):
        for k, v in enumerate(trend, start=1):
            _check_rate(v, f"trend for year {k}")
    else:
        raise HealthFundError(f"trend must be a number, {{year: rate}}, a list of rates or rates by group, got {trend!r}")


def _growth_row(spec: object, T: int, label, plan_year: str, what: str) -> np.ndarray:
    """Growth rates into plan years 1..T from one trend spec (no groups)."""
    if _is_number(spec):
        return np.full(T, _check_rate(spec, what))
    if isinstance(spec, Mapping):
        by_year = {}
        for k, v in spec.items():
            by_year[_parse_year(k, plan_year, f"{what} key")] = _check_rate(v, f"{what}[{k!r}]")
        out = np.empty(T)
        missing = []
        for t in range(1, T + 1):
            key = label(t)
            year = _parse_year(key, plan_year, what) if not key.startswith("year") else None
            if year is None or year not in by_year:
                missing.append(key)
            else:
                out[t - 1] = by_year[year]
        if missing:
            raise HealthFundError(f"{what} has no value for {', '.join(missing)} (missing years; the projection needs "
                                  f"every year after the base year)")
        return out
    if isinstance(spec, list | tuple | np.ndarray):
        values = [_check_rate(v, f"{what} for year {k}") for k, v in enumerate(spec, start=1)]
        if len(values) < T:
            raise HealthFundError(f"{what} gives {len(values)} year(s) but the projection needs {T} "
                                  f"(missing {', '.join(label(t) for t in range(len(values) + 1, T + 1))})")
        return np.array(values[:T], dtype=float)
    raise HealthFundError(f"{what} must be a number, {{year: rate}} or a list of rates, got {spec!r}")


def _growth_matrix(trend: object, groups: list[str | None], T: int, label, plan_year: str) -> np.ndarray:
    """(tiers, T) growth rates: one spec for all tiers, or one per group."""
    if isinstance(trend, Mapping) and trend and set(trend) <= set(GROUPS):
        rows = {}
        for g in dict.fromkeys(groups):
            if g not in trend:
                raise HealthFundError(f"trend has no value for group {g!r} (trend given for {', '.join(trend)})")
            rows[g] = _growth_row(trend[g], T, label, plan_year, f"trend for {g}")
        return np.stack([rows[g] for g in groups])
    row = _growth_row(trend, T, label, plan_year, "trend")
    return np.broadcast_to(row, (len(groups), T)).copy()


def _normalize_tiers(tiers: object) -> tuple | None:
    """Tiers as a tuple of ``(group, tier, enrollees, premium, cap)`` (cap may be None)."""
    if tiers is None:
        return None
    if isinstance(tiers, pd.DataFrame):
        records = tiers.to_dict("records")
    elif isinstance(tiers, Sequence) and not isinstance(tiers, str):
        records = []
        for r in tiers:
            if isinstance(r, Mapping):
                records.append(dict(r))
            elif isinstance(r, Sequence) and not isinstance(r, str) and len(r) in (4, 5):
                records.append(dict(zip(TIER_COLUMNS, r, strict=False)))
            else:
                raise HealthFundError(f"tiers: each tier is a table of {', '.join(TIER_COLUMNS)}, got {r!r}")
    else:
        raise HealthFundError(f"tiers must be a table (DataFrame or list of rows), got {tiers!r}")
    if not records:
        raise HealthFundError("tiers is empty")
    out = []
    seen = set()
    for i, r in enumerate(records, start=1):
        unknown = set(r) - set(TIER_COLUMNS)
        if unknown:
            raise HealthFundError(f"tiers row {i}: unknown column(s) {', '.join(sorted(unknown))}; expected {', '.join(TIER_COLUMNS)}")
        group, tier = r.get("group"), r.get("tier")
        if group not in GROUPS:
            raise HealthFundError(f"tiers row {i}: group must be one of {', '.join(GROUPS)}, got {group!r}")
        if tier not in TIERS:
            raise HealthFundError(f"tiers row {i}: tier must be one of {', '.join(TIERS)}, got {tier!r}")
        if (group, tier) in seen:
            raise HealthFundError(f"tiers row {i}: {group} {tier} is listed twice")
        seen.add((group, tier))
        vals = []
        for col in ("enrollees", "premium", "cap"):
            v = r.get(col)
            if col == "cap" and (v is None or (isinstance(v, float) and math.isnan(v))):
                vals.append(None)
                continue
            if not _is_number(v) or not math.isfinite(float(v)) or float(v) < 0:
                raise HealthFundError(f"tiers row {i}: {col} must be a number, 0 or more, got {v!r}")
            vals.append(float(v))
        out.append((group, tier, *vals))
    return tuple(out)
