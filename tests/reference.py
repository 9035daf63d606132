"""A plain, per-row, per-month reference implementation of docs/engine.md.

This is the slow, obviously-correct version of ``costing.price``, written from the
contract (docs/engine.md and the worked examples), not from the engine's code. It loops
over workforce rows, fiscal years and months, and keeps every step in the words of the
spec:

* a fiscal year is 12 months, each paying 1/12 of the annual pay in force that month;
* in each month every proposal already in effect is applied, in effective-date order
  (same date: listed order), to the rate in force, so later changes compound on earlier
  ones; the status-quo rate of a scheduled row is its schedule cell that year, so a
  raise applies to the (moved) cell;
* a proposal's cost is the pay it adds on top of the proposals before it; bonuses come
  after every other proposal;
* statutory benefits by fiscal year of payment: pension by retirement system and kind of
  pay, OASDI for the systems in ``oasdi_systems`` capped per employee at the wage base
  (on the row's fiscal-year pay of every kind before and after each change), Medicare,
  SUI and workers' compensation on every dollar.

It uses only the input objects' data (workforce table, schedule table, rate lookups,
proposal fields); no helper from the engine or from :mod:`costing.schedules`.

Where docs/engine.md leaves a choice open, the reference takes these readings (each
one is a candidate for the spec to pin down):

* ``fte`` is booked on the primary component in the fiscal years in which the proposal
  pays: from the fiscal year it takes effect (a bonus: its own year only); 0 before.
* Step-and-column rows exist for rows on a schedule only, in every fiscal year of any
  scenario's horizon; their ``fte`` counts the rows below the top step in the base year
  (the employees movement moves).
* Health, read literally ("an employee whose hours go from below the threshold to at
  or above it, and who was not already health_eligible, adds the premium for the months
  from the effective date"): the crossing is judged on the effective date (threshold of
  that fiscal year); "already eligible" means eligible in the status quo or enrolled by an
  earlier hours change; once
  enrolled, the premium (of each month's fiscal year) is paid every month from the
  effective date on, even if a later change cuts the hours again. A cut never saves a
  premium (the spec only speaks of crossing upwards). ``health_eligible`` overrides the
  hours test for the status quo: false means not eligible whatever the hours (such an
  employee is enrolled by an hours change that crosses the threshold); blank means the
  hours test.
* ``$/year`` amounts convert for hourly rows through the hours per day in force when
  the change applies (after any earlier hours change).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

__all__ = ["LEDGER_COLUMNS", "ReferenceOptions", "reference_price"]

LEDGER_COLUMNS = [
    "scenario",
    "proposal",
    "fiscal_year",
    "unit",
    "classification",
    "component",
    "kind",
    "amount",
    "fte",
]
STATUS_QUO = "status quo"
STEP_AND_COLUMN = "step and column"

# (component, kind) pairs each kind of proposal books; the first is its primary component
COMPONENTS = {
    "raise": [("salary", "ongoing"), ("statutory_benefits", "ongoing")],
    "floor": [("salary", "ongoing"), ("statutory_benefits", "ongoing")],
    "hours": [
        ("salary", "ongoing"),
        ("statutory_benefits", "ongoing"),
        ("health_welfare", "ongoing"),
    ],
    "stipend": [("other_compensation", "ongoing"), ("statutory_benefits", "ongoing")],
    "bonus": [("other_compensation", "one_time"), ("statutory_benefits", "one_time")],
    STEP_AND_COLUMN: [("step_column", "ongoing"), ("statutory_benefits", "ongoing")],
}


@dataclass(frozen=True)
class ReferenceOptions:
    """The pricing options the reference honours (the engine's defaults)."""

    turnover: float = 0.0
    oasdi_systems: tuple = ("PERS",)
    one_time_pensionable_strs: bool = True
    one_time_pensionable_pers: bool = False


def _options(options: object) -> ReferenceOptions:
    if options is None:
        return ReferenceOptions()
    if not getattr(options, "step_movement", True):
        raise NotImplementedError("the reference prices status-quo step movement only")
    default = ReferenceOptions()
    return ReferenceOptions(
        turnover=float(getattr(options, "turnover", default.turnover)),
        oasdi_systems=tuple(getattr(options, "oasdi_systems", default.oasdi_systems)),
        one_time_pensionable_strs=bool(
            getattr(options, "one_time_pensionable_strs", default.one_time_pensionable_strs)
        ),
        one_time_pensionable_pers=bool(
            getattr(options, "one_time_pensionable_pers", default.one_time_pensionable_pers)
        ),
    )


# --------------------------------------------------------------------------- calendar
def fiscal_year_number(label: str) -> int:
    """``"2025-26"`` -> 2025 (the calendar year in which the fiscal year begins)."""
    return int(str(label)[:4])


def fiscal_year_name(year: int) -> str:
    """2025 -> ``"2025-26"``."""
    return f"{year}-{(year + 1) % 100:02d}"


def first_of_month(fiscal_year: int, month_index: int) -> dt.date:
    """The first day of month ``month_index`` (0 = July, 11 = June) of a fiscal year."""
    month = (month_index + 6) % 12 + 1
    year = fiscal_year if month >= 7 else fiscal_year + 1
    return dt.date(year, month, 1)


# --------------------------------------------------------------------------- inputs
def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return str(value).strip() == ""


def _same(a: object, b: object) -> bool:
    """Selector equality: numbers compare as numbers, everything else as text."""
    if _blank(a):
        return False
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a).strip() == str(b).strip()


