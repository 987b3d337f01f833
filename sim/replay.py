"""Replaying a game's action log: up to a week, on from there with a strategy, and week by week for review.

A save is its scenario, seed and action log, and the engine is deterministic, so
replaying the first K-1 weeks of a log rebuilds the game exactly as it stood at the
start of week K. Everything that looks back at a game (take-overs, counterfactuals,
the replay screen, rewinding to a week) is built on that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import ActionRefused, DealDriftError
from sim.game import Game
from sim.model.world import FeedItem
from sim.observation import Observation
from sim.savefile import Entry, Turn
from sim.strategies import Strategy, load_strategy, play_turn, strategy_name

if TYPE_CHECKING:
    from sim.scenario.models import Scenario


class ReplayError(DealDriftError):
    """A replay that cannot be made as asked (a week the game never reached, for instance)."""


def queue_choices(game: Game, bot: Strategy, *, calls: bool = True) -> list[Entry]:
    """Queue a strategy's week as `sim.play` does (`sim.strategies.play_turn`); returns the actions it queued."""
    before = len(game.queued)
    play_turn(game, bot, calls=calls)
    return [(queued.deal_id, queued.action, queued.target) for queued in game.queued[before:]]


def play_on(game: Game, bot: Strategy, stop: Callable[[Game], bool] | None = None) -> Game:
    """Let `bot` play `game` from its current week to the end (or until `stop(game)` is true)."""
    while not game.over and not (stop is not None and stop(game)):
        play_turn(game, bot)
        game.end_turn()
    return game


def weeks_reached(game: Game) -> int:
    """The last week a take-over or a rewind can start from: the current week, or the last one played."""
    return len(game.log) if game.over else game.week


def play_week(game: Game, turn: Turn, *, lenient: bool = False) -> list[Entry]:
    """Make one week's forecast calls, queue its actions and play the week.

    Returns the actions the game refused (lenient); a strict replay raises ReplayError instead.
    """
    refused: list[Entry] = []
    for deal_id, call in turn.calls.items():
        try:
            game.call_forecast(deal_id, call)
        except ActionRefused as error:
            if not lenient:
                raise ReplayError(f"Week {game.week}: {error}") from None
    for deal_id, action, target in turn.actions:
        reason = game.refusal(deal_id, action, target)
        if reason is None:
            game.act(deal_id, action, target)
        elif lenient:
            refused.append((deal_id, action, target))
        else:
            raise ReplayError(f"Week {game.week}: {reason}")
    game.end_turn()
    return refused


def replay(scenario: Scenario, seed: int, turns: Sequence[Turn], *, lenient: bool = False) -> tuple[Game, int]:
    """A new game with `turns` played, one list of actions a week; returns it and how many actions were skipped.

    A strict replay (the default) raises ReplayError when the game refuses an action,
    as it would for a damaged log; a lenient one skips it (an edited log, whose later
    actions may no longer be possible, and whose game may end sooner).
    """
    game = Game(scenario, seed)
    skipped = 0
    for number, turn in enumerate(turns, start=1):
        if game.over:
            if lenient:
                skipped += sum(len(rest.actions) for rest in turns[number - 1:])
                break
            raise ReplayError(f"The log has turns after the game ended (turn {number}).")
        skipped += len(play_week(game, turn, lenient=lenient))
    return game, skipped


def rewind(game: Game, week: int) -> Game:
    """A new game at the start of `week` of `game` (its weeks 1..week-1 replayed, nothing queued)."""
    last = weeks_reached(game)
    if not 1 <= week <= last:
        raise ReplayError(f"Week {week} is not in this game: choose a week from 1 to {last}.")
    rewound, _ = replay(game.scenario, game.seed, game.log[: week - 1])
    return rewound


def take_over(game: Game, week: int, strategy: str | Strategy,
              stop: Callable[[Game], bool] | None = None) -> tuple[Game, str]:
    """Replay `game` to the start of `week`, then let `strategy` play on; returns the game and the strategy's name."""
    rewound = rewind(game, week)
    bot = load_strategy(strategy)(rewound.seed) if isinstance(strategy, str) else strategy
    label = strategy if isinstance(strategy, str) else strategy_name(bot)
    return play_on(rewound, bot, stop), label


@dataclass(frozen=True, slots=True)
class WeekRecord:
    """One week of a game as it was: the pipeline at its start, the actions taken, and what happened."""

    week: int
    observation: Observation  # at the start of the week
    actions: tuple[Entry, ...]  # taken this week (queued, not yet played, for the current week)
    calls: dict[str, str]  # forecast calls changed this week
    feed: tuple[FeedItem, ...]  # what happened during the week (empty for the current week)
    played: bool  # False for the current week of a game in progress


@dataclass(frozen=True, slots=True)
class Timeline:
    """A whole game, week by week, and how it stands at the end (or now)."""

    weeks: tuple[WeekRecord, ...]
    final: Observation
    over: bool


def timeline(game: Game) -> Timeline:
    """Replay `game`'s log and record every week as it was."""
    replayed = Game(game.scenario, game.seed)
    records: list[WeekRecord] = []
    for number, turn in enumerate(game.log, start=1):
        observation = replayed.observe()
        play_week(replayed, turn)
        records.append(WeekRecord(number, observation, tuple(turn.actions), dict(turn.calls),
                                  replayed.observe().feed, True))
    final = replayed.observe()
    if not game.over:
        queued = tuple((queued.deal_id, queued.action, queued.target) for queued in game.queued)
        records.append(WeekRecord(game.week, final, queued, {}, (), False))
    return Timeline(tuple(records), final, game.over)

