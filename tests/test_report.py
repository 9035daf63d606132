"""The report (main job) and the Excel workbook."""

import openpyxl
import pandas as pd
import pytest

import costing as ct
from costing.excel import escape_text, write_workbook
from costing.report import build_report

DATA = ct.data_dir()


def test_formula_like_text_is_escaped(tmp_path):
    table = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "Teacher"],
                          "amount": [1.0, 2.0, 3.0, 4.0, 5.0]})
    path = write_workbook({"t": table}, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(path)["t"]
    names = [ws.cell(row=r, column=1).value for r in range(2, 7)]
    assert names == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "Teacher"]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 7))
    assert ws.cell(row=2, column=2).number_format.startswith('"$"')  # money as currency
    assert escape_text(-3) == -3  # numbers are not text


def test_report_writes_ledger_tables_workbook_and_index(tmp_path):
    files = [DATA / "scenarios" / "utla-2025-district-offer.toml",
             DATA / "scenarios" / "utla-2025-win-our-future-demand.toml"]
    index = build_report(files, tmp_path, progress=False, notebooks=False)
    assert index.exists() and "Los Angeles Unified" in index.read_text()
    ledger = pd.read_csv(tmp_path / "costs.csv")
    assert list(ledger.columns) == ct.LEDGER_COLUMNS
    wb = openpyxl.load_workbook(tmp_path / "costing.xlsx", read_only=True)
    assert "ledger" in wb.sheetnames and "cost by year" in wb.sheetnames
    assert any(name.startswith("disclosure") for name in wb.sheetnames)
    # the workbook's ledger totals equal the ledger's, to the cent
    rows = list(wb["ledger"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    col = header.index("amount")
    assert sum(r[col] for r in body) == pytest.approx(ledger["amount"].sum(), abs=0.01)
    assert len(body) == len(ledger)
    by_year = pd.read_csv(tmp_path / "tables" / "cost-by-year.csv")
    assert set(by_year["scenario"]) >= {"LAUSD: 2% + 2% offer to UTLA (2025)", "UTLA: Win Our Future demand (2025)"}


def _links(index) -> set[str]:
    import re

    return set(re.findall(r"(?:href|src)='([^']+)'", index.read_text()))


def test_report_writes_every_figure_and_links_everything(tmp_path):
    """Scenarios with class size, staffing and health: every figure that applies is
    written in three formats, and the index links every figure, table and the workbook."""
    names = ["utla-2025-district-offer", "utla-2025-win-our-future-demand", "utla-2022-class-size-demand",
             "lausd-2022-student-supports-offer", "lausd-2017-health-freeze", "utla-2017-health-current-levels"]
    index = build_report([DATA / "scenarios" / f"{n}.toml" for n in names], tmp_path, progress=False,
                         notebooks=False)
    stems = {p.stem for p in (tmp_path / "figures").glob("*.png")}
    expected = {"cost_by_year_2024-25", "cost_by_year_2021-22", "cost_by_year_2016-17", "reserve_path",
                "cost_share_of_reserves", "reserve_composition", "projected_vs_actual", "pension_rates",
                "positions_by_band_2021-22", "positions_by_role_2021-22", "positions_by_target_2021-22",
                "health_drawdown_2016-17", "waterfall_lausd-2-2-offer-to-utla-2025",
                "waterfall_utla-win-our-future-demand-2025"}
    assert expected <= stems, sorted(expected - stems)
    assert any(s.startswith("components_") for s in stems)
    for stem in stems:
        for ext in ("svg", "pdf"):
            assert (tmp_path / "figures" / f"{stem}.{ext}").stat().st_size > 0
    links = _links(index)
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file() and p.name != "index.html"}
    assert written <= links, sorted(written - links)
    assert not (tmp_path / "notebooks").exists()


def test_notebooks_rendered_as_html(tmp_path, monkeypatch):
    """The report executes each notebook and links its HTML page (one small notebook here;
    the suite's test_notebooks runs them all)."""
    pytest.importorskip("nbclient")
    pytest.importorskip("jupytext")
    pytest.importorskip("ipykernel")
    import costing.report as report

    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    (nb_dir / "tiny.md").write_text(
        "---\njupyter:\n  kernelspec:\n    display_name: Python 3\n    language: python\n    name: python3\n"
        "  jupytext:\n    text_representation:\n      format_name: markdown\n---\n\n# A tiny analysis\n\n"
        "```python\n%matplotlib inline\nimport costing.plot as cp, costing as ct\n"
        "fig = cp.pension_rates(ct.load_lausd().rates)\nprint(1 + 1)\nfig\n```\n")
    monkeypatch.setattr(report, "NOTEBOOK_DIR", nb_dir)
    monkeypatch.setattr(report, "notebook_files", lambda folder=nb_dir: sorted(nb_dir.glob("*.md")))
    index = build_report([DATA / "scenarios" / "utla-2025-district-offer.toml"], tmp_path / "out", progress=False)
    page = tmp_path / "out" / "notebooks" / "tiny.html"
    text = page.read_text()
    assert "<h1>A tiny analysis</h1>" in text and "print(1 + 1)" in text and ">2\n<" in text
    assert "data:image/png;base64," in text
    assert "notebooks/tiny.html" in _links(index)