def is_selected(proposal: object, row: dict) -> bool:
    """Whether a proposal's selector picks a workforce row (all parts must match)."""
    parts = []
    if proposal.units:
        parts.append(("unit", proposal.units))
    if proposal.classifications:
        parts.append(("classification", proposal.classifications))
    parts.extend(proposal.where)
    for column, values in parts:
        if not any(_same(row.get(column), v) for v in values):
            return False
    return True


def ladder_of(row: dict, schedules: pd.DataFrame | None) -> tuple[list[float], int] | None:
    """The rates of a scheduled row's column, lowest step first, and the row's position.

    ``None`` for a row not on a schedule.
    """
    if schedules is None or _blank(row.get("schedule")):
        return None
    schedule = str(row["schedule"]).strip()
    column = "" if _blank(row.get("column")) else str(row["column"]).strip()
    cells = []
    for cell in schedules.to_dict("records"):
        cell_column = "" if _blank(cell["column"]) else str(cell["column"]).strip()
        if str(cell["schedule"]).strip() == schedule and cell_column == column:
            cells.append((float(cell["step"]), float(cell["rate"])))
    cells.sort()
    steps = [step for step, _ in cells]
    position = steps.index(float(row["step"]))
    return [rate for _, rate in cells], position


class RateBook:
    """Dated parameters by fiscal year, looked up on first use."""

    def __init__(self, rates: object):
        self._rates = rates
        self._cache: dict[tuple[str, int], float] = {}

    def __call__(self, name: str, year: int) -> float:
        key = (name, year)
        if key not in self._cache:
            self._cache[key] = float(self._rates.value(name, fiscal_year_name(year)))
        return self._cache[key]

    def pension(self, system: str, year: int) -> float:
        if system == "STRS":
            return self("calstrs_employer", year)
        if system == "PERS":
            return self("calpers_employer", year)
        return 0.0


