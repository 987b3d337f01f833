"""Coaching strategies: bots that play through the Game and see only the Observation."""

from __future__ import annotations

import gc
import heapq
import importlib
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar, Final

from mypy_extensions import mypyc_attr

from sim.model.actions import ACTIONS
from sim.errors import ActionRefused, StrategyError
from sim.forecast import BEST_CASE, COMMIT, FORECAST_CALLS, PIPELINE
from sim.game import Game
from sim.observation import DealView, Observation
from sim.results import RunResult
from sim.stages import stage_index

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

Choice = tuple[str, str] | tuple[str, str, str]  # (deal id, action name[, person aimed at])
Call = tuple[str, str]  # (deal id, forecast call)


@mypyc_attr(allow_interpreted_subclasses=True)
class Strategy:
    """A coaching strategy. Subclass it and override `choose`; it sees only the Observation.

    The bots are compiled with the engine; `allow_interpreted_subclasses` lets a user's own
    strategy, in plain Python, extend this class or any built-in bot.
    """

    name: ClassVar[str] = "strategy"

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._random: random.Random | None = None

    @property
    def random(self) -> random.Random:
        """The strategy's own random stream, from the game's seed (seeded on first use: most bots never draw)."""
        if self._random is None:
            self._random = random.Random(f"{self._seed}:strategy:{self.name}")
        return self._random

    def choose(self, observation: Observation) -> Iterable[Choice]:
        """The (deal id, action) pairs to try this turn, most wanted first; refused ones are skipped.

        An action aimed at a person may name them: (deal id, action, person id).
        """
        return ()

    def forecast(self, observation: Observation) -> Iterable[Call]:
        """The (deal id, call) forecast calls to make this turn: commit, best_case or pipeline (default: none)."""
        return ()

    def acted(self, observation: Observation, deal_id: str, action: str) -> None:
        """Called for each choice that was queued; override to remember what you did."""


@mypyc_attr(allow_interpreted_subclasses=True)
class Idle(Strategy):
    """Does nothing: the customers are left to themselves."""

    name = "idle"


@mypyc_attr(allow_interpreted_subclasses=True)
class RandomStrategy(Strategy):
    """Spends the week's hours on random actions on random open deals."""

    name = "random"

    def choose(self, observation: Observation) -> Iterable[Choice]:
        open_deals = [deal.id for deal in observation.open_deals]
        actions = list(ACTIONS)
        if not open_deals:
            return []
        return [(self.random.choice(open_deals), self.random.choice(actions)) for _ in range(12)]

    def forecast(self, observation: Observation) -> Iterable[Call]:
        open_deals = [deal.id for deal in observation.open_deals]
        if not open_deals:
            return []
        return [(self.random.choice(open_deals), self.random.choice(FORECAST_CALLS)) for _ in range(2)]


@mypyc_attr(allow_interpreted_subclasses=True)
class Pusher(Strategy):
    """Pitches every deal, pressures for the close every week and discounts to get a signature."""

    name = "pusher"

    def choose(self, observation: Observation) -> Iterable[Choice]:
        choices: list[Choice] = []
        for deal in sorted(observation.open_deals, key=lambda d: -d.value):
            if deal.done.get("pitch_demo", 0) < 2 or deal.stage == "evaluating":
                choices.append((deal.id, "pitch_demo"))
            choices.append((deal.id, "pressure_close"))
            if stage_index(deal.stage) >= stage_index("evaluating") or observation.week > observation.weeks // 2:
                choices.append((deal.id, "offer_discount"))
        return choices

    def forecast(self, observation: Observation) -> Iterable[Call]:
        """Everything it pushes that has reached evaluation is a commit."""
        return [(deal.id, COMMIT) for deal in observation.open_deals
                if stage_index(deal.stalled_from or deal.stage) >= stage_index("evaluating")]


