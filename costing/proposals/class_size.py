"""Class-size caps, priced school by school and grade by grade (METHODOLOGY section 5).

A :class:`ClassSize` proposal sets caps (a maximum and optionally an average) by grade
band and compares the teachers they need with the teachers the current caps need, at
every school it reaches, as arrays over all schools x grades at once.

**Self-contained classes** (elementary grades; grade 6 at a school whose span starts at
grade 5 or below, LAUSD's "4-5 (6)")::

    sections(school, band) = max( sum over grades g of ceil(E_g / maximum),   per grade
                                  ceil(E_band / average) )                      both bind
    with pooling = "combined" (combination classes, the lower bound):
    sections(school, band) = max( ceil(E_band / maximum), ceil(E_band / average) )
    teachers = sections; classrooms = sections

**Departmentalized classes** (grades from ``departmentalized_from``, default 6, except
grade 6 at elementary-span schools)::

    sections(school, band) = max( ceil(E_band x periods_per_student / maximum),
                                  ceil(E_band x periods_per_student / average) )
    teachers (FTE) = sections / periods_per_teacher
    classrooms     = ceil(sections / periods_per_student)   (a room is used every period)

``combined`` gives the lower bound of the sections a school needs under one set of caps
(METHODOLOGY 5: report both); the teachers *added* between two sets of caps are not
bounded either way by it (the per-grade count already carries rounding slack), so price
both ways to show the range.

**Added teachers** = teachers under the new caps minus teachers under the ``current``
caps, per school and grade band, never negative unless ``net = true`` (a band whose cap
is raised then frees teachers). Clipping per school and band is never below clipping per
school, and equal to it whenever no band's cap is raised. Only the schools the proposal reaches count
(:mod:`costing.positions`, targeting). Sections and classrooms added are reported the
same way (the facilities argument: rooms a school would need).

**Years.** Caps may be a list, one value per fiscal year from the effective year (the
last carries on): ``maximum = [25, 23]`` cuts to 25, then 23. ``phase_in`` funds a share
of the added teachers each year. Cost of a year = added teachers x phase-in share x
fully loaded cost of the role (:func:`costing.positions.loaded_cost`) x share of the year
paid. Ledger: ``salary``, ``statutory_benefits``, ``health_welfare`` of the role's unit
and classification (default ``Teacher``), ``fte`` = teachers added on the salary row.
Detail: one row per school the proposal reaches, grade band with students, and fiscal
year (:data:`costing.positions.DETAIL_COLUMNS` plus ``sections_current``,
``sections_new``, ``teachers_current``, ``teachers_new``).

Grade bands are written ``FIRST-LAST`` (``TK-3``, ``4-5``, ``6-8``, ``9-10``, ``11-12``)
and may not overlap; the ``current`` caps name the same bands as the new ones.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
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

__all__ = ["POOLING", "Cap", "ClassSize", "lausd_caps", "section_counts"]

POOLING = ("grade", "combined")
_GRADE_5 = pos.GRADES.index("5")
_GRADE_6 = pos.GRADES.index("6")


def _values(name: str, v: Any, allow_empty: bool = False) -> tuple[float, ...]:
    items = (v,) if isinstance(v, int | float) and not isinstance(v, bool) else tuple(v or ())
    if not items and allow_empty:
        return ()
    if not items:
        raise ProposalError(f"{name} needs a value")
    out = []
    for x in items:
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
            raise ProposalError(f"{name} must be a number, got {x!r}")
        if not x > 0:
            raise ProposalError(f"{name} must be above 0 students per class, got {x:g}")
        out.append(float(x))
    return tuple(out)


@dataclass(frozen=True)
class Cap:
    """Caps of one grade band: ``maximum`` students in any class and, optionally, the
    ``average`` over the band's classes at a school. Each is a number or a tuple by
    fiscal year from the effective year (the last value carries on)."""

    band: str
    maximum: tuple[float, ...] | float = ()
    average: tuple[float, ...] | float = ()

    def __post_init__(self) -> None:
        pos.parse_band(self.band)
        object.__setattr__(self, "maximum", _values(f"band {self.band}: maximum", self.maximum))
        object.__setattr__(self, "average", _values(f"band {self.band}: average", self.average, allow_empty=True))

    @property
    def grades(self) -> tuple[int, int]:
        return pos.parse_band(self.band)

    def at(self, j: int) -> tuple[float, float]:
        """(maximum, average) in schedule year ``j`` (average inf when none)."""
        m = self.maximum[min(j, len(self.maximum) - 1)]
        a = self.average[min(j, len(self.average) - 1)] if self.average else math.inf
        return m, a

    def to_table(self) -> dict[str, Any]:
        out: dict[str, Any] = {"band": self.band,
                               "maximum": self.maximum[0] if len(self.maximum) == 1 else list(self.maximum)}
        if self.average:
            out["average"] = self.average[0] if len(self.average) == 1 else list(self.average)
        return out


def _caps(name: str, caps: Any) -> tuple[Cap, ...]:
    caps = tuple(caps or ())
    if not all(isinstance(c, Cap) for c in caps):
        raise ProposalError(f"{name} must be Cap objects")
    taken: dict[int, str] = {}
    for c in caps:
        lo, hi = c.grades
        for g in range(lo, hi + 1):
            if g in taken:
                raise ProposalError(f"{name}: grade bands {taken[g]!r} and {c.band!r} overlap (grade {pos.GRADES[g]})")
            taken[g] = c.band
    return caps


def section_counts(enrollment: np.ndarray, band_of: np.ndarray, departmentalized: np.ndarray,
                   maximum: np.ndarray, average: np.ndarray, pooling: str = "grade",
                   periods_per_student: float = 6.0, periods_per_teacher: float = 5.0) -> dict[str, np.ndarray]:
    """Sections, teachers (FTE) and classrooms by cap scenario, school and band.

    ``enrollment`` (S x G) students by school and grade; ``band_of`` (S x G) the band of
    each cell (-1: not capped); ``departmentalized`` (S x G) cells taught by period;
    ``maximum``, ``average`` (K x B) caps of K scenarios (``inf``: no average cap).
    Returns arrays (K x S x B). Formulas in the module docstring; loops run over bands
    only, never schools.

    >>> E = np.array([[0, 0, 0, 53, 47, 0, 0, 0, 0, 0, 0, 0, 0, 0]], float)  # grades 2 and 3
    >>> band = np.where(np.arange(14) <= 4, 0, -1)[None, :]
    >>> out = section_counts(E, band, np.zeros_like(band, bool), np.array([[27.0], [24.0]]), np.full((2, 1), np.inf))
    >>> out["teachers"][:, 0, 0].tolist()
    [4.0, 5.0]
    """
    E = np.asarray(enrollment, dtype=float)
    maximum = np.atleast_2d(np.asarray(maximum, dtype=float))
    average = np.atleast_2d(np.asarray(average, dtype=float))
    K, B = maximum.shape
    S = E.shape[0]
    sections = np.zeros((K, S, B))
    teachers = np.zeros((K, S, B))
    rooms = np.zeros((K, S, B))
    for b in range(B):
        in_band = band_of == b
        e_sc = np.where(in_band & ~departmentalized, E, 0.0)  # S x G
        e_dep = np.where(in_band & departmentalized, E, 0.0).sum(axis=1)  # S
        mx = maximum[:, b][:, None]  # K x 1
        av = average[:, b][:, None]
        band_sc = e_sc.sum(axis=1)[None, :]  # 1 x S
        if pooling == "grade":
            sc = np.ceil(e_sc[None, :, :] / mx[:, :, None]).sum(axis=2)
        else:
            sc = np.ceil(band_sc / mx)
        sc = np.maximum(sc, np.ceil(band_sc / av))
        periods = e_dep[None, :] * periods_per_student
        dep = np.maximum(np.ceil(periods / mx), np.ceil(periods / av))
        sections[:, :, b] = sc + dep
        teachers[:, :, b] = sc + dep / periods_per_teacher
        rooms[:, :, b] = sc + np.ceil(dep / periods_per_student)
    return {"sections": sections, "teachers": teachers, "classrooms": rooms}


@register
@dataclass(frozen=True)
class ClassSize(CostProposal):
    """Class-size caps by grade band (see the module docstring for every formula).

    ``caps`` and ``current``: tuples of :class:`Cap` with the same bands. ``effective``: a
    first of the month. Targeting: ``schools`` (codes; empty = all), ``school_types``,
    ``top_n`` schools by ``rank_by``. ``pooling``: ``grade`` (upper bound) or ``combined``
    (lower bound). ``phase_in``: shares by year (fractions in code, percent in files).
    ``role``, ``salary_basis``, ``unit``, ``retirement``: the position added
    (:func:`costing.positions.role_cost`).
    """

    effective: dt.date | str | None = None
    caps: tuple[Cap, ...] = ()
    current: tuple[Cap, ...] = ()
    schools: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    top_n: int | None = None
    rank_by: str = "frpm_share"
    pooling: str = "grade"
    periods_per_student: float = 6.0
    periods_per_teacher: float = 5.0
    departmentalized_from: str = "6"
    elementary_grade_6: bool = True
    phase_in: tuple[float, ...] = (1.0,)
    net: bool = False
    role: str = "Teacher"
    salary_basis: pos.SalaryBasis = field(default_factory=pos.SalaryBasis)
    unit: str = ""
    retirement: str = ""
    origin: str = field(default="", compare=False, repr=False)

    kind_name: ClassVar[str] = "class_size"

    def __post_init__(self) -> None:
        if self.effective is None:
            raise ProposalError("a class-size proposal needs an effective date")
        object.__setattr__(self, "effective", check_effective_date(self.effective))
        caps = _caps("caps", self.caps)
        current = _caps("current", self.current)
        if not caps:
            raise ProposalError("a class-size proposal needs at least one cap")
        new_bands = [c.band for c in caps]
        cur_bands = [c.band for c in current]
        missing = [b for b in new_bands if b not in cur_bands]
        if missing:
            raise ProposalError(f"current caps lack band(s) {', '.join(missing)}: give the caps in force today "
                                "for every band the proposal caps")
        extra = [b for b in cur_bands if b not in new_bands]
        if extra:
            raise ProposalError(f"current caps name band(s) {', '.join(extra)} that the proposal does not cap")
        for c in current:
            if len(c.maximum) > 1 or len(c.average) > 1:
                raise ProposalError(f"current caps take one value per band (band {c.band})")
        object.__setattr__(self, "caps", caps)
        object.__setattr__(self, "current", tuple(sorted(current, key=lambda c: new_bands.index(c.band))))
        pos.check_targeting_fields(self)
        if self.pooling not in POOLING:
            raise ProposalError(f"pooling must be 'grade' or 'combined', got {self.pooling!r}")
        for key in ("periods_per_student", "periods_per_teacher"):
            v = getattr(self, key)
            if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
                raise ProposalError(f"{key} must be a number above 0, got {v!r}")
            object.__setattr__(self, key, float(v))
        if str(self.departmentalized_from) not in pos.GRADES:
            raise ProposalError(f"departmentalized_from must be a grade (TK, K, 1 ... 12), got {self.departmentalized_from!r}")
        object.__setattr__(self, "departmentalized_from", str(self.departmentalized_from))
        pos.normalise_position_fields(self)

    # ------------------------------------------------------------------ checks
    def check(self, district: District, fiscal_years: list[str]) -> list[str]:
        return pos.position_problems(self, district, fiscal_years)

    # ------------------------------------------------------------------ arrays
    def _layout(self, district: District) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Enrollment (S x G), band of each cell (-1 uncapped) and departmentalized cells."""
        E, low, _ = pos.school_arrays(district)
        S, G = E.shape
        grade_band = np.full(G, -1, dtype=np.int64)
        for b, c in enumerate(self.caps):
            lo, hi = c.grades
            grade_band[lo:hi + 1] = b
        band_of = np.repeat(grade_band[None, :], S, axis=0)
        elementary = low <= _GRADE_5
        dept = np.repeat((np.arange(G) >= pos.GRADES.index(self.departmentalized_from))[None, :], S, axis=0)
        if self.elementary_grade_6:
            dept[elementary, _GRADE_6] = False
            if grade_band[_GRADE_5] >= 0:
                band_of[elementary, _GRADE_6] = grade_band[_GRADE_5]
        return E, band_of, dept

    def cap_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(maximum, average) as (K x B): row 0 the current caps, row 1 + j the caps of
        schedule year j."""
        L = max(max(len(c.maximum), len(c.average) or 1) for c in self.caps)
        rows = [[c.at(0) for c in self.current]] + [[c.at(j) for c in self.caps] for j in range(L)]
        arr = np.array(rows, dtype=float)  # K x B x 2
        return arr[:, :, 0], arr[:, :, 1]

    def _compute(self, district: District, fiscal_years: list[str], options: PricingOptions | None):
        return pos.memo(district, ("class_size", self, tuple(fiscal_years), options),
                        lambda: self._compute_now(district, fiscal_years, options))

    def _compute_now(self, district: District, fiscal_years: list[str], options: PricingOptions | None):
        problems = self.check(district, fiscal_years)
        if problems:
            raise ProposalError(f"class_size {self.name!r}: " + "; ".join(problems))
        schools = district.schools
        E, band_of, dept = self._layout(district)
        mx, av = self.cap_arrays()
        counts = section_counts(E, band_of, dept, mx, av, self.pooling, self.periods_per_student, self.periods_per_teacher)
        reach = pos.target_schools(schools, self.schools, self.school_types, self.top_n, self.rank_by)
        k, phase, paid = pos.year_factors(self.effective, fiscal_years, self.phase_in)
        L = mx.shape[0] - 1
        j = np.clip(k, 0, L - 1) + 1  # cap row of each year (row 0 = current)
        j = np.where(k >= 0, j, 0)

        def added(name: str) -> np.ndarray:  # Y x S x B
            d = counts[name][j] - counts[name][0][None]
            d = d if self.net else np.maximum(d, 0.0)
            return d * reach[None, :, None] * phase[:, None, None]

        teachers = added("teachers")
        rc = pos.role_cost(district, self.role, self.salary_basis, self.unit, self.retirement)
        per = pos.loaded_cost(district, rc, fiscal_years, options)
        # detail rows: schools reached x bands with students x years
        B = len(self.caps)
        has_students = np.stack([((band_of == b) * E).sum(axis=1) > 0 for b in range(B)], axis=1)  # S x B
        s_idx, b_idx = np.nonzero(reach[:, None] & has_students)
        Y = len(fiscal_years)
        yy = np.repeat(np.arange(Y), len(s_idx))
        ss = np.tile(s_idx, Y)
        bb = np.tile(b_idx, Y)
        n_pos = teachers[yy, ss, bb]
        codes = pos.school_arrays(district)[2]
        bands = np.array([c.band for c in self.caps], dtype=object)
        money = {c: n_pos * per[c][yy] * paid[yy] for c in pos.COST_COMPONENTS}
        detail = pd.DataFrame({
            "school_code": codes[ss],
            "grade_band": bands[bb],
            "role": self.role,
            "fiscal_year": np.array(fiscal_years, dtype=object)[yy],
            "positions": n_pos,
            "sections": added("sections")[yy, ss, bb],
            "classrooms": added("classrooms")[yy, ss, bb],
            **money,
            "cost": money["salary"] + money["statutory_benefits"] + money["health_welfare"],
            "sections_current": counts["sections"][0][ss, bb],
            "sections_new": counts["sections"][j[yy], ss, bb],
            "teachers_current": counts["teachers"][0][ss, bb],
            "teachers_new": counts["teachers"][j[yy], ss, bb],
        })
        total = teachers.sum(axis=(1, 2))
        amounts = {c: total * per[c] * paid for c in pos.COST_COMPONENTS}
        ledger = pos.ledger_rows(fiscal_years, rc.unit, rc.role, amounts, total)
        return ledger, detail

    # ------------------------------------------------------------------ the CostProposal contract
    def cost_rows(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self._compute(district, fiscal_years, options)[0].copy()

    def detail(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self._compute(district, fiscal_years, options)[1].copy()

    KEYS: ClassVar[tuple[str, ...]] = ("name", "effective", "caps", "current", *pos.TARGET_KEYS, "pooling", "periods_per_student",
            "periods_per_teacher", "departmentalized_from", "elementary_grade_6", "phase_in", "net", "role",
            "salary_basis", "unit", "retirement")

    @classmethod
    def from_table(cls, table: dict[str, Any], label: str, problems: list[str]) -> ClassSize | None:
        r = pos.TableReader(table, label, problems, cls.KEYS)
        kw: dict[str, Any] = {"name": r.text("name"), "effective": r.date("effective")}
        kw["caps"] = _read_caps(r, "caps", required=True)
        kw["current"] = _read_caps(r, "current", required=True)
        kw.update(r.targeting())
        kw["pooling"] = r.text("pooling", "grade", POOLING)
        kw["periods_per_student"] = r.number("periods_per_student", 6.0, positive=True)
        kw["periods_per_teacher"] = r.number("periods_per_teacher", 5.0, positive=True)
        kw["departmentalized_from"] = r.text("departmentalized_from", "6", pos.GRADES)
        kw["elementary_grade_6"] = r.boolean("elementary_grade_6", True)
        kw["role"] = r.text("role", "Teacher")
        kw.update(r.position_cost())
        return r.build(cls, kw)

    def to_table(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "effective": self.effective,
                               "caps": [c.to_table() for c in self.caps],
                               "current": [c.to_table() for c in self.current]}
        out.update(pos.targeting_table(self))
        out.update({"pooling": self.pooling, "periods_per_student": self.periods_per_student,
                    "periods_per_teacher": self.periods_per_teacher,
                    "departmentalized_from": self.departmentalized_from,
                    "elementary_grade_6": self.elementary_grade_6,
                    "phase_in": [pos.pct_out(x) for x in self.phase_in], "net": self.net, "role": self.role,
                    "salary_basis": self.salary_basis.to_value()})
        if self.unit:
            out["unit"] = self.unit
        if self.retirement:
            out["retirement"] = self.retirement
        return out


def _read_caps(r: pos.TableReader, key: str, required: bool) -> tuple[Cap, ...]:
    """Caps from ``key = [{ band = "TK-3", maximum = 24, average = 22 }, ...]``."""
    v = r.table.get(key)
    if v is None:
        if required:
            r.problems.append(f"{r.label}: missing required key {key!r}")
        return ()
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        r.fail(key, "must be a list of tables such as { band = \"TK-3\", maximum = 24, average = 22 }")
        return ()
    out = []
    for i, entry in enumerate(v, start=1):
        where = f"{key}[{i}]" + (f" (band {entry.get('band')!r})" if "band" in entry else "")
        sub = pos.TableReader(entry, f"{r.label}: key {key!r}, entry {i}", r.problems, ("band", "maximum", "average"))
        if "band" not in entry:
            r.fail(key, f"entry {i} has no band")
            continue
        try:
            pos.parse_band(entry["band"])
        except ProposalError as exc:
            r.fail(key, f"entry {i}: {exc}")
            continue
        maximum = sub.numbers("maximum", positive=True, required=True)
        average = sub.numbers("average", positive=True) or ()
        if sub.ok and maximum is not None:
            try:
                out.append(Cap(entry["band"], maximum, average))
            except ProposalError as exc:
                r.fail(key, f"{where}: {exc}")
    return tuple(out)


def lausd_caps(fiscal_year: str, school_group: str = "PHBAO", bands: tuple[str, ...] = ("TK-3", "4-5", "6-8", "9-10", "11-12"),
               classes: str = "academic", table: pd.DataFrame | None = None) -> tuple[Cap, ...]:
    """LAUSD's caps (average and maximum) of ``school_group`` in ``fiscal_year`` for
    ``bands``, from ``data/lausd/class_size_caps.csv`` (a band given for ``all`` classes
    is used for academic and non-academic alike).

    >>> [(c.band, c.maximum, c.average) for c in lausd_caps("2022-23", bands=("TK-3", "11-12"))]
    [('TK-3', (27.0,), (24.0,)), ('11-12', (39.0,), (35.5,))]
    """
    t = pos.lausd_class_size_caps() if table is None else table
    out = []
    for band in bands:
        rows = t[(t["school_group"] == school_group) & (t["grade_band"] == band) & (t["fiscal_year"] == fiscal_year)
                 & t["classes"].isin([classes, "all"])]
        if rows.empty or (rows["status"] != "reported").all():
            raise ProposalError(f"no {classes} class-size cap for {school_group}, grades {band}, {fiscal_year} in "
                                "data/lausd/class_size_caps.csv (see its .md for the rows the source lacks)")
        row = rows[rows["status"] == "reported"].iloc[0]
        out.append(Cap(band, float(row["maximum"]), float(row["average"])))
    return tuple(out)
