"""Benchmark of statewide pricing on Dask: every California LEA x a five-proposal
scenario x five fiscal years, on 1 and 2 worker processes.

Run: ``python benchmarks/bench_statewide.py [--sample N] [--out DIR]``. Generates the
synthetic statewide dataset (every LEA by default) into ``build/statewide/bench``
(gitignored), then prices it on a LocalCluster of 1 worker and of 2 workers (one thread
each), and prints, for each: wall time, districts per second, the peak resident memory
of each worker process (``ru_maxrss``), and the speed-up from 1 to 2 workers. Targets
(issue 8; reported, not asserted): near-linear speed-up from 1 to 2 workers, the whole
state under 60 s on a 2-core machine. Also prints a single-process (``client="sync"``)
run for reference, the generator's time, and Monte Carlo: ``--draws`` draws (default
10,000) of every district's reserves with and without the scenario
(:func:`costing.statewide.simulate_statewide`) on 2 workers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import costing as ct  # noqa: E402
from costing.statewide import generate_statewide, load_statewide, price_statewide  # noqa: E402


def five_proposals() -> ct.Scenario:
    """A raise, a classified wage floor, a stipend, a one-time bonus and a TK-3 class-size
    cap, 2025-26 to 2029-30."""
    return ct.Scenario("Statewide package", party="union", start="2025-26", years=5, proposals=(
        ct.Raise(name="4% raise", percent=0.04, effective="2025-07-01"),
        ct.Floor(name="$22/hour classified floor", hourly_rate=22.0, effective="2026-01-01", units=["Classified"]),
        ct.Stipend(name="Teacher stipend", amount=1500.0, effective="2025-07-01",
                   units=["Teachers"]),
        ct.Bonus(name="One-time $1,000", amount=1000.0, fiscal_year="2025-26"),
        ct.ClassSize(name="TK-3 cap of 24", effective="2026-07-01", caps=(ct.Cap("TK-3", 24.0),),
                     current=(ct.Cap("TK-3", 27.0),)),
    ))


def warm_imports() -> None:
    """Import the pricing and simulation modules on a worker (module-level: no lambdas)."""
    import costing.statewide
    import costing.uncertainty  # noqa: F401


def peak_rss_mb() -> float:
    """Peak resident memory of the calling process (MB; Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_on_cluster(state, scenario, workers: int) -> tuple[float, dict, object]:
    import dask
    from distributed import Client, LocalCluster

    from costing.statewide.cluster import WORKER_CONFIG

    with dask.config.set(WORKER_CONFIG), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(warm_imports)  # on every worker, not timed
        t = time.perf_counter()
        result = price_statewide(scenario, state, client=client)
        seconds = time.perf_counter() - t
        peaks = client.run(peak_rss_mb)
    return seconds, peaks, result


def simulate_on_cluster(state, scenario, draws: int) -> float:
    import dask
    from distributed import Client, LocalCluster

    from costing.statewide import simulate_statewide
    from costing.statewide.cluster import WORKER_CONFIG

    with dask.config.set(WORKER_CONFIG), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(warm_imports)
        t = time.perf_counter()
        sim = simulate_statewide(scenario, state, draws=draws, seed=1, client=client)
        seconds = time.perf_counter() - t
    breach = sim.breach_by_district()
    share = (breach.loc[breach["scenario"] == scenario.name, "probability"] > 0.5).mean()
    print(f"  districts with a better-than-even chance of breaching the minimum reserve: {share:.0%}; "
          f"failed {len(sim.failed)}")
    return seconds


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sample", type=int, default=None, help="districts (default: every California LEA)")
    p.add_argument("--out", type=Path, default=HERE.parent / "build" / "statewide" / "bench")
    p.add_argument("--seed", type=int, default=20251001)
    p.add_argument("--no-sync", action="store_true", help="skip the single-process reference run")
    p.add_argument("--no-pricing", action="store_true", help="skip the 1- and 2-worker pricing runs")
    p.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws per district (0: skip)")
    args = p.parse_args()

    print(f"machine: {os.cpu_count()} CPU(s); python {sys.version.split()[0]}")
    rep = generate_statewide(args.out, sample=args.sample, seed=args.seed)
    print(f"generate: {len(rep.districts):,} districts ({len(rep.skipped)} skipped: no enrollment or staff) "
          f"in {rep.seconds:.1f} s")
    state = load_statewide(args.out)
    scenario = five_proposals()
    n = len(state)
    times = {}
    for workers in (() if args.no_pricing else (1, 2)):
        seconds, peaks, result = run_on_cluster(state, scenario, workers)
        times[workers] = seconds
        mem = ", ".join(f"{v:,.0f}" for v in peaks.values())
        print(f"{workers} worker(s): {seconds:6.1f} s  ({n / seconds:,.0f} districts/s); peak RSS per worker "
              f"(MB): {mem}; ledger {len(result.ledger):,} rows; failed {len(result.failed)}")
    if times:
        print(f"speed-up 1 -> 2 workers: {times[1] / times[2]:.2f}x (linear = 2.00x)")
        print(f"whole state on 2 workers: {times[2]:.1f} s (target: under 60 s)")
        total = result.total() / 1e9
        print(f"statewide cost ($ billions):\n{total.round(2).to_string()}")
        print(f"districts below the minimum reserve: {result.below_minimum()['district'].nunique():,} of {n:,}")
    if args.draws > 0:
        seconds = simulate_on_cluster(state, scenario, args.draws)
        print(f"Monte Carlo, {args.draws:,} draws per district, 2 workers: {seconds:.1f} s "
              f"({n * args.draws / seconds:,.0f} district-draws/s)")
    if not args.no_sync:
        t = time.perf_counter()
        price_statewide(scenario, state, client="sync")
        print(f"single process (client='sync'): {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
