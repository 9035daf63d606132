"""Proposals: plain data describing what a party puts on the table."""

from .base import COST_KINDS, CostProposal, register
from .pay import PAY_KINDS, RULES, Bonus, Floor, Hours, PayProposal, ProposalError, Raise, Stipend
from .selectors import SelectorError, select

__all__ = [
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
