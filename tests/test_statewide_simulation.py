"""Monte Carlo per district (costing.uncertainty.simulate over the collection): the same
as simulating each district alone with its own seed."""

from __future__ import annotations

import pandas as pd
import pytest

import costing as ct
from costing.statewide import generate_statewide, load_district, load_statewide
from costing.statewide.simulation import district_seed, simulate_statewide

uncertainty = pytest.importorskip("costing.uncertainty")

DISTRICTS = ["600018", "601465"]


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    out = tmp_path_factory.mktemp("statewide-sim")
    generate_statewide(out, districts=DISTRICTS, seed=9)
    return load_statewide(out)


def cap() -> ct.Scenario:
    return ct.Scenario("TK-3 cap of 24", start="2025-26", years=3, proposals=(
        ct.ClassSize(name="TK-3 to 24", effective="2025-07-01", caps=(ct.Cap("TK-3", 24.0),),
                     current=(ct.Cap("TK-3", 27.0),)),
    ))


def test_district_seed_depends_on_the_seed_and_the_id_only():
    assert district_seed(1, "600018") == district_seed(1, "600018")
    assert district_seed(1, "600018") != district_seed(2, "600018")
    assert district_seed(1, "600018") != district_seed(1, "601465")


SPREAD = {"lcff_cola": ct.Normal(sd=0.01), "expenditure_growth": ct.Uniform(width=0.01)}


def test_each_district_as_if_simulated_alone(state):
    sim = simulate_statewide(cap(), state, draws=200, seed=4, client="sync", assumptions=SPREAD)
    assert sim.failed.empty
    assert sorted(sim.breach["district"].unique()) == sorted(DISTRICTS)
    for d in DISTRICTS:
        district, baseline = load_district(str(state.path), d)
        alone = uncertainty.simulate(district, ct.price(cap(), district), draws=200, seed=district_seed(4, d),
                                     baseline=baseline, years=3, progress=False, assumptions=SPREAD)
        mine = sim.breach[sim.breach["district"] == d].drop(columns="district").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.breach.reset_index(drop=True))
    by = sim.breach_by_district()
    assert set(by["district"]) == set(DISTRICTS) and by["probability"].between(0, 1).all()


def test_costing_simulate_accepts_the_collection(state):
    """ct.simulate dispatches a collection to simulate_statewide: the same tables."""
    direct = simulate_statewide(cap(), state, draws=100, seed=2, client="sync", assumptions=SPREAD)
    via = ct.simulate(state.using("sync"), cap(), draws=100, seed=2, assumptions=SPREAD)
    pd.testing.assert_frame_equal(via.breach, direct.breach)
    pd.testing.assert_frame_equal(via.percentiles, direct.percentiles)
    assert via.breach["probability"].between(0, 1).all()
