"""The statewide dataset: generator formulas and calibration (hand-worked), the
partitioned collection, single-process pricing, views and errors.

The distributed run (a real LocalCluster) is in ``test_statewide_cluster.py``; the
figure in ``test_statewide_plot.py``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import costing as ct
from costing.statewide import (
    StatewideError,
    generate_district,
    generate_statewide,
    grade_span,
    load_district,
    load_statewide,
    map_districts,
    price_statewide,
    read_nces,
    split_enrollment,
)
from costing.statewide import generate as gen
from costing.statewide.calibration import target

#: small districts of three kinds (unified, elementary, high), for fast runs
SMALL = ["600001", "600018", "601420", "601465"]


def class_size_cap(years: int = 3) -> ct.Scenario:
    return ct.Scenario("TK-3 cap of 24", party="union", start="2025-26", years=years, proposals=(
        ct.ClassSize(name="TK-3 to 24", effective="2025-07-01", caps=(ct.Cap("TK-3", 24.0),),
                     current=(ct.Cap("TK-3", 27.0),)),
    ))


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    out = tmp_path_factory.mktemp("statewide") / "sample"
    generate_statewide(out, districts=SMALL, seed=7)
    return load_statewide(out)


@pytest.fixture(scope="module")
def priced(state):
    return price_statewide(class_size_cap(), state, client="sync")


# ---------------------------------------------------------------------------- the NCES file
def test_bundled_nces_extract_is_every_california_lea():
    t = read_nces()
    # the shared file's PROVENANCE: 1,985 California LEAs; LAUSD 419,929 students
    assert len(t) == 1985
    la = t.set_index("district").loc["622710"]
    assert la["enrollment"] == 419_929 and la["instructional_staff"] == pytest.approx(21_730.24)


def test_bad_nces_cell_is_named_by_file_row_and_column(tmp_path):
    path = tmp_path / "nces.csv"
    path.write_text("district_id,district_name,state,enrollment,instructional_staff\n"
                    "1,A Unified,CA,100,5\n2,B Unified,CA,abc,5\n2,C Unified,CA,10,-1\n")
    with pytest.raises(StatewideError) as err:
        read_nces(path)
    msg = str(err.value)
    assert f"{path}, row 3, column enrollment: expected a number" in msg
    assert f"{path}, row 4, column instructional_staff" in msg
    assert f"{path}, row 4, column district_id: '2' appears more than once" in msg


# ---------------------------------------------------------------------------- formulas
def test_split_enrollment_largest_remainders():
    # 10 over three equal cells: 3.33 each -> 3, 3, 3 and the one left goes to the
    # first (equal remainders, lowest index first)
    assert split_enrollment(10, np.array([1.0, 1.0, 1.0])).tolist() == [4, 3, 3]
    # TK at half a cohort, K-12 one each (13.5 cohorts): 1,000 students -> TK 37.04,
    # each grade 74.07; floors 37 + 13 x 74 = 999; the one left to the largest remainder
    # (.074, K before the later grades)
    g = split_enrollment(1000, gen._span_weights("TK-12"))
    assert g.tolist() == [37, 75] + [74] * 12


@pytest.mark.parametrize("name, span", [
    ("Los Angeles Unified", "TK-12"),
    ("Kern High", "9-12"),
    ("Sweetwater Union High", "9-12"),
    ("Alview-Dairyland Union Elementary", "TK-8"),
    ("Highlands Elementary", "TK-8"),  # "High" only as a whole word
    ("Aspire Public Schools", "TK-12"),  # nothing in the name: the assumption
])
def test_grade_span_from_the_name(name, span):
    assert grade_span(name) == span


def test_teacher_schedule_meets_the_statewide_average():
    # step shares: 1,440 / 26,873 = 0.05359, 1,991 / 26,873 = 0.07409, top 0.52, steps 3-9
    # (1 - 0.05359 - 0.07409 - 0.52) / 7 = 0.05033 each
    p = gen.step_shares()
    assert p[0] == pytest.approx(0.05359, abs=1e-5) and p[1] == pytest.approx(0.07409, abs=1e-5)
    assert p[2] == pytest.approx(0.05033, abs=1e-5) and p.sum() == pytest.approx(1.0)
    # columns: 0.10 + 0.15 x 1.04 + 0.20 x 1.04^2 + 0.25 x 1.04^3 + 0.30 x 1.04^4 = 1.104494
    assert gen.column_factor() == pytest.approx(1.104494, abs=1e-6)
    # g solves 58,409 x sum p_s (1 + g)^(s - 1) x 1.104494 = 101,084
    g = gen.teacher_step_growth()
    expected_average = 58_409 * (p @ (1 + g) ** np.arange(10)) * 1.104494
    assert expected_average == pytest.approx(101_084, rel=1e-6)


def test_classified_base_rate():
    # hours x days x relative rate x share: 0.35 x 6 x 180 + 0.20 x 1.1 x 8 x 244
    # + 0.15 x 0.9 x 4 x 180 + 0.20 x 1.1 x 8 x 220 + 0.10 x 1.15 x 6 x 180 = 1,416.04 h;
    # steps: 0.15 x (1 + 1.05 + 1.1025 + 1.157625) + 0.40 x 1.21550625 = 1.13272125;
    # 1.13272125 x 1,416.04 = 1,603.98 paid hours per dollar of R; R = 39,877 / 1,603.98 = $24.8613
    assert gen.classified_base_rate() == pytest.approx(24.8613, abs=1e-4)


def _row(**kw) -> dict:
    row = {"district": "999001", "district_name": "Test Unified", "enrollment": 1000.0,
           "instructional_staff": 50.4, "grade_span": "TK-12", "pay_level": 1.0, "unduplicated_share": 0.60,
           "deficit_share": 0.0, "reserve_share": 0.20, "status": "generated", "reason": ""}
    row.update(kw)
    return row


def test_one_district_by_hand():
    t = generate_district(_row(), seed=1)
    wf = ct.validate_workforce(t["workforce"], schedules=t["schedules"])  # the rules of any workforce file
    teachers = wf[wf["unit"] == "Teachers"]
    # 50.4 FTE: 50 full-time and one at 0.4 FTE; round(0.12 x 50) = 6 in special education
    assert (teachers["count"] * teachers["fte"]).sum() == pytest.approx(50.4)
    assert teachers.loc[teachers["classification"] == "Special Education Teacher", "count"].sum() == 6
    assert teachers.loc[teachers["fte"] < 1, "fte"].tolist() == [pytest.approx(0.4)]
    # classified: round(50.4) = 50 over shares .35/.20/.15/.20/.10 = 17.5, 10, 7.5, 10, 5;
    # floors add to 49, the one left to the first of the two .5 remainders (Paraeducator)
    cl = wf[wf["unit"] == "Classified"].groupby("classification")["count"].sum()
    assert cl.to_dict() == {"Paraeducator": 18, "Custodian": 10, "Food Service Worker": 7,
                            "Office Assistant": 10, "Bus Driver": 5}
    # the lowest teacher cell is the statewide starting salary at pay level 1
    sch = t["schedules"]
    assert sch[(sch["schedule"] == "T") & (sch["step"] == 1) & (sch["column"] == "I")]["rate"].item() == 58_409
    # schools: TK-5 = 37 + 75 + 5 x 74 = 482 (one school: 482 / 473 rounds to 1), 6-8 = 222
    # and 9-12 = 296 (each rounds to 0 schools: at least one)
    schools = t["schools"]
    assert schools["enrollment"].tolist() == [482, 222, 296]
    assert schools["school_type"].tolist() == ["Elementary", "Middle", "High"]
    assert schools[list(ct.positions.GRADE_COLUMNS)].to_numpy().sum() == 1000


def test_budget_baseline_by_hand():
    t = generate_district(_row(), seed=1)
    b = ct.statewide.baseline_from_table(t["budget"])
    # ADA 2023-24 = 1,000 x 380,925.11 / 419,929 = 907.118; 2025-26 = 907.118 x 0.99^2
    ada = 1000 * 380_925.11 / 419_929 * 0.99 ** 2
    assert b.ada["2025-26"] == pytest.approx(ada)
    # base grant per ADA, by grade span (K-3 = TK + K + 1-3 = 37 + 75 + 3 x 74 = 334; 4-6 = 222;
    # 7-8 = 148; 9-12 = 296): (334 x 10,025 x 1.104 + 222 x 10,177 + 148 x 10,478
    # + 296 x 12,144) / 1,000 = 11,101.2404; uplift 1 + 0.20 x 0.60 + 0.65 x 0.05 = 1.1525;
    # COLA 2025-26 2.93%
    lcff = ada * 11_101.2404 * 1.0293 * 1.1525
    lines = b.lines.set_index("line")["amount"]
    assert lines["LCFF (synthetic)"] == pytest.approx(lcff, rel=1e-9)
    assert lines["Restricted programs (synthetic)"] == pytest.approx(lcff * 0.3 / 0.7, rel=1e-9)
    assert lines["Unrestricted spending (synthetic)"] == pytest.approx(lcff, rel=1e-9)  # no deficit
    # unrestricted balance 20% of total spending (lcff / 0.7); ADA 889 is in the 4% band
    total = lcff / 0.7
    reu = max(0.04 * total, 55_000)
    assert b.balance["reu"] == pytest.approx(reu)
    assert b.balance["assigned"] == pytest.approx(0.3 * (0.2 * total - reu))
    assert b.balance["unassigned"] == pytest.approx(0.7 * (0.2 * total - reu))
    assert b.expenditure_growth["2026-27"] == pytest.approx(0.0308)  # the LCFF COLA


def test_pay_level_is_normalised_over_the_state():
    p = gen.district_parameters(read_nces(), seed=3)
    ok = p["status"] == "generated"
    # teacher-FTE-weighted mean pay level 1: the state's expected average is the target
    assert np.average(p.loc[ok, "pay_level"], weights=p.loc[ok, "instructional_staff"]) == pytest.approx(1.0)


# ---------------------------------------------------------------------------- the collection
def test_skipped_leas_are_reported_with_the_reason(state):
    # the three county offices with 0 students in NCES CCD 2023-24
    s = state.skipped.set_index("district")
    assert sorted(s.index) == ["691044", "691093", "691120"]
    assert set(s["reason"]) == {"0 enrollment in NCES CCD 2023-24"}


def test_zero_staff_is_skipped_too(tmp_path):
    nces = tmp_path / "nces.csv"
    nces.write_text("district_id,district_name,state,enrollment,instructional_staff\n"
                    "1,A Unified,CA,100,5\n2,B Unified,CA,50,0\n")
    rep = generate_statewide(tmp_path / "out", nces=nces, seed=1)
    assert rep.districts["district"].tolist() == ["1"]
    assert rep.skipped[["district", "reason"]].values.tolist() == [["2", "0 instructional staff FTE in NCES CCD 2023-24"]]
    assert pd.read_csv(tmp_path / "out" / "skipped.csv", dtype={"district": str})["district"].tolist() == ["2"]


def test_layout_partitioned_by_district(state):
    for table in ("workforce", "schedules", "schools", "budget"):
        folders = sorted(p.name for p in (state.path / table).iterdir())
        assert folders == [f"district={d}" for d in sorted(SMALL)]
    manifest = json.loads((state.path / "manifest.json").read_text())
    assert manifest["validated"] and manifest["districts_generated"] == 4 and manifest["districts_skipped"] == 3


def test_reproducible_and_independent_of_the_sample(state, tmp_path):
    alone = generate_statewide(tmp_path / "alone", districts=["600018"], seed=7)
    a = pd.read_parquet(alone.path / "workforce" / "district=600018")
    b = pd.read_parquet(state.path / "workforce" / "district=600018")
    pd.testing.assert_frame_equal(a, b)
    other = generate_statewide(tmp_path / "other", districts=["600018"], seed=8)
    c = pd.read_parquet(other.path / "workforce" / "district=600018")
    assert not a.equals(c)


def test_sample_draws_only_eligible_districts(tmp_path):
    rep = generate_statewide(tmp_path / "s", sample=3, seed=11)
    assert len(rep.districts) == 3 and (rep.districts["status"] == "generated").all()
    again = generate_statewide(tmp_path / "t", sample=3, seed=11)
    assert rep.districts["district"].tolist() == again.districts["district"].tolist()


def test_loaded_district_matches_what_was_generated(state):
    d, baseline = load_district(str(state.path), "600001")
    assert isinstance(d, ct.District) and d.base_year == "2024-25"
    row = state.districts.set_index("district").loc["600001"]
    teachers = d.workforce[d.workforce["unit"] == "Teachers"]
    assert (teachers["count"] * teachers["fte"]).sum() == pytest.approx(row["instructional_staff"])
    assert d.schools["enrollment"].sum() == row["enrollment"]
    assert baseline.base_year == "2025-26"


def test_a_bad_partition_is_named_with_row_and_column(state, tmp_path):
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(state.path, root)
    f = next((root / "workforce" / "district=600018").glob("*.parquet"))
    wf = pq.read_table(f).to_pandas()
    wf.loc[2, "count"] = -3.0
    wf.to_parquet(f, index=False)
    with pytest.raises(ct.WorkforceError) as err:
        load_district(str(root), "600018", validate=True)
    assert "district=600018, row 4, column count: expected a number above 0" in str(err.value)


def test_unknown_district_and_missing_folder(state, tmp_path):
    with pytest.raises(StatewideError, match="no district"):
        load_statewide(state.path, ["123"])
    with pytest.raises(StatewideError, match="not a statewide collection"):
        load_statewide(tmp_path)


def test_map_districts_refuses_a_lambda(state):
    with pytest.raises(StatewideError, match="module-level function"):
        map_districts(lambda root, d: d, state, client="sync")


# ---------------------------------------------------------------------------- pricing
def test_ledger_is_each_district_priced_alone(state, priced):
    assert list(priced.ledger.columns) == ["district", *ct.LEDGER_COLUMNS]
    assert priced.failed.empty
    for d in SMALL:
        district, baseline = load_district(str(state.path), d)
        alone = ct.price(class_size_cap(), district)
        mine = priced.ledger[priced.ledger["district"] == d].drop(columns="district").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.ledger.reset_index(drop=True))
        proj = ct.project(district, alone, baseline=baseline, years=3).table
        res = priced.reserves[priced.reserves["district"] == d]
        assert np.allclose(res["margin_above_minimum"].to_numpy(), proj["margin_above_minimum"].to_numpy(),
                           rtol=0, atol=0.005)


def test_costing_price_dispatches_to_the_collection(state, priced):
    result = ct.price(class_size_cap(), state.using("sync"))
    assert isinstance(result, ct.statewide.StatewideCosting)
    pd.testing.assert_frame_equal(result.ledger, priced.ledger)


# ---------------------------------------------------------------------------- views
def test_views_are_reshapings_of_the_ledger(priced):
    led = priced.ledger[priced.ledger["scenario"] == "TK-3 cap of 24"]
    by = priced.cost_by_district()
    assert list(by.columns) == ["district", "district_name", "scenario", "enrollment",
                                "2025-26", "2026-27", "2027-28", "total"]
    for row in by.itertuples():
        assert row.total == pytest.approx(led.loc[led["district"] == row.district, "amount"].sum())
    total = priced.total()
    assert total.loc["TK-3 cap of 24", "total"] == pytest.approx(led["amount"].sum())
    assert total.loc["TK-3 cap of 24", "2026-27"] == pytest.approx(led.loc[led["fiscal_year"] == "2026-27", "amount"].sum())
    per = priced.cost_per_student().set_index("district")
    for row in by.itertuples():
        assert per.loc[row.district, "total"] == pytest.approx(row.total / row.enrollment)
    assert per["total"].is_monotonic_decreasing


def test_below_minimum_reads_the_reserve_projection(priced):
    res = priced.reserves
    sc = res[(res["scenario"] == "TK-3 cap of 24") & (res["margin_above_minimum"] < 0)]
    below = priced.below_minimum()
    assert sorted(below["district"]) == sorted(sc["district"].unique())
    for row in below.itertuples():
        mine = sc[sc["district"] == row.district]
        assert row.first_year_below == mine["fiscal_year"].min()
        assert row.deepest_shortfall == mine["margin_above_minimum"].min() < 0


def test_a_district_that_cannot_be_priced_is_reported(state):
    # a class-size cap for a role the districts do not have, with no cost given
    s = ct.Scenario("Counselor ratio", start="2025-26", years=1, proposals=(
        ct.ClassSize(name="cap", effective="2025-07-01", caps=(ct.Cap("TK-3", 24.0),),
                     current=(ct.Cap("TK-3", 27.0),), role="Librarian"),
    ))
    r = price_statewide(s, state, client="sync")
    assert sorted(r.failed["district"]) == sorted(SMALL)
    assert r.failed["error"].str.contains("Librarian").all()
    assert r.ledger.empty


def test_bad_arguments(state):
    with pytest.raises(StatewideError, match="Scenario"):
        price_statewide("not a scenario", state, client="sync")
    with pytest.raises(StatewideError, match="scheduler must be an address"):
        price_statewide(class_size_cap(), state, scheduler="localhost")
    assert math.isclose(target("teacher_average_salary"), 101_084)
