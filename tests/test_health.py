"""The health fund (costing.health) and the [[health]] scenario kind, worked by hand.

WORKED-EXAMPLES section 9 and METHODOLOGY sections 4 and 10.6. Importing
costing.proposals.health registers the [[health]] kind.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import costing as ct
from costing.health import PROJECTION_COLUMNS, HealthFund, HealthFundError, freeze_shortfall
from costing.proposals.health import HealthPolicy, health_drawdown, price_without_workforce
from costing.scenario_file import ScenarioFileError, loads_scenario
from tests.conftest import ROUND_RATES, make_district

SCENARIOS = ct.data_dir() / "scenarios"
M = 1e6


# ---------------------------------------------------------------------------- the freeze
def test_freeze_of_1_1_billion_at_6_percent():
    """Shortfall C x ((1 + g)^t - 1), C = $1.1B, g = 6%:
    t=1: 1.1e9 x 0.06       =  66,000,000
    t=2: 1.1e9 x 0.1236     = 135,960,000   (1.06^2 = 1.1236)
    t=3: 1.1e9 x 0.191016   = 210,117,600   (1.06^3 = 1.191016)
    total                     412,077,600   = $412.1M
    """
    fund = HealthFund(policy="freeze", contribution=1.1e9, premium_cost=1.1e9, trend=0.06)
    t = fund.project(3)
    assert list(t.columns) == PROJECTION_COLUMNS
    assert t["shortfall"].tolist() == pytest.approx([66_000_000, 135_960_000, 210_117_600])
    assert [round(x / M, 1) for x in t["shortfall"]] == [66.0, 136.0, 210.1]
    assert round(t["shortfall"].sum() / M, 1) == 412.1
    assert t["contribution"].tolist() == [1.1e9] * 3
    assert t["premium_cost"].tolist() == pytest.approx([1.166e9, 1.23596e9, 1.3101176e9])
    assert freeze_shortfall(1.1e9, 0.06, 3) == pytest.approx(t["shortfall"].to_numpy())
    # METHODOLOGY 4's other trends: 5% -> 55, 113, 173 ($341M); 8% -> 88, 183, 286 ($557M)
    assert np.round(freeze_shortfall(1.1e9, 0.05, 3) / M).tolist() == [55, 113, 173]
    assert round(freeze_shortfall(1.1e9, 0.08, 3).sum() / M) == 557


# ---------------------------------------------------------------------------- each policy
def _policy(policy, **kw):
    """WORKED-EXAMPLES 9: premium $100M in the base year (t=0), trend 7% (in $M)."""
    fund = HealthFund(policy=policy, premium_cost=100.0, trend=0.07, base_year="2024-25", **kw)
    return fund.project(["2024-25", "2025-26", "2026-27"])


def test_current_levels_pays_the_premium():
    t = _policy("current_levels")  # 100, 100 x 1.07 = 107, 107 x 1.07 = 114.49
    assert t["contribution"].tolist() == pytest.approx([100.0, 107.0, 114.49])
    assert t["shortfall"].tolist() == [0.0, 0.0, 0.0]
    assert t["t"].tolist() == [0, 1, 2]


def test_freeze_holds_the_base_year_contribution():
    t = _policy("freeze")  # 100 every year; shortfall 0, 107 - 100 = 7, 114.49 - 100 = 14.49
    assert t["contribution"].tolist() == [100.0, 100.0, 100.0]
    assert t["shortfall"].tolist() == pytest.approx([0.0, 7.0, 14.49])
    assert t["reserve_draw"].tolist() == pytest.approx([0.0, 7.0, 14.49])  # the reserve pays


def test_cap_per_enrollee_grows_at_its_own_rate():
    t = _policy("cap", cap_growth=0.03)  # 100, 103, 106.09; shortfall 0, 4, 114.49 - 106.09 = 8.40
    assert t["contribution"].tolist() == pytest.approx([100.0, 103.0, 106.09])
    assert t["shortfall"].tolist() == pytest.approx([0.0, 4.0, 8.40])


def test_share_leaves_employees_the_rest_of_the_premium():
    t = _policy("share", share=0.9)  # 90% of 100, 107, 114.49 = 90, 96.3, 103.041
    assert t["contribution"].tolist() == pytest.approx([90.0, 96.3, 103.041])
    assert t["employee_cost"].tolist() == pytest.approx([10.0, 10.7, 11.449])
    assert t["shortfall"].tolist() == pytest.approx([10.0, 10.7, 11.449])
    assert t["reserve_draw"].tolist() == [0.0, 0.0, 0.0]  # employees pay it, not the reserve


def test_compare_runs_every_policy_at_once():
    # shortfalls over 2025-26 and 2026-27: freeze 7 + 14.49; cap 4 + 8.40; share 10.7 + 11.449
    fund = HealthFund(policy="freeze", premium_cost=100.0, trend=0.07, base_year="2024-25", cap_growth=0.03, share=0.9)
    both = fund.compare(["current_levels", "freeze", "cap", "share"], ["2025-26", "2026-27"])
    assert both.groupby("policy", sort=False)["shortfall"].sum().round(3).to_dict() == {
        "current_levels": 0.0, "freeze": 21.49, "cap": 12.4, "share": 22.149}
    assert both.attrs["floor_year"] == {"current_levels": None, "freeze": "2025-26", "cap": "2025-26", "share": None}


# ---------------------------------------------------------------------------- the floor
def test_the_floor_year_is_reported_not_clipped():
    """$300M reserve, $100M floor, $1.1B frozen at 6% (METHODOLOGY 4):
    2018-19: 300 - 66 = 234.0 (above the floor)
    2019-20: 234 - 135.96 = 98.04 < 100 -> the floor year
    2020-21: 98.04 - 210.1176 = -112.0776 (kept, not clipped at the floor or at zero)
    """
    fund = HealthFund(policy="freeze", premium_cost=1.1e9, trend=0.06, reserve=300e6, floor=100e6,
                      base_year="2017-18")
    t = fund.project(3)
    assert t["fiscal_year"].tolist() == ["2018-19", "2019-20", "2020-21"]
    assert t["reserve_start"].tolist() == pytest.approx([300e6, 234e6, 98.04e6])
    assert t["reserve_end"].tolist() == pytest.approx([234e6, 98.04e6, -112.0776e6])
    assert t["below_floor"].tolist() == [False, True, True]
    assert t.attrs["floor_year"] == "2019-20" == fund.floor_year(3)
    assert t["refill"].tolist() == [0.0, 0.0, 0.0]


def test_refill_tops_the_reserve_up_to_its_floor():
    # 98.04 -> +1.96 to 100; then 100 - 210.1176 = -110.1176 -> +210.1176 to 100
    fund = HealthFund(policy="freeze", premium_cost=1.1e9, trend=0.06, reserve=300e6, floor=100e6, refill=True)
    t = fund.project(3)
    assert t["refill"].tolist() == pytest.approx([0.0, 1.96e6, 210.1176e6])
    assert t["reserve_end"].tolist() == pytest.approx([234e6, 100e6, 100e6])
    assert t["below_floor"].tolist() == [False, True, True]


def test_a_reserve_landing_on_its_floor_has_not_gone_below_it():
    # 100 - 7 = 93 exactly the floor in year 1; 93 - 14.49 below it in year 2
    fund = HealthFund(policy="freeze", premium_cost=100.0, trend=0.07, reserve=100.0, floor=93.0)
    t = fund.project(2)
    assert t["below_floor"].tolist() == [False, True]
    assert fund.replace(floor=0.0).floor_year(2) is None


def test_interest_and_savings_feed_the_reserve():
    # R_end = R_start x 1.02 - draw + 5:  100 x 1.02 - 7 + 5 = 100;  100 x 1.02 - 14.49 + 5 = 92.51
    fund = HealthFund(policy="freeze", premium_cost=100.0, trend=0.07, reserve=100.0, interest=0.02, savings=5.0)
    t = fund.project(2)
    assert t["interest"].tolist() == pytest.approx([2.0, 2.0])
    assert t["reserve_end"].tolist() == pytest.approx([100.0, 92.51])


# ---------------------------------------------------------------------------- calendar plans
def test_a_calendar_plan_splits_each_calendar_year_half_and_half():
    """Base CY 2017 ($1.1B, frozen), 6%: calendar shortfalls 0 (2017), 66 (2018),
    135.96 (2019), 210.1176 (2020). Fiscal 2017-18 = (0 + 66) / 2 = 33.0;
    2018-19 = (66 + 135.96) / 2 = 100.98; 2019-20 = (135.96 + 210.1176) / 2 = 173.0388.
    Reserve 300: 267.0, 166.02, -7.0188 -> below the $100M floor in 2019-20."""
    fund = HealthFund(policy="freeze", premium_cost=1.1e9, trend=0.06, reserve=300e6, floor=100e6,
                      plan_year="calendar", base_year=2017)
    t = fund.project(3)
    assert t["fiscal_year"].tolist() == ["2017-18", "2018-19", "2019-20"]
    assert t["shortfall"].tolist() == pytest.approx([33.0e6, 100.98e6, 173.0388e6])
    assert t["premium_cost"].tolist() == pytest.approx([1.133e9, 1.20098e9, 1.2730388e9])
    assert t["reserve_end"].tolist() == pytest.approx([267e6, 166.02e6, -7.0188e6])
    assert t.attrs["floor_year"] == "2019-20"


def test_calendar_trend_by_year_is_keyed_by_calendar_year():
    # CY 2018 +10%, CY 2019 +0%: calendar premium 100, 110, 110 -> fiscal 105, 110
    fund = HealthFund(premium_cost=100.0, trend={2018: 0.10, "2019": 0.0}, plan_year="calendar", base_year="2017")
    assert fund.project(2)["premium_cost"].tolist() == pytest.approx([105.0, 110.0])


# ---------------------------------------------------------------------------- the detailed form
TIERS = pd.DataFrame([
    {"group": "active", "tier": "employee", "enrollees": 100, "premium": 6_000, "cap": 6_000},
    {"group": "active", "tier": "family", "enrollees": 50, "premium": 15_000, "cap": 14_000},
    {"group": "retiree", "tier": "employee", "enrollees": 40, "premium": 8_000},
])


def test_tiers_with_a_trend_per_group_and_a_cap_per_enrollee():
    """Base year: 100 x 6,000 + 50 x 15,000 + 40 x 8,000 = 1,670,000.
    Year 1 (actives +5%, retirees +10%): 100 x 6,300 + 50 x 15,750 + 40 x 8,800 = 1,769,500.
    Caps grow 2%: district pays min(premium, cap) per enrollee:
      year 0: 100 x 6,000 + 50 x 14,000 + 40 x 8,000 (cap = premium) = 1,620,000 (shortfall 50,000)
      year 1: 100 x 6,120 + 50 x 14,280 + 40 x 8,160 = 1,652,400 (shortfall 117,100)."""
    fund = HealthFund(policy="cap", tiers=TIERS, trend={"active": 0.05, "retiree": 0.10}, cap_growth=0.02,
                      base_year="2024-25")
    t = fund.project(["2024-25", "2025-26"])
    assert t["premium_cost"].tolist() == pytest.approx([1_670_000, 1_769_500])
    assert t["contribution"].tolist() == pytest.approx([1_620_000, 1_652_400])
    assert t["shortfall"].tolist() == pytest.approx([50_000, 117_100])


def test_tiers_with_a_trend_by_year_and_enrollee_decline():
    # premium x 1.05 then x 1.08; enrollees x 0.9 a year: 1,670,000 x 1.05 x 0.9 = 1,578,150
    fund = HealthFund(tiers=TIERS, trend={"2025-26": 0.05, "2026-27": 0.08}, enrollee_growth=-0.1,
                      base_year="2024-25")
    t = fund.project(2)
    assert t["premium_cost"].tolist() == pytest.approx([1_578_150, 1_578_150 * 1.08 * 0.9])


# ---------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"trend": -1.5}, "below -100%"),
    ({"trend": {"2025-26": 0.05, "2026-27": -2.0}}, "below -100%"),
    ({"trend": {"2025-26": 0.05}}, r"no value for 2026-27 \(missing years"),
    ({"trend": [0.05]}, "gives 1 year"),
    ({"reserve": 50.0, "floor": 100.0}, "floor .* is above the reserve"),
    ({"policy": "share"}, "needs share"),
    ({"policy": "cap", "share": 1.5}, "share must be a fraction"),
    ({"policy": "raise"}, "policy must be one of"),
    ({"premium_cost": -1.0}, "premium_cost must be"),
    ({"reserve": float("nan")}, "reserve must be"),
    ({"plan_year": "calendar", "base_year": None}, "needs base_year"),
    ({"tiers": TIERS}, "not both"),
])
def test_bad_inputs_are_clear_errors(kwargs, message):
    args = {"policy": "freeze", "premium_cost": 100.0, "trend": 0.05, "base_year": "2024-25", **kwargs}
    with pytest.raises(HealthFundError, match=message):
        HealthFund(**args).project(2)


def test_years_must_be_consecutive_and_not_before_the_base():
    fund = HealthFund(premium_cost=100.0, trend=0.05, base_year="2024-25")
    with pytest.raises(HealthFundError, match="missing 2026-27"):
        fund.project(["2025-26", "2027-28"])
    with pytest.raises(HealthFundError, match="before the base year"):
        fund.project(["2023-24"])
    with pytest.raises(HealthFundError, match="tier must be one of"):
        HealthFund(tiers=[{"group": "active", "tier": "couple", "enrollees": 1, "premium": 1}], trend=0.0)


# ---------------------------------------------------------------------------- against a plain loop
def reference(premium0, trends, policy, contribution, cap_growth, share, reserve, floor, interest, refill):
    """A year-by-year loop written from the METHODOLOGY 4 formulas (fiscal plan, t = 1..n)."""
    rows = []
    p, cap, r = premium0, (contribution if contribution is not None else premium0), reserve
    frozen = contribution if contribution is not None else premium0
    for g in trends:
        p = p * (1 + g)
        cap = cap * (1 + cap_growth)
        c = {"current_levels": p, "freeze": frozen, "cap": min(p, cap), "share": (share or 0) * p}[policy]
        gap = max(0.0, p - c)
        surplus = max(0.0, c - p)
        draw = (0.0 if policy == "share" else gap) - surplus
        start = r
        r = r * (1 + interest) - draw
        below = r < floor - 1e-9 * max(1.0, floor)
        top = max(0.0, floor - r) if refill else 0.0
        r += top
        rows.append((p, c, gap, start, draw, r, below, top))
    return rows


@settings(max_examples=60, deadline=None)
@given(
    premium0=st.floats(1e3, 1e10),
    trends=st.lists(st.floats(-0.5, 0.4), min_size=1, max_size=12),
    policy=st.sampled_from(["current_levels", "freeze", "cap", "share"]),
    frozen=st.one_of(st.none(), st.floats(0, 1e10)),
    cap_growth=st.floats(-0.1, 0.2),
    share=st.floats(0, 1),
    reserve=st.floats(0, 1e10),
    floor_frac=st.floats(0, 1),
    interest=st.floats(0, 0.1),
    refill=st.booleans(),
)
def test_projection_matches_a_plain_loop(premium0, trends, policy, frozen, cap_growth, share, reserve, floor_frac,
                                         interest, refill):
    floor = reserve * floor_frac
    fund = HealthFund(policy=policy, premium_cost=premium0, contribution=frozen, trend=trends, cap_growth=cap_growth,
                      share=share if policy == "share" else None, reserve=reserve, floor=floor, interest=interest,
                      refill=refill)
    t = fund.project(len(trends))
    ref = reference(premium0, trends, policy, frozen, cap_growth, share if policy == "share" else None, reserve,
                    floor, interest, refill)
    scale = max(premium0, reserve, frozen or 0.0, 1.0) * 10
    for col, k in (("premium_cost", 0), ("contribution", 1), ("shortfall", 2), ("reserve_start", 3),
                   ("reserve_draw", 4), ("reserve_end", 5), ("refill", 7)):
        assert t[col].to_numpy() == pytest.approx([row[k] for row in ref], rel=1e-9, abs=1e-9 * scale)
    close = [abs(row[5] - row[7] - floor) < 1e-6 * scale for row in ref]  # too close to call
    assert [b for b, c in zip(t["below_floor"], close, strict=True) if not c] == [
        row[6] for row, c in zip(ref, close, strict=True) if not c]


# ---------------------------------------------------------------------------- the [[health]] kind
ROW = [{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 80_000,
        "retirement": "STRS"}]


def test_the_health_cost_enters_the_ledger_as_health_welfare(round_rates):
    """current_levels, $100 at 7% from base 2024-25: the district pays 107 - 100 = 7 more in
    2025-26 and 114.49 - 100 = 14.49 in 2026-27; a freeze costs it nothing (the reserve pays)."""
    d = make_district(ROW, round_rates)
    s = ct.Scenario("s", "2025-26", 2, (HealthPolicy(name="full", policy="current_levels", premium_cost=100.0,
                                                     trend=0.07),
                                        HealthPolicy(name="frozen", policy="freeze", premium_cost=100.0, trend=0.07,
                                                     reserve=20.0, floor=0.0, unit="UTLA")))
    res = ct.price(s, d)
    led = res.ledger.set_index(["proposal", "fiscal_year"])
    assert led.loc["full", "amount"].tolist() == pytest.approx([7.0, 14.49])
    assert led.loc["frozen", "amount"].tolist() == [0.0, 0.0]
    assert set(res.ledger.loc[res.ledger["scenario"] == "s", "component"]) == {"health_welfare"}
    assert set(res.ledger.loc[res.ledger["scenario"] == "s", "kind"]) == {"ongoing"}
    assert led.loc["full", "unit"].iloc[0] == "All units"
    assert res.by_year().loc["s", "2026-27"] == pytest.approx(14.49)
    detail = res.details[("s", "frozen")]
    assert detail["reserve_end"].tolist() == pytest.approx([13.0, -1.49])  # 20 - 7, 13 - 14.49
    drawdown = health_drawdown(res)
    assert drawdown["proposal"].unique().tolist() == ["full", "frozen"]


def test_refill_is_a_district_cost(round_rates):
    # freeze, reserve 10, floor 5: 10 - 7 = 3 -> refill 2; then 5 - 14.49 -> refill 14.49
    d = make_district(ROW, round_rates)
    p = HealthPolicy(name="f", policy="freeze", premium_cost=100.0, trend=0.07, reserve=10.0, floor=5.0, refill=True)
    led = ct.price(ct.Scenario("s", "2025-26", 2, (p,)), d).ledger
    assert led.loc[led["proposal"] == "f", "amount"].tolist() == pytest.approx([2.0, 14.49])


def test_premium_from_the_districts_dated_rates():
    # 1,000 enrollees x $12,000 (2024-25), $12,600 (2025-26), $13,230 (2026-27): +5% a year;
    # the district's extra cost: 600,000 and 1,230,000
    rates = ct.Rates.from_values({**ROUND_RATES, "health_premium": {"2024-25": 12_000, "2025-26": 12_600,
                                                                     "2026-27": 13_230}})
    d = make_district(ROW, rates)
    p = HealthPolicy(name="h", policy="current_levels", enrollees=1000)
    led = ct.price(ct.Scenario("s", "2025-26", 2, (p,)), d).ledger
    assert led.loc[led["proposal"] == "h", "amount"].tolist() == pytest.approx([600_000, 1_230_000])


def test_a_health_proposal_that_cannot_be_priced_is_refused(round_rates):
    d = make_district(ROW, round_rates)
    p = HealthPolicy(name="h", policy="freeze", premium_cost=100.0, trend={"2025-26": 0.05}, base_year="2024-25")
    with pytest.raises(ct.PricingError, match="health 'h': trend has no value for 2026-27"):
        ct.price(ct.Scenario("s", "2025-26", 2, (p,)), d)


def test_health_tables_read_and_round_trip():
    text = """name = "s"\nstart = "2025-26"\nyears = 2\nparty = "union"
