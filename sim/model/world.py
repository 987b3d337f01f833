"""The simulated world: accounts and deals on a SimPy clock, with crises, shifts, turnover and freezes."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, NamedTuple

from sim.model.account import AccountState
from sim.model.buying import BuyingProcess
from sim.model.causes import Cause, flat_values
from sim.model.clock import Clock
from sim.model.curves import Curves, rounded
from sim.model.deal import DRIVE_WEIGHTS, Deal
from sim.model.decisions import initiative_score
from sim.model.events import Call, Threshold
from sim.model.group import NEWCOMER_SUPPORT, BuyingGroup, Member, Person, starting_support
from sim.model.plan import BuyingPlan, agree_plan
from sim.model.process import StageRules
from sim.model.streams import Draws, Streams
from sim.stages import ENDINGS, STALLED, stage_index

if TYPE_CHECKING:
    from sim.scenario.models import Event as ScriptedEvent
    from sim.scenario.models import Scenario

RESUME_LEVEL: Final = 0.3  # engagement a stalled deal needs to start moving again
DAYS_PER_WEEK: Final = 7
# Causes of a stall after which the customer can come back by itself once its
# attention recovers; other stalls need the seller to re-engage them.
SELF_RECOVERING: Final[tuple[str, ...]] = ("drift", "crisis")
FLOOR_PER_CRITICALITY: Final = 0.32  # attention a problem's criticality holds by itself
INITIATIVE_FLOOR: Final = 0.12  # extra attention for a deal serving the top initiative (75% of it for the second)
FELT_TO_HOLD: Final = 0.3  # how much of the problem the customer must feel before it holds attention by itself


class FeedItem(NamedTuple):
    """One line of the event feed (a named tuple: a game writes a hundred or more)."""

    day: float
    account: str
    deal: str | None
    kind: str
    text: str


def _people(spec_people: list, account_id: str) -> list[Person]:  # noqa: ANN001 - scenario stakeholders
    """The account's people; an account without named stakeholders has one anonymous contact."""
    people = [Person(s.id, s.name, s.role, s.influence, s.support, tuple(s.priorities)) for s in spec_people]
    if not people:
        people = [Person(f"{account_id}-contact", "your contact", "champion", 0.5, 0.5)]
    contact = next((person for person in people if person.role == "champion"), people[0])
    contact.discovered = True  # the seller's existing contact
    return people


class Change:
    """One change to a deal, as a context manager (see `World.changing`)."""

    __slots__ = ("world", "deal")

    def __init__(self, world: World, deal: Deal) -> None:
        self.world = world
        self.deal = deal

    def __enter__(self) -> Deal:
        self.deal.settle(self.world.env.now)
        return self.deal

    def __exit__(self, *_exception: object) -> None:
        self.world._changed(self.deal)