# --------------------------------------------------------------------------- one employee row
class Employee:
    """One workforce row (``count`` identical employees) and its pay arithmetic."""

    def __init__(self, row: dict, schedules: pd.DataFrame | None, base_year: int, turnover: float):
        self.row = row
        self.unit = str(row["unit"])
        self.classification = str(row["classification"])
        self.count = float(row["count"])
        self.fte = float(row["fte"])
        self.hourly = row["pay_basis"] == "hourly"
        self.retirement = str(row["retirement"])
        self.hours_per_day = None if _blank(row.get("hours_per_day")) else float(row["hours_per_day"])
        self.days_per_year = None if _blank(row.get("days_per_year")) else float(row["days_per_year"])
        flag = row.get("health_eligible")
        self.health_flag = None if _blank(flag) else bool(flag)  # True / False / None (blank)
        self.ladder = ladder_of(row, schedules)
        self.base_year = base_year
        self.turnover = turnover
        if self.ladder is not None:
            rates, position = self.ladder
            self.base_rate = rates[position]
        else:
            self.base_rate = float(row["hourly_rate"] if self.hourly else row["annual_salary"])

    @property
    def total_fte(self) -> float:
        return self.count * self.fte

    def cohorts(self, year: int) -> list[tuple[float, float]]:
        """``(weight, status-quo rate)`` of the row's employees in fiscal year ``year``.

        Off schedule: everybody keeps the base rate. On a schedule, in year base + k the
        original employees (weight (1 - tau)^k) are at min(s + k, top) and those hired
        on July 1 of base + j (weight tau (1 - tau)^(k - j)) at min(k - j, top).
        """
        if self.ladder is None:
            return [(1.0, self.base_rate)]
        rates, position = self.ladder
        top = len(rates) - 1
        k = year - self.base_year
        tau = self.turnover
        out = [((1 - tau) ** k, rates[min(position + k, top)])]
        for j in range(1, k + 1):
            out.append((tau * (1 - tau) ** (k - j), rates[min(k - j, top)]))
        return out

    def annual_hours(self, hours_per_day: float | None) -> float:
        return hours_per_day * self.days_per_year

    def monthly_pay(self, weight: float, rate: float, hours_per_day: float | None) -> float:
        """Pay of the cohort in one month: 1/12 of its annual pay."""
        if self.hourly:
            return self.count * weight * rate * hours_per_day * self.days_per_year / 12
        return self.count * weight * self.fte * rate / 12

    def base_year_pay(self) -> float:
        return 12 * self.monthly_pay(1.0, self.base_rate, self.hours_per_day)

    def status_quo_pay(self, year: int) -> float:
        return sum(12 * self.monthly_pay(w, r, self.hours_per_day) for w, r in self.cohorts(year))

    # ---- proposals on one employee's (rate, hours) ----------------------------------
    def to_basis(self, per_hour: float, per_year: float, hours_per_day: float | None) -> float:
        """``per_hour x H + per_year x Y`` in the row's own basis."""
        total = 0.0
        if self.hourly:
            if per_hour:
                total += per_hour  # H = 1
            if per_year:
                total += per_year / self.annual_hours(hours_per_day)  # Y = 1 / (h x d)
        else:
            if per_hour:
                total += per_hour * self.annual_hours(self.hours_per_day)  # H = h x d
            if per_year:
                total += per_year  # Y = 1
        return total

    def apply(self, proposal: object, rate: float, hours: float | None) -> tuple[float, float | None]:
        """The (rate, hours per day) after a rate-changing proposal."""
        kind = proposal.kind_name
        if kind == "raise":
            pct = proposal.percent * rate
            flat = self.to_basis(proposal.per_hour, proposal.per_year, hours)
            if proposal.rule == "sum":
                return rate + pct + flat, hours
            if proposal.rule == "greater":
                return rate + max(pct, flat), hours
            return rate + min(pct, flat), hours
        if kind == "floor":
            if proposal.hourly_rate is not None:
                floor = self.to_basis(proposal.hourly_rate, 0.0, hours)
            else:
                floor = self.to_basis(0.0, proposal.annual_salary, hours)
            return max(rate, floor), hours
        if kind == "hours":
            if not self.hourly:
                return rate, hours  # hours changes apply to hourly rows only
            if proposal.set_hours is not None:
                return rate, proposal.set_hours
            return rate, hours + proposal.add_hours
        raise ValueError(f"not a rate-changing proposal: {kind}")


# --------------------------------------------------------------------------- pricing
class Ledger:
    """Accumulates ``amount`` and ``fte`` by ledger key."""

    def __init__(self) -> None:
        self.cells: dict[tuple, list[float]] = {}

    def add(self, key: tuple, amount: float = 0.0, fte: float = 0.0) -> None:
        cell = self.cells.setdefault(key, [0.0, 0.0])
        cell[0] += amount
        cell[1] += fte

    def frame(self) -> pd.DataFrame:
        records = [(*key, amount, fte) for key, (amount, fte) in self.cells.items()]
        df = pd.DataFrame.from_records(records, columns=LEDGER_COLUMNS)
        df["amount"] = df["amount"].astype(float)
        df["fte"] = df["fte"].astype(float)
        return df


