"""Salary schedules and step-and-column movement.

A schedule table has one row per cell: ``schedule, column, step, rate``. ``rate`` is an
annual salary for salaried employees or an hourly rate for hourly employees (the
employee's ``pay_basis`` says which). Steps within a column are ordered numerically; an
employee's *step position* is the index of their step in that order (0 = lowest).

Status-quo movement (docs/engine.md): every July 1 after the base year an employee below
the top step moves to the next step of their column, so in fiscal year ``base + k`` an
employee at position ``s`` is at ``min(s + k, top)``. With turnover ``tau``, a share
``tau`` of each row leaves each July 1 and is replaced at position 0; in year ``base + k``
the weights are ``(1 - tau)^k`` for the original employees and ``tau (1 - tau)^(k - j)``
for those hired on July 1 of ``base + j`` (now at ``min(k - j, top)``), ``j = 1..k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "SCHEDULE_COLUMNS",
    "ScheduleError",
    "StepPlacement",
    "attach_schedule_rates",
    "cohort_weights",
    "read_schedules",
    "step_placement",
    "validate_schedules",
]

SCHEDULE_COLUMNS = ["schedule", "column", "step", "rate"]


class ScheduleError(ValueError):
    """A schedule table with problems."""


def validate_schedules(frame: pd.DataFrame, source: str = "schedules") -> pd.DataFrame:
    """Check a schedule table: the four columns, numeric steps and positive rates, no
    duplicate cells. Returns it sorted by schedule, column, step."""
    problems = []
    missing = [c for c in SCHEDULE_COLUMNS if c not in frame.columns]
    if missing:
        raise ScheduleError(f"{source}: missing column(s) {', '.join(missing)}")
    df = frame.copy().reset_index(drop=True)
    df["schedule"] = _text(df["schedule"])
    df["column"] = _text(df["column"])
    step = pd.to_numeric(df["step"], errors="coerce")
    rate = pd.to_numeric(df["rate"], errors="coerce")
    for i in np.flatnonzero(step.isna().to_numpy()):
        problems.append(f"{source}, row {i + 2}, column step: expected a number, got {df['step'].iloc[i]!r}")
    for i in np.flatnonzero((rate.isna() | (rate <= 0)).to_numpy()):
        problems.append(f"{source}, row {i + 2}, column rate: expected a number above 0, got {df['rate'].iloc[i]!r}")
    df["step"] = step
    df["rate"] = rate
    dup = df.duplicated(["schedule", "column", "step"], keep="first")
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(
            f"{source}, row {i + 2}: cell (schedule {df['schedule'].iloc[i]}, column "
            f"{df['column'].iloc[i]}, step {df['step'].iloc[i]:g}) appears more than once"
        )
    if problems:
        raise ScheduleError("\n".join(problems))
    return df.sort_values(["schedule", "column", "step"], kind="stable").reset_index(drop=True)


def read_schedules(path: str | Path) -> pd.DataFrame:
    """Read and check a schedule CSV."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype={"schedule": str, "column": str})
    except (OSError, pd.errors.ParserError) as exc:
        raise ScheduleError(f"{path}: cannot read schedule file: {exc}") from exc
    return validate_schedules(frame, source=str(path))


def _factor_text(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, uniques)`` of a text column, cells stripped, empty cells as ``""``;
    the stripping runs over the distinct values only."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    clean = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    u2_codes, u2 = pd.factorize(clean)
    return np.asarray(u2_codes, dtype=np.int64)[codes], np.asarray(u2, dtype=object)


def _text(s: pd.Series) -> pd.Series:
    """Cells as stripped text, empty cells as ``""``."""
    return s.astype(object).where(~s.isna(), "").astype(str).str.strip()


def _fmt(v: object) -> str:
    try:
        return f"{float(v):g}"
    except (TypeError, ValueError):
        return str(v)


