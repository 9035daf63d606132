"""Views of a :class:`~costing.statewide.StatewideCosting`: every one a reshaping of its
stacked ledger or reserve projections, never a second pricing.

* :func:`cost_by_district`: each scenario's cost in each district by fiscal year
  (dollars, incremental over the status quo; the status quo's own step and column is
  left out, as in ``Costing.by_year``) and over the horizon (``total``).
* :func:`statewide_total`: the same summed over districts (scenario x fiscal year).
* :func:`cost_per_student`: cost by district divided by the district's enrollment
  (NCES CCD 2023-24 students): dollars per student per fiscal year.
* :func:`below_minimum`: the districts whose available reserves would fall below the
  legal minimum reserve (5 CCR 15450) in a projected year, with the first such year, the
  deepest shortfall and whether the baseline (no agreement) falls below too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..engine import STATUS_QUO
from ..reserves import BASELINE_NAME

if TYPE_CHECKING:  # pragma: no cover
    from .pricing import StatewideCosting

__all__ = ["below_minimum", "cost_by_district", "cost_per_student", "statewide_total"]


def _costs(result: StatewideCosting, scenario: str | None) -> pd.DataFrame:
    led = result.ledger
    led = led[led["scenario"] != STATUS_QUO]
    if scenario is not None:
        if scenario not in result.scenario_names:
            raise ValueError(f"no scenario named {scenario!r}; have: {', '.join(result.scenario_names)}")
        led = led[led["scenario"] == scenario]
    return led


def _years(result: StatewideCosting) -> list[str]:
    return sorted({y for s in result.scenarios for y in s.fiscal_years})


def cost_by_district(result: StatewideCosting, scenario: str | None = None) -> pd.DataFrame:
    """One row per district and scenario: ``district``, ``district_name``, ``scenario``,
    ``enrollment``, the cost in each fiscal year (dollars) and ``total`` (the horizon's
    sum), largest total first. A district a scenario costs nothing in is kept (zeros)."""
    led = _costs(result, scenario)
    years = _years(result)
    wide = led.pivot_table(index=["district", "scenario"], columns="fiscal_year", values="amount",
                           aggfunc="sum", fill_value=0.0)
    names = [scenario] if scenario is not None else result.scenario_names
    ids = [str(d) for d in result.districts["district"] if str(d) not in set(result.failed["district"])]
    full = pd.MultiIndex.from_product([ids, names], names=["district", "scenario"])
    wide = wide.reindex(index=full, columns=years, fill_value=0.0).fillna(0.0)
    wide.columns.name = None
    out = wide.reset_index()
    meta = result.districts.set_index("district")
    out.insert(1, "district_name", meta["district_name"].reindex(out["district"]).to_numpy())
    out.insert(3, "enrollment", meta["enrollment"].reindex(out["district"]).to_numpy(float))
    out["total"] = out[years].sum(axis=1)
    return out.sort_values(["total", "district"], ascending=[False, True], kind="stable").reset_index(drop=True)


def statewide_total(result: StatewideCosting) -> pd.DataFrame:
    """Each scenario's cost summed over every district priced, by fiscal year (rows:
    scenarios; columns: fiscal years and ``total``; dollars)."""
    led = _costs(result, None)
    years = _years(result)
    t = led.pivot_table(index="scenario", columns="fiscal_year", values="amount", aggfunc="sum", fill_value=0.0)
    t = t.reindex(index=result.scenario_names, columns=years).fillna(0.0)
    t.columns.name = None
    t["total"] = t[years].sum(axis=1)
    return t


def cost_per_student(result: StatewideCosting, scenario: str | None = None) -> pd.DataFrame:
    """:func:`cost_by_district` with each dollar figure divided by the district's
    enrollment: dollars per student (``cost / enrollment``); highest ``total`` per
    student first. A district with no enrollment on record has none (NaN)."""
    t = cost_by_district(result, scenario)
    cols = [c for c in t.columns if c not in ("district", "district_name", "scenario", "enrollment")]
    enrollment = t["enrollment"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t[cols] = t[cols].to_numpy(float) / np.where(enrollment > 0, enrollment, np.nan)[:, None]
    return t.sort_values(["total", "district"], ascending=[False, True], kind="stable",
                         na_position="last").reset_index(drop=True)


def below_minimum(result: StatewideCosting, scenario: str | None = None) -> pd.DataFrame:
    """Districts whose available reserves fall below the minimum reserve in a projected
    year under a scenario (``margin_above_minimum < 0``): ``district``,
    ``district_name``, ``scenario``, ``first_year_below``, ``years_below``,
    ``deepest_shortfall`` (dollars, the most negative margin), ``baseline_below`` (the
    district falls below without any agreement too). Deepest shortfall first."""
    res = result.reserves
    cols = ["district", "district_name", "scenario", "first_year_below", "years_below", "deepest_shortfall",
            "baseline_below"]
    if res.empty:
        return pd.DataFrame(columns=cols)
    base = res[res["scenario"] == BASELINE_NAME]
    base_below = set(base.loc[base["margin_above_minimum"] < 0, "district"])
    sc = res[res["scenario"] != BASELINE_NAME]
    if scenario is not None:
        if scenario not in result.scenario_names:
            raise ValueError(f"no scenario named {scenario!r}; have: {', '.join(result.scenario_names)}")
        sc = sc[sc["scenario"] == scenario]
    below = sc[sc["margin_above_minimum"] < 0].sort_values(["district", "scenario", "fiscal_year"], kind="stable")
    if below.empty:
        return pd.DataFrame(columns=cols)
    g = below.groupby(["district", "scenario"], sort=False)
    out = pd.DataFrame({
        "first_year_below": g["fiscal_year"].first(),
        "years_below": g["fiscal_year"].size(),
        "deepest_shortfall": g["margin_above_minimum"].min(),
    }).reset_index()
    meta = result.districts.set_index("district")
    out.insert(1, "district_name", meta["district_name"].reindex(out["district"]).to_numpy())
    out["baseline_below"] = out["district"].isin(base_below)
    return out[cols].sort_values(["deepest_shortfall", "district"], kind="stable").reset_index(drop=True)