def statutory_cost(
    emp: Employee,
    book: RateBook,
    opts: ReferenceOptions,
    year: int,
    change: float,
    pay_before: float,
    pensionable: bool,
) -> float:
    """Statutory benefits on a change of ``change`` dollars in a fiscal year's pay, the
    row's fiscal-year pay of every kind being ``pay_before`` before the change."""
    cost = change * (book("medicare", year) + book("sui", year) + book("workers_comp", year))
    if pensionable:
        cost += change * book.pension(emp.retirement, year)
    if emp.retirement in opts.oasdi_systems:
        wage_base = book("oasdi_wage_base", year)
        per_before = pay_before / emp.count
        per_after = (pay_before + change) / emp.count
        cost += book("oasdi", year) * emp.count * (min(per_after, wage_base) - min(per_before, wage_base))
    return cost


def in_force(proposal: object, year: int) -> bool:
    """Whether a proposal pays anything in fiscal year ``year``: a bonus in its own year,
    any other proposal from the fiscal year in which it takes effect. ``fte`` is booked
    only in those years (the full-time equivalents the row's dollars pay for)."""
    if proposal.kind_name == "bonus":
        return fiscal_year_number(proposal.fiscal_year) == year
    return first_of_month(year, 11) >= proposal.effective


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 7 else day.year - 1


def health_enrollments(emp: Employee, ordered: list, book: RateBook) -> set[str]:
    """Names of the hours proposals that make the row's employees health eligible.

    An hours change enrols the employees when, on its effective date, it takes their
    hours from below the threshold (of that date's fiscal year) to at or above it, and
    they were not already eligible: in the status quo (``health_eligible`` when given,
    which overrides the hours test, else status-quo hours at or above the threshold), or
    by an earlier hours change. The premium is then paid for every month from the
    effective date on.
    """
    if not emp.hourly or emp.health_flag is True:
        return set()
    hours = emp.hours_per_day
    enrolled: set[str] = set()
    for p in ordered:
        if p.kind_name != "hours" or not is_selected(p, emp.row):
            continue
        threshold = book("health_eligibility_hours", fiscal_year_of(p.effective))
        status_quo_eligible = emp.hours_per_day >= threshold if emp.health_flag is None else emp.health_flag
        _, after = emp.apply(p, 0.0, hours)
        if not enrolled and not status_quo_eligible and hours < threshold <= after:
            enrolled.add(p.name)
        hours = after
    return enrolled


def _one_time_pensionable(emp: Employee, opts: ReferenceOptions) -> bool:
    if emp.retirement == "STRS":
        return opts.one_time_pensionable_strs
    if emp.retirement == "PERS":
        return opts.one_time_pensionable_pers
    return False


def _price_status_quo(employees, years, book, opts, ledger) -> None:
    """Step-and-column rows for every scheduled row (the employees movement can move)."""
    for year in years:
        fy = fiscal_year_name(year)
        for emp in employees:
            if emp.ladder is None:
                continue
            base_pay = emp.base_year_pay()
            movement = emp.status_quo_pay(year) - base_pay
            stat = statutory_cost(emp, book, opts, year, movement, base_pay, pensionable=True)
            key = (STATUS_QUO, STEP_AND_COLUMN, fy, emp.unit, emp.classification)
            # fte: the employees movement can move (below the top step in the base year)
            rates, position = emp.ladder
            moves = position < len(rates) - 1
            ledger.add((*key, "step_column", "ongoing"), movement, emp.total_fte if moves else 0.0)
            ledger.add((*key, "statutory_benefits", "ongoing"), stat, 0.0)


