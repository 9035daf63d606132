"""Uncertainty figures (costing.plot.uncertainty) on small hand-made simulation and
sensitivity results: the artists carry the hand-made numbers, scaled to the axis unit."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.container import BarContainer

from costing.plot import save
from costing.plot.uncertainty import (
    HIGH_LABEL,
    LOW_LABEL,
    breach_probability,
    fan_chart,
    tornado,
)

BASE = "baseline (no agreement)"
UNION = "UTLA 2025 demand"
YEARS = ("2025-26", "2026-27", "2027-28")
PCTS = (5, 10, 25, 50, 75, 90, 95)
#: the median unrestricted balance and the spread per percentile point, dollars:
#: value(p) = median + (p - 50) x spread, e.g. the union's 5th percentile in 2027-28 is
#: 300e6 + (5 - 50) x 6e6 = 30e6
MEDIAN = {BASE: (900e6, 800e6, 700e6), UNION: (900e6, 600e6, 300e6)}
SPREAD = {BASE: (2e6, 3e6, 4e6), UNION: (2e6, 4e6, 6e6)}
MINIMUM = {BASE: (100e6, 102e6, 104e6), UNION: (100e6, 105e6, 110e6)}
#: breach probabilities (fractions) by scenario and year
BREACH = {BASE: (0.0, 0.004, 0.10), UNION: (0.05, 0.50, 0.995)}


def _value(s: str, i: int, p: float) -> float:
    return MEDIAN[s][i] + (p - 50) * SPREAD[s][i]


def _sim(scenarios=(BASE, UNION), pcts=PCTS, health: bool = False, deterministic: bool = False):
    rows = []
    for s in scenarios:
        med, spread, mini = MEDIAN.get(s, MEDIAN[UNION]), SPREAD.get(s, SPREAD[UNION]), MINIMUM.get(s, MINIMUM[UNION])
        for i, fy in enumerate(YEARS):
            for p in pcts:
                rows.append((s, fy, "unrestricted_balance", float(p), med[i] + (p - 50) * spread[i]))
                rows.append((s, fy, "margin_above_minimum", float(p), med[i] + (p - 50) * spread[i] - mini[i]))
                if health:
                    rows.append((s, fy, "health_reserve", float(p), 50e6 - 10e6 * i + (p - 50) * 0.5e6))
            rows.append((s, fy, "minimum_reserve", 50.0, mini[i]))
            if health:
                rows.append((s, fy, "health_floor", 50.0, 30e6))
    pct = pd.DataFrame(rows, columns=["scenario", "fiscal_year", "measure", "percentile", "value"])
    tests = ["minimum_reserve", *(["health_floor"] if health else [])]
    breach = pd.DataFrame([(s, fy, t, BREACH.get(s, BREACH[UNION])[i] / (2 if t == "health_floor" else 1), 1000)
                           for t in tests for s in scenarios for i, fy in enumerate(YEARS)],
                          columns=["scenario", "fiscal_year", "test", "probability", "draws"])
    det = None
    if deterministic:
        det = SimpleNamespace(table=pd.DataFrame(
            [(s, fy, MEDIAN[s][i] + 10e6, MINIMUM[s][i]) for s in scenarios for i, fy in enumerate(YEARS)],
            columns=["scenario", "fiscal_year", "unrestricted_balance", "minimum_reserve"]))
    return SimpleNamespace(percentiles=pct, breach=breach, scenario_names=list(scenarios), fiscal_years=YEARS,
                           draws=1000, seed=7, deterministic=det,
                           source="Monte Carlo, 1,000 draws, seed 7; assumptions: test")


def _sens():
    # deliberately not sorted by swing; base $500 million
    table = pd.DataFrame([
        ("ada", "ADA change", -3.0, -1.0, "percent", 470e6, 530e6),
        ("turnover", "Turnover", 0.05, 0.10, "fraction", 510e6, 530e6),  # both above the base
        ("cola", "LCFF COLA", 2.0, 4.0, "percent", 440e6, 580e6),
        ("health_trend", "Health cost trend", 5.0, 9.0, "percent", 540e6, 420e6),
    ], columns=["assumption", "label", "low", "high", "unit", "outcome_low", "outcome_high"])
    table["swing"] = (table["outcome_high"] - table["outcome_low"]).abs()
    table["elasticity"] = 0.1
    return SimpleNamespace(table=table, base=500e6, outcome="Unrestricted balance, 2027-28, UTLA 2025 demand",
                           source="one-at-a-time sensitivity, test")


def _title(fig) -> str:
    return fig._suptitle.get_text() if fig._suptitle is not None else ""


def _source(fig) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_text().startswith("Source: ")]


def _legend(fig) -> list[str]:
    for ax in fig.axes:
        if ax.get_legend() is not None:
            return [t.get_text() for t in ax.get_legend().get_texts()]
    return []


def _bars(ax) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


# ---------------------------------------------------------------------------- fan chart
def test_fan_chart_panels_bands_and_minimum():
    sim = _sim()
    fig = fan_chart(sim)
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 2 and fig.axes[:2] == panels  # one panel per scenario, the legend axes last
    assert panels[0].get_shared_y_axes().joined(panels[0], panels[1])
    assert [ax.get_title(loc="left") for ax in panels] == [BASE, UNION]
    assert "unrestricted balance" in _title(fig) and "1,000 draws (seed 7)" in _title(fig)
    assert panels[0].get_ylabel() == "Unrestricted balance ($ millions)"
    assert panels[0].get_xlabel() == "Fiscal year (year end)"
    assert _source(fig) == ["Source: Monte Carlo, 1,000 draws, seed 7; assumptions: test · costing"]
    assert _legend(fig) == ["5th to 95th percentile", "25th to 75th percentile", "Median", "Legal minimum reserve"]
    assert [t.get_text() for t in panels[1].get_xticklabels()] == list(YEARS)
    for ax, s in zip(panels, (BASE, UNION), strict=True):
        fills = {c.get_label(): c for c in ax.collections if isinstance(c, PolyCollection)}
        for (lo, hi), label in (((5, 95), "5th to 95th percentile"), ((25, 75), "25th to 75th percentile")):
            verts = fills[label].get_paths()[0].vertices
            for i in range(len(YEARS)):
                ys = verts[np.isclose(verts[:, 0], i), 1]
                # $ millions: e.g. the union's 2027-28 5th percentile 30e6 / 1e6 = 30
                assert ys.min() == pytest.approx(_value(s, i, lo) / 1e6)
                assert ys.max() == pytest.approx(_value(s, i, hi) / 1e6)
        # the widest band is the lighter one
        assert fills["5th to 95th percentile"].get_alpha() < fills["25th to 75th percentile"].get_alpha()
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        np.testing.assert_allclose(lines["Median"].get_ydata(), np.array(MEDIAN[s]) / 1e6)
        np.testing.assert_allclose(lines["Legal minimum reserve"].get_ydata(), np.array(MINIMUM[s]) / 1e6)
        assert lines["Legal minimum reserve"].get_linestyle() == "--"
        assert any(np.allclose(ln.get_ydata(), 0) for ln in ax.get_lines())  # the zero line
    # the median's last value written at the end: 300e6 / 1e6 = $300
    assert "$300" in [t.get_text() for t in panels[1].texts]


def test_fan_chart_options():
    sim = _sim(scenarios=(BASE, UNION, "A", "B"), health=True, deterministic=False)
    fig = fan_chart(sim, scenarios=[UNION, "A", "B", BASE])
    panels = [ax for ax in fig.axes if ax.axison]
    assert len(panels) == 4 and [ax.get_title(loc="left") for ax in panels][0] == UNION  # 3 in the first row, 1 below
    rows = sorted({round(ax.get_position().y0, 3) for ax in panels})
    assert len(rows) == 2
    # health reserve: the reference is the floor (30e6 / 1e6 = 30)
    fig = fan_chart(sim, "health_reserve", scenarios=[BASE], bands=[(10, 90)])
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    np.testing.assert_allclose(lines["Health reserve floor"].get_ydata(), [30, 30, 30])
    assert fig.axes[0].get_ylabel() == "Health reserve ($ millions)"
    assert _legend(fig)[0] == "10th to 90th percentile"
    # margin above the minimum: the zero line is the minimum
    fig = fan_chart(sim, "margin_above_minimum", scenarios=[UNION])
    assert "Legal minimum reserve (margin of zero)" in _legend(fig)
    # the central-value projection, dotted
    det = _sim(deterministic=True)
    lines = {ln.get_label(): ln for ln in fan_chart(det).axes[1].get_lines()}
    np.testing.assert_allclose(lines["Projection at central values"].get_ydata(), np.array(MEDIAN[UNION]) / 1e6 + 10)
    # billions when a value reaches $2 billion: 3e9 + ... / 1e9
    big = _sim()
    big.percentiles = big.percentiles.assign(value=big.percentiles["value"] * 10)
    fig = fan_chart(big)
    assert fig.axes[0].get_ylabel() == "Unrestricted balance ($ billions)"
    np.testing.assert_allclose(fig.axes[1].get_lines()[0].get_ydata(), np.array(MEDIAN[UNION]) * 10 / 1e9)


def test_fan_chart_errors():
    sim = _sim(pcts=(5, 25, 50, 75, 95))
    with pytest.raises(ValueError, match=r"percentiles 10, 90 of 'unrestricted_balance' are not in .*"
                                         r"available: 5, 25, 50, 75, 95"):
        fan_chart(sim, bands=[(10, 90)])
    with pytest.raises(ValueError, match="percentiles 50 .*available: 5, 25, 75"):
        fan_chart(_sim(pcts=(5, 25, 75)), bands=[(25, 75)])
    with pytest.raises(ValueError, match=r"no scenario named 'nope'; have: 'baseline \(no agreement\)', 'UTLA"):
        fan_chart(sim, scenarios=["nope"])
    with pytest.raises(ValueError, match="no measure 'reserves' .*; have: 'unrestricted_balance'"):
        fan_chart(sim, measure="reserves")
    with pytest.raises(ValueError, match="each band"):
        fan_chart(sim, bands=[(95, 5)])


# ---------------------------------------------------------------------------- breach
def test_breach_probability_bars_and_labels():
    fig = breach_probability(_sim(), parties={UNION: "union"})
    ax = fig.axes[0]
    assert len(fig.axes) == 1
    assert _title(fig).startswith("Chance reserves fall below the legal minimum")
    assert "1,000 draws (seed 7)" in _title(fig)
    assert _source(fig)[0].startswith("Source: Monte Carlo, 1,000 draws")
    assert _legend(fig) == [BASE, UNION]
    assert ax.get_ylim() == (0, 100) and "(% of draws)" in ax.get_ylabel()
    assert ax.get_xlabel().startswith("Fiscal year")
    assert [t.get_text() for t in ax.get_xticklabels()] == list(YEARS)
    bars = _bars(ax)
    assert [c.get_label() for c in bars] == [BASE, UNION]
    for c, s in zip(bars, (BASE, UNION), strict=True):
        # 100 x the probability: 0.995 -> 99.5
        np.testing.assert_allclose([r.get_height() for r in c], 100 * np.array(BREACH[s]))
    assert bars[1].patches[0].get_facecolor()[:3] == pytest.approx(matplotlib.colors.to_rgb("#0072B2"))
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["0%", "<1%", "10%", "5%", "50%", ">99%"]


def test_breach_probability_health_and_errors():
    sim = _sim(health=True)
    fig = breach_probability(sim, "health_floor", scenarios=[UNION])
    assert _title(fig).startswith("Chance the health reserve falls below its floor")
    (c,) = _bars(fig.axes[0])
    np.testing.assert_allclose([r.get_height() for r in c], 100 * np.array(BREACH[UNION]) / 2)
    with pytest.raises(ValueError, match="no breach test 'cash' .*; have: 'minimum_reserve', 'health_floor'"):
        breach_probability(sim, "cash")
    with pytest.raises(ValueError, match="no scenario named 'nope'"):
        breach_probability(sim, scenarios=["nope"])


# ---------------------------------------------------------------------------- tornado
def test_tornado_order_extents_and_labels():
    sens = _sens()
    fig = tornado(sens)
    ax = fig.axes[0]
    assert _title(fig).startswith("Which assumption matters most") and sens.outcome in _title(fig)
    assert _source(fig) == ["Source: one-at-a-time sensitivity, test · costing"]
    assert ax.get_xlabel() == "Change from the central estimate ($ millions)"
    assert _legend(fig) == [LOW_LABEL, HIGH_LABEL]
    ticks = sorted(((t.get_position()[1], t.get_text()) for t in ax.get_yticklabels()), reverse=True)
    # largest swing at the top: COLA 140, health trend 120, ADA 60, turnover 20 ($ millions)
    assert [t for _, t in ticks] == ["LCFF COLA", "Health cost trend", "ADA change", "Turnover"]
    row = {text: y for y, text in ticks}
    bars = {}
    for c in _bars(ax):
        (r,) = c.patches
        bars[(c.get_label(), round(r.get_y() + r.get_height() / 2, 6))] = (r.get_x(), r.get_x() + r.get_width())
    # drawn from min(0, d) to max(0, d), d = (outcome - base) / 1e6; e.g. COLA low: 440 - 500 = -60
    expect = {"LCFF COLA": (-60, 80), "Health cost trend": (40, -80), "ADA change": (-30, 30), "Turnover": (10, 30)}
    for name, (d_low, d_high) in expect.items():
        y = row[name]
        if name == "Turnover":  # both above the base: half-height bars, low above high
            y_low, y_high = y + 0.18, y - 0.18
        else:
            y_low = y_high = y
        assert bars[(LOW_LABEL, round(y_low, 6))] == pytest.approx((min(0, d_low), max(0, d_low)))
        assert bars[(HIGH_LABEL, round(y_high, 6))] == pytest.approx((min(0, d_high), max(0, d_high)))
    # the whole row spans min(outcome_low, outcome_high) - base to max(...) - base: COLA -60 to 80
    cola = [v for (_, y), v in bars.items() if y == row["LCFF COLA"]]
    assert (min(a for a, _ in cola), max(b for _, b in cola)) == pytest.approx((-60, 80))
    assert any(ln.get_xdata()[0] == 0 for ln in ax.get_lines())  # the central estimate line
    texts = [t.get_text().replace("\\$", "$") for t in ax.texts]  # dollar signs escaped from mathtext
    assert "Central estimate: $500 million" in texts
    # values in their units: percent 2.0 -> 2.0%; fraction 0.05 -> 5.0%
    # and the change: COLA at 2.0% moves the outcome by 440 - 500 = -$60 million
    for label in ("2.0%: -$60", "4.0%: +$80", "-3.0%: -$30", "-1.0%: +$30", "5.0%: +$10", "10.0%: +$30",
                  "9.0%: -$80", "5.0%: +$40"):
        assert label in texts
    top2 = tornado(sens, top=2)
    top_down = sorted(top2.axes[0].get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in top_down] == ["LCFF COLA", "Health cost trend"]
    assert len(_bars(top2.axes[0])) == 4
    with pytest.raises(ValueError, match="top must be"):
        tornado(sens, top=0)


# ---------------------------------------------------------------------------- saved
def test_save_uncertainty_figures(tmp_path):
    sim = _sim(scenarios=(BASE, UNION, "District offer"), deterministic=False)
    figs = {"fan": fan_chart(sim), "breach": breach_probability(sim, parties={UNION: "union",
                                                                              "District offer": "district"}),
            "tornado": tornado(_sens())}
    for name, fig in figs.items():
        (png,) = save(fig, tmp_path / name, formats=("png",), dpi=100)
        assert png.stat().st_size > 10_000
