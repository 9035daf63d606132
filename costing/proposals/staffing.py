"""Staffing ratios: positions per student, school by school (METHODOLOGY section 6).

A :class:`Staffing` proposal sets a ratio (students per position) for one role (any
classification of the workforce: ``Counselor``, ``School Psychologist``, ``Psychiatric
Social Worker``, ``School Nurse``, ``Pupil Services and Attendance Counselor``, ``Teacher
Librarian`` ...)::

    students_s = enrollment of school s in the counted grades (``grades``, default TK-12)
    scope "school":   needed_s = max(round(students_s / ratio), minimum)   (schools with students)
                      added    = sum over reached schools of max(0, needed_s - current_s)
    scope "district": needed   = round(sum over reached schools of max(students_s / ratio, minimum))
                      added    = max(0, needed - sum of current_s)

``round`` is ``ceil`` (whole positions) or ``fractional`` (FTE as computed). Without the
``max(0, .)`` when ``net = true``. ``current_s`` = full-time equivalents (``count x
fte``) of the role's workforce rows with that ``school_code``, plus the role's rows with
no (or an unknown) school code, shared among all schools in proportion to their students
in the counted grades.

Ratios may be a list by fiscal year from the effective year (the last carries on);
``phase_in`` funds a share of the added positions each year. Cost = positions x fully
loaded cost of the role (:func:`costing.positions.loaded_cost`, the role's own salary
basis and retirement system) x share of the year paid. Named presets (``preset =
"ASCA"``) take the role and ratio of the professional benchmarks in
``data/rates/staffing_benchmarks.csv``: ASCA 250:1 counselors, NASP 500:1 psychologists,
SSWAA 250:1 social workers, NASN 750:1 nurses.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from .. import positions as pos
from ..calendar import check_effective_date
from .base import CostProposal, register
from .pay import ProposalError

if TYPE_CHECKING:  # pragma: no cover
    from ..district import District
    from ..engine import PricingOptions

__all__ = ["ROUNDING", "SCOPES", "Staffing", "current_positions", "preset"]

SCOPES = ("school", "district")
ROUNDING = ("ceil", "fractional")


@lru_cache(maxsize=1)
def _benchmarks() -> pd.DataFrame:
    return pos.staffing_benchmarks()


def preset(name: str) -> tuple[str, float]:
    """(role, ratio) of a named benchmark, e.g. ``preset("ASCA") == ("Counselor", 250.0)``.

    >>> preset("NASN")
    ('School Nurse', 750.0)
    """
    b = _benchmarks()
    row = b[b["preset"] == name]
    if row.empty:
        raise ProposalError(f"unknown staffing preset {name!r}; the presets are {', '.join(b['preset'])}")
    return str(row["role"].iloc[0]), float(row["ratio"].iloc[0])


def current_positions(district: District, role: str, students: np.ndarray) -> np.ndarray:
    """Full-time equivalents of ``role`` at each school of the district's schools table:
    rows by ``school_code``, the rest shared in proportion to ``students`` (one per school)."""
    wf = district.workforce
    rows = wf[wf["classification"].astype(str) == role]
    S = len(district.schools)
    w = rows["count"].to_numpy(float) * rows["fte"].to_numpy(float)
    if "school_code" in rows.columns:
        given = rows["school_code"].notna().to_numpy()
        keys = np.where(given, rows["school_code"].astype(str).to_numpy(dtype=object), "")
        where = pd.Index(pos.school_codes(district.schools)).get_indexer(keys)
    else:
        where = np.full(len(rows), -1)
    known = where >= 0
    current = np.bincount(where[known], weights=w[known], minlength=S).astype(float)
    spread = w[~known].sum()
    total = students.sum()
    if spread and total > 0:
        current += spread * students / total
    return current


def _ratios(v: Any) -> tuple[float, ...]:
    items = (v,) if isinstance(v, int | float) and not isinstance(v, bool) else tuple(v or ())
    if not items:
        raise ProposalError("a staffing proposal needs a ratio (students per position) or a preset")
    for x in items:
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) or not x > 0:
            raise ProposalError(f"ratio must be students per position, a number above 0, got {x!r}")
    return tuple(float(x) for x in items)


@register
@dataclass(frozen=True)
class Staffing(CostProposal):
    """A staffing ratio for one role (formulas in the module docstring).

    ``role``: a classification; ``ratio``: students per position (a number or a tuple by
    year); ``preset``: a benchmark name that supplies role and ratio when they are not
    given; ``scope``: ``school`` or ``district``; ``rounding``: ``ceil`` or
    ``fractional``; ``minimum``: positions per school (e.g. 1.0, a full-time nurse at
    every school); ``grades``: the students counted (a band, default ``TK-12``);
    targeting, ``phase_in``, ``net``, ``salary_basis``, ``unit``, ``retirement`` as for
    :class:`~costing.proposals.class_size.ClassSize`.
    """

    role: str = ""
    ratio: tuple[float, ...] | float = ()
    effective: dt.date | str | None = None
    scope: str = "school"
    rounding: str = "ceil"
    minimum: float = 0.0
    grades: str = "TK-12"
    schools: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    top_n: int | None = None
    rank_by: str = "frpm_share"
    phase_in: tuple[float, ...] = (1.0,)
    net: bool = False
    salary_basis: pos.SalaryBasis = field(default_factory=pos.SalaryBasis)
    unit: str = ""
    retirement: str = ""
    preset: str = ""
    origin: str = field(default="", compare=False, repr=False)

    kind_name: ClassVar[str] = "staffing"

    def __post_init__(self) -> None:
        if self.preset:
            role, ratio = preset(self.preset)
            if not self.role:
                object.__setattr__(self, "role", role)
            if self.ratio in ((), None):
                object.__setattr__(self, "ratio", ratio)
        if not isinstance(self.role, str) or not self.role:
            raise ProposalError("a staffing proposal needs a role (a classification of the workforce) or a preset")
        object.__setattr__(self, "ratio", _ratios(self.ratio))
        if self.effective is None:
            raise ProposalError("a staffing proposal needs an effective date")
        object.__setattr__(self, "effective", check_effective_date(self.effective))
        if self.scope not in SCOPES:
            raise ProposalError(f"scope must be 'school' or 'district', got {self.scope!r}")
        if self.rounding not in ROUNDING:
            raise ProposalError(f"rounding must be 'ceil' or 'fractional', got {self.rounding!r}")
        m = self.minimum
        if isinstance(m, bool) or not isinstance(m, int | float) or not math.isfinite(m) or m < 0:
            raise ProposalError(f"minimum must be a number of positions of at least 0, got {m!r}")
        object.__setattr__(self, "minimum", float(m))
        pos.parse_band(self.grades)
        pos.check_targeting_fields(self)
        pos.normalise_position_fields(self)

    # ------------------------------------------------------------------ checks
    def check(self, district: District, fiscal_years: list[str]) -> list[str]:
        return pos.position_problems(self, district, fiscal_years)

    # ------------------------------------------------------------------ arrays
    def needed(self, students: np.ndarray, ratio: float) -> np.ndarray:
        """Positions needed at each school (school scope) under ``ratio``."""
        x = students / ratio
        if self.rounding == "ceil":
            x = np.ceil(x)
        return np.where(students > 0, np.maximum(x, self.minimum), 0.0)

    def _compute(self, district: District, fiscal_years: list[str], options: PricingOptions | None):
        return pos.memo(district, ("staffing", self, tuple(fiscal_years), options),
                        lambda: self._compute_now(district, fiscal_years, options))

    def _compute_now(self, district: District, fiscal_years: list[str], options: PricingOptions | None):
        problems = self.check(district, fiscal_years)
        if problems:
            raise ProposalError(f"staffing {self.name!r}: " + "; ".join(problems))
        schools = district.schools
        lo, hi = pos.parse_band(self.grades)
        students = pos.school_arrays(district)[0][:, lo:hi + 1].sum(axis=1)
        current = current_positions(district, self.role, students)
        reach = pos.target_schools(schools, self.schools, self.school_types, self.top_n, self.rank_by)
        k, phase, paid = pos.year_factors(self.effective, fiscal_years, self.phase_in)
        ratio = np.array(self.ratio)[np.clip(k, 0, len(self.ratio) - 1)]  # Y
        Y = len(fiscal_years)
        rc = pos.role_cost(district, self.role, self.salary_basis, self.unit, self.retirement)
        per = pos.loaded_cost(district, rc, fiscal_years, options)
        fys = np.array(fiscal_years, dtype=object)
        if self.scope == "school":
            need = np.stack([self.needed(students, r) for r in ratio])  # Y x S
            gap = need - current[None, :]
            gap = gap if self.net else np.maximum(gap, 0.0)
            added = gap * reach[None, :] * phase[:, None]  # Y x S
            rows = np.flatnonzero(reach & (students > 0))
            yy = np.repeat(np.arange(Y), len(rows))
            ss = np.tile(rows, Y)
            n_pos = added[yy, ss]
            codes = pos.school_arrays(district)[2][ss]
            extra = {"students": students[ss], "needed": need[yy, ss], "current": current[ss]}
            total = added.sum(axis=1)
        else:
            x = np.where(students > 0, np.maximum(students[None, :] / ratio[:, None], self.minimum), 0.0)
            need = (x * reach[None, :]).sum(axis=1)
            if self.rounding == "ceil":
                need = np.ceil(need)
            have = float((current * reach).sum())
            gap = need - have
            total = (gap if self.net else np.maximum(gap, 0.0)) * phase
            yy = np.arange(Y)
            n_pos = total
            codes = np.full(Y, pos.DISTRICT_WIDE, dtype=object)
            extra = {"students": np.full(Y, float((students * reach).sum())), "needed": need,
                     "current": np.full(Y, have)}
        total = np.where(k >= 0, total, 0.0)
        n_pos = np.where(k[yy] >= 0, n_pos, 0.0)
        money = {c: n_pos * per[c][yy] * paid[yy] for c in pos.COST_COMPONENTS}
        detail = pd.DataFrame({
            "school_code": codes, "grade_band": self.grades, "role": self.role, "fiscal_year": fys[yy],
            "positions": n_pos, "sections": 0.0, "classrooms": 0.0, **money,
            "cost": money["salary"] + money["statutory_benefits"] + money["health_welfare"], **extra,
        })
        amounts = {c: total * per[c] * paid for c in pos.COST_COMPONENTS}
        ledger = pos.ledger_rows(fiscal_years, rc.unit, rc.role, amounts, total)
        return ledger, detail

    # ------------------------------------------------------------------ the CostProposal contract
    def cost_rows(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self._compute(district, fiscal_years, options)[0].copy()

    def detail(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self._compute(district, fiscal_years, options)[1].copy()

    KEYS: ClassVar[tuple[str, ...]] = (
        "name", "preset", "role", "ratio", "effective", "scope", "rounding", "minimum", "grades", *pos.TARGET_KEYS,
        "phase_in", "net", "salary_basis", "unit", "retirement")

    @classmethod
    def from_table(cls, table: dict[str, Any], label: str, problems: list[str]) -> Staffing | None:
        r = pos.TableReader(table, label, problems, cls.KEYS)
        kw: dict[str, Any] = {"name": r.text("name"), "effective": r.date("effective")}
        kw["preset"] = r.text("preset")
        if kw["preset"]:
            try:
                preset(kw["preset"])
            except ProposalError as exc:
                r.fail("preset", str(exc))
        kw["role"] = r.text("role", required=not kw["preset"])
        kw["ratio"] = r.numbers("ratio", positive=True, required=not kw["preset"]) or ()
        kw["scope"] = r.text("scope", "school", SCOPES)
        kw["rounding"] = r.text("rounding", "ceil", ROUNDING)
        kw["minimum"] = r.number("minimum", 0.0, at_least=0.0)
        kw["grades"] = r.text("grades", "TK-12")
        if r.has("grades"):
            try:
                pos.parse_band(kw["grades"])
            except ProposalError as exc:
                r.fail("grades", str(exc))
        kw.update(r.targeting())
        kw.update(r.position_cost())
        return r.build(cls, kw)

    def to_table(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.preset:
            out["preset"] = self.preset
        out.update({"role": self.role, "ratio": self.ratio[0] if len(self.ratio) == 1 else list(self.ratio),
                    "effective": self.effective, "scope": self.scope, "rounding": self.rounding,
                    "minimum": self.minimum, "grades": self.grades})
        out.update(pos.targeting_table(self))
        out.update({"phase_in": [pos.pct_out(x) for x in self.phase_in], "net": self.net,
                    "salary_basis": self.salary_basis.to_value()})
        if self.unit:
            out["unit"] = self.unit
        if self.retirement:
            out["retirement"] = self.retirement
        return out
