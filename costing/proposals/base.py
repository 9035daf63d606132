"""The extension point for proposals that are not pay changes.

Pay proposals (:mod:`costing.proposals.pay`) change the rates and hours of existing
employees and are priced together by the engine. Every other kind of proposal (class-size
caps, staffing ratios, program line items, health contribution policies) is a
:class:`CostProposal`: a frozen dataclass that prices itself into ledger rows and reads
and writes its own table of a scenario file. To add a kind:

1. subclass :class:`CostProposal`, set ``kind_name`` (the TOML table name, e.g.
   ``"class_size"``), implement :meth:`CostProposal.cost_rows`, :meth:`from_table` and
   :meth:`to_table`;
2. decorate it with :func:`register` (the module must be imported by
   ``costing/proposals/__init__.py``).

The engine calls ``cost_rows`` once per scenario with the district and the scenario's
fiscal years, and adds the rows to the ledger after checking their columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from ..district import District
    from ..engine import PricingOptions

__all__ = ["COST_KINDS", "CostProposal", "register"]

#: kind name -> class, for the scenario-file reader
COST_KINDS: dict[str, type[CostProposal]] = {}


@dataclass(frozen=True)
class CostProposal:
    """A proposal that prices itself: positions, programs, health policies.

    ``cost_rows(district, fiscal_years, options)`` returns a DataFrame with the ledger
    columns ``fiscal_year, unit, classification, component, kind, amount, fte`` (the
    engine adds ``scenario`` and ``proposal``), one row per fiscal year of
    ``fiscal_years`` and unit/classification it costs, zero amounts included.
    """

    name: str = ""

    kind_name: ClassVar[str] = ""

    def cost_rows(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        raise NotImplementedError

    def detail(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame | None:
        """Optional detail finer than the ledger (e.g. positions by school, grade band and
        year); kept in ``Costing.details[(scenario, proposal)]``. None when there is none."""
        return None

    def check(self, district: District, fiscal_years: list[str]) -> list[str]:
        """Problems that stop this proposal being priced against ``district`` (each a
        sentence naming what is wrong); empty when it can be priced."""
        return []

    @classmethod
    def from_table(cls, table: dict[str, Any], label: str, problems: list[str]) -> CostProposal | None:
        """Build from a scenario-file table; append one message per problem (starting with
        ``label``) and return None if there is any."""
        raise NotImplementedError

    def to_table(self) -> dict[str, Any]:
        """The scenario-file table that :meth:`from_table` reads back to an equal proposal."""
        raise NotImplementedError


def register(cls: type[CostProposal]) -> type[CostProposal]:
    """Class decorator: make a CostProposal kind readable from scenario files."""
    if not cls.kind_name:
        raise ValueError(f"{cls.__name__} has no kind_name")
    COST_KINDS[cls.kind_name] = cls
    return cls
