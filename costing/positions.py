"""Positions: what an added position costs, which schools a proposal reaches, and views
of the positions and costs that class-size, staffing and program proposals add.

Shared by :mod:`costing.proposals.class_size`, :mod:`costing.proposals.staffing` and
:mod:`costing.proposals.programs`.

**Fully loaded cost of one position** (one full-time equivalent) of a role in fiscal
year ``t`` (METHODOLOGY sections 5 and 6)::

    salary_t  = S                                   (the salary basis, base-year dollars)
    stat_t    = S x (pension_t + oasdi_t x min(S, WB_t) / S + medicare + sui_t + wc_t)
    health_t  = premium_t                           (one enrollee per full-time position)
    total_t   = salary_t + stat_t + health_t

``S`` is the role's **salary basis**: the district average of the role (``count x fte``
weighted mean of the base-year annual pay of the workforce rows of that classification,
the usual basis), one schedule cell (``schedule``, ``column``, ``step``: e.g. the first
step, the union's new-hire view) or a dollar amount. The pension rate is that of the
role's retirement system (the system of most of its workforce rows: ``STRS`` CalSTRS,
``PERS`` CalPERS, ``none``); Social Security only for the systems in
``PricingOptions.oasdi_systems`` (default CalPERS), up to the wage base. Rates are the
district's dated rates of the fiscal year paid. The salary stays at base-year rates in
every year: a scenario's raises are not applied to the positions it adds (price the
raise on the whole unit, or use a later salary basis, to include them).

**Dates.** A proposal takes effect on the first of a month; its first fiscal year costs
``months left / 12`` (:func:`costing.calendar.share_of_year_remaining`); positions
(``fte``) are counted in full in every year the proposal is in force. A **phase-in** is a
list of shares of the full number of positions, one per fiscal year from the effective
year (the last share carries on): ``(0.5, 1.0)`` funds half the positions in the first
year and all of them after.

**Targeting.** A proposal reaches every school of the district's schools table unless
narrowed by ``schools`` (a list of school codes), ``school_types`` (values of the
``school_type`` column) and ``top_n`` (the N schools with the highest ``rank_by``, e.g.
``frpm_share``, among those left by the first two filters; ties broken by school code).

**Detail.** Each proposal's ``detail()`` has one row per school (or ``district-wide``),
grade band or role and fiscal year, with :data:`DETAIL_COLUMNS`; the views below read
``Costing.details``, where the engine keeps them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .calendar import (
    EffectiveDateError,
    check_effective_date,
    fiscal_year_of,
    parse_fiscal_year,
    share_of_year_remaining,
)
from .errors import ProposalError
from .rates import RatesError

if TYPE_CHECKING:  # pragma: no cover
    from .costing import Costing
    from .district import District
    from .engine import PricingOptions

__all__ = [
    "DETAIL_COLUMNS",
    "DISTRICT_WIDE",
    "GRADES",
    "GRADE_COLUMNS",
    "RoleCost",
    "SalaryBasis",
    "by_grade_band",
    "by_role",
    "by_school",
    "by_year",
    "details",
    "enrollment_matrix",
    "lausd_class_size_caps",
    "loaded_cost",
    "need_share",
    "parse_band",
    "positions_by",
    "role_cost",
    "side_by_side",
    "staffing_benchmarks",
    "target_schools",
    "targeting_problems",
    "year_factors",
]

#: Grades of a schools table, in order, and their enrollment columns.
GRADES = ("TK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
GRADE_COLUMNS = ("gr_tk", "gr_k", *(f"gr_{g:02d}" for g in range(1, 13)))
#: ``school_code`` of detail rows not tied to one school (district-wide staffing, programs
#: per community or per district).
DISTRICT_WIDE = "district-wide"
#: Columns of every position proposal's detail table.
DETAIL_COLUMNS = [
    "school_code",
    "grade_band",
    "role",
    "fiscal_year",
    "positions",
    "sections",
    "classrooms",
    "salary",
    "statutory_benefits",
    "health_welfare",
    "cost",
]
COST_COMPONENTS = ("salary", "statutory_benefits", "health_welfare")


# ---------------------------------------------------------------------------- grades
def parse_band(text: object) -> tuple[int, int]:
    """First and last grade index (into :data:`GRADES`) of a grade band.

    >>> parse_band("TK-3")
    (0, 4)
    >>> parse_band("9-12")
    (10, 13)
    >>> parse_band("K")
    (1, 1)
    """
    if not isinstance(text, str):
        raise ProposalError(f"a grade band must be text such as 'TK-3', got {text!r}")
    parts = [p.strip().upper() for p in text.strip().split("-")]
    ok = len(parts) in (1, 2) and all(p in GRADES for p in parts)
    if ok:
        lo, hi = GRADES.index(parts[0]), GRADES.index(parts[-1])
        if lo <= hi:
            return lo, hi
    raise ProposalError(
        f"unknown grade band {text!r}: write FIRST-LAST with grades TK, K, 1 ... 12, "
        "lowest first (e.g. 'TK-3', '4-5', '6-8', '9-12')"
    )


def enrollment_matrix(schools: pd.DataFrame) -> np.ndarray:
    """Enrollment by school (rows) and grade (:data:`GRADES`, columns), float64; a
    missing or empty grade cell counts as zero students."""
    out = np.zeros((len(schools), len(GRADES)))
    have = [j for j, col in enumerate(GRADE_COLUMNS) if col in schools.columns]
    if have:
        block = schools[[GRADE_COLUMNS[j] for j in have]]
        try:
            values = block.to_numpy(dtype=float)
        except (TypeError, ValueError):
            values = block.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        out[:, have] = np.nan_to_num(values, nan=0.0)
    return out


def school_arrays(district: District) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(enrollment S x G, lowest grade index, school codes)`` of the district's schools
    table, computed once per district."""
    def build():
        e = enrollment_matrix(district.schools)
        return e, low_grade_index(district.schools, e), school_codes(district.schools)

    return memo(district, ("positions.school_arrays",), build)


