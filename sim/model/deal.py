"""A deal in play: its buying stage, curves, buying group, plan, and what the seller has done on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from sim.model.account import AccountState
from sim.model.causes import Cause
from sim.model.curves import Curves
from sim.model.group import BuyingGroup
from sim.model.plan import PLAN_MATURITY, BuyingPlan
from sim.stages import ACTIVE_STAGES, ENDINGS, STALLED

# How much each curve drives work in a stage: before dissatisfaction only
# urgency (the felt cost of the problem) moves the customer.
DRIVE_WEIGHTS: Final[dict[str, tuple[float, float]]] = {
    "status_quo": (0.0, 1.0),
    **{stage: (0.6, 0.4) for stage in ACTIVE_STAGES[1:]},
}
# Work in each stage, in drive-days for a one-person buying group.
STAGE_WORK: Final[dict[str, float]] = {
    "status_quo": 3.0,
    "dissatisfied": 2.5,
    "organizing": 3.0,
    "requirements": 3.0,
    "evaluating": 3.0,
    "business_case": 2.5,
    "approval": 2.0,
}
GROUP_WORK: Final = 0.03  # extra coordination work per additional member of the buying group
SOLO_STAGES: Final = frozenset({"status_quo", "dissatisfied"})  # stages the first person goes through alone


@dataclass(slots=True)
class SellerWork:
    """What the seller has done on a deal and learned about it."""

    impact_quantified: bool = False
    group_mapped: bool = False
    requirements_shaped: float = 0.0  # how much of the requirements the seller shaped, 0..1
    demo_strength: float = 0.0
    demos: int = 0
    framed_initiative: str | None = None  # the initiative the seller re-framed the deal towards
    known_initiatives: tuple[str, ...] | None = None  # the account's ranking as the seller last learned it
    insights: int = 0
    reminders: int = 0
    pitches_in_status_quo: int = 0
    last_touch_day: float = 0.0
    pressure_count: int = 0
    discounts: int = 0


@dataclass(eq=False, slots=True)  # two deals alike are still two deals
class Deal:
    """One opportunity; its `state` is the buying stage, moved only by the run's buying process."""

    id: str
    title: str
    account: AccountState
    value: int
    business_impact: int
    criticality: float
    initiative: str
    competitor_strength: float
    start_stage: str
    curves: Curves
    group: BuyingGroup
    felt: float = 0.0  # the share of the problem's cost the customer feels, 0..1
    work: SellerWork = field(default_factory=SellerWork)
    plan: BuyingPlan | None = None
    history: tuple[tuple[float, str], ...] = ()  # a tuple, so each turn's view shares it as it stands
    causes: list[Cause] = field(default_factory=list)  # facts recorded as they happen, for the debrief
    stalled_from: str | None = None
    stalled_since: float = 0.0
    stall_cause: str = ""
    closed_day: float | None = None
    stage_entered_day: float = 0.0
    timer_version: int = 0
    now: float = 0.0  # the world's clock at the last change, for the history
    ended: bool = False  # won, lost, no decision or rejected: kept by on_stage_changed
    state: str = ""  # the stage: where the deal starts, then set by the buying process

    # -- after each step of the buying process (instant; time passes only in SimPy) ----------
    def on_stage_changed(self) -> None:
        """Record each stage change in the history for the debrief."""
        self.history += ((self.now, self.state),)
        self.stage_entered_day = self.now
        if self.state in ENDINGS:
            self.closed_day = self.now
            self.ended = True

    # -- reading the state -----------------------------------------------------
    @property
    def account_id(self) -> str:
        """The account's id."""
        return self.account.id

    @property
    def trust(self) -> float:
        """The account's trust in the seller."""
        return self.account.trust

    @property
    def stalled(self) -> bool:
        """True while the deal is stalled."""
        return self.state == STALLED

    @property
    def working_stage(self) -> str:
        """The active stage the customer is in (the stage it stalled in, while stalled)."""
        return self.stalled_from if self.state == STALLED and self.stalled_from else self.state

    def stage_work(self, stage: str) -> float:
        """Work needed to finish `stage`: more for bigger buying groups, who must coordinate."""
        work = STAGE_WORK.get(stage, 1.0)
        if stage not in SOLO_STAGES:
            work *= 1.0 + GROUP_WORK * max(0, len(self.group.members) - 1)
        return work

    def effective_maturity(self) -> float:
        """How well the customer knows how to buy, with a plan lending its structure."""
        maturity = self.account.maturity
        return max(maturity, PLAN_MATURITY) if self.plan is not None else maturity

    def speed(self) -> float:
        """Work per unit of drive per day: process know-how and trust make buying faster."""
        account = self.account
        maturity = account.maturity
        if self.plan is not None and maturity < PLAN_MATURITY:
            maturity = PLAN_MATURITY  # as `effective_maturity`, written out: this runs at every change
        return (0.3 + 0.7 * maturity) * (0.5 + account.trust)

    def weights(self) -> tuple[float, float] | None:
        """How attention and urgency drive work now (None while stalled or ended)."""
        return DRIVE_WEIGHTS.get(self.state)

    def attention(self, day: float) -> float:
        """The customer's attention to this deal on `day`."""
        return self.curves.attention(day)

    def urgency(self, day: float) -> float:
        """The customer's own urgency on `day`."""
        return self.curves.urgency(day)

    def engagement(self, day: float) -> float:
        """What keeps the customer working: the larger of attention and urgency."""
        return self.curves.engagement(day)

    def progress(self, day: float) -> float:
        """Work done in the current stage by `day`."""
        return self.curves.progress(day, self.weights(), self.speed())

    def settle(self, day: float) -> None:
        """Move the curves' anchor to `day`, keeping every curve where it is."""
        self.curves.settle(day, DRIVE_WEIGHTS.get(self.state), self.speed())
        self.now = day

    def day_stage_done(self, until: float) -> float:
        """The day the current stage's work will be finished at the present pace (inf if not before `until`)."""
        state = self.state
        weights = DRIVE_WEIGHTS.get(state)
        if weights is None:
            return float("inf")
        return self.curves.day_work_done(weights, self.speed(), self.stage_work(state), until)

    def remaining_work(self) -> list[tuple[str, float]]:
        """(stage, work left) for the current stage and every stage after it."""
        start = ACTIVE_STAGES.index(self.working_stage)
        return [(stage, self.stage_work(stage) - (self.curves.progress0 if index == start else 0.0))
                for index, stage in enumerate(ACTIVE_STAGES) if index >= start]