def attach_schedule_rates(
    df: pd.DataFrame, schedules: pd.DataFrame | None, source: str
) -> tuple[pd.DataFrame, list[str]]:
    """Give rows placed on a schedule the rate of their cell.

    A row with a ``schedule`` must also have ``step`` and ``column`` (a blank column
    means the schedule's only column, ``""``). Its rate (``annual_salary`` for salaried
    rows, ``hourly_rate`` for hourly rows) becomes the cell's rate; a rate already on the
    row that differs from the cell by a cent or more is a problem. Returns the frame and
    the problems found.
    """
    problems: list[str] = []
    if "schedule" not in df.columns:
        return df, problems
    s_codes, s_uniques = _factor_text(df["schedule"])
    on = s_uniques[s_codes] != ""
    if not on.any():
        return df, problems
    if schedules is None:
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(on)[:10])
        return df, [f"{source}: rows {rows} name a salary schedule but no schedule table was given"]
    for col in ("step", "column"):
        if col not in df.columns:
            df[col] = np.nan if col == "step" else ""
    df["column"] = _text(df["column"])
    step = pd.to_numeric(df["step"], errors="coerce")
    for i in np.flatnonzero(on & step.isna().to_numpy()):
        problems.append(f"{source}, row {i + 2}, column step: rows on a schedule need a numeric step, got {df['step'].iloc[i]!r}")
    df["step"] = step
    sch = schedules.sort_values(["schedule", "column", "step"], kind="stable").reset_index(drop=True)
    offset, _, position, found = _locate(sch, df["schedule"], df["column"], df["step"])
    cell_rate = np.where(on & found, sch["rate"].to_numpy(float)[offset + position] if len(sch) else np.nan, np.nan)
    for i in np.flatnonzero(on & ~found & ~step.isna().to_numpy()):
        problems.append(
            f"{source}, row {i + 2}: no schedule cell (schedule {df['schedule'].iloc[i]}, column "
            f"{df['column'].iloc[i]!r}, step {_fmt(df['step'].iloc[i])})"
        )
    hourly = (df["pay_basis"] == "hourly").to_numpy()
    for basis_mask, col in ((hourly, "hourly_rate"), (~hourly, "annual_salary")):
        m = on & basis_mask & ~np.isnan(cell_rate)
        given = df[col].to_numpy(dtype=float)
        conflict = m & ~np.isnan(given) & (np.abs(given - cell_rate) >= 0.01)
        for i in np.flatnonzero(conflict):
            problems.append(
                f"{source}, row {i + 2}, column {col}: {given[i]:,.2f} differs from its schedule "
                f"cell ({df['schedule'].iloc[i]}, column {df['column'].iloc[i]!r}, step "
                f"{_fmt(df['step'].iloc[i])}) = {cell_rate[i]:,.2f}; leave it empty or make them agree"
            )
        new = df[col].to_numpy(dtype=float).copy()
        new[m] = cell_rate[m]
        df[col] = new
    return df, problems


@dataclass(frozen=True)
class StepPlacement:
    """Where each workforce row sits on its schedule, as flat arrays.

    ``values`` holds every schedule cell's rate, grouped by (schedule, column) and
    sorted by step. Row ``i`` (if ``on_schedule[i]``) has its column's cells at
    ``values[offset[i] : offset[i] + length[i]]`` and sits at ``position[i]``.
    """

    on_schedule: np.ndarray
    offset: np.ndarray
    length: np.ndarray
    position: np.ndarray
    values: np.ndarray

    def rate_at(self, position: np.ndarray) -> np.ndarray:
        """Cell rate at a (clipped to top) step position for every row (NaN off schedule)."""
        pos = np.minimum(position, self.length - 1)
        idx = np.where(self.on_schedule, self.offset + np.maximum(pos, 0), 0)
        out = self.values[idx] if len(self.values) else np.zeros(len(idx))
        return np.where(self.on_schedule, out, np.nan)


