"""The ``costing`` command.

``costing price SCENARIO.toml [...] [--workforce CSV] [--out DIR]`` prices scenario files
against the bundled LAUSD district (the snapshot whose base year precedes each scenario's
start) or a workforce CSV, and writes ``DIR/costs.csv``;
``costing validate FILE`` checks a workforce CSV, a schedule CSV or a scenario file and
prints every problem. ``costing statewide --data DIR --scenario FILE [--scheduler
tcp://host:port | --workers N | --sync] --out DIR`` prices a scenario in every district of
a statewide collection (``docs/statewide.md``) on Dask and writes the ledger and its views. A bad file never produces a traceback: one line per problem on
standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .calendar import FiscalYearError, fiscal_year_label, parse_fiscal_year
from .costing import CostingError, combined_ledger
from .district import District
from .engine import PricingError, PricingOptions, price
from .health import HealthFundError
from .io import CDEEnrollmentError
from .lausd import LAUSD_BASE_YEARS, price_lausd
from .proposals import ProposalError, SelectorError
from .rates import RatesError
from .reserves import ReservesError
from .scenario_file import ScenarioFileError, read_scenario
from .schedules import ScheduleError, read_schedules
from .statewide.source import StatewideError
from .workforce import WorkforceError, read_workforce

__all__ = ["main"]

USER_ERRORS = (
    WorkforceError,
    ScenarioFileError,
    ScheduleError,
    RatesError,
    PricingError,
    ProposalError,
    SelectorError,
    FiscalYearError,
    CostingError,
    CDEEnrollmentError,
    HealthFundError,
    ReservesError,
    StatewideError,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line message, no usage dump
        self.print_usage(sys.stderr)
        print(f"costing: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="costing", description="Price collective-bargaining proposals for a school district.")
    sub = p.add_subparsers(dest="command", required=True)
    pr = sub.add_parser("price", help="price scenario files and write the ledger")
    pr.add_argument("scenarios", nargs="+", type=Path, help="scenario TOML files")
    pr.add_argument("--workforce", type=Path, help="workforce CSV (default: the bundled district)")
    pr.add_argument("--schedules", type=Path, help="salary schedule CSV for --workforce")
    pr.add_argument("--rates", type=Path, help="dated rates CSV (default: the bundled statutory rates)")
    pr.add_argument("--base-year", help="fiscal year the workforce describes, e.g. 2024-25 "
                    "(default with --workforce: the year before the earliest scenario start)")
    pr.add_argument("--turnover", type=float, default=0.0, help="share of scheduled staff replaced at the lowest step each July 1")
    pr.add_argument("--enrollment", type=Path, help="a CDE census-day enrollment file (cdenroll) that "
                    "replaces the bundled LAUSD schools table (imputed enrollment)")
    pr.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    rp = sub.add_parser("report", help="price scenarios and write every table, figure and the workbook")
    rp.add_argument("--scenarios", type=Path, default=None,
                    help="folder of scenario files (default: the bundled data/scenarios)")
    rp.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    rp.add_argument("--quiet", action="store_true", help="no progress bar")
    rp.add_argument("--no-notebooks", action="store_true",
                    help="do not execute the analysis notebooks (the slow part of the report)")
    sw = sub.add_parser("statewide", help="price a scenario in every district of a statewide collection, on Dask")
    sw.add_argument("--data", type=Path, required=True,
                    help="the collection's folder (scripts/generate_statewide.py writes one)")
    sw.add_argument("--scenario", type=Path, action="append", required=True,
                    help="scenario TOML file (repeat for several)")
    where = sw.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                       "(default: a local cluster started for the run)")
    where.add_argument("--sync", action="store_true", help="no cluster: price every district in this process")
    sw.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default 2)")
    sw.add_argument("--districts", nargs="+", help="price only these district ids")
    sw.add_argument("--reserves-years", type=int, default=3,
                    help="fiscal years of each district's reserve projection (default 3)")
    sw.add_argument("--out", type=Path, default=Path("out/statewide"), help="output folder (default: out/statewide)")
    va = sub.add_parser("validate", help="check a workforce CSV, schedule CSV or scenario file")
    va.add_argument("file", type=Path)
    va.add_argument("--schedules", type=Path, help="schedule CSV to check a workforce's placements against")
    return p


def _problems(exc: Exception) -> list[str]:
    return list(getattr(exc, "problems", None) or str(exc).splitlines())


def _fail(problems: Sequence[str]) -> int:
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return 2


def _cmd_price(args: argparse.Namespace) -> int:
    scenarios = []
    problems: list[str] = []
    for path in args.scenarios:
        try:
            scenarios.append(read_scenario(path))
        except ScenarioFileError as exc:
            problems.extend(exc.problems)
    if problems:
        return _fail(problems)
    options = PricingOptions(turnover=args.turnover)
    out_dir = Path(args.out)
    if args.workforce is not None:
        base = args.base_year
        if base is None:
            base = fiscal_year_label(min(parse_fiscal_year(s.start) for s in scenarios) - 1)
        district = District.from_files(args.workforce, base_year=base, rates=args.rates, schedules=args.schedules)
        results = {district.base_year: price(scenarios, district, options)}
        names = {district.base_year: district.name}
    else:
        if args.schedules or args.rates or args.base_year:
            return _fail(["--schedules, --rates and --base-year go with --workforce"])
        results = price_lausd(scenarios, options, enrollment=args.enrollment)
        names = {base: "Los Angeles Unified (bundled; synthetic workforce)" if base in LAUSD_BASE_YEARS
                 else "Los Angeles Unified (health policies priced from their own terms, no workforce)"
                 for base in results}
    ledger = combined_ledger(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "costs.csv"
    ledger.to_csv(out, index=False)
    for base, result in results.items():
        print(f"{names[base]}, base year {base}: {len(result.scenarios)} scenario(s)")
        print("Cost by fiscal year (dollars, incremental over the status quo):")
        print(result.summary())
        print()
    print(f"ledger: {out} ({len(ledger):,} rows)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .district import data_dir
    from .report import build_report

    folder = args.scenarios or (data_dir() / "scenarios")
    files = sorted(Path(folder).glob("*.toml"))
    if not files:
        return _fail([f"{folder}: no scenario files (*.toml)"])
    problems: list[str] = []
    for path in files:
        try:
            read_scenario(path)
        except ScenarioFileError as exc:
            problems.extend(exc.problems)
    if problems:
        return _fail(problems)
    index = build_report(files, args.out, progress=not args.quiet, notebooks=not args.no_notebooks)
    by_year = pd.read_csv(Path(args.out) / "tables" / "cost-by-year.csv")
    years = [c for c in by_year.columns if c[:4].isdigit()]
    print("Cost by fiscal year ($ millions, incremental over the status quo):")
    for base, group in by_year.groupby("base year", sort=True):
        table = group.set_index("scenario")[years].dropna(axis=1, how="all") / 1e6
        print(f"\nbase year {base}")
        print(table.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}").to_string())
    print(f"\nreport: {index} ({len(files)} scenario files; tables, workbook, figures beside it)")
    return 0


def _cmd_statewide(args: argparse.Namespace) -> int:
    from .statewide import load_statewide, price_statewide

    scenarios, problems = [], []
    for path in args.scenario:
        try:
            scenarios.append(read_scenario(path))
        except ScenarioFileError as exc:
            problems.extend(exc.problems)
    if args.workers < 1:
        problems.append(f"--workers must be at least 1, got {args.workers}")
    if args.reserves_years < 1:
        problems.append(f"--reserves-years must be at least 1, got {args.reserves_years}")
    if problems:
        return _fail(problems)
    state = load_statewide(args.data, args.districts)
    result = price_statewide(scenarios, state, client="sync" if args.sync else None, scheduler=args.scheduler,
                             workers=args.workers, reserves_years=args.reserves_years)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "costs.csv": result.ledger,
        "cost-by-district.csv": result.cost_by_district(),
        "total.csv": result.total().reset_index(),
        "cost-per-student.csv": result.cost_per_student(),
        "below-minimum.csv": result.below_minimum(),
        "reserves.csv": result.reserves,
        "failed.csv": result.failed,
        "skipped.csv": result.skipped,
    }
    for name, table in tables.items():
        table.to_csv(out / name, index=False)
    where = args.scheduler or ("this process" if args.sync else f"a local cluster of {args.workers} worker(s)")
    print(f"{len(state)} district(s) of {args.data} priced on {where}; synthetic data (see data/statewide/README.md)")
    print(result.summary())
    below = result.below_minimum()
    print(f"districts whose reserves fall below the legal minimum: {below['district'].nunique()}")
    if len(result.failed):
        print(f"districts that could not be priced: {len(result.failed)} (see {out / 'failed.csv'})")
    print(f"ledger: {out / 'costs.csv'} ({len(result.ledger):,} rows); views beside it")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    path: Path = args.file
    if path.suffix.lower() == ".toml":
        s = read_scenario(path)
        print(f"{path}: OK, scenario {s.name!r} ({s.party}), {s.start} to {s.end}, {len(s.proposals)} proposal(s)")
        return 0
    try:
        header = pd.read_csv(path, nrows=0).columns
    except FileNotFoundError:
        return _fail([f"{path}: no such file"])
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return _fail([f"{path}: cannot read as CSV: {exc}"])
    if {"schedule", "step", "rate"} <= set(header) and "unit" not in header:
        sch = read_schedules(path)
        print(f"{path}: OK, salary schedule table with {len(sch):,} cells")
        return 0
    sched = read_schedules(args.schedules) if args.schedules else None
    wf = read_workforce(path, schedules=sched)
    print(f"{path}: OK, {len(wf):,} rows, {wf['count'].sum():,.0f} employees, "
          f"units: {', '.join(sorted(wf['unit'].unique()))}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``costing`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "price":
            return _cmd_price(args)
        if args.command == "report":
            return _cmd_report(args)
        if args.command == "statewide":
            return _cmd_statewide(args)
        return _cmd_validate(args)
    except USER_ERRORS as exc:
        return _fail(_problems(exc))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
