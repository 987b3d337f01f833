"""Snapshots of every screen at 80×24 and 100×30, dark and light, with fixed seeds.

Update them with: python -m pytest tests/tui/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from tui_support import finished_session

from sim.game import Game
from sim.scenario.loader import load_scenario
from tui import settings
from tui.app import DealDriftApp
from tui.session import Session

SIZES = {"80x24": (80, 24), "100x30": (100, 30)}
THEMES = ("dark", "light")
ONE_WEEK = ["enter", "a", "enter", "j", "j", "a", "enter", "space"]  # briefing, two actions, end of week 1


async def _played(pilot) -> None:  # noqa: ANN001 - a Textual Pilot
    """Wait until the workers (the debrief's counterfactuals, the replay) have finished and been shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@dataclass(frozen=True)
class Shot:
    """How to reach one screen: the app to start, the keys to press, and the settings of the player."""

    app: Callable[[str], DealDriftApp]
    press: tuple[str, ...] = ()
    first_time: bool = False  # a player with no settings: the legend shows, Space asks about unspent hours
    run_before: Callable[..., Awaitable[None]] | None = None  # e.g. wait for the workers


def _game(scenario: str, seed: int) -> Callable[[str], DealDriftApp]:
    return lambda theme: DealDriftApp(scenario=load_scenario(scenario), seed=seed, theme=theme)


def _debrief(theme: str) -> DealDriftApp:
    return DealDriftApp(session=Session.load(finished_session().save_path), theme=theme)


def _replay(theme: str) -> DealDriftApp:
    path = finished_session(seed=4, scenario="default").save_path
    return DealDriftApp(replay=Game.load(path), replay_path=path, theme=theme)


SHOTS: dict[str, Shot] = {
    "picker": Shot(lambda theme: DealDriftApp(theme=theme)),
    "briefing": Shot(lambda theme: DealDriftApp(theme=theme), ("enter",)),
    "legend": Shot(_game("tutorial", 7), ("enter",), first_time=True),
    "tutorial_coach_note": Shot(_game("tutorial", 7), ("enter",)),
    "pipeline_after_a_week": Shot(_game("default", 7), tuple(ONE_WEEK)),
    "deal": Shot(_game("default", 7), (*ONE_WEEK, "enter")),
    "action_picker": Shot(_game("tutorial", 7), ("enter", "a", "enter", "a", "down")),
    "whom": Shot(_game("tutorial", 7), ("enter", "j", "a", *["down"] * 8, "enter")),
    "forecast_call": Shot(_game("tutorial", 7), ("enter", "j", "f")),
    "unspent_hours": Shot(_game("tutorial", 7), ("enter", "escape", "space"), first_time=True),
    "quit": Shot(_game("tutorial", 7), ("enter", "q")),
    "help": Shot(_game("tutorial", 7), ("enter", "question_mark")),
    "debrief": Shot(_debrief, run_before=_played),
    "debrief_what_would_have_helped": Shot(_debrief, ("end",), run_before=_played),
    "replay": Shot(_replay, ("right", "right"), run_before=_played),
    "rewind": Shot(_debrief, ("b",), run_before=_played),
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SHOTS)
def test_screen(snap_compare, screen: str, size: str, theme: str) -> None:
    shot = SHOTS[screen]
    if shot.first_time:
        settings.settings_path().unlink()
    assert snap_compare(shot.app(theme), terminal_size=SIZES[size], press=list(shot.press),
                        run_before=shot.run_before)
