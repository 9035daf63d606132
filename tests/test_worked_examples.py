"""Hand-worked tests of the pricing engine.

Sections 1-6 of /work/shared/domain/WORKED-EXAMPLES.md, then cases of our own. Every
expected number is worked by hand in the comment above it (never copied from the
engine's output). Each test runs against the engine and, as a cross-check of the
arithmetic, against the plain reference implementation in ``tests/reference.py``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from reference import reference_price

from costing import (
    Bonus,
    District,
    Floor,
    Hours,
    PricingOptions,
    Raise,
    Rates,
    Scenario,
    Stipend,
    price,
)

# WORKED-EXAMPLES section 6 rates (fractions), plus the health parameters of the brief
RATES = {
    "calstrs_employer": 0.191,
    "calpers_employer": 0.2705,
    "oasdi": 0.062,
    "oasdi_wage_base": 176100,
    "medicare": 0.0145,
    "sui": 0.0005,
    "workers_comp": 0.015,
    "health_eligibility_hours": 4,
    "health_premium": 12000,
}
# statutory rate on a pensionable dollar, below the wage base
PERS_ALL = 0.2705 + 0.062 + 0.0145 + 0.0005 + 0.015  # 0.3625
STRS_ALL = 0.191 + 0.0145 + 0.0005 + 0.015  # 0.2210
NO_PENSION_PERS = 0.062 + 0.0145 + 0.0005 + 0.015  # 0.0920
PAYROLL_ONLY = 0.0145 + 0.0005 + 0.015  # 0.0300 (Medicare + SUI + workers' comp)

CENT = 0.005  # "to the cent": within half a cent


def d(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def hourly(classification, rate, hours=6.0, days=180.0, retirement="none", unit="U", **extra):
    return {
        "unit": unit,
        "classification": classification,
        "pay_basis": "hourly",
        "hourly_rate": rate,
        "hours_per_day": hours,
        "days_per_year": days,
        "retirement": retirement,
        **extra,
    }


def salaried(classification, salary, retirement="STRS", unit="U", **extra):
    return {
        "unit": unit,
        "classification": classification,
        "pay_basis": "salary",
        "annual_salary": salary,
        "retirement": retirement,
        **extra,
    }


def district(rows, base_year="2023-24", schedules=None, rates=None):
    return District(
        name="test",
        base_year=base_year,
        workforce=pd.DataFrame(rows),
        rates=Rates.from_values({**RATES, **(rates or {})}),
        schedules=None if schedules is None else pd.DataFrame(schedules),
    )


def scenario(*proposals, start="2024-25", years=1, name="offer"):
    return Scenario(name=name, start=start, years=years, proposals=proposals, party="district")


@pytest.fixture(params=["engine", "reference"])
def ledger_of(request):
    """Price scenarios with the engine or with the reference; return the ledger."""

    def run(scenarios, dist, options=None):
        options = options if options is not None else PricingOptions()
        if not isinstance(scenarios, list):
            scenarios = [scenarios]
        if request.param == "engine":
            return price(scenarios, dist, options=options).ledger
        return reference_price(scenarios, dist, options)

    return run


def total(ledger, **where) -> float:
    """Sum of ``amount`` over the ledger rows matching every ``column=value`` given."""
    mask = pd.Series(True, index=ledger.index)
    for column, value in where.items():
        mask &= ledger[column] == value
    return float(ledger.loc[mask, "amount"].sum())


def fte(ledger, **where) -> float:
    mask = pd.Series(True, index=ledger.index)
    for column, value in where.items():
        mask &= ledger[column] == value
    return float(ledger.loc[mask, "fte"].sum())


# =========================================================================== section 1
def test_greater_of_is_decided_per_employee(ledger_of):
    # 4% or $1.00/hour, whichever is greater, July 1, 2024; 6 h x 180 d = 1,080 h/year
    # $15.00: 4% = 0.60 < 1.00 -> +1.00 x 1,080 = 1,080.00
    # $25.00: 4% = 1.00 = 1.00 -> +1.00 x 1,080 = 1,080.00
    # $35.00: 4% = 1.40 > 1.00 -> +1.40 x 1,080 = 1,512.00          total 3,672.00
    dist = district([hourly("c15", 15.0), hourly("c25", 25.0), hourly("c35", 35.0)])
    offer = scenario(Raise(name="4% or $1", percent=0.04, per_hour=1.0, rule="greater", effective=d(2024, 7)))
    ledger = ledger_of(offer, dist)
    salary = {"proposal": "4% or $1", "fiscal_year": "2024-25", "component": "salary"}
    assert total(ledger, classification="c15", **salary) == pytest.approx(1080.00, abs=CENT)
    assert total(ledger, classification="c25", **salary) == pytest.approx(1080.00, abs=CENT)
    assert total(ledger, classification="c35", **salary) == pytest.approx(1512.00, abs=CENT)
    assert total(ledger, **salary) == pytest.approx(3672.00, abs=CENT)


def test_greater_of_on_the_average_rate_understates(ledger_of):
    # the same three people priced as one row of 3 at the average $25.00: 3 x 1,080 = 3,240
    dist = district([hourly("avg", 25.0, count=3)])
    offer = scenario(Raise(name="4% or $1", percent=0.04, per_hour=1.0, rule="greater", effective=d(2024, 7)))
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="4% or $1", component="salary") == pytest.approx(3240.00, abs=CENT)


def test_greater_of_converts_dollars_per_hour_for_salaried_staff(ledger_of):
    # $70,000, 7 h x 183 d = 1,281 h: 4% = 2,800; $1.00 x 1,281 = 1,281 -> +2,800
    dist = district([salaried("teacher", 70000.0, hours_per_day=7.0, days_per_year=183.0)])
    offer = scenario(Raise(name="4% or $1", percent=0.04, per_hour=1.0, rule="greater", effective=d(2024, 7)))
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="4% or $1", component="salary") == pytest.approx(2800.00, abs=CENT)


# =========================================================================== section 2
def test_mid_year_change_costs_the_months_left(ledger_of):
    # 3% April 1, 2025 on $90,000: FY 2024-25 90,000 x 0.03 x 3/12 = 675.00; 2025-26 2,700.00
    dist = district([salaried("teacher", 90000.0)])
    offer = scenario(Raise(name="3%", percent=0.03, effective=d(2025, 4)), years=2)
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="3%", fiscal_year="2024-25", component="salary") == pytest.approx(675.00, abs=CENT)
    assert total(ledger, proposal="3%", fiscal_year="2025-26", component="salary") == pytest.approx(2700.00, abs=CENT)


def test_effective_date_not_on_the_first_is_refused():
    with pytest.raises(ValueError, match="first of a month"):
        Raise(percent=0.03, effective=dt.date(2025, 4, 15))


# =========================================================================== section 3
def test_compounding_in_effective_date_order(ledger_of):
    # $20.00/h, 8 h x 180 d = 1,440 h. +5% Jul 1 2024 -> 21.00; +$1.00 Jan 1 2025 -> 22.00;
    # +5% Jul 1 2025 -> 22.00 x 1.05 = 23.10.
    # FY 2024-25 average rate (6 x 21 + 6 x 22) / 12 = 21.50 -> (21.50 - 20) x 1,440 = 2,160
    #   5% July:  1.00 x 1,440 = 1,440;   $1 January: 1.00 x 1,440 x 6/12 = 720
    # FY 2025-26 rate 23.10 -> 3.10 x 1,440 = 4,464 = 1,440 + 1,440 + 1.10 x 1,440 (1,584)
    dist = district([hourly("aide", 20.0, hours=8.0, days=180.0)])
    offer = scenario(
        # listed out of date order on purpose: the engine orders by effective date
        Raise(name="5% 2025", percent=0.05, effective=d(2025, 7)),
        Raise(name="$1 Jan", per_hour=1.0, effective=d(2025, 1)),
        Raise(name="5% 2024", percent=0.05, effective=d(2024, 7)),
        years=2,
    )
    ledger = ledger_of(offer, dist)
    sal = {"component": "salary"}
    assert total(ledger, fiscal_year="2024-25", **sal) == pytest.approx(2160.00, abs=CENT)
    assert total(ledger, proposal="5% 2024", fiscal_year="2024-25", **sal) == pytest.approx(1440.00, abs=CENT)
    assert total(ledger, proposal="$1 Jan", fiscal_year="2024-25", **sal) == pytest.approx(720.00, abs=CENT)
    assert total(ledger, fiscal_year="2025-26", scenario="offer", **sal) == pytest.approx(4464.00, abs=CENT)
    assert total(ledger, proposal="5% 2024", fiscal_year="2025-26", **sal) == pytest.approx(1440.00, abs=CENT)
    assert total(ledger, proposal="$1 Jan", fiscal_year="2025-26", **sal) == pytest.approx(1440.00, abs=CENT)
    assert total(ledger, proposal="5% 2025", fiscal_year="2025-26", **sal) == pytest.approx(1584.00, abs=CENT)


# =========================================================================== section 4
def test_one_time_bonus_is_a_share_of_the_years_pay_and_never_enters_the_base(ledger_of):
    # $80,000; +4% Jan 1, 2025; one-time 2% bonus in FY 2024-25
    # FY 2024-25 pay 80,000 x 6/12 + 83,200 x 6/12 = 81,600 -> bonus 2% = 1,632.00
    # FY 2025-26: bonus 0; the raise 3,200.00 (ongoing); FY 2024-25 raise 3,200 x 6/12 = 1,600
    dist = district([salaried("teacher", 80000.0)])
    offer = scenario(
        Raise(name="4%", percent=0.04, effective=d(2025, 1)),
        Bonus(name="bonus", fiscal_year="2024-25", percent=0.02),
        years=2,
    )
    ledger = ledger_of(offer, dist)
    bonus = {"proposal": "bonus", "component": "other_compensation", "kind": "one_time"}
    assert total(ledger, fiscal_year="2024-25", **bonus) == pytest.approx(1632.00, abs=CENT)
    assert total(ledger, fiscal_year="2025-26", proposal="bonus") == pytest.approx(0.0, abs=CENT)
    assert total(ledger, proposal="4%", fiscal_year="2025-26", component="salary", kind="ongoing") == pytest.approx(3200.00, abs=CENT)
    assert total(ledger, proposal="4%", fiscal_year="2024-25", component="salary", kind="ongoing") == pytest.approx(1600.00, abs=CENT)
    # the bonus books nothing ongoing
    assert total(ledger, proposal="bonus", kind="ongoing") == pytest.approx(0.0, abs=CENT)


# =========================================================================== section 5
def test_step_movement_is_status_quo_and_the_raise_applies_to_the_new_cell(ledger_of):
    # step 3 = 60,000, step 4 = 62,400; at step 3 in base 2024-25, step 4 on July 1, 2025
    # status quo step_column FY 2025-26: 62,400 - 60,000 = 2,400 (+ STRS benefits 2,400 x 0.221 = 530.40)
    # proposal +5% from July 1, 2025: 62,400 x 0.05 = 3,120 (not 60,000 x 0.05 = 3,000)
    schedules = {"schedule": ["T", "T"], "column": ["A", "A"], "step": [3, 4], "rate": [60000.0, 62400.0]}
    dist = district(
        [salaried("teacher", None, schedule="T", column="A", step=3)],
        base_year="2024-25",
        schedules=schedules,
    )
    offer = scenario(Raise(name="5%", percent=0.05, effective=d(2025, 7)), start="2025-26")
    ledger = ledger_of(offer, dist)
    sq = {"scenario": "status quo", "proposal": "step and column", "fiscal_year": "2025-26"}
    assert total(ledger, component="step_column", **sq) == pytest.approx(2400.00, abs=CENT)
    assert total(ledger, component="statutory_benefits", **sq) == pytest.approx(530.40, abs=CENT)
    assert total(ledger, scenario="offer", proposal="5%", component="salary") == pytest.approx(3120.00, abs=CENT)


# =========================================================================== section 6
def test_statutory_benefits_follow_system_and_kind_of_pay(ledger_of):
    # a $1,000/year raise (per_year) from July 1, 2024, and a $1,000 one-time bonus
    # CalPERS raise:  1,000 x (0.2705 + 0.062 + 0.0145 + 0.0005 + 0.015) = 362.50
    # CalSTRS raise:  1,000 x (0.191 + 0.0145 + 0.0005 + 0.015)          = 221.00
    # CalPERS bonus:  1,000 x (0.062 + 0.0145 + 0.0005 + 0.015)          =  92.00 (not pensionable)
    # CalSTRS bonus:  1,000 x 0.221 = 221.00 (DB Supplement credit at the employer rate, default)
    dist = district([salaried("clerk", 50000.0, retirement="PERS"), salaried("teacher", 50000.0, retirement="STRS")])
    raise_offer = scenario(Raise(name="$1,000", per_year=1000.0, effective=d(2024, 7)), name="raise")
    bonus_offer = scenario(Bonus(name="$1,000 once", fiscal_year="2024-25", amount=1000.0), name="bonus")
    ledger = ledger_of([raise_offer, bonus_offer], dist)
    stat = {"component": "statutory_benefits"}
    assert total(ledger, scenario="raise", classification="clerk", component="salary") == pytest.approx(1000.00, abs=CENT)
    assert total(ledger, scenario="raise", classification="clerk", **stat) == pytest.approx(362.50, abs=CENT)
    assert total(ledger, scenario="raise", classification="teacher", **stat) == pytest.approx(221.00, abs=CENT)
    assert total(ledger, scenario="bonus", classification="clerk", kind="one_time", **stat) == pytest.approx(92.00, abs=CENT)
    assert total(ledger, scenario="bonus", classification="teacher", kind="one_time", **stat) == pytest.approx(221.00, abs=CENT)


def test_one_time_pensionability_follows_the_options(ledger_of):
    # flip both options: PERS bonus 1,000 x 0.3625 = 362.50; STRS bonus 1,000 x 0.030 = 30.00
    dist = district([salaried("clerk", 50000.0, retirement="PERS"), salaried("teacher", 50000.0, retirement="STRS")])
    offer = scenario(Bonus(name="once", fiscal_year="2024-25", amount=1000.0))
    opts = PricingOptions(one_time_pensionable_strs=False, one_time_pensionable_pers=True)
    ledger = ledger_of(offer, dist, opts)
    stat = {"scenario": "offer", "component": "statutory_benefits", "kind": "one_time"}
    assert total(ledger, classification="clerk", **stat) == pytest.approx(362.50, abs=CENT)
    assert total(ledger, classification="teacher", **stat) == pytest.approx(30.00, abs=CENT)


# =========================================================================== our own cases
def test_greater_and_lesser_with_salaried_conversion(ledger_of):
    # salaried $40,000, 7 h x 183 d = 1,281 h: 2% = 800.00; $1.50/h x 1,281 = 1,921.50
    #   greater -> +1,921.50; lesser -> +800.00
    # hourly $30.00: 5% = 1.50/h vs $1.00/h, 6 h x 180 d = 1,080 h
    #   greater -> 1.50 x 1,080 = 1,620.00; lesser -> 1.00 x 1,080 = 1,080.00
    dist = district(
        [
            salaried("secretary", 40000.0, retirement="PERS", hours_per_day=7.0, days_per_year=183.0),
            hourly("aide", 30.0),
        ]
    )
    greater = scenario(
        Raise(name="g-sal", percent=0.02, per_hour=1.5, rule="greater", effective=d(2024, 7), classifications=("secretary",)),
        Raise(name="g-hr", percent=0.05, per_hour=1.0, rule="greater", effective=d(2024, 7), classifications=("aide",)),
        name="greater",
    )
    lesser = scenario(
        Raise(name="l-sal", percent=0.02, per_hour=1.5, rule="lesser", effective=d(2024, 7), classifications=("secretary",)),
        Raise(name="l-hr", percent=0.05, per_hour=1.0, rule="lesser", effective=d(2024, 7), classifications=("aide",)),
        name="lesser",
    )
    ledger = ledger_of([greater, lesser], dist)
    assert total(ledger, proposal="g-sal", component="salary") == pytest.approx(1921.50, abs=CENT)
    assert total(ledger, proposal="g-hr", component="salary") == pytest.approx(1620.00, abs=CENT)
    assert total(ledger, proposal="l-sal", component="salary") == pytest.approx(800.00, abs=CENT)
    assert total(ledger, proposal="l-hr", component="salary") == pytest.approx(1080.00, abs=CENT)
    # a raise selecting one classification books nothing on the other
    assert ledger.loc[ledger["proposal"] == "g-sal", "classification"].unique().tolist() == ["secretary"]


def test_per_year_amount_converts_for_hourly_staff(ledger_of):
    # $1,080/year to an hourly aide with 6 h x 180 d = 1,080 h: +$1.00/h -> 1,080.00 a year
    # on top of 3%: sum rule, $20.00 -> 20.00 + 0.60 + 1.00 = 21.60 -> 1.60 x 1,080 = 1,728.00
    dist = district([hourly("aide", 20.0)])
    offer = scenario(Raise(name="3% + $1,080", percent=0.03, per_year=1080.0, rule="sum", effective=d(2024, 7)))
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="3% + $1,080", component="salary") == pytest.approx(1728.00, abs=CENT)


def test_dollars_per_year_convert_through_the_hours_in_force(ledger_of):
    # hourly $20.00, 4 h x 200 d; hours set to 8 from July 1, 2025: +20 x 4 x 200 = 16,000
    # then $1,600/year from Jan 1, 2026 converts through the hours then in force:
    # 1,600 / (8 x 200) = $1.00/h -> 1.00 x 1,600 h x 6/12 = 800.00 (not 1,600 / 800 = $2.00/h)
    dist = district([hourly("aide", 20.0, hours=4.0, days=200.0, health_eligible=True)], base_year="2024-25")
    offer = scenario(
        Hours(name="8 h", set_hours=8.0, effective=d(2025, 7)),
        Raise(name="$1,600", per_year=1600.0, effective=d(2026, 1)),
        start="2025-26",
    )
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="8 h", component="salary") == pytest.approx(16000.00, abs=CENT)
    assert total(ledger, proposal="$1,600", component="salary") == pytest.approx(800.00, abs=CENT)


def test_floor_after_raises_seiu_99_minimum(ledger_of):
    # SEIU 99 2023 deal: +6% 7/1/2021, +7% 7/1/2022, +7% 7/1/2023, +$2/h 1/1/2024, minimum $22.52
    # $16.91: 16.91 x 1.06 = 17.9246; x 1.07 = 19.179322; x 1.07 = 20.52187454; + 2 = 22.52187454
    #   >= 22.52, so the floor costs nothing.
    # $16.00: 16.96; 18.1472; 19.417504; + 2 = 21.417504 < 22.52 -> +1.102496/h from 1/1/2024
    #   6 h x 180 d = 1,080 h: FY 2023-24 1.102496 x 1,080 x 6/12 = 595.34784; FY 2024-25 1,190.69568
    # $2/h in FY 2023-24: 2 x 1,080 x 6/12 = 1,080.00 per employee (both)
    dist = district([hourly("min", 16.91), hourly("low", 16.00)], base_year="2020-21")
    offer = scenario(
        Raise(name="6%", percent=0.06, effective=d(2021, 7)),
        Raise(name="7% a", percent=0.07, effective=d(2022, 7)),
        Raise(name="7% b", percent=0.07, effective=d(2023, 7)),
        Raise(name="$2", per_hour=2.0, effective=d(2024, 1)),
        Floor(name="minimum", hourly_rate=22.52, effective=d(2024, 1)),
        start="2021-22",
        years=4,
    )
    ledger = ledger_of(offer, dist)
    floor = {"proposal": "minimum", "component": "salary"}
    assert total(ledger, classification="min", **floor) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, classification="low", fiscal_year="2023-24", **floor) == pytest.approx(595.34784, abs=CENT)
    assert total(ledger, classification="low", fiscal_year="2024-25", **floor) == pytest.approx(1190.69568, abs=CENT)
    assert total(ledger, classification="low", fiscal_year="2022-23", **floor) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, proposal="$2", fiscal_year="2023-24", component="salary") == pytest.approx(2 * 1080.00, abs=CENT)
    # FY 2024-25 rate of the $16.91 employee: 22.52187454 -> (22.52187454 - 16.91) x 1,080 = 6,060.8245
    sal_2425 = total(ledger, scenario="offer", classification="min", fiscal_year="2024-25", component="salary")
    assert sal_2425 == pytest.approx(6060.8245, abs=CENT)


def test_stipend_removal_is_a_negative_cost(ledger_of):
    # removing a $1,500 stipend from Jan 1, 2025 from 10 teachers at 0.8 FTE (prorated):
    # FY 2024-25: -1,500 x 10 x 0.8 x 6/12 = -6,000.00; benefits -6,000 x 0.221 = -1,326.00
    # FY 2025-26: -12,000.00; benefits -2,652.00
    # the same for 2 counsellors at 1.0 FTE, not pensionable: FY 2025-26 -3,000 x 0.030 = -90.00
    dist = district(
        [
            salaried("teacher", 80000.0, count=10, fte=0.8),
            salaried("counsellor", 80000.0, count=2),
        ]
    )
    offer = scenario(
        Stipend(name="remove", amount=-1500.0, effective=d(2025, 1), classifications=("teacher",)),
        Stipend(name="remove np", amount=-1500.0, effective=d(2025, 1), pensionable=False, classifications=("counsellor",)),
        years=2,
    )
    ledger = ledger_of(offer, dist)
    oc = {"proposal": "remove", "component": "other_compensation", "kind": "ongoing"}
    st = {"proposal": "remove", "component": "statutory_benefits", "kind": "ongoing"}
    assert total(ledger, fiscal_year="2024-25", **oc) == pytest.approx(-6000.00, abs=CENT)
    assert total(ledger, fiscal_year="2024-25", **st) == pytest.approx(-1326.00, abs=CENT)
    assert total(ledger, fiscal_year="2025-26", **oc) == pytest.approx(-12000.00, abs=CENT)
    assert total(ledger, fiscal_year="2025-26", **st) == pytest.approx(-2652.00, abs=CENT)
    assert total(ledger, proposal="remove np", fiscal_year="2025-26", component="other_compensation") == pytest.approx(-3000.00, abs=CENT)
    assert total(ledger, proposal="remove np", fiscal_year="2025-26", component="statutory_benefits") == pytest.approx(-90.00, abs=CENT)
    # a stipend is not salary
    assert total(ledger, proposal="remove", component="salary") == pytest.approx(0.0, abs=CENT)


def test_hours_change_crossing_the_health_threshold(ledger_of):
    # set 4 h/day from Jan 1, 2025 (threshold 4 h/day, premium $12,000), $20.00/h, 180 d, PERS
    # crosser: 4 aides at 3.5 h -> 4 h: pay 20 x 0.5 x 180 x 4 = 7,200/year
    #   FY 2024-25 salary 7,200 x 6/12 = 3,600.00; benefits 3,600 x 0.3625 = 1,305.00
    #   health 4 x 12,000 x 6/12 = 24,000.00; FY 2025-26 salary 7,200.00, health 48,000.00
    # already at 4 h (2 aides): 4 -> 4 h, nothing
    # flagged health_eligible (1 aide at 3 h -> 4 h): pay 20 x 1 x 180 = 3,600/year, no health
    # 2 aides at 2 h, not selected: nothing
    rows = [
        hourly("crosser", 20.0, hours=3.5, retirement="PERS", count=4),
        hourly("at four", 20.0, hours=4.0, retirement="PERS", count=2),
        hourly("flagged", 20.0, hours=3.0, retirement="PERS", health_eligible=True),
        hourly("other", 20.0, hours=2.0, retirement="PERS", count=2),
    ]
    for row in rows:
        row.setdefault("health_eligible", None)
    dist = district(rows)
    offer = scenario(
        Hours(name="4 hours", set_hours=4.0, effective=d(2025, 1), classifications=("crosser", "at four", "flagged")),
        years=2,
    )
    ledger = ledger_of(offer, dist)
    p = {"proposal": "4 hours"}
    assert total(ledger, classification="crosser", fiscal_year="2024-25", component="salary", **p) == pytest.approx(3600.00, abs=CENT)
    assert total(ledger, classification="crosser", fiscal_year="2024-25", component="statutory_benefits", **p) == pytest.approx(1305.00, abs=CENT)
    assert total(ledger, classification="crosser", fiscal_year="2024-25", component="health_welfare", **p) == pytest.approx(24000.00, abs=CENT)
    assert total(ledger, classification="crosser", fiscal_year="2025-26", component="salary", **p) == pytest.approx(7200.00, abs=CENT)
    assert total(ledger, classification="crosser", fiscal_year="2025-26", component="health_welfare", **p) == pytest.approx(48000.00, abs=CENT)
    assert total(ledger, classification="at four", **p) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, classification="flagged", fiscal_year="2025-26", component="salary", **p) == pytest.approx(3600.00, abs=CENT)
    assert total(ledger, classification="flagged", component="health_welfare", **p) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, classification="other", **p) == pytest.approx(0.0, abs=CENT)
    # health premiums carry no statutory benefits: benefits are 0.3625 x salary exactly
    # FY 2025-26: crosser 7,200 + flagged 3,600 = 10,800 -> 3,915.00
    assert total(ledger, fiscal_year="2025-26", component="statutory_benefits", **p) == pytest.approx(3915.00, abs=CENT)


def test_health_enrolment_is_judged_on_the_effective_date(ledger_of):
    # docs/engine.md read literally: an employee whose hours go from below 4 h to 4 h or
    # more on the effective date, not already eligible, adds the premium "for the months
    # from the effective date"; a later cut saves nothing (the spec only adds premiums).
    # "up then down": 3 h -> 5 h July 1, 2025 -> 3 h January 1, 2026:
    #   "up" 12,000 x 12/12 = 12,000 in FY 2025-26; "down" 0
    # "already eligible": 6 h in the status quo -> 3 h September 1 -> 6 h November 1: 0 and 0
    dist = district([hourly("up-down", 20.0, hours=3.0), hourly("eligible", 20.0, hours=6.0)], base_year="2024-25")
    offer = scenario(
        Hours(name="up", set_hours=5.0, effective=d(2025, 7), classifications=("up-down",)),
        Hours(name="down", set_hours=3.0, effective=d(2026, 1), classifications=("up-down",)),
        Hours(name="cut", set_hours=3.0, effective=d(2025, 9), classifications=("eligible",)),
        Hours(name="restore", set_hours=6.0, effective=d(2025, 11), classifications=("eligible",)),
        start="2025-26",
    )
    ledger = ledger_of(offer, dist)
    hw = {"component": "health_welfare"}
    assert total(ledger, proposal="up", **hw) == pytest.approx(12000.00, abs=CENT)
    assert total(ledger, proposal="down", **hw) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, proposal="cut", **hw) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, proposal="restore", **hw) == pytest.approx(0.0, abs=CENT)
    # pay still follows the hours month by month: "down" saves 20 x 2 h x 180 d x 6/12 = 3,600
    assert total(ledger, proposal="down", component="salary") == pytest.approx(-3600.00, abs=CENT)


def test_health_eligible_overrides_the_hours_test(ledger_of):
    # "health_eligible overrides the hours test": every aide here goes 3 h -> 5 h on July 1, 2025
    #   flagged true: already eligible -> no premium
    #   flagged false: not eligible in the status quo -> crossing adds 12,000
    #   blank: the hours test (3 h < 4 h) -> crossing adds 12,000
    # and a 6 h aide flagged false (not eligible despite 6 h) cut to 3 h September 1, back to
    # 6 h November 1: the restore crosses the threshold -> 12,000 x 8/12 = 8,000
    dist = district(
        [
            hourly("true", 20.0, hours=3.0, health_eligible=True),
            hourly("false", 20.0, hours=3.0, health_eligible=False),
            hourly("blank", 20.0, hours=3.0, health_eligible=None),
            hourly("false 6 h", 20.0, hours=6.0, health_eligible=False),
        ],
        base_year="2024-25",
    )
    offer = scenario(
        Hours(name="5 h", set_hours=5.0, effective=d(2025, 7), classifications=("true", "false", "blank")),
        Hours(name="cut", set_hours=3.0, effective=d(2025, 9), classifications=("false 6 h",)),
        Hours(name="restore", set_hours=6.0, effective=d(2025, 11), classifications=("false 6 h",)),
        start="2025-26",
    )
    ledger = ledger_of(offer, dist)
    hw = {"proposal": "5 h", "component": "health_welfare"}
    assert total(ledger, classification="true", **hw) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, classification="false", **hw) == pytest.approx(12000.00, abs=CENT)
    assert total(ledger, classification="blank", **hw) == pytest.approx(12000.00, abs=CENT)
    assert total(ledger, proposal="restore", component="health_welfare") == pytest.approx(8000.00, abs=CENT)
    assert total(ledger, proposal="cut", component="health_welfare") == pytest.approx(0.0, abs=CENT)


def test_add_hours_below_the_threshold_adds_no_premium(ledger_of):
    # 2 h -> 3.5 h (add 1.5) stays below 4: pay only, 20 x 1.5 x 180 = 5,400/year, no health
    dist = district([hourly("aide", 20.0, hours=2.0)])
    offer = scenario(Hours(name="more", add_hours=1.5, effective=d(2024, 7)))
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="more", component="salary") == pytest.approx(5400.00, abs=CENT)
    assert total(ledger, proposal="more", component="health_welfare") == pytest.approx(0.0, abs=CENT)


def test_oasdi_stops_at_the_wage_base(ledger_of):
    # PERS, wage base $176,100; a 2% raise from July 1, 2024 (one fiscal year)
    # 2 clerks at $175,000 -> $178,500: salary 2 x 3,500 = 7,000
    #   OASDI 0.062 x 2 x (176,100 - 175,000) = 136.40; others 7,000 x 0.3005 = 2,103.50
    #   benefits 2,239.90
    # 1 clerk at $200,000 -> $204,000 (already above the base): 4,000 x 0.3005 = 1,202.00
    # then a $1,000 bonus (after the raise) to the $175,000 clerks: each at $178,500 already
    #   above the base: OASDI 0; 2 x 1,000 x (0.0145 + 0.0005 + 0.015) = 60.00
    dist = district(
        [
            salaried("near", 175000.0, retirement="PERS", count=2),
            salaried("above", 200000.0, retirement="PERS"),
        ]
    )
    offer = scenario(
        Bonus(name="once", fiscal_year="2024-25", amount=1000.0, classifications=("near",)),
        Raise(name="2%", percent=0.02, effective=d(2024, 7)),
    )
    ledger = ledger_of(offer, dist)
    stat = {"component": "statutory_benefits"}
    assert total(ledger, proposal="2%", classification="near", component="salary") == pytest.approx(7000.00, abs=CENT)
    assert total(ledger, proposal="2%", classification="near", **stat) == pytest.approx(2239.90, abs=CENT)
    assert total(ledger, proposal="2%", classification="above", **stat) == pytest.approx(1202.00, abs=CENT)
    assert total(ledger, proposal="once", classification="near", **stat) == pytest.approx(60.00, abs=CENT)


def test_oasdi_wage_base_is_that_of_the_calendar_year_the_fiscal_year_begins(ledger_of):
    # wage base 2024: $168,600 (FY 2024-25); 2025: $176,100 (FY 2025-26)
    # $165,000 PERS clerk, +4% July 1, 2024 -> $171,600
    # FY 2024-25 OASDI 0.062 x (168,600 - 165,000) = 223.20 -> benefits 6,600 x 0.3005 + 223.20 = 2,206.50
    # FY 2025-26 OASDI 0.062 x (171,600 - 165,000) = 409.20 -> benefits 6,600 x 0.3625 = 2,392.50
    dist = district(
        [salaried("clerk", 165000.0, retirement="PERS")],
        rates={"oasdi_wage_base": {"2023-24": 160200, "2024-25": 168600, "2025-26": 176100}},
    )
    offer = scenario(Raise(name="4%", percent=0.04, effective=d(2024, 7)), years=2)
    ledger = ledger_of(offer, dist)
    stat = {"proposal": "4%", "component": "statutory_benefits"}
    assert total(ledger, fiscal_year="2024-25", **stat) == pytest.approx(2206.50, abs=CENT)
    assert total(ledger, fiscal_year="2025-26", **stat) == pytest.approx(2392.50, abs=CENT)


def test_rates_are_needed_only_for_the_fiscal_years_priced(ledger_of):
    # statutory rates "by fiscal year of payment": every rate set from 2025-26 only, base
    # year 2024-25, scenario 2025-26. A 1% raise on a $50,000 PERS clerk: 500.00 salary,
    # 500 x 0.3625 = 181.25 benefits; nothing is paid in the base year, so no base-year
    # rate should be needed.
    from_2025 = {name: {"2025-26": value} for name, value in RATES.items()}
    dist = district([salaried("clerk", 50000.0, retirement="PERS")], base_year="2024-25", rates=from_2025)
    ledger = ledger_of(scenario(Raise(name="1%", percent=0.01, effective=d(2025, 7)), start="2025-26"), dist)
    assert total(ledger, proposal="1%", component="salary") == pytest.approx(500.00, abs=CENT)
    assert total(ledger, proposal="1%", component="statutory_benefits") == pytest.approx(181.25, abs=CENT)


def test_oasdi_systems_option_adds_social_security_for_strs(ledger_of):
    # oasdi_systems = ("PERS", "STRS"): a $1,000 raise to an STRS teacher: 1,000 x (0.221 + 0.062) = 283.00
    dist = district([salaried("teacher", 60000.0, retirement="STRS")])
    offer = scenario(Raise(name="$1,000", per_year=1000.0, effective=d(2024, 7)))
    ledger = ledger_of(offer, dist, PricingOptions(oasdi_systems=("PERS", "STRS")))
    assert total(ledger, proposal="$1,000", component="statutory_benefits") == pytest.approx(283.00, abs=CENT)


def test_turnover_weights_and_raise_on_the_expected_cells(ledger_of):
    # one column, steps 1-4 = 50,000 / 52,000 / 54,000 / 56,000; 10 teachers at step 2
    # (position 1) in base 2024-25; turnover 10%.
    # FY 2025-26 (k = 1): 0.9 at position 2 (54,000) + 0.1 hired at position 0 (50,000)
    #   average 48,600 + 5,000 = 53,600 -> step_column 10 x (53,600 - 52,000) = 16,000
    # FY 2026-27 (k = 2): 0.81 at position 3 (56,000), 0.1 x 0.9 = 0.09 hired 2025 at
    #   position 1 (52,000), 0.1 hired 2026 at position 0 (50,000)
    #   average 45,360 + 4,680 + 5,000 = 55,040 -> step_column 10 x 3,040 = 30,400
    # a 5% raise from July 1, 2025: 0.05 x 536,000 = 26,800; 0.05 x 550,400 = 27,520
    schedules = {
        "schedule": ["T"] * 4,
        "column": ["A"] * 4,
        "step": [1, 2, 3, 4],
        "rate": [50000.0, 52000.0, 54000.0, 56000.0],
    }
    dist = district(
        [salaried("teacher", None, count=10, schedule="T", column="A", step=2)],
        base_year="2024-25",
        schedules=schedules,
    )
    offer = scenario(Raise(name="5%", percent=0.05, effective=d(2025, 7)), start="2025-26", years=2)
    ledger = ledger_of(offer, dist, PricingOptions(turnover=0.1))
    sq = {"scenario": "status quo", "component": "step_column"}
    assert total(ledger, fiscal_year="2025-26", **sq) == pytest.approx(16000.00, abs=CENT)
    assert total(ledger, fiscal_year="2026-27", **sq) == pytest.approx(30400.00, abs=CENT)
    assert total(ledger, proposal="5%", fiscal_year="2025-26", component="salary") == pytest.approx(26800.00, abs=CENT)
    assert total(ledger, proposal="5%", fiscal_year="2026-27", component="salary") == pytest.approx(27520.00, abs=CENT)


def test_no_turnover_moves_everyone_and_stops_at_the_top(ledger_of):
    # same schedule, no turnover; one teacher at step 3 (54,000, position 2), base 2024-25
    # FY 2025-26: step 4 (56,000) -> 2,000; FY 2026-27: still step 4 (top) -> 2,000
    schedules = {"schedule": ["T"] * 4, "column": ["A"] * 4, "step": [1, 2, 3, 4], "rate": [50000.0, 52000.0, 54000.0, 56000.0]}
    dist = district([salaried("teacher", None, schedule="T", column="A", step=3)], base_year="2024-25", schedules=schedules)
    offer = scenario(Raise(name="0%", percent=0.0, effective=d(2025, 7)), start="2025-26", years=2)
    ledger = ledger_of(offer, dist)
    sq = {"scenario": "status quo", "component": "step_column"}
    assert total(ledger, fiscal_year="2025-26", **sq) == pytest.approx(2000.00, abs=CENT)
    assert total(ledger, fiscal_year="2026-27", **sq) == pytest.approx(2000.00, abs=CENT)


def test_multi_year_compounding(ledger_of):
    # $60,000; 3% each July 1 of 2024, 2025, 2026
    # raise 1: 1,800 every year; raise 2: 61,800 x 0.03 = 1,854 from FY 2025-26;
    # raise 3: 63,654 x 0.03 = 1,909.62 in FY 2026-27
    # FY 2026-27 total 60,000 x (1.03^3 - 1) = 60,000 x 0.092727 = 5,563.62 = 1,800 + 1,854 + 1,909.62
    dist = district([salaried("teacher", 60000.0)])
    offer = scenario(
        Raise(name="y1", percent=0.03, effective=d(2024, 7)),
        Raise(name="y2", percent=0.03, effective=d(2025, 7)),
        Raise(name="y3", percent=0.03, effective=d(2026, 7)),
        years=3,
    )
    ledger = ledger_of(offer, dist)
    sal = {"component": "salary"}
    assert total(ledger, proposal="y1", fiscal_year="2026-27", **sal) == pytest.approx(1800.00, abs=CENT)
    assert total(ledger, proposal="y2", fiscal_year="2024-25", **sal) == pytest.approx(0.0, abs=CENT)
    assert total(ledger, proposal="y2", fiscal_year="2025-26", **sal) == pytest.approx(1854.00, abs=CENT)
    assert total(ledger, proposal="y3", fiscal_year="2026-27", **sal) == pytest.approx(1909.62, abs=CENT)
    assert total(ledger, scenario="offer", fiscal_year="2026-27", **sal) == pytest.approx(5563.62, abs=CENT)


def test_bonus_by_amount_is_prorated_by_fte(ledger_of):
    # $1,000 one-time in FY 2025-26 to 5 PERS aides at 0.5 FTE: 5 x 1,000 x 0.5 = 2,500.00
    #   benefits (not pensionable for PERS) 2,500 x 0.092 = 230.00; FY 2024-25: 0
    # not prorated: 5 x 1,000 = 5,000.00
    dist = district([hourly("aide", 20.0, hours=3.0, retirement="PERS", count=5, fte=0.5)])
    prorated = scenario(Bonus(name="once", fiscal_year="2025-26", amount=1000.0), years=2, name="prorated")
    flat = scenario(Bonus(name="once", fiscal_year="2025-26", amount=1000.0, prorate_fte=False), years=2, name="flat")
    ledger = ledger_of([prorated, flat], dist)
    assert total(ledger, scenario="prorated", fiscal_year="2025-26", component="other_compensation") == pytest.approx(2500.00, abs=CENT)
    assert total(ledger, scenario="prorated", fiscal_year="2025-26", component="statutory_benefits") == pytest.approx(230.00, abs=CENT)
    assert total(ledger, scenario="prorated", fiscal_year="2024-25") == pytest.approx(0.0, abs=CENT)
    assert total(ledger, scenario="flat", fiscal_year="2025-26", component="other_compensation") == pytest.approx(5000.00, abs=CENT)


def test_percent_bonus_includes_step_and_raises_but_not_stipends(ledger_of):
    # schedule 60,000 (step 1) / 63,000 (step 2); teacher at step 1 in base 2024-25
    # FY 2025-26: step 2 = 63,000; +2% Jan 1, 2026 -> 64,260 for 6 months
    #   pay 63,000 x 6/12 + 64,260 x 6/12 = 63,630; a $2,000 stipend is not in the base
    #   1% bonus = 636.30
    schedules = {"schedule": ["T", "T"], "column": ["A", "A"], "step": [1, 2], "rate": [60000.0, 63000.0]}
    dist = district([salaried("teacher", None, schedule="T", column="A", step=1)], base_year="2024-25", schedules=schedules)
    offer = scenario(
        Stipend(name="stipend", amount=2000.0, effective=d(2025, 7)),
        Raise(name="2%", percent=0.02, effective=d(2026, 1)),
        Bonus(name="1%", fiscal_year="2025-26", percent=0.01),
        start="2025-26",
    )
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="1%", component="other_compensation") == pytest.approx(636.30, abs=CENT)
    assert total(ledger, proposal="2%", component="salary") == pytest.approx(630.00, abs=CENT)  # 1,260 x 6/12


def test_zero_raise_still_appears_with_its_fte(ledger_of):
    # a 0% raise: rows for every fiscal year and selected classification, amount 0;
    # fte on the salary rows only: 3 x 0.5 = 1.5 for the aides; nothing on benefits
    dist = district([hourly("aide", 20.0, count=3, fte=0.5), salaried("teacher", 60000.0)])
    offer = scenario(Raise(name="nothing", percent=0.0, effective=d(2024, 7), classifications=("aide",)), years=2)
    ledger = ledger_of(offer, dist)
    rows = ledger[(ledger["scenario"] == "offer") & (ledger["proposal"] == "nothing")]
    salary_rows = rows[rows["component"] == "salary"]
    assert sorted(salary_rows["fiscal_year"]) == ["2024-25", "2025-26"]
    assert set(rows["classification"]) == {"aide"}
    assert (rows["amount"] == 0).all()
    assert fte(rows, fiscal_year="2024-25", component="salary") == pytest.approx(1.5)
    assert fte(rows, component="statutory_benefits") == 0.0


def test_status_quo_rows_are_named_and_ledger_has_the_contract_columns(ledger_of):
    # one teacher on a two-step schedule (moves 50,000 -> 52,000 on July 1, 2025) and one
    # clerk off schedule (no movement): step and column FY 2025-26 = 2,000 in total
    schedules = {"schedule": ["T", "T"], "column": ["A", "A"], "step": [1, 2], "rate": [50000.0, 52000.0]}
    dist = district(
        [salaried("teacher", None, schedule="T", column="A", step=1), salaried("clerk", 40000.0, retirement="PERS")],
        base_year="2024-25",
        schedules=schedules,
    )
    ledger = ledger_of(scenario(Raise(name="1%", percent=0.01, effective=d(2025, 7)), start="2025-26"), dist)
    assert list(ledger.columns) == [
        "scenario", "proposal", "fiscal_year", "unit", "classification", "component", "kind", "amount", "fte",
    ]
    sq = ledger[ledger["scenario"] == "status quo"]
    assert set(sq["proposal"]) == {"step and column"}
    assert set(sq["component"]) == {"step_column", "statutory_benefits"}
    assert set(sq["kind"]) == {"ongoing"}
    assert total(sq, fiscal_year="2025-26", component="step_column") == pytest.approx(2000.00, abs=CENT)
    assert total(sq, classification="clerk") == pytest.approx(0.0, abs=CENT)
    # fte counts the teacher who moves, once, on the step_column rows only
    assert fte(sq, fiscal_year="2025-26", component="step_column") == pytest.approx(1.0)
    assert fte(sq, component="statutory_benefits") == 0.0


def test_hours_change_selecting_every_row_still_adds_the_premium(ledger_of):
    # the whole workforce is one row of 4 aides at 3.5 h -> set 4 h from Jan 1, 2025
    # health: 4 x 12,000 x 6/12 = 24,000 in FY 2024-25; 4 x 12,000 = 48,000 in FY 2025-26
    dist = district([hourly("aide", 20.0, hours=3.5, retirement="PERS", count=4)])
    offer = scenario(Hours(name="4 hours", set_hours=4.0, effective=d(2025, 1)), years=2)
    ledger = ledger_of(offer, dist)
    hw = {"proposal": "4 hours", "component": "health_welfare"}
    assert total(ledger, fiscal_year="2024-25", **hw) == pytest.approx(24000.00, abs=CENT)
    assert total(ledger, fiscal_year="2025-26", **hw) == pytest.approx(48000.00, abs=CENT)


def test_health_threshold_and_premium_are_those_of_the_year_of_payment(ledger_of):
    # threshold 4 h/day in 2024-25 (the base year), 5 h/day from 2025-26; premium 12,000
    # in 2025-26, 13,000 in 2026-27. Hours change from July 1, 2025:
    # "to 4.5": 3 h -> 4.5 h: below the 2025-26 threshold (5): no premium, in any year
    # "to 5":   3 h -> 5 h: crosses 5: 2 aides x 12,000 = 24,000 (2025-26), 2 x 13,000 = 26,000 (2026-27)
    dist = district(
        [hourly("to 4.5", 20.0, hours=3.0), hourly("to 5", 20.0, hours=3.0, count=2)],
        base_year="2024-25",
        rates={
            "health_eligibility_hours": {"2024-25": 4, "2025-26": 5},
            "health_premium": {"2024-25": 11000, "2025-26": 12000, "2026-27": 13000},
        },
    )
    offer = scenario(
        Hours(name="4.5 h", set_hours=4.5, effective=d(2025, 7), classifications=("to 4.5",)),
        Hours(name="5 h", set_hours=5.0, effective=d(2025, 7), classifications=("to 5",)),
        start="2025-26",
        years=2,
    )
    ledger = ledger_of(offer, dist)
    assert total(ledger, proposal="4.5 h", component="health_welfare") == pytest.approx(0.0, abs=CENT)
    assert total(ledger, proposal="5 h", fiscal_year="2025-26", component="health_welfare") == pytest.approx(24000.00, abs=CENT)
    assert total(ledger, proposal="5 h", fiscal_year="2026-27", component="health_welfare") == pytest.approx(26000.00, abs=CENT)


def test_a_bonus_has_a_row_in_every_year_of_the_horizon(ledger_of):
    # docs/engine.md: one row per (scenario, proposal, fiscal year of its horizon, ...),
    # zero amounts included: a 2025-26 bonus in a 2024-25 .. 2025-26 scenario has
    # 2024-25 rows with amount 0
    dist = district([salaried("teacher", 60000.0)])
    offer = scenario(Bonus(name="once", fiscal_year="2025-26", amount=1000.0), years=2)
    ledger = ledger_of(offer, dist)
    rows = ledger[(ledger["proposal"] == "once") & (ledger["component"] == "other_compensation")]
    assert sorted(rows["fiscal_year"]) == ["2024-25", "2025-26"]
    assert total(rows, fiscal_year="2024-25") == 0.0
    assert total(rows, fiscal_year="2025-26") == pytest.approx(1000.00, abs=CENT)


def test_status_quo_covers_the_scenario_horizon(ledger_of):
    # base 2024-25, scenario 2026-27 .. 2027-28: step and column is booked for those years
    # (teacher 50,000 -> 52,000 -> 54,000: 4,000 in 2026-27 and 2027-28). Whether 2025-26,
    # between the base year and the start, also gets a row is not pinned down by the spec.
    schedules = {"schedule": ["T"] * 3, "column": ["A"] * 3, "step": [1, 2, 3], "rate": [50000.0, 52000.0, 54000.0]}
    dist = district([salaried("teacher", None, schedule="T", column="A", step=1)], base_year="2024-25", schedules=schedules)
    ledger = ledger_of(scenario(Raise(name="1%", percent=0.01, effective=d(2026, 7)), start="2026-27", years=2), dist)
    sq = ledger[(ledger["scenario"] == "status quo") & (ledger["component"] == "step_column")]
    assert total(sq, fiscal_year="2026-27") == pytest.approx(4000.00, abs=CENT)
    assert total(sq, fiscal_year="2027-28") == pytest.approx(4000.00, abs=CENT)
    assert {"2026-27", "2027-28"} <= set(sq["fiscal_year"])


def test_a_scenario_starting_in_the_base_year_is_refused(ledger_of):
    dist = district([salaried("teacher", 60000.0)], base_year="2024-25")
    with pytest.raises(ValueError):
        ledger_of(scenario(Raise(percent=0.01, effective=d(2024, 7)), start="2024-25"), dist)
