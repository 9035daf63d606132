"""Generate the synthetic statewide dataset: one workforce, salary schedule, schools table
and budget baseline per California LEA, calibrated, seeded, stored as Parquet partitioned
by district.

**Nothing generated here is a real employee, school or budget.** The only real input is
each LEA's enrollment and instructional staff FTE (NCES CCD 2023-24,
:func:`costing.statewide.source.read_nces`); every other number is drawn or set so that
aggregates match the figures of :mod:`costing.statewide.calibration`.

Per district ``d`` (enrollment ``E``, instructional staff FTE ``N``):

* **Teachers** (unit ``Teachers``, CalSTRS, salaried, schedule ``T``): ``N`` FTE, i.e.
  ``floor(N)`` full-time teachers and one part-time teacher of FTE ``N - floor(N)`` when
  that is above 0; ``round(0.12 x floor(N))`` of the full-time ones are ``Special
  Education Teacher``, the rest ``Teacher``. Placement on the 10 steps x 5 columns is a
  multinomial draw with the step shares of the calibration (step 1 first-year, step 2
  second-year, step 10 the top, 3-9 even) and column shares 10/15/20/25/30%.
* **Schedule T**: ``rate(s, c) = S_d x (1 + g)^(s - 1) x (1 + h)^c`` (``s`` = 1..10,
  ``c`` = 0..4 for columns I..V, ``h`` = 4%), ``S_d = S x f_d`` with ``S`` the statewide
  starting salary ($58,409) and ``f_d`` the district's pay level (lognormal, sd 10%,
  normalised so that the teacher-FTE-weighted mean over the state's districts is 1).
  ``g`` solves ``S x E[(1 + g)^(s - 1)] x E[(1 + h)^c] = A`` (the statewide average
  salary, $101,084) over the placement shares: the expected average equals the target.
* **Classified** (unit ``Classified``, CalPERS, hourly, schedule ``C``): ``round(1.0 x
  N)`` employees split by fixed shares over five classifications (table
  :data:`CLASSIFIED`, with hours a day, days a year and a relative rate), placed on 5
  steps (5% apart; shares 15/15/15/15/40%). ``rate = R x rel x f_d x 1.05^(s - 1)``, at
  least the minimum wage, with ``R`` solving: the expected annual pay (rate x hours x
  days) of the average classified employee equals $39,877.
* **Schools**: grade span from the name (``... High`` and not ``Unified``: 9-12;
  ``... Elementary``: TK-8; otherwise TK-12). ``E`` is split over the span's grades by
  weight (TK half a cohort, every other grade one) with largest remainders, so the
  grades add up to ``E`` exactly; each level (TK-5, 6-8, 9-12) gets ``max(1,
  round(E_level / size))`` schools of the statewide average size, each grade split
  evenly (remainder to the first schools). ``frpm_share`` per school: Beta around the
  district's unduplicated share.
* **Budget baseline** (base year 2025-26, :class:`costing.reserves.Baseline`):
  ``ADA_y = 0.9071 x E x 0.99^(y - 2023)``; LCFF revenue = ADA 2025-26 x the grade
  weighted base grant (K-3 with the 10.4% adjustment) x 1.0293 (COLA 2025-26) x (1 +
  0.20 u + 0.65 max(u - 0.55, 0)) with ``u`` the district's unduplicated share;
  restricted revenue = LCFF x 0.30 / 0.70, spent in full; unrestricted spending = LCFF x
  (1 + deficit), deficit ~ N(1%, 2%); unrestricted balance = reserve share x total
  spending (lognormal, median 22%, sd 0.6), of which the minimum reserve (5 CCR 15450)
  is the REU, 30% of the rest assigned, 70% unassigned; restricted balance = 10% of
  restricted revenue; spending grows with the LCFF COLA.

Districts with 0 enrollment or 0 instructional staff cannot be given a workforce or a
budget: they are listed in ``skipped.csv`` with the reason, never dropped silently.

Seeds: district-level draws (pay level, unduplicated share, deficit, reserve share) come
from one generator seeded with ``seed`` over every California row in file order, so a
district's figures do not depend on the sample drawn; the draws inside a district
(placement, school FRPM) from a generator seeded with ``(seed, district id)``.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..positions import GRADE_COLUMNS, GRADES
from ..reserves import minimum_reserve
from .calibration import target, targets_table
from .source import StatewideError, read_nces

__all__ = [
    "BASE_YEAR",
    "BUDGET_YEAR",
    "CLASSIFIED",
    "GenerationReport",
    "district_parameters",
    "generate_district",
    "generate_statewide",
    "validate_collection",
    "grade_span",
    "split_enrollment",
    "teacher_step_growth",
]

BASE_YEAR = "2024-25"  # the workforce: rates in force on June 30, 2025
BUDGET_YEAR = "2025-26"  # the budget baseline: the first projected year
TEACHER_STEPS = np.arange(1, 11)
TEACHER_COLUMNS = ("I", "II", "III", "IV", "V")
COLUMN_SHARES = np.array([0.10, 0.15, 0.20, 0.25, 0.30])  # ASSUMPTION
CLASSIFIED_STEPS = np.arange(1, 6)
CLASSIFIED_STEP_SHARES = np.array([0.15, 0.15, 0.15, 0.15, 0.40])  # ASSUMPTION
CLASSIFIED_STEP_RAISE = 0.05  # ASSUMPTION
#: classified classifications: share of the classified headcount, hours a day, days a
#: year, rate relative to the base (all ASSUMPTION: a typical district mix)
CLASSIFIED = pd.DataFrame({
    "classification": ["Paraeducator", "Custodian", "Food Service Worker", "Office Assistant", "Bus Driver"],
    "share": [0.35, 0.20, 0.15, 0.20, 0.10],
    "hours_per_day": [6.0, 8.0, 4.0, 8.0, 6.0],
    "days_per_year": [180.0, 244.0, 180.0, 220.0, 180.0],
    "relative_rate": [1.00, 1.10, 0.90, 1.10, 1.15],
})
LEVELS = (("Elementary", 0, 6, "elementary_school_size"),  # TK-5: grade indices 0..6
          ("Middle", 7, 9, "middle_school_size"),  # 6-8
          ("High", 10, 13, "high_school_size"))  # 9-12
PARTITIONED = ("workforce", "schedules", "schools", "budget")


# ---------------------------------------------------------------------------- shapes
def step_shares() -> np.ndarray:
    """Shares of teachers on steps 1..10 (first-year, second-year, 3-9 even, top)."""
    p1, p2, top = target("first_year_share"), target("second_year_share"), target("top_step_share")
    mid = (1.0 - p1 - p2 - top) / 7.0
    return np.array([p1, p2, *([mid] * 7), top])


def column_factor() -> float:
    """``E[(1 + h)^c]`` over the column shares."""
    h = target("column_increment")
    return float(COLUMN_SHARES @ (1.0 + h) ** np.arange(len(COLUMN_SHARES)))


def teacher_step_growth() -> float:
    """The step increment ``g`` at which the expected average salary equals the target:
    ``S x sum_s p_s (1 + g)^(s - 1) x E[(1 + h)^c] = A`` (bisection; ``A / S`` = 1.7306
    for $101,084 / $58,409)."""
    want = target("teacher_average_salary") / target("teacher_starting_salary") / column_factor()
    p = step_shares()
    lo, hi = 0.0, 1.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if p @ (1.0 + mid) ** (TEACHER_STEPS - 1) < want:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def classified_base_rate() -> float:
    """The base hourly rate ``R`` at which the expected annual pay of a classified
    employee equals the target: ``R = A / (E[1.05^(s-1)] x sum_k share_k rel_k hours_k
    days_k)``."""
    c = CLASSIFIED
    per_rate = float((c["share"] * c["relative_rate"] * c["hours_per_day"] * c["days_per_year"]).sum())
    steps = float(CLASSIFIED_STEP_SHARES @ (1 + CLASSIFIED_STEP_RAISE) ** (CLASSIFIED_STEPS - 1))
    return target("classified_average_earnings") / (steps * per_rate)


def grade_span(name: str) -> str:
    """``9-12`` for a high-school district (``... High ...`` and not ``Unified``), ``TK-8``
    for an elementary district, ``TK-12`` otherwise (unified districts, charters, county
    offices: an ASSUMPTION where the name says nothing)."""
    words = str(name).replace("-", " ").split()
    if "High" in words and "Unified" not in words:
        return "9-12"
    if "Elementary" in words:
        return "TK-8"
    return "TK-12"


def _span_weights(span: str) -> np.ndarray:
    lo, hi = {"TK-12": (0, 13), "TK-8": (0, 9), "9-12": (10, 13)}[span]
    w = np.zeros(len(GRADES))
    w[lo:hi + 1] = 1.0
    if lo == 0:
        w[0] = target("tk_cohort_share")
    return w


def split_enrollment(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` students over cells by ``weights`` in whole students, largest remainders
    first (ties to the lower index), so the cells add up to ``total`` exactly.

    >>> split_enrollment(10, np.array([1.0, 1.0, 1.0])).tolist()
    [4, 3, 3]
    """
    w = np.asarray(weights, dtype=float)
    exact = np.round(total * w / w.sum(), 9)  # 50 x 0.35 is 17.499999999999996 in floating point
    out = np.floor(exact).astype(np.int64)
    short = int(total - out.sum())
    if short:
        order = np.lexsort((np.arange(len(w)), -(exact - out)))
        out[order[:short]] += 1
    return out


