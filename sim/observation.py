"""What the seller can see: the partial Observation a trainee and every bot are given."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.model.world import FeedItem


@dataclass(frozen=True, slots=True)
class StakeholderView:
    """A stakeholder the seller has discovered."""

    name: str
    role: str
    influence: float
    support: float
    present: bool


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """One milestone of a buying plan: the stage to finish, its target day and its status."""

    stage: str
    target_day: float
    status: str  # "done", "on track", "slipping"


@dataclass(frozen=True, slots=True)
class PlanView:
    """The joint buying plan as agreed with the customer."""

    close_day: float
    milestones: tuple[MilestoneView, ...]
    status: str  # "on track" or "slipping"


@dataclass(frozen=True, slots=True)
class DealView:
    """One deal as the seller sees it: the stage, noisy reads, and what has been learned."""

    id: str
    title: str
    account_id: str
    account: str
    value: int
    stage: str
    stalled_from: str | None
    days_in_stage: int
    attention: float  # a noisy read, 0..1
    urgency: float  # a noisy read, 0..1
    trust: float  # a noisy read, 0..1
    plan: PlanView | None
    plan_status: str  # "none", "on track", "slipping"
    forecast_close_day: float | None
    impact: int | None  # known once quantified
    initiative: str
    known_initiatives: tuple[str, ...] | None  # the ranking as last learned
    aligned: bool | None  # None until the seller has learned the ranking
    stakeholders: tuple[StakeholderView, ...]
    history: tuple[tuple[float, str], ...]
    attention_trend: tuple[float, ...]  # the read at the start of each week so far
    pending: tuple[tuple[str, float], ...]  # meetings booked: (action, day)
    done: dict[str, int] = field(default_factory=dict)  # how often each action was carried out
    ending: str | None = None
    closed_day: float | None = None
    explanation: str = ""
    lesson: str = ""

    @property
    def open(self) -> bool:
        """True while the deal has not ended."""
        return self.ending is None


@dataclass(frozen=True, slots=True)
class QueuedView:
    """An action queued this turn, which can still be cancelled."""

    index: int
    deal_id: str
    action: str
    hours: int


@dataclass(frozen=True, slots=True)
class Observation:
    """Everything the seller can see at the start of a turn."""

    scenario_id: str
    title: str
    week: int
    weeks: int
    day: float
    hours_left: int
    hours_per_week: int
    quota: int
    bookings: int
    deals: tuple[DealView, ...]
    queued: tuple[QueuedView, ...]
    feed: tuple[FeedItem, ...]
    over: bool

    def deal(self, deal_id: str) -> DealView:
        """The view of one deal."""
        for view in self.deals:
            if view.id == deal_id:
                return view
        raise KeyError(deal_id)
