"""Staffing ratios (costing.proposals.staffing): hand-worked cases, WORKED-EXAMPLES 8,
errors, and a plain per-school loop as a reference on random districts.

Rates (tests/conftest.py ROUND_RATES): statutory benefits of a CalSTRS member 0.221 of
salary, health $12,000 per enrollee. A counselor at $90,000 costs
90,000 + 19,890 + 12,000 = $121,890 a year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import ROUND_RATES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import costing as ct
from costing import positions as P
from costing.proposals.staffing import Staffing, current_positions, preset
from costing.scenario_file import ScenarioFileError, loads_scenario

COUNSELOR = 90_000 + 0.221 * 90_000 + 12_000  # 121,890.00
GRADES = ["tk", "k", *(f"{g:02d}" for g in range(1, 13))]


def schools_table(*rows: dict) -> pd.DataFrame:
    """Schools with their students spread over grades: ``students`` put in grade 1 unless
    ``gr_XX`` keys are given."""
    out = []
    for r in rows:
        rec = {"school_code": r["code"], "school_type": r.get("type", "Elementary Schools (Public)"),
               "low_grade": "K", "frpm_share": r.get("frpm", 0.5)}
        for g in GRADES:
            rec[f"gr_{g}"] = r.get(f"gr_{g}", 0)
        if "students" in r:
            rec["gr_01"] = r["students"]
        out.append(rec)
    return pd.DataFrame(out)


def counselor(code: str | None, count: float, salary: float = 90_000, fte: float = 1.0) -> dict:
    return {"unit": "UTLA", "classification": "Counselor", "pay_basis": "salary", "annual_salary": salary,
            "retirement": "STRS", "count": count, "fte": fte, "school_code": code}


def district(schools: pd.DataFrame, rows: list[dict]) -> ct.District:
    rates = ct.Rates.from_values(ROUND_RATES, source="WORKED-EXAMPLES section 6 (illustrative)")
    return ct.District("test", "2024-25", pd.DataFrame(rows), rates, schools=schools)


# WORKED-EXAMPLES 8: A 1,800 students and 3 counselors, B 120 and 0, C 600 and 4
ABC = schools_table({"code": "A", "students": 1800}, {"code": "B", "students": 120}, {"code": "C", "students": 600})
ABC_STAFF = [counselor("A", 3), counselor("C", 4)]


def ratio(**kw) -> Staffing:
    kw.setdefault("role", "Counselor")
    kw.setdefault("ratio", 250)
    kw.setdefault("effective", "2025-07-01")
    return Staffing(name=kw.pop("name", "counselors"), **kw)


def added(p: Staffing, d: ct.District, years=("2025-26",)) -> dict:
    det = p.detail(d, list(years), None)
    return dict(zip(det["school_code"], det["positions"], strict=True))


def test_worked_example_8_per_school_ceil_with_a_minimum():
    # A: ceil(1,800 / 250) = ceil(7.2) = 8 -> add 8 - 3 = 5
    # B: ceil(0.48) = 1 (the minimum) -> add 1
    # C: ceil(2.4) = 3 < 4 today -> add 0, not -1
    d = district(ABC, ABC_STAFF)
    p = ratio(minimum=1)
    assert added(p, d) == {"A": 5.0, "B": 1.0, "C": 0.0}
    det = p.detail(d, ["2025-26"], None).set_index("school_code")
    assert det.loc["A", "needed"] == 8 and det.loc["C", "current"] == 4
    # 6 counselors x 121,890 = 731,340; fte 6 on the salary row
    led = ct.price(ct.Scenario("s", "2025-26", 1, (p,)), d).ledger
    led = led[led["scenario"] == "s"].set_index("component")
    assert led["amount"].sum() == pytest.approx(6 * COUNSELOR)
    assert led.loc["salary", "amount"] == pytest.approx(540_000)
    assert led.loc["statutory_benefits", "amount"] == pytest.approx(119_340)  # 540,000 x 0.221
    assert led.loc["health_welfare", "amount"] == pytest.approx(72_000)
    assert (led.loc["salary", "fte"], led.loc["health_welfare", "fte"]) == (6.0, 0.0)
    assert set(led["classification"]) == {"Counselor"}


def test_worked_example_8_district_wide():
    # ceil(2,520 / 250) = ceil(10.08) = 11 needed, 7 today -> add 4
    d = district(ABC, ABC_STAFF)
    det = ratio(scope="district").detail(d, ["2025-26"], None)
    assert det["school_code"].tolist() == [P.DISTRICT_WIDE]
    assert (det["needed"].item(), det["current"].item(), det["positions"].item()) == (11, 7, 4)
    # with the minimum: max(7.2, 1) + max(0.48, 1) + max(2.4, 1) = 10.6 -> ceil 11: the same
    assert ratio(scope="district", minimum=1).detail(d, ["2025-26"], None)["positions"].item() == 4


def test_net_allows_cuts():
    # per school, net: A +5, B +0 (ceil 0.48 = 1, minimum 0 -> 1 needed, 0 today: +1), C 3 - 4 = -1
    d = district(ABC, ABC_STAFF)
    assert added(ratio(net=True), d) == {"A": 5.0, "B": 1.0, "C": -1.0}
    # district-wide, net, ratio 500: ceil(2,520 / 500) = 6 needed, 7 today -> -1
    assert ratio(scope="district", ratio=500, net=True).detail(d, ["2025-26"], None)["positions"].item() == -1


def test_fractional_rounding():
    # A 1,800 / 250 = 7.2 - 3 = 4.2; B 0.48 - 0 = 0.48; C 2.4 - 4 < 0 -> 0
    d = district(ABC, ABC_STAFF)
    got = added(ratio(rounding="fractional"), d)
    assert got == pytest.approx({"A": 4.2, "B": 0.48, "C": 0.0})
    # with a full-time minimum at every school: B max(0.48, 1) = 1
    assert added(ratio(rounding="fractional", minimum=1), d)["B"] == 1.0


def test_unassigned_staff_are_prorated_by_enrollment():
    # 5 counselors without a school code, 2 with an unknown code (treated the same): 7 shared
    # by students: A 1,800 / 2,520 x 7 = 5.0, B 120 / 2,520 x 7 = 0.3333, C 600 / 2,520 x 7 = 1.6667
    d = district(ABC, [counselor(None, 5), counselor("ZZZ", 2)])
    students = np.array([1800.0, 120.0, 600.0])
    cur = current_positions(d, "Counselor", students)
    assert cur == pytest.approx([5.0, 1 / 3, 5 / 3])
    # ceil needs 8, 1, 3 -> added 3, 0.6667, 1.3333 = 5 (= 12 - 7, nothing above the need)
    assert sum(added(ratio(), d).values()) == pytest.approx(5.0)
    # part-time staff count by fte: 2 half-time at A are 1.0
    d2 = district(ABC, [counselor("A", 2, fte=0.5)])
    assert current_positions(d2, "Counselor", students)[0] == 1.0


def test_counted_grades_and_targeting():
    # a 6-12 school with 300 in grade 6 and 900 in grades 9-12; counselors on grades 6-12 at 300:1:
    # all 1,200 count: 4 needed. On grades 9-12 only: 3.
    sch = schools_table({"code": "S", "type": "High Schools (Public)", "gr_06": 300, "gr_09": 225, "gr_10": 225,
                         "gr_11": 225, "gr_12": 225}, {"code": "E", "students": 600, "frpm": 0.9})
    # one counselor today, at E
    d = district(sch, [counselor("E", 1)])
    assert added(ratio(ratio=300, grades="6-12"), d) == {"S": 4.0}  # E has no grade 6-12 students
    assert added(ratio(ratio=300, grades="9-12"), d) == {"S": 3.0}
    # E: ceil(600 / 300) = 2 needed, 1 today -> 1
    assert added(ratio(ratio=300, school_types=("Elementary Schools (Public)",)), d) == {"E": 1.0}
    assert added(ratio(ratio=300, top_n=1), d) == {"E": 1.0}  # the highest FRPM share
    assert added(ratio(ratio=300, schools=("S",)), d) == {"S": 4.0}


def test_ratio_schedule_phase_in_and_mid_year_start():
    # School A, 1,800 students, 3 counselors. Ratio [300, 250] from January 1, 2026, phase-in 50%, 100%:
    # 2025-26: ceil(6) = 6 -> +3 x 50% = 1.5 positions, paid 6/12: 1.5 x 121,890 x 0.5 = 91,417.50
    # 2026-27: ceil(7.2) = 8 -> +5 x 100% = 5 positions: 609,450
    d = district(schools_table({"code": "A", "students": 1800}), [counselor("A", 3)])
    p = ratio(ratio=(300, 250), effective="2026-01-01", phase_in=(0.5, 1.0))
    led = ct.price(ct.Scenario("s", "2025-26", 2, (p,)), d).ledger
    led = led[led["scenario"] == "s"]
    assert led.groupby("fiscal_year")["amount"].sum().tolist() == pytest.approx([91_417.50, 609_450])
    assert led[led["component"] == "salary"]["fte"].tolist() == [1.5, 5.0]


def test_presets_from_the_benchmarks_file():
    assert preset("ASCA") == ("Counselor", 250.0)
    assert preset("NASP") == ("School Psychologist", 500.0)
    assert preset("SSWAA") == ("Psychiatric Social Worker", 250.0)
    assert preset("NASN") == ("School Nurse", 750.0)
    b = P.staffing_benchmarks()
    assert b["source"].str.len().min() > 20 and b["url"].str.startswith("http").all()
    assert set(b["reliability"]) <= {"H", "M", "L"}
    d = district(ABC, ABC_STAFF)
    assert added(Staffing(name="asca", preset="ASCA", effective="2025-07-01", minimum=1), d) == {"A": 5, "B": 1, "C": 0}
    # an explicit ratio wins over the preset's
    assert Staffing(name="x", preset="ASCA", ratio=300, effective="2025-07-01").ratio == (300.0,)


def test_a_nurse_at_every_school_with_the_roles_own_salary():
    # NASN 750:1 with a full-time nurse at every school: A 1,800 -> ceil(2.4) = 3; B 120 -> 1 (minimum);
    # C 600 -> 1. No nurses today: 5 nurses at $100,000: 5 x (100,000 x 1.221 + 12,000) = 670,500
    nurse = {"unit": "UTLA", "classification": "School Nurse", "pay_basis": "salary", "annual_salary": 100_000,
             "retirement": "STRS", "count": 1, "fte": 1.0, "school_code": None}
    d = district(ABC, [*ABC_STAFF, nurse])
    # the one unassigned nurse is shared by enrollment: A 0.714, B 0.048, C 0.238 -> added 2.286 + 0.952 + 0.762 = 4
    p = Staffing(name="nurses", preset="NASN", effective="2025-07-01", minimum=1)
    led = ct.price(ct.Scenario("s", "2025-26", 1, (p,)), d).ledger
    led = led[led["scenario"] == "s"]
    assert led[led["component"] == "salary"]["fte"].item() == pytest.approx(4.0)
    assert led["amount"].sum() == pytest.approx(4 * (100_000 * 1.221 + 12_000))


def test_a_role_outside_the_workforce_needs_unit_retirement_and_salary():
    d = district(ABC, ABC_STAFF)
    with pytest.raises(ct.PricingError, match="role 'Dream Center Coordinator' is not a classification"):
        ct.price(ct.Scenario("s", "2025-26", 1, (ratio(role="Dream Center Coordinator"),)), d)
    p = ratio(role="Dream Center Coordinator", unit="UTLA", retirement="STRS",
              salary_basis=P.SalaryBasis("amount", amount=90_000), minimum=1)
    # nobody today: A 8, B 1, C 3 = 12 x 121,890
    led = ct.price(ct.Scenario("s", "2025-26", 1, (p,)), d).ledger
    assert led[led["scenario"] == "s"]["amount"].sum() == pytest.approx(12 * COUNSELOR)


HEADER = 'name = "s"\nstart = "2025-26"\nyears = 1\n'


@pytest.mark.parametrize("body, message", [
    ('role = "Counselor"\nratio = 0\n', "key 'ratio': must be above 0, got 0"),
    ('role = "Counselor"\nratio = -250\n', "key 'ratio': must be above 0, got -250"),
    ('preset = "XYZ"\n', "key 'preset': unknown staffing preset 'XYZ'"),
    ('ratio = 250\n', "missing required key 'role'"),
    ('role = "Counselor"\n', "missing required key 'ratio'"),
    ('role = "Counselor"\nratio = 250\nscope = "region"\n', "key 'scope': must be one of 'school', 'district'"),
    ('role = "Counselor"\nratio = 250\ngrades = "6-13"\n', "key 'grades': unknown grade band '6-13'"),
    ('role = "Counselor"\nratio = 250\nminimum = -1\n', "key 'minimum': must be at least 0"),
])
def test_bad_tables_name_the_file_table_and_key(body, message):
    with pytest.raises(ScenarioFileError) as exc:
        loads_scenario(HEADER + f'[[staffing]]\nname = "c"\neffective = 2025-07-01\n{body}', source="supports.toml")
    assert str(exc.value).startswith("supports.toml: [[staffing]] #1 ('c')")
    assert message in str(exc.value)


def test_unknown_school_code_when_priced():
    s = loads_scenario(HEADER + '[[staffing]]\nname = "c"\neffective = 2025-07-01\npreset = "ASCA"\nschools = ["Q"]\n',
                       source="supports.toml")
    with pytest.raises(ct.PricingError, match=r"supports.toml: \[\[staffing\]\] #1 \('c'\): key 'schools': unknown school code\(s\) 'Q'"):
        ct.price(s, district(ABC, ABC_STAFF))


def test_file_round_trip():
    s = loads_scenario(HEADER + '[[staffing]]\nname = "c"\neffective = 2026-01-01\npreset = "ASCA"\n'
                       'ratio = [300.0, 250.0]\nscope = "district"\nrounding = "fractional"\nminimum = 1.0\n'
                       'grades = "6-12"\nphase_in = [50.0, 100.0]\nsalary_basis = 95000.0\ntop_n = 10\n')
    p = s.proposals[0]
    assert (p.role, p.ratio, p.phase_in, p.salary_basis.amount) == ("Counselor", (300.0, 250.0), (0.5, 1.0), 95_000.0)
    assert loads_scenario(s.to_toml()) == s


# ---------------------------------------------------------------------------- property test
def reference_staffing(students: list[float], current: list[float], reach: list[bool], ratio_: float, scope: str,
                       rounding: str, minimum: float) -> float:
    """Positions added, a school at a time (METHODOLOGY 6)."""
    if scope == "school":
        total = 0.0
        for e, c, r in zip(students, current, reach, strict=True):
            if not r or e <= 0:
                continue
            need = e / ratio_
            need = math.ceil(need) if rounding == "ceil" else need
            total += max(0.0, max(need, minimum) - c)
        return total
    need = sum(max(e / ratio_, minimum) for e, r in zip(students, reach, strict=True) if r and e > 0)
    need = math.ceil(need) if rounding == "ceil" else need
    have = sum(c for c, r in zip(current, reach, strict=True) if r)
    return max(0.0, need - have)


@st.composite
def staffing_case(draw):
    n = draw(st.integers(1, 6))
    students = [draw(st.integers(0, 2500)) for _ in range(n)]
    staff = [draw(st.integers(0, 8)) for _ in range(n)]
    unassigned = draw(st.integers(0, 5))
    return (students, staff, unassigned, draw(st.integers(50, 900)), draw(st.sampled_from(["school", "district"])),
            draw(st.sampled_from(["ceil", "fractional"])), float(draw(st.sampled_from([0, 0.5, 1, 2]))),
            draw(st.one_of(st.none(), st.integers(1, n))), [draw(st.floats(0, 1)) for _ in range(n)])


TEMPLATE = district(ABC, [counselor("A", 1)]).workforce  # canonical columns and dtypes


def fast_district(schools: pd.DataFrame, rows: list[dict]) -> ct.District:
    """A district whose workforce rows are put in the validated template's form (no
    validation: the property test exercises the arrays, not the loader)."""
    wf = pd.concat([TEMPLATE.iloc[[0]]] * len(rows), ignore_index=True)
    wf["count"] = [float(r["count"]) for r in rows]
    wf["school_code"] = pd.array([r["school_code"] for r in rows], dtype=TEMPLATE["school_code"].dtype)
    return ct.District("test", "2024-25", wf, RATES, schools=schools, validated=True)


RATES = ct.Rates.from_values(ROUND_RATES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(staffing_case())
def test_arrays_match_a_plain_per_school_loop(case):
    students, staff, unassigned, ratio_, scope, rounding, minimum, top, frpm = case
    codes = [f"{i:07d}" for i in range(len(students))]
    sch = schools_table(*({"code": c, "students": e, "frpm": f} for c, e, f in zip(codes, students, frpm, strict=True)))
    rows = [counselor(c, k) for c, k in zip(codes, staff, strict=True) if k] + ([counselor(None, unassigned)] if unassigned else [])
    rows = rows or [counselor("none", 0.0001)]  # the role exists (a negligible unknown-school row)
    d = fast_district(sch, rows)
    total = sum(students)
    current = [k + (unassigned * e / total if total else 0.0) for k, e in zip(staff, students, strict=True)]
    if rows[0]["school_code"] == "none":
        current = [c + (0.0001 * e / total if total else 0.0) for c, e in zip(current, students, strict=True)]
    reach = list(P.target_schools(sch, top_n=top))
    expected = reference_staffing([float(x) for x in students], current, reach, float(ratio_), scope, rounding, minimum)
    p = ratio(ratio=ratio_, scope=scope, rounding=rounding, minimum=minimum, top_n=top)
    det = p.detail(d, ["2025-26"], None)
    assert det["positions"].sum() == pytest.approx(expected, abs=1e-9)
    rows_ = p.cost_rows(d, ["2025-26"], ct.PricingOptions())
    assert rows_.loc[rows_["component"] == "salary", "fte"].item() == pytest.approx(expected, abs=1e-9)
