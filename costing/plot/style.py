"""The house style, the shared look of every figure, and :func:`save`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

__all__ = ["COMPONENT_COLORS", "COMPONENT_LABELS", "OKABE_ITO", "PARTY_COLORS", "STYLE_PATH", "save", "style"]

#: Okabe & Ito (2008), safe for the common colour-vision deficiencies
OKABE_ITO = {
    "blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "orange": "#E69F00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000", "grey": "#8C8C8C",
}
#: scenario colours by party: the district warm, the union blue, agreements green
PARTY_COLORS = {
    "district": [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["yellow"]],
    "union": [OKABE_ITO["blue"], OKABE_ITO["sky"], OKABE_ITO["purple"]],
    "agreement": [OKABE_ITO["green"], OKABE_ITO["black"]],
    "other": [OKABE_ITO["purple"], OKABE_ITO["black"], OKABE_ITO["yellow"]],
}
COMPONENT_LABELS = {
    "salary": "Salary", "step_column": "Step and column", "other_compensation": "Other compensation",
    "statutory_benefits": "Statutory benefits", "health_welfare": "Health and welfare", "program": "Programs",
}
COMPONENT_COLORS = {
    "salary": OKABE_ITO["blue"], "step_column": OKABE_ITO["sky"], "other_compensation": OKABE_ITO["orange"],
    "statutory_benefits": OKABE_ITO["green"], "health_welfare": OKABE_ITO["purple"], "program": OKABE_ITO["yellow"],
}

STYLE_PATH = Path(str(resources.files("costing.plot") / "costing.mplstyle"))


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Use the house style inside a ``with`` block (every figure function does).

    >>> with style():
    ...     import matplotlib as mpl
    ...     mpl.rcParams["pdf.fonttype"]
    42
    """
    with plt.style.context(str(STYLE_PATH)):
        yield


def save(fig: Figure, path_stem: str | Path, formats: Sequence[str] = ("png", "svg", "pdf"),
         dpi: int = 300) -> list[Path]:
    """Write ``fig`` as ``path_stem.png`` (at ``dpi``), ``.svg`` and ``.pdf`` (text kept as
    text); returns the paths written. The folder is created if needed."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = []
    with style():
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt.lstrip('.')}")
            fig.savefig(path, dpi=dpi, format=fmt.lstrip("."))
            out.append(path)
    return out


# ---------------------------------------------------------------------------- shared look
def new_figure(title: str, subtitle: str = "", source: str = "", ncols: int = 1,
               figsize: tuple[float, float] | None = None, sharey: bool = False) -> tuple[Figure, list]:
    """A Figure (not registered with pyplot: nothing leaks, nothing shows twice in
    Jupyter) with the title, an optional subtitle, and the source line at the bottom."""
    with style():
        fig = Figure(figsize=figsize or mpl.rcParams["figure.figsize"], layout="constrained")
        # keep a band at the bottom for the source line
        fig.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))
        axes = list(np.atleast_1d(fig.subplots(1, ncols, sharey=sharey)))
        fig.suptitle(title + (f"\n{subtitle}" if subtitle else ""), x=0.02, ha="left",
                     fontsize=mpl.rcParams["figure.titlesize"])
        fig.text(0.01, 0.012, f"Source: {source} · costing" if source else "Source: costing",
                 ha="left", va="bottom", fontsize=10, color="#555555", wrap=True)
    return fig, axes


def source_text(fig: Figure) -> str:
    """The source line of a figure made here."""
    return next((t.get_text() for t in fig.texts if t.get_text().startswith("Source")), "")


def scale_for(values) -> tuple[float, str]:
    """Divisor and unit word for dollar values: billions if any reaches $2B, else millions."""
    arr = np.abs(np.asarray(values, dtype=float))
    top = np.nanmax(arr) if arr.size and np.isfinite(arr).any() else 0.0
    return (1e9, "billions") if top >= 2e9 else (1e6, "millions")


def money_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    fmt = FuncFormatter(lambda v, _pos: f"-${abs(v):,.{decimals}f}" if v < 0 else f"${v:,.{decimals}f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def money(v: float, decimals: int = 0) -> str:
    if not np.isfinite(v):
        return ""
    return f"-${abs(v):,.{decimals}f}" if v < 0 else f"${v:,.{decimals}f}"


def scenario_colors(names: Sequence[str], parties: dict[str, str] | None = None) -> dict[str, str]:
    """One colour per scenario: the district's in warm colours, the union's in blues."""
    parties = parties or {}
    used: dict[str, int] = {}
    spare = iter(["#666666", "#999999", "#333333", "#BBBBBB"] * 10)
    out = {}
    for n in names:
        party = parties.get(n, "other")
        palette = PARTY_COLORS.get(party, PARTY_COLORS["other"])
        i = used.get(party, 0)
        used[party] = i + 1
        out[n] = palette[i] if i < len(palette) else next(spare)
    return out


def outside_legend(fig: Figure, ax, ncols: int | None = None, **kw) -> None:
    """The legend between the title and the plot, where long scenario names fit."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    if ncols is None:
        longest = max(len(label) for label in labels)
        ncols = 1 if longest > 40 else min(len(labels), 2 if longest > 22 else 4)
    # an axes legend above the plot: constrained layout makes room for it under the title
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=ncols, borderaxespad=0, **kw)
