"""Helpers of the class tests: games played by bots through the Game API, written as save files."""

from __future__ import annotations

import json
import random
from pathlib import Path

from sim.game import Game
from sim.scenario.models import Scenario
from sim.strategies import load_strategy


def play_game(scenario: Scenario, seed: int, strategy: str = "advisor", *, weeks: int | None = None,
              choice_seed: int | None = None) -> Game:
    """A game played by a built-in strategy (or at random with `choice_seed`), for `weeks` weeks or to the end."""
    game = Game(scenario, seed)
    bot = load_strategy(strategy)(seed)
    rng = random.Random(choice_seed)
    while not game.over and (weeks is None or len(game.log) < weeks):
        observation = game.observe()
        choices = list(bot.choose(observation))
        if choice_seed is not None:
            rng.shuffle(choices)
        for choice in choices:
            if game.hours_left <= 0:
                break
            if game.refusal(*choice) is None:
                game.act(*choice)
                acted = getattr(bot, "acted", None)
                if acted is not None:
                    acted(observation, choice[0], choice[1])
        game.end_turn()
    return game


def write_save(game: Game, path: Path) -> Path:
    """The game's save file."""
    return game.save(path)


def edit_save(path: Path, edit) -> Path:  # noqa: ANN001 - a callable that changes the JSON data in place
    """Change a save file's JSON data with `edit`, as a trainee with a text editor might."""
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
