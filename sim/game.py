"""The Game: the one seam between the simulation and the people and bots who play it."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim.model.actions import ACTIONS, CATALOG, MAX_DISCOUNTS, PRESSURE_ACTIONS, ActionSpec, perform
from sim.debrief import explain
from sim.model.deal import Deal, clamp
from sim.errors import ActionRefused, GameOver, SaveError
from sim.observation import DealView, MilestoneView, Observation, PlanView, QueuedView, StakeholderView
from sim.results import ENDING_KEYS, DealResult, RunResult
from sim.stages import ACTIVE_STAGES, STAGE_LABELS, stage_index
from sim.model.world import DAYS_PER_WEEK, World, stream

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

SAVE_FORMAT = "dealdrift-save"
SAVE_VERSION = 1
PLAN_GRACE_DAYS = 3.0  # a milestone is slipping once its target is this far behind
NAIVE_DAYS_PER_STAGE = 14.0  # a seller's stage-based guess when there is no plan
FORECAST_LEAD_DAYS = 28.0  # forecast accuracy is judged on the forecasts of the last four weeks


@dataclass(frozen=True, slots=True)
class QueuedAction:
    """An action the seller queued this turn."""

    deal_id: str
    action: str
    hours: int


class Game:
    """A turn-based game on one scenario and seed: observe, act, end the turn, repeat."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        self.scenario = scenario
        self.seed = scenario.scenario.seed if seed is None else seed
        self.world = World(scenario, self.seed)
        self.week = 1
        self.weeks = scenario.scenario.weeks
        self.hours_per_week = scenario.seller.hours_per_week
        self.hours_left = self.hours_per_week
        self.log: list[list[tuple[str, str]]] = []
        self._queue: list[QueuedAction] = []
        self._action_rngs = {deal.id: stream(self.seed, "actions", deal.id) for deal in self.world.deals}
        self._observe_rng = stream(self.seed, "observe")
        self._pending: dict[str, dict[str, float]] = {deal.id: {} for deal in self.world.deals}
        self._done: dict[str, Counter[str]] = {deal.id: Counter() for deal in self.world.deals}
        self._reads: dict[str, tuple[float, float, float]] = {}
        self._trend: dict[str, list[float]] = {deal.id: [] for deal in self.world.deals}
        self._true_attention: dict[str, list[float]] = {deal.id: [] for deal in self.world.deals}
        self._forecasts: dict[str, list[tuple[float, float]]] = {deal.id: [] for deal in self.world.deals}
        self._bookings_by_week: list[int] = []
        self._hours_spent = 0
        self._pressure_hours = 0
        self._feed_start = 0
        self._views: tuple[DealView, ...] | None = None
        self._explained: dict[str, tuple[str, str, str]] = {}
        self._ended_views: dict[str, DealView] = {}
        self.over = self.world.open_count == 0
        self._start_turn()

    # -- the action catalog ------------------------------------------------------------
    @property
    def catalog(self) -> tuple[ActionSpec, ...]:
        """Every action: name, label, hours, lead time and a one-line explanation."""
        return CATALOG

    @property
    def day(self) -> float:
        """The current day (the start of the current week)."""
        return self.world.now

    def refusal(self, deal_id: str, action: str) -> str | None:
        """Why `action` on `deal_id` cannot be queued now, or None if it can."""
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
        if any(q.deal_id == deal_id and q.action == action for q in self._queue):
            return f"{spec.label} is already queued for this deal this week."
        booked = self._pending[deal_id].get(action)
        if booked is not None:
            return f"{spec.label} is already booked for day {booked:.0f}."
        if action == "co_create_plan" and deal.plan is not None and self._plan_status(deal) == "on track":
            return "There is already a buying plan and it is on track."
        if action == "offer_discount" and deal.discounts >= MAX_DISCOUNTS:
            return f"You have already discounted this deal {MAX_DISCOUNTS} times."
        if spec.hours > self.hours_left:
            return f"Not enough hours left this week: {spec.label} takes {spec.hours} h, you have {self.hours_left} h."
        return None

    def act(self, deal_id: str, action: str) -> QueuedAction:
        """Queue an action on a deal for this turn, spending its hours; raises ActionRefused."""
        if self.over:
            raise GameOver("The game is over.")
        reason = self.refusal(deal_id, action)
        if reason is not None:
            raise ActionRefused(reason)
        queued = QueuedAction(deal_id, action, ACTIONS[action].hours)
        self._queue.append(queued)
        self.hours_left -= queued.hours
        return queued

    def cancel(self, index: int) -> QueuedAction:
        """Cancel the queued action at `index` and give its hours back."""
        if not 0 <= index < len(self._queue):
            raise ActionRefused(f"There is no queued action number {index + 1}.")
        queued = self._queue.pop(index)
        self.hours_left += queued.hours
        return queued

    @property
    def queued(self) -> tuple[QueuedAction, ...]:
        """Actions queued this turn."""
        return tuple(self._queue)

    # -- turns --------------------------------------------------------------------------
    def end_turn(self) -> list[str]:
        """Carry out the queued actions and simulate the week; returns the week's feed as sentences."""
        if self.over:
            raise GameOver("The game is over.")
        start = self.world.now
        env = self.world.env
        for order, queued in enumerate(self._queue):
            spec = ACTIONS[queued.action]
            day = start + spec.lead_days + 0.5 + order * 0.01
            deal = self.world.deal_by_id[queued.deal_id]
            self._pending[deal.id][queued.action] = day
            env.process(self._carry_out(deal, queued.action, day))
            self._hours_spent += queued.hours
            if queued.action in PRESSURE_ACTIONS:
                self._pressure_hours += queued.hours
        self.log.append([(q.deal_id, q.action) for q in self._queue])
        self._queue.clear()
        self._feed_start = len(self.world.feed)
        self.world.run_until(self.week * DAYS_PER_WEEK)
        self.week += 1
        self.hours_left = self.hours_per_week
        if self.week > self.weeks or self.world.open_count == 0:
            self.over = True
        self._start_turn()
        return [item.text for item in self.world.feed[self._feed_start:]]

    def _carry_out(self, deal: Deal, action: str, day: float):  # noqa: ANN202
        """A booked action: it happens on its day, unless a crisis postpones the meeting."""
        env = self.world.env
        yield env.timeout(day - env.now)
        account = self.world.accounts[deal.account_id]
        if account.crisis_until > env.now and ACTIONS[action].lead_days > 1 and not deal.ended:
            new_day = account.crisis_until + 0.5
            self._pending[deal.id][action] = new_day
            self.world.note(account.id, deal, "postponed",
                            f"{self.world.label(deal)}: your {ACTIONS[action].label.lower()} meeting "
                            f"is postponed to day {new_day:.0f} ({account.last_crisis_text}).")
            yield env.timeout(new_day - env.now)
        self._pending[deal.id].pop(action, None)
        if not deal.ended:
            self._done[deal.id][action] += 1
            perform(self.world, deal, action, self._action_rngs[deal.id])

    def _start_turn(self) -> None:
        """Record the week's start: noisy reads, forecasts and bookings (drawn in a fixed order)."""
        day = self.world.now
        rng = self._observe_rng
        for deal in self.world.deals:
            # Triangular noise (the difference of two uniforms): cheap, bounded, mean zero.
            draw = rng.random
            noise = ((draw() - draw()) * 0.17, (draw() - draw()) * 0.17, (draw() - draw()) * 0.12)
            if deal.ended:
                # An ended deal's view is fixed at the first turn after it ended.
                if deal.id not in self._ended_views:
                    self._ended_views[deal.id] = self._deal_view(deal)
                continue
            attention = deal.attention(day)
            reads = (
                round(clamp(attention + noise[0]), 2),
                round(clamp(deal.urgency(day) + noise[1]), 2),
                round(clamp(deal.trust + noise[2]), 2),
            )
            self._reads[deal.id] = reads
            self._trend[deal.id].append(reads[0])
            self._true_attention[deal.id].append(round(attention, 3))
            self._forecasts[deal.id].append((day, self._forecast(deal)))
        self._bookings_by_week.append(self.world.bookings)
        self._views = None

    # -- observation ---------------------------------------------------------------------
    def _plan_status(self, deal: Deal) -> str:
        if deal.plan is None:
            return "none"
        target = deal.plan.target_for(deal.working_stage)
        if target is not None and self.world.now > target + PLAN_GRACE_DAYS:
            return "slipping"
        return "on track"

    def _forecast(self, deal: Deal) -> float:
        if deal.plan is not None:
            if self._plan_status(deal) == "on track":
                return deal.plan.close_day
            # A slipping plan's date moves by how far the current milestone is behind.
            target = deal.plan.target_for(deal.working_stage) or self.world.now
            return deal.plan.close_day + max(0.0, self.world.now - target)
        remaining = len(ACTIVE_STAGES) - stage_index(deal.working_stage)
        return self.world.now + NAIVE_DAYS_PER_STAGE * remaining

    def _deal_view(self, deal: Deal) -> DealView:
        world = self.world
        account = world.accounts[deal.account_id]
        attention, urgency, trust = self._reads.get(deal.id, (0.0, 0.0, deal.trust))
        plan = None
        plan_status = self._plan_status(deal)
        if deal.plan is not None:
            current = stage_index(deal.working_stage)
            milestones = []
            for stage, target in deal.plan.milestones:
                if stage_index(stage) < current or deal.ended:
                    status = "done"
                elif world.now > target + PLAN_GRACE_DAYS:
                    status = "slipping"
                else:
                    status = "on track"
                milestones.append(MilestoneView(stage, target, status))
            plan = PlanView(deal.plan.close_day, tuple(milestones), plan_status)
        known = tuple(deal.known_initiatives) if deal.known_initiatives is not None else None
        aligned = None
        if known is not None:
            aligned = deal.initiative in known[:2] or (deal.framed_initiative is not None and deal.framed_initiative in known[:2])
        ending = deal.state if deal.ended else None
        explanation = lesson = ""
        if ending is not None:
            cached = self._explained.get(deal.id)
            if cached is None:
                cached = self._explained[deal.id] = explain(world, deal, self._done[deal.id])
            explanation, lesson, _ = cached
        return DealView(
            id=deal.id, title=deal.title, account_id=account.id, account=account.name, value=deal.value,
            stage=deal.state, stalled_from=deal.stalled_from if deal.stalled else None,
            days_in_stage=0 if deal.ended else int(world.now - deal.stage_entered_day), attention=attention, urgency=urgency, trust=trust,
            plan=plan, plan_status=plan_status, forecast_close_day=None if deal.ended else self._forecast(deal),
            impact=deal.business_impact if deal.impact_quantified else None, initiative=deal.initiative,
            known_initiatives=known, aligned=aligned,
            stakeholders=tuple(
                StakeholderView(p.name, p.role, p.influence, p.support, p.present)
                for p in account.people if p.discovered
            ),
            history=tuple(deal.history), attention_trend=tuple(self._trend[deal.id]),
            pending=() if deal.ended else tuple(sorted(self._pending[deal.id].items())),
            done=dict(self._done[deal.id]), ending=ending, closed_day=deal.closed_day,
            explanation=explanation, lesson=lesson,
        )

    def observe(self) -> Observation:
        """What the seller sees now: the week, hours, bookings, the deals as known, and the feed."""
        if self._views is None:
            ended = self._ended_views
            self._views = tuple(ended.get(deal.id) or self._deal_view(deal) for deal in self.world.deals)
        return Observation(
            scenario_id=self.scenario.scenario.id, title=self.scenario.scenario.title,
            week=min(self.week, self.weeks), weeks=self.weeks, day=self.world.now, hours_left=self.hours_left,
            hours_per_week=self.hours_per_week, quota=self.scenario.seller.quota, bookings=self.world.bookings,
            deals=self._views,
            queued=tuple(QueuedView(i, q.deal_id, q.action, q.hours) for i, q in enumerate(self._queue)),
            feed=tuple(self.world.feed[self._feed_start:]), over=self.over,
        )

    # -- results ----------------------------------------------------------------------------
    def result(self, strategy: str = "human") -> RunResult:
        """The score card and each deal's ending, explanation and lesson, as they stand now."""
        deals = []
        counts = dict.fromkeys(ENDING_KEYS, 0)
        cycles: list[float] = []
        errors: list[float] = []
        for deal in self.world.deals:
            ending = deal.state if deal.ended else "open"
            counts[ending] += 1
            explanation, lesson, lesson_key = explain(self.world, deal, self._done[deal.id])
            cycle = deal.closed_day if ending == "won" and deal.history[0][1] != "won" else None
            error = None
            if ending == "won" and self._forecasts[deal.id] and deal.closed_day is not None:
                # Judged on the forecasts held in the four weeks before the close (the commit window).
                window = [f for day, f in self._forecasts[deal.id] if day >= deal.closed_day - FORECAST_LEAD_DAYS]
                window = window or [self._forecasts[deal.id][-1][1]]
                error = sum(abs(f - deal.closed_day) for f in window) / len(window)
                errors.append(error)
            if cycle is not None:
                cycles.append(cycle)
            deals.append(DealResult(
                id=deal.id, title=deal.title, account=self.world.accounts[deal.account_id].name, value=deal.value,
                ending=ending, closed_day=None if deal.closed_day is None else round(deal.closed_day, 1),
                stages=tuple((round(day, 1), stage) for day, stage in deal.history), explanation=explanation,
                lesson=lesson, lesson_key=lesson_key, cycle_days=None if cycle is None else round(cycle, 1),
                forecast_error_days=None if error is None else round(error, 1),
                attention_by_week=tuple(self._true_attention[deal.id]), causes=tuple(deal.causes),
            ))
        trust = sum(deal.trust for deal in self.world.deals) / len(self.world.deals)
        return RunResult(
            scenario=self.scenario.scenario.id, seed=self.seed, strategy=strategy, weeks=self.weeks,
            bookings=self.world.bookings, quota=self.scenario.seller.quota, trust=round(trust, 3), counts=counts,
            deals=tuple(deals), cycle_days_mean=round(sum(cycles) / len(cycles), 1) if cycles else None,
            forecast_error_days_mean=round(sum(errors) / len(errors), 1) if errors else None,
            pressure_hours=self._pressure_hours, hours_spent=self._hours_spent,
            bookings_by_week=tuple(self._bookings_by_week),
        )

    # -- saves ----------------------------------------------------------------------------
    def to_save(self) -> dict[str, object]:
        """The save: scenario, seed, the actions of each finished turn and those queued now, as JSON data."""
        return {
            "format": SAVE_FORMAT,
            "version": SAVE_VERSION,
            "seed": self.seed,
            "week": self.week,
            "scenario": self.scenario.model_dump(mode="json", exclude_none=True),
            "turns": [[[deal_id, action] for deal_id, action in turn] for turn in self.log],
            "queued": [[queued.deal_id, queued.action] for queued in self._queue],
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the save atomically (a crash mid-write never leaves a damaged file)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_save(), indent=1)
        handle, temporary = tempfile.mkstemp(prefix=".save-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream_out:
                stream_out.write(data)
                stream_out.flush()
                os.fsync(stream_out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def from_save(cls, data: object) -> Game:
        """Rebuild a game from save data by replaying its action log; raises SaveError if it is not one."""
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise SaveError("This is not a Deal Drift save file.")
        if data.get("version") != SAVE_VERSION:
            raise SaveError(f"This save is version {data.get('version')!r}; this Deal Drift reads version {SAVE_VERSION}.")
        seed, turns = data.get("seed"), data.get("turns")
        if not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(turns, list):
            raise SaveError("The save file is damaged: its seed or turns are missing.")
        import pydantic  # only a save needs validating: `import sim` does not load pydantic

        from sim.scenario.models import Scenario

        try:
            scenario = Scenario.model_validate(data.get("scenario"))
        except pydantic.ValidationError as error:
            raise SaveError(f"The save file is damaged: its scenario is invalid ({error.error_count()} problems).") from None
        queued = data.get("queued", [])
        game = cls(scenario, seed)
        for number, turn in enumerate([*turns, queued], start=1):
            if game.over:
                if number > len(turns) and not turn:
                    break
                raise SaveError(f"The save file is damaged: it has turns after the game ended (turn {number}).")
            if not isinstance(turn, list):
                raise SaveError(f"The save file is damaged: turn {number} is not a list of actions.")
            for entry in turn:
                if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)):
                    raise SaveError(f"The save file is damaged: turn {number} has a malformed action.")
                try:
                    game.act(entry[0], entry[1])
                except ActionRefused as refused:
                    raise SaveError(f"The save file is damaged: turn {number}: {refused}") from None
            if number <= len(turns):
                game.end_turn()
        return game

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Game:
        """Load a save file; a missing, damaged or foreign file raises SaveError."""
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise SaveError(f"Cannot read save file {path}: {error.strerror or error}.") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise SaveError(f"{path} is not a Deal Drift save file (it is not valid JSON).") from None
        return cls.from_save(data)