@mypyc_attr(allow_interpreted_subclasses=True)
class Typical(Strategy):
    """An average seller: pitches early, checks in now and then, discounts near the end, rarely plans or aligns."""

    name = "typical"

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self._habits: dict[str, dict[str, bool]] = {}
        self._last: dict[tuple[str, str], int] = {}

    def _habit(self, deal_id: str) -> dict[str, bool]:
        habit = self._habits.get(deal_id)
        if habit is None:
            roll = self.random.random
            habit = {
                "insight": roll() < 0.15,
                "quantify": roll() < 0.6,
                "plan": roll() < 0.1,
                "align": roll() < 0.1,
                "coach": roll() < 0.2,
                "map": roll() < 0.3,
                "requirements": roll() < 0.3,
                "sponsor": roll() < 0.3,
            }
            self._habits[deal_id] = habit
        return habit

    def _due(self, deal_id: str, action: str, week: int, every: int) -> bool:
        last = self._last.get((deal_id, action))
        return last is None or week - last >= every

    def choose(self, observation: Observation) -> Iterable[Choice]:
        choices: list[Choice] = []
        week = observation.week
        late = week > observation.weeks - 3
        for deal in sorted(observation.open_deals, key=lambda d: (-d.value, d.id)):
            habit = self._habit(deal.id)
            stage = deal.stalled_from or deal.stage
            done = deal.done
            # Presentations and demos are the heart of an average seller's week.
            if self._due(deal.id, "pitch_demo", week, 2 if stage_index(stage) >= 3 else 4):
                choices.append((deal.id, "pitch_demo"))
            if self._due(deal.id, "remind_impact", week, 2):
                choices.append((deal.id, "remind_impact"))
            if stage == "status_quo" and habit["insight"] and not done.get("share_insight"):
                choices.append((deal.id, "share_insight"))
            if habit["map"] and not done.get("map_buying_group") and stage_index(stage) >= 2:
                choices.append((deal.id, "map_buying_group"))
            if habit["requirements"] and stage in ("organizing", "requirements") and not done.get(
                    "define_requirements"):
                choices.append((deal.id, "define_requirements"))
            if habit["quantify"] and stage_index(stage) >= stage_index("business_case") and deal.impact is None:
                choices.append((deal.id, "quantify_impact"))
            if habit["plan"] and deal.plan is None and stage_index(stage) >= stage_index("requirements"):
                choices.append((deal.id, "co_create_plan"))
            if habit["align"] and deal.aligned is None and stage == "approval":
                choices.append((deal.id, "align_initiatives"))
            if habit["coach"] and stage == "approval" and not done.get("coach_champion"):
                choices.append((deal.id, "coach_champion"))
            if habit["sponsor"] and stage_index(stage) >= stage_index("business_case") and not done.get(
                    "meet_sponsor"):
                choices.append((deal.id, "meet_sponsor"))
            if late and stage_index(stage) >= stage_index("business_case"):
                choices.append((deal.id, "offer_discount"))
                choices.append((deal.id, "pressure_close"))
        return choices

    def acted(self, observation: Observation, deal_id: str, action: str) -> None:
        """Remember when each action was last taken, to pace the routine."""
        self._last[(deal_id, action)] = observation.week

    def forecast(self, observation: Observation) -> Iterable[Call]:
        """Calls by stage: late-stage deals forecast to close in time are commits, evaluations best case."""
        end = observation.weeks * 7
        calls = []
        for deal in observation.open_deals:
            stage = stage_index(deal.stalled_from or deal.stage)
            in_time = deal.forecast_close_day is not None and deal.forecast_close_day <= end
            if stage >= stage_index("business_case") and in_time:
                calls.append((deal.id, COMMIT))
            elif stage >= stage_index("evaluating"):
                calls.append((deal.id, BEST_CASE))
            else:
                calls.append((deal.id, PIPELINE))
        return calls