# ---------------------------------------------------------------------------- district draws
def district_parameters(nces: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Per-district figures drawn once over every row of ``nces`` (file order), so that
    they do not depend on the sample: ``pay_level`` ``f_d`` (normalised to a
    teacher-weighted mean of 1 over the eligible districts), ``unduplicated_share``,
    ``deficit_share``, ``reserve_share``; plus ``grade_span`` and ``status`` /
    ``reason`` (``skipped`` for 0 enrollment or 0 staff)."""
    rng = np.random.default_rng(seed)
    n = len(nces)
    z_pay = rng.standard_normal(n)
    u = target("unduplicated_share")
    upp = rng.beta(6 * u, 6 * (1 - u), n)
    deficit = rng.normal(target("deficit_spending_mean"), 0.02, n)
    reserve = target("reserve_share_median") * np.exp(0.6 * rng.standard_normal(n))
    pay = np.exp(target("district_salary_sd") * z_pay)
    enrollment = nces["enrollment"].to_numpy(float)
    staff = nces["instructional_staff"].to_numpy(float)
    reason = np.where(enrollment <= 0, "0 enrollment in NCES CCD 2023-24",
                      np.where(staff <= 0, "0 instructional staff FTE in NCES CCD 2023-24", ""))
    ok = reason == ""
    pay = pay / np.average(pay[ok], weights=staff[ok]) if ok.any() else pay
    out = nces.copy()
    out["grade_span"] = [grade_span(x) for x in nces["district_name"]]
    out["pay_level"] = pay
    out["unduplicated_share"] = upp
    out["deficit_share"] = deficit
    out["reserve_share"] = reserve
    out["status"] = np.where(ok, "generated", "skipped")
    out["reason"] = reason
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(staff > 0, enrollment / staff, np.nan)
    out["students_per_staff"] = ratio
    return out


@dataclass(frozen=True)
class _Shared:
    """Figures every district uses (computed once)."""

    g: float
    start: float
    column_mult: np.ndarray
    step_p: np.ndarray
    cell_p: np.ndarray  # 10 x 5 flattened: P(step, column)
    classified_rate: float
    expenditure_growth: dict
    cola_2025: float


def _shared() -> _Shared:
    from ..district import data_dir
    from ..rates import Rates

    g = teacher_step_growth()
    step_p = step_shares()
    assumptions = Rates.from_csv(data_dir() / "lausd" / "assumptions.csv")
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2026, 2036)]
    growth = {y: float(assumptions.value("lcff_cola_funded", y)) for y in years}
    return _Shared(
        g=g, start=target("teacher_starting_salary"),
        column_mult=(1 + target("column_increment")) ** np.arange(len(TEACHER_COLUMNS)),
        step_p=step_p, cell_p=np.outer(step_p, COLUMN_SHARES).ravel(),
        classified_rate=classified_base_rate(), expenditure_growth=growth,
        cola_2025=target("lcff_cola_2025_26"),
    )


# ---------------------------------------------------------------------------- one district
def generate_district(row: pd.Series | dict, seed: int, shared: _Shared | None = None) -> dict[str, pd.DataFrame]:
    """The four tables of one district (``row``: a row of :func:`district_parameters`):
    ``workforce``, ``schedules``, ``schools``, ``budget`` (formulas: module docstring).
    Vectorized over employees and schools; no loop runs over people."""
    sh = shared or _shared()
    arrays, grades = _district_arrays(dict(row), seed, sh)
    out = {k: pd.DataFrame(v) for k, v in arrays.items()}
    out["budget"] = pd.DataFrame(_budgets(pd.DataFrame([dict(row)]), grades[None, :], sh))
    return out


def _district_arrays(r: dict, seed: int, sh: _Shared) -> tuple[dict[str, dict[str, np.ndarray]], np.ndarray]:
    """Columns (numpy arrays) of the workforce, schedules and schools of one district, and
    its enrollment by grade."""
    district = str(r["district"])
    if r.get("status", "generated") != "generated":
        raise StatewideError(f"district {district}: {r.get('reason') or 'not generated'}")
    key = int(district) if district.isdigit() else int.from_bytes(district.encode()[:8], "little")
    rng = np.random.default_rng([int(seed), key])
    staff = float(r["instructional_staff"])
    enrollment = int(round(float(r["enrollment"])))
    f = float(r["pay_level"])

    # schedules
    t_rates = np.round(sh.start * f * (1 + sh.g) ** (TEACHER_STEPS[:, None] - 1) * sh.column_mult[None, :], 0)
    c_rates = np.round(np.maximum(sh.classified_rate * f * _C_REL[:, None]
                                  * (1 + CLASSIFIED_STEP_RAISE) ** (CLASSIFIED_STEPS[None, :] - 1),
                                  target("minimum_wage")), 2)
    schedules = {
        "schedule": np.array(["T"] * t_rates.size + ["C"] * c_rates.size, dtype=object),
        "column": np.concatenate([_T_CELL_COLUMN, _C_CELL_COLUMN]),
        "step": np.concatenate([_T_CELL_STEP, _C_CELL_STEP]),
        "rate": np.concatenate([t_rates.ravel(), c_rates.ravel()]),
    }

    # teachers: multinomial over the 50 cells, Teacher and Special Education Teacher apart
    full = int(math.floor(staff + 1e-9))
    part = round(staff - full, 2)
    sped = int(round(target("special_education_teacher_share") * full))
    k = np.stack([rng.multinomial(full - sped, sh.cell_p), rng.multinomial(sped, sh.cell_p)])  # 2 x cells
    cls_i, cell = np.nonzero(k)
    count = k[cls_i, cell].astype(float)
    fte = np.ones(len(cell))
    if part > 0:
        cls_i = np.append(cls_i, 0)
        cell = np.append(cell, rng.choice(sh.cell_p.size, p=sh.cell_p))
        count = np.append(count, 1.0)
        fte = np.append(fte, part)
    s_idx, c_idx = np.divmod(cell, len(TEACHER_COLUMNS))
    n_t = len(cell)

    # classified: fixed shares by classification, multinomial over steps
    n_cls = max(1, int(round(target("classified_per_teacher") * staff)))
    per = split_enrollment(n_cls, _C_SHARE)
    kc = rng.multinomial(per, CLASSIFIED_STEP_SHARES)  # classifications x steps
    ci, si = np.nonzero(kc)
    n_c = len(ci)
    workforce = {
        "unit": np.array(["Teachers"] * n_t + ["Classified"] * n_c, dtype=object),
        "classification": np.concatenate([_T_CLASSES[cls_i], _C_NAMES[ci]]),
        "count": np.concatenate([count, kc[ci, si].astype(float)]),
        "fte": np.concatenate([fte, np.ones(n_c)]),
        "pay_basis": np.array(["salary"] * n_t + ["hourly"] * n_c, dtype=object),
        "hourly_rate": np.concatenate([np.full(n_t, np.nan), c_rates[ci, si]]),
        "hours_per_day": np.concatenate([np.full(n_t, 7.0), _C_HOURS[ci]]),
        "days_per_year": np.concatenate([np.full(n_t, 185.0), _C_DAYS[ci]]),
        "annual_salary": np.concatenate([t_rates[s_idx, c_idx], np.full(n_c, np.nan)]),
        "retirement": np.array(["STRS"] * n_t + ["PERS"] * n_c, dtype=object),
        "schedule": np.array(["T"] * n_t + ["C"] * n_c, dtype=object),
        "step": np.concatenate([TEACHER_STEPS[s_idx], CLASSIFIED_STEPS[si]]).astype(float),
        "column": np.concatenate([np.array(TEACHER_COLUMNS, dtype=object)[c_idx], _C_NAMES[ci]]),
    }
    grades = split_enrollment(enrollment, _span_weights(str(r["grade_span"])))
    schools = _schools(district, grades, float(r["unduplicated_share"]), rng)
    return {"workforce": workforce, "schedules": schedules, "schools": schools}, grades


_C_NAMES = CLASSIFIED["classification"].to_numpy(dtype=object)
_C_SHARE = CLASSIFIED["share"].to_numpy(float)
_C_HOURS = CLASSIFIED["hours_per_day"].to_numpy(float)
_C_DAYS = CLASSIFIED["days_per_year"].to_numpy(float)
_C_REL = CLASSIFIED["relative_rate"].to_numpy(float)
_T_CLASSES = np.array(["Teacher", "Special Education Teacher"], dtype=object)
_T_CELL_COLUMN = np.tile(np.array(TEACHER_COLUMNS, dtype=object), len(TEACHER_STEPS))
_T_CELL_STEP = np.repeat(TEACHER_STEPS, len(TEACHER_COLUMNS)).astype(float)
_C_CELL_COLUMN = np.repeat(_C_NAMES, len(CLASSIFIED_STEPS))
_C_CELL_STEP = np.tile(CLASSIFIED_STEPS, len(_C_NAMES)).astype(float)


def _schools(district: str, grades: np.ndarray, upp: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    mats, codes, types, lows, highs = [], [], [], [], []
    for level, lo, hi, size_key in LEVELS:
        e = grades[lo:hi + 1]
        total = int(e.sum())
        if total == 0:
            continue
        n = max(1, int(round(total / target(size_key))))
        i = np.arange(n)[:, None]
        per = e[None, :] // n + (i < (e % n)[None, :])  # n x grades of the level
        mat = np.zeros((n, len(GRADES)), dtype=np.int64)
        mat[:, lo:hi + 1] = per
        has = mat.sum(axis=0) > 0
        mats.append(mat)
        codes += [f"{district}-{level[0]}{k + 1:03d}" for k in range(n)]
        types += [level] * n
        lows += [GRADES[int(np.argmax(has))]] * n
        highs += [GRADES[len(GRADES) - 1 - int(np.argmax(has[::-1]))]] * n
    mat = np.vstack(mats)
    out: dict[str, np.ndarray] = {
        "school_code": np.array(codes, dtype=object), "school_type": np.array(types, dtype=object),
        "low_grade": np.array(lows, dtype=object), "high_grade": np.array(highs, dtype=object),
    }
    for j, col in enumerate(GRADE_COLUMNS):
        out[col] = mat[:, j]
    out["enrollment"] = mat.sum(axis=1)
    out["frpm_share"] = np.round(rng.beta(8 * upp + 0.5, 8 * (1 - upp) + 0.5, len(codes)), 4)
    return out


BUDGET_COLUMNS = ["item", "line", "fiscal_year", "value", "fund", "kind", "growth"]
_ADA_YEARS = [f"{y}-{(y + 1) % 100:02d}" for y in range(2020, 2036)]


def _budgets(params: pd.DataFrame, grades: np.ndarray, sh: _Shared) -> dict[str, np.ndarray]:
    """The budget baselines of districts ``params`` (rows) with enrollment by grade
    ``grades`` (districts x grades), vectorized over districts, as one long table
    (``district`` and :data:`BUDGET_COLUMNS`), read back by
    :func:`costing.statewide.collection.baseline_from_table`."""
    n = len(params)
    enrollment = params["enrollment"].to_numpy(float)
    ada_2324 = target("ada_per_enrollment") * enrollment
    trend = 1.0 + target("enrollment_trend")
    years = np.array([int(y[:4]) for y in _ADA_YEARS])
    ada = ada_2324[:, None] * trend ** (years[None, :] - 2023)  # districts x years
    ada_budget = ada[:, _ADA_YEARS.index(BUDGET_YEAR)]
    spans = np.stack([grades[:, 0:5].sum(1), grades[:, 5:8].sum(1), grades[:, 8:10].sum(1), grades[:, 10:14].sum(1)], 1)
    base = np.array([target("lcff_base_k3") * (1 + target("lcff_k3_gsa")), target("lcff_base_4_6"),
                     target("lcff_base_7_8"), target("lcff_base_9_12")])
    per_ada = (spans * base).sum(1) / spans.sum(1)
    u = params["unduplicated_share"].to_numpy(float)
    uplift = 1 + target("lcff_supplemental") * u + target("lcff_concentration") * np.maximum(u - 0.55, 0.0)
    lcff = ada_budget * per_ada * (1 + sh.cola_2025) * uplift
    rs = target("restricted_revenue_share")
    restricted = lcff * rs / (1 - rs)
    unres_exp = lcff * (1 + params["deficit_share"].to_numpy(float))
    total_exp = unres_exp + restricted
    unrestricted = params["reserve_share"].to_numpy(float) * total_exp
    reu = np.minimum(np.asarray(minimum_reserve(ada_budget, total_exp), dtype=float), unrestricted)
    rest = unrestricted - reu
    a = target("assigned_share")
    fixed = [  # item, line, value, fund, kind, growth
        ("revenue", "LCFF (synthetic)", lcff, "unrestricted", "ongoing", "lcff"),
        ("revenue", "Restricted programs (synthetic)", restricted, "restricted", "ongoing", "none"),
        ("expenditure", "Unrestricted spending (synthetic)", unres_exp, "unrestricted", "ongoing", "expenditure"),
        ("expenditure", "Restricted spending (synthetic)", restricted, "restricted", "ongoing", "none"),
        ("balance_reu", "", reu, "", "", ""),
        ("balance_assigned", "", rest * a, "", "", ""),
        ("balance_unassigned", "", rest * (1 - a), "", "", ""),
        ("balance_restricted", "", restricted * target("restricted_balance_share"), "", "", ""),
    ]
    growth_years = list(sh.expenditure_growth)
    items = ([f[0] for f in fixed] + ["ada"] * len(_ADA_YEARS) + ["expenditure_growth"] * len(growth_years))
    lines = [f[1] for f in fixed] + [""] * (len(_ADA_YEARS) + len(growth_years))
    fys = [BUDGET_YEAR] * len(fixed) + _ADA_YEARS + growth_years
    funds = [f[3] for f in fixed] + [""] * (len(_ADA_YEARS) + len(growth_years))
    kinds = [f[4] for f in fixed] + [""] * (len(_ADA_YEARS) + len(growth_years))
    growths = [f[5] for f in fixed] + [""] * (len(_ADA_YEARS) + len(growth_years))
    values = np.hstack([np.stack([f[2] for f in fixed], 1), ada,
                        np.tile([sh.expenditure_growth[y] for y in growth_years], (n, 1))])  # districts x items
    m = len(items)

    def tile(v: list) -> np.ndarray:
        return np.tile(np.array(v, dtype=object), n)

    return {"district": np.repeat(params["district"].to_numpy(dtype=object), m), "item": tile(items),
            "line": tile(lines), "fiscal_year": tile(fys), "value": values.ravel(), "fund": tile(funds),
            "kind": tile(kinds), "growth": tile(growths)}


# ---------------------------------------------------------------------------- the whole state
@dataclass(frozen=True)
class GenerationReport:
    """What :func:`generate_statewide` wrote: the folder, the districts generated and
    skipped (with reasons), the calibration reached, the seconds it took and where
    (``timings``: reading and drawing, the loop over districts, budgets, validation,
    writing)."""

    path: Path
    districts: pd.DataFrame
    skipped: pd.DataFrame
    calibration: pd.DataFrame
    seconds: float
    timings: dict = field(default_factory=dict)


def generate_statewide(out: str | Path, sample: int | None = None, seed: int = 20251001,
                       districts: Sequence[str] | None = None, nces: str | Path | None = None) -> GenerationReport:
    """Generate the dataset into folder ``out`` (created; tables replaced).

    ``sample``: that many districts drawn (seeded) from the eligible ones (default every
    one); ``districts``: these ids instead. Layout (docs/statewide.md): ``districts.parquet``
    (one row per LEA generated, with its NCES figures and district-level draws),
    ``skipped.csv``, ``calibration.csv``, ``manifest.json`` and, hive-partitioned by
    district, ``workforce/``, ``schedules/``, ``schools/`` and ``budget/``
    (``<table>/district=<id>/part-0.parquet``).
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    t0 = time.perf_counter()
    out = Path(out)
    table = read_nces(nces)
    params = district_parameters(table, seed)
    eligible = params[params["status"] == "generated"]
    if districts is not None:
        wanted = [str(d) for d in districts]
        unknown = [d for d in wanted if d not in set(params["district"])]
        if unknown:
            raise StatewideError(f"unknown district id(s) {', '.join(unknown[:10])} (not California LEAs in "
                                 f"{nces or 'the bundled NCES file'})")
        chosen = params[params["district"].isin(wanted)]
    elif sample is not None:
        if isinstance(sample, bool) or int(sample) < 1:
            raise StatewideError(f"sample must be a whole number of districts, at least 1, got {sample!r}")
        n = min(int(sample), len(eligible))
        pick = np.random.default_rng([seed, 1]).choice(len(eligible), n, replace=False)
        chosen = eligible.iloc[np.sort(pick)]
    else:
        chosen = params
    skipped = params[params["status"] == "skipped"]
    gen = chosen[chosen["status"] == "generated"].reset_index(drop=True)
    timings = {"read and draw": time.perf_counter() - t0}
    t1 = time.perf_counter()
    sh = _shared()
    cols: dict[str, list[dict[str, np.ndarray]]] = {k: [] for k in PARTITIONED[:3]}
    grades = np.zeros((len(gen), len(GRADES)), dtype=np.int64)
    for i, row in enumerate(gen.to_dict("records")):  # one iteration per district, vectorized inside
        arrays, grades[i] = _district_arrays(row, seed, sh)
        for k, v in arrays.items():
            v["district"] = np.full(len(next(iter(v.values()))), row["district"], dtype=object)
            cols[k].append(v)
    frames = {k: _concat(v) for k, v in cols.items()}
    timings["districts (loop)"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    frames["budget"] = pd.DataFrame(_budgets(gen, grades, sh)) if len(gen) else pd.DataFrame({"district": []})
    timings["budgets (vectorized)"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    validate_collection(frames["workforce"], frames["schedules"], out)
    timings["validation"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    part = ds.partitioning(pa.schema([("district", pa.string())]), flavor="hive")
    for k in PARTITIONED:
        ds.write_dataset(pa.Table.from_pandas(frames[k], preserve_index=False), out / k, format="parquet",
                         partitioning=part, basename_template="part-{i}.parquet",
                         existing_data_behavior="delete_matching", max_partitions=max(len(gen), 1) + 1)
    gen.to_parquet(out / "districts.parquet", index=False)
    skipped[["district", "district_name", "enrollment", "instructional_staff", "reason"]].to_csv(
        out / "skipped.csv", index=False)
    timings["write Parquet"] = time.perf_counter() - t1
    calibration = calibration_reached(gen, frames)
    calibration.to_csv(out / "calibration.csv", index=False)
    seconds = time.perf_counter() - t0
    (out / "manifest.json").write_text(json.dumps({
        "what": "synthetic statewide dataset (costing.statewide); not real employees, schools or budgets",
        "source": "NCES CCD 2023-24 (data/statewide/nces_ccd_california_2023_24.csv)",
        "seed": int(seed), "sample": None if sample is None else int(sample),
        "base_year": BASE_YEAR, "budget_year": BUDGET_YEAR,
        "districts_generated": int(len(gen)), "districts_skipped": int(len(skipped)),
        "tables": list(PARTITIONED), "validated": True, "seconds": round(seconds, 2),
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }, indent=2))
    return GenerationReport(path=out, districts=gen, skipped=skipped.reset_index(drop=True),
                            calibration=calibration, seconds=seconds, timings=timings)


def validate_collection(workforce: pd.DataFrame, schedules: pd.DataFrame, out: str | Path = "statewide") -> None:
    """Check every district's workforce against its schedules in one vectorized call
    (:func:`costing.workforce.validate_workforce`, the rules of any workforce file): the
    schedule names are prefixed with the district id so that each district's rows meet
    their own district's cells. Raises :class:`costing.WorkforceError` naming the district,
    row and column of every problem."""
    from ..schedules import validate_schedules
    from ..workforce import validate_workforce

    if workforce.empty:
        return
    wf = workforce.drop(columns=["district"]).assign(
        schedule=workforce["district"].astype(str) + "/" + workforce["schedule"].astype(str))
    sch = schedules.drop(columns=["district"]).assign(
        schedule=schedules["district"].astype(str) + "/" + schedules["schedule"].astype(str))
    validate_workforce(wf, source=f"{out}/workforce (all districts; schedule = district/schedule)",
                       schedules=validate_schedules(sch, source=f"{out}/schedules"))


def _concat(parts: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One DataFrame from per-district column arrays, ``district`` first."""
    if not parts:
        return pd.DataFrame({"district": []})
    names = ["district"] + [c for c in parts[0] if c != "district"]
    return pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in names})


def calibration_reached(districts: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each calibration target next to the value the generated districts reach (averages
    weighted by FTE or headcount; shares over the generated districts)."""
    tt = targets_table()
    reached: dict[str, float] = {}
    if len(districts):
        wf = frames["workforce"]
        tch = wf[wf["unit"] == "Teachers"]
        w = tch["count"] * tch["fte"]
        reached["teacher_average_salary"] = float(np.average(tch["annual_salary"], weights=w))
        reached["teachers_per_instructional_staff_fte"] = float(w.sum() / districts["instructional_staff"].sum())
        reached["special_education_teacher_share"] = float(
            w[tch["classification"] == "Special Education Teacher"].sum() / w.sum())
        cl = wf[wf["unit"] == "Classified"]
        pay = cl["hourly_rate"] * cl["hours_per_day"] * cl["days_per_year"]
        reached["classified_average_earnings"] = float(np.average(pay, weights=cl["count"]))
        reached["classified_per_teacher"] = float(cl["count"].sum() / w.sum())
        reached["minimum_wage"] = float(cl["hourly_rate"].min())
        sch = frames["schedules"]
        t1 = sch[(sch["schedule"] == "T") & (sch["step"] == 1) & (sch["column"] == "I")]
        tw = districts.set_index("district")["instructional_staff"].reindex(t1["district"]).to_numpy()
        reached["teacher_starting_salary"] = float(np.average(t1["rate"], weights=tw))
        schools = frames["schools"]
        for level, _lo, _hi, key in LEVELS:
            s = schools[schools["school_type"] == level]
            if len(s):
                reached[key] = float(s["enrollment"].mean())
        budget = frames["budget"]
        unres = budget[budget["item"].isin(["balance_reu", "balance_assigned", "balance_unassigned"])]
        unres = unres.groupby("district")["value"].sum()
        spend = budget[budget["item"] == "expenditure"].groupby("district")["value"].sum()
        share = (unres / spend).dropna()
        reached["reserve_share_median"] = float(share.median())
        reached["reserve_share_aggregate"] = float(unres.sum() / spend.sum())
        reached["unduplicated_share"] = float(districts["unduplicated_share"].mean())
    tt["reached"] = tt["name"].map(reached)
    return tt
