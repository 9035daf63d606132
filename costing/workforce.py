"""The workforce table: schema, validation and pay arithmetic.

One row per employee or per group of identical employees (``count``). Annual pay of a
row in the base year:

* hourly rows: ``count x hourly_rate x hours_per_day x days_per_year``
* salaried rows: ``count x fte x annual_salary``

Validation collects every problem (file, row, column, what was expected) before raising;
nothing is dropped, clipped or filled silently. Defaults that the format itself defines
(``count`` = 1, ``fte`` = 1 when the column is absent or the cell is empty) are applied
and said so in the docs; nothing else is filled.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

__all__ = [
    "NUMERIC_COLUMNS",
    "OPTIONAL_COLUMNS",
    "PRICING_COLUMNS",
    "PAY_BASES",
    "REQUIRED_COLUMNS",
    "RETIREMENT_SYSTEMS",
    "WorkforceError",
    "annual_hours",
    "annual_pay",
    "read_workforce",
    "validate_workforce",
]

REQUIRED_COLUMNS = ["unit", "classification", "pay_basis", "retirement"]
NUMERIC_COLUMNS = ["count", "fte", "hourly_rate", "hours_per_day", "days_per_year", "annual_salary"]
OPTIONAL_COLUMNS = ["schedule", "step", "column", "school_code", "health_eligible", "employee_id"]
#: the columns whose values decide a row's price (rows equal in all of them, and in every
#: column a selector reads, are priced once with their counts added)
PRICING_COLUMNS = ("unit", "classification", "pay_basis", "retirement", "fte", "hourly_rate",
                   "hours_per_day", "days_per_year", "annual_salary", "health_eligible")
PAY_BASES = ("hourly", "salary")
RETIREMENT_SYSTEMS = ("STRS", "PERS", "none")


class WorkforceError(ValueError):
    """A workforce table with problems; ``problems`` lists one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _row(i: int) -> int:
    """File row number of data row ``i`` (1 is the header line)."""
    return int(i) + 2


def _schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "unit": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "classification": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "pay_basis": pa.Column(str, pa.Check.isin(PAY_BASES), nullable=False),
            "retirement": pa.Column(str, pa.Check.isin(RETIREMENT_SYSTEMS), nullable=False),
            "count": pa.Column(float, pa.Check.gt(0), nullable=False),
            "fte": pa.Column(float, [pa.Check.gt(0), pa.Check.le(1.5)], nullable=False),
            "hourly_rate": pa.Column(float, pa.Check.gt(0), nullable=True),
            "hours_per_day": pa.Column(float, [pa.Check.gt(0), pa.Check.le(24)], nullable=True),
            "days_per_year": pa.Column(float, [pa.Check.gt(0), pa.Check.le(366)], nullable=True),
            "annual_salary": pa.Column(float, pa.Check.gt(0), nullable=True),
        },
        strict=False,
    )


_EXPECTED = {
    "unit": "a non-empty name",
    "classification": "a non-empty name",
    "pay_basis": "'hourly' or 'salary'",
    "retirement": "'STRS', 'PERS' or 'none'",
    "count": "a number above 0",
    "fte": "a number above 0 and at most 1.5",
    "hourly_rate": "a number above 0",
    "hours_per_day": "a number above 0 and at most 24",
    "days_per_year": "a number above 0 and at most 366",
    "annual_salary": "a number above 0",
}


