"""Build data/lausd/schools.csv from the CDE 2014-15 FRPM file (imputed enrollment).

Reads ``data/lausd/source/cde_frpm_2014_15_lausd.csv`` (CDE Student Poverty FRPM data,
2014-15, every row under LAUSD's district code 19-64733, copied unchanged) and writes one
row per district-run school (``Charter School (Y/N)`` = 0; the nonpublic-school row and
the 264 charters are left out): 732 schools.

Kept as reported (2014-15): CDS codes, school name, school type, educational option,
low and high grade, FRPM share (K-12) and the K-12 enrollment count.

Imputed (``enrollment_basis`` says so on every row; rules in data/lausd/schools.md):

1. District total: 408,026 students TK-12 in 2024-25 (the district's figure as reported
   by Great Public Schools Now; METHODOLOGY 10.1).
2. TK: 25,000 students, the district's stated goal for its first universal-TK year
   (LAist, May 2023), put at the schools that teach kindergarten in proportion to their
   imputed kindergarten count.
3. K-12: the remaining 383,026 students, shared among schools in proportion to their
   2014-15 K-12 counts (a single factor, 383,026 / 501,345 = 0.764), then spread evenly
   over each school's grades (low grade "P" counts from K).
4. Whole students throughout, by largest remainders, so every total is exact.

Run: ``python scripts/build_lausd_schools.py`` (deterministic; no randomness).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from costing.io.cde_enrollment import GRADE_COLUMNS, SCHOOL_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "lausd" / "source" / "cde_frpm_2014_15_lausd.csv"
OUT = ROOT / "data" / "lausd" / "schools.csv"

DISTRICT_TOTAL_TK12 = 408_026  # 2024-25, TK-12 (GPSN, METHODOLOGY 10.1)
ENROLLMENT_YEAR = "2024-25"
TK_TOTAL = 25_000  # LAUSD goal for 2023-24, the first universal-TK year (LAist 2023-05)
BASIS = (
    "imputed: CDE 2014-15 K-12 count scaled to the 2024-25 district TK-12 total, "
    "spread evenly over the school's grades; TK from the district universal-TK goal "
    "(see schools.md)"
)
GRADE_INDEX = {"P": 1, "K": 1, **{str(g): g + 1 for g in range(1, 13)}}  # into GRADE_COLUMNS


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers proportional to ``weights`` that add up to ``total`` exactly
    (Hamilton's method; ties go to the earlier position)."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() == 0:
        return np.zeros(len(w), dtype=int)
    quota = w / w.sum() * total
    base = np.floor(quota).astype(int)
    short = total - int(base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:short]] += 1
    return base


def build() -> pd.DataFrame:
    src = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    run = src[src["Charter School (Y/N)"] == "0"].copy().reset_index(drop=True)
    assert len(run) == 732, len(run)
    k12_2014 = pd.to_numeric(run["Enrollment (K-12)"]).to_numpy()
    assert k12_2014.sum() == 501_345

    n = len(run)
    lo = run["Low Grade"].map(GRADE_INDEX).to_numpy()
    hi = run["High Grade"].map(GRADE_INDEX).to_numpy()
    grades = np.zeros((n, len(GRADE_COLUMNS)), dtype=int)

    school_k12 = largest_remainder(k12_2014, DISTRICT_TOTAL_TK12 - TK_TOTAL)
    for i in range(n):
        span = np.arange(lo[i], hi[i] + 1)
        grades[i, span] = largest_remainder(np.ones(len(span)), int(school_k12[i]))

    teaches_k = lo <= 1
    tk = np.zeros(n, dtype=int)
    tk[teaches_k] = largest_remainder(grades[teaches_k, 1], TK_TOTAL)
    grades[:, 0] = tk

    out = pd.DataFrame(
        {
            "cds_code": run["County Code"] + run["District Code"] + run["School Code"],
            "county_code": run["County Code"],
            "district_code": run["District Code"],
            "school_code": run["School Code"],
            "school_name": run["School Name"],
            "school_type": run["School Type"],
            "educational_option_type": run["Educational Option Type"],
            "charter": "N",
            "low_grade": run["Low Grade"],
            "high_grade": run["High Grade"],
            "frpm_share": pd.to_numeric(run["Percent (%) Eligible FRPM (K-12)"]).round(4),
            "frpm_year": "2014-15",
            "enrollment_2014_15": k12_2014.astype(int),
            "enrollment_year": ENROLLMENT_YEAR,
            "enrollment": grades.sum(axis=1),
        }
    )
    for j, name in enumerate(GRADE_COLUMNS):
        out[name] = grades[:, j]
    out["enrollment_basis"] = BASIS
    out = out[SCHOOL_COLUMNS].sort_values("school_code", kind="stable").reset_index(drop=True)
    assert out["enrollment"].sum() == DISTRICT_TOTAL_TK12
    assert out["gr_tk"].sum() == TK_TOTAL
    return out


def main() -> None:
    table = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUT, index=False)
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(table)} schools, {table['enrollment'].sum():,} students"
    )


if __name__ == "__main__":
    main()
