"""Read the CDE census-day enrollment file (``cdenroll``) into the schools table.

The California Department of Education publishes census-day (first Wednesday in
October) TK-12 enrollment as one tab-separated text file per year, e.g.
``cdenroll2425.txt`` (https://www.cde.ca.gov/ds/ad/filesenrcensus.asp; layout:
"File Structure: Census Day Enrollment Data", https://www.cde.ca.gov/ds/ad/fsenrcensus.asp).
One header line, then one row per entity and reporting category:

``AcademicYear, AggregateLevel, CountyCode, DistrictCode, SchoolCode, CountyName,
DistrictName, SchoolName, Charter, ReportingCategory, TOTAL_ENR, GR_TK, GR_KN, GR_01 ...
GR_12``

``AggregateLevel`` is ``T`` (state), ``C`` (county), ``D`` (district) or ``S`` (school);
``ReportingCategory`` ``TA`` is the total (the others split it by race/ethnicity, gender
and program group); ``Charter`` is ``Y``/``N`` on school rows (``All`` on aggregates).
Small counts may be suppressed and printed as ``*``.

The column list was checked against CDE's file-structure page and the open-source
reader ``almartin82/caschooldata`` (``R/process_enrollment.R``), which spells the header
the same way and reads the file as tab-separated Latin-1 text. Header names are matched
ignoring case, spaces and underscores, so ``Academic Year`` and ``AcademicYear`` both
work; ``GR_1`` is accepted for ``GR_01``.

Choices made explicit:

* Only rows with ``AggregateLevel == "S"``, ``ReportingCategory == "TA"`` and the given
  district code are used; by default only district-run schools (``Charter == "N"``).
* A suppressed count (``*``) is an error by default (``suppressed="error"``), naming
  every such cell. ``suppressed="missing"`` keeps the cell as missing (``<NA>``), never
  as zero, and says so in ``enrollment_basis``.
* Any other non-numeric, negative or fractional count is always an error.
* By default the grade counts must add up to ``TOTAL_ENR`` (``check_totals``).

Every problem is reported with the file, the file row (the header is row 1) and the
column, all at once, in :class:`CDEEnrollmentError`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "GRADE_COLUMNS",
    "GRADE_LABELS",
    "SCHOOL_COLUMNS",
    "CDEEnrollmentError",
    "main",
    "read_cde_enrollment",
]

#: Grade columns of the schools table, lowest first.
GRADE_COLUMNS = ["gr_tk", "gr_k"] + [f"gr_{g:02d}" for g in range(1, 13)]
#: Grade labels used for ``low_grade`` / ``high_grade`` derived from counts.
GRADE_LABELS = ["TK", "K"] + [str(g) for g in range(1, 13)]

#: Columns of the schools table (``data/lausd/schools.csv`` and this reader's output).
SCHOOL_COLUMNS = [
    "cds_code",
    "county_code",
    "district_code",
    "school_code",
    "school_name",
    "school_type",
    "educational_option_type",
    "charter",
    "low_grade",
    "high_grade",
    "frpm_share",
    "frpm_year",
    "enrollment_2014_15",
    "enrollment_year",
    "enrollment",
    *GRADE_COLUMNS,
    "enrollment_basis",
]

# canonical CDE column -> normalized header spellings accepted
_CDE_COLUMNS = {
    "AcademicYear": ("academicyear",),
    "AggregateLevel": ("aggregatelevel",),
    "CountyCode": ("countycode",),
    "DistrictCode": ("districtcode",),
    "SchoolCode": ("schoolcode",),
    "CountyName": ("countyname",),
    "DistrictName": ("districtname",),
    "SchoolName": ("schoolname",),
    "Charter": ("charter", "charterschool", "charteryn", "charterallyn"),
    "ReportingCategory": ("reportingcategory",),
    "TOTAL_ENR": ("totalenr",),
    "GR_TK": ("grtk",),
    "GR_KN": ("grkn", "grk"),
    **{f"GR_{g:02d}": (f"gr{g:02d}", f"gr{g}") for g in range(1, 13)},
}
_OPTIONAL = {"CountyName", "DistrictName"}
_CDE_GRADES = ["GR_TK", "GR_KN"] + [f"GR_{g:02d}" for g in range(1, 13)]
_COUNT_COLUMNS = ["TOTAL_ENR", *_CDE_GRADES]
_REFERENCE_COLUMNS = [
    "school_type",
    "educational_option_type",
    "frpm_share",
    "frpm_year",
    "enrollment_2014_15",
]
_DIGITS = re.compile(r"^\d+$")


class CDEEnrollmentError(ValueError):
    """A census-day enrollment file that cannot be read as asked; ``problems`` lists
    one message per problem (file, row, column, what was expected)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _read_text(path: Path) -> pd.DataFrame:
    last: Exception | None = None
    for encoding in ("utf-8", "latin-1"):
        try:
            return pd.read_csv(
                path, sep="\t", dtype=str, keep_default_na=False, encoding=encoding, quoting=3
            )
        except UnicodeDecodeError as exc:  # try the next encoding
            last = exc
        except FileNotFoundError as exc:
            raise CDEEnrollmentError([f"{path}: no such file"]) from exc
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise CDEEnrollmentError([f"{path}: cannot read as tab-separated text: {exc}"]) from exc
    raise CDEEnrollmentError([f"{path}: cannot decode as UTF-8 or Latin-1 text: {last}"])