def _locate(schedules: pd.DataFrame, sched: pd.Series, column: pd.Series, step: pd.Series):
    """Vectorized lookup of workforce placements in a (sorted) schedule table.

    Returns ``(offset, length, position, found)``: per row, the first index of its
    (schedule, column) in the sorted table, the number of steps there, the index of its
    step among them, and whether the cell exists. Loops run over distinct (schedule,
    column) pairs only, never over rows.
    """
    sch = schedules
    g_codes, g_uniques = pd.MultiIndex.from_arrays([_text(sch["schedule"]), _text(sch["column"])]).factorize()
    g_codes = np.asarray(g_codes)
    first = np.r_[True, g_codes[1:] != g_codes[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(sch)])
    s_codes, s_uniques = _factor_text(sched)
    c_codes, c_uniques = _factor_text(column)
    pair = s_codes.astype(np.int64) * max(len(c_uniques), 1) + c_codes
    lookup = {k: i for i, k in enumerate(g_uniques)}
    pair_u, pair_inv = np.unique(pair, return_inverse=True)
    pair_group = np.array(
        [lookup.get((s_uniques[u // max(len(c_uniques), 1)], c_uniques[u % max(len(c_uniques), 1)]), -1) for u in pair_u],
        dtype=np.int64,
    )
    gid = pair_group[pair_inv] if len(pair_u) else np.full(len(sched), -1)
    has = gid >= 0
    offset = np.where(has, starts[np.maximum(gid, 0)], 0)
    length = np.where(has, sizes[np.maximum(gid, 0)], 1)
    cell_key = g_codes.astype(float) * 1e7 + sch["step"].to_numpy(float)
    row_key = gid.astype(float) * 1e7 + pd.to_numeric(step, errors="coerce").to_numpy(float)
    hit = np.searchsorted(cell_key, row_key)
    hit = np.minimum(hit, len(cell_key) - 1)
    found = has & (cell_key[hit] == row_key)
    position = np.where(found, hit - offset, 0)
    return offset.astype(np.int64), length.astype(np.int64), position.astype(np.int64), found


def step_placement(workforce: pd.DataFrame, schedules: pd.DataFrame | None) -> StepPlacement:
    """Locate each row on its schedule (rows without a schedule are marked off)."""
    n = len(workforce)
    if schedules is None or "schedule" not in workforce.columns or len(schedules) == 0:
        z = np.zeros(n, dtype=np.int64)
        return StepPlacement(np.zeros(n, bool), z, z + 1, z, np.zeros(0))
    sch = schedules.sort_values(["schedule", "column", "step"], kind="stable").reset_index(drop=True)
    sched = workforce["schedule"]
    s_codes, s_uniques = _factor_text(sched)
    on = s_uniques[s_codes] != ""
    column = workforce["column"] if "column" in workforce.columns else pd.Series("", index=workforce.index)
    offset, length, position, found = _locate(sch, sched, column, workforce["step"])
    on = on & found
    return StepPlacement(
        on,
        np.where(on, offset, 0),
        np.where(on, length, 1),
        np.where(on, position, 0),
        sch["rate"].to_numpy(dtype=float),
    )


def cohort_weights(tau: float, k: int) -> np.ndarray:
    """Expected shares in fiscal year ``base + k`` of: the original employees (index 0)
    and the replacements hired on July 1 of ``base + j`` (index ``j``, ``j = 1..k``).

    ``w[0] = (1 - tau)^k``, ``w[j] = tau (1 - tau)^(k - j)``; they sum to 1.

    >>> cohort_weights(0.1, 2).round(4).tolist()
    [0.81, 0.09, 0.1]
    """
    if not 0 <= tau < 1:
        raise ValueError(f"turnover must be at least 0 and below 1, got {tau}")
    w = np.empty(k + 1)
    w[0] = (1 - tau) ** k
    j = np.arange(1, k + 1)
    w[1:] = tau * (1 - tau) ** (k - j)
    return w
