"""Uncertainty and sensitivity: Monte Carlo over the projection's assumptions, the chance
of breaching the legal minimum reserve (or a health reserve's floor), and one-at-a-time
swings for a tornado chart.

A single projected line invites the reply "your assumptions are wrong". Here each
assumption can be given a distribution (:mod:`costing.distributions`), and
:func:`simulate` runs the projection of :func:`costing.reserves.project` for every draw at
once: every array carries a leading draw axis, no Python loop runs over draws.

Assumptions (:data:`ASSUMPTIONS`; percent in files, fractions in code) and how each
enters (year ``t``, base year ``0``):

=====================  ===============================================================
``lcff_cola``          the funded COLA into years 1..T-1 (central: the dated
                       ``lcff_cola_funded``); LCFF revenue grows with it
``ada_change``         ADA's change into years 1..T-1 (central: the baseline's ADA path);
                       ADA = baseline ADA x ``prod (1 + a_k) / (1 + a_bar_k)``: moves
                       LCFF revenue through funded ADA and the minimum-reserve band
``revenue_growth``     growth of every ongoing revenue line beyond its rule (central 0)
``expenditure_growth`` growth of ongoing spending (central: the baseline's)
``step_and_column``    payroll drift beyond the projection's assumptions (central 0):
                       multiplies growing spending *and* every scenario's cost by
                       ``prod (1 + s_k)`` (a raise costs more when the payroll it applies
                       to grows faster)
``health_trend``       premium trend of a simulated health fund (central: the fund's)
``turnover``           the engine's turnover rate (one draw per simulation; central: the
                       costing's); scenario costs are priced by the engine at a few
                       values (``turnover_nodes``) and interpolated linearly per draw
``forecast_error``     dollars added to the year-end unrestricted balance at horizon
                       ``t`` (central 0), e.g. resampled from the district's own
                       forecasting record (:func:`forecast_error_distribution`)
=====================  ===============================================================

Reproducibility. Draws come in blocks of :data:`BLOCK` draws; block ``b`` of assumption
``a`` is drawn from ``SeedSequence([seed, b, crc32(a)])``. So a run is the same bit for
bit at a fixed seed whatever the chunk size, and adding an assumption leaves the others'
draws unchanged. Every scenario sees the same draws (common random numbers).

Memory. Draws are processed ``chunk_draws`` at a time. When all draws fit in one chunk
the percentiles are exact (``numpy.percentile``, linear interpolation); otherwise a
second pass over the same (regenerated) draws fills a histogram of :data:`BINS` bins
between each cell's exact minimum and maximum, and the percentiles are read from it
(``Simulation.resolution``: the bin width, in dollars). Means, standard deviations,
minima, maxima and breach probabilities are exact either way.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .distributions import (
    DISTRIBUTIONS,
    Distribution,
    DistributionError,
    Fixed,
    Resample,
    from_table,
)
from .reserves import (
    BASELINE_NAME,
    Baseline,
    ForecastErrors,
    Prepared,
    Reserves,
    ReservesError,
    _bundled_assumptions,
    _prepare,
    evaluate,
    lausd_baseline,
    project,
    read_baseline,
)

if TYPE_CHECKING:  # pragma: no cover
    from .costing import Costing
    from .district import District

__all__ = [
    "ASSUMPTIONS",
    "BINS",
    "BLOCK",
    "ByHorizon",
    "ForecastRecord",
    "DEFAULT_PERCENTILES",
    "Assumption",
    "Sensitivity",
    "Simulation",
    "UncertaintyError",
    "forecast_error_distribution",
    "read_assumptions",
    "sensitivity",
    "simulate",
]

BLOCK = 4096
BINS = 4096
DEFAULT_PERCENTILES = (5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0)
#: measures summarised for each scenario and year (``available_reserves`` is the
#: unrestricted balance less a constant, so its percentiles are those shifted)
MEASURES = ("ending_balance", "unrestricted_balance", "minimum_reserve", "margin_above_minimum", "scenario_costs")


class UncertaintyError(ValueError):
    """A simulation or sensitivity run that cannot be honoured; the message names the
    input."""


@dataclass(frozen=True)
class Assumption:
    """What an assumption is and how it reads from files: ``label`` (readable),
    ``unit`` in files (``percent`` | ``dollars``), ``scale`` (file unit to code: 0.01 for
    percent), ``per_year`` (rates into years 1..T-1, or levels in years 0..T-1, or one
    value for the run)."""

    label: str
    unit: str
    scale: float
    per_year: str  # "growth" (T-1), "level" (T), "run" (1)


ASSUMPTIONS: dict[str, Assumption] = {
    "lcff_cola": Assumption("LCFF COLA (funded)", "percent", 0.01, "growth"),
    "ada_change": Assumption("ADA change", "percent", 0.01, "growth"),
    "revenue_growth": Assumption("Revenue growth beyond the COLA", "percent", 0.01, "growth"),
    "expenditure_growth": Assumption("Expenditure growth", "percent", 0.01, "growth"),
    "step_and_column": Assumption("Step-and-column drift", "percent", 0.01, "growth"),
    "health_trend": Assumption("Health premium trend", "percent", 0.01, "growth"),
    "turnover": Assumption("Turnover", "percent", 0.01, "run"),
    "forecast_error": Assumption("District forecast error", "dollars", 1.0, "level"),
}


# ============================================================================ by horizon
@dataclass(frozen=True, kw_only=True)
class ByHorizon(Distribution):
    """One distribution per horizon (year ``t`` of the projection uses ``parts[t]``),
    e.g. the district's past forecast errors one, two, three years out.

    >>> d = ByHorizon(parts=(Resample(values=(1.0,)), Resample(values=(2.0, 4.0))))
    >>> d.quantile(0.75, np.zeros(2)).tolist()
    [1.0, 4.0]
    """

    kind = "by_horizon"
    uses = "uniform"
    parts: tuple

    def __post_init__(self) -> None:
        super().__post_init__()
        parts = tuple(self.parts)
        if not parts or not all(isinstance(p, Distribution) for p in parts):
            raise DistributionError("by_horizon: parts must be a non-empty list of distributions")
        if any(p.uses != "uniform" for p in parts):
            raise DistributionError("by_horizon: every part must be a uniform-based distribution "
                                    "(resample, uniform, triangular)")
        object.__setattr__(self, "parts", parts)

    def _check(self, T: int) -> None:
        if T > len(self.parts):
            raise DistributionError(f"by_horizon: {len(self.parts)} horizon(s) given, the projection needs {T}")

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        center = np.asarray(center, float)
        T = center.shape[-1] if center.ndim else 1
        self._check(T)
        std = np.broadcast_to(np.asarray(std, float), np.broadcast_shapes(np.shape(std), center.shape))
        out = np.empty(std.shape)
        for t in range(T):  # a loop over the few horizons, not the draws
            out[..., t] = self.parts[t].transform(std[..., t], center[..., t])
        return out

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        center = np.atleast_1d(np.asarray(center, float))
        self._check(center.shape[-1])
        return np.array([self.parts[t].mean(center[..., t]) for t in range(center.shape[-1])]).T

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        center = np.atleast_1d(np.asarray(center, float))
        self._check(center.shape[-1])
        return np.array([self.parts[t].variance(center[..., t]) for t in range(center.shape[-1])]).T


@dataclass(frozen=True, kw_only=True)
class ForecastRecord(Distribution):
    """The district's own forecasting record, resampled by horizon: a placeholder,
    resolved by :func:`simulate` against the district's projection history into a
    :class:`ByHorizon` (:func:`forecast_error_distribution`). In files::

        [assumptions.forecast_error]
        distribution = "forecast_record"
        measures = ["unrestricted_ending_balance", "general_fund_ending_balance"]
        fill = "nearest"
    """

    kind = "forecast_record"
    uses = "uniform"
    measures: tuple = ()
    fill: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.measures, str) or not self.measures:
            raise DistributionError("forecast_record: measures must be a non-empty list of measure names")
        object.__setattr__(self, "measures", tuple(str(m) for m in self.measures))
        if self.fill not in (None, "nearest"):
            raise DistributionError(f"forecast_record: fill must be 'nearest' or absent, got {self.fill!r}")

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        raise DistributionError("forecast_record is resolved against a district's history by simulate(); "
                                "call forecast_error_distribution() to sample it directly")

    def resolve(self, history: Any, horizons: int) -> ByHorizon:
        from .reserves import forecast_errors

        return forecast_error_distribution(forecast_errors(history), self.measures, horizons, self.fill)


DISTRIBUTIONS[ForecastRecord.kind] = ForecastRecord


def forecast_error_distribution(record: ForecastErrors, measures: Sequence[str], horizons: int,
                                fill: str | None = None) -> ByHorizon:
    """Resample the district's own closed forecast errors (actual - projected, dollars)
    by horizon: year ``t`` of a projection draws from the errors made ``t`` years out,
    pooled over ``measures``. A horizon with no closed error is an error unless
    ``fill="nearest"`` (use the nearest horizon that has some; stated in the result's
    ``describe``).

    >>> from costing.reserves import forecast_errors
    >>> h = pd.DataFrame({"made_in": ["2015-16", "2017-18"], "fiscal_year": ["2017-18", "2017-18"],
    ...                   "measure": "x", "projected": [105e6, 1.7e9], "actual": [1.863e9, 1.863e9]})
    >>> d = forecast_error_distribution(forecast_errors(h), ["x"], 3, fill="nearest")
    >>> [p.values for p in d.parts]  # horizon 1 borrows horizon 0 (the nearer, then the lower)
    [(163000000.0,), (163000000.0,), (1758000000.0,)]
    """
    e = record.errors
    e = e[e["closed"] & e["measure"].isin(list(measures))]
    if e.empty:
        raise UncertaintyError(f"no closed forecast errors for measure(s) {', '.join(measures)}; have "
                               f"{', '.join(sorted(record.errors.loc[record.errors['closed'], 'measure'].unique()))}")
    by = {int(h): tuple(float(x) for x in g["error"]) for h, g in e.groupby("horizon")}
    parts = []
    for t in range(int(horizons)):
        if t in by:
            parts.append(Resample(values=by[t]))
            continue
        if fill != "nearest":
            raise UncertaintyError(f"the forecasting record has no closed error {t} year(s) out for "
                                   f"{', '.join(measures)} (have horizons {sorted(by)}); pass fill='nearest' to "
                                   "borrow the nearest horizon's errors")
        nearest = min(by, key=lambda h: (abs(h - t), h))
        parts.append(Resample(values=by[nearest]))
    return ByHorizon(parts=tuple(parts))


def read_assumptions(source: str | Mapping[str, Any], where: str = "<assumptions>") -> dict[str, Distribution]:
    """``{name: Distribution}`` from a TOML file's ``[assumptions.<name>]`` tables (a path
    or the parsed ``assumptions`` table). Values in the assumption's file unit (percent
    for rates, dollars for ``forecast_error``).

    >>> read_assumptions({"lcff_cola": {"distribution": "normal", "sd": 1.0}})["lcff_cola"].sd
    0.01
    """
    if isinstance(source, str) or hasattr(source, "read_text"):
        import tomllib
        from decimal import Decimal
        from pathlib import Path

        path = Path(source)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UncertaintyError(f"{path}: cannot read: {exc}") from exc
        where = str(path)
        table = data.get("assumptions", {})
    else:
        table = source
    out = {}
    problems = []
    for name, spec in table.items():
        if name not in ASSUMPTIONS:
            problems.append(f"{where}: [assumptions.{name}]: unknown assumption; expected one of "
                            f"{', '.join(ASSUMPTIONS)}")
            continue
        try:
            out[name] = from_table(spec, scale=ASSUMPTIONS[name].scale, where=f"{where}: [assumptions.{name}]")
        except DistributionError as exc:
            problems.append(str(exc))
    if problems:
        raise UncertaintyError("\n".join(problems))
    return out


# ============================================================================ the model
def _seed_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def _draw(dist: Distribution, name: str, seed: int, start: int, stop: int, center: np.ndarray) -> np.ndarray:
    """Draws ``start..stop`` of assumption ``name``: whole blocks are generated (block
    ``b`` from ``SeedSequence([seed, b, crc32(name)])``) and cut, so a draw's value never
    depends on how the run is chunked."""
    first, last = start // BLOCK, (stop - 1) // BLOCK
    parts = []
    for b in range(first, last + 1):  # a loop over blocks of 4,096 draws
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), b, _seed_key(name)]))
        parts.append(dist.sample(rng, BLOCK, center))
    allv = np.concatenate(parts, axis=0) if len(parts) > 1 else parts[0]
    return allv[start - first * BLOCK: stop - first * BLOCK]


@dataclass
class _Model:
    """Everything a chunk of draws needs: the prepared projection, the assumptions with
    their central values, the turnover cost grid and the health funds."""

    prep: Prepared
    dists: dict[str, Distribution]
    centers: dict[str, np.ndarray]
    turnover_nodes: np.ndarray | None = None  # (K,)
    turnover_cost: np.ndarray | None = None  # (K, S, T)
    turnover_cost_u: np.ndarray | None = None
    health: dict[str, Any] = field(default_factory=dict)  # name -> HealthFund
    health_years: dict[str, list[str]] = field(default_factory=dict)
    health_centers: dict[str, np.ndarray] = field(default_factory=dict)
    projection: dict[str, Any] = field(default_factory=dict)  # the options the projection was prepared with

    def values(self, seed: int, start: int, stop: int) -> dict[str, np.ndarray]:
        return {name: _draw(d, name, seed, start, stop, self.centers[name])
                for name, d in self.dists.items() if name != "health_trend"}

    def run(self, v: Mapping[str, np.ndarray], lean: bool = False) -> dict[str, np.ndarray]:
        """The projection for the given assumption values (each with a *leading* draw
        axis, as sampled); the result has the draw axis last (:func:`evaluate`)."""
        kw: dict[str, Any] = {}
        for name, arg in (("lcff_cola", "cola"), ("expenditure_growth", "expenditure_growth"),
                          ("revenue_growth", "revenue_growth"), ("step_and_column", "step_and_column"),
                          ("forecast_error", "forecast_error")):
            if name in v:
                kw[arg] = np.ascontiguousarray(np.asarray(v[name], float).T)
        if "ada_change" in v:
            a, abar = np.asarray(v["ada_change"], float).T, self.centers["ada_change"][:, None]
            ratio = (1.0 + a) / (1.0 + abar)
            kw["ada_factor"] = np.concatenate([np.ones((1, a.shape[1])), np.cumprod(ratio, axis=0)], axis=0)
        if "turnover" in v and self.turnover_nodes is not None:
            x = np.asarray(v["turnover"], float).reshape(-1)
            kw["cost"] = _interp(x, self.turnover_nodes, self.turnover_cost)
            kw["cost_unrestricted"] = _interp(x, self.turnover_nodes, self.turnover_cost_u)
        return evaluate(self.prep, lean=lean, **kw)


def _interp(x: np.ndarray, nodes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Piecewise-linear interpolation of ``values`` (K, S, T) at ``x`` (D,) -> (S, T, D),
    extrapolating linearly beyond the end nodes (the cost of turnover is smooth)."""
    x = np.asarray(x, float).reshape(-1)
    v = np.moveaxis(values, 0, -1)  # (S, T, K)
    if len(nodes) == 1:
        return np.repeat(v, len(x), axis=-1)
    k = np.clip(np.searchsorted(nodes, x, side="right") - 1, 0, len(nodes) - 2)
    w = (x - nodes[k]) / (nodes[k + 1] - nodes[k])
    return v[..., k] * (1.0 - w) + v[..., k + 1] * w


