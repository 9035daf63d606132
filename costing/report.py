"""The report: every scenario priced, every table and figure written, one index page.

``costing report [--scenarios DIR] [--out DIR]`` (the main job) prices the scenario files
against the bundled LAUSD district (each against the snapshot its start year needs) and
writes into ``DIR``:

* ``costs.csv``: the ledger (all base years; status quos named after their base year
  when there is more than one);
* ``tables/*.csv`` and ``costing.xlsx`` (a sheet per view, the disclosure tables
  included, money as currency, formula-like text escaped);
* ``figures/*.png|svg|pdf``: every figure of :mod:`costing.plot` that applies (cost by
  year and by component, a waterfall per current-year scenario, positions by grade band,
  role and targeted schools where a scenario adds staff, the health reserve drawdown where
  one prices health, reserves, cost against reserves, reserve composition, forecasting
  record, pension rates);
* ``notebooks/*.html``: the analysis notebooks (``notebooks/*.md``, jupytext) executed
  with nbclient and rendered as HTML (skipped with ``notebooks=False``);
* ``index.html`` linking them all, with the sources of the bundled data.

Nothing here computes a cost: every number is a view of the priced results.
"""

from __future__ import annotations

import html
import os
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
    from .positions import details as position_details
    from .proposals.health import health_drawdown

    for base, res in results.items():
        if not position_details(res).query("positions != 0").empty:
            jobs.append((f"positions_by_band_{base}", lambda res=res: plot.positions_added(res, by="band")))
            jobs.append((f"positions_by_role_{base}", lambda res=res: plot.positions_added(res, by="role")))
            jobs.append((f"positions_by_target_{base}", lambda res=res: plot.positions_by_target(res)))
        frame = health_drawdown(res)
        if not frame.empty:
            parties = {s.name: s.party for s in res.scenarios}
            jobs.append((f"health_drawdown_{base}",
                         lambda frame=frame, parties=parties: plot.health_drawdown(frame, parties=parties)))
    current = results.get(LAUSD_BASE_YEARS[-1])
    if current is not None:
        from .reserves import project

        for s in current.scenarios:
            jobs.append((f"waterfall_{_slug(s.name)}", lambda s=s: plot.waterfall(current, s.name)))
        parties = {s.name: s.party for s in current.scenarios}
        reserves: list = []

        def _project():
            if not reserves:
                reserves.append(project(load_lausd(LAUSD_BASE_YEARS[-1]), current))
            return reserves[0]

        jobs.append(("reserve_path", lambda: plot.reserve_path(_project(), parties=parties)))
        jobs.append(("cost_share_of_reserves", lambda: plot.cost_share_of_reserves(_project(), parties=parties)))
        sims: list = []

        def _simulate():
            """The bundled assumptions' distributions (data/lausd/uncertainty.toml), 20,000 draws, seed 2025."""
            if not sims:
                from .district import data_dir
                from .uncertainty import read_assumptions, simulate

                lausd = load_lausd(LAUSD_BASE_YEARS[-1])
                sims.append(simulate(lausd, current, draws=20_000, seed=2025,
                                     assumptions=read_assumptions(data_dir() / "lausd" / "uncertainty.toml")))
            return sims[0]

        jobs.append(("reserve_fan_chart", lambda: plot.fan_chart(_simulate())))
        jobs.append(("breach_probability", lambda: plot.breach_probability(_simulate(), parties=parties)))
        offers = [s.name for s in current.scenarios if s.party == "district"]
        if offers:
            def _tornado():
                from .district import data_dir
                from .uncertainty import read_assumptions, sensitivity

                sens = sensitivity(load_lausd(LAUSD_BASE_YEARS[-1]), current, outcome="margin_above_minimum",
                                   scenario=offers[0],
                                   assumptions=read_assumptions(data_dir() / "lausd" / "uncertainty.toml"))
                return plot.tornado(sens)

            jobs.append((f"tornado_{_slug(offers[0])}", _tornado))
    jobs.append(("reserve_composition", lambda: plot.reserve_composition(load_lausd())))
    jobs.append(("projected_vs_actual", lambda: plot.projected_vs_actual(load_lausd().history)))
    jobs.append(("pension_rates", lambda: plot.pension_rates(load_lausd().rates)))
    return jobs


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in keep.split("-") if p)[:60]


