"""Statewide figures: districts ranked by what a scenario costs them.

Reads a :class:`costing.statewide.StatewideCosting` (never re-prices) and returns a
:class:`matplotlib.figure.Figure` in the house style: title, units on the axes, a source
line saying the data is synthetic, Okabe-Ito colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .style import OKABE_ITO, money, money_axis, new_figure, scale_for

if TYPE_CHECKING:  # pragma: no cover
    from ..statewide import StatewideCosting

__all__ = ["BELOW_COLOR", "MEASURES", "STAYS_COLOR", "ranked_districts"]

MEASURES = ("per_student", "total")
STAYS_COLOR = OKABE_ITO["blue"]
BELOW_COLOR = OKABE_ITO["vermillion"]
SOURCE = ("synthetic districts calibrated to NCES CCD 2023-24 enrollment and staff and statewide pay figures "
          "(data/statewide/README.md)")


def _short(name: str, width: int = 40) -> str:
    """A district name cut to ``width`` characters (with an ellipsis) for a tick label."""
    name = str(name)
    return name if len(name) <= width else name[: width - 1].rstrip() + "\u2026"


def ranked_districts(result: StatewideCosting, scenario: str | None = None, measure: str = "per_student",
                     top: int = 20, title: str | None = None) -> Figure:
    """The ``top`` districts by a scenario's cost over its horizon, largest at the top:
    ``measure = "per_student"`` (dollars per student: cost / NCES enrollment) or
    ``"total"`` (dollars, in millions or billions). Bars are vermillion for districts
    whose available reserves fall below the legal minimum under the scenario, blue for
    the rest. ``scenario`` defaults to the result's only (or first) scenario."""
    from ..statewide.views import below_minimum, cost_by_district, cost_per_student

    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a whole number of districts, at least 1, got {top!r}")
    name = scenario if scenario is not None else result.scenario_names[0]
    table = (cost_per_student if measure == "per_student" else cost_by_district)(result, name)
    table = table.dropna(subset=["total"]).head(top)
    below = set(below_minimum(result, name)["district"])
    years = [c for c in table.columns if c[:4].isdigit()]
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else (years[0] if years else "")
    if measure == "per_student":
        div, decimals = 1.0, 0
        xlabel = f"Cost per student, {span} ($ per student)"
    else:
        div, word = scale_for(table["total"].to_numpy())
        decimals = 1
        xlabel = f"Cost over the status quo, {span} ($ {word})"
    n = len(table)
    fig, (ax,) = new_figure(title or f"{name}: what it costs, district by district",
                            subtitle=f"The {n} districts where it costs most "
                                     f"{'per student' if measure == 'per_student' else 'in dollars'}",
                            source=SOURCE, figsize=(12, max(4.5, 0.34 * n + 2.6)))
    y = np.arange(n)[::-1]
    values = table["total"].to_numpy(float) / div
    colors = [BELOW_COLOR if d in below else STAYS_COLOR for d in table["district"]]
    bars = ax.barh(y, values, 0.7, color=colors)
    if n <= 30:
        ax.bar_label(bars, labels=[money(v, decimals) for v in values], padding=3, fontsize=10)
    labels = [f"{_short(nm)} ({d})" for nm, d in zip(table["district_name"], table["district"], strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("District (NCES id)")
    money_axis(ax, axis="x", decimals=0)
    ax.margins(x=0.15)
    # the legend between the title and the plot (the house style's place for it)
    ax.legend(handles=[Patch(color=BELOW_COLOR, label="Reserves fall below the legal minimum"),
                       Patch(color=STAYS_COLOR, label="Reserves stay above the minimum")],
              loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, borderaxespad=0, fontsize=10)
    return fig