def validate_workforce(
    frame: pd.DataFrame,
    source: str = "workforce",
    schedules: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Check a workforce table and return it in canonical form.

    Canonical form: the required and numeric columns with the documented dtypes, ``count``
    and ``fte`` defaulted to 1 where the column is absent or the cell is empty, rates of
    scheduled rows taken from ``schedules`` (see :mod:`costing.schedules`), the index
    ``0..n-1`` in file order. Raises :class:`WorkforceError` listing every problem.
    """
    problems: list[str] = []
    df = frame.copy().reset_index(drop=True)
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise WorkforceError([f"{source}: missing required column(s): {', '.join(missing)}"])
    if len(df) == 0:
        raise WorkforceError([f"{source}: the workforce has no rows"])

    for col in ("count", "fte"):
        if col not in df.columns:
            df[col] = 1.0
        else:
            df[col] = df[col].where(~_blank(df[col]), 1.0)
    for col in NUMERIC_COLUMNS:
        if col not in df.columns:
            df[col] = np.nan
        raw = df[col]
        blank = _blank(raw)
        num = pd.to_numeric(raw.where(~blank), errors="coerce")
        bad = num.isna() & ~blank
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(
                f"{source}, row {_row(i)}, column {col}: expected {_EXPECTED[col]}, got {raw.iloc[i]!r}"
            )
        df[col] = num.astype(float)
    for col in ("unit", "classification", "pay_basis", "retirement"):
        blank = _blank(df[col])
        for i in np.flatnonzero(blank.to_numpy()):
            problems.append(f"{source}, row {_row(i)}, column {col}: expected {_EXPECTED[col]}, got an empty cell")
        codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
        clean = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
        df[col] = clean[codes]

    # pandera: types, ranges and allowed values, every failure collected
    try:
        _schema().validate(df.fillna({c: "" for c in REQUIRED_COLUMNS}), lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        for _, case in fc.iterrows():
            col = case.get("column")
            idx = case.get("index")
            if col not in _EXPECTED or idx is None or pd.isna(idx):
                continue
            value = case.get("failure_case")
            if col in NUMERIC_COLUMNS and (value is None or (isinstance(value, float) and np.isnan(value))):
                continue  # already reported as not a number, or an optional empty cell
            if col in REQUIRED_COLUMNS and value == "":
                continue  # already reported as empty
            problems.append(f"{source}, row {_row(idx)}, column {col}: expected {_EXPECTED[col]}, got {value!r}")

    hourly = (df["pay_basis"] == "hourly").to_numpy()
    salary = (df["pay_basis"] == "salary").to_numpy()

    if schedules is not None or "schedule" in df.columns:
        from .schedules import attach_schedule_rates

        df, sched_problems = attach_schedule_rates(df, schedules, source)
        problems.extend(sched_problems)

    for col in ("hourly_rate", "hours_per_day", "days_per_year"):
        miss = hourly & df[col].isna().to_numpy()
        for i in np.flatnonzero(miss):
            if any(f"row {_row(i)}, column {col}" in p for p in problems):
                continue
            problems.append(f"{source}, row {_row(i)}, column {col}: hourly rows need {col} ({_EXPECTED[col]})")
    miss = salary & df["annual_salary"].isna().to_numpy()
    for i in np.flatnonzero(miss):
        if any(f"row {_row(i)}, column annual_salary" in p for p in problems):
            continue
        problems.append(f"{source}, row {_row(i)}, column annual_salary: salaried rows need annual_salary ({_EXPECTED['annual_salary']})")

    if "health_eligible" in df.columns:
        he = df["health_eligible"]
        mapped = he.map(_parse_bool)
        bad = mapped.isna() & ~_blank(he)
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(f"{source}, row {_row(i)}, column health_eligible: expected true or false, got {he.iloc[i]!r}")
        df["health_eligible"] = mapped.astype(object)

    if "employee_id" in df.columns:
        ids = df["employee_id"]
        dup = ids.duplicated(keep="first") & ~_blank(ids)
        for i in np.flatnonzero(dup.to_numpy()):
            problems.append(f"{source}, row {_row(i)}, column employee_id: {ids.iloc[i]!r} appears more than once")

    if problems:
        raise WorkforceError(_dedupe(problems))
    return df


def _blank(s: pd.Series) -> pd.Series:
    """Empty cells: missing, or text that is only spaces (checked over distinct values)."""
    if s.dtype.kind in "biufcmM":
        return s.isna()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    empty = np.array([str(u).strip() == "" for u in uniques] + [True], dtype=bool)
    return pd.Series(empty[codes], index=s.index)


def _parse_bool(v: object) -> object:
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    s = str(v).strip().lower()
    if s in ("true", "1", "yes", "y", "t"):
        return True
    if s in ("false", "0", "no", "n", "f"):
        return False
    return None


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def read_workforce(path: str | Path, schedules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate a workforce CSV; errors name the file, row and column."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise WorkforceError([f"{path}: no such file"]) from exc
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise WorkforceError([f"{path}: cannot read as CSV: {exc}"]) from exc
    return validate_workforce(frame, source=str(path), schedules=schedules)


def annual_hours(workforce: pd.DataFrame) -> np.ndarray:
    """Annual paid hours per employee: ``hours_per_day x days_per_year`` (NaN if unknown)."""
    return workforce["hours_per_day"].to_numpy(float) * workforce["days_per_year"].to_numpy(float)


def annual_pay(workforce: pd.DataFrame) -> np.ndarray:
    """Base-year annual pay of each row, dollars.

    ``count x hourly_rate x hours_per_day x days_per_year`` for hourly rows,
    ``count x fte x annual_salary`` for salaried rows.
    """
    count = workforce["count"].to_numpy(float)
    hourly = (workforce["pay_basis"] == "hourly").to_numpy()
    h = count * workforce["hourly_rate"].to_numpy(float) * annual_hours(workforce)
    s = count * workforce["fte"].to_numpy(float) * workforce["annual_salary"].to_numpy(float)
    return np.where(hourly, h, s)
