import pandas as pd
import pytest

import costing as ct
from costing.rates import RatesError

BUNDLED = ct.data_dir() / "rates" / "statutory_rates.csv"


def test_value_is_the_last_set_on_or_before():
    r = ct.Rates.from_values({"x": {"2020-21": 0.10, "2023-24": 0.20}})
    assert r.value("x", "2020-21") == 0.10
    assert r.value("x", "2022-23") == 0.10  # carried forward from 2020-21
    assert r.value("x", "2023-24") == 0.20
    assert r.value("x", "2030-31") == 0.20
    with pytest.raises(RatesError, match="no value for 2019-20"):
        r.value("x", "2019-20")
    with pytest.raises(RatesError, match="no parameter named 'y'"):
        r.value("y", "2020-21")


def test_bundled_rates_match_their_sources():
    r = ct.Rates.from_csv(BUNDLED)
    # percent in the file, fractions in code: CalSTRS 19.10% -> 0.191 (LAO EdBudget 931)
    assert r.value("calstrs_employer", "2025-26") == pytest.approx(0.191)
    # CalPERS 2025-26 26.81% (Circular Letter 200-027-25); 2024-25 = 26.81 + 0.24 = 27.05
    assert r.value("calpers_employer", "2025-26") == pytest.approx(0.2681)
    assert r.value("calpers_employer", "2024-25") == pytest.approx(0.2705)
    # METHODOLOGY 3: cert 19.10 + 1.45 + 0.05 = 20.60% before WC in 2025-26
    cert = sum(r.value(p, "2025-26") for p in ("calstrs_employer", "medicare", "sui"))
    assert cert == pytest.approx(0.2060)
    # class 26.81 + 6.20 + 1.45 + 0.05 = 34.51%
    cls = sum(r.value(p, "2025-26") for p in ("calpers_employer", "oasdi", "medicare", "sui"))
    assert cls == pytest.approx(0.3451)
    assert r.value("oasdi_wage_base", "2025-26") == 176_100  # dollars stay dollars


def test_every_bundled_value_has_source_and_reliability():
    t = pd.read_csv(BUNDLED)
    assert t["source"].notna().all() and (t["source"].str.strip() != "").all()
    assert t["reliability"].isin(["H", "M", "L"]).all()
    assert t["url"].str.startswith("http").all()
    assert t["status"].isin(["actual", "projected", "derived", "assumed"]).all()


def test_bad_rates_files_name_row_and_column(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(
        "parameter,fiscal_year,value,unit,status,reliability,source\n"
        "a,2024-25,abc,percent,actual,H,somewhere\n"
        "b,2024-26,1,percent,actual,H,somewhere\n"
        "c,2024-25,1,percent,actual,Z,\n"
        "d,2024-25,1,furlongs,actual,H,somewhere\n"
    )
    with pytest.raises(RatesError) as err:
        ct.Rates.from_csv(p)
    msg = str(err.value)
    assert "row 2, column value" in msg
    assert "row 3, column fiscal_year" in msg
    assert "row 4, column reliability" in msg
    assert "row 4, column source" in msg
    assert "row 5, column unit" in msg


def test_a_value_set_twice_for_one_year_is_an_error(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(
        "parameter,fiscal_year,value,unit,status,reliability,source\n"
        "a,2024-25,1,percent,actual,H,x\n"
        "a,2024-25,2,percent,actual,H,y\n"
    )
    with pytest.raises(RatesError, match="set twice"):
        ct.Rates.from_csv(p)


def test_provenance_names_the_source():
    r = ct.Rates.from_csv(BUNDLED)
    row = r.provenance("calpers_employer", "2025-26")
    assert "200-027-25" in row["source"]
    assert row["reliability"] == "H"
