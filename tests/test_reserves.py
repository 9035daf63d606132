"""District reserves (costing.reserves): the minimum reserve, a projection worked by hand,
the forecasting record, and LAUSD end to end. METHODOLOGY section 7, WORKED-EXAMPLES 10."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import costing as ct
from costing.proposals.health import HealthPolicy
from costing.reserves import (
    BASELINE_NAME,
    PROJECTION_COLUMNS,
    Baseline,
    ReservesError,
    _bundled_assumptions,
    forecast_errors,
    lausd_baseline,
    minimum_reserve,
    minimum_reserve_rate,
    project,
)
from tests.conftest import make_district

SCENARIOS = ct.data_dir() / "scenarios"


# ============================================================================ minimum reserve
@pytest.mark.parametrize(("ada", "rate"), [
    (0, 0.05), (300, 0.05),                     # 5% up to 300 ADA ...
    (300.01, 0.04), (301, 0.04), (1_000, 0.04),  # ... 4% from just above 300 to 1,000
    (1_000.5, 0.03), (1_001, 0.03), (30_000, 0.03),
    (30_000.5, 0.02), (30_001, 0.02), (400_000, 0.02),
    (400_000.5, 0.01), (400_001, 0.01), (2_000_000, 0.01),
])
def test_minimum_reserve_bands_on_both_sides_of_each_edge(ada, rate):
    """ADA is compared unrounded: a band runs from just above the previous maximum to its
    own maximum inclusive (30,000 -> 3%, 30,000.5 -> 2%: WORKED-EXAMPLES 10)."""
    assert minimum_reserve_rate(ada) == rate


def test_the_band_follows_ada_not_enrollment():
    # LAUSD 2023-24: ADA 380,925.11 -> 2%; its TK-12 enrollment (422,276) would wrongly give 1%
    assert minimum_reserve_rate(380_925.11) == 0.02
    assert minimum_reserve_rate(422_276) == 0.01
    ada = np.array([250.0, 300.5, 29_999.9, 30_000.5, 400_000.5])
    assert minimum_reserve_rate(ada).tolist() == [minimum_reserve_rate(a) for a in ada]
    with pytest.raises(ReservesError, match="ADA must be a number"):
        minimum_reserve_rate(-1)
    with pytest.raises(ReservesError, match="ADA must be a number"):
        minimum_reserve_rate(float("nan"))


def test_minimum_reserve_dollars_and_the_small_bands_floor():
    # 250 ADA, $800,000: 5% = 40,000 < 55,000 floor -> 55,000; $2M: 5% = 100,000
    assert minimum_reserve(250, 800_000) == 55_000
    assert minimum_reserve(250, 2_000_000) == 100_000
    assert minimum_reserve(900, 1_000_000) == 55_000  # 4% = 40,000 < 55,000
    assert minimum_reserve(5_000, 1_000_000) == 30_000  # 3%, no dollar floor
    # the floor is a dated parameter: raised to $60,000 from 2026-27 (made-up)
    later = _bundled_assumptions().override(ct.Rates.from_values(
        {"reu_band_1_min_dollars": {"2013-14": 55_000, "2026-27": 60_000}}))
    assert minimum_reserve(250, 800_000, "2025-26", later) == 55_000
    assert minimum_reserve(250, 800_000, "2026-27", later) == 60_000


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=30))
def test_rate_matches_a_plain_if_chain(adas):
    def by_hand(a):
        if a <= 300:
            return 0.05
        if a <= 1_000:
            return 0.04
        if a <= 30_000:
            return 0.03
        if a <= 400_000:
            return 0.02
        return 0.01

    assert minimum_reserve_rate(adas).tolist() == [by_hand(a) for a in adas]


# ============================================================================ a projection by hand
def small_baseline(**changes):
    args = dict(
        base_year="2025-26",
        lines=[
            {"side": "revenue", "line": "LCFF", "fund": "unrestricted", "growth": "lcff", "amount": 1_000_000},
            {"side": "revenue", "line": "grants", "fund": "restricted", "growth": "none", "amount": 200_000},
            {"side": "expenditure", "line": "ongoing", "fund": "unrestricted", "growth": "expenditure",
             "amount": 950_000},
            {"side": "expenditure", "line": "grants", "fund": "restricted", "growth": "none", "amount": 200_000},
            {"side": "expenditure", "line": "one-time", "fund": "unrestricted", "kind": "one_time",
             "fiscal_year": "2025-26", "amount": 30_000},
        ],
        balance={"nonspendable": 5_000, "restricted": 100_000, "committed": 40_000, "assigned": 20_000,
                 "reu": 25_000, "unassigned": 60_000},
        ada={"2022-23": 10_600, "2023-24": 10_300, "2024-25": 10_200,
             "2025-26": 10_000, "2026-27": 9_800, "2027-28": 9_800},
        expenditure_growth={"2026-27": 0.04, "2027-28": 0.03},
        unrestricted_share={"UTLA": 0.8, "*": 1.0},
    )
    args.update(changes)
    return Baseline(**args)


ASSUMPTIONS = _bundled_assumptions().override(ct.Rates.from_values(
    {"lcff_cola_funded": {"2025-26": 0.0293, "2026-27": 0.03, "2027-28": 0.02}}))

#: one scenario for UTLA: 20,000 (2025-26); 41,000 ongoing + 5,000 one-time (2026-27); ends 2026-27
LEDGER = pd.DataFrame({
    "scenario": ["offer"] * 3, "proposal": ["raise", "raise", "bonus"],
    "fiscal_year": ["2025-26", "2026-27", "2026-27"], "unit": "UTLA", "classification": "Teacher",
    "component": ["salary", "salary", "other_compensation"], "kind": ["ongoing", "ongoing", "one_time"],
    "amount": [20_000.0, 41_000.0, 5_000.0], "fte": 0.0,
})


def test_three_year_projection_with_one_scenario_by_hand():
    """Revenue (LCFF line) grows with COLA x ADA change: 2026-27 x 1.03 x 9,800/10,000 = 1.0094;
    2027-28 x 1.02 x 1 -> 1,000,000; 1,009,400; 1,029,588. Unrestricted ongoing spending grows
    4% then 3%: 950,000; 988,000; 1,017,640; one-time 30,000 in 2025-26 only.

    Baseline unrestricted net: 20,000; 21,400; 11,948 -> unrestricted balance 145,000 + ... =
    165,000; 186,400; 198,348. Restricted lines balance (net 0).

    Scenario cost 20,000; 46,000 (41,000 + 5,000 one-time); 41,000 (the ongoing 41,000 carried
    into 2027-28, the one-time not). UTLA 80% unrestricted: 16,000; 36,800; 32,800 (restricted
    4,000; 9,200; 8,200). Scenario unrestricted net: 4,000; -15,400; -20,852 -> 149,000;
    133,600; 112,748. Restricted: 96,000; 86,800; 78,600. Ending: 5,000 + restricted +
    unrestricted = 250,000; 225,400; 196,348 (net change 0; -24,600; -29,052).
    Minimum reserve 3% (10,000 ADA): of 1,200,000; 1,234,000; 1,258,640 = 36,000; 37,020;
    37,759.2; margin 113,000; 96,580; 74,988.8.
    """
    r = project(costing=LEDGER, baseline=small_baseline(), assumptions=ASSUMPTIONS)
    assert list(r.table.columns) == PROJECTION_COLUMNS
    assert r.fiscal_years == ("2025-26", "2026-27", "2027-28")
    base = r.scenario(BASELINE_NAME)
    assert base["revenues"].tolist() == pytest.approx([1_200_000, 1_209_400, 1_229_588])
    assert base["expenditures"].tolist() == pytest.approx([1_180_000, 1_188_000, 1_217_640])
    assert base["unrestricted_balance"].tolist() == pytest.approx([165_000, 186_400, 198_348])
    assert base["ending_balance"].tolist() == pytest.approx([270_000, 291_400, 303_348])
    assert base["minimum_reserve"].tolist() == pytest.approx([35_400, 35_640, 36_529.2])
    s = r.scenario("offer")
    assert s["scenario_costs"].tolist() == pytest.approx([20_000, 46_000, 41_000])
    assert s["scenario_costs_unrestricted"].tolist() == pytest.approx([16_000, 36_800, 32_800])
    assert s["net_change"].tolist() == pytest.approx([0, -24_600, -29_052])
    assert s["beginning_balance"].tolist() == pytest.approx([250_000, 250_000, 225_400])
    assert s["ending_balance"].tolist() == pytest.approx([250_000, 225_400, 196_348])
    assert s["restricted_balance"].tolist() == pytest.approx([96_000, 86_800, 78_600])
    assert s["unrestricted_balance"].tolist() == pytest.approx([149_000, 133_600, 112_748])
    assert s["minimum_reserve_rate"].tolist() == [0.03, 0.03, 0.03]
    assert s["minimum_reserve"].tolist() == pytest.approx([36_000, 37_020, 37_759.2])
    assert s["margin_above_minimum"].tolist() == pytest.approx([113_000, 96_580, 74_988.8])
    path = r.path()
    assert list(path.columns) == [BASELINE_NAME, "offer", "minimum_reserve"]


def test_affordability_measures_by_hand():
    """Against the baseline's unrestricted balance at the start of each year (145,000; 165,000;
    186,400): cost share 20,000/145,000 = 0.137931, 46,000/165,000 = 0.278788, 41,000/186,400 =
    0.219957; years the reserves could fund 7.25, 3.586957, 4.546341; share of the budget
    20,000/1,180,000, 46,000/1,188,000, 41,000/1,217,640; cumulative 20,000, 66,000, 107,000
    over the opening 145,000 = 0.137931, 0.455172, 0.737931."""
    a = project(costing=LEDGER, baseline=small_baseline(), assumptions=ASSUMPTIONS).affordability
    assert a["reserves_at_start"].tolist() == pytest.approx([145_000, 165_000, 186_400])
    assert a["cost_share_of_reserves"].tolist() == pytest.approx([0.137931, 0.278788, 0.219957], abs=1e-6)
    assert a["years_reserves_could_fund"].tolist() == pytest.approx([7.25, 3.586957, 4.546341], abs=1e-6)
    assert a["cost_share_of_budget"].tolist() == pytest.approx([20_000 / 1_180_000, 46_000 / 1_188_000,
                                                                41_000 / 1_217_640])
    assert a["cumulative_share_of_reserves"].tolist() == pytest.approx([0.137931, 0.455172, 0.737931], abs=1e-6)


def test_options_designations_step_and_carry_forward():
    # holding committed + assigned (60,000): available = unrestricted - 60,000
    held = project(costing=LEDGER, baseline=small_baseline(), assumptions=ASSUMPTIONS, hold_designations=True)
    assert held.scenario("offer")["available_reserves"].tolist() == pytest.approx([89_000, 73_600, 52_748])
    # without carry-forward the ongoing cost stops with the ledger (2027-28: 0)
    nocarry = project(costing=LEDGER, baseline=small_baseline(), assumptions=ASSUMPTIONS, carry_forward=False)
    assert nocarry.scenario("offer")["scenario_costs"].tolist() == pytest.approx([20_000, 46_000, 0])
    # one share for every unit
    all_in = project(costing=LEDGER, baseline=small_baseline(), assumptions=ASSUMPTIONS, unrestricted_share=1.0)
    assert all_in.scenario("offer")["scenario_costs_unrestricted"].tolist() == pytest.approx([20_000, 46_000, 41_000])


def test_funded_ada_with_declining_enrollment_protection():
    """Funded ADA = max(current, prior, average of the three prior years):
    2025-26 max(10,000, 10,200, 10,366.67) = 10,366.67; 2026-27 max(9,800, 10,000, 10,166.67)
    = 10,166.67; 2027-28 max(9,800, 9,800, 10,000) = 10,000. LCFF line: 1,000,000;
    x 1.03 x 30,500/31,100 = 1,010,128.617; x 1.02 x 30,000/30,500 = 1,013,440.514."""
    r = project(baseline=small_baseline(), assumptions=ASSUMPTIONS, ada_rule="declining_enrollment_protection")
    b = r.scenario(BASELINE_NAME)
    assert b["funded_ada"].tolist() == pytest.approx([31_100 / 3, 30_500 / 3, 10_000])
    assert (b["revenues"] - 200_000).tolist() == pytest.approx([1_000_000, 1_010_128.617, 1_013_440.514], abs=1e-3)


def test_a_priced_costing_feeds_the_projection(round_rates):
    # a health policy priced by the engine: $100,000 plan at 10% from 2024-25: +10,000, +21,000
    d = make_district([{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary",
                        "annual_salary": 80_000, "retirement": "STRS"}], round_rates)
    s = ct.Scenario("health", "2025-26", 2, (HealthPolicy(policy="current_levels", premium_cost=100_000.0,
                                                           trend=0.10),))
    r = project(costing=ct.price(s, d), baseline=small_baseline(), assumptions=ASSUMPTIONS)
    row = r.scenario("health")
    # 2027-28 carries the 2026-27 ongoing 21,000; unit "All units" takes the '*' share (100%)
    assert row["scenario_costs"].tolist() == pytest.approx([10_000, 21_000, 21_000])
    assert row["scenario_costs_unrestricted"].tolist() == pytest.approx([10_000, 21_000, 21_000])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"years": 4}, r"ADA has no value for 2028-29 \(missing years"),
    ({"expenditure_growth": {"2026-27": 0.04}}, "expenditure_growth has no value for 2027-28"),
    ({"unrestricted_share": {"CTA": 1.0}}, "no value for unit"),
    ({"ada_rule": "enrollment"}, "ada_rule must be one of"),
    ({"scenarios": ["nothing"]}, "no priced scenario named 'nothing'"),
])
def test_bad_projection_inputs_are_clear_errors(kwargs, message):
    with pytest.raises(ReservesError, match=message):
        project(costing=LEDGER, baseline=small_baseline(), assumptions=ASSUMPTIONS, **kwargs)


def test_bad_baselines_are_clear_errors():
    with pytest.raises(ReservesError, match="fund must be unrestricted or restricted"):
        small_baseline(lines=[{"side": "revenue", "fund": "capital", "amount": 1.0}])
    with pytest.raises(ReservesError, match="unknown balance component"):
        small_baseline(balance={"rainy_day": 1.0})
    with pytest.raises(ReservesError, match="an ongoing line is given for the base year"):
        small_baseline(lines=[{"side": "revenue", "fiscal_year": "2026-27", "amount": 1.0}])
    with pytest.raises(ReservesError, match="no bundled budget baseline"):
        project(ct.load_example())


@settings(max_examples=40, deadline=None)
@given(
    rev=st.floats(1e5, 1e9), exp=st.floats(1e5, 1e9), one_time=st.floats(0, 1e8, allow_subnormal=False),
    colas=st.lists(st.floats(-0.05, 0.1), min_size=2, max_size=2),
    growth=st.lists(st.floats(-0.05, 0.1), min_size=2, max_size=2),
    ada=st.lists(st.floats(100, 500_000), min_size=3, max_size=3),
    cost=st.lists(st.floats(0, 1e8, allow_subnormal=False), min_size=3, max_size=3),
    share=st.floats(0, 1, allow_subnormal=False),
    opening=st.floats(0, 1e9, allow_subnormal=False),
)
def test_projection_matches_a_plain_loop(rev, exp, one_time, colas, growth, ada, cost, share, opening):
    base = Baseline(
        base_year="2025-26",
        lines=[{"side": "revenue", "fund": "unrestricted", "growth": "lcff", "amount": rev},
               {"side": "expenditure", "fund": "unrestricted", "growth": "expenditure", "amount": exp},
               {"side": "expenditure", "fund": "unrestricted", "kind": "one_time", "fiscal_year": "2026-27",
                "amount": one_time}],
        balance={"unassigned": opening},
        ada=dict(zip(["2025-26", "2026-27", "2027-28"], ada, strict=True)),
        expenditure_growth=dict(zip(["2026-27", "2027-28"], growth, strict=True)),
        unrestricted_share={"*": share},
    )
    assumptions = _bundled_assumptions().override(ct.Rates.from_values(
        {"lcff_cola_funded": dict(zip(["2026-27", "2027-28"], colas, strict=True))}))
    ledger = LEDGER.iloc[:0].reindex(range(3)).assign(
        scenario="s", fiscal_year=["2025-26", "2026-27", "2027-28"], unit="U", kind="ongoing", amount=cost)
    r = project(costing=ledger, baseline=base, assumptions=assumptions).scenario("s")
    # the loop
    unres, r_rev, r_exp = opening, rev, exp
    for t in range(3):
        if t:
            r_rev *= (1 + colas[t - 1]) * ada[t] / ada[t - 1]
            r_exp *= 1 + growth[t - 1]
        spend = r_exp + (one_time if t == 1 else 0.0)
        unres += r_rev - spend - share * cost[t]
        total_exp = spend + cost[t]
        assert r["unrestricted_balance"][t] == pytest.approx(unres, rel=1e-9, abs=1e-3)
        assert r["minimum_reserve"][t] == pytest.approx(max(minimum_reserve_rate(ada[t]) * total_exp,
                                                            minimum_reserve(ada[t], 0.0)), rel=1e-9)
        assert r["restricted_balance"][t] == pytest.approx(-(1 - share) * sum(cost[: t + 1]), rel=1e-9, abs=1e-3)


# ============================================================================ forecasting record
HISTORY = pd.DataFrame([
    # made_in, fiscal_year, measure, projected, actual
    ("2015-16", "2017-18", "balance", 105, 1863),    # h=2, error +1,758
    ("2016-17", "2017-18", "balance", 900, 1863),    # h=1, +963
    ("2017-18", "2017-18", "balance", 1700, 1863),   # h=0, +163
    ("2016-17", "2018-19", "balance", 300, 1500),    # h=2, +1,200
    ("2018-19", "2018-19", "balance", 1600, 1500),   # h=0, -100
    ("2016-17", "2016-17", "net_change", -200, 50),  # deficit -> surplus
    ("2017-18", "2017-18", "net_change", -300, -100),  # deficit stayed a deficit
    ("2018-19", "2018-19", "net_change", -100, 20),  # deficit -> surplus
    ("2019-20", "2019-20", "net_change", -50, None),  # not closed: left out of the statistics
], columns=["made_in", "fiscal_year", "measure", "projected", "actual"])


def test_forecast_error_summary_of_a_small_history():
    """balance: h0 errors 163 and -100 -> mean 31.5 (min -100, max 163, beaten 1 of 2); h1 963;
    h2 1,758 and 1,200 -> mean 1,479. net_change: 3 closed projected deficits, 2 became
    surpluses (2/3)."""
    fe = forecast_errors(HISTORY)
    assert fe.errors["horizon"].tolist() == [2, 1, 0, 2, 0, 0, 0, 0, 0]
    assert fe.errors["error"].iloc[:5].tolist() == [1758, 963, 163, 1200, -100]
    assert fe.errors["closed"].tolist() == [True] * 8 + [False]
    bal = fe.by_horizon[fe.by_horizon["measure"] == "balance"].set_index("horizon")
    assert bal["n"].tolist() == [2, 1, 2]
    assert bal["mean_error"].tolist() == [31.5, 963, 1479]
    assert bal["min_error"].tolist() == [-100, 963, 1200]
    assert bal["max_error"].tolist() == [163, 963, 1758]
    assert bal["share_beaten"].tolist() == [0.5, 1.0, 1.0]
    d = fe.deficits.set_index("measure")
    assert d.loc["net_change", ["projected_deficits", "became_surplus"]].tolist() == [3, 2]
    assert d.loc["net_change", "share"] == pytest.approx(2 / 3)
    assert d.loc["all", "projected_deficits"] == 3
    assert fe.projected_vs_actual("balance")["error"].tolist() == [163, 963, 1758, -100, 1200]


def test_bias_adjusted_projection_is_a_band():
    """A 2025-26 projection: 1,000 (h0) -> 900 / 1,031.5 / 1,163; 500 (h1) -> 1,463 (one
    observation); -1,600 (h2) -> -400 / -121 / 158; h3 has no history -> NaN."""
    proj = pd.DataFrame({"made_in": "2025-26", "fiscal_year": ["2025-26", "2026-27", "2027-28", "2028-29"],
                         "projected": [1000, 500, -1600, 0]})
    band = forecast_errors(HISTORY).adjust(proj, using="balance")
    assert band["horizon"].tolist() == [0, 1, 2, 3]
    assert band["low"].tolist()[:3] == [900, 1463, -400]
    assert band["adjusted"].tolist()[:3] == [1031.5, 1463, -121]
    assert band["high"].tolist()[:3] == [1163, 1463, 158]
    assert band["n_history"].tolist() == [2, 1, 2, 0]
    assert np.isnan(band["adjusted"].iloc[3])


def test_bad_histories_are_clear_errors():
    bad = HISTORY.assign(made_in=["2019-20"] + list(HISTORY["made_in"].iloc[1:]))
    with pytest.raises(ReservesError, match="after the year it projects"):
        forecast_errors(bad)
    with pytest.raises(ReservesError, match="missing column"):
        forecast_errors(HISTORY.drop(columns="actual"))
    with pytest.raises(ReservesError, match="expected a fiscal year"):
        forecast_errors(HISTORY.assign(made_in="2017"))


# ============================================================================ LAUSD end to end
def test_lausd_history_and_the_district_projection_band():
    """2015-16 projected $105M unrestricted for 2017-18, actual $1.863B: +$1.758B at h=2.
    The district's Nov 2025 projection of -$1.6B unrestricted for 2027-28 (h=2), corrected by
    that record: -1.6B + 1.758B = +$158M (one observation, so the band is a point)."""
    lausd = ct.load_lausd()
    fe = forecast_errors(lausd)
    ub = fe.by_horizon.set_index(["measure", "horizon"]).loc["unrestricted_ending_balance"]
    assert ub.loc[2, "mean_error"] == pytest.approx(1.758e9)
    assert ub.loc[0, "mean_error"] == pytest.approx(0.163e9)
    current = lausd.history[lausd.history["measure"] == "unrestricted_balance"]
    band = fe.adjust(current, using="unrestricted_ending_balance")
    assert band["adjusted"].tolist() == pytest.approx([0.158e9])


def test_lausd_reserve_path_under_the_bundled_2025_scenarios():
    """The bundled baseline alone: unrestricted $3,200.26M on July 1, 2025, less the MYP's
    $1,329.021M = $1,871.239M at the end of 2025-26; 2% of $18.8B = $376M minimum."""
    files = [SCENARIOS / "utla-2025-district-offer.toml", SCENARIOS / "utla-2025-win-our-future-demand.toml",
             SCENARIOS / "lausd-2017-health-freeze.toml"]
    results = ct.price_lausd([ct.Scenario.from_toml(p) for p in files])
    r = project(ct.load_lausd(), results)
    assert r.scenario_names == [BASELINE_NAME, "LAUSD: 2% + 2% offer to UTLA (2025)",
                                "UTLA: Win Our Future demand (2025)"]
    assert r.skipped == ("LAUSD: health contribution frozen at 2017 level (CY 2018-20)",)
    base = r.scenario(BASELINE_NAME)
    assert base["unrestricted_balance"].iloc[0] == pytest.approx(1_871_239_000)
    assert base["ending_balance"].iloc[0] == pytest.approx(5.03e9 - 2.9e9)
    assert base["minimum_reserve"].iloc[0] == pytest.approx(376e6)
    assert (r.table["minimum_reserve_rate"] == 0.02).all()
    offer, demand = (r.scenario(n)["unrestricted_balance"] for n in r.scenario_names[1:])
    assert (demand < offer).all() and (offer < base["unrestricted_balance"]).all()
    assert lausd_baseline().beginning_balance == pytest.approx(5.03e9)
