"""Monte Carlo in every district: :func:`costing.uncertainty.simulate` per district, on Dask.

The same shape as pricing (:mod:`costing.statewide.pricing`): a module-level task,
:func:`simulate_district`, loads one district, prices the scenarios, and runs
:func:`costing.uncertainty.simulate` against the district's own budget baseline;
:func:`simulate_statewide` maps it over the collection (:func:`map_districts`) and stacks
the tables with a ``district`` column.

Seeds. District ``d`` is simulated with the seed ``SeedSequence([seed, int(d)])``'s first
32-bit word, so its draws depend on ``seed`` and its own id only: never on the batch or
worker that runs it, nor on the other districts in the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..engine import PricingOptions
from ..scenario import Scenario
from .cluster import map_districts
from .collection import Statewide, load_district, load_statewide
from .pricing import _as_list

__all__ = ["StatewideSimulation", "district_seed", "simulate_district", "simulate_statewide"]


def district_seed(seed: int, district: str) -> int:
    """The seed district ``district`` is simulated with: the first word of
    ``numpy.random.SeedSequence([seed, id])`` (ids that are not numbers are hashed by
    their bytes)."""
    d = str(district)
    key = int(d) if d.isdigit() else int.from_bytes(d.encode()[:8], "little")
    return int(np.random.SeedSequence([int(seed), key]).generate_state(1)[0])


def simulate_district(root: str, district: str, scenarios: Sequence[Scenario], assumptions: Mapping | None = None,
                      draws: int = 1000, seed: int = 0, years: int = 3, options: PricingOptions | None = None,
                      validate: bool = False, simulate_options: Mapping | None = None) -> dict[str, Any]:
    """Monte Carlo of one district (the task a worker runs; top-level, plain arguments):
    price ``scenarios``, then :func:`costing.uncertainty.simulate` with the district's
    baseline, ``draws`` draws, the seed :func:`district_seed`. Returns ``{"district",
    "breach", "summary", "percentiles", "error"}`` (tables with a ``district`` column;
    ``error`` the message when the district cannot be simulated)."""
    from ..engine import PricingError, price
    from ..errors import ProposalError
    from ..rates import RatesError
    from ..reserves import ReservesError
    from ..uncertainty import UncertaintyError, simulate
    from ..workforce import WorkforceError
    from .source import StatewideError

    try:
        d, baseline = load_district(root, district, validate=validate)
        costing = price(list(scenarios), d, options)
        sim = simulate(d, costing, assumptions=dict(assumptions) if assumptions else None, draws=int(draws),
                       seed=district_seed(seed, district), baseline=baseline, years=int(years),
                       progress=False, **dict(simulate_options or {}))
        out: dict[str, Any] = {"district": district, "error": ""}
        for name in ("breach", "summary", "percentiles"):
            t = getattr(sim, name).copy()
            t.insert(0, "district", district)
            out[name] = t
        return out
    except (StatewideError, PricingError, ProposalError, RatesError, ReservesError, WorkforceError,
            UncertaintyError) as exc:
        return {"district": district, "breach": None, "summary": None, "percentiles": None,
                "error": f"{type(exc).__name__}: {exc}"}


@dataclass(frozen=True)
class StatewideSimulation:
    """Result of :func:`simulate_statewide`: the per-district tables of
    :class:`costing.uncertainty.Simulation` stacked with a ``district`` column
    (``breach``, ``summary``, ``percentiles``), the districts, the scenarios, ``draws``,
    ``seed`` and ``failed`` (district, error)."""

    breach: pd.DataFrame
    summary: pd.DataFrame
    percentiles: pd.DataFrame
    districts: pd.DataFrame
    scenarios: tuple
    draws: int
    seed: int
    failed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["district", "error"]))

    def breach_by_district(self, test: str = "minimum_reserve") -> pd.DataFrame:
        """Per district and scenario, the probability that the test is breached in some
        year of the projection (the last year's ``cumulative_probability``)."""
        b = self.breach[self.breach["test"] == test]
        if b.empty:
            return pd.DataFrame(columns=["district", "scenario", "probability"])
        last = b.sort_values("fiscal_year").groupby(["district", "scenario"], sort=False).tail(1)
        return (last[["district", "scenario", "cumulative_probability"]]
                .rename(columns={"cumulative_probability": "probability"})
                .sort_values(["probability", "district"], ascending=[False, True]).reset_index(drop=True))


def simulate_statewide(scenarios: Scenario | Sequence[Scenario], statewide: Statewide | str, *,
                       assumptions: Mapping | None = None, draws: int = 1000, seed: int = 0, years: int = 3,
                       client: Any = None, scheduler: str | None = None, workers: int | None = None,
                       options: PricingOptions | None = None, validate: bool | None = None,
                       batches: int | None = None, **simulate_options: Any) -> StatewideSimulation:
    """Monte Carlo of the reserves of every district of ``statewide`` with and without
    ``scenarios`` (:func:`costing.uncertainty.simulate` per district, ``draws`` draws
    each), on Dask as :func:`costing.statewide.price_statewide` runs (``client``,
    ``scheduler``, ``workers``; ``client="sync"`` for one process)."""
    scen = _as_list(scenarios)
    sw = statewide if isinstance(statewide, Statewide) else load_statewide(statewide)
    check = (not sw.validated) if validate is None else bool(validate)
    if client is None and scheduler is None:
        client, scheduler = sw.client, sw.scheduler
    results = map_districts(
        simulate_district, sw,
        (tuple(scen), dict(assumptions) if assumptions else None, int(draws), int(seed), int(years), options, check,
         dict(simulate_options)),
        client=client, scheduler=scheduler, workers=workers, batches=batches)

    def stack(name: str) -> pd.DataFrame:
        parts = [r[name] for r in results if r[name] is not None]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["district"])

    failed = pd.DataFrame([{"district": r["district"], "error": r["error"]} for r in results if r["error"]],
                          columns=["district", "error"])
    return StatewideSimulation(breach=stack("breach"), summary=stack("summary"), percentiles=stack("percentiles"),
                               districts=sw.districts, scenarios=tuple(scen), draws=int(draws), seed=int(seed),
                               failed=failed)
