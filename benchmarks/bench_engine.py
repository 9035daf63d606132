"""Benchmark of the pricing engine: prints timings, peak memory and ratios.

Run with ``make bench`` (or ``python benchmarks/bench_engine.py [--rows N]``). Targets to
report against (not asserted anywhere):

* bundled district, ten pay proposals over five fiscal years: under 50 ms
* a generated 1,000,000-row workforce x 10 fiscal years: under 2 s and under 2 GB
* at least 200x faster than the per-row reference implementation (tests/reference.py),
  timed on a subsample and scaled to the same rows
* within 10x of one numpy pass over the same columns (pay of every row in every year)
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from workload import LAUSD, generated_workforce, ten_proposals  # noqa: E402

import costing as ct  # noqa: E402


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Median wall time of ``fn()`` over ``repeat`` runs (seconds) and its last result."""
    times = []
    out = None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def peak_memory(fn) -> float:
    """Peak memory traced while ``fn()`` runs (bytes; numpy allocations included)."""
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def one_numpy_pass(wf, years: int) -> np.ndarray:
    """The floor: pay of every row in every year, one vectorized expression."""
    hourly = (wf["pay_basis"] == "hourly").to_numpy()
    rate = np.where(hourly, wf["hourly_rate"].to_numpy(float), wf["annual_salary"].to_numpy(float))
    per = np.where(hourly, wf["hours_per_day"].to_numpy(float) * wf["days_per_year"].to_numpy(float),
                   wf["fte"].to_numpy(float))
    growth = 1.03 ** np.arange(1, years + 1)
    return (wf["count"].to_numpy(float) * rate * per)[:, None] * growth[None, :]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated workforce")
    ap.add_argument("--reference-rows", type=int, default=300, help="rows the reference is timed on")
    args = ap.parse_args()
    rates = ct.Rates.from_csv(ct.data_dir() / "rates" / "statutory_rates.csv")
    lines = []

    def say(label: str, value: str, target: str = "") -> None:
        line = f"{label:<58} {value:>16}  {target}"
        lines.append(line)
        print(line, flush=True)

    # 1. the bundled district
    t0 = time.perf_counter()
    bundled = ct.load_lausd()
    say(f"load_lausd() ({len(bundled.workforce):,} rows, {bundled.workforce['count'].sum():,.0f} employees)",
        f"{(time.perf_counter() - t0) * 1e3:,.0f} ms", "(once per session)")
    s5 = ten_proposals(start="2025-26", years=5, names=LAUSD)
    t_first, _ = timed(lambda: ct.price(s5, bundled), repeat=1)
    say("bundled LAUSD, 10 proposals x 5 years, first call", f"{t_first * 1e3:,.1f} ms", "target < 50 ms")
    t_b, res = timed(lambda: ct.price(s5, bundled), repeat=20)
    say("bundled LAUSD, 10 proposals x 5 years, repeat call", f"{t_b * 1e3:,.1f} ms", "target < 50 ms")

    # 2. the generated workforce
    wf, sched = generated_workforce(args.rows, seed=1)
    t0 = time.perf_counter()
    big = ct.District("generated", "2024-25", wf, rates, sched)
    say(f"validate a generated {args.rows:,}-row workforce", f"{time.perf_counter() - t0:,.2f} s", "(once per load)")
    s10 = ten_proposals(start="2025-26", years=10)
    t_first, _ = timed(lambda: ct.price(s10, big), repeat=1)
    say(f"{args.rows:,} rows x 10 years, first call (caches built)", f"{t_first:,.2f} s", "target < 2 s")
    t_big, res = timed(lambda: ct.price(s10, big), repeat=3)
    say(f"{args.rows:,} rows x 10 years, repeat call", f"{t_big:,.2f} s", "target < 2 s")
    s5g = ten_proposals(start="2025-26", years=5)
    t_big5, _ = timed(lambda: ct.price(s5g, big), repeat=3)
    say(f"{args.rows:,} rows x 5 years", f"{t_big5:,.2f} s")
    fresh = ct.District("generated", "2024-25", big.workforce, rates, big.schedules, validated=True)
    peak = peak_memory(lambda: ct.price(s10, fresh))
    say(f"peak memory, {args.rows:,} rows x 10 years (first call)", f"{peak / 2**30:,.2f} GB", "target < 2 GB")

    # 3. the worst case for the row merge: every row priced on its own
    solo = ct.PricingOptions(merge_identical_rows=False)
    t_solo, _ = timed(lambda: ct.price(s10, big, solo), repeat=1)
    say(f"{args.rows:,} rows x 10 years, identical rows not merged", f"{t_solo:,.2f} s")
    peak_solo = peak_memory(lambda: ct.price(s10, big, solo))
    say("peak memory, identical rows not merged", f"{peak_solo / 2**30:,.2f} GB")

    # 4. ratio to one numpy pass over the same columns
    t_np, _ = timed(lambda: one_numpy_pass(big.workforce, 10), repeat=5)
    say("one numpy pass (pay of every row x 10 years)", f"{t_np * 1e3:,.1f} ms")
    say("engine / one numpy pass", f"{t_big / t_np:,.1f}x", "target within 10x")

    # 5. ratio to the per-row reference, timed on a subsample and scaled
    try:
        from tests.reference import reference_price
    except ImportError as exc:  # pragma: no cover
        say("per-row reference", f"unavailable ({exc})")
    else:
        sub = big.workforce.sample(args.reference_rows, random_state=0)
        small = ct.District("sample", "2024-25", sub.reset_index(drop=True), rates, sched, validated=True)
        s_small = _fit(s10, small)
        t_ref, _ = timed(lambda: reference_price([s_small], small), repeat=1)
        per_row = t_ref / args.reference_rows
        scaled = per_row * args.rows
        say(f"per-row reference on {args.reference_rows} rows", f"{t_ref:,.2f} s")
        say(f"reference scaled to {args.rows:,} rows", f"{scaled:,.0f} s")
        say("engine speed-up over the per-row reference", f"{scaled / t_big:,.0f}x", "target >= 200x")


def _fit(scenario, district):
    """Drop proposals whose selector picks nobody in ``district`` (small samples)."""
    from costing.proposals import select

    keep = tuple(p for p in scenario.proposals
                 if select(district.workforce, p.units, p.classifications, p.where).any())
    return scenario.replace(proposals=keep)


if __name__ == "__main__":
    main()