def build_report(scenarios: Sequence[Scenario | str | Path], out: str | Path = "out",
                 progress: bool = True, notebooks: bool = True) -> Path:
    """Price ``scenarios`` (Scenario objects or scenario files) and write the report into
    ``out``; returns the path of ``index.html``. ``notebooks=False`` skips executing the
    analysis notebooks (the slow part)."""
    from tqdm.auto import tqdm

    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    steps = tqdm(total=6, desc="report", disable=not progress, unit="step")
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

    rendered = []
    if notebooks and not _can_execute_notebooks():
        import warnings

        warnings.warn("notebooks skipped: jupytext, nbclient and ipykernel are needed (pip install 'costing[test]')",
                      stacklevel=2)
        notebooks = False
    if notebooks:
        files = notebook_files()
        for path in tqdm(files, desc="notebooks", disable=not progress, leave=False):
            rendered.append((path.stem, execute_notebook(path, out / "notebooks" / f"{path.stem}.html")))
    steps.set_postfix_str("notebooks")
    steps.update()

    index = out / "index.html"
    index.write_text(_index_html(results, written, workbook, figures, out, rendered), encoding="utf-8")
    steps.set_postfix_str("done")
    steps.update()
    steps.close()
    return index


# ---------------------------------------------------------------------------- notebooks
NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def _can_execute_notebooks() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("jupytext", "nbclient", "ipykernel"))


def notebook_files(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The analysis notebooks (jupytext markdown, ``README.md`` excepted); none when the
    package is installed without its source tree."""
    return sorted(p for p in Path(folder).glob("*.md") if p.name != "README.md") if Path(folder).is_dir() else []


def execute_notebook(path: Path, html_path: Path, timeout: int = 120) -> Path:
    """Execute the jupytext notebook ``path`` in a fresh kernel (its folder the working
    directory, as the test suite does) and write it as a standalone HTML page."""
    import jupytext
    import nbclient

    from .whatif import HEADLESS_ENV

    nb = jupytext.read(path)
    before = os.environ.get(HEADLESS_ENV)
    os.environ[HEADLESS_ENV] = "1"  # a static page: the what-if cells draw once, no widgets
    try:
        nbclient.NotebookClient(nb, kernel_name="python3", timeout=timeout,
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if before is None:
            del os.environ[HEADLESS_ENV]
        else:
            os.environ[HEADLESS_ENV] = before
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(notebook_html(nb, title=path.stem), encoding="utf-8")
    return html_path


def notebook_html(nb, title: str = "notebook") -> str:
    """A minimal standalone HTML page of an executed notebook: markdown cells rendered
    (``markdown-it-py`` when installed, else shown as preformatted text), code cells, and
    their outputs (text, images as inline PNG/SVG, HTML tables, errors). nbconvert is not a
    dependency; this renders what the notebooks here produce."""
    esc = html.escape
    try:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark").enable("table").render
    except ImportError:  # pragma: no cover - markdown-it-py comes with the dependencies' tree
        md = lambda text: f"<pre class='md'>{esc(text)}</pre>"  # noqa: E731
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
             "pre{background:#f6f6f6;padding:.6em;overflow-x:auto}pre.out{background:#fff;border-left:3px solid #ccc}"
             "pre.err{background:#fee}img{max-width:100%}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 6px}</style></head><body>"]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(md(cell.source))
        elif cell.cell_type == "code":
            parts.append(f"<pre class='code'><code>{esc(cell.source)}</code></pre>")
            for o in cell.get("outputs", []):
                kind = o.get("output_type")
                if kind == "stream":
                    parts.append(f"<pre class='out'>{esc(''.join(o.get('text', '')))}</pre>")
                elif kind == "error":
                    parts.append(f"<pre class='err'>{esc(o.get('ename', ''))}: {esc(o.get('evalue', ''))}</pre>")
                elif kind in ("display_data", "execute_result"):
                    data = o.get("data", {})
                    if "image/png" in data:
                        png = "".join(data["image/png"]).replace("\n", "")
                        parts.append(f"<img src='data:image/png;base64,{png}'>")
                    elif "image/svg+xml" in data:
                        parts.append("".join(data["image/svg+xml"]))
                    elif "text/html" in data:
                        parts.append("".join(data["text/html"]))
                    elif "text/plain" in data:
                        parts.append(f"<pre class='out'>{esc(''.join(data['text/plain']))}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _index_html(results: dict[str, Costing], tables: list, workbook: Path, figures: list, out: Path,
                notebooks: list | None = None) -> str:
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
    if notebooks:
        parts.append("<h2>Notebooks</h2><p>The analyses, executed on the bundled data.</p><ul>")
        for stem, path in notebooks:
            parts.append(f"<li><a href='{rel(path)}'>{esc(stem)}</a></li>")
        parts.append("</ul>")
    parts.append("<h2>Sources of the bundled data</h2>")
    parts.append(sources()[["file", "what", "basis", "reliability", "source"]].to_html(index=False))
    parts.append("</body></html>")
    return "\n".join(parts)
