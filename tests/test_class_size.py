"""Class-size caps priced school by school (costing.proposals.class_size) and the views of
costing.positions.

Every expected number is worked by hand in the comment above it. WORKED-EXAMPLES section 7
and METHODOLOGY section 5's [D] figures are reproduced; a plain per-school loop
(``reference_class_size`` below) checks the array code on random districts.

Rates (tests/conftest.py ROUND_RATES): a CalSTRS member's statutory benefits are
0.191 + 0.0145 + 0.0005 + 0.015 = 0.221 of salary; the health premium is $12,000 per
enrollee. A teacher at $80,000 costs 80,000 + 17,680 + 12,000 = $109,680 a year.
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
from costing.cli import main
from costing.proposals.class_size import Cap, ClassSize, lausd_caps, section_counts
from costing.proposals.programs import Program
from costing.proposals.staffing import Staffing
from costing.scenario_file import ScenarioFileError, loads_scenario

TEACHER = 80_000 + 0.221 * 80_000 + 12_000  # 109,680.00 a year
GRADES = ["tk", "k", *(f"{g:02d}" for g in range(1, 13))]


def schools_table(*rows: dict) -> pd.DataFrame:
    """Schools with only the grades given (``gr_02=53``); other grades 0."""
    out = []
    for r in rows:
        rec = {"school_code": r["code"], "school_type": r.get("type", "Elementary Schools (Public)"),
               "low_grade": r.get("low", "K"), "frpm_share": r.get("frpm", 0.5)}
        for g in GRADES:
            rec[f"gr_{g}"] = r.get(f"gr_{g}", 0)
        out.append(rec)
    return pd.DataFrame(out)


def district(schools: pd.DataFrame, salary: float = 80_000, extra_rows: list[dict] | None = None) -> ct.District:
    rows = [{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": salary,
             "retirement": "STRS", "count": 10}]
    rows += extra_rows or []
    rates = ct.Rates.from_values(ROUND_RATES, source="WORKED-EXAMPLES section 6 (illustrative)")
    return ct.District("test", "2024-25", pd.DataFrame(rows), rates, schools=schools)


def one_band(band: str, new: float | tuple, cur: float, **kw) -> ClassSize:
    kw.setdefault("effective", "2025-07-01")
    return ClassSize(name=kw.pop("name", "caps"), caps=(Cap(band, new),), current=(Cap(band, cur),), **kw)


def priced(d: ct.District, *proposals, start: str = "2025-26", years: int = 1, name: str = "s") -> ct.Costing:
    return ct.price(ct.Scenario(name, start, years, tuple(proposals)), d)


def scenario_rows(res: ct.Costing, scenario: str = "s") -> pd.DataFrame:
    led = res.ledger
    return led[led["scenario"] == scenario]


# ---------------------------------------------------------------------------- WORKED-EXAMPLES 7
def test_worked_example_7_elementary_sections_round_up_grade_by_grade():
    # grade 2: 53, grade 3: 47.
    # cap 27: ceil(53/27) = 2, ceil(47/27) = 2 -> 4 sections
    # cap 24: ceil(53/24) = 3, ceil(47/24) = 2 -> 5 sections -> 1 added teacher
    d = district(schools_table({"code": "A", "gr_02": 53, "gr_03": 47}))
    p = one_band("TK-3", 24, 27)
    res = priced(d, p)
    det = p.detail(d, ["2025-26"], ct.PricingOptions())
    assert det["sections_current"].tolist() == [4.0]
    assert det["sections_new"].tolist() == [5.0]
    assert det["positions"].tolist() == [1.0]
    assert det["classrooms"].tolist() == [1.0]  # self-contained: one room per section
    # 1 teacher x $109,680 (salary 80,000, statutory 17,680, health 12,000)
    led = scenario_rows(res).set_index("component")
    assert led.loc["salary", "amount"] == pytest.approx(80_000)
    assert led.loc["statutory_benefits", "amount"] == pytest.approx(17_680)
    assert led.loc["health_welfare", "amount"] == pytest.approx(12_000)
    assert led.loc["salary", "fte"] == 1.0 and led.loc["statutory_benefits", "fte"] == 0.0
    assert set(led["unit"]) == {"UTLA"} and set(led["classification"]) == {"Teacher"}


def test_worked_example_7_combined_grade_classes_give_the_lower_bound():
    # 49 + 47 = 96: combined ceil(96/24) = 4; grade by grade ceil(49/24) + ceil(47/24) = 3 + 2 = 5
    # current cap 27: grade by grade 2 + 2 = 4; combined ceil(96/27) = 4
    # added: grade by grade 5 - 4 = 1; combined 4 - 4 = 0
    d = district(schools_table({"code": "A", "gr_02": 49, "gr_03": 47}))
    upper = one_band("TK-3", 24, 27).detail(d, ["2025-26"], None)
    lower = one_band("TK-3", 24, 27, pooling="combined").detail(d, ["2025-26"], None)
    assert (upper["sections_new"].item(), upper["positions"].item()) == (5.0, 1.0)
    assert (lower["sections_new"].item(), lower["positions"].item()) == (4.0, 0.0)
    # 53 + 47 = 100: combined ceil(100/24) = 5 "as well here"
    d2 = district(schools_table({"code": "A", "gr_02": 53, "gr_03": 47}))
    assert one_band("TK-3", 24, 27, pooling="combined").detail(d2, ["2025-26"], None)["sections_new"].item() == 5.0


def test_worked_example_7_high_school_periods():
    # 900 students (225 in each of grades 9-12), 6 periods each, teachers teach 5:
    # cap 36: ceil(900 x 6 / 36) = 150 sections -> 150 / 5 = 30.0 FTE
    # cap 30: ceil(5,400 / 30) = 180 sections -> 36.0 FTE -> 6.0 added FTE
    # classrooms: ceil(150 / 6) = 25 -> ceil(180 / 6) = 30: 5 added
    hs = {"code": "H", "type": "High Schools (Public)", "low": "9", **{f"gr_{g}": 225 for g in ("09", "10", "11", "12")}}
    d = district(schools_table(hs))
    p = one_band("9-12", 30, 36)
    det = p.detail(d, ["2025-26"], None)
    assert det[["sections_current", "sections_new", "teachers_current", "teachers_new"]].iloc[0].tolist() == [150, 180, 30, 36]
    assert det["positions"].item() == pytest.approx(6.0)
    assert det["sections"].item() == 30.0
    assert det["classrooms"].item() == 5.0
    # 6 x 109,680 = 658,080
    assert scenario_rows(priced(d, p))["amount"].sum() == pytest.approx(658_080)


def test_methodology_5_per_grade_and_pooled_figures():
    # K-3 enrollment 93, 88, 101, 97 (379). Cap 25: per grade 4 + 4 + 5 + 4 = 17, pooled ceil(379/25) = 16.
    # Per grade at caps 27 / 25 / 24 / 22: 16 / 17 / 18 / 19 (METHODOLOGY 5 [D]):
    #   27: 4+4+4+4; 25: 4+4+5+4; 24: 4+4+5+5; 22: 5+4+5+5 (88/22 = 4 exactly)
    E = np.zeros((1, 14))
    E[0, 1:5] = [93, 88, 101, 97]
    band = np.where(np.arange(14) <= 4, 0, -1)[None, :]
    dept = np.zeros_like(band, dtype=bool)
    caps = np.array([[27.0], [25.0], [24.0], [22.0]])
    inf = np.full_like(caps, np.inf)
    per_grade = section_counts(E, band, dept, caps, inf, "grade")["sections"][:, 0, 0]
    pooled = section_counts(E, band, dept, caps, inf, "combined")["sections"][:, 0, 0]
    assert per_grade.tolist() == [16, 17, 18, 19]
    assert pooled[1] == 16  # cap 25


def test_average_and_maximum_both_bind():
    # grades 1 and 2 with 26 students each, maximum 27, average 24:
    # maximum alone: ceil(26/27) + ceil(26/27) = 2; average: ceil(52/24) = 3 -> 3 sections
    d = district(schools_table({"code": "A", "gr_01": 26, "gr_02": 26}))
    p = ClassSize(name="c", effective="2025-07-01", caps=(Cap("TK-3", 27, 24),), current=(Cap("TK-3", 30),))
    det = p.detail(d, ["2025-26"], None)
    # current (max 30, no average): 1 + 1 = 2 -> 1 added
    assert (det["sections_new"].item(), det["sections_current"].item(), det["positions"].item()) == (3, 2, 1)


def test_grade_6_follows_the_school_lausd_4_5_6_and_6_7_8():
    # 60 sixth graders. At a K-6 elementary school grade 6 is self-contained under the "4-5" cap:
    # ceil(60/30) = 2 teachers. At a 6-8 middle school it is taught by period under "6-8":
    # ceil(60 x 6 / 30) = 12 sections / 5 = 2.4 teachers. Current caps 35: ceil(60/35) = 2;
    # ceil(360/35) = 11 sections -> 2.2. Added: 0 at the elementary, 0.2 at the middle school.
    schools = schools_table({"code": "E", "low": "K", "gr_06": 60},
                            {"code": "M", "low": "6", "type": "Intermediate/Middle Schools (Public)", "gr_06": 60})
    d = district(schools)
    p = ClassSize(name="c", effective="2025-07-01", caps=(Cap("4-5", 30), Cap("6-8", 30)),
                  current=(Cap("4-5", 35), Cap("6-8", 35)))
    det = p.detail(d, ["2025-26"], None).set_index("school_code")
    assert det.loc["E", "grade_band"] == "4-5" and det.loc["M", "grade_band"] == "6-8"
    assert det.loc["E", "teachers_new"] == 2.0 and det.loc["E", "positions"] == 0.0
    assert det.loc["M", "teachers_new"] == pytest.approx(2.4) and det.loc["M", "positions"] == pytest.approx(0.2)
    # elementary_grade_6 = false: grade 6 is in "6-8" and departmentalized everywhere
    q = ClassSize(name="c", effective="2025-07-01", caps=(Cap("4-5", 30), Cap("6-8", 30)),
                  current=(Cap("4-5", 35), Cap("6-8", 35)), elementary_grade_6=False)
    det2 = q.detail(d, ["2025-26"], None)
    assert set(det2["grade_band"]) == {"6-8"} and det2["positions"].sum() == pytest.approx(0.4)


# ---------------------------------------------------------------------------- years
def test_phase_in_cap_schedule_and_mid_year_start():
    # 200 students in grade 1. Caps 25 -> [22, 20] from January 1, 2026, phase-in 50% then 100%.
    # current ceil(200/25) = 8; cap 22: ceil(200/22) = 10 (+2); cap 20: 10 (+2).
    # 2025-26: 2 x 50% = 1 position, paid 6/12: 109,680 x 0.5 = 54,840
    # 2026-27: cap 20, 2 x 100% = 2 positions, full year: 219,360
    # 2027-28: same: 219,360
    d = district(schools_table({"code": "A", "gr_01": 200}))
    p = one_band("TK-3", (22, 20), 25, effective="2026-01-01", phase_in=(0.5, 1.0))
    led = scenario_rows(priced(d, p, years=3))
    by = led.groupby("fiscal_year")["amount"].sum()
    assert by.tolist() == pytest.approx([54_840, 219_360, 219_360])
    fte = led[led["component"] == "salary"].set_index("fiscal_year")["fte"]
    assert fte.tolist() == [1.0, 2.0, 2.0]  # positions counted in full, cost prorated


def test_a_proposal_starting_after_the_first_year_costs_zero_before_it():
    # effective July 1, 2026 in a scenario from 2025-26: 2025-26 has zero rows, 2026-27 the cost
    d = district(schools_table({"code": "A", "gr_02": 53, "gr_03": 47}))
    led = scenario_rows(priced(d, one_band("TK-3", 24, 27, effective="2026-07-01"), years=2))
    by = led.groupby("fiscal_year")["amount"].sum()
    assert by.tolist() == pytest.approx([0.0, TEACHER])
    assert len(led) == 6  # 3 components x 2 years, zero amounts included


def test_cap_schedule_step_down_shows_in_the_detail():
    # 100 third graders: 27 -> 4 sections; 26 -> 4; 24 -> 5
    d = district(schools_table({"code": "A", "gr_03": 100}))
    det = one_band("TK-3", (26, 24), 27).detail(d, ["2025-26", "2026-27"], None)
    assert det["sections_new"].tolist() == [4, 5]
    assert det["positions"].tolist() == [0, 1]


# ---------------------------------------------------------------------------- targeting and net
THREE = schools_table({"code": "0000001", "frpm": 0.9, "gr_02": 53, "gr_03": 47},
                      {"code": "0000002", "frpm": 0.5, "gr_02": 53, "gr_03": 47},
                      {"code": "0000003", "frpm": 0.7, "gr_02": 53, "gr_03": 47, "type": "K-12 Schools (Public)"})


def test_targeting_top_n_by_need_list_and_school_types():
    d = district(THREE)

    def added(**kw):
        det = one_band("TK-3", 24, 27, **kw).detail(d, ["2025-26"], None)
        return dict(zip(det["school_code"], det["positions"], strict=True))

    # every school adds 1 (WORKED-EXAMPLES 7)
    assert added() == {"0000001": 1.0, "0000002": 1.0, "0000003": 1.0}
    # the 2 highest FRPM shares: 0.9 and 0.7
    assert added(top_n=2) == {"0000001": 1.0, "0000003": 1.0}
    assert added(schools=("0000002",)) == {"0000002": 1.0}
    assert added(school_types=("Elementary Schools (Public)",)) == {"0000001": 1.0, "0000002": 1.0}
    # types first, then the top 1 of them by FRPM
    assert added(school_types=("Elementary Schools (Public)",), top_n=1) == {"0000001": 1.0}


def test_never_negative_per_school_unless_net():
    # school A: cap raised 27 -> 30 in TK-3 (4 -> ceil(53/30) + ceil(47/30) = 2 + 2 = 4: no change)
    # a case that frees a teacher: 61 second graders, 27 -> 31: ceil(61/27) = 3 -> ceil(61/31) = 2: -1
    d = district(schools_table({"code": "A", "gr_02": 61}))
    assert one_band("TK-3", 31, 27).detail(d, ["2025-26"], None)["positions"].item() == 0.0
    net = one_band("TK-3", 31, 27, net=True)
    assert net.detail(d, ["2025-26"], None)["positions"].item() == -1.0
    assert scenario_rows(priced(d, net))["amount"].sum() == pytest.approx(-TEACHER)


# ---------------------------------------------------------------------------- salary basis
def test_salary_basis_schedule_step_or_amount():
    sched = pd.DataFrame({"schedule": ["T", "T"], "column": ["G1", "G1"], "step": [1, 2], "rate": [60_000.0, 63_000.0]})
    d = district(schools_table({"code": "A", "gr_02": 53, "gr_03": 47}))
    d = ct.District("test", "2024-25", d.workforce, d.rates, sched, schools=d.schools)
    step1 = one_band("TK-3", 24, 27, salary_basis=P.SalaryBasis("schedule", schedule="T", column="G1", step=1))
    # 60,000 x 1.221 + 12,000 = 85,260
    assert scenario_rows(priced(d, step1))["amount"].sum() == pytest.approx(85_260)
    amount = one_band("TK-3", 24, 27, salary_basis=P.SalaryBasis("amount", amount=70_000))
    # 70,000 x 1.221 + 12,000 = 97,470
    assert scenario_rows(priced(d, amount))["amount"].sum() == pytest.approx(97_470)
    bad = one_band("TK-3", 24, 27, salary_basis=P.SalaryBasis("schedule", schedule="T", column="G9", step=1))
    with pytest.raises(ct.PricingError, match="no schedule cell"):
        priced(d, bad)


def test_the_district_average_is_weighted_by_fte():
    # 3 teachers at 60,000 and 1 at 100,000: average 70,000 -> 70,000 x 1.221 + 12,000 = 97,470
    rows = [{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 60_000,
             "retirement": "STRS", "count": 3},
            {"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 100_000,
             "retirement": "STRS", "count": 1}]
    d = ct.District("t", "2024-25", pd.DataFrame(rows), ct.Rates.from_values(ROUND_RATES),
                    schools=schools_table({"code": "A", "gr_02": 53, "gr_03": 47}))
    assert scenario_rows(priced(d, one_band("TK-3", 24, 27)))["amount"].sum() == pytest.approx(97_470)


# ---------------------------------------------------------------------------- bad input
HEADER = 'name = "s"\nstart = "2025-26"\nyears = 1\n'


def class_size_toml(caps: str, extra: str = "", current: str = '[{ band = "TK-3", maximum = 27 }]') -> str:
    return (HEADER + "[[class_size]]\nname = \"caps\"\neffective = 2025-07-01\n"
            f"caps = {caps}\ncurrent = {current}\n{extra}")


@pytest.mark.parametrize("caps, message", [
    ('[{ band = "TK-3", maximum = 0 }]', "key 'caps', entry 1: key 'maximum': must be above 0, got 0"),
    ('[{ band = "TK-3", maximum = -24 }]', "key 'caps', entry 1: key 'maximum': must be above 0, got -24"),
    ('[{ band = "TK-3", maximum = 24, average = 0.0 }]', "key 'average': must be above 0"),
    ('[{ band = "K-14", maximum = 24 }]', "key 'caps': entry 1: unknown grade band 'K-14'"),
    ('[{ band = "3-1", maximum = 24 }]', "unknown grade band '3-1'"),
    ('[{ band = "TK-3", maximum = "small" }]', "key 'maximum': must be a number, got 'small'"),
    ('[{ band = "TK-3" }]', "missing required key 'maximum'"),
    ('[{ maximum = 24 }]', "key 'caps': entry 1 has no band"),
])
def test_bad_caps_in_a_file_name_the_file_table_and_key(caps, message):
    with pytest.raises(ScenarioFileError) as exc:
        loads_scenario(class_size_toml(caps), source="demand.toml")
    text = str(exc.value)
    assert text.startswith("demand.toml: [[class_size]] #1 ('caps')")
    assert message in text


def test_bad_bands_and_unknown_keys_are_refused():
    with pytest.raises(ScenarioFileError, match="current caps lack band"):
        loads_scenario(class_size_toml('[{ band = "4-5", maximum = 24 }]'))
    with pytest.raises(ScenarioFileError, match="grade bands 'TK-3' and '3-5' overlap"):
        loads_scenario(class_size_toml('[{ band = "TK-3", maximum = 24 }, { band = "3-5", maximum = 24 }]',
                                       current='[{ band = "TK-3", maximum = 27 }, { band = "3-5", maximum = 27 }]'))
    with pytest.raises(ScenarioFileError, match="unknown key 'cap'; expected one of"):
        loads_scenario(class_size_toml('[{ band = "TK-3", maximum = 24 }]', extra="cap = 3\n"))
    with pytest.raises(ScenarioFileError, match=r"key 'phase_in': value 1 must be above 0"):
        loads_scenario(class_size_toml('[{ band = "TK-3", maximum = 24 }]', extra="phase_in = [0.0]\n"))
    with pytest.raises(ScenarioFileError, match="school codes are text"):
        loads_scenario(class_size_toml('[{ band = "TK-3", maximum = 24 }]', extra="schools = [101329]\n"))
    with pytest.raises(ScenarioFileError, match="key 'effective': effective date 2025-07-15 is not the first"):
        loads_scenario(class_size_toml('[{ band = "TK-3", maximum = 24 }]').replace("2025-07-01", "2025-07-15"))


def test_an_unknown_school_code_is_refused_when_priced_naming_file_table_and_key():
    s = loads_scenario(class_size_toml('[{ band = "TK-3", maximum = 24 }]', extra='schools = ["0000001", "9999999"]\n'),
                       source="demand.toml")
    with pytest.raises(ct.PricingError) as exc:
        ct.price(s, district(THREE))
    msg = str(exc.value)
    assert "demand.toml: [[class_size]] #1 ('caps'): key 'schools': unknown school code(s) '9999999'" in msg
    assert "class_size 'caps'" in msg  # the engine names the scenario and proposal too


def test_other_problems_found_when_priced():
    d = district(THREE)
    with pytest.raises(ct.PricingError, match="unknown school type"):
        priced(d, one_band("TK-3", 24, 27, school_types=("Charter",)))
    with pytest.raises(ct.PricingError, match="no column 'need'"):
        priced(d, one_band("TK-3", 24, 27, top_n=1, rank_by="need"))
    with pytest.raises(ct.PricingError, match="role 'Aide' is not a classification"):
        priced(d, one_band("TK-3", 24, 27, role="Aide"))
    with pytest.raises(ct.PricingError, match="before the scenario's first fiscal year"):
        priced(d, one_band("TK-3", 24, 27, effective="2024-07-01"))
    no_schools = ct.District("t", "2024-25", d.workforce, d.rates)
    with pytest.raises(ct.PricingError, match="no schools table"):
        priced(no_schools, one_band("TK-3", 24, 27))
    with pytest.raises(ct.ProposalError, match="above 0 students"):
        Cap("TK-3", 0)


def test_file_round_trip():
    text = class_size_toml('[{ band = "TK-3", maximum = [25.0, 23.0], average = [22.0, 20.0] }]',
                           extra='top_n = 2\nschool_types = ["Elementary Schools (Public)"]\nphase_in = [50.0, 100.0]\n'
                                 'salary_basis = { schedule = "T", column = "G1", step = 1 }\npooling = "combined"\n')
    s = loads_scenario(text)
    p = s.proposals[0]
    assert p.phase_in == (0.5, 1.0) and p.caps[0].maximum == (25.0, 23.0) and p.top_n == 2
    assert loads_scenario(s.to_toml()) == s


# ---------------------------------------------------------------------------- views
def test_views_by_school_band_role_year_side_by_side_and_need_share():
    # union: every school TK-3 24 (+1 each, WORKED-EXAMPLES 7); district: the top-1 school by FRPM
    d = district(THREE)
    union = ct.Scenario("union", "2025-26", 2, (one_band("TK-3", 24, 27, name="caps"),), party="union")
    dist = ct.Scenario("district", "2025-26", 2, (one_band("TK-3", 24, 27, name="caps", top_n=1),), party="district")
    res = ct.price([union, dist], d)
    year = P.by_year(res)
    assert year.loc[("union", "2025-26"), "positions"] == 3.0
    assert year.loc[("union", "2025-26"), "cost"] == pytest.approx(3 * TEACHER)
    assert year.loc[("district", "2026-27"), "cost"] == pytest.approx(TEACHER)
    assert P.by_school(res).loc[("union", "0000002", "2025-26"), "positions"] == 1.0
    assert P.by_grade_band(res).loc[("union", "TK-3", "2026-27"), "classrooms"] == 3.0
    assert P.by_role(res).loc[("district", "Teacher", "2025-26"), "positions"] == 1.0
    both = P.side_by_side(res, "district", "union")
    assert both.loc["2025-26", ("difference", "positions")] == 2.0
    # total: cost summed over two years (2 x 3 x 109,680 = 658,080), positions of the last year
    assert both.loc["total (positions: last year)", ("union", "cost")] == pytest.approx(6 * TEACHER)
    assert both.loc["total (positions: last year)", ("union", "positions")] == 3.0
    by_school = P.side_by_side(res, "district", "union", by="school_code")
    assert by_school.loc["0000001", ("district", "positions")] == 1.0
    assert by_school.loc["0000002", ("district", "positions")] == 0.0
    # need share: the 1 highest-FRPM school carries 1/3 of the union's cost, all of the district's
    share = P.need_share(res, d.schools, n=1)
    assert share.loc[("union", "all years", "1 highest frpm_share"), "share"] == pytest.approx(1 / 3)
    assert share.loc[("district", "2025-26", "1 highest frpm_share"), "share"] == pytest.approx(1.0)
    assert share.loc[("district", "2025-26", "other schools"), "cost"] == 0.0
    # the details add up to the ledger, year by year
    led = res.ledger[res.ledger["scenario"] == "union"].groupby("fiscal_year")["amount"].sum()
    assert year.loc["union", "cost"].to_numpy() == pytest.approx(led.to_numpy())


# ---------------------------------------------------------------------------- property test
def reference_class_size(schools: pd.DataFrame, caps: list[tuple[int, int, float, float]],
                         current: list[tuple[int, int, float, float]], pooling: str, pps: float, ppt: float,
                         reach: set[str]) -> dict[tuple[str, int], float]:
    """Teachers added by school and band, one school at a time, from the formulas of
    METHODOLOGY 5 (grade 6 at elementary-span schools with the band of grade 5,
    self-contained; grades 6+ elsewhere by period)."""
    out = {}
    for _, row in schools.iterrows():
        e = [float(row[f"gr_{g}"]) for g in GRADES]
        elementary = row["low_grade"] in ("TK", "K", "P", "1", "2", "3", "4", "5")

        def teachers(table, e=e, elementary=elementary):
            per_band = []
            band_of = {}
            for b, (lo, hi, _, _) in enumerate(table):
                for g in range(lo, hi + 1):
                    band_of[g] = b
            for b, (_lo, _hi, mx, av) in enumerate(table):
                sc_grades, dep = [], 0.0
                for g in range(14):
                    gb = band_of.get(g)
                    if g == 7 and elementary:  # grade 6 (index 7) at an elementary-span school
                        gb = band_of.get(6, gb)  # the band of grade 5 (index 6) if capped
                        if gb == b:
                            sc_grades.append(e[g])
                        continue
                    if gb != b:
                        continue
                    if g >= 7:
                        dep += e[g]
                    else:
                        sc_grades.append(e[g])
                if pooling == "grade":
                    sc = sum(math.ceil(x / mx) for x in sc_grades)
                else:
                    sc = math.ceil(sum(sc_grades) / mx)
                if av != math.inf:
                    sc = max(sc, math.ceil(sum(sc_grades) / av))
                secs = math.ceil(dep * pps / mx)
                if av != math.inf:
                    secs = max(secs, math.ceil(dep * pps / av))
                per_band.append(sc + secs / ppt)
            return per_band

        new, cur = teachers(caps), teachers(current)
        for b in range(len(caps)):
            out[(row["school_code"], b)] = max(0.0, new[b] - cur[b]) if row["school_code"] in reach else 0.0
    return out


BAND_SETS = [[(0, 4), (5, 6), (7, 9), (10, 13)], [(0, 6), (7, 13)], [(1, 4)], [(10, 11), (12, 13)]]


@st.composite
def cap_case(draw):
    n = draw(st.integers(1, 5))
    rows = []
    for i in range(n):
        low = draw(st.sampled_from(["K", "1", "6", "9"]))
        rec = {"code": f"{i:07d}", "low": low, "frpm": draw(st.floats(0, 1))}
        for g in GRADES:
            rec[f"gr_{g}"] = draw(st.integers(0, 130))
        rows.append(rec)
    bands = draw(st.sampled_from(BAND_SETS))
    caps, current = [], []
    for lo, hi in bands:
        mx, cmx = draw(st.integers(12, 40)), draw(st.integers(12, 40))
        av = draw(st.one_of(st.just(math.inf), st.integers(10, 40).map(float)))
        caps.append((lo, hi, float(mx), av))
        current.append((lo, hi, float(cmx), math.inf))
    pooling = draw(st.sampled_from(["grade", "combined"]))
    pps = float(draw(st.integers(4, 8)))
    ppt = float(draw(st.integers(3, int(pps))))
    top = draw(st.one_of(st.none(), st.integers(1, n)))
    return schools_table(*rows), caps, current, pooling, pps, ppt, top


def band_label(lo: int, hi: int) -> str:
    return f"{P.GRADES[lo]}-{P.GRADES[hi]}"


BASE = district(schools_table({"code": "A"}))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cap_case())
def test_arrays_match_a_plain_per_school_loop(case):
    schools, caps, current, pooling, pps, ppt, top = case
    d = BASE.replace_schools(schools)  # the workforce validated once: the test checks the arrays
    p = ClassSize(name="c", effective="2025-07-01",
                  caps=tuple(Cap(band_label(lo, hi), mx, () if av == math.inf else av) for lo, hi, mx, av in caps),
                  current=tuple(Cap(band_label(lo, hi), mx) for lo, hi, mx, _ in current),
                  pooling=pooling, periods_per_student=pps, periods_per_teacher=ppt, top_n=top)
    reach = set(schools["school_code"][P.target_schools(schools, top_n=top)])
    expected = reference_class_size(schools, caps, current, pooling, pps, ppt, reach)
    det = p.detail(d, ["2025-26"], None)
    got = {(r.school_code, [band_label(lo, hi) for lo, hi, _, _ in caps].index(r.grade_band)): r.positions
           for r in det.itertuples()}
    for key, value in expected.items():
        assert got.get(key, 0.0) == pytest.approx(value, abs=1e-9), key
    assert sum(got.values()) == pytest.approx(sum(expected.values()), abs=1e-9)
    # ledger = detail, cost = positions x 109,680
    rows = p.cost_rows(d, ["2025-26"], ct.PricingOptions())
    assert rows["amount"].sum() == pytest.approx(sum(expected.values()) * TEACHER, rel=1e-12, abs=1e-6)


# ---------------------------------------------------------------------------- LAUSD
def test_lausd_caps_table_marks_what_the_source_lacks():
    assert [(c.band, c.maximum[0], c.average[0]) for c in lausd_caps("2025-26")] == [
        ("TK-3", 25.0, 22.0), ("4-5", 28.0, 25.0), ("6-8", 28.0, 25.0), ("9-10", 28.0, 25.0), ("11-12", 37.0, 33.5)]
    with pytest.raises(ct.ProposalError, match="no academic class-size cap for All Other Magnet, grades 9-12"):
        lausd_caps("2022-23", "All Other Magnet", bands=("9-12",))


SCENARIOS = ct.data_dir() / "scenarios"
FILES_2022 = ["utla-2022-class-size-demand.toml", "lausd-2022-class-size-offer.toml",
              "utla-2022-student-supports-demand.toml", "utla-2022-immigrant-family-supports-demand.toml"]


@pytest.fixture(scope="module")
def lausd_2022():
    scen = [ct.Scenario.from_toml(SCENARIOS / f) for f in FILES_2022]
    return ct.price_lausd(scen)["2021-22"], scen


def test_lausd_2022_versions_side_by_side(lausd_2022):
    res, scen = lausd_2022
    assert [s.party for s in scen] == ["union", "district", "union", "union"]
    both = P.side_by_side(res, scen[1].name, scen[0].name)
    final = both.loc["2024-25"]
    # the union's version needs far more teachers than the district's, every year it is in force
    assert final[(scen[0].name, "positions")] > 10 * final[(scen[1].name, "positions")] > 0
    assert both.loc["2022-23", ("difference", "cost")] == 0.0  # nothing before July 2023
    # the district's 100 schools are elementary schools ranked by FRPM: most of its cost is on
    # the 100 highest-FRPM schools of the whole table, most of the union's elsewhere
    share = P.need_share(res, ct.load_lausd("2021-22").schools, [scen[0].name, scen[1].name])
    assert share.loc[(scen[1].name, "all years", "100 highest frpm_share"), "share"] > 0.5
    assert share.loc[(scen[0].name, "all years", "100 highest frpm_share"), "share"] < 0.5
    # each scenario's ledger equals its detail
    for s in scen:
        led = res.ledger[res.ledger["scenario"] == s.name]["amount"].sum()
        assert P.details(res, [s.name])["cost"].sum() == pytest.approx(led)


def test_the_2022_files_run_through_costing_price(tmp_path, capsys):
    assert main(["price", *[str(SCENARIOS / f) for f in FILES_2022], "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "UTLA: class-size demand (2022)" in out and "LAUSD: class-size offer (2022)" in out
    ledger = pd.read_csv(tmp_path / "costs.csv")
    assert (ledger[ledger["proposal"] == "PSWs 350:1"]["classification"] == "Psychiatric Social Worker").all()


def test_every_registered_kind_in_one_scenario_file_round_trips():
    for f in FILES_2022:
        s = ct.Scenario.from_toml(SCENARIOS / f)
        assert loads_scenario(s.to_toml()) == s
        assert all(isinstance(p, ClassSize | Staffing | Program) for p in s.proposals)
