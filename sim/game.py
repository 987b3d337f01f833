"""The Game: the one seam between the simulation and the people and bots who play it."""

from __future__ import annotations

import os
from array import array
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NamedTuple

from sim import savefile
from sim.debrief import Story, explain, in_game_line
from sim.errors import ActionRefused, GameOver, SaveError
from sim.forecast import FORECAST_CALLS, PIPELINE, DealCalls, ForecastScore
from sim.model.actions import ACTIONS, CATALOG, MAX_DISCOUNTS, PRESSURE_ACTIONS, WHY_NOT, ActionSpec, \
    default_target, perform
from sim.model.curves import clamp, rounded
from sim.model.deal import Deal
from sim.model.group import Person
from sim.model.streams import Streams, stream
from sim.model.world import DAYS_PER_WEEK, World
from sim.observation import AttentionTrend, DealView, DealViews, MilestoneView, Observation, PlanView, \
    QueuedView, StakeholderReads, discovered_people
from sim.results import DealResult, RunResult
from sim.savefile import Turn
from sim.stages import ACTIVE_STAGES, ENDING_KEYS, STAGE_LABELS, STALLED, stage_index

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

_new_view: Final = tuple.__new__
_DRAWS_BITS: Final = 4 * 64  # a deal's four draws for its reads each turn, in bits of the stream
NAIVE_DAYS_PER_STAGE: Final = 14.0  # a seller's stage-based guess of the close when there is no plan
_NOTHING_DONE: Final[MappingProxyType[str, int]] = MappingProxyType({})


class QueuedAction(NamedTuple):
    """An action the seller queued this turn, and the person it is aimed at (if any)."""

    deal_id: str
    action: str
    hours: int
    target: str | None = None


class SellerNotes(DealCalls):
    """What the seller has seen of one deal and done on it, kept in one place per deal.

    A turn reads and writes these for every open deal, so they are one record a deal
    rather than one dictionary for each kind of note, keyed by the deal's id. The week's
    forecast call is summed into the same record (it is the deal's `DealCalls`), and the
    reads are two numbers rather than a pair made each turn: in a world of thousands of
    open deals, each further record a turn reads for every deal adds to the time it waits
    for memory (README, "Why 5,000 deals cost more than 5× 1,000").
    """

    __slots__ = ("deal", "place", "attention_read", "urgency_read", "weeks_read", "people", "pending",
                 "done", "call", "calls")

    def __init__(self, deal: Deal, place: int) -> None:
        super().__init__()
        self.deal = deal
        self.place = place  # in the world's order
        self.attention_read = 0.0  # as last read
        self.urgency_read = 0.0
        self.weeks_read = 0  # the weeks it has been read in, from the first: its place in each is its read
        # The people its views show, noted again only when the deal or its account's discoveries
        # have changed since: (the deal's change count, the discoveries, the people).
        self.people: tuple[int, int, tuple[Person | float | bool, ...]] | None = None
        self.pending: dict[str, float] | None = None  # meetings booked: action -> day
        # What was done, as a read-only count made anew at each action, that every view since shares.
        self.done = _NOTHING_DONE
        self.call = PIPELINE  # the standing forecast call
        self.calls: list[str] = []  # the call of each week


