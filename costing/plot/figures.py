"""One function per figure. Each reads results (a Costing, Reserves, a history table, a
health drawdown frame, ...) and returns a :class:`matplotlib.figure.Figure` with a title,
units on its axes, a source line and the scenario names. None re-prices, except the
member calculator (:func:`member_pay`), which prices one worker."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..calendar import parse_fiscal_year
from ..costing import Costing
from ..district import data_dir
from ..engine import STATUS_QUO, STEP_PROPOSAL
from .style import (
    COMPONENT_COLORS,
    COMPONENT_LABELS,
    OKABE_ITO,
    money,
    money_axis,
    new_figure,
    outside_legend,
    scale_for,
    scenario_colors,
)

__all__ = [
    "cost_by_component", "cost_by_year", "cost_share_of_reserves", "cpi_fiscal_year", "health_drawdown",
    "member_pay", "pension_rates", "per_member", "positions_added", "positions_by_target", "projected_vs_actual",
    "raise_vs_inflation", "reserve_composition", "reserve_path", "waterfall",
]

LA_CPI = "CUURS49ASA0"


def _results(costing) -> list[Costing]:
    if isinstance(costing, Costing):
        return [costing]
    if isinstance(costing, Mapping):
        return list(costing.values())
    return list(costing)


def _parties(results: Sequence[Costing]) -> dict[str, str]:
    return {s.name: s.party for r in results for s in r.scenarios}


def _source(results: Sequence[Costing]) -> str:
    names = sorted({r.district_name for r in results if r.district_name}) or ["district"]
    bases = sorted({r.base_year for r in results})
    return (f"{', '.join(names)} data, base year {', '.join(bases)}; cost over the status quo "
            "from the costing ledger")


def _year_key(fy: str) -> int:
    return parse_fiscal_year(fy)


# ---------------------------------------------------------------------------- cost by year
def cost_by_year(costing, scenarios: Sequence[str] | None = None, title: str | None = None) -> Figure:
    """Each scenario's cost by fiscal year, side by side ($ millions): the district's
    offer next to the union's demand. ``costing``: a Costing or the ``{base year:
    Costing}`` of :func:`costing.price_lausd`; ``scenarios`` picks and orders them."""
    results = _results(costing)
    tables = [r.by_year().drop(index=STATUS_QUO, errors="ignore") for r in results]
    table = pd.concat(tables) if tables else pd.DataFrame()
    names = list(scenarios) if scenarios is not None else list(table.index)
    missing = [n for n in names if n not in table.index]
    if missing:
        raise ValueError(f"no scenario named {', '.join(map(repr, missing))}; have: {', '.join(table.index)}")
    table = table.loc[names]
    years = sorted([c for c in table.columns if table[c].notna().any()], key=_year_key)
    table = table[years]
    div, word = scale_for(table.to_numpy())
    colors = scenario_colors(names, _parties(results))
    fig, (ax,) = new_figure(title or "What each proposal costs, year by year",
                            source=_source(results))
    x = np.arange(len(years))
    width = 0.8 / max(len(names), 1)
    for i, n in enumerate(names):
        vals = table.loc[n].to_numpy(float) / div
        bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, np.nan_to_num(vals), width, label=n, color=colors[n])
        if len(names) * len(years) <= 12:
            ax.bar_label(bars, labels=[money(v, 1 if div == 1e9 else 0) for v in vals], padding=3, fontsize=11)
    ax.set_xticks(x, years)
    ax.set_xlabel("Fiscal year")
    ax.set_ylabel(f"Cost over status quo ($ {word})")
    money_axis(ax, decimals=1 if div == 1e9 else 0)
    ax.margins(y=0.12)
    outside_legend(fig, ax)
    return fig


# ---------------------------------------------------------------------------- by component
def _find(results: Sequence[Costing], scenario: str) -> Costing:
    for r in results:
        if scenario in r.scenario_names:
            return r
    have = [n for r in results for n in r.scenario_names]
    raise ValueError(f"no scenario named {scenario!r}; have: {', '.join(have)}")


def cost_by_component(costing, scenario: str, include_step: bool = False) -> Figure:
    """One scenario's cost by fiscal year, stacked by component ($ millions); with
    ``include_step`` the status quo's step and column (in the scenario's units) under it."""
    res = _find(_results(costing), scenario)
    s = res.scenario(scenario)
    led = res.ledger
    own = led[(led["scenario"] == scenario) & led["fiscal_year"].isin(s.fiscal_years)]
    if include_step:
        units = own["unit"].unique()
        sq = led[(led["scenario"] == STATUS_QUO) & led["unit"].isin(units) & led["fiscal_year"].isin(s.fiscal_years)]
        own = pd.concat([own, sq.assign(component=sq["component"].where(sq["component"] != "statutory_benefits",
                                                                       "step_column"))])
    table = own.pivot_table(index="component", columns="fiscal_year", values="amount", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=list(s.fiscal_years), fill_value=0.0)
    table = table.reindex([c for c in COMPONENT_LABELS if c in table.index])
    table = table[(table.abs() > 0).any(axis=1)]
    div, word = scale_for(table.sum().to_numpy())
    fig, (ax,) = new_figure("What the package costs, by component", subtitle=scenario, source=_source([res]))
    x = np.arange(len(s.fiscal_years))
    bottom_pos = np.zeros(len(x))
    bottom_neg = np.zeros(len(x))
    for comp, row in table.iterrows():
        v = row.to_numpy(float) / div
        base = np.where(v >= 0, bottom_pos, bottom_neg)
        ax.bar(x, v, 0.6, bottom=base, label=COMPONENT_LABELS[comp], color=COMPONENT_COLORS[comp])
        bottom_pos += np.where(v >= 0, v, 0)
        bottom_neg += np.where(v < 0, v, 0)
    total = table.sum().to_numpy(float) / div
    for xi, t, top in zip(x, total, bottom_pos, strict=True):
        ax.annotate(money(t, 1 if div == 1e9 else 0), (xi, top), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=12, fontweight="bold")
    ax.set_xticks(x, list(s.fiscal_years))
    ax.set_xlabel("Fiscal year")
    ax.set_ylabel(f"Cost over status quo ($ {word})")
    money_axis(ax, decimals=1 if div == 1e9 else 0)
    ax.margins(y=0.12)
    outside_legend(fig, ax, ncols=min(len(table), 3))
    return fig


# ---------------------------------------------------------------------------- waterfall
def waterfall(costing, scenario: str, fiscal_year: str | None = None) -> Figure:
    """From the status quo to the package in one fiscal year ($ millions): what the
    district pays anyway (step and column in the scenario's units), then each component
    the package adds, ending at the total."""
    res = _find(_results(costing), scenario)
    s = res.scenario(scenario)
    fy = fiscal_year or s.fiscal_years[-1]
    if fy not in s.fiscal_years:
        raise ValueError(f"{fy} is outside {scenario!r} ({', '.join(s.fiscal_years)})")
    led = res.ledger[res.ledger["fiscal_year"] == fy]
    own = led[led["scenario"] == scenario]
    units = own["unit"].unique()
    sq = led[(led["scenario"] == STATUS_QUO) & (led["proposal"] == STEP_PROPOSAL) & led["unit"].isin(units)]
    steps = own.groupby("component")["amount"].sum()
    steps = steps.reindex([c for c in COMPONENT_LABELS if c in steps.index and abs(steps[c]) > 0])
    start = float(sq["amount"].sum())
    end = start + float(steps.sum())
    div, word = scale_for([start, end, *np.cumsum(steps.to_numpy()) + start])
    dec = 1 if div == 1e9 else 0
    fig, (ax,) = new_figure(f"From the status quo to the package, {fy}", subtitle=scenario,
                            source=_source([res]) + "; status quo = step and column with its benefits")
    labels = ["Status quo\n(step and column)", *[COMPONENT_LABELS[c].replace(" ", "\n", 1) for c in steps.index],
              "Total with\npackage"]
    n = len(labels)
    ax.bar([0, n - 1], [start / div, end / div], 0.6, color=[OKABE_ITO["grey"], OKABE_ITO["black"]],
           label="Totals")
    cum = start + np.concatenate([[0.0], np.cumsum(steps.to_numpy())])
    inc = steps.to_numpy() / div
    ax.bar(np.arange(1, n - 1), inc, 0.6, bottom=cum[:-1] / div,
           color=[COMPONENT_COLORS[c] for c in steps.index], label="Package components")
    levels = np.concatenate([[start], cum[1:]]) / div
    for i, lv in enumerate(levels):  # connectors
        ax.plot([i + 0.3, i + 0.7], [lv, lv], color="#555555", lw=1, ls=":")
    values = [start / div, *inc, end / div]
    tops = [max(start, 0) / div, *np.maximum(cum[:-1], cum[1:]) / div, max(end, 0) / div]
    for i, (v, top) in enumerate(zip(values, tops, strict=True)):
        sign = "+" if 0 < i < n - 1 and v >= 0 else ""
        ax.annotate(sign + money(v, dec), (i, top), xytext=(0, 4), textcoords="offset points", ha="center",
                    va="bottom", fontsize=12, fontweight="bold")
    ax.set_xticks(np.arange(n), labels)
    ax.set_ylabel(f"Added cost in the year ($ {word})")
    ax.set_xlabel(f"Fiscal year {fy}, units: {', '.join(map(str, units))}")
    money_axis(ax, decimals=dec)
    ax.margins(y=0.12)
    return fig


# ---------------------------------------------------------------------------- reserves
def _reserve_source(reserves) -> str:
    base = getattr(reserves.baseline, "base_year", "")
    return (f"district budget baseline{f' ({base})' if base else ''} projected by costing.project; "
            "minimum reserve per 5 CCR 15450")


def reserve_path(reserves, measure: str = "unrestricted_balance", parties: Mapping[str, str] | None = None) -> Figure:
    """The projected ending balance (``measure``) of the baseline and of each scenario by
    fiscal year, against the legal minimum reserve ($ millions or billions)."""
    from ..reserves import BASELINE_NAME

    wide = reserves.path(measure)
    names = [c for c in wide.columns if c != "minimum_reserve"]
    div, word = scale_for(wide.to_numpy())
    dec = 1 if div == 1e9 else 0
    colors = scenario_colors([n for n in names if n != BASELINE_NAME], dict(parties or {}))
    what = measure.replace("_", " ")
    fig, (ax,) = new_figure(f"Reserves with each proposal: {what}", source=_reserve_source(reserves))
    x = np.arange(len(wide.index))
    for n in names:
        base = n == BASELINE_NAME
        ax.plot(x, wide[n] / div, marker="o", label=n, color="#777777" if base else colors[n],
                ls="--" if base else "-", zorder=3)
    ax.plot(x, wide["minimum_reserve"] / div, color="black", lw=2.5, ls=(0, (6, 3)),
            label="Legal minimum reserve", zorder=2)
    ax.axhline(0, color="#444444", lw=1)
    for n in names:  # end labels
        v = wide[n].iloc[-1] / div
        ax.annotate(money(v, dec), (x[-1], v), xytext=(8, 0), textcoords="offset points", va="center", fontsize=11,
                    color="#777777" if n == BASELINE_NAME else colors[n])
    ax.set_xticks(x, list(wide.index))
    ax.set_xlim(-0.3, len(x) - 0.4)
    ax.set_xlabel("Fiscal year (ending balance)")
    ax.set_ylabel(f"{what.capitalize()} ($ {word})")
    money_axis(ax, decimals=dec)
    outside_legend(fig, ax)
    return fig


def cost_share_of_reserves(reserves, parties: Mapping[str, str] | None = None) -> Figure:
    """Two panels by fiscal year: each scenario's cost as a percentage of the reserves at
    the start of the year, and how many years of that cost the reserves could fund."""
    a = reserves.affordability
    names = list(dict.fromkeys(a["scenario"]))
    years = list(reserves.fiscal_years)
    colors = scenario_colors(names, dict(parties or {}))
    fig, axes = new_figure("Can the district afford it? Cost against reserves",
                           source=_reserve_source(reserves) + "; reserves = baseline's at the start of each year",
                           ncols=2, figsize=(13, 6.5))
    x = np.arange(len(years))
    width = 0.8 / max(len(names), 1)
    panels = [("cost_share_of_reserves", 100.0, "Cost as % of reserves (%)", "{:.0f}%"),
              ("years_reserves_could_fund", 1.0, "Years of the cost reserves could fund (years)", "{:.1f}")]
    for ax, (col, mult, ylabel, fmt) in zip(axes, panels, strict=True):
        for i, n in enumerate(names):
            v = a[a["scenario"] == n].set_index("fiscal_year")[col].reindex(years).to_numpy(float) * mult
            bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, np.nan_to_num(v), width, label=n, color=colors[n])
            if len(names) * len(years) <= 12:
                ax.bar_label(bars, labels=[fmt.format(t) if np.isfinite(t) else "n/a" for t in v],
                             padding=3, fontsize=11)
        ax.set_xticks(x, years)
        ax.set_xlabel("Fiscal year")
        ax.set_ylabel(ylabel)
        ax.margins(y=0.12)
    outside_legend(fig, axes[0])
    return fig


def projected_vs_actual(history, measures: Sequence[str] | None = None) -> Figure:
    """The district's own projections against what happened ($ billions): each closed
    projection (a District's ``history``, a history table or a ForecastErrors) as a pair of
    bars, labelled by the year projected and the year the projection was made."""
    from ..reserves import ForecastErrors, forecast_errors

    fe = history if isinstance(history, ForecastErrors) else forecast_errors(history)
    pva = fe.projected_vs_actual()
    if measures is None:
        measures = [m for m in dict.fromkeys(pva["measure"]) if "balance" in m]
    pva = pva[pva["measure"].isin(measures)].sort_values(["fiscal_year", "made_in"]).reset_index(drop=True)
    div, word = scale_for(pva[["projected", "actual"]].to_numpy())
    dec = 1 if div == 1e9 else 0
    fig, (ax,) = new_figure("The district's projections vs what actually happened",
                            source="district budget reports via the bundled projection history "
                                   "(data/lausd/projection_history.csv)")
    x = np.arange(len(pva))
    w = 0.38
    proj = ax.bar(x - w / 2, pva["projected"] / div, w, label="District projection", color=OKABE_ITO["vermillion"])
    act = ax.bar(x + w / 2, pva["actual"] / div, w, label="Actual", color=OKABE_ITO["blue"])
    ax.bar_label(proj, labels=[money(v, dec + 1) for v in pva["projected"] / div], padding=3, fontsize=12)
    ax.bar_label(act, labels=[money(v, dec + 1) for v in pva["actual"] / div], padding=3, fontsize=12)
    labels = [f"{r.fiscal_year} {r.measure.replace('_', ' ').replace('ending balance', 'balance')}\n"
              f"projected in {r.made_in} ({r.horizon} yr ahead)" for r in pva.itertuples()]
    ax.set_xticks(x, labels, fontsize=11)
    ax.set_xlabel("Year projected and when the projection was made")
    ax.set_ylabel(f"Ending balance ($ {word})")
    money_axis(ax, decimals=dec)
    ax.axhline(0, color="#444444", lw=1)
    ax.margins(y=0.15)
    outside_legend(fig, ax)
    return fig


# ---------------------------------------------------------------------------- health
def health_drawdown(frame: pd.DataFrame, parties: Mapping[str, str] | None = None) -> Figure:
    """The health reserve at the end of each fiscal year under each contribution policy
    (the frame of :func:`costing.proposals.health.health_drawdown`), with the floor."""
    names = list(dict.fromkeys(frame["scenario"]))
    years = sorted(set(frame["fiscal_year"]), key=_year_key)
    colors = scenario_colors(names, dict(parties or {}))
    div, word = scale_for(frame[["reserve_start", "reserve_end", "floor"]].to_numpy())
    dec = 1 if div == 1e9 else 0
    fig, (ax,) = new_figure("The health benefits reserve under each contribution policy",
                            source="health fund reserve path from the costing details (policy terms in each scenario)")
    first = frame[frame["fiscal_year"] == years[0]]
    x = np.arange(len(years) + 1)
    xl = ["start", *years]
    for n in names:
        t = frame[frame["scenario"] == n].groupby("fiscal_year")["reserve_end"].sum().reindex(years)
        start = first[first["scenario"] == n]["reserve_start"].sum()
        v = np.concatenate([[start], t.to_numpy(float)]) / div
        ax.plot(x, v, marker="o", label=n, color=colors[n], zorder=3)
        ax.annotate(money(v[-1], dec), (x[-1], v[-1]), xytext=(8, 0), textcoords="offset points", va="center",
                    fontsize=11, color=colors[n])
    floor = frame.groupby("fiscal_year")["floor"].max().reindex(years).to_numpy(float) / div
    ax.plot(x, np.concatenate([[floor[0]], floor]), color="black", ls=(0, (6, 3)), lw=2.5, label="Reserve floor")
    ax.axhline(0, color="#444444", lw=1)
    ax.set_xticks(x, xl)
    ax.set_xlim(-0.3, len(x) - 0.4)
    ax.set_xlabel("Fiscal year (reserve at year end)")
    ax.set_ylabel(f"Health reserve ($ {word})")
    money_axis(ax, decimals=dec)
    outside_legend(fig, ax)
    return fig


# ---------------------------------------------------------------------------- positions
def positions_added(costing_or_detail, by: str = "band", scenarios: Sequence[str] | None = None) -> Figure:
    """Positions each scenario adds in its last fiscal year (positions are a stock), by
    grade band (``by="band"``) or role (``by="role"``), as horizontal bars (FTE)."""
    from ..positions import details

    col = {"band": "grade_band", "grade_band": "grade_band", "role": "role"}.get(by)
    if col is None:
        raise ValueError(f"by must be 'band' or 'role', got {by!r}")
    if isinstance(costing_or_detail, pd.DataFrame):
        d, parties, src = costing_or_detail, {}, "position details from the costing"
    else:
        results = _results(costing_or_detail)
        d = pd.concat([details(r) for r in results], ignore_index=True)
        parties, src = _parties(results), _source(results)
    d = d[d["positions"].fillna(0) != 0]
    if scenarios is not None:
        d = d[d["scenario"].isin(scenarios)]
    rank = d["fiscal_year"].map(_year_key)
    d = d[rank == rank.groupby(d["scenario"]).transform("max")]
    table = d.pivot_table(index=col, columns="scenario", values="positions", aggfunc="sum", fill_value=0.0)
    names = list(scenarios) if scenarios is not None else list(dict.fromkeys(d["scenario"]))
    table = table.reindex(columns=[n for n in names if n in table.columns])
    table = table.loc[table.sum(axis=1).sort_values().index]
    last = {n: d.loc[d["scenario"] == n, "fiscal_year"].iloc[0] for n in table.columns}
    colors = scenario_colors(list(table.columns), parties)
    word = "grade band" if col == "grade_band" else "role"
    fig, (ax,) = new_figure(f"Positions added by {word}", subtitle="in each proposal's last year", source=src,
                            figsize=(11, max(5.5, 1.6 + 0.55 * len(table) * max(1, len(table.columns)) ** 0.5)))
    y = np.arange(len(table))
    h = 0.8 / max(len(table.columns), 1)
    for i, n in enumerate(table.columns):
        bars = ax.barh(y + ((len(table.columns) - 1) / 2 - i) * h, table[n], h, label=f"{n}", color=colors[n])
        ax.bar_label(bars, labels=[f"{v:,.0f}" if v else "" for v in table[n]], padding=3, fontsize=11)
    ax.set_yticks(y, list(table.index))
    ax.set_xlabel(f"Positions added (FTE){' in ' + ', '.join(sorted(set(last.values()))) if last else ''}")
    ax.set_ylabel(word.capitalize())
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.12)
    outside_legend(fig, ax)
    return fig


# ---------------------------------------------------------------------------- member calculator
def member_pay(scenarios, district, *, unit: str, classification: str, salary: float | None = None,
               hourly_rate: float | None = None) -> pd.DataFrame:
    """What one worker earns under each scenario: priced with :func:`costing.price` on a
    one-row district (the first workforce row of ``unit`` and ``classification``, its pay
    set to ``salary`` or ``hourly_rate``). Returns one row per fiscal year (the base year
    first) and per scenario: ``scenario, party, fiscal_year, pay`` (ongoing pay and other
    compensation, no step advance), ``one_time``, ``total``. ``pay`` in the base year is the
    worker's current annual pay. Step and column is left out: the same worker, same step."""
    from ..engine import price
    from ..workforce import annual_pay

    wf = district.workforce
    rows = wf[(wf["unit"] == unit) & (wf["classification"] == classification)]
    if rows.empty:
        raise ValueError(f"no {classification!r} in unit {unit!r} in {district.name}")
    row = rows.iloc[[0]].copy()
    row["count"] = 1
    row["fte"] = 1.0
    for col in ("schedule", "step", "column"):  # the given pay, not the schedule's; no step advance
        if col in row.columns:
            row[col] = None
    if salary is not None:
        if row["pay_basis"].iloc[0] != "salary":
            raise ValueError(f"{classification} is paid hourly: give hourly_rate")
        row["annual_salary"] = float(salary)
    if hourly_rate is not None:
        if row["pay_basis"].iloc[0] != "hourly":
            raise ValueError(f"{classification} is salaried: give salary")
        row["hourly_rate"] = float(hourly_rate)
    one = dataclasses.replace(district, workforce=row.reset_index(drop=True), _cache={})
    scen = [scenarios] if not isinstance(scenarios, Sequence) else list(scenarios)
    scen = [dataclasses.replace(s, proposals=tuple(p for p in s.proposals if _applies(p, one.workforce)))
            for s in scen]
    res = price(scen, one)
    base = float(annual_pay(one.workforce)[0])
    led = res.ledger[res.ledger["component"].isin(["salary", "other_compensation"])]
    out = []
    for s in scen:
        mine = led[led["scenario"] == s.name]
        ongoing = mine[mine["kind"] == "ongoing"].groupby("fiscal_year")["amount"].sum()
        once = mine[mine["kind"] == "one_time"].groupby("fiscal_year")["amount"].sum()
        out.append({"scenario": s.name, "party": s.party, "fiscal_year": district.base_year, "pay": base,
                    "one_time": 0.0})
        for fy in s.fiscal_years:
            out.append({"scenario": s.name, "party": s.party, "fiscal_year": fy,
                        "pay": base + float(ongoing.get(fy, 0.0)), "one_time": float(once.get(fy, 0.0))})
    frame = pd.DataFrame(out)
    frame["total"] = frame["pay"] + frame["one_time"]
    frame.attrs.update(unit=unit, classification=classification, base_pay=base, district=district.name,
                       base_year=district.base_year, rate=hourly_rate if hourly_rate is not None else salary)
    return frame


def _applies(p, workforce: pd.DataFrame) -> bool:
    """A pay proposal that selects this worker (positions, programs and health are left out)."""
    from ..proposals.selectors import select

    if not hasattr(p, "units") or getattr(p, "kind_name", "") not in {"raise", "floor", "bonus", "stipend", "hours",
                                                                      "cap"}:
        return False
    return bool(select(workforce, p.units, p.classifications, getattr(p, "where", ())).any())


def _member_label(pay: pd.DataFrame) -> str:
    at = pay.attrs
    rate = at.get("rate")
    if rate is None:
        rate_s = f"{money(at.get('base_pay', float('nan')))} a year"
    elif rate < 1000:
        rate_s = f"${rate:,.2f}/hour"
    else:
        rate_s = f"{money(rate)} a year"
    return f"{at.get('classification', 'a worker')} at {rate_s}"


def per_member(pay, district=None, **member) -> Figure:
    """What one worker gets under each scenario by fiscal year (annual pay, dollars):
    ongoing pay as solid bars, one-time payments hatched on top, the current pay as a
    line. ``pay``: a :func:`member_pay` frame, or scenarios (then ``district`` and
    ``unit=..., classification=..., salary=`` or ``hourly_rate=`` are passed on)."""
    if not isinstance(pay, pd.DataFrame):
        pay = member_pay(pay, district, **member)
    names = list(dict.fromkeys(pay["scenario"]))
    years = sorted(set(pay["fiscal_year"]), key=_year_key)[1:]
    parties = dict(zip(pay["scenario"], pay["party"], strict=False))
    colors = scenario_colors(names, parties)
    base = float(pay.attrs.get("base_pay", pay.sort_values("fiscal_year")["pay"].iloc[0]))
    fig, (ax,) = new_figure(f"What a {_member_label(pay)} earns", subtitle="annual pay under each proposal",
                            source=f"{pay.attrs.get('district', 'district')} scenarios priced for one worker "
                                   "(same step; no step advance)")
    x = np.arange(len(years))
    width = 0.8 / max(len(names), 1)
    for i, n in enumerate(names):
        t = pay[pay["scenario"] == n].set_index("fiscal_year").reindex(years)
        xi = x + (i - (len(names) - 1) / 2) * width
        ax.bar(xi, t["pay"].fillna(0), width, label=n, color=colors[n])
        extra = t["one_time"].fillna(0).to_numpy(float)
        if (extra > 0).any():
            ax.bar(xi, extra, width, bottom=t["pay"].fillna(0), color=colors[n], alpha=0.45, hatch="//",
                   label=f"{n}: one-time")
        total = t["total"].to_numpy(float)
        gain = total - base
        if len(names) * len(years) <= 12:  # the gain over pay now, above the whole (stacked) bar
            for xv, top_v, g in zip(xi, total, gain, strict=True):
                if np.isfinite(g):
                    ax.annotate(f"+{money(g)}", (xv, top_v), xytext=(0, 3), textcoords="offset points",
                                ha="center", va="bottom", fontsize=11)
    ax.axhline(base, color="black", ls=(0, (6, 3)), lw=2, label=f"Pay now ({money(base)})")
    ax.set_xticks(x, years)
    ax.set_xlabel("Fiscal year")
    ax.set_ylabel("Annual pay ($)")
    money_axis(ax)
    top = pay["total"].max()
    ax.set_ylim(base * 0.85 if top < base * 1.5 else 0, top * 1.06)
    outside_legend(fig, ax)
    return fig


# ---------------------------------------------------------------------------- inflation
@lru_cache(maxsize=4)
def _monthly_cpi(series_id: str) -> pd.DataFrame:
    m = pd.read_csv(data_dir() / "cpi" / "cpi_u_monthly_la_us.csv")
    return m[m["series_id"] == series_id][["year", "month", "cpi_u"]].reset_index(drop=True)


def cpi_fiscal_year(series_id: str = LA_CPI, min_months: int = 10) -> pd.Series:
    """CPI-U averaged over July-June fiscal years (label ``2023-24``) from the bundled BLS
    monthly series (Los Angeles-Long Beach-Anaheim by default); a year is given only when
    at least ``min_months`` of its months are published (October 2025 was never collected).

    >>> float(round(cpi_fiscal_year()["2022-23"], 1))
    316.9
    """
    m = _monthly_cpi(series_id)
    start = np.where(m["month"] >= 7, m["year"], m["year"] - 1)
    label = [f"{y}-{(y + 1) % 100:02d}" for y in start]
    g = m.groupby(pd.Series(label, name="fiscal_year"))["cpi_u"].agg(["mean", "size"])
    return g.loc[g["size"] >= min_months, "mean"].rename("cpi_u")


def raise_vs_inflation(pay: pd.DataFrame, cpi: pd.Series | None = None, series_label: str =
                       "Prices (CPI-U Los Angeles)") -> Figure:
    """Each scenario's pay against prices (index, base year = 100), from a :func:`member_pay`
    frame (or any ``scenario, fiscal_year, pay`` table with the base year first), and the
    real pay change (``pay_t / pay_0 x CPI_0 / CPI_t - 1``) written at each line's end.
    ``cpi``: CPI by fiscal year (default: :func:`cpi_fiscal_year`, Los Angeles)."""
    cpi = cpi_fiscal_year() if cpi is None else cpi
    names = list(dict.fromkeys(pay["scenario"]))
    years = sorted(set(pay["fiscal_year"]), key=_year_key)
    base_year = years[0]
    parties = dict(zip(pay["scenario"], pay.get("party", pd.Series(["other"] * len(pay))), strict=False))
    colors = scenario_colors(names, parties)
    who = _member_label(pay) if "classification" in pay.attrs else ""
    fig, (ax,) = new_figure("Raises against inflation", subtitle=(f"{who}, " if who else "") + f"{base_year} = 100",
                            source="BLS CPI-U (CUURS49ASA0, July-June averages; data/cpi); pay from the scenarios")
    x = np.arange(len(years))
    c = cpi.reindex(years).to_numpy(float)
    if np.isfinite(c[0]):
        ci = 100 * c / c[0]
        ax.plot(x, ci, color="black", lw=3.5, marker="s", label=series_label, zorder=4)
        ok = np.flatnonzero(np.isfinite(ci))
        ax.annotate(f"{ci[ok[-1]] - 100:+.1f}%", (x[ok[-1]], ci[ok[-1]]), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=11, fontweight="bold")
    for n in names:
        t = pay[pay["scenario"] == n].set_index("fiscal_year")["pay"].reindex(years).to_numpy(float)
        idx = 100 * t / t[0]
        real = idx / (100 * c / c[0]) - 1 if np.isfinite(c[0]) else np.full(len(years), np.nan)
        ok = np.flatnonzero(np.isfinite(real))
        lab = n + (f" (real pay {real[ok[-1]]:+.1%} by {years[ok[-1]]})" if len(ok) > 1 else "")
        ax.plot(x, idx, marker="o", color=colors[n], label=lab, zorder=3)
    ax.set_xticks(x, years)
    ax.set_xlim(-0.2, len(x) - 0.5)
    ax.set_xlabel("Fiscal year (July-June average)")
    ax.set_ylabel(f"Index ({base_year} = 100)")
    outside_legend(fig, ax, ncols=1)
    return fig


# ---------------------------------------------------------------------------- targeted vs all
TARGET_COLORS = (OKABE_ITO["vermillion"], OKABE_ITO["sky"], OKABE_ITO["grey"])


def positions_by_target(costing, schools: pd.DataFrame | None = None, n: int = 100,
                        scenarios: Sequence[str] | None = None, rank_by: str = "frpm_share") -> Figure:
    """Where each scenario's positions and cost land: on the ``n`` highest-need schools
    (highest ``rank_by``, the share of students eligible for free or reduced-price meals),
    on the other schools, or district-wide (staffing not tied to a school). Two panels of
    stacked horizontal bars: positions added in each scenario's last year (FTE) and cost
    over all its years ($ millions). A view of :func:`costing.positions.need_share` on the
    priced details; ``schools`` defaults to the LAUSD schools table of the base year."""
    from ..positions import need_share

    results = _results(costing)
    frames = []
    for r in results:
        sch = schools
        if sch is None:
            from ..lausd import load_lausd

            sch = load_lausd(r.base_year).schools
        if sch is None:
            raise ValueError("positions_by_target needs the schools table (enrollment and need by school)")
        t = need_share(r, sch, scenarios=[s for s in r.scenario_names if scenarios is None or s in scenarios],
                       n=n, rank_by=rank_by)
        frames.append(t.xs("all years", level="fiscal_year").reset_index())
    t = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["scenario", "group"])
    have = t.groupby("scenario", sort=False)[["positions", "cost"]].apply(lambda g: g.abs().sum().sum())
    names = [s for s in (scenarios if scenarios is not None else dict.fromkeys(t["scenario"]))
             if s in have.index and have[s] > 0]
    if not names:
        raise ValueError("no scenario adds positions at schools (class-size caps or staffing ratios)")
    groups = list(dict.fromkeys(t["group"]))
    labels = {groups[0]: f"{n} highest-need schools", groups[1]: "All other schools",
              groups[2]: "District-wide (not school-based)"} if len(groups) == 3 else {g: g for g in groups}
    div, word = scale_for(t.groupby("scenario")["cost"].sum().to_numpy())
    fig, axes = new_figure(f"Who gets the staff: the {n} highest-need schools vs the rest",
                           subtitle=f"need = share of students eligible for free or reduced-price meals ({rank_by})",
                           source=_source(results) + "; positions in each proposal's last year, cost over all years",
                           ncols=2, figsize=(14, max(5.5, 2.4 + 0.7 * len(names))), sharey=True)
    y = np.arange(len(names))[::-1]
    for ax, (col, scale, xlabel) in zip(axes, [("positions", 1.0, "Positions added (FTE)"),
                                               ("cost", div, f"Cost over all years ($ {word})")], strict=True):
        left = np.zeros(len(names))
        totals = np.zeros(len(names))
        for g, color in zip(groups, TARGET_COLORS, strict=False):
            v = (t[t["group"] == g].set_index("scenario")[col].reindex(names).fillna(0.0).to_numpy(float) / scale)
            ax.barh(y, v, 0.6, left=left, color=color, label=labels[g])
            left += v
            totals += v
        top = t[t["group"] == groups[0]].set_index("scenario")[col].reindex(names).fillna(0.0).to_numpy(float)
        for yi, tot, tp in zip(y, totals, top / scale, strict=True):
            share = f" ({tp / tot:.0%} to the {n})" if tot > 0 and col == "positions" else ""
            text = (f"{tot:,.0f}" if col == "positions" else money(tot, 1 if div == 1e9 else 0)) + share
            ax.annotate(text, (tot, yi), xytext=(5, 0), textcoords="offset points", va="center", fontsize=11)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, max(float(totals.max()), 1.0) * (1.55 if col == "positions" else 1.25))
        if col == "cost":
            money_axis(ax, axis="x", decimals=1 if div == 1e9 else 0)
    import textwrap

    axes[0].set_yticks(y, [textwrap.fill(nm, 26) for nm in names], fontsize=12)
    axes[0].set_ylabel("Scenario")
    outside_legend(fig, axes[0], ncols=3)
    return fig


