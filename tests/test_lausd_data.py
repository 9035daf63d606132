"""The bundled LAUSD data (data/lausd): source notes, provenance columns, calibration.

The calibration targets and tolerances are those listed in data/lausd/workforce.md (and in
``TARGETS`` of scripts/generate_lausd_workforce.py); the measures are recomputed here from
the files, independently of the generator's own code. Pre-contract SEIU figures are not in
the base-year files, so they are taken from a fresh run of the (seeded) generator, which
must also reproduce the bundled files exactly.

The historical snapshots (data/lausd/history, rates in force on June 30, 2020 and June 30,
2022) are checked against the base year (rates in force on June 30, 2025) along the raise
paths of data/lausd/history/README.md: SEIU Local 99 to the cent, UTLA to the dollar.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from costing.io import GRADE_COLUMNS, SCHOOL_COLUMNS
from costing.rates import UNITS, Rates
from costing.schedules import validate_schedules
from costing.workforce import annual_pay, validate_workforce

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "lausd"
HISTORY = DATA / "history"
RELIABILITY = {"H", "M", "L"}
HISTORY_YEARS = ["2019-20", "2021-22"]
YEARS_BACK = {"2019-20": 5, "2021-22": 3}  # July 1s between the snapshot and base year 2024-25
# the documented UTLA raises between each snapshot's June 30 and June 30, 2025
UTLA_2022_25 = (1.03, 1.04, 1.03, 1.04, 1.03, 1.04)  # 7/1/22 ... 1/1/25 (Fox LA 2023-04-18)
UTLA_FACTOR = {
    "2019-20": 1.05 * float(np.prod(UTLA_2022_25)),  # and the 5% of 2021-22
    "2021-22": float(np.prod(UTLA_2022_25)),
}
FLAT_ADDS = {"T": 0, "T_SE": 2_500, "T_EE": 1_500, "NURSE": 20_000, "SPSVC": 3_000}
SEIU_PATH = (1.06, 1.07, 1.07)  # 7/1/2021, 7/1/2022, 7/1/2023
SAME_PEOPLE = [
    "unit",
    "classification",
    "count",
    "fte",
    "pay_basis",
    "days_per_year",
    "schedule",
    "column",
    "school_code",
    "health_eligible",
]


def _load_script(name: str):
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_script("generate_lausd_workforce")


@pytest.fixture(scope="module")
def schedules() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "schedules.csv", dtype={"schedule": str, "column": str})
    return validate_schedules(raw, source="data/lausd/schedules.csv")


@pytest.fixture(scope="module")
def workforce(schedules) -> pd.DataFrame:
    raw = pd.read_csv(DATA / "workforce.csv", dtype=str, keep_default_na=False, na_values=[""])
    return validate_workforce(raw, source="data/lausd/workforce.csv", schedules=schedules)


@pytest.fixture(scope="module")
def fresh_build():
    return gen.build()


@pytest.fixture(scope="module")
def history_schedules() -> dict[str, pd.DataFrame]:
    out = {}
    for year in HISTORY_YEARS:
        path = HISTORY / f"schedules_{year}.csv"
        raw = pd.read_csv(path, dtype={"schedule": str, "column": str})
        out[year] = validate_schedules(raw, source=str(path))
    return out


@pytest.fixture(scope="module")
def history_workforce(history_schedules) -> dict[str, pd.DataFrame]:
    out = {}
    for year in HISTORY_YEARS:
        path = HISTORY / f"workforce_{year}.csv"
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        out[year] = validate_workforce(raw, source=str(path), schedules=history_schedules[year])
    return out


@pytest.fixture(scope="module")
def schools() -> pd.DataFrame:
    return pd.read_csv(
        DATA / "schools.csv",
        dtype={c: str for c in ("cds_code", "county_code", "district_code", "school_code")},
    )


# --------------------------------------------------------------------------- notes and provenance


def test_every_data_file_has_its_source_note():
    notes = {"schedules.csv": "schedules.md"}
    files = sorted(p for p in DATA.rglob("*.csv"))
    assert files, "no data files"
    for p in files:
        if p.parent == HISTORY:  # the snapshots share one note
            note = HISTORY / "README.md"
        else:
            note = p.parent / notes.get(p.name, p.with_suffix(".md").name)
        assert note.is_file(), f"{p.relative_to(ROOT)} has no source note {note.name}"
        assert len(note.read_text()) > 300, (
            f"{note.relative_to(ROOT)} is too short to be a source note"
        )
    assert (DATA / "README.md").is_file()


def test_synthetic_files_say_so():
    for name in ("workforce.md", "schedules.md", "history/README.md"):
        text = (DATA / name).read_text().lower()
        assert "synthetic" in text and "calibrat" in text
    assert "imputed" in (DATA / "schools.md").read_text()


@pytest.mark.parametrize("name", ["budget.csv", "projection_history.csv", "assumptions.csv"])
def test_every_row_has_source_and_reliability(name):
    t = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    for i, row in t.iterrows():
        assert row["source"].strip(), f"{name}, row {i + 2}: no source"
        assert row["reliability"] in RELIABILITY, (
            f"{name}, row {i + 2}: reliability {row['reliability']!r}"
        )
        if "url" in t.columns and row["url"]:
            assert row["url"].startswith("http"), f"{name}, row {i + 2}: url {row['url']!r}"


def test_budget_layout():
    t = pd.read_csv(DATA / "budget.csv", dtype={"fiscal_year": str})
    assert list(t.columns) == [
        "fiscal_year",
        "measure",
        "value",
        "unit",
        "status",
        "source",
        "url",
        "reliability",
        "note",
    ]
    assert set(t["status"]) <= {"actual", "budget", "projection"}
    assert t["value"].notna().all()
    assert not t.duplicated(["fiscal_year", "measure", "status", "source"]).any()
    get = t.set_index(["fiscal_year", "measure", "status"])["value"]
    assert get[("2017-18", "unrestricted_ending_balance", "actual")] == 1_863_000_000
    assert get[("2024-25", "general_fund_ending_balance", "actual")] == 5_030_000_000
    assert get[("2025-26", "expenditures", "budget")] == 18_800_000_000
    assert get[("2025-26", "revenue", "budget")] == 15_900_000_000
    parts = t[(t["fiscal_year"] == "2022-23") & t["measure"].str.startswith("ending_balance_")][
        "value"
    ]
    assert parts.sum() == pytest.approx(
        4_930_000_000, abs=2_000_000
    )  # the $4.93B first-interim total
    ada = get.xs("ada", level="measure").xs("actual", level="status")
    ops = get.xs("operating_spend", level="measure").xs("actual", level="status")
    per = get.xs("operating_spend_per_ada", level="measure").xs("actual", level="status")
    assert np.allclose(ops / ada, per, atol=1.0)  # the source's per-ADA figures are consistent


def test_projection_history_layout():
    t = pd.read_csv(DATA / "projection_history.csv", dtype={"made_in": str, "fiscal_year": str})
    assert list(t.columns)[:6] == [
        "made_in",
        "fiscal_year",
        "measure",
        "projected",
        "actual",
        "source",
    ]
    assert list(t.columns)[6:] == ["reliability", "note"]
    assert t["projected"].notna().all()
    row = t[(t["made_in"] == "2015-16") & (t["fiscal_year"] == "2017-18")].iloc[0]
    assert (row["projected"], row["actual"]) == (105_000_000, 1_863_000_000)
    second = t[(t["made_in"] == "2019-20") & (t["fiscal_year"] == "2021-22")]
    assert 400_000 in set(second["projected"])
    # an empty actual always says why
    for _, r in t[t["actual"].isna()].iterrows():
        assert "not in the bundled" in r["note"] or "not yet over" in r["note"], r["note"]


def test_assumptions_load_as_dated_parameters():
    t = pd.read_csv(DATA / "assumptions.csv", dtype={"fiscal_year": str})
    assert list(t.columns) == [
        "parameter",
        "fiscal_year",
        "value",
        "unit",
        "status",
        "reliability",
        "source",
        "url",
        "note",
    ]
    assert set(t["unit"]) <= set(UNITS)  # every row loads: ADA rows and band limits are `count`
    assert set(t.loc[t["parameter"].str.endswith("_ada"), "unit"]) == {"count"}
    rates = Rates.from_csv(DATA / "assumptions.csv")
    assert len(rates.table) == len(t)
    assert rates.value("lausd_ada", "2024-25") == pytest.approx(371_342.10)
    assert rates.value("reu_band_4_max_ada", "2024-25") == 400_000
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2013, 2029)]
    assert set(t.loc[t["parameter"] == "lcff_cola", "fiscal_year"]) == set(years)
    assert rates.value("lcff_cola", "2023-24") == pytest.approx(0.0822)
    assert rates.value("lcff_cola", "2024-25") == pytest.approx(0.0107)
    assert rates.value("lcff_cola_funded", "2020-21") == 0.0
    bands = {r.parameter: r.value for r in t.itertuples() if r.parameter.startswith("reu_band")}
    assert [bands[f"reu_band_{k}_min_percent"] for k in range(1, 6)] == [5, 4, 3, 2, 1]
    assert [bands[f"reu_band_{k}_max_ada"] for k in range(1, 5)] == [300, 1000, 30000, 400000]
    assert bands["reu_band_1_min_dollars"] == bands["reu_band_2_min_dollars"] == 55000
    ada = t[t["parameter"] == "lausd_ada"].set_index("fiscal_year")["value"]
    assert ada["2022-23"] == pytest.approx(383_659.84)
    assert all(30_000 < a <= 400_000 for a in ada)  # hence the 2% band


# --------------------------------------------------------------------------- schools


def test_schools_table(schools):
    assert list(schools.columns) == SCHOOL_COLUMNS
    assert len(schools) == 732 and schools["school_code"].is_unique
    assert schools["school_code"].str.fullmatch(r"\d{7}").all()
    assert (
        schools["cds_code"]
        == schools["county_code"] + schools["district_code"] + schools["school_code"]
    ).all()
    assert (schools["district_code"] == "64733").all() and (schools["charter"] == "N").all()
    assert schools["enrollment_2014_15"].sum() == 501_345
    assert schools["enrollment"].sum() == 408_026
    assert schools["gr_tk"].sum() == 25_000
    assert (schools[GRADE_COLUMNS].sum(axis=1) == schools["enrollment"]).all()
    assert schools["frpm_share"].between(0, 1).all()
    assert schools["enrollment_basis"].str.startswith("imputed").all()
    # no students outside a school's grade span; TK only where kindergarten is taught
    index = {"P": 1, "K": 1, **{str(g): g + 1 for g in range(1, 13)}}
    grades = schools[GRADE_COLUMNS].to_numpy()
    for i, (lo, hi) in enumerate(zip(schools["low_grade"], schools["high_grade"], strict=True)):
        allowed = np.zeros(len(GRADE_COLUMNS), bool)
        allowed[index[lo] : index[hi] + 1] = True
        allowed[0] = index[lo] == 1
        assert (grades[i][~allowed] == 0).all(), schools["school_code"].iloc[i]


def test_schools_match_the_cde_source(schools):
    src = pd.read_csv(DATA / "source" / "cde_frpm_2014_15_lausd.csv", dtype=str)
    run = src[src["Charter School (Y/N)"] == "0"].set_index("School Code")
    s = schools.set_index("school_code")
    assert set(s.index) == set(run.index)
    assert (s["school_name"] == run.loc[s.index, "School Name"]).all()
    assert (s["enrollment_2014_15"] == run.loc[s.index, "Enrollment (K-12)"].astype(float)).all()


def test_schools_script_reproduces_the_table(schools):
    build = _load_script("build_lausd_schools").build()
    expected = schools.copy()
    pd.testing.assert_frame_equal(build.reset_index(drop=True), expected, check_dtype=False)


# --------------------------------------------------------------------------- workforce


def test_workforce_and_schedules_validate(workforce, schedules):
    assert len(workforce) > 0
    assert set(workforce["unit"]) == {"UTLA", "SEIU 99"}
    assert (workforce["retirement"][workforce["unit"] == "UTLA"] == "STRS").all()
    assert set(workforce["retirement"][workforce["unit"] == "SEIU 99"]) == {"PERS", "none"}
    assert (DATA / "workforce.csv").stat().st_size < 5_000_000


def test_generator_is_seeded_and_reproduces_the_files(fresh_build):
    """Every file the generator writes, byte for byte: the base-year workforce and
    schedules, workforce.md, the two historical snapshots and history/README.md."""
    files = gen.outputs(fresh_build)
    assert set(files) == {
        "workforce.csv",
        "schedules.csv",
        "workforce.md",
        "history/README.md",
        *(f"history/{kind}_{y}.csv" for kind in ("workforce", "schedules") for y in HISTORY_YEARS),
    }
    for name, text in files.items():
        assert (DATA / name).read_text() == text, (
            f"data/lausd/{name} is not what the generator writes"
        )


def test_schedule_shapes(schedules):
    t = schedules[schedules["schedule"] == "T"].pivot(index="step", columns="column", values="rate")
    assert t.shape == (10, 8)
    assert (np.diff(t.to_numpy(), axis=0) > 0).all() and (np.diff(t.to_numpy(), axis=1) > 0).all()
    for sched in ("C_SEA", "C_TA", "C_PA", "C_CAF", "C_CUST", "C_BUS"):
        r = schedules[schedules["schedule"] == sched].sort_values("step")["rate"].to_numpy()
        assert len(r) == 5 and (np.diff(r) >= 0).all() and r.min() >= 22.52


def test_seiu_2023_agreement_lifts_1691_to_2252():
    pre = np.array([16.91])
    assert gen.post_rate(pre)[0] == pytest.approx(22.52)
    assert round(16.91 * 1.06 * 1.07 * 1.07, 2) + 2.00 == pytest.approx(22.52)


def _measures(wf: pd.DataFrame, schedules: pd.DataFrame) -> dict:
    """The calibration measures, from the validated files (independent of the generator)."""
    n = wf["count"].to_numpy(float)
    pay = annual_pay(wf) / n  # per employee
    utla = (wf["unit"] == "UTLA").to_numpy()
    seiu = (wf["unit"] == "SEIU 99").to_numpy()
    teach = wf["classification"].isin(["Teacher", "Special Education Teacher"]).to_numpy()
    support = (
        wf["classification"]
        .isin(
            [
                "School Nurse",
                "School Psychologist",
                "Psychiatric Social Worker",
                "Pupil Services and Attendance Counselor",
                "Counselor",
                "Teacher Librarian",
                "Other Certificated Support (residual)",
            ]
        )
        .to_numpy()
    )
    cells = schedules.set_index(["schedule", "column", "step"])["rate"]
    hours = wf["hours_per_day"].to_numpy(float)
    return {
        "utla_headcount": n[utla].sum(),
        "teacher_headcount": n[teach].sum(),
        "cert_support_headcount": n[support].sum(),
        "psych_psw_headcount": n[
            wf["classification"]
            .isin(["School Psychologist", "Psychiatric Social Worker"])
            .to_numpy()
        ].sum(),
        "teacher_average_salary": np.average(pay[teach], weights=n[teach]),
        "t_lowest_cell": cells[("T", "G1", 1)],
        "nurse_minus_t": (cells["NURSE"] - cells["T"]).min(),
        "spsvc_minus_t": (cells["SPSVC"] - cells["T"]).min(),
        "teacher_step1_share": n[teach & (wf["step"].to_numpy() == 1)].sum() / n[teach].sum(),
        "seiu_headcount": n[seiu].sum(),
        "seiu_min_rate": wf.loc[seiu, "hourly_rate"].min(),
        "seiu_average_pay": np.average(pay[seiu], weights=n[seiu]),
        "sea_min_hours": wf.loc[
            wf["classification"] == "Special Education Assistant", "hours_per_day"
        ].min(),
        "custodian_headcount": n[(wf["classification"] == "Custodian").to_numpy()].sum(),
        "_seiu_health_share": n[seiu & (hours >= 4)].sum() / n[seiu].sum(),
    }


@pytest.mark.parametrize("key,target,tol,what,source", gen.TARGETS, ids=[t[0] for t in gen.TARGETS])
def test_calibration_target(workforce, schedules, key, target, tol, what, source):
    reached = _measures(workforce, schedules)[key]
    assert abs(reached - target) <= tol * abs(target) + 1e-6, (
        f"{what}: {reached:,.2f} vs {target:,.2f} ({source})"
    )


@pytest.mark.parametrize(
    "key,target,tol,what,source", gen.PRE_TARGETS, ids=[t[0] for t in gen.PRE_TARGETS]
)
def test_pre_contract_calibration_target(fresh_build, key, target, tol, what, source):
    row = fresh_build.calibration.set_index("measure").loc[key]
    assert abs(row["reached"] - target) <= tol * abs(target), (
        f"{what}: {row['reached']:,.2f} vs {target:,.2f} ({source})"
    )


def test_calibration_table_in_workforce_md_is_current(workforce, schedules):
    text = (DATA / "workforce.md").read_text()
    m = _measures(workforce, schedules)
    assert f"${m['teacher_average_salary']:,.0f}" in text
    assert f"${m['seiu_average_pay']:,.0f}" in text
    assert f"{m['_seiu_health_share']:.1%}" in text


def test_seiu_health_and_retirement_rules(workforce):
    seiu = workforce[workforce["unit"] == "SEIU 99"]
    hours = seiu["hours_per_day"].to_numpy(float)
    annual = hours * seiu["days_per_year"].to_numpy(float)
    expected = np.where((hours >= 4) | (annual >= 1000), "PERS", "none")
    assert (seiu["retirement"].to_numpy() == expected).all()
    share = seiu.loc[hours >= 4, "count"].sum() / seiu["count"].sum()
    assert 0.6 < share < 0.95  # most, not all, SEIU 99 members work 4+ hours a day
    assert seiu["health_eligible"].isna().all()  # the engine's hours test decides


def test_school_codes_come_from_the_schools_table(workforce, schools):
    codes = set(workforce["school_code"].dropna().astype(str))
    assert codes <= set(schools["school_code"])
    teachers = workforce[workforce["classification"] == "Teacher"]
    by_school = teachers.groupby("school_code")["count"].sum()
    enrol = schools.set_index("school_code")["enrollment"].reindex(by_school.index)
    assert np.corrcoef(by_school.to_numpy(float), enrol.to_numpy(float))[0, 1] > 0.9


# --------------------------------------------------------------------------- historical snapshots


@pytest.mark.parametrize("year", HISTORY_YEARS)
def test_history_snapshots_validate_and_stay_small(history_workforce, history_schedules, year):
    wf, sch = history_workforce[year], history_schedules[year]
    assert len(wf) > 0 and len(sch) > 0
    assert (HISTORY / f"workforce_{year}.csv").stat().st_size < 3_000_000
    assert (DATA / "workforce.csv").stat().st_size < 3_000_000


@pytest.mark.parametrize("year", HISTORY_YEARS)
def test_history_has_the_same_people(
    workforce, schedules, history_workforce, history_schedules, year
):
    """Same rows in the same order: units, classifications, counts, school codes, schedules
    and columns; the same schedule cells; steps by the documented step rule."""
    hist = history_workforce[year]
    assert len(hist) == len(workforce)
    pd.testing.assert_frame_equal(hist[SAME_PEOPLE], workforce[SAME_PEOPLE])
    assert (
        hist.groupby("classification")["count"]
        .sum()
        .equals(workforce.groupby("classification")["count"].sum())
    )
    cells = ["schedule", "column", "step"]
    pd.testing.assert_frame_equal(history_schedules[year][cells], schedules[cells])
    # step rule: one step lower per year back below the top, never below step 1; top stays
    top = schedules.groupby(["schedule", "column"])["step"].max()
    tops = top.reindex(pd.MultiIndex.from_frame(workforce[["schedule", "column"]])).to_numpy()
    s = workforce["step"].to_numpy()
    k = YEARS_BACK[year]
    expected = np.where(s == tops, s, np.maximum(1, s - k))
    assert (hist["step"].to_numpy() == expected).all()
    # projecting the snapshot k years (one step each July 1) gives the base-year step back
    # wherever the rule is an exact inverse (at the top, or at least k steps above step 1)
    exact = (s == tops) | (s - k >= 1)
    assert (np.minimum(hist["step"].to_numpy() + k, tops)[exact] == s[exact]).all()


@pytest.mark.parametrize("year", HISTORY_YEARS)
def test_seiu_2023_agreement_path_to_the_cent(
    workforce, schedules, history_workforce, history_schedules, year
):
    """The SEIU Local 99 2023 agreement (6% 7/1/2021, 7% 7/1/2022, 7% 7/1/2023, +$2/hour
    1/1/2024, $22.52 minimum) takes every pre-contract cell to its base-year cell, and so
    every base-year SEIU row's rate to its cell's pre-contract rate run along the path."""
    key = ["schedule", "column", "step"]
    pre = history_schedules[year].set_index(key)["rate"]
    post = schedules.set_index(key)["rate"]
    seiu_cells = pre.index.get_level_values("schedule").str.startswith("C_")
    assert seiu_cells.sum() == 30
    p = pre[seiu_cells]
    expected = np.maximum(22.52, p * np.prod(SEIU_PATH) + 2.00)
    assert np.abs(post[seiu_cells] - expected).max() <= 0.005 + 1e-9
    # row by row: the base-year rate against the pre-contract rate of the same cell
    base = workforce[workforce["unit"] == "SEIU 99"]
    pre_row = pre.reindex(pd.MultiIndex.from_frame(base[key])).to_numpy()
    row_expected = np.maximum(22.52, pre_row * np.prod(SEIU_PATH) + 2.00)
    assert np.abs(base["hourly_rate"].to_numpy() - row_expected).max() <= 0.005 + 1e-9
    # the snapshot is pre-contract: $16.91 workers exist and are the lowest rate
    hist = history_workforce[year]
    seiu = hist[hist["unit"] == "SEIU 99"]
    assert seiu["hourly_rate"].min() == 16.91
    assert seiu.loc[seiu["hourly_rate"] == 16.91, "count"].sum() > 1_000
    assert round(16.91 * 1.06 * 1.07 * 1.07 + 2.00, 2) == 22.52


@pytest.mark.parametrize("year", HISTORY_YEARS)
def test_seiu_hours_only_differ_by_the_7_hour_guarantee(workforce, history_workforce, year):
    hist = history_workforce[year]
    seiu = (workforce["unit"] == "SEIU 99").to_numpy()
    h0 = hist["hours_per_day"].to_numpy(float)[seiu]
    h1 = workforce["hours_per_day"].to_numpy(float)[seiu]
    sea = (workforce["classification"] == "Special Education Assistant").to_numpy()[seiu]
    assert (h1[~sea] == h0[~sea]).all()
    assert (h1[sea] == np.maximum(h0[sea], 7.0)).all() and (h0[sea] < 7.0).any()
    assert (hist["retirement"] == workforce["retirement"]).all()  # no change of system
    assert (hist.loc[~seiu, "hours_per_day"].isna()).all()


@pytest.mark.parametrize("year", HISTORY_YEARS)
def test_utla_tables_deflated_along_the_raise_path(schedules, history_schedules, year):
    """2024-25 cell = snapshot cell x the documented factor (+ the 2022-25 flat addition),
    to the dollar: the snapshot cells are rounded to whole dollars."""
    factor = UTLA_FACTOR[year]
    key = ["column", "step"]
    base = schedules.set_index(["schedule", *key])["rate"]
    hist = history_schedules[year].set_index(["schedule", *key])["rate"]
    for sched, add in FLAT_ADDS.items():
        b, h = base[sched], hist[sched]
        assert (h == h.round()).all()
        assert np.abs(b - add - h * factor).max() <= 1.0, sched
        # the flat additions did not exist before the 2022-25 agreement
        assert (h == hist["T"]).all(), sched
    assert hist[("T", "G1", 1)] == {"2019-20": 46_587, "2021-22": 48_917}[year]
    assert UTLA_FACTOR["2019-20"] / UTLA_FACTOR["2021-22"] == pytest.approx(1.05)


def test_history_readme_is_current(history_workforce):
    text = (HISTORY / "README.md").read_text()
    for year, wf in history_workforce.items():
        n = wf["count"].to_numpy(float)
        teach = wf["classification"].isin(["Teacher", "Special Education Teacher"]).to_numpy()
        avg = np.average(annual_pay(wf)[teach] / n[teach], weights=n[teach])
        assert f"${avg:,.0f}" in text, year
        assert f"= {UTLA_FACTOR[year]:.6f}" in text, year
    assert "METHODOLOGY" in text and "June 30, 2020" in text and "June 30, 2022" in text
