"""Statewide scale: every California LEA, synthetic but calibrated, priced on Dask.

>>> import costing as ct                                            # doctest: +SKIP
>>> from costing.statewide import generate_statewide, load_statewide
>>> generate_statewide("build/statewide/sample", sample=25, seed=1)  # doctest: +SKIP
>>> state = load_statewide("build/statewide/sample")                # doctest: +SKIP
>>> result = ct.price(scenario, state)             # LocalCluster, 2 workers  # doctest: +SKIP
>>> result.total(); result.cost_per_student(); result.below_minimum()         # doctest: +SKIP

Modules: :mod:`~costing.statewide.source` (the NCES file), :mod:`~.calibration` (the
figures the synthetic data is calibrated to, with sources), :mod:`~.generate` (the
generator), :mod:`~.collection` (the partitioned collection on disk, one district read
back), :mod:`~.cluster` (one function over every district on Dask), :mod:`~.pricing`
(:func:`price_statewide`), :mod:`~.simulation` (:func:`simulate_statewide`: Monte Carlo
per district with :func:`costing.uncertainty.simulate`) and :mod:`~.views`. The data contract and how to use an
existing Dask cluster: ``docs/statewide.md``.
"""

from .calibration import TARGETS, Target, targets_table
from .cluster import SYNC, map_districts
from .collection import (
    DistrictPartition,
    Statewide,
    baseline_from_table,
    load_district,
    load_statewide,
)
from .generate import (
    GenerationReport,
    generate_district,
    generate_statewide,
    grade_span,
    split_enrollment,
)
from .pricing import RESERVE_COLUMNS, StatewideCosting, price_district, price_statewide
from .simulation import StatewideSimulation, simulate_statewide
from .source import StatewideError, read_nces
from .views import below_minimum, cost_by_district, cost_per_student, statewide_total

__all__ = [
    "RESERVE_COLUMNS",
    "SYNC",
    "TARGETS",
    "DistrictPartition",
    "GenerationReport",
    "Statewide",
    "StatewideCosting",
    "StatewideError",
    "StatewideSimulation",
    "Target",
    "baseline_from_table",
    "below_minimum",
    "cost_by_district",
    "cost_per_student",
    "generate_district",
    "generate_statewide",
    "grade_span",
    "load_district",
    "load_statewide",
    "map_districts",
    "price_district",
    "price_statewide",
    "read_nces",
    "simulate_statewide",
    "split_enrollment",
    "statewide_total",
    "targets_table",
]