# ---------------------------------------------------------------------------- reserve composition
RESERVE_COMPONENTS = {
    "nonspendable": ("Nonspendable (inventories, prepaid)", OKABE_ITO["grey"]),
    "restricted": ("Restricted (legally tied to programs)", OKABE_ITO["purple"]),
    "committed": ("Committed (by the Board)", OKABE_ITO["blue"]),
    "assigned": ("Assigned (e.g. school carry-overs)", OKABE_ITO["sky"]),
    "reu": ("Reserve for economic uncertainty (state minimum)", OKABE_ITO["black"]),
    "unassigned": ("Unassigned", OKABE_ITO["orange"]),
}


def reserve_composition(district) -> Figure:
    """The general fund's ending balance split into its components by fiscal year (the
    ``ending_balance_<component>`` rows of ``district.budget``: nonspendable, restricted,
    committed, assigned, the reserve for economic uncertainty and unassigned), stacked,
    with the total and each component's amount; only years where the split is public."""
    budget = district.budget if hasattr(district, "budget") else district
    if budget is None or budget.empty:
        raise ValueError("the district has no budget table")
    rows = budget[budget["measure"].isin([f"ending_balance_{c}" for c in RESERVE_COMPONENTS])].copy()
    if rows.empty:
        raise ValueError("the budget has no ending-balance components (ending_balance_restricted, ...)")
    rows["component"] = rows["measure"].str.removeprefix("ending_balance_")
    table = rows.pivot_table(index="fiscal_year", columns="component", values="value", aggfunc="last")
    table = table.reindex(columns=[c for c in RESERVE_COMPONENTS if c in table.columns]).fillna(0.0)
    table = table.loc[sorted(table.index, key=_year_key)]
    status = rows.groupby("fiscal_year")["status"].agg(lambda s: "/".join(sorted(set(s))))
    div, word = scale_for(table.sum(axis=1).to_numpy())
    dec = 2 if div == 1e9 else 0
    srcs = sorted(set(rows["source"].astype(str).str.split(";").str[0]))
    fig, (ax,) = new_figure("What the district's reserves are made of",
                            subtitle="general fund ending balance by component",
                            source="; ".join(srcs) + " (data/lausd/budget.csv)",
                            figsize=(11, 7.5))
    x = np.arange(len(table))
    width = 0.45
    bottom = np.zeros(len(x))
    total = table.sum(axis=1).to_numpy(float) / div
    for comp in table.columns:
        v = table[comp].to_numpy(float) / div
        label, color = RESERVE_COMPONENTS[comp]
        ax.bar(x, v, width, bottom=bottom, color=color, label=label, edgecolor="white", linewidth=0.8)
        for xi, vi, b, tot in zip(x, v, bottom, total, strict=True):
            if vi <= 0:
                continue
            text = f"{money(vi, dec)} ({vi / tot:.0%})"
            if vi / tot >= 0.08:  # inside the segment
                ax.text(xi, b + vi / 2, text, ha="center", va="center", fontsize=11,
                        color="white" if comp in ("restricted", "committed", "reu") else "black")
            else:  # thin segment: to the right, spread so the labels do not overlap
                ax.annotate(f"{label.split(' (')[0]}: {text}", (xi + width / 2, b + vi / 2),
                            xytext=(14, 0), textcoords="offset points", va="center", fontsize=10,
                            arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.8})
        bottom += v
    for xi, tot in zip(x, total, strict=True):
        ax.annotate(f"Total {money(tot, dec)}", (xi, tot), xytext=(0, 4), textcoords="offset points", ha="center",
                    va="bottom", fontsize=12, fontweight="bold")
    ax.set_xticks(x, [f"{fy}\n({status[fy]})" for fy in table.index])
    ax.set_xlim(-0.6, len(x) - 0.4 + (1.2 if len(x) == 1 else 0.6))
    ax.set_xlabel("Fiscal year (ending balance; status of the figure)")
    ax.set_ylabel(f"Ending balance ($ {word})")
    money_axis(ax, decimals=1 if div == 1e9 else 0)
    ax.margins(y=0.1)
    outside_legend(fig, ax, ncols=2)
    return fig


