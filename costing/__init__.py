"""costing: price collective-bargaining proposals for a school district.

>>> import costing as ct
>>> district = ct.load_example()
>>> scenario = ct.Scenario("3% raise", start="2025-26", years=3,
...     proposals=(ct.Raise(percent=0.03, effective="2025-07-01"),))
>>> result = ct.price(scenario, district)
>>> sorted(result.ledger["component"].unique())
['salary', 'statutory_benefits', 'step_column']
"""

from . import positions, statewide
from .calendar import fiscal_year_label, fiscal_years, parse_fiscal_year, share_of_year_remaining
from .costing import Costing, CostingError
from .distributions import Fixed, LogNormal, Normal, Resample, Triangular, Uniform
from .district import District, data_dir, load_example
from .engine import COMPONENTS, KINDS, LEDGER_COLUMNS, PricingError, PricingOptions, price
from .health import HealthFund, HealthFundError
from .lausd import LAUSD_BASE_YEARS, lausd_base_year_for, load_lausd, price_lausd, sources
from .proposals import (
    Bonus,
    Cap,
    ClassSize,
    Floor,
    HealthPolicy,
    Hours,
    Program,
    ProposalError,
    Raise,
    Staffing,
    Stipend,
)
from .rates import Rates, RatesError
from .reserves import (
    Baseline,
    ForecastErrors,
    Reserves,
    ReservesError,
    forecast_errors,
    lausd_baseline,
    minimum_reserve,
    minimum_reserve_rate,
    project,
    read_baseline,
)
from .scenario import Scenario
from .schedules import read_schedules
from .statewide import (
    Statewide,
    StatewideCosting,
    StatewideError,
    generate_statewide,
    load_statewide,
    price_statewide,
    simulate_statewide,
)
from .uncertainty import (
    ForecastRecord,
    Sensitivity,
    Simulation,
    UncertaintyError,
    read_assumptions,
    sensitivity,
    simulate,
)
from .workforce import WorkforceError, annual_pay, read_workforce, validate_workforce

__version__ = "0.1.0"

__all__ = [
    "statewide",
    "Statewide",
    "StatewideCosting",
    "StatewideError",
    "generate_statewide",
    "load_statewide",
    "price_statewide",
    "simulate_statewide",
    "Fixed",
    "ForecastRecord",
    "LogNormal",
    "Normal",
    "Resample",
    "Sensitivity",
    "Simulation",
    "Triangular",
    "UncertaintyError",
    "Uniform",
    "read_assumptions",
    "sensitivity",
    "simulate",
    "Baseline",
    "ForecastErrors",
    "HealthFund",
    "HealthFundError",
    "HealthPolicy",
    "Reserves",
    "ReservesError",
    "forecast_errors",
    "lausd_baseline",
    "minimum_reserve",
    "minimum_reserve_rate",
    "project",
    "read_baseline",
    "Cap",
    "ClassSize",
    "Program",
    "Staffing",
    "positions",
    "COMPONENTS",
    "KINDS",
    "LAUSD_BASE_YEARS",
    "LEDGER_COLUMNS",
    "Bonus",
    "Costing",
    "CostingError",
    "District",
    "Floor",
    "Hours",
    "PricingError",
    "PricingOptions",
    "ProposalError",
    "Raise",
    "Rates",
    "RatesError",
    "Scenario",
    "Stipend",
    "WorkforceError",
    "annual_pay",
    "data_dir",
    "fiscal_year_label",
    "fiscal_years",
    "lausd_base_year_for",
    "load_example",
    "load_lausd",
    "parse_fiscal_year",
    "price",
    "price_lausd",
    "read_schedules",
    "read_workforce",
    "share_of_year_remaining",
    "sources",
    "validate_workforce",
]