@mypyc_attr(allow_interpreted_subclasses=True)
class Advisor(Strategy):
    """Helps the customer buy: creates the need, plans with them, keeps urgency alive, aligns, coaches."""

    name = "advisor"
    focus = 60

    def choose(self, observation: Observation) -> Iterable[Choice]:
        shifted = {item.account for item in observation.feed if item.kind in ("priority_shift", "turnover")}
        # A week's hours cover a few dozen actions at most: consider only the deals that matter most.
        ranked = heapq.nlargest(self.focus, observation.open_deals, key=lambda d: self._priority(d, observation))
        urgent = [(deal.id, "remind_impact") for deal in ranked if deal.stage == "stalled" or deal.attention < 0.32]
        # Each deal's next steps, most important first, taken in rounds: the top deals two steps a round,
        # the others one, so no deal waits a week for the step that decides it.
        steps = []
        for rank, deal in enumerate(ranked):
            todo = self._steps(deal, deal.account_id in shifted)
            per_round = 2 if rank < len(ranked) // 2 else 1
            steps.append([todo[i:i + per_round] for i in range(0, len(todo), per_round)])
        interleaved = [step for round_ in itertools.zip_longest(*steps, fillvalue=[]) for chunk in round_
                       for step in chunk]
        # Hours left over go to keeping attention up where it is sliding.
        spare = [(deal.id, "remind_impact") for deal in ranked if 0.32 <= deal.attention < 0.5]
        return urgent + interleaved + spare

    def _steps(self, deal: DealView, shifted: bool) -> list[Choice]:
        """What this deal needs next, in order: what decides its current stage comes first."""
        stage = deal.stalled_from or deal.stage
        done = deal.done
        if stage == "status_quo":
            if done.get("share_insight", 0) < 3:
                return [(deal.id, "share_insight")]
            return [(deal.id, "quantify_impact")] if deal.impact is None else []
        late = stage_index(stage) >= stage_index("business_case")
        steps: list[Choice] = []
        if late and (deal.aligned is not True or shifted):
            steps.append((deal.id, "align_initiatives"))
        if deal.impact is None:
            steps.append((deal.id, "quantify_impact"))
        if not deal.group_mapped:
            steps.append((deal.id, "map_buying_group"))
        steps.extend(self._win_over(deal, stage))
        if late and (done.get("coach_champion", 0) < 2 or shifted):
            steps.append((deal.id, "coach_champion"))
        if deal.plan is None or deal.plan_status == "slipping":
            steps.append((deal.id, "co_create_plan"))
        if stage in ("organizing", "requirements", "evaluating") and done.get("define_requirements", 0) < 2:
            steps.append((deal.id, "define_requirements"))
        if stage == "evaluating":
            if done.get("pitch_demo", 0) < 2:
                steps.append((deal.id, "pitch_demo"))
            if deal.aligned is not True or shifted:
                steps.append((deal.id, "align_initiatives"))
            if done.get("coach_champion", 0) < 2:
                steps.append((deal.id, "coach_champion"))
        return steps

    @staticmethod
    def _win_over(deal: DealView, stage: str) -> list[Choice]:
        """Meet the people who decide and do not back it yet: the economic buyer first, then blockers."""
        if stage_index(stage) < stage_index("organizing"):
            return []
        # Those worth meeting: present, influential, and not met yet (the economic buyer always is).
        worth = [person for person in deal.stakeholders if person.present and person.influence >= 0.4 and (
            not person.met or person.role == "economic_buyer")]
        choices: list[Choice] = []
        for person in sorted(worth, key=lambda p: (p.role != "economic_buyer", -p.influence)):
            doubtful = person.support < 0.6 if person.role == "economic_buyer" else person.support < 0.4
            if doubtful:
                choices.append((deal.id, "meet_sponsor", person.id))
        return choices

    def forecast(self, observation: Observation) -> Iterable[Call]:
        """Calls from the customer's plan, corrected for the pace its milestones show: commit what will close in time."""
        end = observation.weeks * 7
        calls = []
        for deal in observation.open_deals:
            stage = stage_index(deal.stalled_from or deal.stage)
            if deal.plan is not None:
                close = self.expected_close(deal, observation.day)
                if deal.stage != "stalled" and close <= end - 3:
                    calls.append((deal.id, COMMIT))
                elif close <= end + 7:
                    calls.append((deal.id, BEST_CASE))
                else:
                    calls.append((deal.id, PIPELINE))
            elif stage >= stage_index("business_case") and deal.stage != "stalled" and deal.aligned is not False:
                forecast = deal.forecast_close_day
                calls.append((deal.id, COMMIT if forecast is not None and forecast <= end - 7 else BEST_CASE))
            elif stage >= stage_index("evaluating"):
                calls.append((deal.id, BEST_CASE))
            else:
                calls.append((deal.id, PIPELINE))
        return calls

    OPTIMISM: ClassVar[float] = 1.35  # customers plan this much faster than they go, until milestones show it

    @classmethod
    def expected_close(cls, deal: DealView, today: float) -> float:
        """The plan's close stretched by the pace the customer has shown against its milestones so far."""
        plan = deal.plan
        assert plan is not None
        entered = {stage: day for day, stage in deal.history}
        pace, start = cls.OPTIMISM, plan.created_day
        for milestone, following in zip(plan.milestones, plan.milestones[1:]):
            if milestone.status == "done" and following.stage in entered and milestone.target_day > start:
                pace = max(0.8, (entered[following.stage] - start) / (milestone.target_day - start))
        return max(today, start + (plan.close_day - start) * pace)

    @staticmethod
    def _priority(deal: DealView, observation: Observation) -> float:
        """Closer to a decision and bigger first; deals that cannot close in time last."""
        stage = stage_index(deal.stalled_from or deal.stage)
        weeks_left = observation.weeks - observation.week + 1
        reachable = 1.0 if (7 - stage) * 1.6 <= weeks_left else 0.3
        return deal.value * (0.4 + stage / 6) * reachable


