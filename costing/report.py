"""The report: every scenario priced, every table and figure written, one index page.

``costing report [--scenarios DIR] [--out DIR]`` (the main job) prices the scenario files
against the bundled LAUSD district (each against the snapshot its start year needs) and
writes into ``DIR``:

* ``costs.csv``: the ledger (all base years; status quos named after their base year
  when there is more than one);
* ``tables/*.csv`` and ``costing.xlsx`` (a sheet per view, the disclosure tables
  included, money as currency, formula-like text escaped);
* ``figures/*.png|svg|pdf`` where the figure functions of :mod:`costing.plot` exist;
* ``index.html`` linking them all, with the sources of the bundled data.

Nothing here computes a cost: every number is a view of the priced results.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from .costing import Costing, combined_ledger
from .excel import write_workbook
from .lausd import LAUSD_BASE_YEARS, load_lausd, price_lausd, sources
from .scenario import Scenario
from .scenario_file import read_scenario

__all__ = ["build_report", "report_tables"]


def report_tables(results: dict[str, Costing]) -> dict[str, pd.DataFrame]:
    """The summary tables of a report, by name (each a view of the priced results)."""
    tables: dict[str, pd.DataFrame] = {}
    by_year, by_component, by_unit, by_proposal, one_pct = [], [], [], [], []
    for base, res in results.items():
        tag = {"base year": base}
        by_year.append(res.by_year().reset_index().assign(**tag))
        by_component.append(res.by_component().reset_index().assign(**tag))
        by_unit.append(res.by_unit().reset_index().assign(**tag))
        by_proposal.append(res.by_proposal().reset_index().assign(**tag))
        if base in LAUSD_BASE_YEARS:
            one_pct.append(res.cost_of_one_percent().reset_index().assign(**tag))
    tables["cost by year"] = pd.concat(by_year, ignore_index=True)
    tables["cost by component"] = pd.concat(by_component, ignore_index=True)
    tables["cost by unit"] = pd.concat(by_unit, ignore_index=True)
    tables["cost by proposal"] = pd.concat(by_proposal, ignore_index=True)
    if one_pct:
        tables["cost of 1%"] = pd.concat(one_pct, ignore_index=True)
    for base, res in results.items():
        if base not in LAUSD_BASE_YEARS:
            continue  # no workforce, no disclosure table
        for s in res.scenarios:
            t = res.disclosure(s.name)
            t.columns = [f"{a} {b}" for a, b in t.columns]
            tables[f"disclosure: {s.name}"] = t.rename_axis("row")
    return tables


def _figure_jobs(results: dict[str, Costing]) -> list[tuple[str, Callable[[], object]]]:
    """Figures to draw, as (file stem, function returning a Figure), for the figure
    functions that exist in :mod:`costing.plot`."""
    try:
        from . import plot
    except ImportError:  # pragma: no cover - plot is part of the package
        return []
    jobs: list[tuple[str, Callable[[], object]]] = []
    if hasattr(plot, "cost_by_year"):
        for base, res in results.items():
            jobs.append((f"cost_by_year_{base}", lambda res=res: plot.cost_by_year(res)))
    if hasattr(plot, "cost_by_component"):
        for res in results.values():
            for s in res.scenarios:
                stem = f"components_{_slug(s.name)}"
                jobs.append((stem, lambda res=res, s=s: plot.cost_by_component(res, s.name)))
    current = results.get(LAUSD_BASE_YEARS[-1])
    if current is not None and hasattr(plot, "reserve_path"):
        from .reserves import project

        def _reserves():
            return plot.reserve_path(project(load_lausd(LAUSD_BASE_YEARS[-1]), current))

        jobs.append(("reserve_path", _reserves))
    if hasattr(plot, "projected_vs_actual"):
        jobs.append(("projected_vs_actual", lambda: plot.projected_vs_actual(load_lausd().history)))
    return jobs


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in keep.split("-") if p)[:60]


def build_report(scenarios: Sequence[Scenario | str | Path], out: str | Path = "out",
                 progress: bool = True) -> Path:
    """Price ``scenarios`` (Scenario objects or scenario files) and write the report into
    ``out``; returns the path of ``index.html``."""
    from tqdm.auto import tqdm

    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    steps = tqdm(total=5, desc="report", disable=not progress, unit="step")
    scen = [s if isinstance(s, Scenario) else read_scenario(s) for s in scenarios]
    steps.set_postfix_str("pricing")
    results = price_lausd(scen)
    steps.update()

    ledger = combined_ledger(results)
    ledger.to_csv(out / "costs.csv", index=False)
    tables = report_tables(results)
    written = []
    for name, table in tables.items():
        path = out / "tables" / f"{_slug(name)}.csv"
        table.to_csv(path, index=not isinstance(table.index, pd.RangeIndex))
        written.append((name, path))
    steps.set_postfix_str("tables")
    steps.update()

    workbook = write_workbook({"ledger": ledger, **tables}, out / "costing.xlsx")
    steps.set_postfix_str("workbook")
    steps.update()

    figures = []
    jobs = _figure_jobs(results)
    if jobs:
        from .plot import save

        for stem, make in tqdm(jobs, desc="figures", disable=not progress, leave=False):
            fig = make()
            paths = save(fig, out / "figures" / stem)
            figures.append((stem, paths))
            import matplotlib.pyplot as plt

            plt.close(fig)
    steps.set_postfix_str("figures")
    steps.update()

    index = out / "index.html"
    index.write_text(_index_html(results, written, workbook, figures, out), encoding="utf-8")
    steps.set_postfix_str("done")
    steps.update()
    steps.close()
    return index


def _index_html(results: dict[str, Costing], tables: list, workbook: Path, figures: list, out: Path) -> str:
    esc = html.escape
    rel = lambda p: esc(str(Path(p).relative_to(out)))  # noqa: E731
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>costing report</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}</style></head><body>",
        "<h1>Bargaining proposals priced: Los Angeles Unified</h1>",
        "<p>Dollars in each fiscal year, incremental over the status quo. The LAUSD workforce "
        "is synthetic, calibrated to public figures; see the sources below.</p>",
    ]
    for base, res in results.items():
        t = res.by_year() / 1e6
        parts.append(f"<h2>Base year {esc(base)}: cost by fiscal year ($ millions)</h2>")
        parts.append(t.round(1).to_html(na_rep="", float_format=lambda v: f"{v:,.1f}"))
    parts.append("<h2>Files</h2><ul>")
    parts.append("<li><a href='costs.csv'>costs.csv</a>: the ledger</li>")
    parts.append(f"<li><a href='{rel(workbook)}'>{rel(workbook)}</a>: every table, one sheet each</li>")
    for name, path in tables:
        parts.append(f"<li><a href='{rel(path)}'>{esc(name)}</a></li>")
    parts.append("</ul>")
    if figures:
        parts.append("<h2>Figures</h2>")
        for stem, paths in figures:
            png = [p for p in paths if str(p).endswith(".png")]
            links = " ".join(f"<a href='{rel(p)}'>{esc(Path(p).suffix[1:])}</a>" for p in paths)
            if png:
                parts.append(f"<figure><img src='{rel(png[0])}' style='max-width:100%'>"
                             f"<figcaption>{esc(stem)} ({links})</figcaption></figure>")
    parts.append("<h2>Sources of the bundled data</h2>")
    parts.append(sources()[["file", "what", "basis", "reliability", "source"]].to_html(index=False))
    parts.append("</body></html>")
    return "\n".join(parts)
