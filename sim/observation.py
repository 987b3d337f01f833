"""What the seller can see: the partial Observation a trainee and every bot are given.

Nothing here is hidden state: attention, urgency, trust and a person's support are
noisy reads (estimates), and only what the seller has discovered or learned is shown.
"""

from __future__ import annotations

import zlib
from abc import abstractmethod
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, NamedTuple, TypeVar, cast, overload

from sim.model.curves import rounded
from sim.model.group import Member, Person
from sim.model.world import FeedItem

# How rough a read of a person's support is: heard of them, met them.
_UNMET_NOISE: Final = 0.2
_MET_NOISE: Final = 0.06
SUPPORT_NOISE: Final[tuple[float, ...]] = (_UNMET_NOISE, _MET_NOISE)
_ID_BYTES: Final[dict[str, bytes]] = {}  # each person id, encoded once
T = TypeVar("T")


class StakeholderView(NamedTuple):
    """A person in the deal's buying group whom the seller has discovered.

    A named tuple, not a dataclass: views are made by the hundred every turn, and a
    frozen dataclass takes four times as long to make.
    """

    id: str  # name it as the target of meet / coach / align actions
    name: str
    role: str
    influence: float
    support: float  # an estimate, to one decimal: rough until you have met them
    met: bool  # you have met them one-to-one on this deal
    coached: bool  # you have coached them to sell the deal internally
    present: bool
    newcomer: bool = False  # joined after someone left


