"""Benchmark of class-size pricing: prints timings (nothing is asserted).

Run with ``python benchmarks/bench_positions.py [--schools N]``. Targets to report against:

* the full bundled LAUSD schools table (732 schools x 14 grades) under three cap
  scenarios (UTLA's 2022 demand, the district's 2022 offer, the 2022-25 agreement's
  caps): under 50 ms
* a generated 10,000-school district under the same three scenarios (reported; no target)

Each scenario is one :class:`~costing.proposals.class_size.ClassSize` proposal; a
"cold" call clears the district's caches first (enrollment arrays, role cost, rates),
a "warm" call reuses them (what a second pricing of the same district does).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import costing as ct  # noqa: E402
from costing import positions as P  # noqa: E402
from costing.proposals.class_size import Cap, ClassSize, lausd_caps, section_counts  # noqa: E402

YEARS = ["2023-24", "2024-25", "2025-26"]


def timed(fn, repeat: int = 20) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs (seconds)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def three_scenarios() -> list[ClassSize]:
    """UTLA's 2022 demand (every band -2 then -4, every school), the district's 2022 offer
    (TK-3 -1 then -2 at the 100 highest-FRPM elementary schools) and the 2022-25
    agreement's caps (2024-25 then 2025-26 values), all against the 2022-23 caps."""
    cur = lausd_caps("2022-23")
    demand = tuple(Cap(c.band, (c.maximum[0] - 2, c.maximum[0] - 4), (c.average[0] - 2, c.average[0] - 4)) for c in cur)
    agreement = tuple(Cap(a.band, (a.maximum[0], b.maximum[0]), (a.average[0], b.average[0]))
                      for a, b in zip(lausd_caps("2024-25"), lausd_caps("2025-26"), strict=True))
    return [
        ClassSize(name="UTLA demand", effective="2023-07-01", caps=demand, current=cur),
        ClassSize(name="district offer", effective="2023-07-01", caps=(Cap("TK-3", (26, 25), (23, 22)),),
                  current=(cur[0],), school_types=("Elementary Schools (Public)",), top_n=100),
        ClassSize(name="agreement caps", effective="2024-07-01", caps=agreement, current=cur),
    ]


def price_all(district: ct.District, proposals: list[ClassSize], cold: bool) -> float:
    """Ledger rows and detail of every proposal; returns the total cost (a check value)."""
    if cold:
        district._cache.clear()
    else:  # keep the district's own arrays, drop the proposals' results
        for k in [k for k in district._cache if k and k[0] == "class_size"]:
            del district._cache[k]
    total = 0.0
    for p in proposals:
        total += p.cost_rows(district, YEARS, None)["amount"].sum()
        p.detail(district, YEARS, None)
    return total


def generated_schools(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` schools: 60% K-5 elementary, 15% 6-8 middle, 15% 9-12 high, 10% K-8, with
    enrollments like LAUSD's (lognormal around 80 students a grade) and random FRPM."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(4, n, p=[0.6, 0.15, 0.15, 0.1])
    spans = {0: (1, 6), 1: (7, 9), 2: (10, 13), 3: (1, 9)}
    types = {0: "Elementary Schools (Public)", 1: "Intermediate/Middle Schools (Public)",
             2: "High Schools (Public)", 3: "K-12 Schools (Public)"}
    lows = {0: "K", 1: "6", 2: "9", 3: "K"}
    g = np.arange(14)
    lo = np.array([spans[k][0] for k in kind])
    hi = np.array([spans[k][1] for k in kind])
    size = rng.lognormal(np.log(80), 0.5, n) * np.where(kind == 2, 3.0, 1.0)
    E = np.where((g[None, :] >= lo[:, None]) & (g[None, :] <= hi[:, None]), np.round(size[:, None] * rng.uniform(0.8, 1.2, (n, 14))), 0)
    out = pd.DataFrame(E.astype(int), columns=list(P.GRADE_COLUMNS))
    out.insert(0, "school_code", [f"{i:07d}" for i in range(n)])
    out.insert(1, "school_type", [types[k] for k in kind])
    out.insert(2, "low_grade", [lows[k] for k in kind])
    out.insert(3, "frpm_share", rng.uniform(0.2, 1.0, n).round(4))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, default=10_000, help="schools of the generated district")
    args = ap.parse_args()

    def say(label: str, value: str, target: str = "") -> None:
        print(f"{label:<68} {value:>16}  {target}", flush=True)

    proposals = three_scenarios()
    lausd = ct.load_lausd("2021-22")
    say(f"LAUSD schools table: {len(lausd.schools)} schools x {len(P.GRADES)} grades", "")
    t_cold = timed(lambda: price_all(lausd, proposals, cold=True))
    say("LAUSD, 3 cap scenarios x 3 years, cold (caches cleared)", f"{t_cold * 1e3:,.1f} ms", "target < 50 ms")
    t_warm = timed(lambda: price_all(lausd, proposals, cold=False))
    say("LAUSD, 3 cap scenarios x 3 years, warm district arrays", f"{t_warm * 1e3:,.1f} ms", "target < 50 ms")

    # the kernel alone: every school x grade x (current + 2 cap years), the 5-band proposal
    p = proposals[0]
    E, band_of, dept = p._layout(lausd)
    mx, av = p.cap_arrays()
    t_kernel = timed(lambda: section_counts(E, band_of, dept, mx, av), repeat=50)
    say(f"  kernel: sections for {E.shape[0]} schools x {mx.shape[0]} cap sets x {mx.shape[1]} bands",
        f"{t_kernel * 1e3:,.2f} ms")

    scen = [ct.Scenario(q.name, "2023-24", 3, (q,)) for q in proposals]

    def full_price():
        for k in [k for k in lausd._cache if k and k[0] == "class_size"]:
            del lausd._cache[k]
        return ct.price(scen, lausd)

    t_price = timed(full_price, repeat=5)
    say(f"  ct.price of the 3 scenarios (status quo of {len(lausd.workforce):,} rows included)",
        f"{t_price * 1e3:,.1f} ms")

    # a generated district
    schools = generated_schools(args.schools)
    wf = pd.DataFrame([{"unit": "UTLA", "classification": "Teacher", "pay_basis": "salary",
                        "annual_salary": 85_000.0, "retirement": "STRS", "count": 1000}])
    big = ct.District("generated", "2022-23", wf, lausd.rates, schools=schools)
    t_big = timed(lambda: price_all(big, proposals, cold=True), repeat=5)
    say(f"generated {args.schools:,} schools, 3 cap scenarios x 3 years, cold", f"{t_big * 1e3:,.1f} ms")
    Eb, bb, db = proposals[0]._layout(big)
    t_kb = timed(lambda: section_counts(Eb, bb, db, mx, av), repeat=10)
    say(f"  kernel: {args.schools:,} schools x {mx.shape[0]} cap sets x {mx.shape[1]} bands", f"{t_kb * 1e3:,.2f} ms")
    res = ct.price([ct.Scenario(q.name, "2023-24", 3, (q,)) for q in proposals], big)
    added = P.by_year(res)["positions"].unstack("fiscal_year")
    say("  teachers added in 2025-26 (demand / offer / agreement)",
        " / ".join(f"{added.loc[q.name, '2025-26']:,.0f}" for q in proposals))


if __name__ == "__main__":
    main()