def _price_scenario(scenario, employees, base_year, book, opts, ledger) -> None:
    proposals = list(scenario.proposals)
    ordered = sorted(
        (p for p in proposals if p.kind_name != "bonus"),
        key=lambda p: (p.effective, proposals.index(p)),
    )
    bonuses = [p for p in proposals if p.kind_name == "bonus"]
    first = fiscal_year_number(scenario.start)
    if first <= base_year:
        raise ValueError(
            f"scenario {scenario.name!r} starts in {scenario.start}, not after the base year "
            f"{fiscal_year_name(base_year)}"
        )
    years = [first + k for k in range(scenario.years)]

    for emp in employees:
        enrolled_by = health_enrollments(emp, ordered, book)
        for year in years:
            fy = fiscal_year_name(year)
            # pay change each proposal makes in this fiscal year (annual totals)
            pay_change = {p.name: 0.0 for p in proposals}
            health = {p.name: 0.0 for p in proposals}
            scenario_rate_pay = 0.0  # rate-based pay under the scenario (bonus base)
            for month in range(12):
                day = first_of_month(year, month)
                # every cohort starts the month at its status-quo rate and base hours
                states = [(w, r, emp.hours_per_day) for w, r in emp.cohorts(year)]
                pay = sum(emp.monthly_pay(w, r, h) for w, r, h in states)
                for p in ordered:
                    if day < p.effective or not is_selected(p, emp.row):
                        continue
                    if p.kind_name == "stipend":
                        per_employee = p.amount * (emp.fte if p.prorate_fte else 1.0)
                        pay_change[p.name] += per_employee * emp.count / 12
                        continue
                    new_states = []
                    for w, r, h in states:
                        r2, h2 = emp.apply(p, r, h)
                        new_states.append((w, r2, h2))
                    new_pay = sum(emp.monthly_pay(w, r, h) for w, r, h in new_states)
                    pay_change[p.name] += new_pay - pay
                    if p.name in enrolled_by:
                        health[p.name] += emp.count * book("health_premium", year) / 12
                    states, pay = new_states, new_pay
                scenario_rate_pay += pay

            for p in bonuses:
                if p.fiscal_year != fy or not is_selected(p, emp.row):
                    continue
                if p.percent is not None:
                    pay_change[p.name] += p.percent * scenario_rate_pay
                else:
                    per_employee = p.amount * (emp.fte if p.prorate_fte else 1.0)
                    pay_change[p.name] += per_employee * emp.count

            # statutory benefits, proposal by proposal in costing order
            pay_so_far = emp.status_quo_pay(year)
            for p in ordered + bonuses:
                if not is_selected(p, emp.row):
                    continue
                change = pay_change[p.name]
                if p.kind_name == "bonus":
                    pensionable = _one_time_pensionable(emp, opts)
                elif p.kind_name == "stipend":
                    pensionable = p.pensionable
                else:
                    pensionable = True
                stat = statutory_cost(emp, book, opts, year, change, pay_so_far, pensionable)
                pay_so_far += change
                key = (scenario.name, p.name, fy, emp.unit, emp.classification)
                primary = COMPONENTS[p.kind_name][0]
                ledger.add((*key, *primary), change, emp.total_fte if in_force(p, year) else 0.0)
                ledger.add((*key, "statutory_benefits", primary[1]), stat, 0.0)
                if p.kind_name == "hours":
                    ledger.add((*key, "health_welfare", "ongoing"), health[p.name], 0.0)


def reference_price(scenarios, district, options=None) -> pd.DataFrame:
    """The ledger of docs/engine.md, computed row by row and month by month.

    ``scenarios``: one :class:`costing.Scenario` or several; ``district``: a
    :class:`costing.District`; ``options``: any object with the attributes of
    :class:`ReferenceOptions` (e.g. the engine's ``PricingOptions``), or ``None`` for the
    defaults. Returns ``scenario, proposal, fiscal_year, unit, classification,
    component, kind, amount, fte``: one row per scenario, proposal, fiscal year of the
    scenario's horizon, unit and classification of a selected row, and component and
    kind the proposal books (zero amounts included). Status-quo step-and-column rows
    cover the scheduled rows in every fiscal year of any scenario's horizon.
    """
    if not isinstance(scenarios, list | tuple):
        scenarios = [scenarios]
    opts = _options(options)
    base_year = fiscal_year_number(district.base_year)
    book = RateBook(district.rates)
    employees = [
        Employee(row, district.schedules, base_year, opts.turnover)
        for row in district.workforce.to_dict("records")
    ]
    ledger = Ledger()
    years: set[int] = set()
    for scenario in scenarios:
        first = fiscal_year_number(scenario.start)
        years.update(first + k for k in range(scenario.years))
    for scenario in scenarios:
        _price_scenario(scenario, employees, base_year, book, opts, ledger)
    _price_status_quo(employees, sorted(years), book, opts, ledger)
    return ledger.frame()
