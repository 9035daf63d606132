"""The CDE census-day enrollment reader (costing.io.cde_enrollment).

The fixture ``tests/fixtures/cdenroll_lausd_sample.txt`` follows the CDE ``cdenroll``
layout (tab-separated, CRLF line ends, state/county/district/school rows, several
reporting categories, a ``*`` in a non-total row). Its school codes and names are real
LAUSD ones; its counts are made up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costing.io import GRADE_COLUMNS, SCHOOL_COLUMNS, CDEEnrollmentError, read_cde_enrollment
from costing.io.cde_enrollment import main

FIXTURE = Path(__file__).parent / "fixtures" / "cdenroll_lausd_sample.txt"
SCHOOLS_CSV = Path(__file__).resolve().parents[1] / "data" / "lausd" / "schools.csv"


def _lines() -> list[str]:
    return FIXTURE.read_text().splitlines()


def _write(
    tmp_path: Path, lines: list[str], name: str = "cdenroll.txt", encoding: str = "utf-8"
) -> Path:
    p = tmp_path / name
    p.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return p


def _set_cell(
    lines: list[str], school_code: str, category: str, column: str, value: str
) -> list[str]:
    header = lines[0].split("\t")
    j = header.index(column)
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split("\t")
        if (
            cells[header.index("SchoolCode")] == school_code
            and cells[header.index("ReportingCategory")] == category
        ):
            cells[j] = value
        out.append("\t".join(cells))
    return out


def _row_of(lines: list[str], school_code: str, category: str = "TA") -> int:
    header = lines[0].split("\t")
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if (
            cells[header.index("SchoolCode")] == school_code
            and cells[header.index("ReportingCategory")] == category
        ):
            return n
    raise AssertionError(school_code)


# ----------------------------------------------------------------- reading


def test_reads_district_run_school_totals():
    t = read_cde_enrollment(FIXTURE)
    assert list(t.columns) == SCHOOL_COLUMNS
    assert list(t["school_code"]) == ["0101618", "0102913", "0106914", "0106971"]
    assert t["school_code"].map(len).eq(7).all()
    assert list(t["cds_code"])[0] == "19647330101618"
    bell = t.set_index("school_code").loc["0106914"]
    assert bell["enrollment"] == 395
    assert [bell[c] for c in GRADE_COLUMNS[:7]] == [40, 60, 58, 61, 55, 59, 62]
    assert (bell["low_grade"], bell["high_grade"]) == ("TK", "5")
    assert t["enrollment_year"].eq("2024-25").all()
    assert t["enrollment_basis"].str.startswith("reported").all()
    # only the total category is used: the RE_H row's '*' does not matter
    assert (t[GRADE_COLUMNS].sum(axis=1) == t["enrollment"]).all()


def test_schema_matches_the_bundled_schools_table():
    bundled = pd.read_csv(SCHOOLS_CSV, nrows=1)
    assert list(bundled.columns) == SCHOOL_COLUMNS


def test_charter_filter_and_district_code():
    assert list(read_cde_enrollment(FIXTURE, charter="Y")["school_code"]) == ["0100289"]
    assert len(read_cde_enrollment(FIXTURE, charter=None)) == 5
    other = read_cde_enrollment(FIXTURE, district_code="64725")
    assert list(other["school_code"]) == ["1999999"]
    assert other["district_code"].iloc[0] == "64725"


def test_reference_carries_frpm_and_school_type():
    ref = pd.read_csv(SCHOOLS_CSV, dtype={"school_code": str})
    t = read_cde_enrollment(FIXTURE, reference=ref).set_index("school_code")
    r = ref.set_index("school_code")
    for code in t.index:
        assert t.loc[code, "school_type"] == r.loc[code, "school_type"]
        assert t.loc[code, "frpm_share"] == pytest.approx(r.loc[code, "frpm_share"])
        assert t.loc[code, "enrollment_2014_15"] == r.loc[code, "enrollment_2014_15"]
    # enrollment itself comes from the census file, not from the reference
    assert t.loc["0106914", "enrollment"] == 395


def test_header_spelling_variants_and_latin1(tmp_path):
    lines = _lines()
    header = lines[0].replace("AcademicYear", "Academic Year").replace("GR_01", "GR_1")
    header = header.replace("ReportingCategory", "Reporting Category")
    body = [ln.replace("Bellingham Elementary", "Bellingham Elementaría") for ln in lines[1:]]
    p = _write(tmp_path, [header, *body], encoding="latin-1")
    t = read_cde_enrollment(p).set_index("school_code")
    assert t.loc["0106914", "school_name"] == "Bellingham Elementaría"
    assert t.loc["0106914", "gr_01"] == 58


def test_command_line_writes_a_schools_table(tmp_path, capsys):
    out = tmp_path / "schools.csv"
    assert main([str(FIXTURE), "-o", str(out), "--reference", str(SCHOOLS_CSV)]) == 0
    t = pd.read_csv(out, dtype={"school_code": str})
    assert list(t.columns) == SCHOOL_COLUMNS and len(t) == 4
    assert "wrote 4 schools" in capsys.readouterr().out


# ----------------------------------------------------------------- bad input


def test_missing_column_names_file_and_column(tmp_path):
    lines = _lines()
    header = lines[0].split("\t")
    j = header.index("GR_07")
    cut = ["\t".join(c for k, c in enumerate(ln.split("\t")) if k != j) for ln in lines]
    p = _write(tmp_path, cut)
    with pytest.raises(CDEEnrollmentError) as e:
        read_cde_enrollment(p)
    assert str(p) in str(e.value) and "GR_07" in str(e.value) and "row 1" in str(e.value)


def test_comma_separated_file_gets_a_hint(tmp_path):
    p = tmp_path / "cdenroll.csv"
    p.write_text(FIXTURE.read_text().replace("\t", ","))
    with pytest.raises(CDEEnrollmentError, match="tab-separated"):
        read_cde_enrollment(p)


def test_non_numeric_count_names_file_row_and_column(tmp_path):
    lines = _set_cell(_lines(), "0106971", "TA", "GR_07", "29S")
    p = _write(tmp_path, lines)
    with pytest.raises(CDEEnrollmentError) as e:
        read_cde_enrollment(p)
    msg = str(e.value)
    assert f"{p}, row {_row_of(lines, '0106971')}, column GR_07" in msg
    assert "'29S'" in msg


def test_every_problem_is_reported_at_once(tmp_path):
    lines = _set_cell(_lines(), "0106971", "TA", "GR_07", "-3")
    lines = _set_cell(lines, "0102913", "TA", "GR_10", "")
    lines = _set_cell(lines, "0101618", "TA", "GR_KN", "8.5")
    with pytest.raises(CDEEnrollmentError) as e:
        read_cde_enrollment(_write(tmp_path, lines))
    assert len(e.value.problems) == 3
    assert any("empty cell" in p for p in e.value.problems)


def test_suppressed_count_is_an_error_by_default(tmp_path):
    lines = _set_cell(_lines(), "0101618", "TA", "GR_01", "*")
    p = _write(tmp_path, lines)
    with pytest.raises(CDEEnrollmentError) as e:
        read_cde_enrollment(p)
    assert f"row {_row_of(lines, '0101618')}, column GR_01" in str(e.value)
    assert "suppressed" in str(e.value)


def test_suppressed_count_can_be_kept_missing_never_zero(tmp_path):
    lines = _set_cell(_lines(), "0101618", "TA", "GR_01", "*")
    t = read_cde_enrollment(_write(tmp_path, lines), suppressed="missing").set_index("school_code")
    assert pd.isna(t.loc["0101618", "gr_01"])
    assert t.loc["0101618", "enrollment"] == 225  # TOTAL_ENR as reported
    assert "suppressed" in t.loc["0101618", "enrollment_basis"]
    assert t.loc["0106914", "enrollment_basis"] == "reported: CDE census-day enrollment file"


def test_total_must_equal_sum_of_grades(tmp_path):
    lines = _set_cell(_lines(), "0102913", "TA", "TOTAL_ENR", "400")
    p = _write(tmp_path, lines)
    with pytest.raises(CDEEnrollmentError, match="TOTAL_ENR: 400 is not the sum"):
        read_cde_enrollment(p)
    t = read_cde_enrollment(p, check_totals=False).set_index("school_code")
    assert t.loc["0102913", "enrollment"] == 400


def test_duplicate_school_is_an_error(tmp_path):
    lines = _lines()
    dup = next(ln for ln in lines if "\t0106971\t" in ln)
    p = _write(tmp_path, [*lines, dup])
    with pytest.raises(CDEEnrollmentError, match="school 0106971 already appears"):
        read_cde_enrollment(p)


def test_no_rows_for_the_district(tmp_path):
    with pytest.raises(CDEEnrollmentError, match="district code 99999"):
        read_cde_enrollment(FIXTURE, district_code="99999")
    with pytest.raises(CDEEnrollmentError, match="no such file"):
        read_cde_enrollment(tmp_path / "absent.txt")


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="suppressed"):
        read_cde_enrollment(FIXTURE, suppressed="zero")
    with pytest.raises(ValueError, match="charter"):
        read_cde_enrollment(FIXTURE, charter="maybe")


# ----------------------------------------------------------------- round trip

_HEADER = (
    "AcademicYear\tAggregateLevel\tCountyCode\tDistrictCode\tSchoolCode\tCountyName\t"
    "DistrictName\tSchoolName\tCharter\tReportingCategory\tTOTAL_ENR\t"
    + "\t".join(["GR_TK", "GR_KN"] + [f"GR_{g:02d}" for g in range(1, 13)])
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(0, 900), min_size=14, max_size=14), min_size=1, max_size=6))
def test_counts_round_trip(tmp_path_factory, schools):
    lines = [_HEADER]
    for k, g in enumerate(schools):
        code = f"{1000000 + k:07d}"
        lines.append(
            "\t".join(
                [
                    "2025-26",
                    "S",
                    "19",
                    "64733",
                    code,
                    "Los Angeles",
                    "Los Angeles Unified",
                    f"School {k}",
                    "N",
                    "TA",
                    str(sum(g)),
                ]
                + [str(x) for x in g]
            )
        )
    p = _write(tmp_path_factory.mktemp("rt"), lines)
    t = read_cde_enrollment(p)
    assert np.array_equal(t[GRADE_COLUMNS].to_numpy(dtype=int), np.array(schools))
    assert list(t["enrollment"]) == [sum(g) for g in schools]
    assert t["enrollment_year"].eq("2025-26").all()
