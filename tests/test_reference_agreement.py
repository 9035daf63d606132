"""The engine against the plain reference implementation (tests/reference.py).

Random small workforces (hourly and salaried, STRS / PERS / none, counts and FTEs, some
rows on a small random salary schedule, optional turnover) and random scenarios (up to
six proposals of every kind, effective on the first of a month, sum / greater / lesser
rules) are priced by both; the ledgers must agree to the cent after summing ``amount``
(and ``fte``) by scenario, proposal, fiscal year, unit, classification, component and
kind. Rows one ledger has and the other lacks count as zero, so the comparison is about
money; which rows must be present is tested separately.

The reference is first checked on its own against WORKED-EXAMPLES sections 1-6.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import LEDGER_COLUMNS, reference_price

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

KEYS = ["scenario", "proposal", "fiscal_year", "unit", "classification", "component", "kind"]
BASE_YEAR = "2024-25"

FLAT_RATES = {
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
# dated values that change inside the horizon, so "by fiscal year of payment" matters
DATED_RATES = {
    **FLAT_RATES,
    "calstrs_employer": {"2024-25": 0.191, "2026-27": 0.195},
    "calpers_employer": {"2024-25": 0.2705, "2025-26": 0.2681, "2026-27": 0.264, "2027-28": 0.269},
    "oasdi_wage_base": {"2024-25": 168600, "2025-26": 176100, "2026-27": 184500},
    "sui": {"2024-25": 0.0005, "2026-27": 0.005},
    "health_premium": {"2024-25": 12000, "2025-26": 12840, "2027-28": 14700},
}


# --------------------------------------------------------------------------- helpers
def totals(ledger: pd.DataFrame) -> pd.DataFrame:
    return ledger.groupby(KEYS, as_index=True, sort=True)[["amount", "fte"]].sum()


def compare(engine: pd.DataFrame, reference: pd.DataFrame, status_quo_years=None) -> None:
    """Assert the two ledgers agree to the cent (and on fte), key by key.

    ``status_quo_years``: compare status-quo rows only in these fiscal years (the
    reference books step and column over the scenarios' horizons only).
    """
    assert list(engine.columns) == LEDGER_COLUMNS
    assert list(reference.columns) == LEDGER_COLUMNS
    if status_quo_years is not None:
        engine = engine[(engine["scenario"] != "status quo") | engine["fiscal_year"].isin(status_quo_years)]
    both = totals(engine).merge(
        totals(reference), how="outer", left_index=True, right_index=True, suffixes=("_engine", "_reference")
    ).fillna(0.0)
    bad_amount = (both["amount_engine"] - both["amount_reference"]).abs() >= 0.01
    bad_fte = (both["fte_engine"] - both["fte_reference"]).abs() > 1e-9
    bad = both[bad_amount | bad_fte]
    assert bad.empty, "engine and reference disagree:\n" + bad.to_string()


def first_days(start: int, years: int) -> list[dt.date]:
    """The first of every month of the fiscal years start .. start + years - 1."""
    days = []
    for y in range(start, start + years):
        for month in (7, 8, 9, 10, 11, 12):
            days.append(dt.date(y, month, 1))
        for month in (1, 2, 3, 4, 5, 6):
            days.append(dt.date(y + 1, month, 1))
    return days


# --------------------------------------------------------------------------- strategies
UNITS = ("UTLA", "SEIU 99")
CLASSES = ("Teacher", "Aide", "Clerk")
money = st.integers(min_value=1400, max_value=7000).map(lambda c: c / 100)  # $14.00 - $70.00


@st.composite
def schedules(draw):
    """A salary schedule T (two columns) and an hourly schedule H (one column)."""
    cells = []
    for schedule, column, lo, hi, step_up in (
        ("T", "I", 40000, 90000, 3000),
        ("T", "II", 45000, 95000, 3000),
        ("H", "1", 15, 30, 2),
    ):
        steps = sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=5)))
        rate = draw(st.integers(lo * 100, hi * 100)) / 100
        for step in steps:
            cells.append({"schedule": schedule, "column": column, "step": step, "rate": round(rate, 2)})
            rate += draw(st.integers(0, step_up * 100)) / 100
    return pd.DataFrame(cells)


@st.composite
def workforces(draw, sched: pd.DataFrame):
    n = draw(st.integers(1, 27))
    rows = []
    for _ in range(n):
        basis = draw(st.sampled_from(["hourly", "salary"]))
        row = {
            "unit": draw(st.sampled_from(UNITS)),
            "classification": draw(st.sampled_from(CLASSES)),
            "pay_basis": basis,
            "retirement": draw(st.sampled_from(["STRS", "PERS", "none"])),
            "count": draw(st.sampled_from([1.0, 1.0, 2.0, 3.0, 7.0, 2.5])),
            "fte": draw(st.sampled_from([1.0, 1.0, 0.5, 0.8, 1.25])),
            # every row has hours and days, so $/hour and $/year rules convert everywhere
            "hours_per_day": draw(st.integers(4, 16)) / 2,  # 2.0 - 8.0 h
            "days_per_year": float(draw(st.integers(170, 260))),
            "hourly_rate": None,
            "annual_salary": None,
            "schedule": None,
            "column": None,
            "step": None,
            "health_eligible": draw(st.sampled_from([None, None, True, False])),
        }
        on_schedule = draw(st.booleans())
        if on_schedule:
            name, columns = ("H", ["1"]) if basis == "hourly" else ("T", ["I", "II"])
            column = draw(st.sampled_from(columns))
            steps = sched[(sched["schedule"] == name) & (sched["column"] == column)]["step"].tolist()
            row.update(schedule=name, column=column, step=float(draw(st.sampled_from(steps))))
        elif basis == "hourly":
            row["hourly_rate"] = draw(money)
        else:
            row["annual_salary"] = draw(st.integers(30000, 260000)) * 1.0
        rows.append(row)
    # sometimes repeat rows: identical rows must price as the sum of their parts
    rows += draw(st.lists(st.sampled_from(rows), max_size=3))
    return pd.DataFrame(rows)


def selectors(hourly_only: bool = False):
    options = [
        {},
        {"units": ("UTLA",)},
        {"units": ("SEIU 99",)},
        {"classifications": ("Aide", "Clerk")},
        {"classifications": ("Teacher",)},
        {"where": {"retirement": "PERS"}},
        {"where": {"retirement": ("STRS", "none")}},
    ]
    if hourly_only:
        return st.sampled_from(options).map(
            lambda sel: {**sel, "where": {**sel.get("where", {}), "pay_basis": "hourly"}}
        )
    return st.sampled_from(options + [{"where": {"pay_basis": "hourly"}}, {"where": {"pay_basis": "salary"}}])


@st.composite
def proposals(draw, start: int, years: int):
    kind = draw(st.sampled_from(["raise", "raise", "floor", "bonus", "stipend", "hours"]))
    effective = draw(st.sampled_from(first_days(start, years)))
    if kind == "raise":
        return Raise(
            percent=draw(st.sampled_from([0.0, 0.01, 0.02, 0.03, 0.05, 0.1, -0.02])),
            per_hour=draw(st.sampled_from([0.0, 0.0, 0.5, 1.0, 1.5, 2.0])),
            per_year=draw(st.sampled_from([0.0, 0.0, 500.0, 1500.0])),
            rule=draw(st.sampled_from(["sum", "greater", "lesser"])),
            effective=effective,
            **draw(selectors()),
        )
    if kind == "floor":
        if draw(st.booleans()):
            amount = {"hourly_rate": draw(st.sampled_from([18.0, 22.52, 30.0]))}
        else:
            amount = {"annual_salary": draw(st.sampled_from([45000.0, 60000.0, 90000.0]))}
        return Floor(effective=effective, **amount, **draw(selectors()))
    if kind == "bonus":
        fy = draw(st.integers(start, start + years - 1))
        if draw(st.booleans()):
            amount = {"percent": draw(st.sampled_from([0.01, 0.02, 0.04]))}
        else:
            amount = {"amount": draw(st.sampled_from([500.0, 1000.0, 2500.0]))}
        return Bonus(
            fiscal_year=f"{fy}-{(fy + 1) % 100:02d}",
            prorate_fte=draw(st.booleans()),
            **amount,
            **draw(selectors()),
        )
    if kind == "stipend":
        return Stipend(
            amount=draw(st.sampled_from([-2000.0, -500.0, 750.0, 3000.0])),
            effective=effective,
            prorate_fte=draw(st.booleans()),
            pensionable=draw(st.booleans()),
            **draw(selectors()),
        )
    # hours: up or down (rows have at least 2 h/day, so -1.0 leaves some hours)
    if draw(st.booleans()):
        amount = {"set_hours": draw(st.sampled_from([3.0, 4.0, 5.0, 6.0, 7.5, 8.0]))}
    else:
        amount = {"add_hours": draw(st.sampled_from([-1.0, 0.5, 1.0, 2.0, 3.0]))}
    return Hours(effective=effective, **amount, **draw(selectors(hourly_only=True)))


def selects_someone(proposal, workforce: pd.DataFrame) -> bool:
    mask = pd.Series(True, index=workforce.index)
    if proposal.units:
        mask &= workforce["unit"].isin(proposal.units)
    if proposal.classifications:
        mask &= workforce["classification"].isin(proposal.classifications)
    for column, values in proposal.where:
        mask &= workforce[column].astype(str).isin([str(v) for v in values])
    return bool(mask.any())


@st.composite
def cases(draw, max_proposals: int = 6, max_scenarios: int = 1):
    sched = draw(schedules())
    workforce = draw(workforces(sched))
    rates = draw(st.sampled_from([FLAT_RATES, DATED_RATES]))
    district = District(
        name="random",
        base_year=BASE_YEAR,
        workforce=workforce,
        rates=Rates.from_values(rates),
        schedules=sched,
    )
    scenarios = []
    for i in range(draw(st.integers(1, max_scenarios))):
        start = draw(st.sampled_from([2025, 2026]))
        years = draw(st.integers(1, 3))
        props = draw(st.lists(proposals(start, years), max_size=max_proposals))
        # the engine refuses a proposal that selects nobody; keep the ones that select someone
        props = [p for p in props if selects_someone(p, district.workforce)]
        scenarios.append(
            Scenario(name=f"scenario {i + 1}", start=f"{start}-{(start + 1) % 100:02d}", years=years, proposals=tuple(props))
        )
    options = PricingOptions(
        turnover=draw(st.sampled_from([0.0, 0.0, 0.1, 0.25])),
        oasdi_systems=draw(st.sampled_from([("PERS",), ("PERS",), ("PERS", "none")])),
        one_time_pensionable_strs=draw(st.booleans()),
        one_time_pensionable_pers=draw(st.booleans()),
    )
    return scenarios, district, options


def horizon_years(scenarios) -> list[str]:
    return sorted({fy for s in scenarios for fy in s.fiscal_years})


# --------------------------------------------------------------------------- agreement
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_engine_matches_reference(case):
    scenarios, district, options = case
    engine = price(scenarios, district, options=options).ledger
    reference = reference_price(scenarios, district, options)
    compare(engine, reference, status_quo_years=horizon_years(scenarios))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_proposals=4, max_scenarios=3))
def test_engine_matches_reference_with_several_scenarios(case):
    scenarios, district, options = case
    scenarios = [s.replace(name=f"s{i}") for i, s in enumerate(scenarios)]
    engine = price(scenarios, district, options=options).ledger
    reference = reference_price(scenarios, district, options)
    compare(engine, reference, status_quo_years=horizon_years(scenarios))


def test_compare_catches_a_one_cent_difference():
    # the comparison itself must be able to fail
    row = dict(zip(KEYS, ["s", "p", "2025-26", "U", "C", "salary", "ongoing"], strict=True))
    a = pd.DataFrame([{**row, "amount": 100.00, "fte": 1.0}])
    b = pd.DataFrame([{**row, "amount": 100.01, "fte": 1.0}])
    with pytest.raises(AssertionError, match="disagree"):
        compare(a, b)
    with pytest.raises(AssertionError, match="disagree"):
        compare(a, b.assign(amount=100.0, fte=0.5))
    compare(a, a.copy())


# --------------------------------------------------------------------------- reference vs WORKED-EXAMPLES 1-6
def _district(rows, base_year="2023-24", schedules=None):
    return District(
        "worked",
        base_year,
        pd.DataFrame(rows),
        Rates.from_values(FLAT_RATES),
        None if schedules is None else pd.DataFrame(schedules),
    )


def _sum(ledger, **where):
    mask = pd.Series(True, index=ledger.index)
    for k, v in where.items():
        mask &= ledger[k] == v
    return float(ledger.loc[mask, "amount"].sum())


def test_reference_reproduces_worked_example_1():
    rows = [
        {"unit": "U", "classification": c, "pay_basis": "hourly", "hourly_rate": r,
         "hours_per_day": 6.0, "days_per_year": 180.0, "retirement": "none"}
        for c, r in (("a", 15.0), ("b", 25.0), ("c", 35.0))
    ] + [
        {"unit": "U", "classification": "s", "pay_basis": "salary", "annual_salary": 70000.0,
         "hours_per_day": 7.0, "days_per_year": 183.0, "retirement": "STRS"}
    ]
    s = Scenario("s", "2024-25", 1, (Raise(name="g", percent=0.04, per_hour=1.0, rule="greater", effective=dt.date(2024, 7, 1)),))
    led = reference_price([s], _district(rows))
    # 1.00 x 1,080 = 1,080; 1,080; 1.40 x 1,080 = 1,512; salaried 4% of 70,000 = 2,800
    assert _sum(led, classification="a", component="salary") == pytest.approx(1080.00, abs=0.005)
    assert _sum(led, classification="b", component="salary") == pytest.approx(1080.00, abs=0.005)
    assert _sum(led, classification="c", component="salary") == pytest.approx(1512.00, abs=0.005)
    assert _sum(led, classification="s", component="salary") == pytest.approx(2800.00, abs=0.005)


def test_reference_reproduces_worked_examples_2_and_4():
    rows = [
        {"unit": "U", "classification": "t90", "pay_basis": "salary", "annual_salary": 90000.0, "retirement": "STRS"},
        {"unit": "U", "classification": "t80", "pay_basis": "salary", "annual_salary": 80000.0, "retirement": "STRS"},
    ]
    s = Scenario("s", "2024-25", 2, (
        Raise(name="3% April", percent=0.03, effective=dt.date(2025, 4, 1), classifications=("t90",)),
        Raise(name="4% Jan", percent=0.04, effective=dt.date(2025, 1, 1), classifications=("t80",)),
        Bonus(name="2% once", fiscal_year="2024-25", percent=0.02, classifications=("t80",)),
    ))
    led = reference_price([s], _district(rows))
    # 2: 90,000 x 0.03 x 3/12 = 675; 2,700
    assert _sum(led, proposal="3% April", fiscal_year="2024-25", component="salary") == pytest.approx(675.00, abs=0.005)
    assert _sum(led, proposal="3% April", fiscal_year="2025-26", component="salary") == pytest.approx(2700.00, abs=0.005)
    # 4: 2% of (80,000 x 6/12 + 83,200 x 6/12 = 81,600) = 1,632; nothing in 2025-26; raise 3,200
    assert _sum(led, proposal="2% once", fiscal_year="2024-25", component="other_compensation", kind="one_time") == pytest.approx(1632.00, abs=0.005)
    assert _sum(led, proposal="2% once", fiscal_year="2025-26") == pytest.approx(0.0, abs=0.005)
    assert _sum(led, proposal="4% Jan", fiscal_year="2025-26", component="salary") == pytest.approx(3200.00, abs=0.005)


def test_reference_reproduces_worked_example_3():
    rows = [{"unit": "U", "classification": "a", "pay_basis": "hourly", "hourly_rate": 20.0,
             "hours_per_day": 1.0, "days_per_year": 1.0, "retirement": "none"}]
    s = Scenario("s", "2024-25", 2, (
        Raise(percent=0.05, effective=dt.date(2024, 7, 1)),
        Raise(per_hour=1.0, effective=dt.date(2025, 1, 1)),
        Raise(percent=0.05, effective=dt.date(2025, 7, 1)),
    ))
    led = reference_price([s], _district(rows))
    # one paid hour a year, so pay = average rate: 21.50 in 2024-25, 23.10 in 2025-26
    assert 20.0 + _sum(led, fiscal_year="2024-25", scenario="s", component="salary") == pytest.approx(21.50, abs=1e-9)
    assert 20.0 + _sum(led, fiscal_year="2025-26", scenario="s", component="salary") == pytest.approx(23.10, abs=1e-9)


def test_reference_reproduces_worked_example_5():
    sched = {"schedule": ["T", "T"], "column": ["A", "A"], "step": [3, 4], "rate": [60000.0, 62400.0]}
    rows = [{"unit": "U", "classification": "t", "pay_basis": "salary", "retirement": "STRS",
             "schedule": "T", "column": "A", "step": 3}]
    s = Scenario("s", "2025-26", 1, (Raise(name="5%", percent=0.05, effective=dt.date(2025, 7, 1)),))
    led = reference_price([s], _district(rows, base_year="2024-25", schedules=sched))
    assert _sum(led, scenario="status quo", proposal="step and column", component="step_column") == pytest.approx(2400.00, abs=0.005)
    assert _sum(led, proposal="5%", component="salary") == pytest.approx(3120.00, abs=0.005)


def test_reference_reproduces_worked_example_6():
    rows = [
        {"unit": "U", "classification": "pers", "pay_basis": "salary", "annual_salary": 50000.0, "retirement": "PERS"},
        {"unit": "U", "classification": "strs", "pay_basis": "salary", "annual_salary": 50000.0, "retirement": "STRS"},
    ]
    s = Scenario("s", "2024-25", 1, (
        Raise(name="$1,000", per_year=1000.0, effective=dt.date(2024, 7, 1)),
        Bonus(name="$1,000 once", fiscal_year="2024-25", amount=1000.0, classifications=("pers",)),
    ))
    led = reference_price([s], _district(rows))
    stat = {"component": "statutory_benefits"}
    assert _sum(led, proposal="$1,000", classification="pers", **stat) == pytest.approx(362.50, abs=0.005)
    assert _sum(led, proposal="$1,000", classification="strs", **stat) == pytest.approx(221.00, abs=0.005)
    assert _sum(led, proposal="$1,000 once", classification="pers", **stat) == pytest.approx(92.00, abs=0.005)