def _int_array(values: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.array([pd.NA if np.isnan(x) else int(x) for x in values], dtype="Int64")


def _year_label(value: str) -> str:
    m = re.match(r"^(\d{4})-(\d{2}|\d{4})$", value.strip())
    if not m:
        return value.strip()
    return f"{m.group(1)}-{m.group(2)[-2:]}"


def read_cde_enrollment(
    path: str | Path,
    district_code: str = "64733",
    *,
    charter: str | None = "N",
    suppressed: str = "error",
    check_totals: bool = True,
    reference: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read a CDE census-day enrollment file into the schools-table schema.

    ``district_code``: the five-digit CDE district code (LAUSD: ``"64733"``).
    ``charter``: ``"N"`` (district-run schools, the default), ``"Y"`` (charters) or
    ``None`` (both). ``suppressed``: ``"error"`` (default) or ``"missing"`` (see the
    module docstring). ``check_totals``: require ``TOTAL_ENR`` = sum of the grade counts
    on every row with no suppressed cell. ``reference``: an optional schools table (such
    as ``data/lausd/schools.csv``) from which ``school_type``, ``educational_option_type``,
    ``frpm_share``, ``frpm_year`` and ``enrollment_2014_15`` are carried over by
    ``school_code``; without it those columns are empty, since the census file does not
    have them.

    Returns one row per school, sorted by ``school_code``, with the columns
    :data:`SCHOOL_COLUMNS`: codes as text (``school_code`` the seven-digit school code),
    counts as nullable integers, ``enrollment`` = ``TOTAL_ENR``, ``low_grade`` /
    ``high_grade`` the lowest and highest grade with students, ``enrollment_basis``
    saying the counts are reported, not imputed.
    """
    path = Path(path)
    src = str(path)
    if suppressed not in ("error", "missing"):
        raise ValueError(f"suppressed must be 'error' or 'missing', got {suppressed!r}")
    if charter is not None and str(charter).upper() not in ("Y", "N"):
        raise ValueError(f"charter must be 'Y', 'N' or None, got {charter!r}")
    district = str(district_code).strip().zfill(5)

    raw = _read_text(path)
    lookup: dict[str, str] = {}
    for col in raw.columns:
        lookup.setdefault(_norm(col), col)
    names: dict[str, str] = {}
    missing = []
    for canon, spellings in _CDE_COLUMNS.items():
        found = next((lookup[s] for s in spellings if s in lookup), None)
        if found is None:
            if canon not in _OPTIONAL:
                missing.append(canon)
        else:
            names[canon] = found
    if missing:
        hint = ""
        if len(raw.columns) <= 2:
            hint = " (the CDE file is tab-separated; is this file tab-separated?)"
        raise CDEEnrollmentError(
            [
                f"{src}, row 1: missing column(s) {', '.join(missing)}{hint}; "
                f"columns found: {', '.join(map(str, raw.columns))}"
            ]
        )

    def col(canon: str) -> pd.Series:
        return raw[names[canon]].astype(str).str.strip()

    keep = (
        (col("AggregateLevel").str.upper() == "S")
        & (col("ReportingCategory").str.upper() == "TA")
        & (col("DistrictCode").str.zfill(5) == district)
    )
    if charter is not None:
        keep &= col("Charter").str.upper() == str(charter).upper()
    rows = np.flatnonzero(keep.to_numpy())
    if rows.size == 0:
        which = {None: "", "N": ", Charter N"}.get(charter, f", Charter {charter}")
        raise CDEEnrollmentError(
            [
                f"{src}: no school rows (AggregateLevel S, ReportingCategory TA{which}) for district code {district}"
            ]
        )

    problems: list[str] = []
    counts: dict[str, np.ndarray] = {}
    supp = np.zeros(rows.size, dtype=bool)
    for canon in _COUNT_COLUMNS:
        values = col(canon).to_numpy()[rows]
        out = np.full(rows.size, np.nan)
        for k, (i, v) in enumerate(zip(rows, values, strict=True)):
            where = f"{src}, row {i + 2}, column {names[canon]}"
            if v == "*":
                if suppressed == "error":
                    problems.append(
                        f"{where}: count suppressed by CDE ('*'); pass suppressed='missing' to keep "
                        "it as missing (never as zero)"
                    )
                supp[k] = True
            elif v == "":
                problems.append(f"{where}: expected a whole number of students, got an empty cell")
            elif not _DIGITS.match(v):
                problems.append(f"{where}: expected a whole number of students, got {v!r}")
            else:
                out[k] = float(v)
        counts[canon] = out

    codes = col("SchoolCode").to_numpy()[rows]
    for k, (i, code) in enumerate(zip(rows, codes, strict=True)):
        if not code.isdigit() or len(code) > 7:
            problems.append(
                f"{src}, row {i + 2}, column {names['SchoolCode']}: expected a school code of up to 7 digits, got {code!r}"
            )
            codes[k] = code
        else:
            codes[k] = code.zfill(7)
    seen: dict[str, int] = {}
    for i, code in zip(rows, codes, strict=True):
        if code in seen:
            problems.append(
                f"{src}, row {i + 2}, column {names['SchoolCode']}: school {code} already appears on row {seen[code]}"
            )
        else:
            seen[code] = int(i) + 2

    grades = np.column_stack([counts[c] for c in _CDE_GRADES])
    total = counts["TOTAL_ENR"]
    if check_totals:
        complete = ~np.isnan(grades).any(axis=1) & ~np.isnan(total)
        gsum = np.nansum(grades, axis=1)
        for k in np.flatnonzero(complete & (gsum != total)):
            problems.append(
                f"{src}, row {rows[k] + 2}, column {names['TOTAL_ENR']}: {int(total[k])} is not the sum of "
                f"the grade counts ({int(gsum[k])}); pass check_totals=False if the file counts "
                "students outside TK-12"
            )
    if problems:
        raise CDEEnrollmentError(problems)

    county = col("CountyCode").to_numpy()[rows]
    county = np.array([c.zfill(2) for c in county], dtype=object)
    out = pd.DataFrame(
        {
            "cds_code": [f"{c}{district}{s}" for c, s in zip(county, codes, strict=True)],
            "county_code": county,
            "district_code": district,
            "school_code": codes,
            "school_name": col("SchoolName").to_numpy()[rows],
            "charter": col("Charter").str.upper().to_numpy()[rows],
            "enrollment_year": [_year_label(v) for v in col("AcademicYear").to_numpy()[rows]],
            "enrollment": _int_array(total),
        }
    )
    for j, name in enumerate(GRADE_COLUMNS):
        out[name] = _int_array(grades[:, j])
    present = np.nan_to_num(grades, nan=0.0) > 0
    low, high = [], []
    for r in present:
        idx = np.flatnonzero(r)
        low.append(GRADE_LABELS[idx[0]] if idx.size else pd.NA)
        high.append(GRADE_LABELS[idx[-1]] if idx.size else pd.NA)
    out["low_grade"] = low
    out["high_grade"] = high
    basis = "reported: CDE census-day enrollment file"
    out["enrollment_basis"] = np.where(supp, basis + "; suppressed cells ('*') left missing", basis)

    for name in _REFERENCE_COLUMNS:
        out[name] = pd.NA
    if reference is not None:
        if "school_code" not in reference.columns:
            raise ValueError("reference must have a school_code column")
        ref = reference.copy()
        ref["school_code"] = ref["school_code"].astype(str).str.strip().str.zfill(7)
        ref = ref.drop_duplicates("school_code").set_index("school_code")
        for name in _REFERENCE_COLUMNS:
            if name in ref.columns:
                out[name] = out["school_code"].map(ref[name])
    return out[SCHOOL_COLUMNS].sort_values("school_code", kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m costing.io.cde_enrollment cdenroll2425.txt -o schools.csv``"""
    p = argparse.ArgumentParser(
        prog="python -m costing.io.cde_enrollment",
        description="Convert a CDE census-day enrollment file (cdenroll) into a schools table.",
    )
    p.add_argument("path", help="the cdenroll text file (tab-separated)")
    p.add_argument("-o", "--out", required=True, help="CSV file to write")
    p.add_argument(
        "--district", default="64733", help="five-digit CDE district code (default LAUSD 64733)"
    )
    p.add_argument(
        "--charter",
        default="N",
        choices=["N", "Y", "all"],
        help="schools to keep (default N: district-run)",
    )
    p.add_argument("--suppressed", default="error", choices=["error", "missing"])
    p.add_argument("--no-check-totals", action="store_true")
    p.add_argument("--reference", help="schools table to carry school type and FRPM share from")
    args = p.parse_args(argv)
    ref = pd.read_csv(args.reference, dtype={"school_code": str}) if args.reference else None
    try:
        table = read_cde_enrollment(
            args.path,
            args.district,
            charter=None if args.charter == "all" else args.charter,
            suppressed=args.suppressed,
            check_totals=not args.no_check_totals,
            reference=ref,
        )
    except CDEEnrollmentError as exc:
        print(exc, file=sys.stderr)
        return 1
    table.to_csv(args.out, index=False)
    print(f"wrote {len(table)} schools, {int(table['enrollment'].sum()):,} students, to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