class Game:
    """A turn-based game on one scenario and seed: observe, act, call the forecast, end the turn, repeat."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        self.scenario = scenario
        self.seed = scenario.scenario.seed if seed is None else seed
        self.world = World(scenario, self.seed)
        self.week = 1
        self.weeks = scenario.scenario.weeks
        self.hours_per_week = scenario.seller.hours_per_week
        self.hours_left = self.hours_per_week
        self.log: list[Turn] = []
        self._queue: dict[tuple[str, str], QueuedAction] = {}  # by (deal id, action), in the order queued
        self._calls_changed: dict[str, str] = {}
        self._refunded = 0  # hours of cancelled meetings, given back next week
        self._refunded_this_week = 0  # of this week's hours, those given back from last week
        deals = self.world.deals
        self._action_rngs = Streams(self.seed, "actions")
        self._observe_rng = stream(self.seed, "observe")
        self._trust_reads: dict[str, float] = {}
        # Each week's reads of every deal's attention, and its true attention, by the deal's place
        # (one array a week for all deals, written in order, rather than two that grow for each deal).
        self._no_reads = array("d", [0.0]) * len(deals)
        self._reads: list[array[float]] = []
        self._true_attention: list[array[float]] = []
        self._notes = [SellerNotes(deal, place) for place, deal in enumerate(deals)]
        self._notes_by_id = {notes.deal.id: notes for notes in self._notes}
        self._forecast_score = ForecastScore(self._notes_by_id)  # each deal's notes sum its calls
        self._bookings_by_week: list[int] = []
        self._hours_spent = 0
        self._pressure_hours = 0
        self._views: DealViews | None = None
        # The views of ended deals by place, fixed at the first turn after each ended, that every turn's views share.
        self._ended_views: list[DealView | None] = [None] * len(deals)
        # The deals whose view still changes, and their places in the world's order.
        self._changing: list[SellerNotes] = list(self._notes)
        self._changing_places: list[int] = list(range(len(deals)))
        self._stories: dict[str, Story] = {}  # of ended deals, told once
        self.over = self.world.open_count == 0
        if self.over:
            self.world.close()
        self._start_turn()

    # -- the action catalog ------------------------------------------------------------
    @property
    def catalog(self) -> tuple[ActionSpec, ...]:
        """Every action: name, label, hours, lead time, a one-line explanation and whom it is aimed at."""
        return CATALOG

    @property
    def day(self) -> float:
        """The current day (the start of the current week)."""
        return self.world.now

    def refusal(self, deal_id: str, action: str, target: str | None = None) -> str | None:
        """Why `action` on `deal_id` (aimed at person `target`) cannot be queued now, or None if it can."""
        if self.over:
            return "The game is over."
        spec = ACTIONS.get(action)
        if spec is None:
            return f"Unknown action '{action}'. Known actions: {', '.join(ACTIONS)}."
        deal = self.world.deal_by_id.get(deal_id)
        if deal is None:
            return f"No deal '{deal_id}' in this game."
        if deal.ended:
            return f"This deal has ended ({STAGE_LABELS[deal.state]})."
        if (deal_id, action) in self._queue:
            return f"{spec.label} is already queued for this deal this week."
        pending = self._notes_by_id[deal_id].pending
        booked = None if pending is None else pending.get(action)
        if booked is not None:
            return f"{spec.label} is already booked for day {booked:.0f}."
        problem = self._target_problem(deal, spec, target)
        if problem is not None:
            return problem
        if action == "co_create_plan" and deal.plan is not None and not deal.plan.slipping(
                deal.working_stage, self.world.now):
            return "There is already a buying plan and it is on track."
        if action == "offer_discount" and deal.work.discounts >= MAX_DISCOUNTS:
            return f"You have already discounted this deal {MAX_DISCOUNTS} times."
        if spec.hours > self.hours_left:
            return f"Not enough hours left this week: {spec.label} takes {spec.hours} h, you have {self.hours_left} h."
        return None

    def _target_problem(self, deal: Deal, spec: ActionSpec, target: str | None) -> str | None:
        """Why the person an action is aimed at cannot be reached, or None."""
        if spec.target_role is None:
            return None if target is None else f"{spec.label} is not aimed at one person."
        if target is None:
            if default_target(deal, spec.name) is None:
                role = spec.target_role.replace("_", " ")
                return f"You don't know who the {role} is yet: map the buying group first, or name someone."
            return None
        member = deal.group.member(target)
        if member is None:
            return f"'{target}' is not in this deal's buying group."
        if not member.person.discovered:
            return "You don't know that person yet: map the buying group first."
        return None

    def act(self, deal_id: str, action: str, target: str | None = None) -> QueuedAction:
        """Queue an action for this turn (aimed at person `target`, or the action's default); raises ActionRefused."""
        if self.over:
            raise GameOver("The game is over.")
        reason = self.refusal(deal_id, action, target)
        if reason is not None:
            raise ActionRefused(reason)
        if target is None and ACTIONS[action].target_role is not None:
            member = default_target(self.world.deal_by_id[deal_id], action)
            target = member.id if member is not None else None
        queued = QueuedAction(deal_id, action, ACTIONS[action].hours, target)
        self._queue[(deal_id, action)] = queued
        self.hours_left -= queued.hours  # the deals' views show nothing queued: they stay as they are
        return queued

    def cancel(self, index: int) -> QueuedAction:
        """Cancel the queued action at `index` and give its hours back."""
        if not 0 <= index < len(self._queue):
            raise ActionRefused(f"There is no queued action number {index + 1}.")
        queued = self._queue.pop(list(self._queue)[index])
        self.hours_left += queued.hours
        return queued

    def default_target(self, deal_id: str, action: str) -> str | None:
        """The id of the person an action aimed at a person reaches when no one is named (None: nobody known)."""
        deal = self.world.deal_by_id.get(deal_id)
        if deal is None or action not in ACTIONS:
            return None
        member = default_target(deal, action)
        return None if member is None else member.id

    @property
    def queued(self) -> tuple[QueuedAction, ...]:
        """Actions queued this turn."""
        return tuple(self._queue.values())

    def guidance(self, deal_id: str) -> dict[str, str]:
        """For each action that is unlikely to help this deal now, why (the rules the actions themselves follow)."""
        deal = self.world.deal_by_id.get(deal_id)
        if deal is None or deal.ended:
            return {}
        found = {}
        for name, why_not in WHY_NOT.items():
            reason = why_not(self.world, deal)
            if reason:
                found[name] = reason
        return found

    # -- the forecast --------------------------------------------------------------------
    def call_forecast(self, deal_id: str, call: str) -> None:
        """Call an open deal commit, best_case or pipeline for this period; the call stands until changed."""
        if self.over:
            raise GameOver("The game is over.")
        if call not in FORECAST_CALLS:
            raise ActionRefused(f"Unknown forecast call '{call}': expected {', '.join(FORECAST_CALLS)}.")
        notes = self._notes_by_id.get(deal_id)
        if notes is None:
            raise ActionRefused(f"No deal '{deal_id}' in this game.")
        if notes.deal.ended:
            raise ActionRefused(f"This deal has ended ({STAGE_LABELS[notes.deal.state]}); it needs no forecast.")
        if notes.call == call:
            return
        notes.call = call
        self._calls_changed[deal_id] = call
        self._views = None

    def forecast_call(self, deal_id: str) -> str:
        """The deal's standing forecast call."""
        notes = self._notes_by_id.get(deal_id)
        return PIPELINE if notes is None else notes.call

    # -- turns --------------------------------------------------------------------------
    def end_turn(self) -> list[str]:
        """Carry out the queued actions and simulate the week; returns the week's feed as sentences."""
        if self.over:
            raise GameOver("The game is over.")
        world = self.world
        start = world.now
        # The open deals, in order: those whose view still changed at the start of the turn, less any ended since.
        for notes in self._changing:
            deal = notes.deal
            if not deal.ended:
                notes.add(notes.call, deal.value, deal.working_stage)
                notes.calls.append(notes.call)
        for order, queued in enumerate(self._queue.values()):
            spec = ACTIONS[queued.action]
            day = start + spec.lead_days + 0.5 + order * 0.01
            notes = self._notes_by_id[queued.deal_id]
            if notes.pending is None:
                notes.pending = {}
            notes.pending[queued.action] = day
            world.call_after(day - world.now, self._on_action_day, queued)
            self._hours_spent += queued.hours
            if queued.action in PRESSURE_ACTIONS:
                self._pressure_hours += queued.hours
        self.log.append(Turn([(q.deal_id, q.action, q.target) for q in self._queue.values()],
                             dict(self._calls_changed)))
        self._queue.clear()
        self._calls_changed.clear()
        world.feed.clear()  # last week's lines went out with last week's observation
        world.run_until(self.week * DAYS_PER_WEEK)
        self.week += 1
        self.hours_left = self.hours_per_week + self._refunded
        self._refunded_this_week, self._refunded = self._refunded, 0
        if self.week > self.weeks or world.open_count == 0:
            self.over = True
            world.close()
        self._start_turn()
        return [item.text for item in world.feed]

    def _on_action_day(self, queued: QueuedAction) -> None:
        """A booked action's day: a crisis postpones a meeting to after it; otherwise it happens now."""
        world = self.world
        notes = self._notes_by_id[queued.deal_id]
        deal = notes.deal
        spec = ACTIONS[queued.action]
        account = deal.account
        if account.crisis_until > world.now and spec.lead_days > 1 and not deal.ended:
            new_day = account.crisis_until + 0.5
            assert notes.pending is not None
            notes.pending[queued.action] = new_day
            world.note(account.id, deal, "postponed",
                       f"{world.label(deal)}: your {spec.label.lower()} meeting "
                       f"is postponed to day {new_day:.0f} ({account.last_crisis_text}).")
            world.call_after(new_day - world.now, self._carry_out, queued)
            return
        self._carry_out(queued)

    def _carry_out(self, queued: QueuedAction) -> None:
        """A booked action happens; refunded if the deal has ended."""
        world = self.world
        notes = self._notes_by_id[queued.deal_id]
        deal = notes.deal
        assert notes.pending is not None
        notes.pending.pop(queued.action, None)
        if deal.ended:
            self._refunded += queued.hours
            self._hours_spent -= queued.hours
            if queued.action in PRESSURE_ACTIONS:
                self._pressure_hours -= queued.hours
            world.note(deal.account_id, deal, "refunded",
                       f"{world.label(deal)}: your {ACTIONS[queued.action].label.lower()} did not happen, the deal "
                       f"had already ended ({STAGE_LABELS[deal.state]}); {queued.hours} h refunded to next week.")
            return
        counts = notes.done.copy()
        counts[queued.action] = counts.get(queued.action, 0) + 1
        notes.done = MappingProxyType(counts)
        perform(world, deal, queued.action, queued.target, self._action_rngs[deal.id])

    def _start_turn(self) -> None:
        """Record the week's start: noisy reads, the close each deal is forecast for, bookings (in a fixed order)."""
        world = self.world
        day = world.now
        draw = self._observe_rng.random
        trust_reads = self._trust_reads
        for account in world.accounts.values():
            # Triangular noise (the difference of two uniforms): cheap, bounded, mean zero.
            trust_reads[account.id] = rounded(clamp(account.trust + (draw() - draw()) * 0.12), 2)
        reads = self._no_reads[:]
        true_attention = self._no_reads[:]
        # Every deal, in order, takes four draws for its reads, ended or not; those of deals whose
        # view is fixed are passed over in one call (`getrandbits` uses the stream as `random` does:
        # 64 bits a draw), so a turn costs the deals still changing, not every deal there was.
        skip = self._observe_rng.getrandbits
        changing: list[SellerNotes] = []
        changing_places: list[int] = []
        last = -1
        for notes in self._changing:
            deal, place = notes.deal, notes.place
            if place > last + 1:
                skip(_DRAWS_BITS * (place - last - 1))
            last = place
            noise_attention = (draw() - draw()) * 0.17
            noise_urgency = (draw() - draw()) * 0.17
            if deal.ended:
                # An ended deal's view is fixed at the first turn after it ended.
                self._ended_views[place] = self._deal_view(notes)
                continue
            changing.append(notes)
            changing_places.append(place)
            attention, urgency = deal.curves.reads(day)
            read = rounded(clamp(attention + noise_attention), 2)
            notes.attention_read = read
            notes.urgency_read = rounded(clamp(urgency + noise_urgency), 2)
            reads[place] = read
            true_attention[place] = rounded(attention, 3)
            notes.weeks_read += 1
        if len(world.deals) > last + 1:
            skip(_DRAWS_BITS * (len(world.deals) - last - 1))
        self._reads.append(reads)
        self._true_attention.append(true_attention)
        self._changing, self._changing_places = changing, changing_places
        self._bookings_by_week.append(self.world.bookings)
        self._views = None

    # -- observation ---------------------------------------------------------------------
    def _plan_status(self, deal: Deal) -> str:
        if deal.plan is None:
            return "none"
        if deal.ended:
            return "done" if deal.state == "won" else "ended"
        return "slipping" if deal.plan.slipping(deal.working_stage, self.world.now) else "on track"

    def _forecast_close(self, deal: Deal) -> float:
        """The close the seller can forecast: the plan's date as it now stands, or a stage-count guess."""
        now = self.world.now
        if deal.plan is not None:
            return max(now, deal.plan.expected_close(deal.working_stage, now))
        remaining = len(ACTIVE_STAGES) - stage_index(deal.working_stage)
        return now + NAIVE_DAYS_PER_STAGE * remaining

    def _milestones(self, deal: Deal) -> tuple[MilestoneView, ...]:
        now = self.world.now
        plan = deal.plan
        assert plan is not None
        reached = stage_index(deal.working_stage)
        if deal.ended:
            furthest = max((stage_index(stage) for _, stage in deal.history if stage in ACTIVE_STAGES), default=0)
            reached = furthest + 1 if deal.state == "won" else furthest
        milestones = []
        for stage, target in plan.milestones:
            if stage_index(stage) < reached:
                status = "done"
            elif deal.ended:
                status = "not reached"
            elif now > target + 3.0:
                status = "slipping"
            else:
                status = "on track"
            milestones.append(MilestoneView(stage, target, status))
        return tuple(milestones)

    def _deal_view(self, notes: SellerNotes) -> DealView:
        deal = notes.deal
        deal_id = deal.id
        account = deal.account
        work = deal.work
        ended = deal.ended
        attention, urgency = notes.attention_read, notes.urgency_read
        plan_status = self._plan_status(deal)
        plan = None
        if deal.plan is not None:
            plan = PlanView(deal.plan.close_day, self._milestones(deal), plan_status, deal.plan.version,
                            deal.plan.created_day)
        known = work.known_initiatives
        aligned = None
        if known is not None:
            aligned = deal.initiative in known[:2] or (
                work.framed_initiative is not None and work.framed_initiative in known[:2])
        pending = notes.pending
        # Every change to a deal (`World.changing`) counts in its timer version; a discovery
        # changes the account's deals too, and is counted there.
        people = notes.people
        if people is None or people[0] != deal.timer_version or people[1] != account.discoveries:
            people = notes.people = (deal.timer_version, account.discoveries, discovered_people(deal.group.members))
        # The fields in their order (a view is made for every open deal every turn, and keywords cost more).
        return _new_view(DealView, (
            deal_id, deal.title, account.id, account.name, deal.value,  # id, title, account_id, account, value
            deal.state, deal.stalled_from if deal.state == STALLED else None,  # stage, stalled_from
            0 if ended else int(self.world.now - deal.stage_entered_day),  # days_in_stage
            attention, urgency, self._trust_reads.get(account.id, 0.5),  # attention, urgency, trust
            plan, plan_status,
            None if ended else self._forecast_close(deal),  # forecast_close_day
            None if ended else notes.call,  # forecast_call
            deal.business_impact if work.impact_quantified else None,  # impact
            deal.initiative, known, aligned, work.group_mapped,  # initiative, known_initiatives, aligned, group_mapped
            StakeholderReads(self.seed, self.week, deal_id, people[2]),  # stakeholders
            deal.history, AttentionTrend(self._reads, notes.place, notes.weeks_read),  # history, attention_trend
            () if ended or not pending else tuple(sorted(pending.items())),  # pending
            notes.done,  # done
            deal.state if ended else None, deal.closed_day,  # ending, closed_day
            ((self._story(deal).brief if deal.closed_day else in_game_line(deal)) if ended else ""),  # explanation
        ))

    def _story(self, deal: Deal) -> Story:
        """The deal's story as it stands; an ended deal's no longer changes, so it is told once."""
        story = self._stories.get(deal.id)
        if story is None:
            story = explain(deal, self.world.end_day)
            if deal.ended and deal.closed_day:  # told alike on any day after it ended
                self._stories[deal.id] = story
        return story

    def observe(self) -> Observation:
        """What the seller sees now: the week, hours, bookings, the deals as known, and the feed."""
        if self._views is None:
            self._views = DealViews(self._ended_views, tuple([self._deal_view(deal) for deal in self._changing]),
                                    self._changing_places)
        return Observation(
            scenario_id=self.scenario.scenario.id, title=self.scenario.scenario.title,
            week=min(self.week, self.weeks), weeks=self.weeks, day=self.world.now, hours_left=self.hours_left,
            hours_per_week=self.hours_per_week, quota=self.scenario.seller.quota, bookings=self.world.bookings,
            deals=self._views,
            queued=tuple(QueuedView(i, q.deal_id, q.action, q.hours, q.target)
                         for i, q in enumerate(self._queue.values())),
            feed=tuple(self.world.feed), over=self.over,
            hours_refunded=self._refunded_this_week,
        )

    # -- results ----------------------------------------------------------------------------
    def result(self, strategy: str = "human") -> RunResult:
        """The score card and each deal's ending, causes, explanation and lessons, as they stand now."""
        deals = []
        counts = dict.fromkeys(ENDING_KEYS, 0)
        cycles: list[float] = []
        for notes in self._notes:
            deal, place = notes.deal, notes.place
            ending = deal.state if deal.ended else "open"
            counts[ending] += 1
            story = self._story(deal)
            cycle = deal.closed_day if ending == "won" and deal.history[0][1] != "won" else None
            if cycle is not None:
                cycles.append(cycle)
            deals.append(DealResult(
                id=deal.id, title=deal.title, account=deal.account.name, value=deal.value, ending=ending,
                ending_reason=story.reason, closed_day=None if deal.closed_day is None else rounded(deal.closed_day, 1),
                stages=tuple((rounded(day, 1), stage) for day, stage in deal.history), explanation=story.text,
                lesson=story.lesson, lesson_key=story.lesson_key, lesson_keys=story.lesson_keys,
                cycle_days=None if cycle is None else rounded(cycle, 1),
                attention_by_week=tuple([week[place] for week in self._true_attention[:notes.weeks_read]]),
                causes=tuple(deal.causes),
                forecast_calls=tuple(notes.calls),
            ))
        won = {deal.id for deal in self.world.deals if deal.state == "won"}
        bookings, quota = self.world.bookings, self.scenario.seller.quota
        error = self._forecast_score.error(won)
        hits = self._forecast_score.commit_hit_rate(won)
        accounts = self.world.accounts.values()
        return RunResult(
            scenario=self.scenario.scenario.id, seed=self.seed, strategy=strategy, weeks=self.weeks,
            bookings=bookings, quota=quota,
            trust=rounded(sum(account.trust for account in accounts) / len(accounts), 3), counts=counts,
            deals=tuple(deals), cycle_days_mean=rounded(sum(cycles) / len(cycles), 1) if cycles else None,
            forecast_error=None if error is None else rounded(error, 4),
            commit_hit_rate=None if hits is None else rounded(hits, 3),
            pressure_hours=self._pressure_hours, hours_spent=self._hours_spent,
            bookings_by_week=tuple(self._bookings_by_week),
        )

    # -- saves ----------------------------------------------------------------------------
    def to_save(self) -> dict[str, object]:
        """The save: scenario, seed, each finished turn's actions and calls, and this week's so far, as JSON data."""
        queued = Turn([(q.deal_id, q.action, q.target) for q in self._queue.values()], dict(self._calls_changed))
        return savefile.to_json(self.scenario, self.seed, self.week, self.log, queued)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the save atomically (a crash mid-write never leaves a damaged file)."""
        return savefile.write(path, self.to_save())

    @classmethod
    def replay(cls, scenario: Scenario, seed: int, turns: list[Turn], queued: Turn | None = None) -> Game:
        """The game that a log of turns gives on a scenario and seed; raises SaveError if the log does not replay."""
        game = cls(scenario, seed)
        for number, turn in enumerate([*turns, queued or Turn()], start=1):
            last = number > len(turns)
            if game.over:
                if last and not turn.actions and not turn.calls:
                    break
                raise SaveError(f"The save file is damaged: it has turns after the game ended (turn {number}).")
            try:
                for deal_id, call in turn.calls.items():
                    game.call_forecast(deal_id, call)
                for deal_id, action, target in turn.actions:
                    game.act(deal_id, action, target)
            except ActionRefused as refused:
                raise SaveError(f"The save file is damaged: turn {number}: {refused}") from None
            if not last:
                game.end_turn()
        return game

    @classmethod
    def from_save(cls, data: object) -> Game:
        """Rebuild a game from save data by replaying its action log; raises SaveError if it is not one."""
        save = savefile.parse(data)
        return cls.replay(save.scenario, save.seed, save.turns, save.queued)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Game:
        """Load a save file; a missing, damaged or foreign file raises SaveError."""
        save = savefile.read(path)
        return cls.replay(save.scenario, save.seed, save.turns, save.queued)