[[health]]
name = "tiers"
policy = "cap"
cap_growth = 2.5
trend = { active = 6.0, retiree = { "2025-26" = 9.0, "2026-27" = 10.5 } }
tiers = [{ group = "active", tier = "employee", enrollees = 10, premium = 6000.0, cap = 5500.0 },
         { group = "retiree", tier = "family", enrollees = 2, premium = 20000 }]
reserve = 1000.0
floor = 100
"""
    s = loads_scenario(text)
    (p,) = s.proposals
    assert p.cap_growth == 0.025 and p.trend == (("active", 0.06), ("retiree", (("2025-26", 0.09), ("2026-27", 0.105))))
    assert loads_scenario(s.to_toml()) == s
    assert p.fund(None, s.fiscal_years).project(s.fiscal_years)["premium_cost"].tolist() == pytest.approx(
        [10 * 6000 * 1.06 + 2 * 20000 * 1.09, 10 * 6000 * 1.06 ** 2 + 2 * 20000 * 1.09 * 1.105])


@pytest.mark.parametrize(("table", "message"), [
    ('policy = "freeze"\npremium_cost = 1.0\ntrend = "high"', "key 'trend': expected a number"),
    ('policy = "freeze"\npremium_cost = 1.0\ntrend = -150.0', "below -100%"),
    ('premium_cost = 1.0\ntrend = 5.0', "missing required key 'policy'"),
    ('policy = "freeze"\npremium_cost = 1.0\ntrend = 5\nreserve = 1.0\nfloor = 2.0', "above the reserve"),
    ('policy = "freeze"\npremium = 1.0\ntrend = 5', "unknown key 'premium'"),
    ('policy = "freeze"\npremium_cost = 1.0', "give trend"),
])
def test_bad_health_tables_name_the_table_and_key(table, message):
    with pytest.raises(ScenarioFileError, match=r"\[\[health\]\] #1: .*" + message):
        loads_scenario(f'name = "s"\nstart = "2025-26"\nyears = 1\n[[health]]\n{table}\n')


# ---------------------------------------------------------------------------- the 2017 round
def test_the_2017_health_round_prices_without_a_workforce():
    """Both bundled 2017 files: $1.1B in CY 2017, 6%, calendar plan, fiscal 2017-18 to 2020-21.
    Current levels: the district pays the premium growth, (0 + 66) / 2 = 33.0M, (66 + 135.96) / 2
    = 100.98M, (135.96 + 210.1176) / 2 = 173.0388M, (210.1176 + 288.724656) / 2 = 249.421128M.
    Freeze: nothing more from the district; the same amounts leave a $300M reserve:
    267.0, 166.02, -7.0188 (below the $100M floor in 2019-20), -256.439928."""
    freeze = ct.Scenario.from_toml(SCENARIOS / "lausd-2017-health-freeze.toml")
    current = ct.Scenario.from_toml(SCENARIOS / "utla-2017-health-current-levels.toml")
    res = price_without_workforce([freeze, current])
    assert res.base_year == "2016-17" and res.fiscal_years == ("2017-18", "2018-19", "2019-20", "2020-21")
    by_year = res.by_year()
    assert by_year.loc[current.name].tolist() == pytest.approx([33.0e6, 100.98e6, 173.0388e6, 249.421128e6])
    assert by_year.loc[freeze.name].tolist() == [0.0, 0.0, 0.0, 0.0]
    path = health_drawdown(res).set_index("scenario").loc[freeze.name]
    assert path["reserve_end"].tolist() == pytest.approx([267e6, 166.02e6, -7.0188e6, -256.439928e6])
    assert path.loc[path["below_floor"], "fiscal_year"].iloc[0] == "2019-20"
    # the freeze leaves to the reserve exactly what current levels would cost the district
    assert path["reserve_draw"].sum() == pytest.approx(by_year.loc[current.name].sum())
    # 33.0 + 100.98 + 173.0388 + 249.421128 = 556.439928 ($M) over the four fiscal years
    assert res.compare(freeze.name, current.name).loc["total", "difference"] == pytest.approx(556.439928e6)


def test_price_without_workforce_refuses_pay_proposals():
    s = ct.Scenario("pay", "2017-18", 1, (ct.Raise(percent=0.01, effective="2017-07-01"),))
    with pytest.raises(ct.PricingError, match="needs a workforce"):
        price_without_workforce(s)
