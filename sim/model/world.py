"""The simulated world: accounts and deals on a SimPy clock, with crises, shifts and decisions."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from sim.model.buying import new_machine
from sim.model.causes import Cause
from sim.model.deal import DRIVE_WEIGHTS, BuyingPlan, Deal
from sim.model.decisions import (
    approval_chance,
    business_case_go_chance,
    case_strength,
    initiative_score,
    stuck_chance,
    vendor_win_chance,
)
from sim.stages import ACTIVE_STAGES, ENDINGS, STAGE_LABELS, STALLED, stage_index

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

RESUME_LEVEL = 0.3  # engagement a stalled deal needs to start moving again
DAYS_PER_WEEK = 7
# Causes of a stall after which the customer can come back by itself once its
# attention recovers; other stalls need the seller to re-engage them.
SELF_RECOVERING = ("drift", "crisis")


@dataclass(slots=True)
class FeedItem:
    """One line of the event feed."""

    day: float
    account: str
    deal: str | None
    kind: str
    text: str


@dataclass(slots=True)
class Person:
    """A stakeholder as simulated (present or gone, discovered by the seller or not)."""

    id: str
    name: str
    role: str
    influence: float
    support: float
    present: bool = True
    discovered: bool = False


class AccountState:
    """A customer organisation during a run."""

    __slots__ = ("id", "name", "maturity", "initiatives", "people", "deals", "crisis_until", "frozen_until",
                 "last_crisis_text", "hires")

    def __init__(self, id: str, name: str, maturity: float, initiatives: list[str], people: list[Person]) -> None:
        self.id = id
        self.name = name
        self.maturity = maturity
        self.initiatives = initiatives
        self.people = people
        self.deals: list[Deal] = []
        self.crisis_until = -math.inf
        self.frozen_until = -math.inf
        self.last_crisis_text = ""
        self.hires = 0

    def champion(self) -> Person | None:
        """The present champion, if the account has one."""
        for person in self.people:
            if person.present and person.role == "champion":
                return person
        return None


def stream(seed: int, *names: str) -> random.Random:
    """An independent random stream for one purpose, derived from the run's seed."""
    return random.Random(":".join((str(seed), *names)))


