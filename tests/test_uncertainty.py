"""Monte Carlo, breach probabilities and sensitivity (costing.uncertainty), against hand
arithmetic, closed forms and a plain one-draw-at-a-time reference."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import costing as ct
from costing.distributions import (
    DistributionError,
    Fixed,
    LogNormal,
    Normal,
    Resample,
    Triangular,
    Uniform,
    from_table,
)
from costing.health import HealthFund
from costing.reserves import BASELINE_NAME, Baseline, _bundled_assumptions, forecast_errors, project
from costing.uncertainty import (
    BLOCK,
    ByHorizon,
    ForecastRecord,
    UncertaintyError,
    forecast_error_distribution,
    read_assumptions,
    sensitivity,
    simulate,
)

# ============================================================================ a two-year district by hand
#: COLA 3% into 2026-27 (dated parameter, the central value)
RATES = _bundled_assumptions().override(ct.Rates.from_values({"lcff_cola_funded": {"2025-26": 0.0, "2026-27": 0.03}}))


def two_year(expenditure_growth: str = "none", e: float = 0.02) -> Baseline:
    """LCFF revenue $1,000,000, spending $900,000 (flat, or growing at ``e``), ADA 10,000
    both years (3% minimum-reserve band), $100,000 unassigned at the start."""
    return Baseline(
        base_year="2025-26",
        lines=[{"side": "revenue", "line": "LCFF", "growth": "lcff", "amount": 1_000_000},
               {"side": "expenditure", "line": "spending", "growth": expenditure_growth, "amount": 900_000}],
        balance={"unassigned": 100_000},
        ada={"2025-26": 10_000, "2026-27": 10_000},
        expenditure_growth={"2026-27": e},
    )


class FakeDistrict:
    """Only what a projection reads from a district: its dated assumptions."""

    name = "Small district"
    assumptions = RATES
    history = None


#: one scenario: nothing in 2025-26, $290,000 ongoing in 2026-27 (all unrestricted)
LEDGER = pd.DataFrame({
    "scenario": ["offer", "offer"], "proposal": "raise", "fiscal_year": ["2025-26", "2026-27"], "unit": "X",
    "classification": "Teacher", "component": "salary", "kind": "ongoing", "amount": [0.0, 290_000.0], "fte": 0.0,
})


def sim(assumptions, costing=None, baseline=None, **kw):
    return simulate(FakeDistrict(), costing, assumptions=assumptions, baseline=baseline or two_year(), years=2, **kw)


# ============================================================================ distributions
def test_distribution_quantiles_and_moments_by_hand():
    c = np.array([0.03, 0.04])
    # normal: mean defaults to the central value; q 0.9 = center + 1.28155 sd
    assert Normal(sd=0.01).quantile(0.9, c) == pytest.approx(c + 0.0128155, abs=1e-7)
    assert Normal(sd=0.01, mean_value=0.02).mean(c).tolist() == [0.02, 0.02]
    # uniform 1%..3%: q 0.25 = 1% + 0.25 x 2% = 1.5%; variance (2%)^2 / 12
    u = Uniform(low=0.01, high=0.03)
    assert float(u.quantile(0.25)) == pytest.approx(0.015)
    assert float(u.variance()) == pytest.approx(0.02 ** 2 / 12)
    # uniform by width follows the center: 3% +/- 1% -> q 0.5 = 3%, 4% +/- 1% -> 4%
    assert Uniform(width=0.01).quantile(0.5, c) == pytest.approx(c)
    # triangular (0, 1, 3): mean 4/3; variance (0 + 9 + 1 - 0 - 0 - 3) / 18 = 7/18;
    # CDF at the mode = (1 - 0) / (3 - 0) = 1/3, so q 1/3 is the mode
    t = Triangular(low=0.0, high=3.0, mode_value=1.0)
    assert float(t.mean()) == pytest.approx(4 / 3)
    assert float(t.variance()) == pytest.approx(7 / 18)
    assert float(t.quantile(1 / 3)) == pytest.approx(1.0)
    # q 0.5 > 1/3: right branch, 3 - sqrt(0.5 x 3 x 2) = 3 - sqrt(3)
    assert float(t.quantile(0.5)) == pytest.approx(3 - math.sqrt(3))
    # lognormal median 2, sigma 0.5: mean 2 e^0.125; q 0.5 = 2
    ln = LogNormal(sigma=0.5, median_value=2.0)
    assert float(ln.mean()) == pytest.approx(2 * math.exp(0.125))
    assert float(ln.quantile(0.5)) == pytest.approx(2.0)
    # resample (0, 1%, 5%): u = 0.5 -> index floor(1.5) = 1
    assert float(Resample(values=(0.0, 0.01, 0.05)).quantile(0.5)) == 0.01
    assert Fixed().quantile(0.99, c).tolist() == c.tolist()


def triangular_reference(u: float, a: float, c: float, b: float) -> float:
    """Inverse CDF of the triangular distribution, written out for one value."""
    if b == a:
        return a
    fc = (c - a) / (b - a)
    if u < fc:
        return a + math.sqrt(u * (b - a) * (c - a))
    return b - math.sqrt((1 - u) * (b - a) * (b - c))


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1, exclude_max=True), st.floats(-1, 1), st.floats(0, 1), st.floats(0, 1))
def test_triangular_transform_agrees_with_plain_reference(u, a, fc, span):
    b = a + span
    c = a + fc * span
    got = float(Triangular(low=a, high=b, mode_value=c).transform(np.array(u), np.array(0.0)))
    assert got == pytest.approx(triangular_reference(u, a, c, b), abs=1e-12)


def test_distribution_errors_name_the_problem():
    with pytest.raises(DistributionError, match="sd must be 0 or more"):
        Normal(sd=-1)
    with pytest.raises(DistributionError, match="low and high, or width, not both"):
        Uniform(low=0, high=1, width=0.5)
    with pytest.raises(DistributionError, match="mode must lie between"):
        Triangular(low=0.0, high=0.01).quantile(0.5, np.array([0.03]))
    with pytest.raises(DistributionError, match="central value must be above 0"):
        LogNormal(sigma=0.1).quantile(0.5, np.array([0.0]))
    with pytest.raises(DistributionError, match=r"f\.toml: \[x\]: unknown key 'sdd'"):
        from_table({"distribution": "normal", "sdd": 1}, where="f.toml: [x]")
    with pytest.raises(DistributionError, match="distribution must be one of"):
        from_table({"distribution": "gaussian"})
    with pytest.raises(UncertaintyError, match="unknown assumption"):
        read_assumptions({"cola": {"distribution": "normal", "sd": 1.0}})


def test_percent_in_files_fraction_in_code():
    a = read_assumptions({"lcff_cola": {"distribution": "normal", "sd": 1.0},
                          "forecast_error": {"distribution": "resample", "values": [163e6]}})
    assert a["lcff_cola"].sd == 0.01  # 1.0 percent
    assert a["forecast_error"].values == (163e6,)  # dollars stay dollars


# ============================================================================ closed forms
def test_zero_variance_equals_the_deterministic_projection_exactly():
    """Every assumption drawn with no spread: every percentile of every measure equals
    the deterministic projection, to the bit, and no breach is random."""
    lausd = ct.load_lausd()
    names = ["utla-2025-win-our-future-demand.toml", "utla-2025-district-offer.toml"]
    res = ct.price([ct.Scenario.from_toml(ct.data_dir() / "scenarios" / n) for n in names], lausd)
    zero = {"lcff_cola": Normal(sd=0.0), "expenditure_growth": Triangular(width=0.0),
            "revenue_growth": Normal(sd=0.0), "step_and_column": Uniform(width=0.0), "ada_change": Normal(sd=0.0),
            "turnover": Fixed(), "forecast_error": Fixed()}
    s = simulate(lausd, res, assumptions=zero, draws=300, seed=7)
    det = ct.project(lausd, res).table.set_index(["scenario", "fiscal_year"])
    for measure in ("ending_balance", "unrestricted_balance", "available_reserves", "minimum_reserve",
                    "margin_above_minimum", "scenario_costs"):
        p = s.percentiles[s.percentiles["measure"] == measure]
        expected = det.loc[list(zip(p["scenario"], p["fiscal_year"], strict=True)), measure].to_numpy()
        np.testing.assert_array_equal(p["value"].to_numpy(), expected, err_msg=measure)
    breach = s.breach.set_index(["scenario", "fiscal_year"])["probability"]
    below = (det["available_reserves"] < det["minimum_reserve"]).astype(float)
    np.testing.assert_array_equal(breach.to_numpy(), below.loc[breach.index].to_numpy())


def test_normal_cola_gives_the_analytic_mean_and_variance():
    """Unrestricted balance at the end of 2026-27: 100,000 + (1,000,000 - 900,000) in
    2025-26 + (1,000,000 (1 + g) - 900,000) in 2026-27 = 300,000 + 1,000,000 g.
    g ~ N(3%, 1%): mean 330,000, sd 10,000 (variance 1e8)."""
    n = 40_000
    s = sim({"lcff_cola": Normal(sd=0.01)}, draws=n, seed=3)
    row = s.summary[(s.summary["measure"] == "unrestricted_balance") & (s.summary["fiscal_year"] == "2026-27")]
    mean, sd = float(row["mean"].iloc[0]), float(row["sd"].iloc[0])
    assert abs(mean - 330_000) < 4 * 10_000 / math.sqrt(n)  # within 4 standard errors
    # the sample variance's standard error is about sigma^2 sqrt(2 / (n - 1))
    assert abs(sd ** 2 - 1e8) < 4 * 1e8 * math.sqrt(2 / (n - 1))
    # the median is near 330,000 and the 5th-95th percentile span near 2 x 1.645 x 10,000
    p = s.percentile_table("unrestricted_balance").set_index("fiscal_year")
    assert p.loc["2026-27", "p50"] == pytest.approx(330_000, abs=300)
    assert p.loc["2026-27", "p95"] - p.loc["2026-27", "p5"] == pytest.approx(2 * 1.644854 * 10_000, rel=0.03)
    # the base year has no drawn assumption: 200,000 in every draw
    assert p.loc["2025-26", "p5"] == p.loc["2025-26", "p95"] == 200_000


def test_breach_probability_against_the_closed_form():
    """With the $290,000 offer in 2026-27: unrestricted balance 300,000 + 1,000,000 g -
    290,000 = 10,000 + 1,000,000 g; minimum reserve 3% x (900,000 + 290,000) = 35,700.
    Breach when g < 2.57%; g ~ Uniform(2%, 4%): P = (2.57 - 2) / 2 = 28.5%."""
    n = 40_000
    s = sim({"lcff_cola": Uniform(low=0.02, high=0.04)}, costing=LEDGER, draws=n, seed=11)
    b = s.breach.set_index(["scenario", "fiscal_year"])["probability"]
    p = 0.285
    assert abs(b[("offer", "2026-27")] - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert b[("offer", "2025-26")] == 0.0
    assert b[(BASELINE_NAME, "2026-27")] == 0.0  # 300,000 + ... never below 27,000
    c = s.breach.set_index(["scenario", "fiscal_year"])["cumulative_probability"]
    assert c[("offer", "2026-27")] == b[("offer", "2026-27")]  # no earlier breach to add


def test_health_floor_breach_against_the_closed_form():
    """Frozen $1,000,000 plan, reserve $150,000, floor $100,000: year 1 ends at 150,000 -
    1,000,000 g, below the floor when g > 5%; g ~ Uniform(4%, 8%): P = 3 / 4."""
    fund = HealthFund(policy="freeze", premium_cost=1_000_000, trend=0.06, reserve=150_000, floor=100_000)
    n = 40_000
    s = sim({"health_trend": Uniform(low=0.04, high=0.08)}, health={"freeze": fund}, health_years=1, draws=n,
            seed=5)
    b = s.breach[s.breach["test"] == "health_floor"]
    assert abs(float(b["probability"].iloc[0]) - 0.75) < 4 * math.sqrt(0.75 * 0.25 / n)
    # with no spread the health reserve equals the fund's own projection exactly
    z = sim({"health_trend": Normal(sd=0.0)}, health={"freeze": fund}, health_years=3, draws=10, seed=5)
    got = z.percentiles[(z.percentiles["measure"] == "health_reserve") & (z.percentiles["percentile"] == 50)]
    np.testing.assert_array_equal(got["value"].to_numpy(), fund.project(3)["reserve_end"].to_numpy())


# ============================================================================ reproducibility
def test_same_seed_same_result_bit_for_bit_whatever_the_chunks():
    a = {"lcff_cola": Normal(sd=0.01), "expenditure_growth": Uniform(width=0.01)}
    base = two_year("expenditure")
    n = 3 * BLOCK
    one = sim(a, baseline=base, draws=n, seed=42, chunk_draws=2 * BLOCK)
    two = sim(a, baseline=base, draws=n, seed=42, chunk_draws=BLOCK)
    pd.testing.assert_frame_equal(one.breach, two.breach)
    # both run through the histogram (more than one chunk): same bins, same percentiles
    pd.testing.assert_frame_equal(one.percentiles, two.percentiles)
    again = sim(a, baseline=base, draws=n, seed=42, chunk_draws=BLOCK)
    pd.testing.assert_frame_equal(two.percentiles, again.percentiles)
    pd.testing.assert_frame_equal(two.summary, again.summary)
    other = sim(a, baseline=base, draws=n, seed=43, chunk_draws=BLOCK)
    assert not other.summary["mean"].equals(two.summary["mean"])


def test_histogram_percentiles_are_within_their_resolution_of_the_exact_ones():
    a = {"lcff_cola": Normal(sd=0.01)}
    n = 2 * BLOCK
    exact = sim(a, draws=n, seed=1)  # one chunk: exact
    approx = sim(a, draws=n, seed=1, chunk_draws=BLOCK)  # two chunks: two passes
    assert exact.resolution == 0.0 and approx.resolution > 0
    diff = np.abs(exact.percentiles["value"].to_numpy() - approx.percentiles["value"].to_numpy())
    assert diff.max() <= approx.resolution + 1e-6
    # means and breach counts do not depend on the chunking (up to summation order)
    np.testing.assert_allclose(exact.summary["mean"], approx.summary["mean"], rtol=1e-12)


def test_adding_an_assumption_leaves_the_others_draws_alone():
    """Each assumption has its own seed stream: COLA's draws are the same with or without
    a revenue-growth assumption beside it (whose central value is 0 and spread 0 here)."""
    a = sim({"lcff_cola": Normal(sd=0.01)}, draws=500, seed=9)
    b = sim({"lcff_cola": Normal(sd=0.01), "revenue_growth": Normal(sd=0.0)}, draws=500, seed=9)
    pd.testing.assert_frame_equal(a.percentiles, b.percentiles)


# ============================================================================ a plain reference
def reference_unrestricted(g: float, e: float, a: float, r: float, s: float) -> list[float]:
    """One draw, year by year, written out: two-year district with growing spending and
    the $290,000 offer. COLA g, expenditure growth e, ADA change a, extra revenue growth
    r, step-and-column drift s (scales growing spending and the offer)."""
    balance = 100_000.0
    out = []
    for t in range(2):
        rev = 1_000_000.0 * ((1 + g) * (1 + a) * (1 + r) if t == 1 else 1.0)
        spend = 900_000.0 * ((1 + e) * (1 + s) if t == 1 else 1.0)
        cost = 290_000.0 * (1 + s) if t == 1 else 0.0
        balance += rev - spend - cost
        out.append(balance)
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 31 - 1))
def test_every_draw_matches_the_plain_reference(seed):
    a = {"lcff_cola": Normal(sd=0.02), "expenditure_growth": Uniform(width=0.03), "ada_change": Normal(sd=0.01),
         "revenue_growth": Triangular(low=-0.02, high=0.02), "step_and_column": Normal(sd=0.005)}
    s = simulate(FakeDistrict(), LEDGER, assumptions=a, baseline=two_year("expenditure"), years=2, draws=5,
                 seed=seed, percentiles=(0, 100))
    # redo the draws one at a time through the model's own sampler, then the reference
    from costing.uncertainty import _setup

    model, _, _ = _setup(FakeDistrict(), LEDGER, assumptions=a, baseline=two_year("expenditure"), years=2,
                         health=None, health_years=None, turnover_nodes=2, proj_kwargs={})
    v = model.values(seed, 0, 5)
    ends = [reference_unrestricted(v["lcff_cola"][i, 0], v["expenditure_growth"][i, 0], v["ada_change"][i, 0],
                                   v["revenue_growth"][i, 0], v["step_and_column"][i, 0])[1] for i in range(5)]
    p = s.percentiles[(s.percentiles["measure"] == "unrestricted_balance") & (s.percentiles["scenario"] == "offer")
                      & (s.percentiles["fiscal_year"] == "2026-27")].set_index("percentile")["value"]
    assert p[0.0] == pytest.approx(min(ends), rel=1e-12)
    assert p[100.0] == pytest.approx(max(ends), rel=1e-12)


# ============================================================================ sensitivity
def test_tornado_order_and_swings_by_hand():
    """Spending grows at e (central 2%): 2026-27 unrestricted balance Y = 200,000 +
    1,000,000 (1 + g)(1 + a) - 900,000 (1 + e); central Y = 282,000 + 30,000 = 312,000.

    * expenditure growth, uniform +/- 2 points: 10th/90th percentile 0.4% and 3.6%:
      Y = 326,400 and 297,600, swing 28,800;
    * ADA change, normal sd 1 point: +/- 1.28155 points: swing 2 x 1,030,000 x 0.0128155
      = 26,400.0;
    * COLA, uniform +/- 1 point: 2.2% and 3.8%: swing 16,000.
    """
    a = {"lcff_cola": Uniform(width=0.01), "ada_change": Normal(sd=0.01), "expenditure_growth": Uniform(width=0.02)}
    s = sensitivity(FakeDistrict(), None, assumptions=a, baseline=two_year("expenditure"), years=2)
    t = s.table.set_index("assumption")
    assert list(s.table["assumption"]) == ["expenditure_growth", "ada_change", "lcff_cola"]
    assert s.base == pytest.approx(312_000)
    assert t.loc["expenditure_growth", "outcome_low"] == pytest.approx(326_400)
    assert t.loc["expenditure_growth", "outcome_high"] == pytest.approx(297_600)
    z = NormalDist().inv_cdf(0.9)
    assert t.loc["ada_change", "swing"] == pytest.approx(2 * 1_030_000 * 0.01 * z)
    assert t.loc["lcff_cola", "swing"] == pytest.approx(16_000)
    assert t.loc["lcff_cola", "low"] == pytest.approx(0.022)
    # COLA: dY/dg = 1,000,000 -> elasticity 1,000,000 x 3% / 312,000; 10,000 per point
    assert t.loc["lcff_cola", "elasticity"] == pytest.approx(30_000 / 312_000)
    assert t.loc["lcff_cola", "per_unit"] == pytest.approx(10_000)
    # ADA change has a central value of 0 (flat ADA): no elasticity
    assert math.isnan(t.loc["ada_change", "elasticity"])


def test_sensitivity_of_a_package_cost_to_turnover_reprices_exactly():
    """The cumulative cost of a raise is lower with more turnover (new hires start at the
    bottom of the schedule); the swing's ends are the engine's own prices at the 10th and
    90th percentile of turnover."""
    d = ct.load_example()
    sc = ct.Scenario("3%", start="2025-26", years=2, proposals=(ct.Raise(percent=0.03, effective="2025-07-01"),))
    res = ct.price(sc, d)
    base = two_year()
    with pytest.raises(UncertaintyError, match="pass the district"):
        simulate(None, res, assumptions={"turnover": Uniform(low=0.0, high=0.2)}, baseline=base, years=2, draws=10)
    s = sensitivity(d, res, assumptions={"turnover": Uniform(low=0.0, high=0.2)}, baseline=base, years=2,
                    outcome="cumulative_cost", scenario="3%")
    row = s.table.iloc[0]
    assert row["low"] == pytest.approx(0.02) and row["high"] == pytest.approx(0.18)  # 10th, 90th of U(0, 20%)
    for q, col in ((0.02, "outcome_low"), (0.18, "outcome_high")):
        led = ct.price(sc, d, options=ct.PricingOptions(turnover=q)).ledger
        own = led[led["scenario"] == "3%"]["amount"].sum()
        assert row[col] == pytest.approx(own, rel=1e-12)
    assert row["outcome_high"] < row["outcome_low"]


def test_turnover_draws_interpolate_between_priced_nodes():
    from costing.uncertainty import _interp

    nodes = np.array([0.0, 0.1, 0.2])
    values = np.array([[[100.0]], [[80.0]], [[70.0]]])  # (K=3, S=1, T=1)
    # 0.05 is halfway from 100 to 80: 90; 0.15 halfway from 80 to 70: 75; 0.3 extends the last
    # segment (-10 per 0.1): 60; the nodes themselves give the priced values
    got = _interp(np.array([0.0, 0.05, 0.1, 0.15, 0.3]), nodes, values)
    assert got[0, 0].tolist() == pytest.approx([100, 90, 80, 75, 60])


# ============================================================================ scenario files and errors
def test_assumptions_in_a_scenario_file_round_trip(tmp_path):
    text = """name = "offer"