# ---------------------------------------------------------------------------- pension rates
PENSION_SYSTEMS = {"calstrs_employer": ("CalSTRS (teachers)", OKABE_ITO["blue"]),
                   "calpers_employer": ("CalPERS Schools Pool (classified staff)", OKABE_ITO["vermillion"])}


def pension_rates(rates) -> Figure:
    """The employer pension contribution rates (CalSTRS and CalPERS, % of pay) by fiscal
    year from the dated rates table (a :class:`~costing.rates.Rates`, a District or a
    table): solid where the rate is set (``status`` actual), dashed and hollow where it
    is a projection."""
    table = getattr(getattr(rates, "rates", rates), "table", rates)
    t = table[table["parameter"].isin(list(PENSION_SYSTEMS))].copy()
    if t.empty:
        raise ValueError("the rates table has no calstrs_employer or calpers_employer rows")
    t["value"] = pd.to_numeric(t["value"])
    years = sorted(set(t["fiscal_year"].astype(str)), key=_year_key)
    x_of = {fy: i for i, fy in enumerate(years)}
    fig, (ax,) = new_figure("What the district pays into pensions, per dollar of pay",
                            subtitle="employer contribution rates set by the state systems",
                            source="CalSTRS, CalPERS circular letters and LAO EdBudget tables "
                                   "(data/rates/statutory_rates.csv)", figsize=(12, 6.5))
    for param, (label, color) in PENSION_SYSTEMS.items():
        s = t[t["parameter"] == param].assign(x=lambda d: d["fiscal_year"].astype(str).map(x_of)).sort_values("x")
        actual = s[s["status"] == "actual"]
        proj = s[s["status"] != "actual"]
        ax.plot(actual["x"], actual["value"], color=color, marker="o", lw=2.5, label=f"{label}: actual", zorder=3)
        if not proj.empty:
            link = pd.concat([actual.tail(1), proj])
            ax.plot(link["x"], link["value"], color=color, ls="--", lw=2, zorder=2)
            ax.plot(proj["x"], proj["value"], color=color, ls="none", marker="o", mfc="white", mew=2,
                    label=f"{label}: projected", zorder=3)
        marks = [s.iloc[0], actual.iloc[-1] if len(actual) else s.iloc[-1], s.iloc[-1]]
        marks = [r for i, r in enumerate(marks) if i == 0 or abs(r["value"] - marks[i - 1]["value"]) > 0.05]
        for row in marks:
            ax.annotate(f"{row['value']:.2f}".rstrip("0").rstrip(".") + "%", (row["x"], row["value"]), xytext=(0, 9), textcoords="offset points",
                        ha="center", va="bottom", fontsize=11, color=color, fontweight="bold")
    ax.set_xticks(range(len(years)), years, rotation=45, ha="right")
    ax.set_xlabel("Fiscal year")
    ax.set_ylabel("Employer rate (% of pay)")
    ax.set_ylim(0, t["value"].max() * 1.18)
    outside_legend(fig, ax, ncols=2)
    return fig
