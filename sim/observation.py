"""What the seller can see: the partial Observation a trainee and every bot are given.

Nothing here is hidden state: attention, urgency, trust and a person's support are
noisy reads (estimates), and only what the seller has discovered or learned is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.model.world import FeedItem


@dataclass(frozen=True, slots=True)
class StakeholderView:
    """A person in the deal's buying group whom the seller has discovered."""

    id: str  # name it as the target of meet / coach / align actions
    name: str
    role: str
    influence: float
    support: float  # an estimate, to one decimal: rough until you have met them
    met: bool  # you have met them one-to-one on this deal
    coached: bool  # you have coached them to sell the deal internally
    present: bool
    newcomer: bool = False  # joined after someone left


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """One milestone of a buying plan: the stage to finish, its target day and its status."""

    stage: str
    target_day: float
    status: str  # "done", "on track", "slipping", or "not reached" once the deal has ended


@dataclass(frozen=True, slots=True)
class PlanView:
    """The joint buying plan as agreed with the customer."""

    close_day: float  # the close date agreed with the customer (an estimate with their optimism in it)
    milestones: tuple[MilestoneView, ...]
    status: str  # "on track" or "slipping"; "done" (won) or "ended" once the deal has ended
    version: int = 1  # how many times the plan was agreed
    created_day: float = 0.0  # the day this version was agreed


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
    attention: float  # an estimate (a noisy read), 0..1
    urgency: float  # an estimate (a noisy read), 0..1
    trust: float  # an estimate (a noisy read) of the account's trust in you, 0..1
    plan: PlanView | None
    plan_status: str  # "none", "on track", "slipping"; "done" or "ended" once the deal has ended
    forecast_close_day: float | None  # the plan's date as it now stands, or a guess by stage without a plan
    forecast_call: str | None  # your call for this period: commit, best_case or pipeline (None once ended)
    impact: int | None  # known once quantified
    initiative: str
    known_initiatives: tuple[str, ...] | None  # the ranking as last learned
    aligned: bool | None  # None until the seller has learned the ranking
    group_mapped: bool  # you know everyone in the buying group
    stakeholders: tuple[StakeholderView, ...]
    history: tuple[tuple[float, str], ...]
    attention_trend: tuple[float, ...]  # the read at the start of each week so far
    pending: tuple[tuple[str, float], ...]  # meetings booked: (action, day)
    done: dict[str, int] = field(default_factory=dict)  # how often each action was carried out
    ending: str | None = None
    closed_day: float | None = None
    explanation: str = ""  # once ended: why, as far as the seller can tell

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
    target: str | None = None  # the person it is aimed at


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
    hours_refunded: int = 0  # of this week's hours, those refunded for actions on deals that ended first

    def deal(self, deal_id: str) -> DealView:
        """The view of one deal."""
        for view in self.deals:
            if view.id == deal_id:
                return view
        raise KeyError(deal_id)
