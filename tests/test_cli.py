import subprocess
import sys

import pandas as pd
import pytest

import costing as ct
from costing.cli import main

EXAMPLE = ct.data_dir() / "example"


def test_price_writes_the_ledger_and_a_summary(tmp_path, capsys):
    rc = main(["price", str(EXAMPLE / "scenarios" / "example_offer.toml"),
               "--workforce", str(EXAMPLE / "workforce.csv"), "--schedules", str(EXAMPLE / "schedules.csv"),
               "--out", str(tmp_path)])
    assert rc == 0
    ledger = pd.read_csv(tmp_path / "costs.csv")
    assert list(ledger.columns) == ct.LEDGER_COLUMNS
    out = capsys.readouterr().out
    assert "Example offer" in out and "status quo" in out
    # the ledger's total for the scenario is what the summary prints (rounded to dollars)
    total_2025 = ledger.query("scenario == 'Example offer' and fiscal_year == '2025-26'")["amount"].sum()
    assert f"{total_2025:,.0f}" in out


def test_price_with_a_workforce_file_defaults_the_base_year(tmp_path, capsys):
    rc = main(["price", str(EXAMPLE / "scenarios" / "example_offer.toml"),
               "--workforce", str(EXAMPLE / "workforce.csv"), "--schedules", str(EXAMPLE / "schedules.csv"),
               "--out", str(tmp_path)])
    assert rc == 0
    assert "base year 2024-25" in capsys.readouterr().out  # the year before the scenario starts


def test_bundled_scenarios_price_against_the_matching_lausd_snapshot(tmp_path, capsys):
    files = sorted(str(p) for p in (ct.data_dir() / "scenarios").glob("*.toml"))
    assert len(files) >= 7
    assert main(["price", *files, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for base in ("base year 2019-20", "base year 2021-22", "base year 2024-25"):
        assert base in out
    ledger = pd.read_csv(tmp_path / "costs.csv")
    assert list(ledger.columns) == ct.LEDGER_COLUMNS
    # three base years: three status quos, each named after its base year, never merged
    assert {"status quo (base 2019-20)", "status quo (base 2021-22)", "status quo (base 2024-25)"} <= set(ledger["scenario"])


def test_validate_reports_every_problem_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "wf.csv"
    bad.write_text("unit,classification,pay_basis,retirement,hourly_rate,hours_per_day,days_per_year\n"
                   "A,B,hourly,PERS,abc,3,180\nA,B,weekly,PERS,10,3,180\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 2, column hourly_rate" in err and "row 3, column pay_basis" in err
    assert "Traceback" not in err


def test_validate_good_files(capsys):
    assert main(["validate", str(EXAMPLE / "schedules.csv")]) == 0
    assert main(["validate", str(EXAMPLE / "workforce.csv"), "--schedules", str(EXAMPLE / "schedules.csv")]) == 0
    assert main(["validate", str(EXAMPLE / "scenarios" / "example_offer.toml")]) == 0
    out = capsys.readouterr().out
    assert out.count("OK") == 3


@pytest.mark.parametrize("args", [
    ["validate", "does-not-exist.csv"],
    ["validate", "does-not-exist.toml"],
    ["price", "does-not-exist.toml"],
])
def test_missing_files_are_clear_errors(args, capsys):
    assert main(args) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_scenario_the_district_cannot_price(tmp_path, capsys):
    s = tmp_path / "s.toml"
    s.write_text('name="x"\nstart="2025-26"\nyears=1\n[[raise]]\npercent=3\neffective=2025-07-01\n'
                 'classifications=["Astronaut"]\n')
    assert main(["price", str(s), "--out", str(tmp_path)]) == 2
    assert "selects no employees" in capsys.readouterr().err


def test_console_script_runs_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    proc = subprocess.run([sys.executable, "-m", "costing.cli", "validate", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "not valid TOML" in proc.stderr and "Traceback" not in proc.stderr


def test_report_command(tmp_path, capsys):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    src = ct.data_dir() / "scenarios" / "utla-2025-district-offer.toml"
    (folder / src.name).write_text(src.read_text())
    assert main(["report", "--scenarios", str(folder), "--out", str(tmp_path / "out"), "--quiet",
                 "--no-notebooks"]) == 0
    out = capsys.readouterr().out
    assert "base year 2024-25" in out and "LAUSD: 2% + 2% offer to UTLA (2025)" in out
    assert (tmp_path / "out" / "index.html").exists() and (tmp_path / "out" / "costing.xlsx").exists()
    assert not (tmp_path / "out" / "notebooks").exists()


def test_report_with_no_scenarios_is_a_clear_error(tmp_path, capsys):
    assert main(["report", "--scenarios", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "no scenario files" in capsys.readouterr().err


# ---------------------------------------------------------------------------- statewide
STATEWIDE_SCENARIO = """name = "TK-3 cap of 24"
party = "union"
start = "2025-26"
years = 2
[[class_size]]
name = "TK-3 to 24"
effective = 2025-07-01
caps = [{ band = "TK-3", maximum = 24.0 }]
current = [{ band = "TK-3", maximum = 27.0 }]
"""


@pytest.fixture(scope="module")
def statewide_data(tmp_path_factory):
    from costing.statewide import generate_statewide

    root = tmp_path_factory.mktemp("cli-statewide")
    generate_statewide(root / "data", districts=["600001", "600018"], seed=3)
    scenario = root / "cap.toml"
    scenario.write_text(STATEWIDE_SCENARIO)
    return root / "data", scenario


def test_statewide_writes_the_ledger_and_views(statewide_data, tmp_path, capsys):
    data, scenario = statewide_data
    rc = main(["statewide", "--data", str(data), "--scenario", str(scenario), "--sync", "--out", str(tmp_path)])
    assert rc == 0
    ledger = pd.read_csv(tmp_path / "costs.csv", dtype={"district": str})
    assert list(ledger.columns) == ["district", *ct.LEDGER_COLUMNS]
    assert sorted(ledger["district"].unique()) == ["600001", "600018"]
    by = pd.read_csv(tmp_path / "cost-by-district.csv", dtype={"district": str})
    cap = ledger[ledger["scenario"] == "TK-3 cap of 24"]
    assert by["total"].sum() == pytest.approx(cap["amount"].sum())
    for name in ("total.csv", "cost-per-student.csv", "below-minimum.csv", "reserves.csv", "skipped.csv"):
        assert (tmp_path / name).exists(), name
    out = capsys.readouterr().out
    assert "2 district(s)" in out and "synthetic" in out


@pytest.mark.parametrize("extra, message", [
    (["--scheduler", "localhost:8786"], "scheduler must be an address"),
    (["--sync", "--workers", "0"], "--workers must be at least 1"),
    (["--sync", "--districts", "999999"], "no district(s) 999999"),
])
def test_statewide_user_errors_exit_2(statewide_data, tmp_path, capsys, extra, message):
    data, scenario = statewide_data
    assert main(["statewide", "--data", str(data), "--scenario", str(scenario), "--out", str(tmp_path), *extra]) == 2
    assert message in capsys.readouterr().err


def test_statewide_without_a_collection_exits_2(tmp_path, capsys, statewide_data):
    _, scenario = statewide_data
    assert main(["statewide", "--data", str(tmp_path), "--scenario", str(scenario), "--sync"]) == 2
    assert "not a statewide collection" in capsys.readouterr().err