class Snapshot(Sequence[T]):
    """A read-only sequence in a view, made for speed rather than as a tuple: it reads,
    compares, hashes and prints as the tuple of its items (`values`)."""

    __slots__ = ()

    @property
    @abstractmethod
    def values(self) -> tuple[T, ...]:
        """The items, as a tuple."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Snapshot):
            return self.values == other.values
        if isinstance(other, tuple):
            return self.values == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return repr(self.values)

    def _item(self, index: int) -> T:
        """The item at `index`, which is in range and not negative."""
        return self.values[index]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return self.values[index]
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._item(index)


def discovered_people(members: Sequence[Member]) -> tuple[Person | float | bool, ...]:
    """The people of a buying group whom the seller has discovered, as they are now, flat: person,
    support, met, coached, then the next person (one tuple, not one per person)."""
    people: list[Person | float | bool] = []
    for member in members:
        if member.person.discovered:
            people.append(member.person)
            people.append(member.support)
            people.append(member.met)
            people.append(member.coached > 0)
    return tuple(people)


class StakeholderReads(Snapshot[StakeholderView]):
    """The people of a deal's buying group whom the seller has discovered, each with a noisy read of their support.

    Taking the reads is the costliest part of a deal's view, and most readers of a view
    never look at its people: so what each person was is kept when the view is made,
    and the reads are taken the first time they are looked at. A read's noise is a hash
    of seed, week, deal and person (the CRC of the deal's part, continued with the
    person's id), so it is the same whenever and in whatever order views are read.
    """

    __slots__ = ("_seed", "_week", "_deal_id", "_people", "_views")

    def __init__(self, seed: int, week: int, deal_id: str, people: tuple[Person | float | bool, ...]) -> None:
        self._seed = seed
        self._week = week
        self._deal_id = deal_id
        self._people = people  # as `discovered_people` notes them
        self._views: tuple[StakeholderView, ...] | None = None

    @property
    def values(self) -> tuple[StakeholderView, ...]:
        """The people with their reads, as a tuple."""
        if self._views is None:
            deal_part = zlib.crc32(f"{self._seed}:{self._week}:{self._deal_id}:".encode())
            crc32, id_bytes, new = zlib.crc32, _ID_BYTES, tuple.__new__
            views = []
            people = self._people
            for at in range(0, len(people), 4):
                person, support = cast(Person, people[at]), cast(float, people[at + 1])
                met, coached = people[at + 2], people[at + 3]
                key = id_bytes.get(person.id)
                if key is None:
                    key = id_bytes[person.id] = person.id.encode()
                # A person's support as the seller reads it, to one decimal: rough until they have met them.
                noise = (crc32(key, deal_part) / 0xFFFFFFFF - 0.5) * 2 * (_MET_NOISE if met else _UNMET_NOISE)
                read = support + noise
                read = rounded(0.0 if read < 0.0 else 1.0 if read > 1.0 else read, 1)
                views.append(new(StakeholderView, (person.id, person.name, person.role, person.influence, read, met,
                                                   coached, True, person.newcomer)))
            self._views = tuple(views)
        return self._views

    def __len__(self) -> int:
        return len(self._people) // 4

    def __iter__(self) -> Iterator[StakeholderView]:
        return iter(self.values)


class AttentionTrend(Snapshot[float]):
    """A deal's attention as the seller read it at the start of each week so far, oldest first.

    Every open deal gets a view every turn, and a tuple of all its weeks was a copy that
    grew all year. So a trend shares the game's reads: one array a week of every deal's
    read, by the deal's place in the world, which only ever gain weeks. It shows the deal's
    place in the weeks there were when the view was made.
    """

    __slots__ = ("_weeks_of_reads", "_place", "_weeks")

    def __init__(self, weeks_of_reads: Sequence[array[float]], place: int, weeks: int) -> None:
        self._weeks_of_reads = weeks_of_reads
        self._place = place
        self._weeks = weeks

    @property
    def values(self) -> tuple[float, ...]:
        """The reads, as a tuple."""
        place = self._place
        return tuple([week[place] for week in self._weeks_of_reads[:self._weeks]])

    def _item(self, index: int) -> float:
        return self._weeks_of_reads[index][self._place]

    def __len__(self) -> int:
        return self._weeks

    def __iter__(self) -> Iterator[float]:
        return iter(self.values)


class MilestoneView(NamedTuple):
    """One milestone of a buying plan: the stage to finish, its target day and its status (a named tuple too)."""

    stage: str
    target_day: float
    status: str  # "done", "on track", "slipping", or "not reached" once the deal has ended


class PlanView(NamedTuple):
    """The joint buying plan as agreed with the customer (a named tuple, like every view made each turn)."""

    close_day: float  # the close date agreed with the customer (an estimate with their optimism in it)
    milestones: tuple[MilestoneView, ...]
    status: str  # "on track" or "slipping"; "done" (won) or "ended" once the deal has ended
    version: int = 1  # how many times the plan was agreed
    created_day: float = 0.0  # the day this version was agreed


class DealView(NamedTuple):
    """One deal as the seller sees it: the stage, noisy reads, and what has been learned.

    Immutable, as a named tuple: every open deal gets a new view each turn, and a
    named tuple is made in a quarter of the time of a frozen dataclass.
    """

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
    stakeholders: Sequence[StakeholderView]  # read on first use (StakeholderReads)
    history: tuple[tuple[float, str], ...]
    attention_trend: Sequence[float]  # the read at the start of each week so far (AttentionTrend)
    pending: tuple[tuple[str, float], ...]  # meetings booked: (action, day)
    done: Mapping[str, int] = MappingProxyType({})  # how often each action was carried out
    ending: str | None = None
    closed_day: float | None = None
    explanation: str = ""  # once ended: why, as far as the seller can tell

    @property
    def open(self) -> bool:
        """True while the deal has not ended."""
        return self.ending is None


class DealViews(Snapshot[DealView]):
    """Every deal as the seller sees it at the start of a turn, in the world's order.

    A turn's views cost the deals still open, not every deal there was: the views of
    ended deals, which no longer change, are kept in one list by place that the game
    shares with every turn's views (filled in once a deal has ended), and each turn
    makes only the open deals' views. A bot that looks only at the open deals
    (`Observation.open_deals`) never touches the ended ones.
    """

    __slots__ = ("_ended", "_open", "_places")

    def __init__(self, ended: Sequence[DealView | None], open_views: tuple[DealView, ...], places: Sequence[int]) -> None:
        self._ended = ended  # by place; every place not among `places` is filled in already
        self._open = open_views
        self._places = places  # the open deals' places in the world's order, ascending; never changed

    @property
    def open(self) -> tuple[DealView, ...]:
        """The deals still open, in the world's order."""
        return self._open

    @property
    def values(self) -> tuple[DealView, ...]:
        """Every deal's view, as a tuple."""
        return tuple(self)

    def _item(self, index: int) -> DealView:
        places = self._places
        at = bisect_left(places, index)
        if at < len(places) and places[at] == index:
            return self._open[at]
        return cast(DealView, self._ended[index])

    def __len__(self) -> int:
        return len(self._ended)

    def __iter__(self) -> Iterator[DealView]:
        ended = cast(Sequence[DealView], self._ended)
        start = 0
        for view, place in zip(self._open, self._places):
            yield from ended[start:place]
            yield view
            start = place + 1
        yield from ended[start:]


@dataclass(frozen=True, slots=True)
class QueuedView:
    """An action queued this turn, which can still be cancelled."""

    index: int
    deal_id: str
    action: str
    hours: int
    target: str | None = None  # the person it is aimed at


class Observation(NamedTuple):
    """Everything the seller can see at the start of a turn (a named tuple: immutable, and quick to make)."""

    scenario_id: str
    title: str
    week: int
    weeks: int
    day: float
    hours_left: int
    hours_per_week: int
    quota: int
    bookings: int
    deals: Sequence[DealView]  # every deal in the world's order, ended ones too (DealViews: reads as a tuple)
    queued: tuple[QueuedView, ...]
    feed: tuple[FeedItem, ...]
    over: bool
    hours_refunded: int = 0  # of this week's hours, those refunded for actions on deals that ended first

    @property
    def open_deals(self) -> tuple[DealView, ...]:
        """The deals still open, in the world's order."""
        deals = self.deals
        if isinstance(deals, DealViews):
            return deals.open
        return tuple(view for view in deals if view.open)

    def deal(self, deal_id: str) -> DealView:
        """The view of one deal."""
        for view in self.deals:
            if view.id == deal_id:
                return view
        raise KeyError(deal_id)
