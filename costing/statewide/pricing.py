"""Price scenarios in every district of a statewide collection, on Dask.

Each district is priced exactly as it would be alone: the worker reads its partitions
(:func:`costing.statewide.load_district`), calls :func:`costing.price` on the
:class:`costing.District`, projects the district's budget baseline with those costs
(:func:`costing.project` with ``baseline=``), and returns the ledger with a ``district``
column and the reserve projection. The results are stacked into one
:class:`StatewideCosting`; its views (cost by district, in total, per student, the
districts whose reserves fall below the legal minimum) are in
:mod:`costing.statewide.views`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..engine import LEDGER_COLUMNS, PricingOptions
from ..scenario import Scenario
from .cluster import map_districts
from .collection import Statewide, load_district, load_statewide
from .source import StatewideError

__all__ = ["RESERVE_COLUMNS", "StatewideCosting", "price_district", "price_statewide"]

#: the reserve projection's columns kept per district (plus ``district``)
RESERVE_COLUMNS = ["scenario", "fiscal_year", "ada", "revenues", "total_expenditures", "scenario_costs",
                   "available_reserves", "minimum_reserve", "margin_above_minimum"]


def price_district(root: str, district: str, scenarios: Sequence[Scenario], options: PricingOptions | None = None,
                   reserves_years: int | None = 3, validate: bool = False) -> dict[str, Any]:
    """Price ``scenarios`` in one district of the collection at ``root`` (the task a
    worker runs; a top-level function, arguments plain data).

    Returns ``{"district", "ledger", "reserves", "error"}``: the ledger
    (:data:`costing.LEDGER_COLUMNS` + ``district``), the reserve projection over
    ``reserves_years`` fiscal years from the baseline's base year (:data:`RESERVE_COLUMNS`
    + ``district``; None: no projection), and ``error``: the message when the district
    cannot be priced (a scenario it cannot honour, a bad partition), so that one bad
    district is reported, never silently dropped, and never stops the state.
    """
    from ..costing import CostingError
    from ..engine import PricingError, price
    from ..errors import ProposalError
    from ..rates import RatesError
    from ..reserves import ReservesError, project
    from ..workforce import WorkforceError

    try:
        d, baseline = load_district(root, district, validate=validate)
        result = price(list(scenarios), d, options)
        ledger = result.ledger.copy()
        ledger.insert(0, "district", district)
        reserves = None
        if reserves_years:
            table = project(d, result, baseline=baseline, years=int(reserves_years)).table
            reserves = table[RESERVE_COLUMNS].copy()
            reserves.insert(0, "district", district)
        return {"district": district, "ledger": ledger, "reserves": reserves, "error": ""}
    except (StatewideError, PricingError, ProposalError, RatesError, ReservesError, WorkforceError,
            CostingError) as exc:
        return {"district": district, "ledger": None, "reserves": None, "error": f"{type(exc).__name__}: {exc}"}


@dataclass(frozen=True)
class StatewideCosting:
    """Result of :func:`price_statewide` (and of ``costing.price(scenario, statewide)``).

    ``ledger``: every district's ledger stacked (``district`` + :data:`costing.LEDGER_COLUMNS`);
    ``reserves``: each district's reserve projection (``district`` + :data:`RESERVE_COLUMNS`);
    ``districts``: the collection's district table (name, enrollment, ...);
    ``failed``: districts that could not be priced, with the reason; ``skipped``: LEAs the
    dataset has no data for, with the reason; ``scenarios``, ``options``.
    """

    ledger: pd.DataFrame
    reserves: pd.DataFrame
    districts: pd.DataFrame
    scenarios: tuple
    failed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["district", "error"]))
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    options: PricingOptions | None = None

    @property
    def scenario_names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def cost_by_district(self, scenario: str | None = None) -> pd.DataFrame:
        from .views import cost_by_district

        return cost_by_district(self, scenario)

    def total(self) -> pd.DataFrame:
        from .views import statewide_total

        return statewide_total(self)

    def cost_per_student(self, scenario: str | None = None) -> pd.DataFrame:
        from .views import cost_per_student

        return cost_per_student(self, scenario)

    def below_minimum(self, scenario: str | None = None) -> pd.DataFrame:
        from .views import below_minimum

        return below_minimum(self, scenario)

    def plot(self, scenario: str | None = None, **kw: Any):
        """The ranked chart (:func:`costing.plot.statewide.ranked_districts`)."""
        from ..plot.statewide import ranked_districts

        return ranked_districts(self, scenario, **kw)

    def summary(self) -> str:
        t = self.total() / 1e6
        return (f"{self.districts.shape[0]} districts priced, {len(self.failed)} failed, {len(self.skipped)} "
                f"skipped (no data)\nCost by fiscal year ($ millions):\n{t.round(1).to_string()}")


def _as_list(scenarios: Scenario | Sequence[Scenario]) -> list[Scenario]:
    if isinstance(scenarios, Scenario):
        return [scenarios]
    out = list(scenarios)
    bad = [s for s in out if not isinstance(s, Scenario)]
    if bad or not out:
        raise StatewideError(f"expected a Scenario or a list of them, got {scenarios!r}")
    return out


def price_statewide(scenarios: Scenario | Sequence[Scenario], statewide: Statewide | str, *, client: Any = None,
                    scheduler: str | None = None, workers: int | None = None,
                    options: PricingOptions | None = None, reserves_years: int | None = 3,
                    validate: bool | None = None, batches: int | None = None) -> StatewideCosting:
    """Price ``scenarios`` in every district of ``statewide`` (a :class:`Statewide` or
    its folder) on Dask: by default a LocalCluster of ``workers`` processes (2), or the
    cluster of ``client`` / at ``scheduler`` (``tcp://host:port``), or this process with
    ``client="sync"`` (see :func:`costing.statewide.map_districts`); when neither is given,
    those set on the collection with :meth:`Statewide.using`.

    Every district is priced as :func:`costing.price` prices it alone, so the stacked
    ledger equals the per-district ledgers to the cent. ``reserves_years``: the
    reserve projection's length (None: no projection). ``validate``: re-check each
    workforce on load (default: only when the collection was not validated when it was
    written; see ``manifest.json``).
    """
    scen = _as_list(scenarios)
    sw = statewide if isinstance(statewide, Statewide) else load_statewide(statewide)
    check = (not sw.validated) if validate is None else bool(validate)
    if client is None and scheduler is None:  # the collection's own setting (Statewide.using), if any
        client, scheduler = sw.client, sw.scheduler
    results = map_districts(price_district, sw, (tuple(scen), options, reserves_years, check),
                            client=client, scheduler=scheduler, workers=workers, batches=batches)
    ledgers = [r["ledger"] for r in results if r["ledger"] is not None]
    reserves = [r["reserves"] for r in results if r["reserves"] is not None]
    failed = pd.DataFrame([{"district": r["district"], "error": r["error"]} for r in results if r["error"]],
                          columns=["district", "error"])
    ledger = (pd.concat(ledgers, ignore_index=True) if ledgers
              else pd.DataFrame(columns=["district", *LEDGER_COLUMNS]))
    res = (pd.concat(reserves, ignore_index=True) if reserves
           else pd.DataFrame(columns=["district", *RESERVE_COLUMNS]))
    return StatewideCosting(ledger=ledger, reserves=res, districts=sw.districts, scenarios=tuple(scen),
                            failed=failed, skipped=sw.skipped, options=options)
