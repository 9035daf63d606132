"""Figures of uncertainty: the fan chart of a simulated reserve path, the chance each
scenario breaches the minimum reserve (or the health reserve floor) by year, and the
tornado chart of one-at-a-time sensitivities.

They read the results of the simulator (:mod:`costing.uncertainty`) duck-typed, so any
object with the same attributes works:

* a simulation: ``percentiles`` (long: ``scenario, fiscal_year, measure, percentile,
  value``; percentile 0-100, value in dollars), ``breach`` (``scenario, fiscal_year, test,
  probability, draws``; probability 0-1), ``scenario_names`` (the baseline first),
  ``fiscal_years``, ``draws``, ``seed``, ``source`` (for the source line) and
  ``deterministic`` (a :class:`~costing.reserves.Reserves` at the central values, or None);
* a sensitivity: ``table`` (``assumption, label, low, high, unit, outcome_low,
  outcome_high, swing, elasticity``; outcomes in dollars), ``base`` (the outcome at the
  central values), ``outcome`` (what the outcome is) and ``source``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .style import (
    OKABE_ITO,
    money,
    money_axis,
    new_figure,
    outside_legend,
    scale_for,
    scenario_colors,
    style,
)

__all__ = ["breach_probability", "fan_chart", "tornado"]

BASELINE_NAME = "baseline (no agreement)"  # = costing.reserves.BASELINE_NAME
FAN_COLOR = OKABE_ITO["blue"]
BASELINE_COLOR = "#777777"
#: the reference line drawn under each measure: (the measure it is read from, its label)
REFERENCE = {
    "health_reserve": ("health_floor", "Health reserve floor"),
    "margin_above_minimum": (None, "Legal minimum reserve (margin of zero)"),
}
DEFAULT_REFERENCE = ("minimum_reserve", "Legal minimum reserve")
#: breach tests: (title, what the subtitle says breaches)
BREACH_TESTS = {
    "minimum_reserve": ("Chance reserves fall below the legal minimum",
                        "available reserves under the minimum at year end"),
    "health_floor": ("Chance the health reserve falls below its floor",
                     "health reserve under its floor at year end"),
}
LOW_COLOR = OKABE_ITO["blue"]
HIGH_COLOR = OKABE_ITO["orange"]
LOW_LABEL = "Assumption at its low value"
HIGH_LABEL = "Assumption at its high value"


# ---------------------------------------------------------------------------- helpers
def _t(text: object) -> str:
    """Text shown as written: a dollar sign escaped so two of them never start mathtext."""
    return str(text).replace("$", r"\$")


def _fmt_pct(p: float) -> str:
    return f"{p:g}"


def _ordinal(p: float) -> str:
    n = f"{p:g}"
    if not n.isdigit():
        return f"{n}th"
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{n}{suffix}"


def _pick(available: Sequence[str], wanted: Sequence[str] | None, what: str = "scenario") -> list[str]:
    """``wanted`` (in its order) checked against ``available``; all of them if None."""
    if wanted is None:
        return list(available)
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    missing = [w for w in wanted if w not in available]
    if missing:
        raise ValueError(f"no {what} named {', '.join(map(repr, missing))}; have: "
                         f"{', '.join(map(repr, available))}")
    if not wanted:
        raise ValueError(f"no {what} asked for; have: {', '.join(map(repr, available))}")
    return wanted


def _scenario_names(sim, frame: pd.DataFrame) -> list[str]:
    names = list(getattr(sim, "scenario_names", None) or [])
    present = list(dict.fromkeys(frame["scenario"]))
    return [n for n in names if n in set(present)] + [n for n in present if n not in set(names)]


def _years(sim, frame: pd.DataFrame) -> list[str]:
    years = list(getattr(sim, "fiscal_years", None) or [])
    present = set(frame["fiscal_year"])
    return [y for y in years if y in present] + sorted(present - set(years))


def _colors(names: Sequence[str], parties: Mapping[str, str] | None) -> dict[str, str]:
    colors = scenario_colors([n for n in names if n != BASELINE_NAME], dict(parties or {}))
    colors[BASELINE_NAME] = BASELINE_COLOR
    return colors


def _draws_text(sim) -> str:
    draws = getattr(sim, "draws", None)
    seed = getattr(sim, "seed", None)
    text = f"{draws:,} draws" if draws else "the simulated draws"
    return text + (f" (seed {seed})" if seed is not None else "")


def _source(obj, fallback: str) -> str:
    return _t(getattr(obj, "source", None) or fallback)


def _legend_columns(labels: Sequence[str], width: float) -> int:
    """The most legend columns whose rows fit in ``width`` inches (13 pt legend text:
    about 0.11 inch a character and 0.8 inch for the handle and the gaps)."""
    size = [0.8 + 0.11 * len(label) for label in labels]
    for nc in range(len(labels), 1, -1):
        if sum(max(size[c::nc]) for c in range(nc)) <= width:
            return nc
    return 1


def _grid_figure(title: str, subtitle: str, source: str, n: int, max_cols: int = 3,
                 panel_size: tuple[float, float] = (4.9, 4.0)) -> tuple[Figure, list, Any]:
    """Like :func:`costing.plot.style.new_figure` with ``n`` panels sharing the y axis, at
    most ``max_cols`` a row, and a legend row between the title and the panels. Returns the
    figure, the panels (``fig.axes[:n]``) and the legend axes (the last axes, no frame)."""
    ncols = max(1, min(n, max_cols))
    nrows = math.ceil(n / ncols)
    figsize = (max(10.0, panel_size[0] * ncols + 1.2), panel_size[1] * nrows + 2.6)
    with style():
        fig = Figure(figsize=figsize, layout="constrained")
        fig.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))  # keep a band for the source line
        gs = fig.add_gridspec(nrows + 1, ncols, height_ratios=[0.001] + [1.0] * nrows)
        axes: list = []
        for i in range(n):
            ax = fig.add_subplot(gs[1 + i // ncols, i % ncols], sharey=axes[0] if axes else None)
            if i % ncols:
                ax.tick_params(labelleft=False)
            axes.append(ax)
        legend_ax = fig.add_subplot(gs[0, :])
        legend_ax.axis("off")
        fig.suptitle(title + (f"\n{subtitle}" if subtitle else ""), x=0.02, ha="left",
                     fontsize=mpl.rcParams["figure.titlesize"])
        fig.text(0.01, 0.012, f"Source: {source} · costing" if source else "Source: costing",
                 ha="left", va="bottom", fontsize=10, color="#555555", wrap=True)
    return fig, axes, legend_ax


# ---------------------------------------------------------------------------- fan chart
def fan_chart(sim, measure: str = "unrestricted_balance", scenarios: Sequence[str] | None = None,
              bands: Sequence[tuple[float, float]] = ((5, 95), (25, 75))) -> Figure:
    """The simulated range of a reserve measure by fiscal year, one panel per scenario.

    Each panel (small multiples, the y axis shared, at most three a row) shades the
    percentile ``bands`` of ``measure`` across the draws (the widest band lightest, the
    bands layered so the inner ones read darker), draws the median as a line with its
    last value written at the end, and the median legal minimum reserve as a dashed
    line (for ``health_reserve`` the health reserve floor; for ``margin_above_minimum``
    the zero line is the minimum). When the simulation carries its central-value
    projection (``sim.deterministic``) that single line is dotted on top, the line a
    one-path forecast would show. Dollars in millions, or billions when any value
    reaches $2 billion.

    Parameters
    ----------
    sim
        A simulation result (see the module docstring): reads ``percentiles``,
        ``scenario_names``, ``fiscal_years``, ``draws``, ``seed``, ``source`` and
        ``deterministic``.
    measure
        A measure of ``sim.percentiles`` (``unrestricted_balance``,
        ``available_reserves``, ``ending_balance``, ``margin_above_minimum``,
        ``health_reserve``, ...).
    scenarios
        Which scenarios, in panel order (default: all, the baseline first).
    bands
        ``(low, high)`` percentile pairs to shade; each percentile, and the median (50),
        must be in ``sim.percentiles``.

    Returns
    -------
    matplotlib.figure.Figure
        Panels ``fig.axes[:n]`` for the ``n`` scenarios; the last axes holds the legend.

    Raises
    ------
    ValueError
        An unknown measure or scenario, a malformed band, or band percentiles (or the
        median) missing from ``sim.percentiles``; the message lists what is available.
    """
    pct = sim.percentiles
    measures = list(dict.fromkeys(pct["measure"]))
    if measure not in measures:
        raise ValueError(f"no measure {measure!r} in the simulation; have: {', '.join(map(repr, measures))}")
    rows = pct[pct["measure"] == measure]
    names = _pick(_scenario_names(sim, rows), scenarios)
    years = _years(sim, rows)
    bands = [tuple(float(p) for p in b) for b in bands]
    bad = [b for b in bands if len(b) != 2 or not 0 <= b[0] < b[1] <= 100]
    if bad:
        raise ValueError(f"each band must be (low, high) percentiles with 0 <= low < high <= 100; got {bad}")
    mine = rows[rows["scenario"].isin(names)].assign(percentile=lambda d: d["percentile"].astype(float).round(6))
    have = sorted(set(mine["percentile"]))
    want = sorted({p for b in bands for p in b} | {50.0})
    missing = [p for p in want if not np.isclose(have, p).any()]
    if missing:
        raise ValueError(f"percentiles {', '.join(map(_fmt_pct, missing))} of {measure!r} are not in "
                         f"sim.percentiles (the bands and the median are needed); available: "
                         f"{', '.join(map(_fmt_pct, have)) or 'none'}")
    table = mine.pivot_table(index=["scenario", "fiscal_year"], columns="percentile", values="value",
                             aggfunc="first")
    table.columns = [float(c) for c in table.columns]

    def band(name: str, p: float) -> np.ndarray:
        col = next(c for c in table.columns if np.isclose(c, p))
        return table.loc[name][col].reindex(years).to_numpy(float)

    ref_measure, ref_label = REFERENCE.get(measure, DEFAULT_REFERENCE)
    ref = {}
    if ref_measure is not None:
        r = pct[(pct["measure"] == ref_measure) & np.isclose(pct["percentile"].astype(float), 50.0)]
        ref = {n: r[r["scenario"] == n].set_index("fiscal_year")["value"].reindex(years).to_numpy(float)
               for n in names if (r["scenario"] == n).any()}
    central = {}
    det = getattr(sim, "deterministic", None)
    det_table = getattr(det, "table", None)
    if det_table is not None and measure in det_table.columns:
        central = {n: det_table[det_table["scenario"] == n].set_index("fiscal_year")[measure]
                   .reindex(years).to_numpy(float) for n in names if (det_table["scenario"] == n).any()}

    values = [band(n, p) for n in names for p in want] + list(ref.values()) + list(central.values())
    div, word = scale_for(np.concatenate(values) if values else [])
    dec = 1 if div == 1e9 else 0
    what = measure.replace("_", " ")
    order = sorted(bands, key=lambda b: b[1] - b[0], reverse=True)  # widest first, lightest
    alphas = np.linspace(0.2, 0.35, len(order)) if len(order) > 1 else [0.25]
    fig, axes, legend_ax = _grid_figure(
        f"The range of outcomes: {what}",
        f"middle {' and '.join(f'{b[1] - b[0]:g}%' for b in order)} of {_draws_text(sim)} shaded",
        _source(sim, "Monte Carlo simulation of the reserve projection"), len(names))
    x = np.arange(len(years))
    ncols = max(1, min(len(names), 3))
    panel_width = (fig.get_figwidth() - 1.2) / ncols
    rotate = len(years) * 1.0 > panel_width  # about an inch a "2025-26" label
    with style():
        for i, (ax, n) in enumerate(zip(axes, names, strict=True)):
            for (lo, hi), a in zip(order, alphas, strict=True):
                ax.fill_between(x, band(n, lo) / div, band(n, hi) / div, color=FAN_COLOR, alpha=a, lw=0,
                                label=f"{_ordinal(lo)} to {_ordinal(hi)} percentile", zorder=2)
            med = band(n, 50.0) / div
            ax.plot(x, med, color=FAN_COLOR, marker="o", label="Median", zorder=4)
            ax.annotate(money(med[-1], dec), (x[-1], med[-1]), xytext=(8, 0), textcoords="offset points",
                        va="center", fontsize=11, color=FAN_COLOR, fontweight="bold")
            if n in central:
                ax.plot(x, central[n] / div, color="black", lw=1.8, ls=":", label="Projection at central values",
                        zorder=5)
            if n in ref:
                ax.plot(x, ref[n] / div, color="black", lw=2.2, ls=(0, (6, 3)), label=ref_label, zorder=3)
            if ref_measure is None:  # the margin: zero is the minimum
                ax.axhline(0, color="black", lw=2.2, ls=(0, (6, 3)), zorder=3, label=ref_label)
            else:
                ax.axhline(0, color="#444444", lw=1, zorder=1)
            ax.set_title(_t(textwrap.fill(n, 40 if ncols > 1 else 70)), fontsize=14)
            ax.set_xticks(x, years, rotation=45 if rotate else 0, ha="right" if rotate else "center")
            ax.set_xlim(-0.3, len(x) - 0.3 + 0.25 * max(1, len(x) / 3))
            if i % ncols == 0:
                ax.set_ylabel(f"{what.capitalize()} ($ {word})")
            if i >= len(names) - ncols:
                ax.set_xlabel("Fiscal year (year end)")
            money_axis(ax, decimals=dec)
        handles, labels = axes[0].get_legend_handles_labels()
        legend_ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 0), borderaxespad=0,
                         ncols=_legend_columns(labels, fig.get_figwidth() - 0.6))
    return fig


# ---------------------------------------------------------------------------- breach
def _pct_label(v: float) -> str:
    if not np.isfinite(v):
        return "n/a"
    if 0 < v < 1:
        return "<1%"
    if 99 < v < 100:
        return ">99%"
    return f"{v:.0f}%"


def breach_probability(sim, test: str = "minimum_reserve", scenarios: Sequence[str] | None = None,
                       parties: Mapping[str, str] | None = None) -> Figure:
    """The chance each scenario breaches a reserve test, by fiscal year.

    Grouped bars, one per scenario in each fiscal year, their height the share of the
    simulated draws (0-100%) in which the test fails at the year end, each labelled with
    its percentage (``<1%`` when some but under 1% of the draws breach, ``>99%`` when
    nearly all do). ``test="minimum_reserve"``: available reserves below the legal
    minimum reserve; ``"health_floor"``: the health reserve below its floor. The baseline
    is grey, the district's scenarios warm and the union's blue (``parties``).

    Parameters
    ----------
    sim
        A simulation result (see the module docstring): reads ``breach``,
        ``scenario_names``, ``fiscal_years``, ``draws``, ``seed`` and ``source``.
    test
        A test of ``sim.breach``.
    scenarios
        Which scenarios, in order (default: all, the baseline first).
    parties
        ``{scenario: "district" | "union" | "agreement"}`` for the colours.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        An unknown test or scenario; the message lists what is available.
    """
    b = sim.breach
    tests = list(dict.fromkeys(b["test"]))
    if test not in tests:
        raise ValueError(f"no breach test {test!r} in the simulation; have: {', '.join(map(repr, tests)) or 'none'}")
    rows = b[b["test"] == test]
    names = _pick(_scenario_names(sim, rows), scenarios)
    years = _years(sim, rows)
    table = rows.pivot_table(index="scenario", columns="fiscal_year", values="probability", aggfunc="first")
    table = table.reindex(index=names, columns=years) * 100.0
    colors = _colors(names, parties)
    title, what = BREACH_TESTS.get(test, (f"Chance of breaching the {test.replace('_', ' ')} test",
                                          f"{test.replace('_', ' ')} test failed at year end"))
    nbars = len(names) * len(years)
    fig, (ax,) = new_figure(title, subtitle=f"{what}, {_draws_text(sim)}",
                            source=_source(sim, "Monte Carlo simulation of the reserve projection"),
                            figsize=(max(10.0, min(18.0, 3.0 + 0.42 * nbars)), 6.5))
    x = np.arange(len(years))
    width = 0.8 / max(len(names), 1)
    crowded = nbars > 16
    with style():
        for i, n in enumerate(names):
            v = table.loc[n].to_numpy(float)
            bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, np.nan_to_num(v), width, label=_t(n),
                          color=colors[n], zorder=3)
            for rect, val in zip(bars, v, strict=True):
                inside = np.isfinite(val) and val > (80 if crowded else 90)  # no room above: inside the top
                ax.annotate(_pct_label(val), (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                            xytext=(0, -4 if inside else 3), textcoords="offset points", ha="center",
                            va="top" if inside else "bottom", rotation=90 if crowded else 0,
                            fontsize=10 if crowded else 12, color="white" if inside else "black",
                            fontweight="bold" if inside else "normal")
        ax.set_xticks(x, years, rotation=45 if len(years) > 8 else 0, ha="right" if len(years) > 8 else "center")
        ax.set_xlabel("Fiscal year (at year end)")
        ax.set_ylabel("Chance of a breach (% of draws)")
        ax.set_ylim(0, 100)
        ax.set_yticks(np.arange(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
        outside_legend(fig, ax)
    return fig


# ---------------------------------------------------------------------------- tornado
def _value_label(v: float, unit: str | None) -> str:
    """An assumption's value in its unit: percent ``2.0`` and fraction ``0.02`` both read
    ``2.0%``; dollars as money; anything else with its unit word."""
    if not np.isfinite(v):
        return "n/a"
    u = str(unit or "").strip().lower()
    if u in ("percent", "%", "pct", "percentage", "percentage points", "percentage_points", "pp"):
        return f"{v:.1f}%"
    if u in ("fraction", "share", "rate", "proportion"):
        return f"{100 * v:.1f}%"
    if u in ("dollars", "dollar", "$", "usd"):
        div, word = scale_for([v])
        return money(v) if abs(v) < 1e6 else f"{money(v / div, 1 if div == 1e9 else 0)} {word[:-1]}"
    return f"{v:,.3g} {u}".rstrip()


def tornado(sens, top: int | None = None) -> Figure:
    """Which assumption moves the outcome most: a tornado chart of one-at-a-time swings.

    One row per assumption, the largest swing at the top. From a vertical line at the
    central estimate (``sens.base``, every assumption at its central value) a bar runs to
    the outcome with the assumption at its low value (blue) and one to the outcome at its
    high value (orange), the others held at their central values; the x axis is the
    change from the central estimate ($ millions, or billions for swings of $2 billion
    or more). Each bar end is labelled with the assumption's value (percent as ``2.0%``)
    and the change it makes (``2.0%: -$60``). When both values move the outcome the same
    way (or one does not move it) the row shows two half-height bars, low above high, so
    neither hides the other.

    Parameters
    ----------
    sens
        A sensitivity result (see the module docstring): reads ``table``, ``base``,
        ``outcome`` and ``source``.
    top
        Show only the ``top`` largest swings (default: all).

    Returns
    -------
    matplotlib.figure.Figure
        Bars are drawn as ``barh`` patches from ``min(0, d)`` to ``max(0, d)`` where
        ``d = outcome - base`` (scaled to the axis unit).
    """
    t = sens.table
    if t is None or len(t) == 0:
        raise ValueError("the sensitivity table is empty")
    need = {"low", "high", "outcome_low", "outcome_high"}
    if need - set(t.columns):
        raise ValueError(f"the sensitivity table lacks {', '.join(sorted(need - set(t.columns)))}; "
                         f"have: {', '.join(map(str, t.columns))}")
    t = t.copy()
    if "swing" not in t.columns:
        t["swing"] = (t["outcome_high"] - t["outcome_low"]).abs()
    t = t.sort_values("swing", ascending=False, kind="stable")
    if top is not None:
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        t = t.head(top)
    base = float(sens.base)
    d_low = t["outcome_low"].to_numpy(float) - base
    d_high = t["outcome_high"].to_numpy(float) - base
    div, word = scale_for(np.concatenate([d_low, d_high]))
    dec = 1 if div == 1e9 else 0
    labels = [str(r.get("label") or r.get("assumption") or "") for r in t.to_dict("records")]
    units = t["unit"] if "unit" in t.columns else pd.Series([None] * len(t), index=t.index)
    n = len(t)
    outcome = str(getattr(sens, "outcome", "") or "the outcome")
    fig, (ax,) = new_figure("Which assumption matters most", subtitle=_t(outcome),
                            source=_source(sens, "one-at-a-time sensitivity of the reserve projection"),
                            figsize=(12, max(5.5, 3.2 + 0.62 * n)))
    y = np.arange(n)[::-1]  # the largest swing at the top
    span = max(float(np.nanmax(np.abs(np.concatenate([d_low, d_high])))) / div, 1e-9)
    with style():
        for yi, lo, hi, vlo, vhi, unit in zip(y, d_low / div, d_high / div, t["low"], t["high"], units,
                                              strict=True):
            same_side = (lo >= 0 and hi >= 0) or (lo <= 0 and hi <= 0)  # incl. a zero change
            h = 0.36 if same_side else 0.64
            for d, v, color, label, off in ((lo, vlo, LOW_COLOR, LOW_LABEL, h / 2),
                                            (hi, vhi, HIGH_COLOR, HIGH_LABEL, -h / 2)):
                yc = yi + (off if same_side else 0.0)
                ax.barh(yc, abs(d), h, left=min(d, 0.0), color=color, label=label, zorder=3)
                change = ("+" if d >= 0 else "") + money(d, dec if span >= 5 else dec + 1)
                ax.annotate(_t(f"{_value_label(float(v), unit)}: {change}"), (d, yc), xytext=(5 if d >= 0 else -5, 0),
                            textcoords="offset points", ha="left" if d >= 0 else "right", va="center",
                            fontsize=11, color="#333333")
        # room for the end labels (about 1.6% of the axis width a character)
        longest = max(len(t.get_text().replace("\\$", "$")) for t in ax.texts)
        k = min(2.2, 1.05 / max(1 - 0.016 * longest, 0.4))
        ax.set_xlim(-span * k, span * k)
        ax.axvline(0, color="black", lw=2, zorder=4)
        ax.set_yticks(y, [_t(textwrap.fill(s, 28)) for s in labels], fontsize=12)
        ax.set_ylim(-0.7, n + 0.1)
        bdiv, bword = scale_for([base])
        ax.annotate(f"Central estimate: {money(base / bdiv, 1 if bdiv == 1e9 else 0)} {bword[:-1]}", (0, 1),
                    xycoords=("data", "axes fraction"), xytext=(6, -2), textcoords="offset points", ha="left",
                    va="top", fontsize=11, fontweight="bold")
        ax.set_xlabel(f"Change from the central estimate ($ {word})")
        ax.set_ylabel("Assumption")
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        money_axis(ax, axis="x", decimals=dec if span >= 5 else dec + 1)
        handles = [Patch(color=LOW_COLOR, label=LOW_LABEL), Patch(color=HIGH_COLOR, label=HIGH_LABEL)]
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, borderaxespad=0)
    return fig
