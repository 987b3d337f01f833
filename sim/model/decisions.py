"""How the buying group decides, as chances computed from each person's support and the deal's state.

Every decision is made by people. At vendor selection each member leans to us or to
the competitor and the group follows its influence-weighted lean. At the business
case and in getting lost in the process, every member is a chance for things to go
wrong, weighted by their influence: so a bigger group is harder to bring to yes
without any size penalty written in. Senior management funds what serves the
account's current top initiatives, with a sponsor behind it and a champion who can
sell it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final

from sim.model.group import Member

# Process breakdowns: each member is a chance for an immature organisation to lose its way.
LOST_WAY_PER_MEMBER: Final = 0.028
# A member's objection at the business case becomes likely below this lean.
OBJECTION_CENTRE: Final = 0.08
OBJECTION_STEEPNESS: Final = 7.0
# How the economic buyer judges a deal they have not met the seller about.
UNMET_ALIGNED: Final = 0.15
UNMET_MISALIGNED: Final = -0.2


def logistic(x: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-x))


def initiative_score(ranking: Sequence[str], initiative: str, framed: str | None = None) -> float:
    """How well a deal serves the account's current top initiatives: 1 for the top, 0.75 the second, else 0.

    A deal the seller re-framed towards another initiative counts at 80% of that initiative's score.
    """
    if not ranking:
        return 0.0
    first = ranking[0]
    second = ranking[1] if len(ranking) > 1 else None
    native = 1.0 if initiative == first else 0.75 if initiative == second else 0.0
    if framed is None:
        return native
    return max(native, 0.8 * (1.0 if framed == first else 0.75 if framed == second else 0.0))


def case_strength(business_impact: int, value: int, quantified: bool) -> float:
    """How convincing the business case is: the impact's size against the price, and whether anyone quantified it."""
    size = min(1.0, business_impact / max(1, value) / 5.0)
    return size * (1.0 if quantified else 0.4)


def felt_urgency(urgency: float) -> float:
    """Urgency as it weighs in a decision, 0..1 (0.5 counts as fully urgent)."""
    return min(1.0, urgency / 0.5)


def sponsor_view(buyer: Member | None, alignment: float) -> float:
    """The economic buyer's support: as moved by meetings once met, else judged by the current top initiatives."""
    if buyer is None:
        return 0.5
    if buyer.met:
        return buyer.support
    bias = UNMET_ALIGNED if alignment > 0 else UNMET_MISALIGNED
    return min(1.0, max(0.0, buyer.support + bias))


def supports(members: Iterable[Member], buyer: Member | None, alignment: float) -> list[tuple[Member, float]]:
    """Each member with the support that counts in a decision (the economic buyer's as `sponsor_view`)."""
    return [(member, sponsor_view(member, alignment) if member is buyer else member.support) for member in members]


def lost_way_chance(maturity: float, members: int, mapped: bool) -> float:
    """Chance the organisation loses its way between stages: each member is a chance for an immature buyer."""
    per_member = (1.0 - maturity) * LOST_WAY_PER_MEMBER * (0.5 if mapped else 1.0)
    return 1.0 - (1.0 - per_member) ** max(1, members)


def vendor_preference(support: float, trust: float, shaped: float, demo: float, competitor: float,
                      discounts: int) -> float:
    """How strongly one member prefers us over the competitor, 0..1."""
    return logistic(
        0.8
        + 2.0 * (support - 0.5)
        + 2.5 * (trust - 0.5)
        + 1.0 * shaped
        + 0.8 * demo
        - 3.0 * (competitor - 0.3)
        + 0.3 * discounts
    )


def group_lean(leanings: Sequence[tuple[Member, float]]) -> float:
    """The influence-weighted average of the members' leanings (0.5 for an empty group)."""
    weight = sum(member.influence for member, _ in leanings)
    if weight <= 0:
        return 0.5
    return sum(member.influence * lean for member, lean in leanings) / weight


def objection_chance(member: Member, support: float, case: float, urgency: float) -> float:
    """Chance one member says no to changing at all, from their support, the case and the urgency they feel."""
    lean = support + 0.4 * (case - 0.4) + 0.4 * (felt_urgency(urgency) - 0.5)
    return member.influence * logistic(-OBJECTION_STEEPNESS * (lean - OBJECTION_CENTRE))


def approval_chance(alignment: float, champion_skill: float, sponsor: float, case: float, trust: float) -> float:
    """Chance senior management funds it: alignment first, then a champion who sells it and a sponsor behind it."""
    return logistic(
        -1.3
        + 3.0 * alignment
        + 2.0 * champion_skill
        + 3.0 * (sponsor - 0.5)
        + 0.6 * case
        + 1.0 * (trust - 0.5)
    )
