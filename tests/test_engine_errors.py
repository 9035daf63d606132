"""Scenarios the engine must refuse, each with a message that says why."""

import datetime as dt

import pytest

import costing as ct
from tests.conftest import make_district

TEACHER = {"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 80_000,
           "retirement": "STRS"}
AIDE = {"unit": "SEIU 99", "classification": "Teacher Assistant", "pay_basis": "hourly", "hourly_rate": 20.0,
        "hours_per_day": 3, "days_per_year": 180, "retirement": "PERS"}


@pytest.fixture
def district(round_rates):
    return make_district([TEACHER, AIDE], round_rates)


def scen(*proposals, start="2025-26", years=2):
    return ct.Scenario("s", start=start, years=years, proposals=proposals)


def test_scenario_must_start_after_the_base_year(district):
    with pytest.raises(ct.PricingError, match="starts in 2024-25, but the workforce describes pay in the base year 2024-25"):
        ct.price(scen(start="2024-25"), district)


def test_effective_before_the_scenario(district):
    with pytest.raises(ct.PricingError, match="before the scenario's first fiscal year"):
        ct.price(scen(ct.Raise(percent=0.03, effective=dt.date(2025, 1, 1))), district)


def test_selector_that_selects_nobody(district):
    with pytest.raises(ct.PricingError, match="selects no employees"):
        ct.price(scen(ct.Raise(percent=0.03, effective="2025-07-01", classifications=("Nurse",))), district)


def test_selector_on_an_unknown_column(district):
    with pytest.raises(ct.proposals.SelectorError, match="column 'region'"):
        ct.price(scen(ct.Raise(percent=0.03, effective="2025-07-01", where={"region": "East"})), district)


def test_per_hour_rule_on_salaried_rows_without_hours(district):
    with pytest.raises(ct.PricingError, match=r"salaried rows without hours_per_day.*rows 2"):
        ct.price(scen(ct.Raise(per_hour=1.0, effective="2025-07-01")), district)


def test_hours_change_on_salaried_rows(district):
    with pytest.raises(ct.PricingError, match="hourly employees only"):
        ct.price(scen(ct.Hours(add_hours=1, effective="2025-07-01")), district)


def test_hours_cut_to_nothing(district):
    with pytest.raises(ct.PricingError, match="leaves rows 3 with no hours"):
        ct.price(scen(ct.Hours(add_hours=-3, effective="2025-07-01", units=("SEIU 99",))), district)


def test_bonus_outside_the_horizon(district):
    with pytest.raises(ct.PricingError, match="outside the scenario's years"):
        ct.price(scen(ct.Bonus(fiscal_year="2030-31", amount=100)), district)


def test_scenario_names_must_be_unique(district):
    with pytest.raises(ct.PricingError, match="unique"):
        ct.price([scen(), scen()], district)


def test_missing_rate_for_a_year_is_an_error(district):
    rates = ct.Rates.from_values({"calstrs_employer": {"2026-27": 0.19}})
    d = ct.District("d", "2024-25", district.workforce, rates)
    with pytest.raises(ct.RatesError, match="no value for 2025-26; its first value is for 2026-27"):
        ct.price(scen(), d)


def test_proposals_refuse_impossible_values():
    with pytest.raises(ct.ProposalError, match="above -100%"):
        ct.Raise(percent=-1.0, effective="2025-07-01")
    with pytest.raises(ct.ProposalError, match="exactly one of percent or amount"):
        ct.Bonus(fiscal_year="2025-26")
    with pytest.raises(ct.ProposalError, match="two proposals named"):
        scen(ct.Raise(name="a", effective="2025-07-01"), ct.Raise(name="a", effective="2025-07-01"))