start = "2025-26"
years = 2

[[raise]]
percent = 2.0
effective = "2025-07-01"

[assumptions.lcff_cola]
distribution = "normal"
sd = 1.0

[assumptions.expenditure_growth]
distribution = "triangular"
low = 2.0
high = 6.0
mode = 3.0
years = "common"
"""
    path = tmp_path / "offer.toml"
    path.write_text(text)
    s = ct.Scenario.from_toml(path)
    a = s.assumption_map()
    assert a["lcff_cola"] == Normal(sd=0.01)
    assert a["expenditure_growth"] == Triangular(low=0.02, high=0.06, mode_value=0.03, years="common")
    again = ct.Scenario.from_toml(s.to_toml(tmp_path / "again.toml") and tmp_path / "again.toml")
    assert again == s
    with pytest.raises(Exception, match=r"offer\.toml: \[assumptions\.lcff_cola\]: unknown key 'sdd'"):
        bad = tmp_path / "offer.toml"
        bad.write_text(text.replace("sd = 1.0", "sdd = 1.0"))
        ct.Scenario.from_toml(bad)


def test_scenarios_that_disagree_on_an_assumption_are_refused():
    d = ct.load_example()
    one = ct.Scenario("a", start="2025-26", years=2, assumptions={"lcff_cola": Normal(sd=0.01)})
    two = ct.Scenario("b", start="2025-26", years=2, assumptions={"lcff_cola": Normal(sd=0.02)})
    with pytest.raises(UncertaintyError, match="different distributions"):
        simulate(d, ct.price([one, two], d), baseline=two_year(), years=2, draws=10)


def test_bad_requests_are_errors():
    with pytest.raises(UncertaintyError, match="draws must be a whole number"):
        sim({}, draws=0)
    with pytest.raises(UncertaintyError, match="unknown assumption"):
        sim({"cola": Normal(sd=0.01)}, draws=10)
    with pytest.raises(UncertaintyError, match="no health fund"):
        sim({"health_trend": Normal(sd=0.01)}, draws=10)
    with pytest.raises(UncertaintyError, match="at or below -100%"):
        sim({"lcff_cola": Normal(sd=5.0)}, draws=1000)
    with pytest.raises(UncertaintyError, match="unknown option"):
        sim({}, draws=10, colour="red")
    with pytest.raises(UncertaintyError, match="nothing to swing"):
        sensitivity(FakeDistrict(), None, assumptions={}, baseline=two_year(), years=2)


# ============================================================================ the forecasting record
def test_forecast_errors_resampled_by_horizon():
    """LAUSD's record: the 2017-18 unrestricted balance was projected at $105M two years
    out (actual $1,863M: error +$1,758M) and $1.7B in the year (error +$163M)."""
    h = ct.load_lausd().history
    d = forecast_error_distribution(forecast_errors(h), ["unrestricted_ending_balance"], 3, fill="nearest")
    assert isinstance(d, ByHorizon)
    assert [p.values for p in d.parts] == [(163e6,), (163e6,), (1758e6,)]
    with pytest.raises(UncertaintyError, match="no closed error 1 year"):
        forecast_error_distribution(forecast_errors(h), ["unrestricted_ending_balance"], 3)
    # resolved from a file-style placeholder and added to the balance: 2027-28 gains $1,758M in every draw
    lausd = ct.load_lausd()
    s = simulate(lausd, None, assumptions={
        "forecast_error": ForecastRecord(measures=("unrestricted_ending_balance",), fill="nearest")}, draws=50)
    det = project(lausd).table.set_index("fiscal_year")["unrestricted_balance"]
    p = s.percentile_table("unrestricted_balance").set_index("fiscal_year")
    assert p.loc["2027-28", "p50"] == pytest.approx(det["2027-28"] + 1758e6)
    assert p.loc["2025-26", "p5"] == pytest.approx(det["2025-26"] + 163e6)


def test_sensitivity_of_a_health_reserve_by_hand():
    """Frozen $1,000,000 plan, $150,000 reserve: year 1 ends at 150,000 - 1,000,000 g.
    Trend uniform 4%-8%: 10th/90th percentile 4.4% and 7.6% -> 106,000 and 74,000."""
    fund = HealthFund(policy="freeze", premium_cost=1_000_000, trend=0.06, reserve=150_000, floor=100_000)
    s = sensitivity(FakeDistrict(), None, assumptions={"health_trend": Uniform(low=0.04, high=0.08),
                                                       "lcff_cola": Uniform(width=0.01)},
                    health={"freeze": fund}, health_years=1, outcome="health_reserve", scenario="freeze",
                    baseline=two_year(), years=2)
    t = s.table.set_index("assumption")
    assert s.base == pytest.approx(90_000)  # 150,000 - 60,000 at the central 6%
    assert t.loc["health_trend", "outcome_low"] == pytest.approx(106_000)
    assert t.loc["health_trend", "outcome_high"] == pytest.approx(74_000)
    assert t.loc["lcff_cola", "swing"] == 0.0  # the COLA does not touch the health reserve
    assert list(s.table["assumption"]) == ["health_trend", "lcff_cola"]
