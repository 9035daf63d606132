"""Scenario: a named package of proposals over a horizon of fiscal years.

Plain, immutable data: built in Python or read from a TOML file
(:mod:`costing.scenario_file`), compared, copied with :meth:`Scenario.replace`, never
mutated in place.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .calendar import fiscal_year_label, fiscal_years, parse_fiscal_year
from .proposals.base import CostProposal
from .proposals.pay import PayProposal, ProposalError

__all__ = ["KIND_ORDER", "PARTIES", "Scenario"]

PARTIES = ("district", "union", "agreement", "other")
#: Canonical order of proposal kinds: on the same effective date a raise applies before a
#: floor, an hours change and a stipend (METHODOLOGY: compound %, add flat, then floor).
KIND_ORDER = ("raise", "floor", "hours", "stipend", "bonus", "class_size", "staffing", "program", "health")


@dataclass(frozen=True)
class Scenario:
    """A package of proposals priced over ``years`` fiscal years from ``start``.

    ``party`` is who put it on the table: ``district`` (an offer), ``union`` (a demand),
    ``agreement`` or ``other``. ``start`` is the first fiscal year (``"2025-26"``).
    Proposal names are unique within a scenario; unnamed proposals are named after their
    kind and position (``"raise 1"``). Proposals are kept grouped by kind in the order of
    :data:`KIND_ORDER` (listed order within a kind), the order a scenario file has.
    """

    name: str
    start: str
    years: int
    proposals: tuple[PayProposal | CostProposal, ...] = ()
    party: str = "other"
    description: str = ""
    assumptions: Any = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ProposalError("a scenario needs a non-empty name")
        if self.name == "status quo":
            raise ProposalError("'status quo' is reserved for the engine's own rows")
        object.__setattr__(self, "start", fiscal_year_label(parse_fiscal_year(self.start)))
        if isinstance(self.years, bool) or not isinstance(self.years, int) or not 1 <= self.years <= 50:
            raise ProposalError(f"years must be a whole number from 1 to 50, got {self.years!r}")
        if self.party not in PARTIES:
            raise ProposalError(f"party must be one of {', '.join(PARTIES)}, got {self.party!r}")
        proposals = sorted(self.proposals, key=lambda p: _kind_rank(p))
        named: list[PayProposal | CostProposal] = []
        counts: dict[str, int] = {}
        for p in proposals:
            if not isinstance(p, PayProposal | CostProposal):
                raise ProposalError(f"not a proposal: {p!r}")
            counts[p.kind_name] = counts.get(p.kind_name, 0) + 1
            if not p.name:
                p = dataclasses.replace(p, name=f"{p.kind_name} {counts[p.kind_name]}")
            named.append(p)
        seen: set[str] = set()
        for p in named:
            if p.name in seen:
                raise ProposalError(f"scenario {self.name!r} has two proposals named {p.name!r}")
            seen.add(p.name)
        object.__setattr__(self, "proposals", tuple(named))
        object.__setattr__(self, "assumptions", _assumptions(self.assumptions))

    @property
    def fiscal_years(self) -> list[str]:
        """The labels of the fiscal years the scenario covers."""
        return fiscal_years(self.start, self.years)

    def assumption_map(self) -> dict[str, Any]:
        """``{name: Distribution}`` of :attr:`assumptions`."""
        return dict(self.assumptions)

    @property
    def end(self) -> str:
        """The last fiscal year covered."""
        return fiscal_year_label(parse_fiscal_year(self.start) + self.years - 1)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file; see :mod:`costing.scenario_file`."""
        from .scenario_file import read_scenario

        return read_scenario(path)

    def to_toml(self, path: str | Path | None = None) -> str:
        """The scenario as TOML text, also written to ``path`` if given."""
        from .scenario_file import scenario_to_toml

        text = scenario_to_toml(self)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def _assumptions(spec: Any) -> tuple:
    """``{name: Distribution}`` or pairs -> sorted pairs, names and types checked."""
    from .distributions import Distribution
    from .uncertainty import ASSUMPTIONS

    items = spec.items() if isinstance(spec, dict) else spec
    out = []
    for item in items:
        name, dist = item
        if name not in ASSUMPTIONS:
            raise ProposalError(f"unknown assumption {name!r}; expected one of {', '.join(ASSUMPTIONS)}")
        if not isinstance(dist, Distribution):
            raise ProposalError(f"assumption {name!r}: expected a Distribution, got {dist!r}")
        out.append((name, dist))
    return tuple(sorted(out, key=lambda x: x[0]))


def _kind_rank(p: object) -> int:
    name = getattr(p, "kind_name", "")
    return KIND_ORDER.index(name) if name in KIND_ORDER else len(KIND_ORDER)