def _check_growth_draws(name: str, arr: np.ndarray) -> None:
    if np.any(arr <= -1):
        raise UncertaintyError(f"{name}: a draw at or below -100% (the distribution is too wide for a growth rate)")


# ============================================================================ results
@dataclass(frozen=True)
class Simulation:
    """Result of :func:`simulate`.

    * ``percentiles``: ``scenario, fiscal_year, measure, percentile, value`` (long), for
      the measures of :data:`MEASURES` plus ``available_reserves`` and, for each
      simulated health fund, ``health_reserve`` and ``health_floor``.
    * ``summary``: ``scenario, fiscal_year, measure, mean, sd, min, max`` (exact).
    * ``breach``: ``scenario, fiscal_year, test, probability, cumulative_probability,
      draws``: ``test`` is ``minimum_reserve`` (available reserves below the legal
      minimum at year end) or ``health_floor`` (the health reserve below its floor,
      before any refill); ``cumulative_probability``: in that year or an earlier one.
    * ``deterministic``: the projection at the central values (a :class:`Reserves`).
    * ``resolution``: 0 when percentiles are exact, else the largest histogram bin width
      (dollars).
    """

    percentiles: pd.DataFrame
    summary: pd.DataFrame
    breach: pd.DataFrame
    deterministic: Reserves
    scenario_names: list
    fiscal_years: tuple
    draws: int
    seed: int
    assumptions: dict
    resolution: float = 0.0
    health_names: tuple = ()

    @property
    def source(self) -> str:
        parts = [f"{name}: {d.describe(100.0 if ASSUMPTIONS[name].unit == 'percent' else 1.0, '%' if ASSUMPTIONS[name].unit == 'percent' else '')}"
                 for name, d in self.assumptions.items()]
        return f"Monte Carlo, {self.draws:,} draws, seed {self.seed}; " + "; ".join(parts)

    def percentile_table(self, measure: str = "unrestricted_balance") -> pd.DataFrame:
        """One measure wide: rows ``scenario, fiscal_year``, a column per percentile."""
        p = self.percentiles[self.percentiles["measure"] == measure]
        if p.empty:
            raise UncertaintyError(f"no measure {measure!r}; have {', '.join(self.percentiles['measure'].unique())}")
        wide = p.pivot_table(index=["scenario", "fiscal_year"], columns="percentile", values="value", sort=False)
        wide.columns = [f"p{c:g}" for c in wide.columns]
        return wide.reset_index()

    def breach_table(self, test: str = "minimum_reserve") -> pd.DataFrame:
        """Breach probability, scenarios as rows and fiscal years as columns."""
        b = self.breach[self.breach["test"] == test]
        if b.empty:
            raise UncertaintyError(f"no breach test {test!r}; have {', '.join(self.breach['test'].unique())}")
        order = list(dict.fromkeys(b["scenario"]))
        return b.pivot(index="scenario", columns="fiscal_year", values="probability").reindex(order)

    def plot(self, measure: str = "unrestricted_balance", scenarios: Sequence[str] | None = None):
        """The fan chart (:func:`costing.plot.fan_chart`)."""
        from .plot import fan_chart

        return fan_chart(self, measure=measure, scenarios=scenarios)


