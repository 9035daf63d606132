"""The real input of the statewide dataset: California's LEAs in the NCES Common Core of
Data 2023-24 (enrollment and instructional staff FTE per local education agency).

``data/statewide/nces_ccd_california_2023_24.csv`` holds the California rows of
``shared/data/nces_ccd_districts_2023_24.csv`` unchanged (source note beside it).
:func:`read_nces` checks the file and names the row and column of every bad cell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..district import data_dir

__all__ = ["NCES_COLUMNS", "StatewideError", "nces_path", "read_nces"]

NCES_COLUMNS = ["district_id", "district_name", "state", "enrollment", "instructional_staff", "year", "data_source"]


class StatewideError(ValueError):
    """A statewide input or collection that cannot be used; the message names the file,
    row and column (or the district) at fault."""


def nces_path() -> Path:
    """The bundled California extract of the NCES CCD 2023-24 district file."""
    return data_dir() / "statewide" / "nces_ccd_california_2023_24.csv"


def read_nces(path: str | Path | None = None, state: str = "CA") -> pd.DataFrame:
    """Read the NCES CCD district file (the bundled California extract by default) and
    return the rows of ``state``: ``district`` (text id), ``district_name``,
    ``enrollment`` (students), ``instructional_staff`` (FTE), in file order.

    Every problem is reported with the file, row (1 = header) and column: a missing
    column, an empty or duplicate id, a non-numeric or negative count.
    """
    path = Path(path) if path is not None else nces_path()
    try:
        t = pd.read_csv(path, dtype={"district_id": str, "district_name": str, "state": str},
                        keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise StatewideError(f"{path}: cannot read the NCES district file: {exc}") from exc
    missing = [c for c in ("district_id", "district_name", "state", "enrollment", "instructional_staff")
               if c not in t.columns]
    if missing:
        raise StatewideError(f"{path}: missing column(s) {', '.join(missing)}")
    problems = []
    row = np.arange(len(t)) + 2
    for col in ("enrollment", "instructional_staff"):
        v = pd.to_numeric(t[col].replace("", np.nan), errors="coerce")
        bad = v.isna() | (v < 0)
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(f"{path}, row {row[i]}, column {col}: expected a number, 0 or more, got {t[col].iloc[i]!r}")
        t[col] = v.astype(float)
    ids = t["district_id"].astype(str).str.strip()
    for i in np.flatnonzero((ids == "").to_numpy()):
        problems.append(f"{path}, row {row[i]}, column district_id: empty")
    dup = ids.duplicated(keep="first") & (ids != "")
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(f"{path}, row {row[i]}, column district_id: {ids.iloc[i]!r} appears more than once")
    if problems:
        raise StatewideError("\n".join(problems))
    t["district_id"] = ids
    t = t[t["state"].astype(str).str.strip() == state]
    if t.empty:
        raise StatewideError(f"{path}: no rows for state {state!r}")
    return pd.DataFrame({
        "district": t["district_id"].to_numpy(dtype=object),
        "district_name": t["district_name"].astype(str).str.strip().to_numpy(dtype=object),
        "enrollment": t["enrollment"].to_numpy(float),
        "instructional_staff": t["instructional_staff"].to_numpy(float),
    })