class World:
    """Accounts and deals evolving in simulated days; the Game drives it turn by turn."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.env = simpy.Environment()
        self.machine = new_machine()
        self.feed: list[FeedItem] = []
        self.wither_days = scenario.scenario.wither_weeks * DAYS_PER_WEEK
        self.end_day = scenario.scenario.weeks * DAYS_PER_WEEK
        self.bookings = 0
        self.accounts: dict[str, AccountState] = {}
        self.deals: list[Deal] = []
        self.deal_by_id: dict[str, Deal] = {}
        for account in scenario.accounts:
            people = [Person(s.id, s.name, s.role, s.influence, s.support) for s in account.stakeholders]
            state = AccountState(account.id, account.name, account.buying_maturity, list(account.initiatives), people)
            contact = state.champion() or (people[0] if people else None)
            if contact is not None:
                contact.discovered = True  # the seller's existing contact
            self.accounts[account.id] = state
        trust = scenario.seller.trust
        for spec in scenario.deals:
            account = self.accounts[spec.account]
            deal = Deal(
                id=spec.id, title=spec.title, account_id=spec.account, value=spec.value,
                business_impact=spec.business_impact, criticality=spec.criticality, initiative=spec.initiative,
                competitor_strength=spec.competitor_strength, start_stage=spec.stage, maturity=account.maturity,
                group_size=max(1, len(account.people)), trust=trust, attention0=spec.attention,
            )
            # Customers already past status quo feel some of the problem's cost.
            deal.urgency0 = 0.0 if spec.stage == "status_quo" else 0.2 + 0.3 * spec.criticality
            deal.floor = self.attention_floor(deal)
            self.machine.add_model(deal, initial=spec.stage)
            deal.history.append((0.0, spec.stage))
            if spec.stage in ENDINGS:
                deal.closed_day = 0.0
                deal.ended = True
            elif spec.stage == STALLED:
                deal.stalled_from = "status_quo"
                deal.stall_causes.append((0.0, "status_quo", "drift"))
            account.deals.append(deal)
            self.deals.append(deal)
            self.deal_by_id[deal.id] = deal
        self.outcomes = {deal.id: stream(seed, "outcomes", deal.id) for deal in self.deals}
        self.open_count = sum(not deal.ended for deal in self.deals)
        self._start_exogenous_processes()
        for deal in self.deals:
            self.reschedule(deal)

    # -- time -----------------------------------------------------------------
    @property
    def now(self) -> float:
        """The current day."""
        return self.env.now

    def run_until(self, day: float) -> None:
        """Advance the clock to `day`; events at exactly `day` happen in the next call."""
        if day > self.env.now:
            self.env.run(until=day)

    def note(self, account: str, deal: Deal | None, kind: str, text: str) -> None:
        """Add a sentence to the event feed."""
        self.feed.append(FeedItem(self.env.now, account, deal.id if deal else None, kind, text))

    def record(self, deal: Deal, kind: str, fact: str, **values: float | str | bool) -> None:
        """Record a causal fact about a deal, with its day, for the debrief."""
        deal.causes.append(Cause(self.env.now, kind, fact, tuple(values.items())))

    # -- the deal's continuous state --------------------------------------------
    def attention_floor(self, deal: Deal) -> float:
        """The attention a deal holds by itself: from its criticality and its place in the priorities."""
        account = self.accounts[deal.account_id]
        rank_bonus = 0.12 * initiative_score(account.initiatives, deal.initiative, deal.framed_initiative)
        return min(0.9, 0.32 * deal.criticality + rank_bonus)

    def reschedule(self, deal: Deal) -> None:
        """Schedule the deal's next threshold event (stage done, stall, resume or wither)."""
        deal.timer_version += 1
        if deal.ended:
            return
        if deal.stalled:
            day = deal.stalled_since + self.wither_days
            kind = "wither"
            cause = deal.stall_causes[-1][2] if deal.stall_causes else "drift"
            if cause in SELF_RECOVERING:
                recover = deal.day_attention_recovers(RESUME_LEVEL)
                account = self.accounts[deal.account_id]
                if deal.stalled_from and stage_index(deal.stalled_from) >= stage_index("business_case"):
                    recover = max(recover, account.frozen_until + 0.01)
                if recover < day:
                    day, kind = recover, "recover"
        else:
            done = deal.day_stage_done(self.end_day)
            lost = deal.day_engagement_lost()
            day, kind = (done, "done") if done <= lost else (lost, "stall")
        if day >= self.end_day or math.isinf(day):
            return
        version = deal.timer_version
        event = self.env.timeout(max(0.0, day - self.env.now))
        event.callbacks.append(lambda _event: self._on_timer(deal, version, kind))

    def _on_timer(self, deal: Deal, version: int, kind: str) -> None:
        if version != deal.timer_version or deal.ended:
            return
        deal.settle(self.env.now)
        if kind == "done":
            deal.progress0 = max(deal.progress0, deal.stage_work(deal.state))
            self._finish_stage(deal)
        elif kind == "stall":
            account = self.accounts[deal.account_id]
            cause = "crisis" if account.crisis_until > self.env.now - DAYS_PER_WEEK else "drift"
            self.stall(deal, cause)
        elif kind == "recover":
            self.resume(deal, "attention came back")
        elif kind == "wither":
            self._move(deal, "wither")
            self.note(deal.account_id, deal, "ended",
                      f"{self.label(deal)} withered into no decision after "
                      f"{self.wither_days // DAYS_PER_WEEK} weeks stalled.")
            self.record(deal, "withered", f"Withered into no decision after {self.wither_days // DAYS_PER_WEEK} "
                        "weeks stalled.", weeks=self.wither_days // DAYS_PER_WEEK)
        self.reschedule(deal)

    def label(self, deal: Deal) -> str:
        """How the feed names a deal: account and title."""
        return f"{self.accounts[deal.account_id].name} · {deal.title}"

    def _move(self, deal: Deal, trigger: str) -> None:
        deal.now = self.env.now
        self.machine.events[trigger].trigger(deal)
        if deal.ended:
            self.open_count -= 1

    def stall(self, deal: Deal, cause: str) -> None:
        """Stall an active deal, remembering where and why."""
        stage = deal.state
        deal.stalled_from = stage
        deal.stalled_since = self.env.now
        deal.stall_causes.append((self.env.now, stage, cause))
        self._move(deal, "stall")
        reasons = {
            "drift": "attention drifted to other things",
            "crisis": "a crisis pulled them away",
            "stuck": "they don't know how to take the next step",
            "freeze": "budgets are frozen",
        }
        self.note(deal.account_id, deal, "stalled",
                  f"{self.label(deal)} stalled in {STAGE_LABELS[stage]}: {reasons.get(cause, cause)}.")
        self.record(deal, "stalled", f"Stalled in {STAGE_LABELS[stage]}: {reasons.get(cause, cause)}.",
                    stage=stage, cause=cause, attention=round(deal.attention(self.env.now), 3),
                    urgency=round(deal.urgency(self.env.now), 3))

    def resume(self, deal: Deal, reason: str) -> bool:
        """Resume a stalled deal where it stopped; False while budgets are frozen."""
        if not deal.stalled or deal.stalled_from is None:
            return False
        account = self.accounts[deal.account_id]
        if account.frozen_until > self.env.now and stage_index(deal.stalled_from) >= stage_index("business_case"):
            return False
        stage = deal.stalled_from
        deal.stalled_from = None
        self._move(deal, f"resume_{stage}")
        self.note(deal.account_id, deal, "resumed", f"{self.label(deal)} is moving again ({reason}).")
        self.record(deal, "resumed", f"Moving again in {STAGE_LABELS[stage]}: {reason}.", stage=stage)
        return True

    # -- stage decisions ------------------------------------------------------------
    def _finish_stage(self, deal: Deal) -> None:
        """The customer finished a stage's work: move on, or decide, or get stuck."""
        stage = deal.state
        rng = self.outcomes[deal.id]
        account = self.accounts[deal.account_id]
        if stage_index(stage) >= stage_index("organizing"):
            roll = rng.random()
            if roll < stuck_chance(deal.effective_maturity(), deal.group_size, deal.group_mapped):
                deal.progress0 = deal.stage_work(stage) * 0.8
                self.stall(deal, "stuck")
                return
        if stage == "evaluating":
            chance = vendor_win_chance(deal)
            deal.decision["vendor_chance"] = chance
            won = rng.random() < chance
            self.record(deal, "vendor_selection", f"Vendor selection: our chance was {chance:.0%}; "
                        f"{'they chose us' if won else 'they chose the competitor'}.", chance=round(chance, 3),
                        chosen="us" if won else "competitor")
            if not won:
                deal.decision["lost_to"] = "competitor"
                self._move(deal, "lose")
                self.note(deal.account_id, deal, "ended", f"{self.label(deal)} chose a competitor.")
                return
        elif stage == "business_case":
            if account.frozen_until > self.env.now:
                deal.progress0 = deal.stage_work(stage) * 0.9
                self.stall(deal, "freeze")
                return
            chance = business_case_go_chance(deal, deal.urgency(self.env.now))
            deal.decision["case_chance"] = chance
            deal.decision["case_strength"] = case_strength(deal)
            go = rng.random() < chance
            self.record(deal, "case_weighed", f"The business case was weighed at strength {case_strength(deal):.2f} "
                        f"against urgency {deal.urgency(self.env.now):.2f}: "
                        f"{'they decided to change' if go else 'they kept the status quo'}.",
                        strength=round(case_strength(deal), 3), urgency=round(deal.urgency(self.env.now), 3),
                        chance=round(chance, 3), go=go)
            if not go:
                deal.decision["lost_to"] = "status_quo"
                self._move(deal, "lose")
                self.note(deal.account_id, deal, "ended",
                          f"{self.label(deal)}: they decided the status quo is good enough.")
                return
        elif stage == "approval":
            alignment = initiative_score(account.initiatives, deal.initiative, deal.framed_initiative)
            chance = approval_chance(deal, alignment)
            deal.decision.update(
                approval_chance=chance, alignment=alignment, champion_skill=deal.champion_skill,
                case_strength=case_strength(deal), top_initiatives=", ".join(account.initiatives[:2]),
            )
            approved = rng.random() < chance
            self.record(deal, "approval", f"Senior management {'approved' if approved else 'rejected'} it "
                        f"(alignment {alignment:.2f}, champion coached {deal.champion_skill:.2f}).",
                        chance=round(chance, 3), alignment=round(alignment, 3),
                        champion_skill=round(deal.champion_skill, 3), approved=approved)
            if approved:
                self._move(deal, "approve")
                self.bookings += deal.value
                self.note(deal.account_id, deal, "won", f"{self.label(deal)} signed: {deal.value:,} booked.")
            else:
                self._move(deal, "reject")
                self.note(deal.account_id, deal, "ended", f"{self.label(deal)} was rejected by senior management.")
            return
        self._move(deal, "advance")
        deal.progress0 = 0.0
        self.note(deal.account_id, deal, "moved", f"{self.label(deal)} moved to {STAGE_LABELS[deal.state]}.")

    # -- exogenous events --------------------------------------------------------
    def _start_exogenous_processes(self) -> None:
        for spec in self.scenario.accounts:
            rates = (
                ("crisis", spec.crisis_rate, self.crisis),
                ("priority_shift", spec.priority_shift_rate, self.priority_shift),
                ("turnover", spec.turnover_rate, self.stakeholder_leaves),
                ("budget_freeze", spec.budget_freeze_rate, self.budget_freeze),
            )
            for kind, rate, handler in rates:
                if rate / DAYS_PER_WEEK > 0:  # a rate so small it underflows never fires
                    self.env.process(self._poisson(spec.id, kind, rate, handler))
        if self.scenario.events:
            self.env.process(self._scripted())

    def _poisson(self, account_id: str, kind: str, rate: float, handler: Callable[..., None]):  # noqa: ANN202
        """Events of one kind at one account, at `rate` a week; draws never depend on the player."""
        rng = stream(self.seed, "world", account_id, kind)
        while True:
            yield self.env.timeout(rng.expovariate(rate / DAYS_PER_WEEK))
            severity = rng.uniform(0.3, 1.0)
            pick = rng.random()
            handler(self.accounts[account_id], severity, pick, None, "")

    def _scripted(self):  # noqa: ANN202
        for event in sorted(self.scenario.events, key=lambda e: e.week):
            day = (event.week - 1) * DAYS_PER_WEEK + 0.25
            if day >= self.end_day:
                break
            if day > self.env.now:
                yield self.env.timeout(day - self.env.now)
            account = self.accounts[event.account]
            handlers = {
                "crisis": self.crisis,
                "priority_shift": self.priority_shift,
                "stakeholder_leaves": self.stakeholder_leaves,
                "budget_freeze": self.budget_freeze,
            }
            detail = event.initiatives if event.kind == "priority_shift" else event.stakeholder
            handlers[event.kind](account, event.severity, 0.0, detail, event.text)

    def _touch_deals(self, account: AccountState, change: Callable[[Deal], None]) -> None:
        for deal in account.deals:
            if deal.ended:
                continue
            deal.settle(self.env.now)
            change(deal)
            deal.floor = self.attention_floor(deal)
            self.reschedule(deal)

    def crisis(self, account: AccountState, severity: float, _pick: float, _detail: object, text: str) -> None:
        """A crisis pulls the account's attention away and postpones its meetings."""
        account.crisis_until = max(account.crisis_until, self.env.now + DAYS_PER_WEEK + 21 * severity)
        account.last_crisis_text = text or "an operational crisis"
        self.note(account.id, None, "crisis",
                  text or f"A crisis at {account.name} pulls its leadership away (severity {severity:.0%}).")

        def hit(deal: Deal) -> None:
            deal.attention0 *= 1.0 - 0.7 * severity

        self._touch_deals(account, hit)

    def priority_shift(self, account: AccountState, _severity: float, pick: float, detail: object, text: str) -> None:
        """The account's strategic initiatives are re-ranked."""
        if isinstance(detail, list) and detail:
            ranking = list(detail) + [i for i in account.initiatives if i not in detail]
        elif len(account.initiatives) > 1:
            rising = account.initiatives[1 + int(pick * (len(account.initiatives) - 1))]
            ranking = [rising] + [i for i in account.initiatives if i != rising]
        else:
            return
        account.initiatives[:] = ranking
        self.note(account.id, None, "priority_shift",
                  text or f"{account.name} reshuffles its priorities: '{ranking[0]}' is now the top initiative.")
        self._touch_deals(account, lambda deal: None)

    def stakeholder_leaves(self, account: AccountState, _severity: float, pick: float, detail: object,
                           text: str) -> None:
        """Someone in the buying group leaves; a newcomer takes the role, unknown to the seller."""
        present = [person for person in account.people if person.present]
        if not present:
            return
        leaving = next((p for p in present if p.id == detail), None) or present[int(pick * len(present))]
        leaving.present = False
        account.hires += 1
        account.people.append(Person(f"{leaving.role}-{account.hires}", f"new {leaving.role.replace('_', ' ')}",
                                     leaving.role, leaving.influence, 0.5))
        self.note(account.id, None, "turnover",
                  text or f"{leaving.name} ({leaving.role.replace('_', ' ')}) has left {account.name}.")

        def lose_person(deal: Deal) -> None:
            if leaving.role == "champion":
                deal.champion_skill = 0.0
                deal.attention0 = max(0.0, deal.attention0 - 0.15)
                deal.progress0 *= 0.6
            elif leaving.role == "economic_buyer":
                deal.sponsor_met = False
                if stage_index(deal.working_stage) >= stage_index("business_case"):
                    deal.progress0 *= 0.5
            deal.group_mapped = min(deal.group_mapped, 0.5)

        self._touch_deals(account, lose_person)

    def budget_freeze(self, account: AccountState, severity: float, _pick: float, _detail: object,
                      text: str) -> None:
        """Budgets freeze: deals at the business case or later stall until it lifts."""
        account.frozen_until = max(account.frozen_until, self.env.now + (3 + 4 * severity) * DAYS_PER_WEEK)
        week = int(account.frozen_until // DAYS_PER_WEEK) + 1
        self.note(account.id, None, "budget_freeze",
                  text or f"{account.name} freezes new spending until week {week}.")
        for deal in account.deals:
            if not deal.ended and not deal.stalled and stage_index(deal.state) >= stage_index("business_case"):
                deal.settle(self.env.now)
                self.stall(deal, "freeze")
                self.reschedule(deal)

    # -- the seller's plans -------------------------------------------------------
    def make_plan(self, deal: Deal) -> BuyingPlan:
        """Build a joint buying plan from the customer's expected pace, and book its reviews."""
        now = self.env.now
        version = (deal.plan.version + 1) if deal.plan else 1
        deal.plan = BuyingPlan(created_day=now, milestones=[], close_day=now, version=version)
        # The customer commits to the pace it works at now, kept up by the plan's reviews.
        weight_attention, weight_urgency = DRIVE_WEIGHTS[deal.working_stage]
        drive = weight_attention * deal.attention(now) + weight_urgency * deal.urgency(now)
        pace = deal.speed() * min(0.8, max(0.3, drive))
        day = now
        start = stage_index(deal.working_stage)
        for stage in ACTIVE_STAGES[start:]:
            remaining = deal.stage_work(stage) - (deal.progress0 if stage == deal.working_stage else 0.0)
            day += max(1.0, remaining / pace)
            deal.plan.milestones.append((stage, round(day, 1)))
        deal.plan.close_day = day
        for stage, target in deal.plan.milestones:
            event = self.env.timeout(max(0.0, target - now))
            event.callbacks.append(lambda _e, stage=stage, version=version: self._plan_review(deal, version, stage))
        return deal.plan

    def _plan_review(self, deal: Deal, version: int, stage: str) -> None:
        """A plan milestone review: the customer's team meets and the deal gets attention."""
        if deal.ended or deal.plan is None or deal.plan.version != version:
            return
        deal.settle(self.env.now)
        deal.attention0 = min(1.0, deal.attention0 + 0.15)
        if deal.stalled and deal.engagement(self.env.now) >= RESUME_LEVEL:
            self.resume(deal, "the plan's milestone review brought them back")
        self.reschedule(deal)


__all__ = ["AccountState", "FeedItem", "Person", "RESUME_LEVEL", "World", "stream"]
