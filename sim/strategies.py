"""Coaching strategies: bots that play through the Game and see only the Observation."""

from __future__ import annotations

import heapq
import importlib
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from sim.model.actions import ACTIONS
from sim.errors import ActionRefused, StrategyError
from sim.game import Game
from sim.observation import DealView, Observation
from sim.results import RunResult
from sim.stages import stage_index

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

Choice = tuple[str, str]  # (deal id, action name)


class Strategy:
    """A coaching strategy. Subclass it and override `choose`; it sees only the Observation."""

    name: ClassVar[str] = "strategy"

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(f"{seed}:strategy:{self.name}")

    def choose(self, observation: Observation) -> Iterable[Choice]:
        """The (deal id, action) pairs to try this turn, most wanted first; refused ones are skipped."""
        return ()

    def acted(self, observation: Observation, deal_id: str, action: str) -> None:
        """Called for each choice that was queued; override to remember what you did."""


class Idle(Strategy):
    """Does nothing: the customers are left to themselves."""

    name = "idle"


class RandomStrategy(Strategy):
    """Spends the week's hours on random actions on random open deals."""

    name = "random"

    def choose(self, observation: Observation) -> Iterable[Choice]:
        open_deals = [deal.id for deal in observation.deals if deal.open]
        actions = list(ACTIONS)
        if not open_deals:
            return []
        return [(self.random.choice(open_deals), self.random.choice(actions)) for _ in range(12)]


class Pusher(Strategy):
    """Pitches every deal, pressures for the close every week and discounts to get a signature."""

    name = "pusher"

    def choose(self, observation: Observation) -> Iterable[Choice]:
        choices: list[Choice] = []
        for deal in sorted(_open(observation), key=lambda d: -d.value):
            if deal.done.get("pitch_demo", 0) < 2 or deal.stage == "evaluating":
                choices.append((deal.id, "pitch_demo"))
            choices.append((deal.id, "pressure_close"))
            if stage_index(deal.stage) >= stage_index("evaluating") or observation.week > observation.weeks // 2:
                choices.append((deal.id, "offer_discount"))
        return choices


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
                "quantify": roll() < 0.25,
                "plan": roll() < 0.1,
                "align": roll() < 0.1,
                "coach": roll() < 0.2,
                "map": roll() < 0.3,
                "requirements": roll() < 0.3,
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
        for deal in sorted(_open(observation), key=lambda d: (-d.value, d.id)):
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
            if late and stage_index(stage) >= stage_index("business_case"):
                choices.append((deal.id, "offer_discount"))
                choices.append((deal.id, "pressure_close"))
        return choices

    def acted(self, observation: Observation, deal_id: str, action: str) -> None:
        """Remember when each action was last taken, to pace the routine."""
        self._last[(deal_id, action)] = observation.week


class Advisor(Strategy):
    """Helps the customer buy: creates the need, plans with them, keeps urgency alive, aligns, coaches."""

    name = "advisor"
    focus = 60

    def choose(self, observation: Observation) -> Iterable[Choice]:
        shifted = {item.account for item in observation.feed if item.kind in ("priority_shift", "turnover")}
        # A week's hours cover a few dozen actions at most: consider only the deals that matter most.
        ranked = heapq.nlargest(self.focus, _open(observation), key=lambda d: self._priority(d, observation))
        urgent: list[Choice] = []
        planned: list[Choice] = []
        for deal in ranked:
            stage = deal.stalled_from or deal.stage
            done = deal.done
            if deal.stage == "stalled" or deal.attention < 0.32:
                urgent.append((deal.id, "remind_impact"))
            if stage == "status_quo":
                if done.get("share_insight", 0) < 3:
                    planned.append((deal.id, "share_insight"))
                continue
            if deal.impact is None:
                planned.append((deal.id, "quantify_impact"))
            if deal.plan is None or deal.plan_status == "slipping":
                planned.append((deal.id, "co_create_plan"))
            if not done.get("map_buying_group") or deal.account_id in shifted:
                planned.append((deal.id, "map_buying_group"))
            if stage in ("organizing", "requirements", "evaluating") and done.get("define_requirements", 0) < 2:
                planned.append((deal.id, "define_requirements"))
            if stage == "evaluating" and done.get("pitch_demo", 0) < 2:
                planned.append((deal.id, "pitch_demo"))
            if stage_index(stage) >= stage_index("evaluating"):
                if deal.aligned is not True or deal.account_id in shifted:
                    planned.append((deal.id, "align_initiatives"))
                if done.get("coach_champion", 0) < 2 or deal.account_id in shifted:
                    planned.append((deal.id, "coach_champion"))
                if not done.get("meet_sponsor"):
                    planned.append((deal.id, "meet_sponsor"))
        return urgent + planned

    @staticmethod
    def _priority(deal: DealView, observation: Observation) -> float:
        """Closer to a decision and bigger first; deals that cannot close in time last."""
        stage = stage_index(deal.stalled_from or deal.stage)
        weeks_left = observation.weeks - observation.week + 1
        reachable = 1.0 if (7 - stage) * 1.6 <= weeks_left else 0.3
        return deal.value * (0.4 + stage / 6) * reachable


BUILT_IN: dict[str, type[Strategy]] = {
    cls.name: cls for cls in (Idle, RandomStrategy, Pusher, Typical, Advisor)
}


def _open(observation: Observation) -> list[DealView]:
    return [deal for deal in observation.deals if deal.open]


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


def play(scenario: Scenario, strategy: str | Strategy = "advisor", seed: int | None = None) -> RunResult:
    """Play a whole game with a strategy and return its result."""
    game = Game(scenario, seed)
    if isinstance(strategy, str):
        label = strategy
        bot = load_strategy(strategy)(game.seed)
    else:
        bot = strategy
        label = strategy_name(bot)
    acted = getattr(bot, "acted", None)
    while not game.over:
        observation = game.observe()
        for deal_id, action in bot.choose(observation):
            if game.hours_left <= 0:
                break
            if game.refusal(deal_id, action) is None:
                game.act(deal_id, action)
                if acted is not None:
                    acted(observation, deal_id, action)
        game.end_turn()
    return game.result(strategy=label)


__all__ = ["BUILT_IN", "ActionRefused", "Advisor", "Idle", "Pusher", "RandomStrategy", "Strategy", "Typical",
           "load_strategy", "play"]
