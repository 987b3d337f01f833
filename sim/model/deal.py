"""A deal in play: its buying stage, and attention, urgency and progress in closed form.

Attention and urgency are never ticked day by day. Each deal keeps an anchor
(the day of the last change and the values then) and evaluates the curves at
any later day:

    attention(t) = floor + (attention0 - floor) * exp(-ATTENTION_DECAY * (t - t0))
    urgency(t)   = urgency0 * exp(-URGENCY_DECAY * (t - t0))

Stage progress is the integral of the customer's drive (a weighted sum of the
two curves) times the deal's speed, so it has a closed form too, and the day a
stage is finished or the deal stalls is solved for, not searched day by day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sim.model.causes import Cause
from sim.stages import ACTIVE_STAGES, ENDINGS, STALLED

ATTENTION_DECAY = math.log(2) / 10.0  # attention halves its distance to the floor in ten days
URGENCY_DECAY = math.log(2) / 28.0  # customer-owned urgency halves in four weeks
STALL_LEVEL = 0.2  # below this engagement the customer stops working on the purchase
FLOOR_PER_CRITICALITY = 0.32  # how much attention a problem's criticality holds by itself
TOP_INITIATIVE_FLOOR = 0.12  # extra attention for a deal serving the top initiative
SECOND_INITIATIVE_FLOOR = 0.06
# How much each curve drives work in a stage: before dissatisfaction only
# urgency (the felt cost of the problem) moves the customer.
DRIVE_WEIGHTS: dict[str, tuple[float, float]] = {
    "status_quo": (0.0, 1.0),
    **{stage: (0.6, 0.4) for stage in ACTIVE_STAGES[1:]},
}
# Work in each stage, in drive-days for a one-person buying group.
STAGE_WORK: dict[str, float] = {
    "status_quo": 3.0,
    "dissatisfied": 2.5,
    "organizing": 3.0,
    "requirements": 3.0,
    "evaluating": 3.0,
    "business_case": 2.5,
    "approval": 2.0,
}
PLAN_MATURITY = 0.85  # how well a customer following a joint plan knows how to buy
GROUP_WORK = 0.05  # extra work per additional member of the buying group
_HORIZON = 1e6


def clamp(value: float) -> float:
    """`value` kept within 0..1."""
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


@dataclass
class BuyingPlan:
    """A joint buying plan: target days for finishing each remaining stage."""

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


@dataclass(eq=False)  # a transitions model must compare by identity
class Deal:
    """One opportunity; a model of the run's buying-process machine (its `state` is the stage)."""

    id: str
    title: str
    account_id: str
    value: int
    business_impact: int
    criticality: float
    initiative: str
    competitor_strength: float
    start_stage: str
    maturity: float
    group_size: int
    trust: float
    # Closed-form anchor: values at day t0.
    t0: float = 0.0
    attention0: float = 0.5
    urgency0: float = 0.0
    progress0: float = 0.0
    floor: float = 0.0
    # What the seller has done and learned.
    impact_quantified: bool = False
    group_mapped: float = 0.0
    requirements_shaped: float = 0.0
    demo_strength: float = 0.0
    champion_skill: float = 0.0
    sponsor_met: bool = False
    framed_initiative: str | None = None
    known_initiatives: list[str] | None = None  # the ranking as the seller last learned it
    plan: BuyingPlan | None = None
    insights: int = 0
    reminders: int = 0
    last_touch_day: float = 0.0
    pressure_count: int = 0
    discounts: int = 0
    # Trajectory.
    history: list[tuple[float, str]] = field(default_factory=list)
    stalled_from: str | None = None
    stalled_since: float = 0.0
    stall_causes: list[tuple[float, str, str]] = field(default_factory=list)  # (day, stage, cause)
    decision: dict[str, float | str] = field(default_factory=dict)
    causes: list[Cause] = field(default_factory=list)  # facts recorded as they happen, for the debrief
    closed_day: float | None = None
    timer_version: int = 0
    frozen_until: float = 0.0
    stage_entered_day: float = 0.0
    now: float = 0.0  # the world's clock at the last change, for the history
    ended: bool = False  # won, lost, rejected or withered: kept by on_stage_changed

    # -- transitions callbacks (instant; time passes only in SimPy) ----------
    def work_done(self) -> bool:
        """Guard of `advance`: the current stage's work is finished."""
        return self.progress0 >= self.stage_work(self.state) - 1e-6

    def on_stage_changed(self) -> None:
        """Record each stage change in the history for the debrief."""
        self.history.append((self.now, self.state))
        self.stage_entered_day = self.now
        if self.state in ENDINGS:
            self.closed_day = self.now
            self.ended = True

    # -- closed forms ---------------------------------------------------------

    @property
    def stalled(self) -> bool:
        """True while the deal is stalled."""
        return self.state == STALLED

    @property
    def working_stage(self) -> str:
        """The active stage the customer is in (the stage it stalled in, while stalled)."""
        return self.stalled_from if self.state == STALLED and self.stalled_from else self.state

    def stage_work(self, stage: str) -> float:
        """Work needed to finish `stage`, larger for bigger buying groups."""
        work = STAGE_WORK.get(stage, 1.0)
        if stage not in ("status_quo", "dissatisfied"):
            work *= 1.0 + GROUP_WORK * (self.group_size - 1)
        return work

    def attention(self, day: float) -> float:
        """The customer's attention to this deal on `day`."""
        return self.floor + (self.attention0 - self.floor) * math.exp(-ATTENTION_DECAY * (day - self.t0))

    def urgency(self, day: float) -> float:
        """The customer's own urgency on `day`."""
        return self.urgency0 * math.exp(-URGENCY_DECAY * (day - self.t0))

    def engagement(self, day: float) -> float:
        """What keeps the customer working: the larger of attention and urgency."""
        return max(self.attention(day), self.urgency(day))

    def speed(self) -> float:
        """Work per unit of drive per day: process know-how and trust make buying faster."""
        return (0.3 + 0.7 * self.effective_maturity()) * (0.5 + self.trust)

    def effective_maturity(self) -> float:
        """How well the customer knows how to buy, with a plan lending its structure."""
        return max(self.maturity, PLAN_MATURITY) if self.plan is not None else self.maturity

    def progress(self, day: float) -> float:
        """Work done in the current stage by `day` (no progress while stalled or ended)."""
        if self.state not in DRIVE_WEIGHTS:
            return self.progress0
        return self.progress0 + self.speed() * self._drive_integral(self.state, day - self.t0)

    def _drive_integral(self, stage: str, elapsed: float) -> float:
        if elapsed <= 0:
            return 0.0
        weight_attention, weight_urgency = DRIVE_WEIGHTS[stage]
        decay_a = 1.0 - math.exp(-ATTENTION_DECAY * elapsed)
        decay_u = 1.0 - math.exp(-URGENCY_DECAY * elapsed)
        attention_part = self.floor * elapsed + (self.attention0 - self.floor) * decay_a / ATTENTION_DECAY
        urgency_part = self.urgency0 * decay_u / URGENCY_DECAY
        return weight_attention * attention_part + weight_urgency * urgency_part

    def settle(self, day: float) -> None:
        """Move the anchor to `day`, keeping every curve where it is."""
        if day == self.t0:
            self.now = day
            return
        progress = self.progress(day)
        self.attention0 = self.attention(day)
        self.urgency0 = self.urgency(day)
        self.progress0 = progress
        self.t0 = day
        self.now = day

    # -- solving for the next threshold ----------------------------------------
    def day_stage_done(self, until: float = math.inf) -> float:
        """The day the current stage's work will be finished at the present pace (inf if not before `until`)."""
        stage = self.state
        if stage not in DRIVE_WEIGHTS:
            return math.inf
        remaining = self.stage_work(stage) - self.progress0
        if remaining <= 0:
            return self.t0
        target = remaining / self.speed()
        horizon = min(until - self.t0, _HORIZON)
        if horizon <= 0 or self._drive_integral(stage, horizon) < target:
            return math.inf
        # Safeguarded Newton on the integral of the drive, which only grows with time.
        weight_attention, weight_urgency = DRIVE_WEIGHTS[stage]
        low, high = 0.0, horizon
        drive_now = weight_attention * self.attention0 + weight_urgency * self.urgency0
        elapsed = min(horizon, target / drive_now) if drive_now > 1e-9 else 0.5 * horizon
        for _ in range(60):
            error = self._drive_integral(stage, elapsed) - target
            if abs(error) < 1e-7:
                break
            if error < 0:
                low = elapsed
            else:
                high = elapsed
            if high - low < 1e-4:
                elapsed = high
                break
            drive = weight_attention * self.attention(self.t0 + elapsed) + weight_urgency * self.urgency(
                self.t0 + elapsed)
            guess = elapsed - error / drive if drive > 1e-12 else -1.0
            elapsed = guess if low < guess < high else 0.5 * (low + high)
        return self.t0 + elapsed

    def day_engagement_lost(self) -> float:
        """The first day engagement (the larger of attention and urgency) is below the stall level."""
        urgency_below = _days_until_below(self.urgency0, URGENCY_DECAY, STALL_LEVEL)
        if self.attention0 < STALL_LEVEL:
            if self.floor <= STALL_LEVEL:
                return self.t0 + urgency_below
            # Attention is recovering: the deal stalls only if urgency drops first.
            recovered = _days_until_level(self.attention0, self.floor, ATTENTION_DECAY, STALL_LEVEL)
            return self.t0 + urgency_below if urgency_below < recovered else math.inf
        if self.floor >= STALL_LEVEL:
            return math.inf
        attention_below = _days_until_level(self.attention0, self.floor, ATTENTION_DECAY, STALL_LEVEL)
        return self.t0 + max(attention_below, urgency_below)

    def day_attention_recovers(self, level: float) -> float:
        """The day attention, recovering towards its floor, rises above `level` (inf if never)."""
        if self.attention0 >= level:
            return self.t0
        if self.floor <= level:
            return math.inf
        return self.t0 + _days_until_level(self.attention0, self.floor, ATTENTION_DECAY, level)


def _days_until_below(start: float, decay: float, level: float) -> float:
    """Days until start * e^(-decay t) is below `level` (0 if it already is)."""
    if start < level:
        return 0.0
    return math.log(start / level) / decay


def _days_until_level(start: float, floor: float, decay: float, level: float) -> float:
    """Days until floor + (start - floor) e^(-decay t) reaches `level`, which lies between start and floor."""
    return math.log((start - floor) / (level - floor)) / decay
