"""Figures for the bargaining table: the house style and one function per figure.

Every function reads results and returns a :class:`matplotlib.figure.Figure` (never
registered with pyplot); :func:`save` writes PNG (300 dpi), SVG and PDF with the text
kept editable.

>>> import costing as ct, costing.plot as cp
>>> fig = cp.cost_by_year(ct.price(ct.Scenario("3%", start="2025-26", years=2,
...     proposals=(ct.Raise(percent=0.03, effective="2025-07-01"),)), ct.load_example()))
>>> fig.axes[0].get_ylabel()
'Cost over status quo ($ millions)'
"""

from .figures import (
    cost_by_component,
    cost_by_year,
    cost_share_of_reserves,
    cpi_fiscal_year,
    health_drawdown,
    member_pay,
    pension_rates,
    per_member,
    positions_added,
    positions_by_target,
    projected_vs_actual,
    raise_vs_inflation,
    reserve_composition,
    reserve_path,
    waterfall,
)
from .statewide import ranked_districts
from .style import OKABE_ITO, STYLE_PATH, save, style
from .uncertainty import breach_probability, fan_chart, tornado

__all__ = [
    "OKABE_ITO",
    "breach_probability",
    "fan_chart",
    "tornado",
    "STYLE_PATH",
    "cost_by_component",
    "cost_by_year",
    "cost_share_of_reserves",
    "cpi_fiscal_year",
    "health_drawdown",
    "member_pay",
    "pension_rates",
    "per_member",
    "positions_added",
    "positions_by_target",
    "projected_vs_actual",
    "ranked_districts",
    "raise_vs_inflation",
    "reserve_composition",
    "reserve_path",
    "save",
    "style",
    "waterfall",
]