class World:
    """Accounts and deals evolving in simulated days; the Game drives it turn by turn."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.env = Clock()
        self.rules = StageRules(self)
        self.process = BuyingProcess(self.rules)
        self.feed: list[FeedItem] = []  # this turn's events: the Game clears it as each turn ends
        self.wither_days = scenario.scenario.wither_weeks * DAYS_PER_WEEK
        self.end_day = scenario.scenario.weeks * DAYS_PER_WEEK
        self.bookings = 0
        self.accounts: dict[str, AccountState] = {}
        self.deals: list[Deal] = []
        self.deal_by_id: dict[str, Deal] = {}
        self.deals_at: dict[str, list[Deal]] = {account.id: [] for account in scenario.accounts}  # by account
        trust = scenario.seller.trust
        for account in scenario.accounts:
            self.accounts[account.id] = AccountState(
                account.id, account.name, account.buying_maturity, list(account.initiatives),
                _people(account.stakeholders, account.id), trust,
            )
        for spec in scenario.deals:
            state = self.accounts[spec.account]
            status_quo = spec.stage == "status_quo"
            group = BuyingGroup([Member(person, starting_support(person, spec.initiative)) for person in state.people])
            deal = Deal(
                id=spec.id, title=spec.title, account=state, value=spec.value,
                business_impact=spec.business_impact, criticality=spec.criticality, initiative=spec.initiative,
                competitor_strength=spec.competitor_strength, start_stage=spec.stage,
                # Customers past the status quo already feel some of the problem's cost.
                curves=Curves(spec.attention, 0.0 if status_quo else 0.2 + 0.3 * spec.criticality, 0.0),
                group=group, felt=0.0 if status_quo else 0.3 + 0.4 * spec.criticality, state=spec.stage,
                history=((0.0, spec.stage),),
            )
            deal.curves.floor = self.attention_floor(deal)
            if spec.stage in ENDINGS:
                deal.closed_day = 0.0
                deal.ended = True
            elif spec.stage == STALLED:
                deal.stalled_from = "status_quo"
                deal.stall_cause = "drift"
            self.deals_at[state.id].append(deal)
            self.deals.append(deal)
            self.deal_by_id[deal.id] = deal
        self.outcomes = Streams(seed, "outcomes")
        self.plans = Streams(seed, "plans")
        self.open_count = sum(not deal.ended for deal in self.deals)
        for deal in self.deals:
            self.reschedule(deal)
        self._start_exogenous_events()

    # -- time -----------------------------------------------------------------
    @property
    def now(self) -> float:
        """The current day."""
        return self.env.now

    def call_after(self, delay: float, function: Callable[..., object], *args: object) -> None:
        """Call `function(*args)` `delay` days from now: one SimPy event with its callback, no process."""
        if delay < 0:
            raise ValueError(f"Negative delay {delay}")
        Call(self.env, delay, function, args)

    def close(self) -> None:
        """The game is over: drop what holds the world (the events still booked, the rules), so it is freed at once.

        Without this, a world would wait for Python's cycle collector, which `play` pauses.
        """
        self.env.clear()
        del self.rules.world

    def run_until(self, day: float) -> None:
        """Advance the clock to `day`; events at exactly `day` happen in the next call."""
        if day > self.env.now:
            self.env.run_before(day)

    def note(self, account: str, deal: Deal | None, kind: str, text: str) -> None:
        """Add a sentence to the event feed."""
        self.feed.append(FeedItem(self.env.now, account, deal.id if deal else None, kind, text))

    def record(self, deal: Deal, kind: str, fact: str, **values: float | str | bool) -> None:
        """Record a causal fact about a deal, with its day, for the debrief."""
        deal.causes.append(Cause(self.env.now, kind, fact, flat_values(values)))

    def label(self, deal: Deal) -> str:
        """How the feed names a deal: account and title."""
        return f"{deal.account.name} · {deal.title}"

    # -- the one way to change a deal -------------------------------------------
    def changing(self, deal: Deal) -> Change:
        """A change to a deal, made as `with world.changing(deal):`.

        Its curves are settled to now first; after the change (even one that raised) its
        attention floor is set again and its next threshold rescheduled.
        """
        return Change(self, deal)

    def _changed(self, deal: Deal) -> None:
        """After a change: the deal's attention floor set again, its next threshold rescheduled."""
        deal.curves.floor = self.attention_floor(deal)
        self.reschedule(deal)

    def attention_floor(self, deal: Deal) -> float:
        """The attention a deal holds by itself: from its criticality and its place in the priorities.

        Only a problem the customer feels holds attention: until then neither holds any.
        """
        ranking = initiative_score(deal.account.initiatives, deal.initiative, deal.work.framed_initiative)
        felt = min(1.0, deal.felt / FELT_TO_HOLD)
        return min(0.9, (FLOOR_PER_CRITICALITY * deal.criticality + INITIATIVE_FLOOR * ranking) * felt)

    def reschedule(self, deal: Deal) -> None:
        """Book the deal's next threshold event (stage done, stall, resume or wither).

        A stalled deal's next threshold has a closed form. An active deal's (the day its
        stage is done, solved for, or the day it stalls) is booked at once with its place
        in the order of events, but solved only at a look-again day halfway to the
        earliest it could be, when nothing has changed the deal since: most are
        superseded by a change before then, and are never solved. The solve takes the
        pace as it was when booked, so the day found is the one an immediate solve gives.
        """
        deal.timer_version += 1
        if deal.ended:
            return
        env = self.env
        now = env.now
        if deal.stalled:
            day = deal.stalled_since + self.wither_days
            kind = "wither"
            if deal.stall_cause in SELF_RECOVERING:
                recover = deal.curves.day_attention_recovers(RESUME_LEVEL)
                if deal.stalled_from and stage_index(deal.stalled_from) >= stage_index("business_case"):
                    recover = max(recover, deal.account.frozen_until + 0.01)
                if recover < day:
                    day, kind = recover, "recover"
            if day < self.end_day and not math.isinf(day):
                Threshold(env, now + max(0.0, day - now), self._on_timer, deal, deal.timer_version, kind)
            return
        curves = deal.curves
        state = deal.state
        weights = DRIVE_WEIGHTS[state]
        speed = deal.speed()
        work = deal.stage_work(state)
        lost = curves.day_engagement_lost()  # closed form; only the day the stage is done needs solving
        remaining = work - curves.progress0
        # The drive never exceeds its value with attention at the higher of now and its floor.
        peak = weights[0] * max(curves.attention0, curves.floor) + weights[1] * curves.urgency0
        if remaining > 0 and peak > 0:
            earliest = min(now + remaining / (speed * peak), lost)
            look = now + 0.5 * (earliest - now)
            if look > now:
                if look < self.end_day:  # else the threshold is past the game's end: nothing to book
                    Threshold(env, look, self._look_again, deal, deal.timer_version, "", now, speed, work, lost)
                return
        found = self._threshold(deal, speed, work, lost)
        if found is not None:
            Threshold(env, now + max(0.0, found[0] - now), self._on_timer, deal, deal.timer_version, found[1])

    def _look_again(self, event: Threshold) -> None:
        """A booked threshold's look-again day: if the deal is as it was, solve for the day, keeping the place."""
        deal = event.deal
        if event.version != deal.timer_version or deal.ended:
            return
        found = self._threshold(deal, event.speed, event.work, event.lost)
        if found is None:
            return
        day, kind = found
        event.due(self._on_timer, kind)
        booked = event.booked
        self.env.move(event, booked + max(0.0, day - booked))  # as a timeout booked then

    def _threshold(self, deal: Deal, speed: float, work: float, lost: float) -> tuple[float, str] | None:
        """An active deal's next threshold at this pace, as (day, "done" or "stall"); None if not before the end.

        `lost` is the day its engagement falls below the stall level.
        """
        done = deal.curves.day_work_done(DRIVE_WEIGHTS[deal.state], speed, work, self.end_day)
        day, kind = (done, "done") if done <= lost else (lost, "stall")
        if day >= self.end_day or math.isinf(day):
            return None
        return day, kind

    def _on_timer(self, event: Threshold) -> None:
        """A threshold is due: if nothing has changed the deal since it was booked, it happens."""
        deal, kind = event.deal, event.kind
        if event.version != deal.timer_version or deal.ended:
            return
        with self.changing(deal):
            if kind == "done":
                deal.curves.progress0 = max(deal.curves.progress0, deal.stage_work(deal.state))
                self.fire(deal, "finish")
            elif kind == "stall":
                cause = "crisis" if deal.account.crisis_until > self.env.now - DAYS_PER_WEEK else "drift"
                self.stall(deal, cause)
            elif kind == "recover":
                self.resume(deal, "attention came back")
            else:
                self.fire(deal, "wither")

    # -- moving through the buying process ------------------------------------------
    def fire(self, deal: Deal, trigger: str, *details: object) -> None:
        """Fire a buying-process trigger; the process's rules and callbacks do the rest."""
        deal.now = self.env.now
        was_open = not deal.ended
        self.process.fire(deal, trigger, *details)
        if was_open and deal.ended:
            self.open_count -= 1

    def stall(self, deal: Deal, cause: str) -> None:
        """Stall an active deal, remembering where and why."""
        deal.stalled_from = deal.state
        deal.stall_cause = cause
        deal.stalled_since = self.env.now
        self.fire(deal, "stall")

    def resume(self, deal: Deal, reason: str) -> bool:
        """Resume a stalled deal where it stopped; False while budgets are frozen."""
        if not deal.stalled or deal.stalled_from is None:
            return False
        if (deal.account.frozen_until > self.env.now
                and stage_index(deal.stalled_from) >= stage_index("business_case")):
            return False
        self.fire(deal, f"resume_{deal.stalled_from}", reason)
        return True

    # -- exogenous events --------------------------------------------------------
    def _start_exogenous_events(self) -> None:
        """Schedule the first of each account's random events, then the first scripted story beat."""
        for spec in self.scenario.accounts:
            rates = (
                ("crisis", spec.crisis_rate, self.crisis),
                ("priority_shift", spec.priority_shift_rate, self.priority_shift),
                ("turnover", spec.turnover_rate, self.stakeholder_leaves),
                ("budget_freeze", spec.budget_freeze_rate, self.budget_freeze),
            )
            for kind, rate, handler in rates:
                if rate / DAYS_PER_WEEK > 0:  # a rate so small it underflows never fires
                    self._poisson(self.accounts[spec.id], rate, handler, Draws(self.seed, "world", spec.id, kind))
        if self.scenario.events:
            self._scripted(sorted(self.scenario.events, key=lambda e: e.week), 0)

    def _poisson(self, account: AccountState, rate: float, handler: Callable[..., None], rng: Draws) -> None:
        """Events of one kind at one account, at `rate` a week, each scheduling the next.

        The draws come from the event's own stream, so they never depend on the player.
        """

        self.call_after(rng.expovariate(rate / DAYS_PER_WEEK), self._poisson_event, account, rate, handler, rng)

    def _poisson_event(self, account: AccountState, rate: float, handler: Callable[..., None],
                       rng: Draws) -> None:
        """One of the events of `_poisson`: its severity and pick drawn, it happens, and the next is booked."""
        severity = rng.uniform(0.3, 1.0)
        pick = rng.random()
        handler(account, severity, pick, None, "")
        self._poisson(account, rate, handler, rng)

    def _scripted(self, events: list[ScriptedEvent], start: int) -> None:
        """The scripted story beats from `start` on, in week order: those due now happen, the next is scheduled."""
        for position in range(start, len(events)):
            event = events[position]
            day = (event.week - 1) * DAYS_PER_WEEK + 0.25
            if day >= self.end_day:
                return
            if day > self.env.now:
                self.call_after(day - self.env.now, self._scripted_beat, events, position)
                return
            self._happen(event)

    def _scripted_beat(self, events: list[ScriptedEvent], position: int) -> None:
        """The beat at `position` is due: it happens, and the beats after it are played or booked."""
        self._happen(events[position])
        self._scripted(events, position + 1)

    def _happen(self, event: ScriptedEvent) -> None:
        """A scripted story beat happens at its account."""
        handlers: dict[str, Callable[..., None]] = {
            "crisis": self.crisis,
            "priority_shift": self.priority_shift,
            "stakeholder_leaves": self.stakeholder_leaves,
            "budget_freeze": self.budget_freeze,
        }
        detail = event.initiatives if event.kind == "priority_shift" else event.stakeholder
        handlers[event.kind](self.accounts[event.account], event.severity, 0.0, detail, event.text)

    def _each_open_deal(self, account: AccountState, change: Callable[[Deal], None]) -> None:
        for deal in self.deals_at[account.id]:
            if not deal.ended:
                with self.changing(deal):
                    change(deal)

    def crisis(self, account: AccountState, severity: float, _pick: float, _detail: object, text: str) -> None:
        """A crisis pulls the account's attention away and postpones its meetings."""
        account.crisis_until = max(account.crisis_until, self.env.now + DAYS_PER_WEEK + 21 * severity)
        account.last_crisis_text = text or "an operational crisis"
        self.note(account.id, None, "crisis",
                  text or f"A crisis at {account.name} pulls its leadership away (severity {severity:.0%}).")

        def hit(deal: Deal) -> None:
            before = deal.curves.attention0
            deal.curves.attention0 *= 1.0 - 0.7 * severity
            self.record(deal, "crisis", f"A crisis took attention from {before:.2f} to {deal.curves.attention0:.2f}.",
                        severity=rounded(severity, 2), attention_before=rounded(before, 3),
                        attention_after=rounded(deal.curves.attention0, 3))

        self._each_open_deal(account, hit)

    def priority_shift(self, account: AccountState, _severity: float, pick: float, detail: object, text: str) -> None:
        """The account's strategic initiatives are re-ranked."""
        if isinstance(detail, list) and detail:
            ranking = list(detail) + [i for i in account.initiatives if i not in detail]
        elif len(account.initiatives) > 1:
            rising = account.initiatives[1 + int(pick * (len(account.initiatives) - 1))]
            ranking = [rising] + [i for i in account.initiatives if i != rising]
        else:
            return
        before = list(account.initiatives)
        account.initiatives[:] = ranking
        self.note(account.id, None, "priority_shift",
                  text or f"{account.name} reshuffles its priorities: '{ranking[0]}' is now the top initiative.")

        def shifted(deal: Deal) -> None:
            was = initiative_score(before, deal.initiative, deal.work.framed_initiative)
            now = initiative_score(ranking, deal.initiative, deal.work.framed_initiative)
            if was != now:
                self.record(deal, "priority_shift",
                            f"Priorities shifted: '{ranking[0]}' became the top initiative, and this deal's fit "
                            f"with the top two went from {was:.2f} to {now:.2f}.",
                            alignment_before=was, alignment_after=now, top=ranking[0])

        self._each_open_deal(account, shifted)

    def stakeholder_leaves(self, account: AccountState, _severity: float, pick: float, detail: object,
                           text: str) -> None:
        """Someone in the buying group leaves; a neutral newcomer, unknown to the seller, takes the role."""
        present = account.present()
        if not present:
            return
        leaving = next((p for p in present if p.id == detail), None) or present[int(pick * len(present))]
        leaving.present = False
        account.hires += 1
        newcomer = Person(f"{leaving.role}-{account.hires}", f"new {leaving.role.replace('_', ' ')}",
                          leaving.role, leaving.influence, NEWCOMER_SUPPORT, newcomer=True)
        account.people.append(newcomer)
        self.note(account.id, None, "turnover",
                  text or f"{leaving.name} ({leaving.role.replace('_', ' ')}) has left {account.name}.")

        def replace(deal: Deal) -> None:
            gone = deal.group.leave(leaving)
            deal.group.join(newcomer, NEWCOMER_SUPPORT)
            deal.work.group_mapped = False
            coached = gone.coached if gone is not None else 0.0
            self.record(deal, "turnover", f"{leaving.name} ({leaving.role.replace('_', ' ')}) left; a newcomer "
                        "took the role." + (" The coaching went with them." if coached > 0 else ""),
                        role=leaving.role, person=leaving.name, coaching_lost=rounded(coached, 3),
                        was_met=bool(gone is not None and gone.met))
            if leaving.role == "champion":
                deal.curves.attention0 = max(0.0, deal.curves.attention0 - 0.15)
                deal.curves.progress0 *= 0.6
            elif leaving.role == "economic_buyer" and stage_index(deal.working_stage) >= stage_index("business_case"):
                deal.curves.progress0 *= 0.5

        self._each_open_deal(account, replace)

    def budget_freeze(self, account: AccountState, severity: float, _pick: float, _detail: object,
                      text: str) -> None:
        """Budgets freeze: deals at the business case or later stall until it lifts."""
        account.frozen_until = max(account.frozen_until, self.env.now + (3 + 4 * severity) * DAYS_PER_WEEK)
        week = int(account.frozen_until // DAYS_PER_WEEK) + 1
        self.note(account.id, None, "budget_freeze",
                  text or f"{account.name} freezes new spending until week {week}.")
        for deal in self.deals_at[account.id]:
            if not deal.ended and not deal.stalled and stage_index(deal.state) >= stage_index("business_case"):
                with self.changing(deal):
                    self.stall(deal, "freeze")

    # -- the seller's plans -------------------------------------------------------
    def make_plan(self, deal: Deal) -> BuyingPlan:
        """Agree a joint buying plan with the customer, and book its milestone reviews."""
        now = self.env.now
        version = (deal.plan.version + 1) if deal.plan else 1
        deal.plan = agree_plan(now, deal.remaining_work(), deal.account.maturity, version, self.plans[deal.id])
        for _stage, target in deal.plan.milestones:
            self.call_after(max(0.0, target - now), self._plan_review, deal, version)
        return deal.plan

    def _plan_review(self, deal: Deal, version: int) -> None:
        """A plan milestone review: the customer's team meets and the deal gets attention."""
        if deal.ended or deal.plan is None or deal.plan.version != version:
            return
        with self.changing(deal):
            deal.curves.attention0 = min(1.0, deal.curves.attention0 + 0.15)
            if deal.stalled and deal.engagement(self.env.now) >= RESUME_LEVEL:
                self.resume(deal, "the plan's milestone review brought them back")


__all__ = ["AccountState", "FeedItem", "Person", "RESUME_LEVEL", "World"]