@dataclass(frozen=True)
class Sensitivity:
    """Result of :func:`sensitivity`: ``table`` sorted by ``swing`` (largest first) with
    ``assumption, label, low, high, unit, outcome_low, outcome_high, swing, elasticity,
    per_unit`` (``low``/``high`` in code units: fractions for rates; ``elasticity``:
    percent change in the outcome (relative to its absolute size) per percent change in
    the assumption at its central values, NaN where they are 0; ``per_unit``: change in the outcome per 1 percentage
    point (rates) or per dollar); ``base`` (outcome at the central values) and
    ``outcome`` (what was measured)."""

    table: pd.DataFrame
    base: float
    outcome: str
    quantiles: tuple

    @property
    def source(self) -> str:
        lo, hi = self.quantiles
        return (f"One at a time: each assumption at its {lo * 100:g}th and {hi * 100:g}th percentile in every "
                "year, the others at their central values")

    def plot(self, top: int | None = None):
        """The tornado chart (:func:`costing.plot.tornado`)."""
        from .plot import tornado

        return tornado(self, top=top)


# ============================================================================ set-up
def _resolve_baseline(district: Any, baseline: Any) -> Baseline:
    if baseline is None:
        if district is not None and getattr(district, "name", "") != "Los Angeles Unified":
            raise UncertaintyError(f"no bundled budget baseline for {district.name!r}; pass baseline=")
        return lausd_baseline()
    return baseline if isinstance(baseline, Baseline) else read_baseline(baseline)