BUILT_IN: Final[dict[str, type[Strategy]]] = {
    cls.name: cls for cls in (Idle, RandomStrategy, Pusher, Typical, Advisor)
}


def load_strategy(name: str) -> type[Strategy]:
    """A built-in strategy by name, or a user's own as `module:Class` (importable from the current folder)."""
    if name in BUILT_IN:
        return BUILT_IN[name]
    if ":" not in name:
        raise StrategyError(
            f"Unknown strategy '{name}'. Built-in strategies: {', '.join(BUILT_IN)}; "
            "or give your own as module:Class."
        )
    module_name, _, class_name = name.partition(":")
    import sys

    if "" not in sys.path:
        sys.path.insert(0, "")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - any failure importing user code is reported, not raised
        raise StrategyError(f"Cannot import strategy module '{module_name}': {error}") from None
    cls = getattr(module, class_name, None)
    if cls is None or not isinstance(cls, type):
        raise StrategyError(f"Module '{module_name}' has no class '{class_name}'.")
    if not callable(getattr(cls, "choose", None)):
        raise StrategyError(f"'{name}' has no choose(observation) method.")
    return cls


def strategy_name(strategy: Strategy | type[Strategy]) -> str:
    """The name a strategy reports in results."""
    return getattr(strategy, "name", type(strategy).__name__)


def play(scenario: Scenario, strategy: str | Strategy = "advisor", seed: int | None = None,
         observer: Callable[[Observation], None] | None = None) -> RunResult:
    """Play a whole game with a strategy and return its result; `observer` sees each turn's observation first."""
    with _cycle_collector_paused():
        # The game is freed as `_played` returns, before the collector resumes. From source,
        # resuming first had it walk the whole finished world once (371,000 objects in a
        # world of 5,000 deals, where the result alone is 82,000).
        return _played(scenario, strategy, seed, observer)


def _played(scenario: Scenario, strategy: str | Strategy, seed: int | None,
            observer: Callable[[Observation], None] | None) -> RunResult:
    """The result of a whole game (see `play`)."""
    game = Game(scenario, seed)
    if isinstance(strategy, str):
        label = strategy
        bot = load_strategy(strategy)(game.seed)
    else:
        bot = strategy
        label = strategy_name(bot)
    while not game.over:
        if observer is not None:
            observer(game.observe())
        play_turn(game, bot)
        game.end_turn()
    return game.result(strategy=label)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for one game, and resumed as it was.

    A game makes no reference cycles (`tests/test_game.py` checks every bot on every
    bundled scenario), so all it leaves behind is freed as it goes; the collector would
    only walk, again and again, every object the game keeps, which in a world of
    thousands of deals is a third of the time. Cycles a strategy of one's own makes are
    collected once the game is over.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def play_turn(game: Game, bot: Strategy, *, calls: bool = True) -> Observation:
    """Let a bot make its forecast calls (unless `calls` is false) and queue its actions for this turn.

    Most wanted first; a choice the game refuses is skipped; it stops when the hours run out.
    Returns what the bot saw.
    """
    observation = game.observe()
    forecast = getattr(bot, "forecast", None) if calls else None
    if forecast is not None:
        for deal_id, call in forecast(observation):
            if call != game.forecast_call(deal_id):
                game.call_forecast(deal_id, call)
    acted = getattr(bot, "acted", None)
    for choice in bot.choose(observation):
        hours_left = game.hours_left
        if hours_left <= 0:
            break
        deal_id, action = choice[0], choice[1]
        spec = ACTIONS.get(action)
        if spec is not None and spec.hours > hours_left:
            continue  # refused whatever else holds: skip the other checks
        target = choice[2] if len(choice) > 2 else None
        if game.refusal(deal_id, action, target) is None:
            game.act(deal_id, action, target)
            if acted is not None:
                acted(observation, deal_id, action)
    return observation


__all__ = ["BUILT_IN", "ActionRefused", "Advisor", "Idle", "Pusher", "RandomStrategy", "Strategy", "Typical",
           "load_strategy", "play", "play_turn"]
