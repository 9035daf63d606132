"""Spreadsheets for colleagues who live in Excel.

:func:`write_workbook` writes one sheet per table, money formatted as currency, headers
bold, the first row frozen. Any text cell that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe, so a scenario or school name can never run as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = ["FORMULA_PREFIXES", "escape_text", "write_workbook"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CURRENCY = '"$"#,##0;[Red]-"$"#,##0'
NUMBER = "#,##0.0"
PERCENT = "0.0"


def escape_text(value: object) -> object:
    """A text value that cannot start a formula: ``"=1+1"`` -> ``"'=1+1"``; other values
    unchanged.

    >>> escape_text("=HYPERLINK(1)"), escape_text("Teacher"), escape_text(3)
    ("'=HYPERLINK(1)", 'Teacher', 3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Index as columns, multi-level column names joined with a space."""
    out = frame.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" ".join(str(p) for p in col if str(p)) for col in out.columns]
    if not isinstance(out.index, pd.RangeIndex) or out.index.name is not None or any(out.index.names):
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    return out


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path,
                   money: Mapping[str, list[str]] | None = None) -> Path:
    """Write ``{sheet name: table}`` to an .xlsx file.

    Columns named in ``money[sheet]`` (default: every numeric column except those whose
    name ends in ``%``, ``fte``, ``FTE``, ``rows`` or ``headcount``) get the currency
    format. Sheet names are cut to Excel's 31 characters.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for name, table in tables.items():
        frame = _flat(table)
        ws = wb.create_sheet(title=_sheet_name(name, wb.sheetnames))
        ws.append([escape_text(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        money_cols = set(money.get(name, [])) if money else {
            c for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not _not_money(c)
        }
        values = frame.astype(object).where(frame.notna(), None).to_numpy()
        for row in values:
            ws.append([escape_text(_plain(v)) for v in row])
        for j, col in enumerate(frame.columns, start=1):
            letter = get_column_letter(j)
            fmt = CURRENCY if col in money_cols else (PERCENT if str(col).endswith("%") else None)
            if fmt is None and pd.api.types.is_float_dtype(frame[col]):
                fmt = NUMBER
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)]) + 2
            ws.column_dimensions[letter].width = min(max(width, 10), 60)
        ws.freeze_panes = "A2"
    wb.save(path)
    return path


def _not_money(name: str) -> bool:
    low = name.lower()
    return low.endswith(("%", "fte", "rows", "headcount", "enrollees", "count", "positions", "year", "years"))


def _plain(v: object) -> object:
    """numpy scalars as Python numbers (openpyxl writes those)."""
    if isinstance(v, np.generic):
        return v.item()
    return v


def _sheet_name(name: str, taken: list[str]) -> str:
    bad = '[]:*?/\\'
    clean = "".join("-" if ch in bad else ch for ch in name).strip("'")[:31] or "sheet"
    out, k = clean, 2
    while out in taken:
        suffix = f" ({k})"
        out = clean[: 31 - len(suffix)] + suffix
        k += 1
    return out
