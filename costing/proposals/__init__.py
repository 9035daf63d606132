"""Proposals: plain data describing what a party puts on the table."""

from .base import COST_KINDS, CostProposal, register
from .class_size import Cap, ClassSize
from .health import HealthPolicy, health_drawdown, price_without_workforce
from .pay import PAY_KINDS, RULES, Bonus, Floor, Hours, PayProposal, ProposalError, Raise, Stipend
from .programs import Program
from .selectors import SelectorError, select
from .staffing import Staffing

__all__ = [
    "HealthPolicy",
    "health_drawdown",
    "price_without_workforce",
    "Cap",
    "ClassSize",
    "Program",
    "Staffing",
    "COST_KINDS",
    "CostProposal",
    "register",
    "PAY_KINDS",
    "RULES",
    "Bonus",
    "Floor",
    "Hours",
    "PayProposal",
    "ProposalError",
    "Raise",
    "SelectorError",
    "Stipend",
    "select",
]
