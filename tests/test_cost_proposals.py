"""The extension point for proposals that price themselves (class size, staffing, ...)."""

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd
import pytest

import costing as ct
from costing.proposals.base import COST_KINDS, CostProposal
from costing.scenario_file import ScenarioFileError, loads_scenario
from tests.conftest import make_district


@dataclass(frozen=True)
class FlatLine(CostProposal):
    """A made-up line item: ``amount`` dollars a year to one unit (for these tests)."""

    amount: float = 0.0
    unit: str = "UTLA"
    kind_name: ClassVar[str] = "flat_line"

    def cost_rows(self, district, fiscal_years, options):
        return pd.DataFrame({"fiscal_year": fiscal_years, "unit": self.unit, "classification": "Program",
                             "component": "salary", "kind": "ongoing", "amount": self.amount, "fte": 0.0})

    def check(self, district, fiscal_years):
        return [] if self.unit in set(district.workforce["unit"]) else [f"no unit {self.unit!r}"]

    @classmethod
    def from_table(cls, table, label, problems):
        if not isinstance(table.get("amount"), int | float) and type(table.get("amount")).__name__ != "Decimal":
            problems.append(f"{label}: key 'amount' must be a number")
            return None
        return cls(name=table.get("name", ""), amount=float(table["amount"]), unit=table.get("unit", "UTLA"))

    def to_table(self):
        return {"name": self.name, "amount": self.amount, "unit": self.unit}


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(COST_KINDS, "flat_line", FlatLine)
    yield


ROWS = [{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 80_000,
         "retirement": "STRS"}]


def test_cost_rows_enter_the_ledger(round_rates):
    d = make_district(ROWS, round_rates)
    s = ct.Scenario("s", "2025-26", 2, (FlatLine(name="clinics", amount=250_000.0),
                                        ct.Raise(name="1%", percent=0.01, effective="2025-07-01")))
    led = ct.price(s, d).ledger
    line = led[led["proposal"] == "clinics"]
    assert line["amount"].tolist() == [250_000.0, 250_000.0]
    assert list(led.columns) == ct.LEDGER_COLUMNS
    # 1% of 80,000 = 800 a year, plus 0.221 x 800 = 176.80 statutory
    assert ct.price(s, d).by_year().loc["s", "2025-26"] == pytest.approx(250_000 + 800 + 176.80)


def test_a_cost_proposal_that_cannot_be_priced_is_refused(round_rates):
    d = make_district(ROWS, round_rates)
    s = ct.Scenario("s", "2025-26", 1, (FlatLine(name="x", amount=1.0, unit="Nobody"),))
    with pytest.raises(ct.PricingError, match="flat_line 'x': no unit 'Nobody'"):
        ct.price(s, d)


def test_registered_kinds_read_and_round_trip(registered):
    text = 'name = "s"\nstart = "2025-26"\nyears = 1\n[[flat_line]]\nname = "clinics"\namount = 5.5\n'
    s = loads_scenario(text)
    assert s.proposals == (FlatLine(name="clinics", amount=5.5),)
    assert loads_scenario(s.to_toml()) == s
    with pytest.raises(ScenarioFileError, match=r"\[\[flat_line\]\] #1: key 'amount' must be a number"):
        loads_scenario('name = "s"\nstart = "2025-26"\nyears = 1\n[[flat_line]]\namount = "a lot"\n')


def test_unregistered_kinds_are_unknown():
    with pytest.raises(ScenarioFileError, match="unknown top-level key 'flat_line'"):
        loads_scenario('name = "s"\nstart = "2025-26"\nyears = 1\n[[flat_line]]\namount = 1\n')
