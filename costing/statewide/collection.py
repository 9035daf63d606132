"""The partitioned statewide collection on disk, and one district read back from it.

A collection is a folder written by :func:`costing.statewide.generate_statewide` (or by
anyone following the data contract of ``docs/statewide.md``): ``districts.parquet`` (one
row per district, with ``district``, ``district_name``, ``enrollment``,
``instructional_staff``), ``skipped.csv``, and the tables ``workforce``, ``schedules``,
``schools`` and ``budget``, each hive-partitioned by district
(``<table>/district=<id>/*.parquet``).

:func:`load_statewide` reads only the district metadata; :func:`load_district` (a
top-level function, arguments plain text, so a Dask worker can call it on its own
machine) reads one district's partitions and builds a validated
:class:`costing.District` and its :class:`costing.reserves.Baseline`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..district import District, data_dir
from ..rates import Rates
from ..reserves import BALANCE_COMPONENTS, Baseline
from .generate import BASE_YEAR, PARTITIONED
from .source import StatewideError

__all__ = ["DistrictPartition", "Statewide", "baseline_from_table", "load_district", "load_statewide"]

DISTRICT_COLUMNS = ["district", "district_name", "enrollment", "instructional_staff"]


@dataclass(frozen=True)
class DistrictPartition:
    """Where one district's data lives: the collection folder (text) and the district id.
    Plain data, cheap to send to a worker."""

    root: str
    district: str

    def path(self, table: str) -> Path:
        return Path(self.root) / table / f"district={self.district}"


@dataclass(frozen=True)
class Statewide:
    """A partitioned collection of districts (see the module docstring).

    ``path``: the folder; ``districts``: one row per district in the collection (those
    asked for), with at least :data:`DISTRICT_COLUMNS`; ``skipped``: the LEAs the
    generator could not build (``district``, ``district_name``, ``reason``);
    ``base_year``: the fiscal year the workforces describe; ``validated``: the
    generator checked every workforce (``manifest.json``), so loading need not repeat
    it. ``costing.price(scenario,
    statewide)`` prices every district (:func:`costing.statewide.price_statewide`).
    """

    path: Path
    districts: pd.DataFrame
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    base_year: str = BASE_YEAR
    validated: bool = False
    client: Any = field(default=None, compare=False, repr=False)
    scheduler: str | None = field(default=None, compare=False, repr=False)

    #: lets :func:`costing.price` dispatch here without importing Dask for every call
    is_statewide = True

    @property
    def partitions(self) -> list[DistrictPartition]:
        """One :class:`DistrictPartition` per district, in the order of ``districts``."""
        return [DistrictPartition(str(self.path), str(d)) for d in self.districts["district"]]

    @property
    def ids(self) -> list[str]:
        return [str(d) for d in self.districts["district"]]

    def __len__(self) -> int:
        return len(self.districts)

    def __repr__(self) -> str:
        return (f"Statewide({str(self.path)!r}, {len(self)} districts, {len(self.skipped)} skipped, "
                f"base year {self.base_year})")

    def district(self, district: str) -> District:
        """One district, read and validated (:func:`load_district`)."""
        return load_district(str(self.path), str(district))[0]

    def baseline(self, district: str) -> Baseline:
        """One district's budget baseline."""
        return load_district(str(self.path), str(district))[1]

    def using(self, client: Any = None, scheduler: str | None = None) -> Statewide:
        """The same collection, priced on ``client`` (a ``distributed.Client`` or
        ``"sync"``) or at ``scheduler`` (``tcp://...``) by :func:`costing.price`, which
        takes no cluster argument of its own."""
        return dataclasses.replace(self, client=client, scheduler=scheduler)

    def subset(self, districts: Sequence[str]) -> Statewide:
        """The same collection narrowed to ``districts`` (ids)."""
        return dataclasses.replace(self, districts=load_statewide(self.path, districts).districts)


def load_statewide(path: str | Path, districts: Sequence[str] | None = None) -> Statewide:
    """Open the collection in folder ``path`` (metadata only; nothing is priced or read
    per district). ``districts``: keep only these ids (an unknown id is an error)."""
    path = Path(path)
    meta = path / "districts.parquet"
    if not meta.is_file():
        raise StatewideError(f"{path}: not a statewide collection (no districts.parquet; generate one with "
                             "scripts/generate_statewide.py or costing.statewide.generate_statewide)")
    try:
        table = pd.read_parquet(meta)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise StatewideError(f"{meta}: cannot read: {exc}") from exc
    missing = [c for c in DISTRICT_COLUMNS if c not in table.columns]
    if missing:
        raise StatewideError(f"{meta}: missing column(s) {', '.join(missing)}")
    table["district"] = table["district"].astype(str)
    for name in PARTITIONED:
        if not (path / name).is_dir():
            raise StatewideError(f"{path}: no {name}/ folder (one partition per district expected)")
    if districts is not None:
        wanted = [str(d) for d in districts]
        unknown = [d for d in wanted if d not in set(table["district"])]
        if unknown:
            raise StatewideError(f"{meta}: no district(s) {', '.join(unknown[:10])} in the collection")
        table = table.set_index("district").loc[wanted].reset_index()
    skipped_path = path / "skipped.csv"
    skipped = (pd.read_csv(skipped_path, dtype={"district": str}) if skipped_path.is_file()
               else pd.DataFrame(columns=["district", "district_name", "reason"]))
    validated = False
    manifest = path / "manifest.json"
    if manifest.is_file():
        import json

        try:
            validated = bool(json.loads(manifest.read_text()).get("validated", False))
        except (OSError, ValueError) as exc:
            raise StatewideError(f"{manifest}: cannot read: {exc}") from exc
    return Statewide(path=path, districts=table.reset_index(drop=True), skipped=skipped, validated=validated)


