"""Views of the ledger, checked against numbers worked by hand.

District (base year 2024-25), round rates of WORKED-EXAMPLES section 6, constant in time:
* UTLA: 2 teachers at $80,000 (CalSTRS, salaried, health-eligible)
* SEIU 99: 1 teacher assistant at $20.00 x 3 h x 180 d = $10,800 (CalPERS, 3 h: not eligible)
Statutory rates: CalSTRS member 19.1 + 1.45 + 0.05 + 1.5 = 22.1%;
CalPERS member 27.05 + 6.2 + 1.45 + 0.05 + 1.5 = 36.25%; one-time to CalPERS 9.2%.
"""

import pandas as pd
import pytest

import costing as ct
from tests.conftest import make_district

ROWS = [
    {"unit": "UTLA", "classification": "Teacher", "count": 2, "pay_basis": "salary", "annual_salary": 80_000,
     "retirement": "STRS"},
    {"unit": "SEIU 99", "classification": "Teacher Assistant", "pay_basis": "hourly", "hourly_rate": 20.0,
     "hours_per_day": 3, "days_per_year": 180, "retirement": "PERS"},
]


@pytest.fixture
def result(round_rates):
    d = make_district(ROWS, round_rates)
    offer = ct.Scenario("offer", "2025-26", 3, (
        ct.Raise(name="3%", percent=0.03, effective="2025-07-01"),
        ct.Bonus(name="$1,000 one-time", amount=1000, fiscal_year="2025-26"),
    ), party="district")
    demand = ct.Scenario("demand", "2025-26", 3, (ct.Raise(name="5%", percent=0.05, effective="2025-07-01"),),
                         party="union")
    return ct.price([offer, demand], d)


def test_ledger_columns_and_kinds(result):
    led = result.ledger
    assert list(led.columns) == ct.LEDGER_COLUMNS
    bonus = led[led["proposal"] == "$1,000 one-time"]
    assert set(bonus["kind"]) == {"one_time"}
    # a row in every year of the horizon, money only in the year it is paid
    assert set(bonus["fiscal_year"]) == {"2025-26", "2026-27", "2027-28"}
    assert set(bonus.loc[bonus["amount"] != 0, "fiscal_year"]) == {"2025-26"}
    assert set(led["component"]) <= set(ct.COMPONENTS)


def test_by_year(result):
    t = result.by_year()
    # offer 2025-26: raise 0.03 x 170,800 = 5,124 + stat 4,800 x 0.221 + 324 x 0.3625 = 1,178.25
    #                bonus 3,000 + stat 2,000 x 0.221 + 1,000 x 0.092 = 534        -> 9,836.25
    assert t.loc["offer", "2025-26"] == pytest.approx(9_836.25, abs=0.005)
    # 2026-27: the raise only (6,302.25); the bonus never enters later years
    assert t.loc["offer", "2026-27"] == pytest.approx(6_302.25, abs=0.005)
    # demand: 0.05 x 170,800 = 8,540 + 8,000 x 0.221 + 540 x 0.3625 = 8,540 + 1,768 + 195.75
    assert t.loc["demand", "2027-28"] == pytest.approx(10_503.75, abs=0.005)
    assert "status quo" not in t.index  # no schedule, no movement


def test_disclosure_table(result):
    t = result.disclosure("offer")
    before = t[("Cost before agreement", "$")]
    # salary 160,000 + 10,800; statutory 160,000 x 0.221 + 10,800 x 0.3625 = 35,360 + 3,915;
    # health 2 eligible teachers x 12,000
    assert before["Salary schedule"] == pytest.approx(170_800)
    assert before["Statutory benefits"] == pytest.approx(39_275)
    assert before["Health and welfare"] == pytest.approx(24_000)
    assert before["Total compensation"] == pytest.approx(234_075)
    assert before["Represented FTE"] == pytest.approx(3)
    assert before["Average cost per employee"] == pytest.approx(78_025)
    y1 = t[("Current year 2025-26", "$")]
    assert y1["Salary schedule"] == pytest.approx(5_124)
    assert y1["Other compensation"] == pytest.approx(3_000)
    assert y1["Statutory benefits"] == pytest.approx(1_712.25)
    assert y1["Total compensation"] == pytest.approx(9_836.25)
    assert y1["Average cost per employee"] == pytest.approx(9_836.25 / 3)
    # percent of total compensation before the agreement: 9,836.25 / 234,075 = 4.2021%
    assert t[("Current year 2025-26", "%")]["Total compensation"] == pytest.approx(100 * 9_836.25 / 234_075)
    assert t[("Year 3 2027-28", "$")]["Total compensation"] == pytest.approx(6_302.25)


def test_cost_of_one_percent(result):
    t = result.cost_of_one_percent()
    # UTLA: 0.01 x (160,000 + 35,360) = 1,953.60; SEIU 99: 0.01 x (10,800 + 3,915) = 147.15
    assert t.loc["UTLA", "2024-25"] == pytest.approx(1_953.60)
    assert t.loc["SEIU 99", "2026-27"] == pytest.approx(147.15)
    assert t.loc["All units", "2025-26"] == pytest.approx(2_100.75)


def test_compare(result):
    c = result.compare("offer", "demand")
    # 2026-27: demand 10,503.75 - offer 6,302.25 = 4,201.50
    assert c.loc["2026-27", "difference"] == pytest.approx(4_201.50)
    assert c.loc["total", "offer"] == pytest.approx(9_836.25 + 2 * 6_302.25)


def test_by_unit_and_classification_add_up(result):
    by_year = result.by_year()
    for view in (result.by_unit(), result.by_classification(), result.by_component(), result.by_proposal()):
        sums = view.groupby(level="scenario").sum()
        pd.testing.assert_frame_equal(sums.loc[by_year.index], by_year, check_names=False)


def test_every_input_row_is_accounted_for(result):
    acc = result.accounting()
    assert acc["rows"].sum() == len(ROWS)
    assert acc["headcount"].sum() == 3
    assert acc["salary"].sum() == pytest.approx(170_800)


def test_unknown_scenario_is_a_clear_error(result):
    with pytest.raises(ct.CostingError, match="no scenario named 'x'; have: offer, demand"):
        result.disclosure("x")
