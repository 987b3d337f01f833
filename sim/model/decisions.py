"""The customer's decisions at the end of a stage, as chances computed from the deal's state."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model.deal import Deal


def logistic(x: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-x))


def initiative_score(ranking: list[str], initiative: str, framed: str | None = None) -> float:
    """How well a deal serves the account's current top initiatives: 1 for the top, 0.75 the second, else 0.

    A deal the seller re-framed towards another initiative counts at 80% of that initiative's score.
    """

    def score(name: str | None) -> float:
        if name is None:
            return 0.0
        if ranking and ranking[0] == name:
            return 1.0
        if len(ranking) > 1 and ranking[1] == name:
            return 0.75
        return 0.0

    return max(score(initiative), 0.8 * score(framed))


def return_on_investment(deal: Deal) -> float:
    """Yearly business impact per unit of price."""
    return deal.business_impact / max(1, deal.value)


def case_strength(deal: Deal) -> float:
    """How convincing the business case is: the impact's size, and whether anyone quantified it."""
    size = min(1.0, return_on_investment(deal) / 5.0)
    return size * (1.0 if deal.impact_quantified else 0.4)


def stuck_chance(maturity: float, group_size: int, group_mapped: float) -> float:
    """Chance an organisation gets stuck between stages: immature buyers and big groups lose their way."""
    return (1.0 - maturity) * (0.15 + 0.05 * (group_size - 1)) * (1.0 - 0.5 * group_mapped)


def vendor_win_chance(deal: Deal) -> float:
    """Chance the customer picks the seller over the competitor at the end of evaluation."""
    return logistic(
        0.8
        + 2.5 * (deal.trust - 0.5)
        + 1.0 * deal.requirements_shaped
        + 0.8 * deal.demo_strength
        - 3.0 * (deal.competitor_strength - 0.3)
        + 0.3 * deal.discounts
    )


def business_case_go_chance(deal: Deal, urgency: float) -> float:
    """Chance the customer decides the change is worth it rather than keeping the status quo."""
    return min(0.97, 0.55 + 0.35 * case_strength(deal) + 0.3 * min(1.0, urgency / 0.5))


def approval_chance(deal: Deal, alignment: float) -> float:
    """Chance senior management approves: alignment, an internal seller, the case, the sponsor, trust."""
    return logistic(
        -0.3
        + 2.6 * alignment
        + 1.4 * deal.champion_skill
        + 0.9 * case_strength(deal)
        + 0.6 * (1.0 if deal.sponsor_met else 0.0)
        + 1.0 * (deal.trust - 0.5)
        - 0.08 * (deal.group_size - 3)
        + 0.1 * deal.discounts
    )
