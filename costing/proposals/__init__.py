"""Proposals: plain data describing what a party puts on the table."""

from .pay import PAY_KINDS, RULES, Bonus, Floor, Hours, PayProposal, ProposalError, Raise, Stipend
from .selectors import SelectorError, select

__all__ = [
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
