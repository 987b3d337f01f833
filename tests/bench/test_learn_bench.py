"""Counterfactual benchmarks (run with `pytest -m bench tests/bench/test_learn_bench.py -s`).

The debrief's counterfactuals of a default game must be ready within 1 s of the
game's end: measured on the engine alone, and in the terminal game from the key that
ends the last week to the debrief showing what was played.
"""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest

from sim.counterfactual import MAX_CHANGES
from sim.game import Game
from sim.replay import play_on, weeks_reached
from sim.review import review
from sim.scenario.loader import load_scenario
from sim.strategies import load_strategy, play

pytestmark = pytest.mark.bench

BUDGET = 1.0  # seconds from the end of the game to the counterfactuals being ready
PLAYERS = ("typical", "pusher", "random", "idle")
SEEDS = range(5)


def _game(strategy: str, seed: int) -> Game:
    return play_on(Game(load_scenario("default"), seed), load_strategy(strategy)(seed))


def test_the_review_of_a_default_game_within_1_s() -> None:
    scenario = load_scenario("default")
    play(scenario, "advisor", 0)  # warm up imports and caches
    samples, games = [], []
    for strategy in PLAYERS:
        for seed in SEEDS:
            game = _game(strategy, seed)
            start = time.perf_counter()
            played = review(game)
            review_time = time.perf_counter() - start
            start = time.perf_counter()
            play(scenario, strategy, seed)
            game_time = time.perf_counter() - start
            samples.append(review_time)
            games.append(review_time / game_time)
            assert played.counterfactuals or game.result().counts["won"] == len(game.result().deals)
    worst, median = max(samples), statistics.median(samples)
    print(f"\nreview of a default game ({len(samples)} games by {', '.join(PLAYERS)}; at most {MAX_CHANGES} "
          f"single changes each): median {median * 1000:.0f} ms, worst {worst * 1000:.0f} ms "
          f"(budget {BUDGET * 1000:.0f} ms); {statistics.median(games):.0f}x one game played side by side")
    assert worst <= BUDGET


def test_the_debrief_shows_what_was_played_within_1_s_of_the_last_week() -> None:
    from tui.app import DealDriftApp
    from tui.screens.debrief import DebriefScreen
    from tui.session import Session

    async def measure(source: Game) -> tuple[float, float]:
        session = Session.branch(source, weeks_reached(source))
        app = DealDriftApp(session=session)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            # The key's action itself: Pilot.press would also wait for the screen to settle, workers included.
            app.screen.action_end_turn()
            while not (isinstance(app.screen, DebriefScreen) and app.screen.review is not None):
                await asyncio.sleep(0.002)
            take_overs = time.perf_counter() - start
            while not app.screen.complete:
                await asyncio.sleep(0.002)
            complete = time.perf_counter() - start
            await pilot.pause()
            assert "Played on your world" in str(app.screen.query_one("#debrief-helped .body").render())
        return take_overs, complete

    scenario = load_scenario("default")
    start = time.perf_counter()
    play(scenario, "advisor", 0)
    reference = time.perf_counter() - start
    samples = [asyncio.run(measure(_game(strategy, seed))) for strategy in ("typical", "pusher") for seed in (0, 1)]
    first = [sample[0] for sample in samples]
    whole = [sample[1] for sample in samples]
    print(f"\nend of the last week to the debrief showing the take-overs: median "
          f"{statistics.median(first) * 1000:.0f} ms, worst {max(first) * 1000:.0f} ms; with the single changes: "
          f"median {statistics.median(whole) * 1000:.0f} ms, worst {max(whole) * 1000:.0f} ms "
          f"(budget {BUDGET * 1000:.0f} ms); one default game by advisor took {reference * 1000:.1f} ms in this run")
    assert max(whole) <= BUDGET