class _MemoRates(Rates):
    """Rates whose lookups are remembered: the same table is read by every district a
    worker prices, so each ``(parameter, fiscal years)`` lookup is done once per process
    (the values are those of :meth:`Rates.series`; a copy is returned each time)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "_memo", {})

    def series(self, parameter: str, fiscal_years) -> np.ndarray:
        key = (parameter, tuple(str(y) for y in fiscal_years))
        memo = self._memo
        if key not in memo:
            memo[key] = super().series(parameter, key[1])
        return memo[key].copy()


@functools.lru_cache(maxsize=2)
def _rates() -> Rates:
    """The bundled statutory rates, read once per process."""
    return _MemoRates.from_csv(data_dir() / "rates" / "statutory_rates.csv")


@functools.lru_cache(maxsize=2)
def _assumptions() -> Rates:
    """The bundled budget assumptions (LCFF COLA, 5 CCR 15450 bands), read once per process."""
    return _MemoRates.from_csv(data_dir() / "lausd" / "assumptions.csv")


def _read(part: DistrictPartition, table: str) -> pd.DataFrame:
    """The district's partition of ``table`` (every Parquet file in its folder), text
    columns as Python strings (object dtype: the engine's lookups are faster on them)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = part.path(table)
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        raise StatewideError(f"{folder}: missing (district {part.district} has no {table} partition)")
    try:  # small files: ParquetFile.read on one thread is several times faster than read_table
        tables = [pq.ParquetFile(f).read(use_threads=False) for f in files]
        t = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise StatewideError(f"{folder}: cannot read: {exc}") from exc
    columns = {}
    for name in t.column_names:
        if name == "district":
            continue
        arr = t.column(name).to_numpy(zero_copy_only=False)
        columns[name] = pd.Series(arr, dtype=object, copy=False) if arr.dtype == object else arr
    return pd.DataFrame(columns)


def load_district(root: str, district: str, validate: bool = True) -> tuple[District, Baseline]:
    """One district of the collection in folder ``root``: a :class:`costing.District`
    (workforce validated like any workforce file unless ``validate`` is false: every
    bad cell named with the partition, row and column; schedules; schools; the bundled
    statutory rates and budget assumptions) and its budget :class:`Baseline`."""
    part = DistrictPartition(str(root), str(district))
    meta = part.path("workforce")
    workforce = _read(part, "workforce")
    schedules = _read(part, "schedules")
    schools = _read(part, "schools")
    budget = _read(part, "budget")
    if validate:
        from ..schedules import validate_schedules
        from ..workforce import validate_workforce

        schedules = validate_schedules(schedules, source=str(part.path("schedules")))
        workforce = validate_workforce(workforce, source=str(meta), schedules=schedules)
    district_obj = District(
        name=f"district {district} (synthetic)",
        base_year=BASE_YEAR,
        workforce=workforce,
        rates=_rates(),
        schedules=schedules,
        sources={"workforce": f"{meta} (synthetic; see data/statewide/README.md)",
                 "schools": f"{part.path('schools')} (synthetic)", "budget": f"{part.path('budget')} (synthetic)"},
        validated=True,
        schools=schools,
        assumptions=_assumptions(),
    )
    return district_obj, baseline_from_table(budget, origin=str(part.path("budget")))


def baseline_from_table(budget: pd.DataFrame, origin: str = "<budget>") -> Baseline:
    """A :class:`Baseline` from the long budget table (``item, line, fiscal_year, value,
    fund, kind, growth``; items ``revenue``, ``expenditure``, ``balance_<component>``,
    ``ada``, ``expenditure_growth`` as a fraction)."""
    need = ["item", "fiscal_year", "value"]
    missing = [c for c in need if c not in budget.columns]
    if missing:
        raise StatewideError(f"{origin}: missing column(s) {', '.join(missing)}")

    def col(name: str) -> np.ndarray:
        if name not in budget.columns:
            return np.full(len(budget), "", dtype=object)
        return np.array([str(x) for x in budget[name].to_numpy(dtype=object)], dtype=object)

    item, fy = col("item"), col("fiscal_year")
    value = budget["value"].to_numpy(dtype=float)
    is_line = (item == "revenue") | (item == "expenditure")
    is_bal = np.array([x.startswith("balance_") for x in item], dtype=bool)
    if not is_bal.any():
        raise StatewideError(f"{origin}: no balance_* rows (the fund balance at the start of the base year)")
    base_years = sorted(set(fy[is_bal]))
    if len(base_years) != 1:
        raise StatewideError(f"{origin}: the balance_* rows must all be for one base year, got {base_years}")
    by = {k: {y: float(v) for y, v in zip(fy[item == k], value[item == k], strict=True)}
          for k in ("ada", "expenditure_growth")}
    balance = {c: float(value[item == f"balance_{c}"].sum()) for c in BALANCE_COMPONENTS}
    lines = pd.DataFrame({"side": item[is_line], "line": col("line")[is_line], "fund": col("fund")[is_line],
                          "kind": col("kind")[is_line], "growth": col("growth")[is_line],
                          "fiscal_year": fy[is_line], "amount": value[is_line]})
    return Baseline(
        base_year=base_years[0],
        lines=lines,
        balance=balance,
        ada=by["ada"],
        expenditure_growth=by["expenditure_growth"],
        sources={"all": "synthetic (costing.statewide.generate; data/statewide/README.md)"},
        origin=origin,
    )
