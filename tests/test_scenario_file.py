import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import costing as ct
from costing.scenario_file import ScenarioFileError, loads_scenario, read_scenario

EXAMPLE = ct.data_dir() / "example" / "scenarios" / "example_offer.toml"


def write(tmp_path, text: str):
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_example_scenario_reads():
    s = read_scenario(EXAMPLE)
    assert s.name == "Example offer" and s.party == "district"
    assert s.fiscal_years == ["2025-26", "2026-27", "2027-28"]
    r = [p for p in s.proposals if isinstance(p, ct.Raise)]
    assert r[0].percent == 0.03  # "percent = 3.0" in the file is 0.03 in code
    greater = r[1]
    assert (greater.percent, greater.per_hour, greater.rule) == (0.04, 1.0, "greater")
    assert greater.effective == dt.date(2026, 1, 1)


def test_every_problem_names_file_table_and_key(tmp_path):
    p = write(tmp_path, """
name = "x"
start = "2025-26"
years = 2
colour = "red"
[[raise]]
percnt = 3
effective = 2025-07-15
[[raise]]
name = "ok but bad rule"
percent = 3
rule = "biggest"
effective = 2025-07-01
[[bonus]]
percent = "a"
[[stipend]]
amount = 100
effective = "soon"
[[class_size]]
cap = 20
""")
    with pytest.raises(ScenarioFileError) as err:
        read_scenario(p)
    text = "\n".join(err.value.problems)
    assert "unknown top-level key 'colour'" in text
    assert "[[raise]] #1: unknown key 'percnt'" in text
    assert "[[raise]] #1: key 'effective': effective date 2025-07-15 is not the first of a month" in text
    assert "[[raise]] #2 ('ok but bad rule'): rule must be one of sum, greater, lesser" in text
    assert "[[bonus]] #1: key 'percent' must be a number" in text
    assert "[[bonus]] #1: missing required key 'fiscal_year'" in text
    assert "[[stipend]] #1: key 'effective'" in text
    assert "[[class_size]] #1: unknown key 'cap'" in text
    assert all(line.startswith(str(p)) for line in err.value.problems)


def test_missing_top_level_keys_and_bad_types(tmp_path):
    p = write(tmp_path, 'name = "x"\nyears = "three"\nparty = "school board"\n')
    with pytest.raises(ScenarioFileError) as err:
        read_scenario(p)
    text = str(err.value)
    assert "missing required key 'start'" in text
    assert "key 'years' must be a whole number" in text
    assert "key 'party' must be one of" in text


def test_impossible_values(tmp_path):
    p = write(tmp_path, 'name="x"\nstart="2025-26"\nyears=1\n[[hours]]\nset_hours=30\neffective=2025-07-01\n')
    with pytest.raises(ScenarioFileError, match="set_hours must be between 0 and 24"):
        read_scenario(p)
    p = write(tmp_path, 'name="x"\nstart="2025-26"\nyears=1\n[[floor]]\neffective=2025-07-01\n')
    with pytest.raises(ScenarioFileError, match="exactly one of hourly_rate or annual_salary"):
        read_scenario(p)
    p = write(tmp_path, 'name="x"\nstart="2025-27"\nyears=1\n')
    with pytest.raises(ScenarioFileError, match="2025-27"):
        read_scenario(p)


def test_not_toml(tmp_path):
    p = write(tmp_path, "name = \n")
    with pytest.raises(ScenarioFileError, match="not valid TOML"):
        read_scenario(p)


def test_round_trip_of_the_example(tmp_path):
    s = read_scenario(EXAMPLE)
    p = tmp_path / "back.toml"
    s.to_toml(p)
    assert read_scenario(p) == s


# --- property: any Scenario written to TOML and read back is equal ---------------------
# any fraction: percents typed with a few decimals, and arbitrary floats set in Python
pct = st.one_of(st.decimals(min_value=-50, max_value=100, places=3).map(lambda d: float(d) / 100),
                st.floats(min_value=-0.9, max_value=2.0, allow_nan=False))
money = st.decimals(min_value=-5000, max_value=5000, places=2).map(float)
dates = st.builds(lambda y, m: dt.date(y, m, 1), st.integers(2025, 2027), st.integers(1, 12))
names = st.lists(st.sampled_from(["SEIU 99", "UTLA", "Teachers", "Custodian"]), max_size=2, unique=True).map(tuple)
proposal = st.one_of(
    st.builds(ct.Raise, percent=pct, per_hour=money, per_year=money, rule=st.sampled_from(["sum", "greater", "lesser"]),
              effective=dates, units=names),
    st.builds(ct.Floor, hourly_rate=st.decimals(1, 60, places=2).map(float), effective=dates, classifications=names),
    st.builds(ct.Bonus, fiscal_year=st.sampled_from(["2025-26", "2026-27"]), amount=money, prorate_fte=st.booleans()),
    st.builds(ct.Bonus, fiscal_year=st.just("2025-26"), percent=pct),
    st.builds(ct.Stipend, amount=money, effective=dates, pensionable=st.booleans(),
              where=st.just({"pay_basis": "hourly", "school_code": ("1", "2")})),
    st.builds(ct.Hours, add_hours=st.decimals(-2, 4, places=2).map(float).filter(bool), effective=dates),
    st.builds(ct.Hours, set_hours=st.decimals(1, 8, places=1).map(float), effective=dates),
)


@settings(max_examples=60, deadline=None)
@given(props=st.lists(proposal, max_size=6), years=st.integers(1, 5),
       party=st.sampled_from(["district", "union", "agreement", "other"]))
def test_round_trip_property(props, years, party):
    named = tuple(p.__class__(**{**p.__dict__, "name": f"p{i}"}) for i, p in enumerate(props))
    s = ct.Scenario("round trip", start="2025-26", years=years, proposals=named, party=party)
    assert loads_scenario(s.to_toml()) == s
