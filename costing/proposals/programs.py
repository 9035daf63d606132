"""Program line items: a fixed amount per school, per community of schools, per student
or per district (e.g. an immigration clinic in each community of schools, expanded Dream
Centers, an emergency relief fund).

::

    driver = number of schools reached          (per = "school")
           = students in the counted grades at the schools reached   (per = "student")
           = communities                        (per = "community": a parameter with its source)
           = 1                                  (per = "district")
    ongoing:  cost_t = amount x driver x share of the year paid (months left / 12 in the
              effective year, 1 after)
    one_time: cost   = amount x driver in the fiscal year of the effective date only

The schools table has no community-of-schools column, so ``communities`` is a count given
with its source (``communities_source``); LAUSD's 2020-21 structure had 40 "communities"
(LA Daily News, 2020-07-20, in ``shared/data/lausd_staff_counts.csv``).

Ledger: unit ``unit`` (default ``District programs``: a program is not any bargaining
unit's pay), classification ``classification`` (default the program's name), component
:func:`program_component`, kind ``ongoing`` or ``one_time``, ``fte`` 0. Detail: one row
per school reached and year (per school, per student) or one ``district-wide`` row per
year (per community, per district).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from .. import positions as pos
from ..calendar import check_effective_date
from .base import CostProposal, register
from .pay import ProposalError

if TYPE_CHECKING:  # pragma: no cover
    from ..district import District
    from ..engine import PricingOptions

__all__ = ["DRIVERS", "PROGRAM_KINDS", "Program", "program_component"]

DRIVERS = ("school", "community", "student", "district")
PROGRAM_KINDS = ("ongoing", "one_time")


def program_component() -> str:
    """Ledger component of program spending: ``program`` once the engine lists it among
    its components; until then ``other_compensation`` (the engine's components are the
    disclosure's compensation layers and a program is none of them: its rows are told
    apart by their unit, ``District programs`` by default)."""
    from ..engine import COMPONENTS

    return "program" if "program" in COMPONENTS else "other_compensation"


@register
@dataclass(frozen=True)
class Program(CostProposal):
    """A program line item (formulas in the module docstring).

    ``amount``: dollars per driver (per year when ``kind`` is ``ongoing``); ``per``:
    ``school``, ``community``, ``student`` or ``district``; ``effective``: first of a
    month; ``communities`` and ``communities_source`` for ``per = "community"``;
    ``grades``: students counted (``per = "student"``); targeting as for
    :class:`~costing.proposals.class_size.ClassSize` (per school and per student).
    """

    amount: float = 0.0
    per: str = "district"
    kind: str = "ongoing"
    effective: dt.date | str | None = None
    communities: float | None = None
    communities_source: str = ""
    grades: str = "TK-12"
    schools: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()
    top_n: int | None = None
    rank_by: str = "frpm_share"
    unit: str = "District programs"
    classification: str = ""
    origin: str = field(default="", compare=False, repr=False)

    kind_name: ClassVar[str] = "program"

    def __post_init__(self) -> None:
        a = self.amount
        if isinstance(a, bool) or not isinstance(a, int | float) or not math.isfinite(a) or a < 0:
            raise ProposalError(f"amount must be dollars, a number of at least 0, got {a!r}")
        object.__setattr__(self, "amount", float(a))
        if self.per not in DRIVERS:
            raise ProposalError(f"per must be one of {', '.join(DRIVERS)}, got {self.per!r}")
        if self.kind not in PROGRAM_KINDS:
            raise ProposalError(f"kind must be 'ongoing' or 'one_time', got {self.kind!r}")
        if self.effective is None:
            raise ProposalError("a program needs an effective date (the date it starts)")
        object.__setattr__(self, "effective", check_effective_date(self.effective))
        if self.per == "community":
            c = self.communities
            if isinstance(c, bool) or not isinstance(c, int | float) or not c > 0:
                raise ProposalError("a program per community of schools needs communities (a count above 0) "
                                    "and its source (communities_source): the schools table has no community column")
            object.__setattr__(self, "communities", float(c))
            if not self.communities_source:
                raise ProposalError("communities needs a source (communities_source)")
        pos.parse_band(self.grades)
        pos.check_targeting_fields(self)
        if not self.unit:
            raise ProposalError("unit must not be empty")

    @property
    def label(self) -> str:
        """The ledger classification: ``classification`` or the program's name."""
        return self.classification or self.name

    def check(self, district: District, fiscal_years: list[str]) -> list[str]:
        problems = pos.effective_problems(self.effective, fiscal_years)
        if self.per in ("school", "student"):
            problems += pos.targeting_problems(district.schools, self.schools, self.school_types, self.top_n,
                                               self.rank_by)
        return [f"{self.origin}: {p}" if self.origin else p for p in problems]

    def _compute(self, district: District, fiscal_years: list[str]):
        return pos.memo(district, ("program", self, tuple(fiscal_years)),
                        lambda: self._compute_now(district, fiscal_years))

    def _compute_now(self, district: District, fiscal_years: list[str]):
        problems = self.check(district, fiscal_years)
        if problems:
            raise ProposalError(f"program {self.name!r}: " + "; ".join(problems))
        Y = len(fiscal_years)
        k, _, paid = pos.year_factors(self.effective, fiscal_years)
        if self.kind == "one_time":
            paid = (k == 0).astype(float)
        fys = np.array(fiscal_years, dtype=object)
        if self.per in ("school", "student"):
            schools = district.schools
            reach = pos.target_schools(schools, self.schools, self.school_types, self.top_n, self.rank_by)
            if self.per == "school":
                driver = reach.astype(float)
            else:
                lo, hi = pos.parse_band(self.grades)
                driver = pos.school_arrays(district)[0][:, lo:hi + 1].sum(axis=1) * reach
            rows = np.flatnonzero(driver > 0)
            yy = np.repeat(np.arange(Y), len(rows))
            ss = np.tile(rows, Y)
            cost = self.amount * driver[ss] * paid[yy]
            codes = pos.school_arrays(district)[2][ss]
            units = driver[ss]
        else:
            n = self.communities if self.per == "community" else 1.0
            yy = np.arange(Y)
            cost = self.amount * n * paid
            codes = np.full(Y, pos.DISTRICT_WIDE, dtype=object)
            units = np.full(Y, n)
        detail = pd.DataFrame({
            "school_code": codes, "grade_band": self.grades if self.per == "student" else "",
            "role": self.label, "fiscal_year": fys[yy], "positions": 0.0, "sections": 0.0, "classrooms": 0.0,
            "salary": 0.0, "statutory_benefits": 0.0, "health_welfare": 0.0, "cost": cost,
            "driver": self.per, "units": units,
        })
        total = np.bincount(yy, weights=cost, minlength=Y)
        ledger = pd.DataFrame({"fiscal_year": list(fiscal_years), "unit": self.unit, "classification": self.label,
                               "component": program_component(), "kind": self.kind, "amount": total,
                               "fte": np.zeros(Y)})
        return ledger, detail

    def cost_rows(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self._compute(district, fiscal_years)[0].copy()

    def detail(self, district: District, fiscal_years: list[str], options: PricingOptions) -> pd.DataFrame:
        return self._compute(district, fiscal_years)[1].copy()

    KEYS: ClassVar[tuple[str, ...]] = ("name", "amount", "per", "kind", "effective", "communities",
                                       "communities_source", "grades", *pos.TARGET_KEYS, "unit", "classification")

    @classmethod
    def from_table(cls, table: dict[str, Any], label: str, problems: list[str]) -> Program | None:
        r = pos.TableReader(table, label, problems, cls.KEYS)
        kw: dict[str, Any] = {"name": r.text("name"), "effective": r.date("effective")}
        kw["amount"] = r.number("amount", required=True, at_least=0.0)
        kw["per"] = r.text("per", "district", DRIVERS)
        kw["kind"] = r.text("kind", "ongoing", PROGRAM_KINDS)
        kw["communities"] = r.number("communities", positive=True, required=kw["per"] == "community")
        kw["communities_source"] = r.text("communities_source", required=kw["per"] == "community")
        kw["grades"] = r.text("grades", "TK-12")
        if r.has("grades"):
            try:
                pos.parse_band(kw["grades"])
            except ProposalError as exc:
                r.fail("grades", str(exc))
        kw.update(r.targeting())
        kw["unit"] = r.text("unit", "District programs")
        kw["classification"] = r.text("classification")
        return r.build(cls, kw)

    def to_table(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "amount": self.amount, "per": self.per, "kind": self.kind,
                               "effective": self.effective}
        if self.communities is not None:
            out["communities"] = self.communities
        if self.communities_source:
            out["communities_source"] = self.communities_source
        if self.grades != "TK-12":
            out["grades"] = self.grades
        if self.per in ("school", "student") or self.schools or self.school_types or self.top_n is not None:
            out.update(pos.targeting_table(self))
        out["unit"] = self.unit
        if self.classification:
            out["classification"] = self.classification
        return out

