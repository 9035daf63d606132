"""Generated workforces and the ten-proposal scenario the benchmarks time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

import costing as ct


def generated_workforce(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` rows: 55% salaried CalSTRS teachers on a 10 x 8 schedule, 45% hourly CalPERS
    classified staff, in 12 classifications over two units. Returns (workforce, schedules)."""
    rng = np.random.default_rng(seed)
    steps = np.arange(1, 11)
    cols = [f"G{c}" for c in range(1, 9)]
    sched = pd.DataFrame(
        [("T", c, s, round(52_000 * 1.035 ** (s - 1) * 1.05 ** i, 0)) for i, c in enumerate(cols) for s in steps],
        columns=["schedule", "column", "step", "rate"],
    )
    teacher = rng.random(n) < 0.55
    classes_t = np.array(["Teacher", "Counselor", "Nurse", "Psychologist", "Librarian", "Special Education Teacher"])
    classes_c = np.array(["Teacher Assistant", "Special Education Assistant", "Custodian", "Cafeteria Worker", "Bus Driver", "Clerk"])
    wf = pd.DataFrame({
        "unit": np.where(teacher, "Teachers", "Classified"),
        "classification": np.where(teacher, classes_t[rng.integers(0, 6, n)], classes_c[rng.integers(0, 6, n)]),
        "count": 1.0,
        "fte": np.where(rng.random(n) < 0.1, 0.5, 1.0),
        "pay_basis": np.where(teacher, "salary", "hourly"),
        "hourly_rate": np.where(teacher, np.nan, np.round(rng.uniform(18, 38, n), 2)),
        "hours_per_day": np.where(teacher, 7.0, rng.choice([3.0, 3.5, 4.0, 6.0, 8.0], n)),
        "days_per_year": np.where(teacher, 183.0, 180.0),
        "annual_salary": np.nan,
        "retirement": np.where(teacher, "STRS", "PERS"),
        "schedule": np.where(teacher, "T", None),
        "step": np.where(teacher, rng.integers(1, 11, n), np.nan),
        "column": np.where(teacher, np.array(cols)[rng.integers(0, 8, n)], None),
    })
    return wf, sched


GENERATED = {"hourly_unit": "Classified", "sea": "Special Education Assistant", "ta": "Teacher Assistant",
             "nurse": "Nurse", "stipend_off": "Clerk"}
LAUSD = {"hourly_unit": "SEIU 99", "sea": "Special Education Assistant", "ta": "Teacher Assistant",
         "nurse": "School Nurse", "stipend_off": "Cafeteria Worker"}


def ten_proposals(start: str = "2025-26", years: int = 5, names: dict = GENERATED) -> ct.Scenario:
    """Ten pay proposals of every kind over ``years`` fiscal years (``names``: the unit and
    classifications they select, GENERATED or LAUSD)."""
    y = ct.parse_fiscal_year(start)
    d = lambda yy, m: dt.date(y + yy + (m < 7), m, 1)  # noqa: E731
    p = (
        ct.Raise(name="3% July", percent=0.03, effective=d(0, 7)),
        ct.Raise(name="5% or $1.50/h", percent=0.05, per_hour=1.50, rule="greater", units=(names["hourly_unit"],), effective=d(0, 1)),
        ct.Raise(name="2% July y2", percent=0.02, effective=d(1, 7)),
        ct.Raise(name="$2/h SEA", per_hour=2.0, classifications=(names["sea"],), effective=d(1, 1)),
        ct.Raise(name="4% y3", percent=0.04, effective=d(2, 7)),
        ct.Floor(name="floor $22.52", hourly_rate=22.52, where={"pay_basis": "hourly"}, effective=d(1, 7)),
        ct.Hours(name="TA to 4h", set_hours=4.0, classifications=(names["ta"],), effective=d(1, 7)),
        ct.Stipend(name="nurse +$5,000", amount=5000, classifications=(names["nurse"],), effective=d(0, 7)),
        ct.Stipend(name="remove clerk stipend", amount=-500, classifications=(names["stipend_off"],), effective=d(0, 1)),
        ct.Bonus(name="one-time 4%", percent=0.04, fiscal_year=start),
    )
    return ct.Scenario("ten proposals", start=start, years=years, proposals=p, party="district")
