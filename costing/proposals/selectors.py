"""Which employees a proposal applies to.

A selector is plain data: ``units``, ``classifications`` and ``where`` (any workforce
column mapped to one value or a list of values). All given parts must match (AND); values
within one part are alternatives (OR). An empty selector selects every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SelectorError", "freeze_where", "normalise_values", "select"]


class SelectorError(ValueError):
    """A selector that names a column the workforce does not have."""


def normalise_values(values: Any) -> tuple:
    """A tuple of selector values from one value or an iterable of values."""
    if values is None:
        return ()
    if isinstance(values, str | int | float | bool):
        return (values,)
    if isinstance(values, Iterable):
        return tuple(values)
    return (values,)


def freeze_where(where: Mapping[str, Any] | Iterable | None) -> tuple[tuple[str, tuple], ...]:
    """``where`` as a sorted tuple of ``(column, values)`` pairs, so a proposal is hashable."""
    if not where:
        return ()
    items = where.items() if isinstance(where, Mapping) else where
    frozen = []
    for column, values in items:
        frozen.append((str(column), normalise_values(values)))
    return tuple(sorted(frozen))


def _matches(column: pd.Series, values: tuple) -> np.ndarray:
    """Rows of ``column`` equal to one of ``values``; numbers compare as numbers."""
    if column.dtype.kind in "biuf":
        try:
            numeric = [float(v) for v in values]
        except (TypeError, ValueError):
            return np.zeros(len(column), dtype=bool)
        return column.isin(numeric).to_numpy(dtype=bool)
    if column.dtype.kind == "b":
        return column.isin([bool(v) for v in values]).to_numpy(dtype=bool)
    wanted = list(values) + [str(v) for v in values if not isinstance(v, str)]
    return column.isin(wanted).to_numpy(dtype=bool)


def select(
    workforce: pd.DataFrame,
    units: tuple = (),
    classifications: tuple = (),
    where: tuple[tuple[str, tuple], ...] = (),
    factorized: Callable[[str], tuple[np.ndarray, pd.Series]] | None = None,
) -> np.ndarray:
    """Boolean mask of the workforce rows a selector picks.

    ``factorized(column) -> (codes, uniques)``, if given, lets the match run over a
    column's distinct values and then its integer codes (same result, faster).
    """
    mask = np.ones(len(workforce), dtype=bool)
    parts: list[tuple[str, tuple]] = []
    if units:
        parts.append(("unit", units))
    if classifications:
        parts.append(("classification", classifications))
    parts.extend(where)
    for column, values in parts:
        if column not in workforce.columns:
            raise SelectorError(
                f"selector names column {column!r}, which the workforce does not have "
                f"(columns: {', '.join(map(str, workforce.columns))})"
            )
        if factorized is not None:
            codes, uniques = factorized(column)
            hit = np.flatnonzero(_matches(uniques, values))
            mask &= np.isin(codes, hit)
        else:
            mask &= _matches(workforce[column], values)
    return mask
