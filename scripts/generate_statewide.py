"""Generate the synthetic statewide dataset (every California LEA, or a sample).

Writes the collection described in docs/statewide.md into ``--out`` (default
``build/statewide/all``, a gitignored folder: the generated data is never committed):
``districts.parquet``, ``skipped.csv`` (LEAs with 0 enrollment or 0 staff, with the
reason), ``calibration.csv`` (each target next to the value reached), ``manifest.json``
and the ``workforce``, ``schedules``, ``schools`` and ``budget`` tables, hive-partitioned
by district. Synthetic and calibrated: see data/statewide/README.md.

Run: ``python scripts/generate_statewide.py --out build/statewide/all`` (every LEA, about
10 s) or ``--sample 25 --seed 1`` (seconds). The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from costing.statewide import StatewideError, generate_statewide  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate the synthetic statewide dataset (costing.statewide).")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "statewide" / "all", help="output folder")
    p.add_argument("--sample", type=int, default=None, help="this many districts, drawn with the seed (default: all)")
    p.add_argument("--seed", type=int, default=20251001, help="random seed (default 20251001)")
    p.add_argument("--districts", nargs="+", help="these NCES district ids instead of a sample")
    p.add_argument("--nces", type=Path, default=None,
                   help="NCES CCD district CSV (default: data/statewide/nces_ccd_california_2023_24.csv)")
    args = p.parse_args(argv)
    try:
        report = generate_statewide(args.out, sample=args.sample, seed=args.seed, districts=args.districts,
                                    nces=args.nces)
    except StatewideError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 2
    print(f"{len(report.districts):,} districts generated in {report.seconds:.1f} s into {report.path}")
    print("  " + "; ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
    print(f"{len(report.skipped)} LEA(s) skipped:")
    for row in report.skipped.itertuples():
        print(f"  {row.district} {row.district_name}: {row.reason}")
    shown = report.calibration.dropna(subset=["reached"])[["name", "value", "reached"]]
    print("calibration (target, reached):")
    print(shown.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
