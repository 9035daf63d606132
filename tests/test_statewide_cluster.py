"""Distributed pricing on a real LocalCluster (2 worker processes) equals pricing in one
process and pricing each district alone, to the cent.

One cluster for the module (started once, closed at the end)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import costing as ct
from costing.statewide import (
    generate_statewide,
    load_district,
    load_statewide,
    map_districts,
    price_statewide,
)

SMALL = ["600001", "600018", "601420", "601465", "601471"]


def five_proposals() -> ct.Scenario:
    """A raise, a bonus, a stipend, a wage floor and a class-size cap, over five years."""
    return ct.Scenario("Five proposals", party="union", start="2025-26", years=5, proposals=(
        ct.Raise(name="4%", percent=0.04, effective="2025-07-01"),
        ct.Floor(name="$22 floor", hourly_rate=22.0, effective="2026-01-01", units=["Classified"]),
        ct.Stipend(name="Teacher stipend", amount=1500.0, effective="2025-07-01",
                   units=["Teachers"]),
        ct.Bonus(name="One-time $1,000", amount=1000.0, fiscal_year="2025-26"),
        ct.ClassSize(name="TK-3 to 24", effective="2026-07-01", caps=(ct.Cap("TK-3", 24.0),),
                     current=(ct.Cap("TK-3", 27.0),)),
    ))


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    out = tmp_path_factory.mktemp("statewide-cluster")
    generate_statewide(out, districts=SMALL, seed=5)
    return load_statewide(out)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def _cents(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["amount"] = np.round(out["amount"].to_numpy(float) * 100).astype(np.int64)
    return out


def test_distributed_equals_single_process_to_the_cent(state, client):
    s = five_proposals()
    sync = price_statewide(s, state, client="sync")
    dist = price_statewide(s, state, client=client, batches=3)
    assert sync.failed.empty and dist.failed.empty
    assert list(dist.ledger.columns) == ["district", *ct.LEDGER_COLUMNS]
    pd.testing.assert_frame_equal(_cents(dist.ledger), _cents(sync.ledger))
    pd.testing.assert_frame_equal(dist.reserves, sync.reserves)
    # and equal to pricing each district alone with costing.price
    for d in SMALL:
        district, _ = load_district(str(state.path), d)
        alone = ct.price(s, district).ledger.reset_index(drop=True)
        mine = dist.ledger[dist.ledger["district"] == d].drop(columns="district").reset_index(drop=True)
        pd.testing.assert_frame_equal(_cents(mine), _cents(alone))
    # every proposal of the scenario priced in every district
    props = dist.ledger[dist.ledger["scenario"] == s.name].groupby("district")["proposal"].nunique()
    assert (props == 5).all() and len(props) == len(SMALL)


def test_costing_price_on_the_cluster(state, client):
    s = five_proposals()
    via_price = ct.price(s, state.using(client))
    direct = price_statewide(s, state, client="sync")
    pd.testing.assert_frame_equal(_cents(via_price.ledger), _cents(direct.ledger))


def test_the_work_ran_on_both_workers(state, client):
    pids = map_districts(worker_pid, state, client=client, batches=len(SMALL))
    assert len(pids) == len(SMALL)
    assert len(set(pids)) == 2  # two worker processes, neither of them this one
    import os

    assert os.getpid() not in pids


def worker_pid(root: str, district: str) -> int:
    """A module-level task: the id of the process that ran it."""
    import os
    import time

    time.sleep(0.2)  # long enough that both workers take a batch
    return os.getpid()