def low_grade_index(schools: pd.DataFrame, enrollment: np.ndarray | None = None) -> np.ndarray:
    """Index of each school's lowest grade: the ``low_grade`` column (``P`` preschool
    counts as TK) or, without it, the first grade with students."""
    if "low_grade" in schools.columns:
        lab = schools["low_grade"].astype(str).str.strip().str.upper().replace({"P": "TK", "PK": "TK"})
        idx = lab.map({g: i for i, g in enumerate(GRADES)})
        if idx.notna().all():
            return idx.to_numpy(dtype=np.int64)
    e = enrollment_matrix(schools) if enrollment is None else enrollment
    has = e > 0
    return np.where(has.any(axis=1), has.argmax(axis=1), len(GRADES)).astype(np.int64)


def school_codes(schools: pd.DataFrame) -> np.ndarray:
    return schools["school_code"].astype(str).to_numpy(dtype=object)


# ---------------------------------------------------------------------------- targeting
def targeting_problems(schools: pd.DataFrame | None, codes: Sequence[str] = (), school_types: Sequence[str] = (),
                       top_n: int | None = None, rank_by: str = "frpm_share") -> list[str]:
    """Why a targeting rule cannot be applied to ``schools`` (empty when it can)."""
    if schools is None:
        return ["the district has no schools table (enrollment by school and grade is needed)"]
    problems = []
    if "school_code" not in schools.columns:
        return ["the district's schools table has no school_code column"]
    if codes:
        known = set(school_codes(schools))
        unknown = [c for c in codes if c not in known]
        if unknown:
            shown = ", ".join(repr(c) for c in unknown[:10]) + (" ..." if len(unknown) > 10 else "")
            problems.append(f"key 'schools': unknown school code(s) {shown} (not in the district's schools table)")
    if school_types:
        if "school_type" not in schools.columns:
            problems.append("key 'school_types': the district's schools table has no school_type column")
        else:
            have = set(schools["school_type"].astype(str))
            unknown = [t for t in school_types if t not in have]
            if unknown:
                problems.append(f"key 'school_types': unknown school type(s) {', '.join(repr(t) for t in unknown)}; "
                                f"the schools table has {', '.join(sorted(have))}")
    if top_n is not None and rank_by not in schools.columns:
        problems.append(f"key 'rank_by': the district's schools table has no column {rank_by!r}")
    elif top_n is not None and pd.to_numeric(schools[rank_by], errors="coerce").isna().all():
        problems.append(f"key 'rank_by': column {rank_by!r} of the schools table holds no numbers")
    return problems


def target_schools(schools: pd.DataFrame, codes: Sequence[str] = (), school_types: Sequence[str] = (),
                   top_n: int | None = None, rank_by: str = "frpm_share") -> np.ndarray:
    """Boolean mask of the schools a proposal reaches (see the module docstring)."""
    mask = np.ones(len(schools), dtype=bool)
    if codes:
        mask &= np.isin(school_codes(schools), np.array(list(codes), dtype=object))
    if school_types:
        mask &= schools["school_type"].astype(str).isin(list(school_types)).to_numpy()
    if top_n is not None:
        mask &= top_by(schools, top_n, rank_by, among=mask)
    return mask


