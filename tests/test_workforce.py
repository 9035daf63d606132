import numpy as np
import pandas as pd
import pytest

import costing as ct
from costing.workforce import WorkforceError, annual_pay, validate_workforce

HEADER = "unit,classification,count,fte,pay_basis,hourly_rate,hours_per_day,days_per_year,annual_salary,retirement"


def test_annual_pay_by_hand():
    wf = validate_workforce(pd.DataFrame([
        # 3 x $20.00 x 6 h x 180 d = 3 x 21,600 = 64,800
        {"unit": "C", "classification": "TA", "count": 3, "pay_basis": "hourly", "hourly_rate": 20.0,
         "hours_per_day": 6, "days_per_year": 180, "retirement": "PERS"},
        # 2 x 0.5 FTE x $80,000 = 80,000
        {"unit": "T", "classification": "Teacher", "count": 2, "fte": 0.5, "pay_basis": "salary",
         "annual_salary": 80_000, "retirement": "STRS"},
    ]))
    assert annual_pay(wf).tolist() == [64_800.0, 80_000.0]


def test_count_and_fte_default_to_one_and_extra_columns_are_kept():
    wf = validate_workforce(pd.DataFrame([
        {"unit": "T", "classification": "Teacher", "pay_basis": "salary", "annual_salary": 70_000,
         "retirement": "STRS", "region": "East"},
    ]))
    assert wf.loc[0, "count"] == 1 and wf.loc[0, "fte"] == 1
    assert wf.loc[0, "region"] == "East"


def test_every_problem_is_reported_with_file_row_and_column(tmp_path):
    p = tmp_path / "wf.csv"
    p.write_text(
        HEADER + "\n"
        "C,TA,1,1,hourly,abc,3,180,,PERS\n"  # row 2: rate not a number
        "C,,1,1,weekly,10,3,180,,XX\n"  # row 3: empty classification, bad basis and system
        "C,TA,-2,1,hourly,10,3,180,,PERS\n"  # row 4: negative count
        "T,Teacher,1,2.5,salary,,,,,STRS\n"  # row 5: fte too big, no salary
        "C,TA,1,1,hourly,10,30,180,,PERS\n"  # row 6: 30 hours a day
        "C,TA,1,1,hourly,,3,180,,PERS\n"  # row 7: hourly row without a rate
    )
    with pytest.raises(WorkforceError) as err:
        ct.read_workforce(p)
    probs = err.value.problems
    text = "\n".join(probs)
    for expected in [
        "row 2, column hourly_rate: expected a number above 0, got 'abc'",
        "row 3, column classification",
        "row 3, column pay_basis: expected 'hourly' or 'salary', got 'weekly'",
        "row 3, column retirement",
        "row 4, column count",
        "row 5, column fte",
        "row 5, column annual_salary",
        "row 6, column hours_per_day",
        "row 7, column hourly_rate: hourly rows need hourly_rate",
    ]:
        assert expected in text, expected
    assert all(str(p) in line for line in probs)  # every line names the file


def test_missing_required_columns(tmp_path):
    p = tmp_path / "wf.csv"
    p.write_text("unit,classification\nA,B\n")
    with pytest.raises(WorkforceError, match="missing required column"):
        ct.read_workforce(p)


def test_duplicate_employee_ids_and_bad_health_flags():
    with pytest.raises(WorkforceError) as err:
        validate_workforce(pd.DataFrame([
            {"unit": "T", "classification": "X", "pay_basis": "salary", "annual_salary": 1, "retirement": "STRS",
             "employee_id": "E1", "health_eligible": "maybe"},
            {"unit": "T", "classification": "X", "pay_basis": "salary", "annual_salary": 1, "retirement": "STRS",
             "employee_id": "E1", "health_eligible": "yes"},
        ]))
    text = str(err.value)
    assert "row 3, column employee_id" in text
    assert "row 2, column health_eligible" in text


SCHED = pd.DataFrame({"schedule": ["T", "T", "T"], "column": ["BA", "BA", "BA"], "step": [1, 2, 3],
                      "rate": [50_000.0, 52_000.0, 54_000.0]})


def test_rows_on_a_schedule_take_their_cell_rate():
    wf = validate_workforce(pd.DataFrame([
        {"unit": "T", "classification": "Teacher", "pay_basis": "salary", "retirement": "STRS",
         "schedule": "T", "column": "BA", "step": 2},
    ]), schedules=SCHED)
    assert wf.loc[0, "annual_salary"] == 52_000.0


def test_a_rate_that_disagrees_with_its_cell_is_an_error():
    with pytest.raises(WorkforceError, match="differs from its schedule cell"):
        validate_workforce(pd.DataFrame([
            {"unit": "T", "classification": "Teacher", "pay_basis": "salary", "retirement": "STRS",
             "schedule": "T", "column": "BA", "step": 2, "annual_salary": 51_000},
        ]), schedules=SCHED)


def test_an_unknown_cell_is_an_error():
    with pytest.raises(WorkforceError, match="no schedule cell"):
        validate_workforce(pd.DataFrame([
            {"unit": "T", "classification": "Teacher", "pay_basis": "salary", "retirement": "STRS",
             "schedule": "T", "column": "MA", "step": 2},
        ]), schedules=SCHED)


def test_placement_positions_and_top_step():
    d = ct.District("d", "2024-25", pd.DataFrame([
        {"unit": "T", "classification": "Teacher", "pay_basis": "salary", "retirement": "STRS",
         "schedule": "T", "column": "BA", "step": s} for s in (1, 3)
    ]), ct.Rates.from_values({"x": 0.0}), SCHED)
    place = d.placement()
    assert place.position.tolist() == [0, 2]
    assert place.length.tolist() == [3, 3]
    # a row at position 0 two moves later sits at step 3 (position 2); the top stays put
    assert place.rate_at(place.position + 2).tolist() == [54_000.0, 54_000.0]
    assert np.all(place.on_schedule)


def test_example_workforce_is_valid():
    d = ct.load_example()
    assert d.workforce["count"].sum() > 100
    assert set(d.workforce["retirement"]) == {"STRS", "PERS", "none"}
