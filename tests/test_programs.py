"""Program line items (costing.proposals.programs): per school, per community of schools,
per student, per district; ongoing or one-time; from a date. Hand-worked values, a
plain loop as a reference on random districts, and bad tables."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROUND_RATES
from hypothesis import given, settings
from hypothesis import strategies as st

import costing as ct
from costing import positions as P
from costing.proposals.programs import Program, program_component
from costing.scenario_file import ScenarioFileError, loads_scenario

GRADES = ["tk", "k", *(f"{g:02d}" for g in range(1, 13))]


def schools_table(*rows: dict) -> pd.DataFrame:
    out = []
    for r in rows:
        rec = {"school_code": r["code"], "school_type": r.get("type", "Elementary Schools (Public)"),
               "low_grade": "K", "frpm_share": r.get("frpm", 0.5)}
        for g in GRADES:
            rec[f"gr_{g}"] = r.get(f"gr_{g}", 0)
        out.append(rec)
    return pd.DataFrame(out)


ROWS = [{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 80_000,
         "retirement": "STRS"}]
RATES = ct.Rates.from_values(ROUND_RATES)
SCHOOLS = schools_table(
    {"code": "A", "frpm": 0.9, "gr_01": 300, "gr_02": 100},                       # 400 students
    {"code": "B", "frpm": 0.4, "gr_09": 500, "gr_10": 500, "type": "High Schools (Public)"},  # 1,000
    {"code": "C", "frpm": 0.7, "gr_03": 250},                                     # 250
)
D = ct.District("test", "2024-25", pd.DataFrame(ROWS), RATES, schools=SCHOOLS)


def by_year(*programs: Program, years: int = 2) -> list[float]:
    res = ct.price(ct.Scenario("s", "2025-26", years, programs), D)
    led = res.ledger[res.ledger["scenario"] == "s"]
    return led.groupby("fiscal_year")["amount"].sum().tolist()


def test_per_school_ongoing_from_january():
    # $100,000 per school at the 3 schools from January 1, 2026:
    # 2025-26: 300,000 x 6/12 = 150,000; 2026-27: 300,000
    p = Program(name="clinic", amount=100_000, per="school", effective="2026-01-01")
    assert by_year(p) == pytest.approx([150_000, 300_000])
    det = p.detail(D, ["2025-26", "2026-27"], None)
    assert det.groupby("school_code")["cost"].sum().to_dict() == pytest.approx({"A": 150_000, "B": 150_000, "C": 150_000})


def test_per_student_with_grades_and_targeting():
    # $50 per student in grades TK-5 at elementary schools: A 400 + C 250 = 650 -> 32,500 a year
    p = Program(name="books", amount=50, per="student", grades="TK-5", school_types=("Elementary Schools (Public)",),
                effective="2025-07-01")
    assert by_year(p) == pytest.approx([32_500, 32_500])
    # every TK-12 student at the school with the highest FRPM (A: 400) -> 20,000
    q = Program(name="books 2", amount=50, per="student", top_n=1, effective="2025-07-01")
    assert by_year(q) == pytest.approx([20_000, 20_000])


def test_per_community_needs_a_count_and_its_source():
    # one clinic in each of 40 communities at $250,000: 10,000,000 a year
    p = Program(name="clinics", amount=250_000, per="community", communities=40,
                communities_source="LA Daily News 2020-07-20", effective="2025-07-01")
    assert by_year(p) == pytest.approx([10_000_000, 10_000_000])
    det = p.detail(D, ["2025-26"], None)
    assert det["school_code"].tolist() == [P.DISTRICT_WIDE] and det["units"].item() == 40
    with pytest.raises(ct.ProposalError, match="needs communities"):
        Program(name="c", amount=1, per="community", effective="2025-07-01")
    with pytest.raises(ct.ProposalError, match="communities needs a source"):
        Program(name="c", amount=1, per="community", communities=40, effective="2025-07-01")


def test_one_time_is_paid_once_and_not_prorated():
    # $2,000,000 once from January 1, 2026: all of it in 2025-26, nothing after
    p = Program(name="relief", amount=2_000_000, per="district", kind="one_time", effective="2026-01-01")
    assert by_year(p, years=3) == pytest.approx([2_000_000, 0, 0])
    res = ct.price(ct.Scenario("s", "2025-26", 1, (p,)), D)
    led = res.ledger[res.ledger["scenario"] == "s"]
    assert led["kind"].tolist() == ["one_time"]


def test_ledger_rows_of_a_program():
    p = Program(name="Dream Centers", amount=5_000_000, per="district", effective="2026-07-01")
    res = ct.price(ct.Scenario("s", "2025-26", 2, (p,)), D)
    led = res.ledger[res.ledger["scenario"] == "s"]
    # a row every year, zero before the start; not anyone's pay: its own unit, fte 0
    assert led["amount"].tolist() == [0.0, 5_000_000.0]
    assert set(led["unit"]) == {"District programs"} and set(led["classification"]) == {"Dream Centers"}
    assert set(led["component"]) == {program_component()} and (led["fte"] == 0).all()
    assert program_component() in ct.COMPONENTS
    # the positions views carry programs as cost without positions
    year = P.by_year(res)
    assert year.loc[("s", "2026-27"), "cost"] == 5_000_000 and year["positions"].sum() == 0
    share = P.need_share(res, SCHOOLS, n=1)
    assert share.loc[("s", "2026-27", P.DISTRICT_WIDE), "share"] == 1.0


HEADER = 'name = "s"\nstart = "2025-26"\nyears = 1\n'


@pytest.mark.parametrize("body, message", [
    ('amount = -5\nper = "school"\n', "key 'amount': must be at least 0, got -5"),
    ('per = "school"\n', "missing required key 'amount'"),
    ('amount = 5\nper = "region"\n', "key 'per': must be one of 'school', 'community', 'student', 'district'"),
    ('amount = 5\nkind = "sometimes"\n', "key 'kind': must be one of 'ongoing', 'one_time'"),
    ('amount = 5\nper = "community"\n', "missing required key 'communities'"),
    ('amount = 5\nper = "community"\ncommunities = 0\ncommunities_source = "x"\n', "key 'communities': must be above 0"),
    ('amount = 5\ngrades = "TK-13"\n', "key 'grades': unknown grade band 'TK-13'"),
])
def test_bad_tables_name_the_file_table_and_key(body, message):
    with pytest.raises(ScenarioFileError) as exc:
        loads_scenario(HEADER + f'[[program]]\nname = "p"\neffective = 2025-07-01\n{body}', source="programs.toml")
    assert str(exc.value).startswith("programs.toml: [[program]] #1 ('p')")
    assert message in str(exc.value)


def test_unknown_school_code_when_priced():
    s = loads_scenario(HEADER + '[[program]]\nname = "p"\neffective = 2025-07-01\namount = 5\nper = "school"\n'
                       'schools = ["A", "Z"]\n', source="programs.toml")
    with pytest.raises(ct.PricingError, match=r"programs.toml: \[\[program\]\] #1 \('p'\): key 'schools': unknown school code\(s\) 'Z'"):
        ct.price(s, D)


def test_file_round_trip():
    s = loads_scenario(HEADER + '[[program]]\nname = "p"\neffective = 2025-07-01\namount = 5.0\nper = "student"\n'
                       'grades = "9-12"\ntop_n = 2\nrank_by = "frpm_share"\nkind = "one_time"\n'
                       '[[program]]\nname = "q"\neffective = 2026-01-01\namount = 250000.0\nper = "community"\n'
                       'communities = 40.0\ncommunities_source = "LA Daily News"\n')
    assert loads_scenario(s.to_toml()) == s


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 900), st.floats(0, 1)), min_size=1, max_size=6),
       st.sampled_from(["school", "student", "district", "community"]), st.sampled_from(["ongoing", "one_time"]),
       st.integers(7, 18), st.one_of(st.none(), st.integers(1, 6)), st.floats(0, 1e6))
def test_matches_a_plain_loop(schools, per, kind, month, top, amount):
    sch = schools_table(*({"code": f"{i:07d}", "gr_04": e, "frpm": f} for i, (e, f) in enumerate(schools)))
    d = D.replace_schools(sch)
    start = f"{2025 + (month > 12)}-{(month - 1) % 12 + 1:02d}-01"
    p = Program(name="p", amount=amount, per=per, kind=kind, effective=start, communities=7.0,
                communities_source="test", top_n=top)
    years = ["2025-26", "2026-27"]
    # the loop: driver, then the share of each year paid
    reach = P.target_schools(sch, top_n=top)
    if per == "school":
        driver = sum(1 for r in reach if r)
    elif per == "student":
        driver = sum(e for (e, _), r in zip(schools, reach, strict=True) if r)
    else:
        driver = 7.0 if per == "community" else 1.0
    months_left = 12 - ((month - 1) % 12 + 1 - 7) % 12
    share = [months_left / 12, 1.0] if kind == "ongoing" else [1.0, 0.0]
    expected = [amount * driver * s for s in share]
    rows = p.cost_rows(d, years, ct.PricingOptions())
    assert rows["amount"].tolist() == pytest.approx(expected, rel=1e-12, abs=1e-6)
    assert p.detail(d, years, None)["cost"].sum() == pytest.approx(sum(expected), rel=1e-12, abs=1e-6)
