"""The joint buying plan: dates the customer and the seller agree, with the customer's optimism in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sim.model.curves import rounded
from sim.model.streams import Draws

PLAN_MATURITY: Final = 0.85  # how well a customer following a joint plan knows how to buy
# What a customer believes its pace will be with a plan in hand: steady attention, no
# crises, no one who drags their feet. Reality is rarely that kind.
BELIEVED_DRIVE: Final = 0.55
OPTIMISM: Final[tuple[float, ...]] = (1.15, 1.6)  # how much faster than that the customer expects to go
PLAN_GRACE_DAYS: Final = 3.0  # a milestone is slipping once its target is this far behind


@dataclass(slots=True)
class BuyingPlan:
    """A joint buying plan: a target day for finishing each remaining stage, and the close."""

    created_day: float
    milestones: list[tuple[str, float]]  # (stage to finish, target day)
    close_day: float
    version: int

    def target_for(self, stage: str) -> float | None:
        """The target day for finishing `stage`, if the plan covers it."""
        for milestone_stage, day in self.milestones:
            if milestone_stage == stage:
                return day
        return None

    def lag(self, stage: str, now: float) -> float:
        """How many days the milestone of `stage` is behind its target on `now` (0 when on time)."""
        target = self.target_for(stage)
        return max(0.0, now - target) if target is not None else 0.0

    def slipping(self, stage: str, now: float) -> bool:
        """True once the current milestone is more than the grace period behind."""
        return self.lag(stage, now) > PLAN_GRACE_DAYS

    def expected_close(self, stage: str, now: float) -> float:
        """The close date as the plan now suggests: the agreed date, later by the current milestone's lag."""
        return self.close_day + self.lag(stage, now)


def agree_plan(now: float, stages: list[tuple[str, float]], maturity: float, version: int,
               rng: Draws) -> BuyingPlan:
    """The plan the customer commits to, from the work left in each stage (drive-days) as they see it.

    The customer knows its own buying process (with the plan's structure) but not how
    attention will drift: its dates come from a steady pace and its own optimism, never
    from the deal's true pace.
    """
    optimism = rng.uniform(*OPTIMISM)
    pace = (0.3 + 0.7 * max(maturity, PLAN_MATURITY)) * BELIEVED_DRIVE * optimism
    day = now
    milestones = []
    for stage, work in stages:
        day += max(1.0, work / pace)
        milestones.append((stage, rounded(day, 1)))
    return BuyingPlan(created_day=now, milestones=milestones, close_day=rounded(day, 1), version=version)
