"""Pay proposals: raises, wage floors, one-time bonuses, stipends and hours changes.

Each proposal is a frozen dataclass: plain data that can be compared, hashed, written to
a scenario file and read back. Amounts are in code units: rates are fractions
(``percent=0.05`` is 5%), money is dollars, hours are hours per day. The engine
(:mod:`costing.engine`) turns them into costs over a whole workforce at once; the
formulas are stated on each class and in ``docs/engine.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from ..calendar import check_effective_date, fiscal_year_label, parse_fiscal_year
from ..errors import ProposalError
from .selectors import freeze_where, normalise_values

__all__ = [
    "RULES",
    "Bonus",
    "Floor",
    "Hours",
    "PayProposal",
    "ProposalError",
    "Raise",
    "Stipend",
]

RULES = ("sum", "greater", "lesser")


def _finite(name: str, value: Any, *, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProposalError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ProposalError(f"{name} must be a finite number, got {value!r}")
    return value


@dataclass(frozen=True)
class PayProposal:
    """Common fields: a name and the selector of the employees it applies to.

    ``units`` and ``classifications`` are tuples of values; ``where`` maps any workforce
    column to one value or several (stored as a sorted tuple of pairs).
    """

    name: str = ""
    units: tuple = ()
    classifications: tuple = ()
    where: tuple = ()

    kind_name: ClassVar[str] = ""

    def _init_selectors(self) -> None:
        object.__setattr__(self, "units", normalise_values(self.units))
        object.__setattr__(self, "classifications", normalise_values(self.classifications))
        object.__setattr__(self, "where", freeze_where(self.where))
        if not isinstance(self.name, str):
            raise ProposalError(f"name must be text, got {self.name!r}")

    @property
    def selector(self) -> dict[str, tuple]:
        return {"units": self.units, "classifications": self.classifications, "where": self.where}


def _check_date(self: Any) -> None:
    object.__setattr__(self, "effective", check_effective_date(self.effective))


@dataclass(frozen=True)
class Raise(PayProposal):
    """A raise on the pay in force: ``rate + combine(percent x rate, flat)``.

    ``flat = per_hour x H + per_year x Y`` converts dollars per hour and per year to the
    row's own basis (hourly rows: ``H = 1``, ``Y = 1 / annual hours``; salaried rows:
    ``H = annual hours``, ``Y = 1``). ``rule`` combines the two parts: ``sum`` adds them,
    ``greater`` takes the larger ("5% or $1.50/hour, whichever is greater", decided per
    employee), ``lesser`` the smaller. ``percent`` is a fraction (0.05 = 5%).
    Effective on the first of a month; compounds on every earlier change.
    """

    percent: float = 0.0
    per_hour: float = 0.0
    per_year: float = 0.0
    rule: str = "sum"
    effective: dt.date = dt.date(2000, 7, 1)

    kind_name: ClassVar[str] = "raise"

    def __post_init__(self) -> None:
        self._init_selectors()
        _check_date(self)
        for key in ("percent", "per_hour", "per_year"):
            object.__setattr__(self, key, _finite(key, getattr(self, key)))
        if self.percent <= -1:
            raise ProposalError(f"percent must be above -100%, got {self.percent:.4%}")
        if self.rule not in RULES:
            raise ProposalError(f"rule must be one of {', '.join(RULES)}, got {self.rule!r}")


@dataclass(frozen=True)
class Floor(PayProposal):
    """A wage floor from a date: ``rate = max(rate, floor)``.

    Give ``hourly_rate`` (dollars per hour) or ``annual_salary`` (dollars per year), not
    both; the floor converts to each row's basis through its annual hours.
    """

    hourly_rate: float | None = None
    annual_salary: float | None = None
    effective: dt.date = dt.date(2000, 7, 1)

    kind_name: ClassVar[str] = "floor"

    def __post_init__(self) -> None:
        self._init_selectors()
        _check_date(self)
        hr = _finite("hourly_rate", self.hourly_rate, allow_none=True)
        ann = _finite("annual_salary", self.annual_salary, allow_none=True)
        if (hr is None) == (ann is None):
            raise ProposalError("a floor needs exactly one of hourly_rate or annual_salary")
        if (hr is not None and hr <= 0) or (ann is not None and ann <= 0):
            raise ProposalError("a floor must be a positive amount")
        object.__setattr__(self, "hourly_rate", hr)
        object.__setattr__(self, "annual_salary", ann)


@dataclass(frozen=True)
class Bonus(PayProposal):
    """A one-time payment in one fiscal year; never enters a later year's base.

    ``percent`` (fraction) of the employee's rate-based pay in ``fiscal_year`` under the
    scenario (every raise, floor and hours change included), or ``amount`` dollars per
    employee, multiplied by FTE unless ``prorate_fte`` is false. Kind ``one_time``,
    component ``other_compensation``.
    """

    fiscal_year: str = ""
    percent: float | None = None
    amount: float | None = None
    prorate_fte: bool = True

    kind_name: ClassVar[str] = "bonus"

    def __post_init__(self) -> None:
        self._init_selectors()
        object.__setattr__(self, "fiscal_year", fiscal_year_label(parse_fiscal_year(self.fiscal_year)))
        pct = _finite("percent", self.percent, allow_none=True)
        amt = _finite("amount", self.amount, allow_none=True)
        if (pct is None) == (amt is None):
            raise ProposalError("a bonus needs exactly one of percent or amount")
        object.__setattr__(self, "percent", pct)
        object.__setattr__(self, "amount", amt)
        if not isinstance(self.prorate_fte, bool):
            raise ProposalError(f"prorate_fte must be true or false, got {self.prorate_fte!r}")


@dataclass(frozen=True)
class Stipend(PayProposal):
    """An annual differential from a date: ``amount x count x fte`` dollars a year.

    A negative ``amount`` removes an existing stipend (a saving). ``prorate_fte`` (default
    true) multiplies by FTE; ``pensionable`` (default true) decides whether the pension
    contribution applies. Component ``other_compensation``, kind ``ongoing``.
    """

    amount: float = 0.0
    effective: dt.date = dt.date(2000, 7, 1)
    prorate_fte: bool = True
    pensionable: bool = True

    kind_name: ClassVar[str] = "stipend"

    def __post_init__(self) -> None:
        self._init_selectors()
        _check_date(self)
        object.__setattr__(self, "amount", _finite("amount", self.amount))
        for key in ("prorate_fte", "pensionable"):
            if not isinstance(getattr(self, key), bool):
                raise ProposalError(f"{key} must be true or false, got {getattr(self, key)!r}")


@dataclass(frozen=True)
class Hours(PayProposal):
    """More (or fewer) paid hours per day for selected hourly employees from a date.

    ``set_hours`` replaces hours per day; ``add_hours`` adds to them (give one). Pay is
    ``rate x hours x days``. An employee lifted to or over the health-eligibility
    threshold adds the health premium per enrollee (component ``health_welfare``).
    """

    set_hours: float | None = None
    add_hours: float | None = None
    effective: dt.date = dt.date(2000, 7, 1)

    kind_name: ClassVar[str] = "hours"

    def __post_init__(self) -> None:
        self._init_selectors()
        _check_date(self)
        s = _finite("set_hours", self.set_hours, allow_none=True)
        a = _finite("add_hours", self.add_hours, allow_none=True)
        if (s is None) == (a is None):
            raise ProposalError("an hours change needs exactly one of set_hours or add_hours")
        if s is not None and not 0 < s <= 24:
            raise ProposalError(f"set_hours must be between 0 and 24 hours a day, got {s}")
        if a is not None and not -24 < a <= 24:
            raise ProposalError(f"add_hours must be between -24 and 24 hours a day, got {a}")
        object.__setattr__(self, "set_hours", s)
        object.__setattr__(self, "add_hours", a)


PAY_KINDS: dict[str, type[PayProposal]] = {
    cls.kind_name: cls for cls in (Raise, Floor, Bonus, Stipend, Hours)
}
