"""Scenario files (TOML) <-> :class:`~costing.scenario.Scenario`.

A scenario file has top-level ``name``, ``party``, ``start`` (first fiscal year,
``"2025-26"``), ``years`` and optional ``description``, then arrays of tables named after
the proposal kinds::

    name = "District offer, December 21"
    party = "district"
    start = "2022-23"
    years = 2

    [[raise]]
    name = "5% or $1.50/hour, whichever is greater"
    percent = 5.0          # percent in files; fractions in code
    per_hour = 1.50
    rule = "greater"
    effective = 2022-07-01
    units = ["SEIU 99"]
    where = { pay_basis = "hourly" }

Kinds and keys (every proposal also takes ``name``, ``units``, ``classifications`` and
``where``, a table of any workforce column = value or list of values):

* ``[[raise]]``: ``percent``, ``per_hour``, ``per_year``, ``rule`` (sum | greater |
  lesser), ``effective``
* ``[[floor]]``: ``hourly_rate`` or ``annual_salary``, ``effective``
* ``[[bonus]]``: ``fiscal_year``, ``percent`` or ``amount``, ``prorate_fte``
* ``[[stipend]]``: ``amount``, ``effective``, ``prorate_fte``, ``pensionable``
* ``[[hours]]``: ``set_hours`` or ``add_hours``, ``effective``

Percentages are written as percents (``5.0`` = 5%) and held as fractions in code. Every
problem (unknown key, missing key, wrong type, impossible value) is reported with the
file, the table and the key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from .calendar import EffectiveDateError, FiscalYearError, check_effective_date, parse_fiscal_year
from .proposals.base import COST_KINDS, CostProposal
from .proposals.pay import Bonus, Floor, Hours, PayProposal, ProposalError, Raise, Stipend
from .scenario import PARTIES, Scenario

__all__ = ["ScenarioFileError", "loads_scenario", "parse_scenario", "read_scenario", "scenario_to_toml"]

TOP_KEYS = {"name": str, "party": str, "start": str, "years": int, "description": str}
REQUIRED_TOP = ("name", "start", "years")
SELECTOR_KEYS = {"name", "units", "classifications", "where"}
KIND_KEYS: dict[str, dict[str, str]] = {
    # key -> type: number | percent | date | text | bool | fiscal_year
    "raise": {"percent": "percent", "per_hour": "number", "per_year": "number", "rule": "text", "effective": "date"},
    "floor": {"hourly_rate": "number", "annual_salary": "number", "effective": "date"},
    "hours": {"set_hours": "number", "add_hours": "number", "effective": "date"},
    "stipend": {"amount": "number", "effective": "date", "prorate_fte": "bool", "pensionable": "bool"},
    "bonus": {"fiscal_year": "fiscal_year", "percent": "percent", "amount": "number", "prorate_fte": "bool"},
}
REQUIRED_KEYS = {
    "raise": ("effective",),
    "floor": ("effective",),
    "bonus": ("fiscal_year",),
    "stipend": ("amount", "effective"),
    "hours": ("effective",),
}
CLASSES: dict[str, type[PayProposal]] = {"raise": Raise, "floor": Floor, "bonus": Bonus, "stipend": Stipend, "hours": Hours}
LATER_KINDS = ("class_size", "staffing", "health", "program")  # reserved until registered


class ScenarioFileError(ValueError):
    """A scenario file with problems; ``problems`` lists one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; raise :class:`ScenarioFileError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ScenarioFileError([f"{path}: no such file"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioFileError([f"{path}: cannot read: {exc}"]) from exc
    return loads_scenario(text, source=str(path))


def loads_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Read a scenario from TOML text (numbers with a decimal point read as decimals, so a
    percent is exactly what was written)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError([f"{source}: not valid TOML: {exc}"]) from exc
    return parse_scenario(data, source=source)


def _pct_in(value: Decimal | float | int) -> float:
    """Percent as written in a file -> fraction in code, with one rounding: 5.0 -> 0.05.

    Files are parsed with decimal numbers, so ``percent = 2.5`` is the decimal 2.5 and
    the fraction is the double nearest 0.025.
    """
    return float(Decimal(str(value)) / 100)


def _pct_out(value: float) -> Decimal:
    """Fraction in code -> percent to write: 0.05 -> 5.00. Reading it back gives exactly
    ``value``: it is the shortest decimal of ``value`` (``repr``) times 100, exact."""
    return Decimal(repr(float(value))) * 100


def parse_scenario(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Build a Scenario from parsed TOML data, checking every key."""
    problems: list[str] = []
    for key in data:
        if key in TOP_KEYS or key in KIND_KEYS or key in COST_KINDS or key == "assumptions":
            continue
        if key in LATER_KINDS:
            problems.append(f"{source}: [[{key}]] proposals are not supported by this version of costing yet")
        else:
            allowed = ", ".join([*TOP_KEYS, *(f"[[{k}]]" for k in [*KIND_KEYS, *COST_KINDS]), "[assumptions.<name>]"])
            problems.append(f"{source}: unknown top-level key {key!r}; expected one of {allowed}")
    for key in REQUIRED_TOP:
        if key not in data:
            problems.append(f"{source}: missing required key {key!r}")
    for key, typ in TOP_KEYS.items():
        if key in data and (not isinstance(data[key], typ) or isinstance(data[key], bool)):
            problems.append(f"{source}: key {key!r} must be {'a whole number' if typ is int else 'text'}, got {data[key]!r}")
    if "party" in data and isinstance(data["party"], str) and data["party"] not in PARTIES:
        problems.append(f"{source}: key 'party' must be one of {', '.join(PARTIES)}, got {data['party']!r}")

    proposals: list[PayProposal | CostProposal] = []
    for kind in [*KIND_KEYS, *COST_KINDS]:
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            problems.append(f"{source}: {kind!r} must be an array of tables, written [[{kind}]]")
            continue
        for n, table in enumerate(tables, start=1):
            label = f"{source}: [[{kind}]] #{n}" + (f" ({table.get('name')!r})" if isinstance(table, dict) and table.get("name") else "")
            if not isinstance(table, dict):
                problems.append(f"{label}: expected a table")
                continue
            if kind in COST_KINDS:
                try:
                    p = COST_KINDS[kind].from_table(table, label, problems)
                except (ProposalError, EffectiveDateError, FiscalYearError) as exc:
                    problems.append(f"{label}: {exc}")
                    p = None
            else:
                p = _parse_proposal(kind, table, label, problems)
            if p is not None:
                proposals.append(p)
    assumptions: dict[str, Any] = {}
    if "assumptions" in data:
        from .uncertainty import UncertaintyError, read_assumptions

        if not isinstance(data["assumptions"], dict):
            problems.append(f"{source}: 'assumptions' must be tables, written [assumptions.<name>]")
        else:
            try:
                assumptions = read_assumptions(data["assumptions"], where=source)
            except UncertaintyError as exc:
                problems.extend(str(exc).splitlines())
    if problems:
        raise ScenarioFileError(problems)
    try:
        return Scenario(
            assumptions=assumptions,
            name=data["name"],
            start=data["start"],
            years=data["years"],
            proposals=tuple(proposals),
            party=data.get("party", "other"),
            description=data.get("description", ""),
        )
    except (ProposalError, FiscalYearError) as exc:
        raise ScenarioFileError([f"{source}: {exc}"]) from exc


def _parse_proposal(kind: str, table: dict, label: str, problems: list[str]) -> PayProposal | None:
    spec = KIND_KEYS[kind]
    before = len(problems)
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key in SELECTOR_KEYS:
            continue
        if key not in spec:
            allowed = ", ".join([*spec, *sorted(SELECTOR_KEYS)])
            problems.append(f"{label}: unknown key {key!r}; expected one of {allowed}")
            continue
        typ = spec[key]
        if typ in ("number", "percent"):
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                problems.append(f"{label}: key {key!r} must be a number, got {value!r}")
                continue
            kwargs[key] = _pct_in(value) if typ == "percent" else float(value)
        elif typ == "date":
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
                problems.append(f"{label}: key {key!r} must be a date such as 2025-07-01, got {value!r}")
                continue
            try:
                kwargs[key] = check_effective_date(value)
            except EffectiveDateError as exc:
                problems.append(f"{label}: key {key!r}: {exc}")
                continue
        elif typ == "bool":
            if not isinstance(value, bool):
                problems.append(f"{label}: key {key!r} must be true or false, got {value!r}")
                continue
            kwargs[key] = value
        else:  # text, fiscal_year
            if not isinstance(value, str):
                problems.append(f"{label}: key {key!r} must be text, got {value!r}")
                continue
            if typ == "fiscal_year":
                try:
                    parse_fiscal_year(value)
                except FiscalYearError as exc:
                    problems.append(f"{label}: key {key!r}: {exc}")
                    continue
            kwargs[key] = value
    for key in REQUIRED_KEYS[kind]:
        if key not in table:
            problems.append(f"{label}: missing required key {key!r}")
    name = table.get("name", "")
    if not isinstance(name, str):
        problems.append(f"{label}: key 'name' must be text, got {name!r}")
    for key in ("units", "classifications"):
        v = table.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            problems.append(f"{label}: key {key!r} must be a list of names, got {table.get(key)!r}")
        else:
            kwargs[key] = tuple(v)
    where = table.get("where", {})
    if not isinstance(where, dict):
        problems.append(f"{label}: key 'where' must be a table of column = value(s), got {where!r}")
    else:
        for col, v in where.items():
            vals = v if isinstance(v, list) else [v]
            if not all(isinstance(x, str | int | float | bool | Decimal) for x in vals):
                problems.append(f"{label}: where.{col} must be a value or a list of values, got {v!r}")
        kwargs["where"] = {c: _plain(v) for c, v in where.items()}
    if len(problems) > before:
        return None
    try:
        return CLASSES[kind](name=name if isinstance(name, str) else "", **kwargs)
    except (ProposalError, EffectiveDateError, FiscalYearError) as exc:
        problems.append(f"{label}: {exc}")
        return None


def _plain(v: Any) -> Any:
    """Selector values with file decimals as floats; lists as tuples."""
    if isinstance(v, list):
        return tuple(_plain(x) for x in v)
    return float(v) if isinstance(v, Decimal) else v


def _proposal_table(p: PayProposal) -> dict[str, Any]:
    kind = p.kind_name
    out: dict[str, Any] = {"name": p.name}
    defaults = {f.name: f.default for f in dataclasses.fields(CLASSES[kind])}
    for key, typ in KIND_KEYS[kind].items():
        value = getattr(p, key)
        if value is None:
            continue
        if key not in REQUIRED_KEYS[kind] and typ != "date" and value == defaults.get(key):
            continue
        out[key] = _pct_out(value) if typ == "percent" else value
    if p.units:
        out["units"] = list(p.units)
    if p.classifications:
        out["classifications"] = list(p.classifications)
    if p.where:
        out["where"] = {c: (list(v) if len(v) != 1 else v[0]) for c, v in p.where}
    return out


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as TOML text that :func:`read_scenario` reads back to an equal Scenario."""
    data: dict[str, Any] = {
        "name": scenario.name,
        "party": scenario.party,
        "start": scenario.start,
        "years": scenario.years,
    }
    if scenario.description:
        data["description"] = scenario.description
    for kind in [*KIND_KEYS, *COST_KINDS]:
        tables = [p.to_table() if isinstance(p, CostProposal) else _proposal_table(p)
                  for p in scenario.proposals if p.kind_name == kind]
        if tables:
            data[kind] = tables
    if scenario.assumptions:
        from .distributions import to_file_table
        from .uncertainty import ASSUMPTIONS

        data["assumptions"] = {name: to_file_table(d, scale=ASSUMPTIONS[name].scale)
                               for name, d in scenario.assumptions}
    return tomli_w.dumps(data)
