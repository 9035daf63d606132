"""Benchmark of the Monte Carlo projection: prints timings and memory (nothing is asserted).

Run with ``python benchmarks/bench_uncertainty.py [--max-draws N]``. Targets to report
against (issue 7):

* 100,000 draws x 10 years x 3 scenarios (and the baseline) in under 1 second on this
  machine's two cores;
* the scaling from 1,000 to 1,000,000 draws: time and peak memory (numpy's allocations,
  traced by ``tracemalloc``, in a second run so the tracing does not slow the timed one).

The district is the bundled LAUSD: its three scenarios (UTLA's 2025 demand, the
district's 2% + 2% offer, and a flat 3% raise) are priced once by the engine; their
ongoing costs carry forward past their third year. The bundled baseline covers 2025-26
to 2027-28; for a ten-year run it is extended here (BENCHMARK ONLY, not a projection
anyone should quote): ADA keeps falling 2.7% a year and spending keeps growing 3.3%.
Five assumptions are drawn (COLA, ADA change, revenue and expenditure growth,
step-and-column drift); a second line adds turnover, which reprices the scenarios at
nine turnover rates first.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import costing as ct  # noqa: E402
from costing.calendar import fiscal_years  # noqa: E402

YEARS = 10


def ten_year_baseline() -> ct.Baseline:
    b = ct.lausd_baseline()
    labels = fiscal_years(b.base_year, YEARS)
    ada = dict(b.ada)
    growth = dict(b.expenditure_growth)
    for i, fy in enumerate(labels):
        if fy not in ada:
            ada[fy] = ada[labels[i - 1]] * 0.972828
        if i and fy not in growth:
            growth[fy] = 0.033
    return dataclasses.replace(b, ada=ada, expenditure_growth=growth)


def scenarios(district: ct.District) -> ct.Costing:
    d = ct.data_dir() / "scenarios"
    three_pct = ct.Scenario("flat 3% raise", start="2025-26", years=3, party="other",
                            proposals=(ct.Raise(percent=0.03, effective="2025-07-01"),))
    return ct.price([ct.Scenario.from_toml(d / "utla-2025-win-our-future-demand.toml"),
                     ct.Scenario.from_toml(d / "utla-2025-district-offer.toml"), three_pct], district)


ASSUMPTIONS = {
    "lcff_cola": ct.Normal(sd=0.01),
    "ada_change": ct.Normal(sd=0.005),
    "revenue_growth": ct.Normal(sd=0.005),
    "expenditure_growth": ct.Triangular(width=0.015),
    "step_and_column": ct.Uniform(low=0.0, high=0.01),
}


def run(district, costing, baseline, draws: int, assumptions=ASSUMPTIONS) -> ct.Simulation:
    return ct.simulate(district, costing, assumptions=assumptions, draws=draws, seed=0, baseline=baseline,
                       years=YEARS, progress=False)


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def peak_mb(fn) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-draws", type=int, default=1_000_000)
    args = ap.parse_args()
    lausd = ct.load_lausd()
    t = time.perf_counter()
    costing = scenarios(lausd)
    print(f"pricing 3 scenarios once (engine): {time.perf_counter() - t:.2f} s")
    base = ten_year_baseline()
    run(lausd, costing, base, 1_000)  # warm up imports and caches

    n = 100_000
    secs = timed(lambda: run(lausd, costing, base, n), repeat=3)
    sim = run(lausd, costing, base, n)
    cells = len(sim.scenario_names) * YEARS
    print(f"\n{n:,} draws x {YEARS} years x {len(sim.scenario_names) - 1} scenarios + baseline, "
          f"5 assumptions: {secs:.3f} s (target < 1 s); percentiles exact: {sim.resolution == 0}")
    print(f"  {n * cells / secs / 1e6:.1f} million draw-years a second")
    with_turnover = dict(ASSUMPTIONS, turnover=ct.Triangular(low=0.0, high=0.10, mode_value=0.0))
    secs_t = timed(lambda: run(lausd, costing, base, n, with_turnover), repeat=2)
    print(f"  with turnover too (9 engine repricings, then interpolation): {secs_t:.3f} s")

    print("\nscaling (best of runs; peak = numpy's traced allocations; chunks of 100,000 draws)")
    print(f"{'draws':>10} {'time (s)':>9} {'per 1k draws (ms)':>18} {'peak (MB)':>10} {'percentiles':>12}")
    sizes = [s for s in (1_000, 10_000, 100_000, 1_000_000) if s <= args.max_draws]
    for size in sizes:
        secs = timed(lambda size=size: run(lausd, costing, base, size), repeat=3 if size < 1_000_000 else 1)
        mem = peak_mb(lambda size=size: run(lausd, costing, base, size))
        res = run(lausd, costing, base, size) if size <= 100_000 else None
        kind = "exact" if res is not None and res.resolution == 0 else "histogram"
        print(f"{size:>10,} {secs:>9.3f} {secs / size * 1e6:>18.3f} {mem:>10.0f} {kind:>12}")

    b = sim.breach_table()
    print("\nchance the available reserves end a year below the legal minimum (100,000 draws):")
    print((b * 100).round(1).to_string())


if __name__ == "__main__":
    main()
