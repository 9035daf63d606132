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
    index = build_report(files, tmp_path, progress=False)
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