def _scenario_assumptions(costing: Any) -> dict[str, Distribution]:
    """Distributions named in the priced scenarios' ``[assumptions.*]`` tables; the same
    assumption in two scenarios must carry the same distribution."""
    out: dict[str, Distribution] = {}
    owner: dict[str, str] = {}
    items = costing.values() if isinstance(costing, Mapping) else (costing if isinstance(costing, list | tuple)
                                                                    else [costing])
    for c in items:
        for s in getattr(c, "scenarios", ()):
            for name, d in dict(getattr(s, "assumptions", ()) or ()).items():
                if name in out and out[name] != d:
                    raise UncertaintyError(f"scenarios {owner[name]!r} and {s.name!r} give assumption {name!r} "
                                           "different distributions; a simulation draws one set of assumptions for "
                                           "every scenario (pass assumptions= to choose)")
                out[name] = d
                owner[name] = s.name
    return out


def _single_costing(costing: Any) -> Any:
    if hasattr(costing, "ledger") and hasattr(costing, "options"):
        return costing
    if isinstance(costing, Mapping) and len(costing) == 1:
        return next(iter(costing.values()))
    raise UncertaintyError("turnover can be simulated only for one Costing priced against the district given "
                           "(its scenarios are repriced at a few turnover rates)")


def _turnover_grid(dist: Distribution, costing: Any, district: Any, prep: Prepared, nodes: int,
                   proj_kwargs: Mapping[str, Any], values: Sequence[float] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reprice the costing's scenarios at ``nodes`` turnover rates spanning the
    distribution (its 0.1th to 99.9th percentile) -> (nodes, cost (K,S,T), unrestricted)."""
    from .engine import price

    c = _single_costing(costing)
    if district is None:
        raise UncertaintyError("turnover: pass the district the costing was priced against")
    if c.base_year != district.base_year:
        raise UncertaintyError(f"turnover: the costing's base year {c.base_year} is not the district's "
                               f"{district.base_year}; price the scenarios against this district")
    if values is None:
        q = np.linspace(0.001, 0.999, max(int(nodes), 2))
        values = np.unique(np.concatenate([dist.quantile(float(x), np.array([c.options.turnover])) for x in q]))
    values = np.asarray(values, float)
    if np.any(values < 0) or np.any(values >= 1):
        raise UncertaintyError(f"turnover: the distribution reaches {values.min():.4f} to {values.max():.4f}; "
                               "turnover must be at least 0 and below 1")
    costs, costs_u = [], []
    for x in values:  # a few engine runs, not one per draw
        result = price(list(c.scenarios), district, options=dataclasses.replace(c.options, turnover=float(x)))
        p = _prepare(prep.baseline, result, **proj_kwargs)
        costs.append(p.cost)
        costs_u.append(p.cost_unrestricted)
    return values, np.array(costs), np.array(costs_u)


def _health_funds(health: Any) -> dict[str, Any]:
    from .health import HealthFund

    if health is None:
        return {}
    if isinstance(health, HealthFund):
        return {"health fund": health}
    if isinstance(health, Mapping) and all(isinstance(v, HealthFund) for v in health.values()):
        return dict(health)
    raise UncertaintyError("health must be a HealthFund or {name: HealthFund}")


def _setup(district: Any, costing: Any, *, assumptions: Mapping[str, Distribution] | None, baseline: Any,
           years: int, health: Any, health_years: int | None, turnover_nodes: int,
           proj_kwargs: dict[str, Any]) -> tuple[_Model, Reserves, dict[str, Distribution]]:
    from .engine import price
    from .scenario import Scenario

    if isinstance(costing, Scenario) or (isinstance(costing, list | tuple) and costing
                                         and all(isinstance(s, Scenario) for s in costing)):
        if district is None:
            raise UncertaintyError("pass the district to price the scenarios against")
        costing = price(list(costing) if isinstance(costing, list | tuple) else costing, district)
    dists = dict(_scenario_assumptions(costing) if costing is not None else {})
    dists.update(assumptions or {})
    for name, d in dists.items():
        if name not in ASSUMPTIONS:
            raise UncertaintyError(f"unknown assumption {name!r}; expected one of {', '.join(ASSUMPTIONS)}")
        if not isinstance(d, Distribution):
            raise UncertaintyError(f"assumption {name!r}: expected a Distribution, got {d!r}")
    if "turnover" in dists and dists["turnover"].years != "common" and not isinstance(dists["turnover"], Fixed):
        dists["turnover"] = dataclasses.replace(dists["turnover"], years="common")
    base = _resolve_baseline(district, baseline)
    rates = (district.assumptions if district is not None and getattr(district, "assumptions", None) is not None
             else _bundled_assumptions())
    kw = {"assumptions": rates, "years": years, "scenarios": proj_kwargs.pop("scenarios", None),
          "unrestricted_share": proj_kwargs.pop("unrestricted_share", None),
          "expenditure_growth": proj_kwargs.pop("expenditure_growth", None),
          "ada_rule": proj_kwargs.pop("ada_rule", "current"), "cola": proj_kwargs.pop("cola", "lcff_cola_funded"),
          "include_step": proj_kwargs.pop("include_step", False),
          "carry_forward": proj_kwargs.pop("carry_forward", True),
          "hold_designations": proj_kwargs.pop("hold_designations", False)}
    if proj_kwargs:
        raise UncertaintyError(f"unknown option(s) {', '.join(proj_kwargs)}")
    try:
        prep = _prepare(base, costing, **kw)
        deterministic = project(district, costing, baseline=base, **{k: v for k, v in kw.items()
                                                                       if k != "assumptions"},
                                assumptions=rates)
    except ReservesError as exc:
        raise UncertaintyError(str(exc)) from exc
    T = prep.T
    a = prep.ada_series[prep.back:]
    centers = {
        "lcff_cola": prep.cola, "expenditure_growth": prep.expenditure_growth,
        "ada_change": a[1:] / a[:-1] - 1.0, "revenue_growth": np.zeros(T - 1), "step_and_column": np.zeros(T - 1),
        "forecast_error": np.zeros(T),
    }
    if isinstance(dists.get("forecast_error"), ForecastRecord):
        history = getattr(district, "history", None)
        if history is None:
            raise UncertaintyError("forecast_error: forecast_record needs the district's projection history")
        dists["forecast_error"] = dists["forecast_error"].resolve(history, T)
    model = _Model(prep=prep, dists=dists, centers=centers, projection=kw)
    if "turnover" in dists:
        c = _single_costing(costing)
        model.centers["turnover"] = np.array([c.options.turnover])
        if district is None:
            raise UncertaintyError("turnover: pass the district the costing was priced against")
        if not isinstance(dists["turnover"], Fixed) and turnover_nodes > 0:
            model.turnover_nodes, model.turnover_cost, model.turnover_cost_u = _turnover_grid(
                dists["turnover"], costing, district, prep, turnover_nodes, kw)
    funds = _health_funds(health)
    if "health_trend" in dists and not funds:
        raise UncertaintyError("health_trend has a distribution but no health fund was given (health=)")
    for name, fund in funds.items():
        n = int(health_years or years)
        model.health[name] = fund
        model.health_years[name] = list(fund.project(n)["fiscal_year"])
        model.health_centers[name] = fund.trend_matrix(n)
    return model, deterministic, dists


# ============================================================================ simulate
def simulate(district: District | None, costing: Costing | Mapping[str, Costing] | Any = None, *,
             assumptions: Mapping[str, Distribution] | None = None, draws: int = 10_000, seed: int = 0,
             baseline: Baseline | str | None = None, years: int = 3, health: Any = None,
             health_years: int | None = None, percentiles: Sequence[float] = DEFAULT_PERCENTILES,
             chunk_draws: int = 100_000, turnover_nodes: int = 9, progress: bool | None = None,
             **project_options: Any) -> Simulation:
    """Monte Carlo projection of the district's reserves with and without each scenario.

    ``district`` and ``costing`` as for :func:`costing.project` (``costing`` may also be
    a Scenario or a list of them, priced against ``district``); ``assumptions``:
    ``{name: Distribution}`` (:data:`ASSUMPTIONS`; default and merged with the scenarios'
    own ``[assumptions.*]`` tables, these taking precedence); ``health``: a
    :class:`~costing.health.HealthFund` or ``{name: HealthFund}`` whose reserve is
    simulated over ``health_years`` (default ``years``) fiscal years under the drawn
    ``health_trend``. ``project_options`` go to the projection (``ada_rule``,
    ``hold_designations``, ``unrestricted_share``, ...).

    Every draw runs the formulas of :func:`costing.reserves.evaluate`; with every
    assumption at its central value (no spread) the result is the deterministic
    projection exactly. See the module docstring for seeds and chunking.

    ``district`` may also be a :class:`costing.statewide.Statewide` collection, with
    ``costing`` the scenario(s): every district is priced and simulated against its own
    baseline, on Dask (:func:`costing.statewide.simulate_statewide`).
    """
    from tqdm.auto import tqdm

    if getattr(district, "is_statewide", False):  # a costing.statewide collection: every district, on Dask
        from .statewide import simulate_statewide

        if health is not None or baseline is not None:
            raise UncertaintyError("a statewide simulation uses each district's own baseline; health= and "
                                   "baseline= are not supported for a collection")
        return simulate_statewide(costing, district, assumptions=assumptions, draws=draws, seed=seed, years=years,
                                  percentiles=percentiles, chunk_draws=chunk_draws, turnover_nodes=turnover_nodes,
                                  **project_options)
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise UncertaintyError(f"draws must be a whole number, at least 1, got {draws!r}")
    if isinstance(chunk_draws, bool) or not isinstance(chunk_draws, int | np.integer) or chunk_draws < 1:
        raise UncertaintyError(f"chunk_draws must be a whole number, at least 1, got {chunk_draws!r}")
    qs = np.asarray(percentiles, float)
    if qs.ndim != 1 or not len(qs) or np.any((qs < 0) | (qs > 100)):
        raise UncertaintyError(f"percentiles must be numbers from 0 to 100, got {percentiles!r}")
    model, deterministic, dists = _setup(district, costing, assumptions=assumptions, baseline=baseline, years=years,
                                         health=health, health_years=health_years, turnover_nodes=turnover_nodes,
                                         proj_kwargs=dict(project_options))
    prep = model.prep
    chunk = max(BLOCK, (int(chunk_draws) // BLOCK) * BLOCK) if draws > chunk_draws else int(draws)
    bounds = [(s, min(s + chunk, draws)) for s in range(0, draws, chunk)]
    cells, bcells = _cell_index(model)
    passes = 1 if len(bounds) == 1 else 2
    show = (len(bounds) > 1) if progress is None else bool(progress)
    bar = tqdm(total=passes * len(bounds), desc="simulating", unit="chunk", disable=not show, leave=False)

    acc = _Moments()
    breach = np.zeros(len(bcells))
    first_breach = np.zeros(len(bcells))
    exact = None
    for start, stop in bounds:
        blocks, br = _chunk(model, seed, start, stop)
        acc.add(blocks)
        breach += br.sum(axis=1)
        first_breach += _cumulative_breach(br, bcells).sum(axis=1)
        if passes == 1:
            exact = _sorted_percentiles(blocks, qs)  # (Q, C); sorts the blocks in place
        del blocks, br
        bar.update(1)
    resolution = 0.0
    if passes == 2:
        hist = _Histogram(acc.min, acc.max)
        for start, stop in bounds:
            blocks, _ = _chunk(model, seed, start, stop)
            hist.add(blocks)
            del blocks
            bar.update(1)
        exact = hist.percentiles(qs)
        resolution = float(np.max(hist.width)) if len(hist.width) else 0.0
    bar.close()

    pct = _percentile_frame(cells, qs, exact, prep)
    summ = cells.assign(mean=acc.mean, sd=np.sqrt(acc.variance), min=acc.min, max=acc.max)
    summ = pd.concat([summ, _available(summ, prep)], ignore_index=True)
    b = bcells.assign(probability=breach / draws, cumulative_probability=first_breach / draws, draws=int(draws))
    return Simulation(percentiles=pct, summary=summ.reset_index(drop=True), breach=b.reset_index(drop=True),
                      deterministic=deterministic, scenario_names=list(prep.names), fiscal_years=prep.labels,
                      draws=int(draws), seed=int(seed), assumptions=dists, resolution=resolution,
                      health_names=tuple(model.health))


def _cell_index(model: _Model) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The summarised cells (columns of a chunk's value matrix) and breach tests."""
    prep = model.prep
    S, T = prep.S, prep.T
    rows = [pd.DataFrame({"scenario": np.repeat(prep.names, T), "fiscal_year": np.tile(prep.labels, S),
                          "measure": m}) for m in MEASURES]
    brows = [pd.DataFrame({"scenario": np.repeat(prep.names, T), "fiscal_year": np.tile(prep.labels, S),
                           "test": "minimum_reserve"})]
    for name in model.health:
        fy = model.health_years[name]
        for m in ("health_reserve", "health_floor"):
            rows.append(pd.DataFrame({"scenario": name, "fiscal_year": fy, "measure": m}))
        brows.append(pd.DataFrame({"scenario": name, "fiscal_year": fy, "test": "health_floor"}))
    return pd.concat(rows, ignore_index=True), pd.concat(brows, ignore_index=True)


def _chunk(model: _Model, seed: int, start: int, stop: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Blocks of values (each ``(cells, n)``: a measure's scenarios and years, or a health
    fund's years; a block that does not vary across draws is a read-only broadcast) and
    breach indicators ``(tests, n)`` for draws ``start..stop``."""
    n = stop - start
    v = model.values(seed, start, stop)
    for name in ("lcff_cola", "ada_change", "revenue_growth", "expenditure_growth", "step_and_column"):
        if name in v:
            _check_growth_draws(name, v[name])
    r = model.run(v, lean=True)
    S, T = model.prep.S, model.prep.T

    def cells(x: np.ndarray) -> np.ndarray:  # (S*T, n), a view where possible
        if x.shape == (S, T, n) and x.flags.c_contiguous:
            return x.reshape(S * T, n)
        return _flat(np.broadcast_to(x if x.ndim == 3 else x[None], (S, T, n)))

    br = [cells(r["margin_above_minimum"] < 0)]  # available reserves below the minimum
    blocks = [cells(r[m]) for m in MEASURES]
    if model.health:
        dist = model.dists.get("health_trend")
        for name, fund in model.health.items():
            center = model.health_centers[name]
            growth = (_draw(dist, "health_trend", seed, start, stop, center) if dist is not None
                      else np.broadcast_to(center, (n, *center.shape)))
            h = fund.simulate_reserve(growth, len(model.health_years[name]))
            blocks.append(np.ascontiguousarray(h["reserve_end"].T))
            blocks.append(np.broadcast_to(np.full((h["reserve_end"].shape[1], 1), float(fund.floor)),
                                          (h["reserve_end"].shape[1], n)))
            br.append(np.ascontiguousarray(h["below_floor"].T))
    return blocks, np.concatenate(br, axis=0)


def _flat(x: np.ndarray) -> np.ndarray:
    """(S, T, n) -> (S*T, n): a view when the array is contiguous or broadcast along
    draws, a copy otherwise."""
    S, T, n = x.shape
    if x.strides[-1] == 0:  # the same in every draw: keep it a broadcast
        return np.broadcast_to(x[..., :1].reshape(S * T, 1), (S * T, n))
    return x.reshape(S * T, n)


def _constant(block: np.ndarray) -> bool:
    return block.shape[1] > 1 and block.strides[1] == 0


def _cumulative_breach(br: np.ndarray, bcells: pd.DataFrame) -> np.ndarray:
    """Per draw: breached in this year or an earlier one of the same scenario and test."""
    out = br.copy()
    key = (bcells["scenario"] + "\0" + bcells["test"]).to_numpy()
    for k in pd.unique(key):  # a loop over scenarios and tests
        idx = np.flatnonzero(key == k)
        out[idx] = np.logical_or.accumulate(br[idx], axis=0)
    return out


def _sorted_percentiles(blocks: list[np.ndarray], qs: np.ndarray) -> np.ndarray:
    """Exact percentiles of each row of every block (numpy's linear method): rows are
    sorted in place, the blocks shared between two threads (numpy's sort releases the
    GIL); a block that does not vary across draws is its own value."""
    from concurrent.futures import ThreadPoolExecutor

    n = blocks[0].shape[1]
    rank = qs / 100.0 * (n - 1)
    lo = np.floor(rank).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    frac = rank - lo

    def one(block: np.ndarray) -> np.ndarray:
        if _constant(block):
            return np.repeat(block[:, :1], len(qs), axis=1).T
        if not block.flags.writeable or not block.flags.c_contiguous:
            block = np.array(block, order="C")  # a copy we may sort
        block.sort(axis=1)
        a, b = block[:, lo], block[:, hi]
        return (a + (b - a) * frac).T  # exact where a == b

    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(one, blocks))
    return np.concatenate(parts, axis=1)


class _Moments:
    """Count, mean, sum of squared deviations (Chan et al.'s merge), min and max per cell,
    over chunks of blocks."""

    def __init__(self) -> None:
        self.n = 0
        self.mean = self.m2 = self.min = self.max = None

    def add(self, blocks: list[np.ndarray]) -> None:
        means, m2s, mins, maxs = [], [], [], []
        for x in blocks:
            if _constant(x):
                c = x[:, 0]
                means.append(c.copy())
                m2s.append(np.zeros(len(c)))
                mins.append(c.copy())
                maxs.append(c.copy())
                continue
            mb = x.mean(axis=1)
            means.append(mb)
            m2s.append(((x - mb[:, None]) ** 2).sum(axis=1))
            mins.append(x.min(axis=1))
            maxs.append(x.max(axis=1))
        nb = blocks[0].shape[1]
        mb, m2b = np.concatenate(means), np.concatenate(m2s)
        bmin, bmax = np.concatenate(mins), np.concatenate(maxs)
        if self.n == 0:
            self.n, self.mean, self.m2, self.min, self.max = nb, mb, m2b, bmin, bmax
            return
        n = self.n + nb
        delta = mb - self.mean
        self.mean = self.mean + delta * (nb / n)
        self.m2 = self.m2 + m2b + delta ** 2 * (self.n * nb / n)
        self.n = n
        self.min = np.minimum(self.min, bmin)
        self.max = np.maximum(self.max, bmax)

    @property
    def variance(self) -> np.ndarray:
        return self.m2 / (self.n - 1) if self.n > 1 else np.zeros_like(self.m2)


class _Histogram:
    """Counts of every cell's values in :data:`BINS` equal bins between its exact
    minimum and maximum; percentiles read off with linear interpolation inside a bin."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray):
        self.lo = lo
        self.width = (hi - lo) / BINS
        self.counts = np.zeros((len(lo), BINS), dtype=np.int64)

    def add(self, blocks: list[np.ndarray]) -> None:
        row = 0
        for x in blocks:
            C, n = x.shape
            sl = slice(row, row + C)
            row += C
            if _constant(x):
                self.counts[sl, 0] += n
                continue
            w = self.width[sl]
            pos = (x - self.lo[sl, None]) / np.where(w > 0, w, 1.0)[:, None]
            b = np.clip(pos.astype(np.int64), 0, BINS - 1)
            b += (np.arange(C) * BINS)[:, None]
            self.counts[sl] += np.bincount(b.ravel(), minlength=C * BINS).reshape(C, BINS)

    def percentiles(self, qs: np.ndarray) -> np.ndarray:
        N = self.counts[0].sum()
        cum = np.cumsum(self.counts, axis=1)
        out = np.empty((len(qs), len(self.lo)))
        for i, q in enumerate(qs):  # a loop over the few percentiles asked for
            rank = q / 100.0 * (N - 1)  # 0-based rank, as numpy's linear method
            b = (cum <= rank).sum(axis=1)  # the bin holding the value of that rank
            b = np.minimum(b, BINS - 1)
            before = np.where(b > 0, np.take_along_axis(cum, np.maximum(b - 1, 0)[:, None], 1)[:, 0], 0)
            inbin = self.counts[np.arange(len(self.lo)), b]
            frac = np.where(inbin > 0, (rank - before + 0.5) / np.maximum(inbin, 1), 0.5)
            out[i] = np.where(self.width > 0, self.lo + (b + np.clip(frac, 0.0, 1.0)) * self.width, self.lo)
        return out


def _percentile_frame(cells: pd.DataFrame, qs: np.ndarray, values: np.ndarray, prep: Prepared) -> pd.DataFrame:
    Q, C = values.shape
    pct = pd.DataFrame({
        "scenario": np.tile(cells["scenario"].to_numpy(), Q),
        "fiscal_year": np.tile(cells["fiscal_year"].to_numpy(), Q),
        "measure": np.tile(cells["measure"].to_numpy(), Q),
        "percentile": np.repeat(qs, C),
        "value": values.ravel(),
    })
    avail = pct[pct["measure"] == "unrestricted_balance"].assign(measure="available_reserves")
    avail["value"] = avail["value"] - prep.designated
    out = pd.concat([pct, avail], ignore_index=True)
    order = {name: i for i, name in enumerate(dict.fromkeys(cells["scenario"]))}
    key = out["scenario"].map(order)
    return (out.assign(_k=key).sort_values(["measure", "_k", "fiscal_year", "percentile"], kind="stable")
            .drop(columns="_k").reset_index(drop=True))


def _available(summ: pd.DataFrame, prep: Prepared) -> pd.DataFrame:
    a = summ[summ["measure"] == "unrestricted_balance"].assign(measure="available_reserves")
    for col in ("mean", "min", "max"):
        a[col] = a[col] - prep.designated
    return a


# ============================================================================ sensitivity
OUTCOMES = ("ending_balance", "unrestricted_balance", "available_reserves", "minimum_reserve",
            "margin_above_minimum", "scenario_costs", "cumulative_cost", "health_reserve")


def sensitivity(district: District | None, costing: Costing | Mapping[str, Costing] | Any = None, *,
                assumptions: Mapping[str, Distribution] | None = None, outcome: str = "unrestricted_balance",
                fiscal_year: str | None = None, scenario: str | None = None, low: float = 0.1,
                high: float = 0.9, step: float = 0.01, baseline: Baseline | str | None = None, years: int = 3,
                health: Any = None, health_years: int | None = None, **project_options: Any) -> Sensitivity:
    """One-at-a-time swings: each assumption at its ``low`` and ``high`` quantile (default
    the 10th and 90th percentile of its distribution) in every year, the others at their
    central values, and the change in one ``outcome``:

    * a projection measure (``unrestricted_balance``, ``available_reserves``,
      ``margin_above_minimum``, ...) of ``scenario`` (default the baseline) at the end
      of ``fiscal_year`` (default the last projected year);
    * ``scenario_costs`` (that year's cost) or ``cumulative_cost`` (the scenario's cost
      summed over the projection to ``fiscal_year``: "the package's three-year cost");
    * ``health_reserve`` of the health fund named by ``scenario``.

    ``elasticity``: ``(Y(x (1 + h)) - Y(x (1 - h))) / (2 h |Y(x)|)`` with ``h = step``,
    the assumption's central values scaled in every year: the percent change in the
    outcome, relative to its size, per percent change in the assumption; its sign says
    the direction even when the outcome is negative (NaN where the central values are all
    0 or the outcome is 0); ``per_unit``: ``(Y(x + d) - Y(x - d)) / (2 d)`` for ``d`` = half a
    percentage point (rates, reported per point) or $1 (dollars). The rows are sorted by
    swing, largest first.
    """
    if not 0 < low < high < 1:
        raise UncertaintyError(f"need 0 < low < high < 1 (quantiles), got low={low}, high={high}")
    if outcome not in OUTCOMES:
        raise UncertaintyError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    model, deterministic, dists = _setup(district, costing, assumptions=assumptions, baseline=baseline, years=years,
                                         health=health, health_years=health_years, turnover_nodes=0,
                                         proj_kwargs=dict(project_options))
    if not dists:
        raise UncertaintyError("no assumptions with a distribution: nothing to swing")
    prep = model.prep
    pick = _outcome_picker(model, outcome, fiscal_year, scenario)
    names = list(dists)
    # rows: 0 base; then per assumption: low, high, x(1-h), x(1+h), x-d, x+d
    R = 1 + 6 * len(names)
    centers: dict[str, np.ndarray] = {}
    for name in names:
        if name == "health_trend":
            shapes = {model.health_centers[h].shape for h in model.health}
            if len(shapes) > 1:
                raise UncertaintyError("sensitivity to health_trend: give one health fund at a time (these have "
                                       f"different tiers or years: {sorted(shapes)})")
            centers[name] = np.stack([model.health_centers[h] for h in model.health]) if model.health else np.zeros(1)
        else:
            centers[name] = model.centers[name]
    vals = {n: np.broadcast_to(centers[n], (R, *centers[n].shape)).copy() for n in names}
    spec = ASSUMPTIONS
    for i, name in enumerate(names):
        c = centers[name]
        d = 0.005 if spec[name].unit == "percent" else 1.0
        row = 1 + 6 * i
        vals[name][row] = dists[name].quantile(low, c)
        vals[name][row + 1] = dists[name].quantile(high, c)
        vals[name][row + 2] = c * (1 - step)
        vals[name][row + 3] = c * (1 + step)
        vals[name][row + 4] = np.maximum(c - d, 0.0) if name == "turnover" else c - d  # turnover cannot go below 0
        vals[name][row + 5] = c + d
    if "turnover" in names:
        x = vals["turnover"].reshape(R)
        nodes = np.unique(x)
        model.turnover_nodes, model.turnover_cost, model.turnover_cost_u = _turnover_grid(
            dists["turnover"], costing, district, prep, 0, model.projection, values=nodes)
        vals["turnover"] = x
    y = pick(model, vals, R)
    base = float(y[0])
    rows = []
    for i, name in enumerate(names):
        row = 1 + 6 * i
        lo_v, hi_v = dists[name].quantile(low, centers[name]), dists[name].quantile(high, centers[name])
        y_lo, y_hi = float(y[row]), float(y[row + 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            el = (y[row + 3] - y[row + 2]) / (2 * step * abs(base)) if base != 0 and np.any(centers[name] != 0) \
                else np.nan
        dx = float(np.mean(vals[name][row + 5] - vals[name][row + 4]))
        per = (y[row + 5] - y[row + 4]) / dx
        if spec[name].unit == "percent":
            per = per / 100.0  # per percentage point
        rows.append({"assumption": name, "label": spec[name].label, "low": _summary_value(lo_v),
                     "high": _summary_value(hi_v), "unit": "fraction" if spec[name].unit == "percent" else "dollars",
                     "outcome_low": y_lo, "outcome_high": y_hi, "swing": abs(y_hi - y_lo),
                     "elasticity": float(el), "per_unit": float(per)})
    table = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    label = _outcome_label(outcome, fiscal_year or (model.health_years[scenario][-1]
                                                    if outcome == "health_reserve" and scenario in model.health
                                                    else prep.labels[-1]), scenario or BASELINE_NAME)
    return Sensitivity(table=table, base=base, outcome=label, quantiles=(low, high))


def _summary_value(v: np.ndarray) -> float:
    """The value reported for a swing: the mean over years (they differ only where the
    central value differs by year)."""
    v = np.asarray(v, float)
    return float(v.mean()) if v.size else float("nan")


def _outcome_label(outcome: str, fy: str, scenario: str) -> str:
    words = {"cumulative_cost": "cumulative cost to", "scenario_costs": "cost in"}
    what = outcome.replace("_", " ").capitalize()
    if outcome in words:
        return f"{scenario}: {words[outcome]} {fy}"
    return f"{what}, {fy}, {scenario}"


def _outcome_picker(model: _Model, outcome: str, fiscal_year: str | None, scenario: str | None
                    ) -> Callable[[_Model, dict, int], np.ndarray]:
    prep = model.prep
    if outcome == "health_reserve":
        if scenario not in model.health:
            raise UncertaintyError(f"health_reserve: name a simulated health fund as scenario=, have "
                                   f"{', '.join(model.health) or 'none (pass health=)'}")
        fys = model.health_years[scenario]
        fy = fiscal_year or fys[-1]
        if fy not in fys:
            raise UncertaintyError(f"health_reserve: no fiscal year {fy}; have {', '.join(fys)}")
        h_index = list(model.health).index(scenario)

        def pick_health(m: _Model, vals: dict, R: int) -> np.ndarray:
            fund = m.health[scenario]
            g = vals.get("health_trend")
            growth = (g[:, h_index] if g is not None
                      else np.broadcast_to(m.health_centers[scenario], (R, *m.health_centers[scenario].shape)))
            return fund.simulate_reserve(growth, len(fys))["reserve_end"][:, fys.index(fy)]

        return pick_health
    fy = fiscal_year or prep.labels[-1]
    if fy not in prep.labels:
        raise UncertaintyError(f"no fiscal year {fy} in the projection; have {', '.join(prep.labels)}")
    name = scenario or BASELINE_NAME
    if name not in prep.names:
        raise UncertaintyError(f"no scenario {name!r}; have {', '.join(prep.names)}")
    s, t = prep.names.index(name), prep.labels.index(fy)

    def pick(m: _Model, vals: dict, R: int) -> np.ndarray:
        v = {k: x for k, x in vals.items() if k != "health_trend"}
        r = m.run(v)
        if outcome == "cumulative_cost":
            return r["scenario_costs"][s, : t + 1].sum(axis=0)
        arr = r[outcome]
        return arr[s, t] if arr.ndim == 3 else arr[t]

    return pick