def top_by(schools: pd.DataFrame, n: int, column: str, among: np.ndarray | None = None) -> np.ndarray:
    """Mask of the ``n`` schools (of ``among``) with the highest ``column``; ties broken
    by school code, missing values last."""
    value = pd.to_numeric(schools[column], errors="coerce").to_numpy(float)
    codes = school_codes(schools)
    among = np.ones(len(schools), bool) if among is None else among
    candidates = np.flatnonzero(among & ~np.isnan(value))
    order = candidates[np.lexsort((codes[candidates].astype(str), -value[candidates]))]
    out = np.zeros(len(schools), dtype=bool)
    out[order[: max(int(n), 0)]] = True
    return out


# ---------------------------------------------------------------------------- dates
def year_factors(effective: dt.date, fiscal_years: Sequence[str], phase_in: Sequence[float] = (1.0,)
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each fiscal year: ``k`` (years since the effective year, -1 before it), the
    phase-in share of the positions (0 before the effective year) and the share of the
    year paid (``months left / 12`` in the effective year, 1 after, 0 before).

    >>> k, phase, paid = year_factors(dt.date(2026, 1, 1), ["2025-26", "2026-27", "2027-28"], (0.5, 1.0))
    >>> k.tolist(), phase.tolist(), paid.tolist()
    ([0, 1, 2], [0.5, 1.0, 1.0], [0.5, 1.0, 1.0])
    """
    first = fiscal_year_of(effective)
    years = np.array([parse_fiscal_year(fy) for fy in fiscal_years], dtype=np.int64)
    k = years - first
    shares = np.asarray(phase_in, dtype=float)
    phase = np.where(k >= 0, shares[np.clip(k, 0, len(shares) - 1)], 0.0)
    paid = np.where(k > 0, 1.0, np.where(k == 0, share_of_year_remaining(effective), 0.0))
    return np.where(k >= 0, k, -1), phase, paid


# ---------------------------------------------------------------------------- salary basis
@dataclass(frozen=True)
class SalaryBasis:
    """Which salary an added position is paid: ``average`` of the role in the workforce,
    a ``schedule`` cell (``schedule``, ``column``, ``step``) or a dollar ``amount``.

    In a scenario file: ``salary_basis = "average"``, ``salary_basis = 85000.0`` or
    ``salary_basis = { schedule = "T", column = "G1", step = 1 }``.
    """

    kind: str = "average"
    amount: float | None = None
    schedule: str = ""
    column: str = ""
    step: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("average", "schedule", "amount"):
            raise ProposalError(f"salary basis must be 'average', a schedule cell or an amount, got {self.kind!r}")
        if self.kind == "amount" and (self.amount is None or not self.amount > 0 or not math.isfinite(self.amount)):
            raise ProposalError(f"a salary amount must be a number above 0, got {self.amount!r}")
        if self.kind == "schedule" and not (self.schedule and self.column and self.step is not None):
            raise ProposalError("a schedule salary basis needs schedule, column and step")

    @classmethod
    def parse(cls, value: Any, where: str) -> SalaryBasis:
        """From a scenario-file value (see the class docstring); ``where`` names the key."""
        if value is None or value == "average":
            return cls()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return cls(kind="amount", amount=float(value))
        if isinstance(value, dict):
            extra = sorted(set(value) - {"schedule", "column", "step"})
            if extra:
                raise ProposalError(f"{where}: unknown key(s) {', '.join(extra)}; expected schedule, column, step")
            step = value.get("step")
            if isinstance(step, bool) or not isinstance(step, int | float | Decimal):
                raise ProposalError(f"{where}: step must be a number, got {step!r}")
            return cls(kind="schedule", schedule=str(value.get("schedule", "")), column=str(value.get("column", "")),
                       step=float(step))
        raise ProposalError(f"{where}: expected \"average\", a dollar amount or "
                            f"{{ schedule = ..., column = ..., step = ... }}, got {value!r}")

    def to_value(self) -> Any:
        if self.kind == "average":
            return "average"
        if self.kind == "amount":
            return self.amount
        step = int(self.step) if self.step is not None and float(self.step).is_integer() else self.step
        return {"schedule": self.schedule, "column": self.column, "step": step}

    def describe(self) -> str:
        if self.kind == "average":
            return "district average of the role"
        if self.kind == "amount":
            return f"${self.amount:,.0f}"
        return f"schedule {self.schedule}, column {self.column}, step {self.step:g}"


@dataclass(frozen=True)
class RoleCost:
    """A role's unit, retirement system and base-year salary per full-time position."""

    role: str
    unit: str
    retirement: str
    salary: float
    basis: str


def _role_rows(district: District, role: str) -> pd.DataFrame:
    wf = district.workforce
    return wf[wf["classification"].astype(str) == role]


def _heaviest(rows: pd.DataFrame, column: str, weight: np.ndarray) -> str:
    s = pd.Series(weight, index=rows.index).groupby(rows[column].astype(str)).sum()
    return str(s.sort_values(ascending=False, kind="stable").index[0])


def role_cost_problems(district: District, role: str, basis: SalaryBasis, unit: str = "",
                       retirement: str = "") -> list[str]:
    """Why :func:`role_cost` cannot price ``role`` (empty when it can)."""
    try:
        role_cost(district, role, basis, unit, retirement)
    except ProposalError as exc:
        return [str(exc)]
    return []


def role_cost(district: District, role: str, basis: SalaryBasis, unit: str = "", retirement: str = "") -> RoleCost:
    """The unit, retirement system and salary of one full-time position of ``role``.

    ``unit`` and ``retirement`` default to those of most of the role's workforce rows
    (weighted by ``count x fte``); a role that is not in the workforce needs both and a
    salary basis other than the average.
    """
    key = ("positions.role_cost", role, basis, unit, retirement)
    cache = district._cache
    if key in cache:
        return cache[key]
    rows = _role_rows(district, role)
    weight = rows["count"].to_numpy(float) * rows["fte"].to_numpy(float)
    if rows.empty and not (unit and retirement and basis.kind != "average"):
        raise ProposalError(
            f"role {role!r} is not a classification in the workforce; give its unit, retirement "
            "(STRS, PERS or none) and a salary basis (a dollar amount or a schedule cell)"
        )
    if retirement and retirement not in ("STRS", "PERS", "none"):
        raise ProposalError(f"retirement must be STRS, PERS or none, got {retirement!r}")
    unit = unit or _heaviest(rows, "unit", weight)
    retirement = retirement or _heaviest(rows, "retirement", weight)
    if basis.kind == "amount":
        salary = float(basis.amount)
    elif basis.kind == "schedule":
        sch = district.schedules
        if sch is None:
            raise ProposalError("a schedule salary basis needs the district's salary schedules; it has none")
        cell = sch[(sch["schedule"] == basis.schedule) & (sch["column"] == basis.column)
                   & (sch["step"].astype(float) == float(basis.step))]
        if cell.empty:
            raise ProposalError(f"key 'salary_basis': no schedule cell (schedule {basis.schedule}, column "
                                f"{basis.column}, step {basis.step:g}) in the district's schedules")
        salary = float(cell["rate"].iloc[0])
        hourly = (rows["pay_basis"] == "hourly").to_numpy()
        if len(rows) and hourly.mean() > 0.5:  # an hourly role: rate x the role's average annual hours
            hours = rows["hours_per_day"].to_numpy(float) * rows["days_per_year"].to_numpy(float)
            salary *= float(np.average(hours, weights=rows["count"].to_numpy(float)))
    else:
        if weight.sum() <= 0:
            raise ProposalError(f"role {role!r} has no full-time equivalents in the workforce to average")
        from .workforce import annual_pay

        pay = annual_pay(rows)  # count x fte x salary, or count x rate x hours x days
        per_fte = np.where(rows["pay_basis"].to_numpy() == "hourly",
                           pay / rows["count"].to_numpy(float), pay / np.maximum(weight, 1e-300))
        people = np.where(rows["pay_basis"].to_numpy() == "hourly", rows["count"].to_numpy(float), weight)
        salary = float(np.average(per_fte, weights=people))
    out = RoleCost(role=role, unit=unit, retirement=retirement, salary=salary, basis=basis.describe())
    cache[key] = out
    return out


def statutory_rate(district: District, retirement: str, salary: float, fiscal_years: Sequence[str],
                   oasdi_systems: Sequence[str] = ("PERS",)) -> np.ndarray:
    """Statutory benefits per dollar of ``salary`` in each fiscal year: the pension rate
    of ``retirement``, Social Security (systems in ``oasdi_systems``, up to the wage base),
    Medicare, unemployment insurance and workers' compensation."""
    r = district.rates
    years = list(fiscal_years)
    if retirement == "STRS":
        pension = r.series("calstrs_employer", years)
    elif retirement == "PERS":
        pension = r.series("calpers_employer", years)
    else:
        pension = np.zeros(len(years))
    rate = pension + r.series("medicare", years) + r.series("sui", years) + r.series("workers_comp", years)
    if retirement in tuple(oasdi_systems):
        wage_base = r.series("oasdi_wage_base", years)
        rate = rate + r.series("oasdi", years) * np.minimum(salary, wage_base) / salary
    return rate


def loaded_cost(district: District, cost: RoleCost, fiscal_years: Sequence[str],
                options: PricingOptions | None = None) -> dict[str, np.ndarray]:
    """Cost of one full-time position in each fiscal year, by ledger component:
    ``salary``, ``statutory_benefits`` and ``health_welfare`` (arrays, one value a year)."""
    systems = options.oasdi_systems if options is not None else ("PERS",)
    key = ("positions.loaded_cost", cost, tuple(fiscal_years), tuple(systems))
    if key in district._cache:
        return district._cache[key]
    try:
        stat = statutory_rate(district, cost.retirement, cost.salary, fiscal_years, systems)
        premium = district.rates.series("health_premium", list(fiscal_years))
    except RatesError as exc:
        raise ProposalError(str(exc)) from exc
    n = len(fiscal_years)
    out = {"salary": np.full(n, cost.salary), "statutory_benefits": cost.salary * stat,
           "health_welfare": np.asarray(premium, dtype=float)}
    district._cache[key] = out
    return out


def memo(district: District, key: tuple, fn: Callable[[], Any]) -> Any:
    """``fn()`` computed once per district and key (kept in the district's cache), so
    ``cost_rows`` and ``detail`` of one proposal share one computation."""
    cache = district._cache
    if key not in cache:
        cache[key] = fn()
    return cache[key]


def ledger_rows(fiscal_years: Sequence[str], unit: str, classification: str, amounts: dict[str, np.ndarray],
                positions: np.ndarray, kind: str = "ongoing") -> pd.DataFrame:
    """Ledger rows of a position proposal: ``salary``, ``statutory_benefits`` and
    ``health_welfare`` for each fiscal year, ``fte`` (positions added) on the salary row."""
    n = len(fiscal_years)
    frames = []
    for comp in COST_COMPONENTS:
        frames.append(pd.DataFrame({
            "fiscal_year": list(fiscal_years), "unit": unit, "classification": classification,
            "component": comp, "kind": kind, "amount": np.asarray(amounts[comp], dtype=float),
            "fte": np.asarray(positions, dtype=float) if comp == "salary" else np.zeros(n),
        }))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------- benchmarks
def staffing_benchmarks() -> pd.DataFrame:
    """The professional staffing benchmarks (``data/rates/staffing_benchmarks.csv``): one
    row per preset with its role, ratio (students per position) and source."""
    from .district import data_dir

    path = Path(data_dir()) / "rates" / "staffing_benchmarks.csv"
    return pd.read_csv(path, dtype={"preset": str, "role": str})


# ---------------------------------------------------------------------------- file tables
def normalise_position_fields(p: Any) -> None:
    """Shared ``__post_init__`` step of position-adding proposals: ``phase_in`` checked,
    ``salary_basis`` parsed."""
    object.__setattr__(p, "phase_in", check_phase_in(p.phase_in))
    if not isinstance(p.salary_basis, SalaryBasis):
        object.__setattr__(p, "salary_basis", SalaryBasis.parse(p.salary_basis, "salary_basis"))


def position_problems(p: Any, district: District, fiscal_years: list[str]) -> list[str]:
    """What stops a position-adding proposal (class size, staffing) being priced: its
    date, its targeting and the cost of its role; each message prefixed by its origin."""
    problems = effective_problems(p.effective, fiscal_years)
    problems += targeting_problems(district.schools, p.schools, p.school_types, p.top_n, p.rank_by)
    problems += role_cost_problems(district, p.role, p.salary_basis, p.unit, p.retirement)
    return [f"{p.origin}: {m}" if p.origin else m for m in problems]


class TableReader:
    """Reads the keys of one scenario-file table, recording one message per problem
    (each starting with ``label``, the file and table)."""

    def __init__(self, table: dict, label: str, problems: list[str], allowed: Iterable[str]):
        self.table = table
        self.label = label
        self.problems = problems
        self.start = len(problems)
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                problems.append(f"{label}: unknown key {key!r}; expected one of {', '.join(allowed)}")

    @property
    def ok(self) -> bool:
        return len(self.problems) == self.start

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{self.label}: key {key!r}: {message}")

    def has(self, key: str) -> bool:
        return key in self.table

    def text(self, key: str, default: str = "", choices: Sequence[str] | None = None, required: bool = False) -> str:
        if key not in self.table:
            if required:
                self.problems.append(f"{self.label}: missing required key {key!r}")
            return default
        v = self.table[key]
        if not isinstance(v, str):
            self.fail(key, f"must be text, got {v!r}")
            return default
        if choices is not None and v not in choices:
            self.fail(key, f"must be one of {', '.join(repr(c) for c in choices)}, got {v!r}")
            return default
        return v

    def texts(self, key: str, what: str = "names") -> tuple[str, ...]:
        v = self.table.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            hint = " (school codes are text: write them in quotes, e.g. \"0101329\", to keep leading zeros)" if key == "schools" else ""
            self.fail(key, f"must be a list of {what}, got {self.table.get(key)!r}{hint}")
            return ()
        return tuple(v)

    def number(self, key: str, default: float | None = None, *, positive: bool = False, at_least: float | None = None,
               required: bool = False) -> float | None:
        if key not in self.table:
            if required:
                self.problems.append(f"{self.label}: missing required key {key!r}")
            return default
        return self._num(key, self.table[key], positive=positive, at_least=at_least)

    def _num(self, key: str, v: Any, *, positive: bool = False, at_least: float | None = None,
             what: str = "") -> float | None:
        if isinstance(v, bool) or not isinstance(v, int | float | Decimal) or not math.isfinite(float(v)):
            self.fail(key, f"{what}must be a number, got {v!r}")
            return None
        x = float(v)
        if positive and not x > 0:
            self.fail(key, f"{what}must be above 0, got {v}")
            return None
        if at_least is not None and x < at_least:
            self.fail(key, f"{what}must be at least {at_least:g}, got {v}")
            return None
        return x

    def numbers(self, key: str, *, positive: bool = False, required: bool = False, percent: bool = False,
                at_most: float | None = None) -> tuple[float, ...] | None:
        """A number or a list of numbers by year (percent values converted to fractions)."""
        if key not in self.table:
            if required:
                self.problems.append(f"{self.label}: missing required key {key!r}")
            return None
        v = self.table[key]
        items = v if isinstance(v, list) else [v]
        if not items:
            self.fail(key, "must be a number or a non-empty list of numbers")
            return None
        out = []
        for i, x in enumerate(items):
            what = f"value {i + 1} " if isinstance(v, list) else ""
            n = self._num(key, x, positive=positive, what=what)
            if n is None:
                return None
            if at_most is not None and n > at_most:
                self.fail(key, f"{what}must be at most {at_most:g}, got {x}")
                return None
            out.append(float(Decimal(str(x)) / 100) if percent else n)
        return tuple(out)

    def integer(self, key: str, default: int | None = None, minimum: int = 0) -> int | None:
        if key not in self.table:
            return default
        v = self.table[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            self.fail(key, f"must be a whole number of at least {minimum}, got {v!r}")
            return default
        return int(v)

    def boolean(self, key: str, default: bool) -> bool:
        if key not in self.table:
            return default
        v = self.table[key]
        if not isinstance(v, bool):
            self.fail(key, f"must be true or false, got {v!r}")
            return default
        return v

    def date(self, key: str, required: bool = True) -> dt.date | None:
        if key not in self.table:
            if required:
                self.problems.append(f"{self.label}: missing required key {key!r}")
            return None
        v = self.table[key]
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date | str):
            self.fail(key, f"must be a date such as 2025-07-01, got {v!r}")
            return None
        try:
            return check_effective_date(v)
        except EffectiveDateError as exc:
            self.fail(key, str(exc))
            return None

    def position_cost(self) -> dict[str, Any]:
        """The keys every position-adding kind shares: ``phase_in`` (percents), ``net``,
        ``unit``, ``retirement`` and ``salary_basis``."""
        out: dict[str, Any] = {
            "phase_in": self.numbers("phase_in", positive=True, percent=True, at_most=100) or (1.0,),
            "net": self.boolean("net", False),
            "unit": self.text("unit"),
            "retirement": self.text("retirement", "", ("STRS", "PERS", "none")),
        }
        try:
            out["salary_basis"] = SalaryBasis.parse(self.table.get("salary_basis"), "salary_basis")
        except ProposalError as exc:
            self.fail("salary_basis", str(exc).removeprefix("salary_basis: "))
        return out

    def build(self, cls: type, kw: dict[str, Any]) -> Any:
        """``cls(origin=label, **kw)`` if no problem was found, else None (the problems,
        including one the constructor raises, are recorded)."""
        if not self.ok:
            return None
        try:
            return cls(origin=self.label, **kw)
        except ProposalError as exc:
            self.problems.append(f"{self.label}: {exc}")
            return None

    def targeting(self) -> dict[str, Any]:
        """``schools`` ("all" or a list of codes), ``school_types``, ``top_n``, ``rank_by``."""
        out: dict[str, Any] = {}
        v = self.table.get("schools", "all")
        out["schools"] = () if v == "all" else self.texts("schools", "school codes (or \"all\")")
        out["school_types"] = self.texts("school_types", "school types")
        out["top_n"] = self.integer("top_n", None, minimum=1)
        out["rank_by"] = self.text("rank_by", "frpm_share")
        return out


TARGET_KEYS = ("schools", "school_types", "top_n", "rank_by")


def targeting_table(p: Any) -> dict[str, Any]:
    """The targeting keys of a proposal, for its scenario-file table."""
    out: dict[str, Any] = {"schools": list(p.schools) if p.schools else "all"}
    if p.school_types:
        out["school_types"] = list(p.school_types)
    if p.top_n is not None:
        out["top_n"] = p.top_n
        out["rank_by"] = p.rank_by
    return out


def check_targeting_fields(p: Any) -> None:
    """Normalise and check a proposal's targeting fields (raises ProposalError)."""
    for key in ("schools", "school_types"):
        v = getattr(p, key)
        v = (v,) if isinstance(v, str) else tuple(v or ())
        if not all(isinstance(x, str) for x in v):
            raise ProposalError(f"{key} must be text values (school codes keep their leading zeros), got {v!r}")
        object.__setattr__(p, key, v)
    if p.top_n is not None and (isinstance(p.top_n, bool) or not isinstance(p.top_n, int) or p.top_n < 1):
        raise ProposalError(f"top_n must be a whole number of at least 1, got {p.top_n!r}")


def check_phase_in(phase_in: Any) -> tuple[float, ...]:
    v = (phase_in,) if isinstance(phase_in, int | float) else tuple(phase_in)
    if not v or not all(isinstance(x, int | float) and not isinstance(x, bool) and 0 < x <= 1 for x in v):
        raise ProposalError(f"phase_in must be shares above 0 and at most 1 (percent in files: 50.0 = half), got {phase_in!r}")
    return tuple(float(x) for x in v)


def pct_out(value: float) -> float:
    """A share in code -> percent in a file (0.5 -> 50.0), exact for shares read from
    files (``_pct_in`` of :mod:`costing.scenario_file` divides a decimal by 100)."""
    return float(Decimal(repr(float(value))) * 100)


def effective_problems(effective: dt.date, fiscal_years: Sequence[str]) -> list[str]:
    if fiscal_years and fiscal_year_of(effective) < parse_fiscal_year(fiscal_years[0]):
        return [f"key 'effective': {effective.isoformat()} is before the scenario's first fiscal year {fiscal_years[0]}"]
    return []


# ---------------------------------------------------------------------------- views
def details(result: Costing, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Every position and program detail of a Costing in one table: ``scenario, proposal``
    then :data:`DETAIL_COLUMNS` (and any extra columns a kind gives)."""
    frames = []
    for (scen, prop), table in result.details.items():
        if scenarios is not None and scen not in scenarios:
            continue
        if not isinstance(table, pd.DataFrame) or not set(DETAIL_COLUMNS) <= set(table.columns):
            continue  # a detail of another kind (e.g. health), not positions
        frames.append(table.assign(scenario=scen, proposal=prop))
    if not frames:
        return pd.DataFrame(columns=["scenario", "proposal", *DETAIL_COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", "proposal", *DETAIL_COLUMNS, *[c for c in out.columns if c not in DETAIL_COLUMNS
                                                          and c not in ("scenario", "proposal")]]]


MEASURES = ["positions", "sections", "classrooms", "cost"]


def positions_by(result: Costing, by: Sequence[str], scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions, sections, classrooms added and cost, summed by ``scenario``, the
    detail columns ``by`` and ``fiscal_year`` (one row each)."""
    d = details(result, scenarios)
    others = [b for b in by if b not in ("scenario", "fiscal_year")]
    names = ["scenario", *others, "fiscal_year"]
    if d.empty:
        return pd.DataFrame(columns=MEASURES, index=pd.MultiIndex.from_arrays([[]] * len(names), names=names))
    order = {fy: i for i, fy in enumerate(result.fiscal_years)}
    scen = [s for s in result.scenario_names if s in set(d["scenario"])]
    d = d.assign(scenario=pd.Categorical(d["scenario"], categories=scen), _fy=d["fiscal_year"].map(order))
    out = d.groupby(["scenario", *others, "_fy"], observed=True, sort=True)[MEASURES].sum()
    labels = np.array(result.fiscal_years, dtype=object)[out.index.get_level_values("_fy").to_numpy(int)]
    idx = out.index.droplevel("_fy").to_frame(index=False).astype({"scenario": str})
    idx["fiscal_year"] = labels
    out.index = pd.MultiIndex.from_frame(idx)
    return out


def by_school(result: Costing, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions and cost by scenario, school and fiscal year."""
    return positions_by(result, ["school_code"], scenarios)


def by_grade_band(result: Costing, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions and cost by scenario, grade band and fiscal year (class-size caps; the
    students counted, e.g. ``TK-12``, for staffing)."""
    return positions_by(result, ["grade_band"], scenarios)


def by_role(result: Costing, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions and cost by scenario, role and fiscal year."""
    return positions_by(result, ["role"], scenarios)


def by_year(result: Costing, scenarios: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions and cost by scenario and fiscal year."""
    return positions_by(result, [], scenarios)


def _last_year_rows(d: pd.DataFrame, result: Costing) -> pd.DataFrame:
    """Rows of each scenario's last fiscal year in ``d`` (positions are a stock: over
    several years the last year's count is reported, never a sum)."""
    order = {fy: i for i, fy in enumerate(result.fiscal_years)}
    rank = d["fiscal_year"].map(order)
    last = rank.groupby(d["scenario"]).transform("max")
    return d[rank == last]


def side_by_side(result: Costing, first: str, second: str, by: str = "fiscal_year") -> pd.DataFrame:
    """Two scenarios' positions and cost side by side, with ``second - first``.

    ``by = "fiscal_year"`` (default): one row per fiscal year and a total row (cost summed,
    positions of the last year). ``by`` = ``role``, ``grade_band`` or ``school_code``:
    cost summed over the years, positions of each scenario's last year.
    """
    d = details(result, [first, second])
    if by == "fiscal_year":
        keys: list = list(result.fiscal_years)
        cost = d.groupby(["scenario", by])["cost"].sum()
        pos = d.groupby(["scenario", by])["positions"].sum()
    else:
        keys = sorted(set(d[by])) if not d.empty else []
        cost = d.groupby(["scenario", by])["cost"].sum()
        pos = _last_year_rows(d, result).groupby(["scenario", by])["positions"].sum()
    cols: dict[tuple[str, str], np.ndarray] = {}
    for s in (first, second):
        for m, series in (("positions", pos), ("cost", cost)):
            own = series[series.index.get_level_values(0) == s].droplevel(0) if len(series) else series
            cols[(s, m)] = own.reindex(keys).fillna(0.0).to_numpy(float)
    for m in ("positions", "cost"):
        cols[("difference", m)] = cols[(second, m)] - cols[(first, m)]
    out = pd.DataFrame(cols, index=pd.Index(keys, name=by))
    out.columns = pd.MultiIndex.from_tuples(out.columns)
    if by == "fiscal_year" and len(out):
        total = out.sum()
        for s in (first, second, "difference"):
            total[(s, "positions")] = out[(s, "positions")].iloc[-1]
        out.loc["total (positions: last year)"] = total
    return out


def need_share(result: Costing, schools: pd.DataFrame, scenarios: Sequence[str] | None = None, n: int = 100,
               rank_by: str = "frpm_share") -> pd.DataFrame:
    """The share of each scenario's cost that falls on the ``n`` highest-need schools
    (highest ``rank_by`` in the whole schools table, ties by school code) versus the other
    schools, by fiscal year and over all years; costs not tied to a school (district-wide
    staffing, programs per community or per district) are a third group.

    Index ``scenario, fiscal_year, group``; columns ``positions`` (on the ``all years``
    rows: the last year's), ``cost`` and ``share`` (of the scenario's cost in that year).
    """
    top = set(school_codes(schools)[top_by(schools, n, rank_by)])
    d = details(result, scenarios)
    labels = [f"{n} highest {rank_by}", "other schools", DISTRICT_WIDE]
    group = np.where(d["school_code"].isin(top), labels[0],
                     np.where(d["school_code"] == DISTRICT_WIDE, labels[2], labels[1]))
    d = d.assign(group=group)
    per_year = d.groupby(["scenario", "fiscal_year", "group"])[["positions", "cost"]].sum()
    all_cost = d.groupby(["scenario", "group"])["cost"].sum()
    all_pos = _last_year_rows(d, result).groupby(["scenario", "group"])["positions"].sum()
    names = list(dict.fromkeys(d["scenario"])) if scenarios is None else list(scenarios)
    rows = []
    for s in names:
        years = [fy for fy in result.fiscal_years if fy in set(d.loc[d["scenario"] == s, "fiscal_year"])]
        for fy in [*years, "all years"]:
            for g in labels:
                if fy == "all years":
                    pos, cost = all_pos.get((s, g), 0.0), all_cost.get((s, g), 0.0)
                else:
                    pos = per_year["positions"].get((s, fy, g), 0.0)
                    cost = per_year["cost"].get((s, fy, g), 0.0)
                rows.append({"scenario": s, "fiscal_year": fy, "group": g, "positions": pos, "cost": cost})
    out = pd.DataFrame(rows, columns=["scenario", "fiscal_year", "group", "positions", "cost"])
    totals = out.groupby(["scenario", "fiscal_year"], sort=False)["cost"].transform("sum")
    out["share"] = np.where(totals > 0, out["cost"] / totals.where(totals > 0, 1.0), np.nan)
    return out.set_index(["scenario", "fiscal_year", "group"])


def lausd_class_size_caps() -> pd.DataFrame:
    """LAUSD's class-size caps under the UTLA 2022-25 agreement, one row per school group,
    kind of class, grade band and fiscal year (``data/lausd/class_size_caps.csv``; rows the
    source lacks have ``status = "missing"``)."""
    from .district import data_dir

    return pd.read_csv(Path(data_dir()) / "lausd" / "class_size_caps.csv", dtype={"fiscal_year": str})
