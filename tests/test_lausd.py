"""The bundled LAUSD district: loading, provenance and the bargaining-record scenarios."""

import dataclasses

import pandas as pd
import pytest

import costing as ct
from costing.lausd import LAUSD_BASE_YEARS

DATA = ct.data_dir()


@pytest.mark.parametrize("base", LAUSD_BASE_YEARS)
def test_every_snapshot_loads_with_its_sources(base):
    d = ct.load_lausd(base)
    assert d.base_year == base
    assert set(d.workforce["unit"]) == {"UTLA", "SEIU 99"}
    assert d.workforce["count"].sum() == pytest.approx(65_000)
    assert len(d.schools) == 732
    for key in ("workforce", "schedules", "rates", "schools", "budget", "history", "assumptions"):
        path = d.sources[key].split(" ")[0]
        assert (DATA.parent / path).exists(), path


def test_current_snapshot_is_the_default():
    assert ct.load_lausd().base_year == "2024-25"
    with pytest.raises(ValueError, match="no bundled LAUSD workforce for 2010-11"):
        ct.load_lausd("2010-11")


def test_base_year_for_a_scenario():
    assert ct.lausd_base_year_for("2020-21") == "2019-20"
    assert ct.lausd_base_year_for("2022-23") == "2021-22"
    assert ct.lausd_base_year_for("2025-26") == "2024-25"
    with pytest.raises(ValueError, match="no bundled LAUSD workforce before 2019-20"):
        ct.lausd_base_year_for("2019-20")


def test_manifest_lists_every_bundled_file_with_a_note():
    manifest = ct.sources()
    listed = set(manifest["file"])
    on_disk = {
        str(p.relative_to(DATA)) for p in DATA.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".toml") and p.name != "MANIFEST.csv"
    }
    assert on_disk == listed
    for _, row in manifest.iterrows():
        assert row["source"] and row["reliability"] and row["basis"]
        if row["note"] != "the file's comments":
            assert (DATA / row["note"]).exists(), row["note"]


@pytest.mark.parametrize("path", sorted((DATA / "scenarios").glob("*.toml")), ids=lambda p: p.name)
def test_every_scenario_file_cites_its_sources(path):
    text = path.read_text()
    s = ct.Scenario.from_toml(path)
    assert text.lstrip().startswith("#")  # a header of sources before any key
    assert "Source" in text or "source" in text
    if "ILLUSTRATIVE" in text or "illustrative" in text:
        assert "illustrative" in text.lower()
    assert s.party in ("district", "union", "agreement")


def test_seiu_2023_agreement_lifts_a_16_91_worker_to_22_52_by_january_2024():
    """$16.91 x 1.06 x 1.07 x 1.07 = $20.5219 from 7/1/2023; + $2.00 = $22.5219 from 1/1/2024.

    One bundled worker at $16.91 (2019-20 snapshot), step movement off so the status quo
    stays at $16.91. In 2023-24 the worker earns (20.52187 x 6 + 22.52187 x 6) / 12 =
    21.52187 an hour on average, so the salary cost over the status quo is
    (21.52187 - 16.91) x hours x days, and the January-June rate implied by it is
    2 x 21.52187 - 20.52187 = 22.52187, which rounds to the $22.52 minimum.
    """
    d = ct.load_lausd("2019-20")
    wf = d.workforce
    row = wf[(wf["hourly_rate"] == 16.91) & (wf["classification"] == "Program Aide")].head(1).copy()
    row["count"] = 1.0
    one = dataclasses.replace(d, workforce=row.reset_index(drop=True), validated=False, _cache={})
    s = ct.Scenario.from_toml(DATA / "scenarios" / "seiu99-2023-agreement.toml")
    s = s.replace(proposals=tuple(p for p in s.proposals if not isinstance(p, ct.Hours)))  # SEAs only
    res = ct.price(s, one, ct.PricingOptions(step_movement=False))
    led = res.ledger
    hours = float(row["hours_per_day"].iloc[0]) * float(row["days_per_year"].iloc[0])
    salary = led[(led["scenario"] == s.name) & (led["component"] == "salary")].groupby("fiscal_year")["amount"].sum()
    july_2023 = 16.91 * 1.06 * 1.07 * 1.07  # 20.52187454
    assert july_2023 == pytest.approx(20.52187454, abs=1e-8)
    average_2023_24 = 16.91 + salary["2023-24"] / hours
    assert average_2023_24 == pytest.approx((july_2023 + july_2023 + 2.0) / 2, abs=1e-9)
    january_2024 = 2 * average_2023_24 - july_2023
    assert round(january_2024, 2) == 22.52
    # the first raises, by hand: 2021-22 = 16.91 x 6% = 1.0146 an hour
    assert salary["2021-22"] == pytest.approx(16.91 * 0.06 * hours, abs=1e-6)
    assert salary["2020-21"] == 0.0


def test_bundled_scenarios_price_end_to_end():
    files = sorted((DATA / "scenarios").glob("*.toml"))
    results = ct.price_lausd([ct.Scenario.from_toml(p) for p in files])
    # the 2017 health round needs no workforce: priced from its own terms, before the snapshots
    assert list(results) == ["2016-17", *LAUSD_BASE_YEARS]
    assert (results["2016-17"].ledger["component"] == "health_welfare").all()
    for base in LAUSD_BASE_YEARS:
        res = results[base]
        by_year = res.by_year()
        assert by_year.notna().any(axis=None)
        # every input row accounted for
        assert res.accounting()["rows"].sum() == len(ct.load_lausd(base).workforce)
    utla = results["2024-25"].compare("LAUSD: 2% + 2% offer to UTLA (2025)", "UTLA: Win Our Future demand (2025)")
    assert (utla["difference"] > 0).all()  # the demand costs more every year
    assert isinstance(utla, pd.DataFrame)


def test_a_real_census_file_replaces_the_imputed_schools_in_one_call():
    fixture = DATA.parent / "tests" / "fixtures" / "cdenroll_lausd_sample.txt"
    d = ct.load_lausd(enrollment=fixture)
    assert "cdenroll_lausd_sample.txt" in d.sources["schools"]
    bundled = ct.load_lausd().schools
    assert len(d.schools) < len(bundled)  # the fixture holds a handful of schools
    assert set(d.schools["school_code"]) <= set(bundled["school_code"])


def test_public_api_names_exist():
    missing = [name for name in ct.__all__ if not hasattr(ct, name)]
    assert missing == []


def test_district_refusal_prices_at_zero_beside_the_union_demand():
    demand = ct.Scenario.from_toml(DATA / "scenarios" / "utla-2022-student-supports-demand.toml")
    refusal = ct.Scenario.from_toml(DATA / "scenarios" / "lausd-2022-student-supports-offer.toml")
    res = ct.price([refusal, demand], ct.load_lausd("2021-22"))
    t = res.by_year()
    assert (t.loc[refusal.name] == 0).all()
    assert (t.loc[demand.name, ["2023-24", "2024-25"]] > 0).all()


def test_a_district_with_another_workforce_is_validated_again():
    d = ct.load_lausd()
    small = d.replace_workforce(d.workforce.head(10))
    assert len(small.workforce) == 10 and small.base_year == d.base_year
    bad = d.workforce.head(2).assign(pay_basis="weekly")
    with pytest.raises(ct.WorkforceError, match="column pay_basis"):
        d.replace_workforce(bad)
