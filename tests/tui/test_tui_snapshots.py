"""Snapshots of the main screens at 100×30 (and 80×24) with fixed seeds (update with: pytest --snapshot-update)."""

from __future__ import annotations

from tui_support import finished_session

from sim.game import Game
from sim.scenario.loader import load_scenario
from tui.app import DealDriftApp
from tui.session import Session

SIZE = (100, 30)
ONE_WEEK = ["enter", "a", "enter", "j", "j", "a", "enter", "space"]  # briefing, two actions, end of week 1


def test_picker(snap_compare) -> None:
    assert snap_compare(DealDriftApp(), terminal_size=SIZE)


def test_briefing(snap_compare) -> None:
    assert snap_compare(DealDriftApp(), terminal_size=SIZE, press=["enter"])


def test_pipeline_after_a_week(snap_compare) -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=7)
    assert snap_compare(app, terminal_size=SIZE, press=ONE_WEEK)


def test_pipeline_in_the_light_theme(snap_compare) -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=7, theme="light")
    assert snap_compare(app, terminal_size=SIZE, press=ONE_WEEK)


def test_pipeline_at_80_by_24(snap_compare) -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=7)
    assert snap_compare(app, terminal_size=(80, 24), press=ONE_WEEK)


def test_deal(snap_compare) -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=7)
    assert snap_compare(app, terminal_size=SIZE, press=[*ONE_WEEK, "enter"])


def test_action_picker(snap_compare) -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=7)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "a", "enter", "a", "down"])


async def _played(pilot) -> None:
    """Wait until the workers (the debrief's counterfactuals, the replay) have finished and been shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _debrief() -> DealDriftApp:
    return DealDriftApp(session=Session.load(finished_session().save_path))


def _replay() -> DealDriftApp:
    path = finished_session(seed=4, scenario="default").save_path
    return DealDriftApp(replay=Game.load(path), replay_path=path)


def test_debrief(snap_compare) -> None:
    assert snap_compare(_debrief(), terminal_size=SIZE, run_before=_played)


def test_debrief_what_would_have_helped_at_80_by_24(snap_compare) -> None:
    assert snap_compare(_debrief(), terminal_size=(80, 24), run_before=_played, press=["end"])


def test_replay(snap_compare) -> None:
    assert snap_compare(_replay(), terminal_size=SIZE, run_before=_played, press=["right", "right"])


def test_replay_at_80_by_24(snap_compare) -> None:
    assert snap_compare(_replay(), terminal_size=(80, 24), run_before=_played, press=["right", "right"])


def test_rewind(snap_compare) -> None:
    assert snap_compare(_debrief(), terminal_size=SIZE, run_before=_played, press=["b"])


def test_rewind_at_80_by_24(snap_compare) -> None:
    assert snap_compare(_debrief(), terminal_size=(80, 24), run_before=_played, press=["b", "up"])
