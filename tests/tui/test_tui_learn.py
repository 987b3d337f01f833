"""Pilot tests of learning from a game: the debrief's played counterfactuals, replay, rewind, history, your best."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_support import choose_action, finished_session, picker_checked, screen_text

from sim import history
from sim.game import Game
from sim.model.actions import ACTIONS
from sim.scenario.loader import load_scenario
from sim.strategies import play
from tui.app import DealDriftApp
from tui.format import money
from tui.screens.confirm import ConfirmScreen
from tui.screens.debrief import DebriefScreen
from tui.screens.picker import PickerScreen
from tui.screens.pipeline import PipelineScreen
from tui.screens.replay import ReplayScreen
from tui.screens.rewind import RewindScreen
from tui.session import Session

SIZES = [(80, 24), (100, 30)]


def _notifications(app: DealDriftApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def _settle(pilot: Pilot) -> None:
    """Let the workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _weekly_feeds(game: Game) -> list[list[str]]:
    """The feed of each week of `game`, from a game replayed here with the Game API alone."""
    again = Game(game.scenario, game.seed)
    feeds = []
    for turn in game.log:
        for choice in turn.actions:
            again.act(*choice)
        feeds.append(again.end_turn())
    return feeds


@pytest.mark.parametrize("size", SIZES)
async def test_the_debrief_shows_the_bots_and_what_was_played_once_ready(size: tuple[int, int]) -> None:
    session = finished_session(seed=2, scenario="default")
    app = DealDriftApp(session=Session.load(session.save_path))
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.review is not None
        text = screen_text(pilot)
        assert "You and the bots on the same world" in text and "What would have helped" in text
        scenario = load_scenario("default")
        for bot in ("advisor", "typical"):
            assert f"{bot}  " in text
            assert money(play(scenario, bot, 2).bookings) in text
        missed = screen.review.counterfactuals
        assert "Played on your world (same seed)" in text
        for played in missed.values():
            if played.take_over is not None:
                assert f"Played from week {played.take_over.from_week} by advisor on your world" in text
        assert "Playing the bots and the counterfactuals" not in text


async def test_the_debrief_writes_markdown_with_what_was_played() -> None:
    session = finished_session(seed=2, scenario="default")
    app = DealDriftApp(session=Session.load(session.save_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("w")
        await pilot.pause()
    written = session.save_path.with_suffix(".md").read_text(encoding="utf-8")
    assert "## You and the bots on the same world" in written and "Not played yet." not in written


@pytest.mark.parametrize("size", SIZES)
async def test_replay_steps_through_each_week_as_it_was(size: tuple[int, int]) -> None:
    session = finished_session(seed=4)
    game = Game.load(session.save_path)
    feeds = _weekly_feeds(game)
    app = DealDriftApp(replay=game, replay_path=session.save_path)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        text = screen_text(pilot)
        assert f"Week 1 of {game.weeks}" in text
        hours = sum(ACTIONS[action].hours for _, action, _ in game.log[0].actions)
        assert f"Week 1 actions · {hours} h" in text
        for week in range(2, len(game.log) + 1):
            await pilot.press("right")
            await pilot.pause()
            text = screen_text(pilot)
            assert f"Week {week} of {game.weeks}" in text
            assert f"Week {week}: what happened" in text
            for sentence in feeds[week - 1][:2]:
                assert sentence in " ".join(text.split())
            for _, action, _ in game.log[week - 1].actions:
                assert ACTIONS[action].label in text
        await pilot.press("right")
        await pilot.pause()
        assert f"End of the game after {len(game.log)} weeks" in screen_text(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert "The game is over here; choose a week to play on from." in _notifications(app)
        await pilot.press("home")
        await pilot.pause()
        assert f"Week 1 of {game.weeks}" in screen_text(pilot)
        assert app.screen.query_one("#replay-deals").row_count == len(game.observe().deals)


async def test_the_replay_of_a_running_game_ends_with_the_week_being_played() -> None:
    game = Game(load_scenario("tutorial"), 2)
    game.end_turn()
    game.act("dispatch-planning", "share_insight")
    app = DealDriftApp(replay=game)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(pilot)
        assert f"Week 2 of {game.weeks} (being played)" in text
        assert "Week 2 queued" in text and "Share insight" in text and "not played yet" in text


@pytest.mark.parametrize("size", SIZES)
async def test_playing_on_from_a_replayed_week_makes_a_new_game_and_keeps_the_old(size: tuple[int, int]) -> None:
    session = finished_session(seed=4)
    original = session.save_path.read_bytes()
    source = Game.load(session.save_path)
    app = DealDriftApp(replay=source, replay_path=session.save_path)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        await pilot.press("right", "right")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Play on from week 3?" in screen_text(pilot)
        await pilot.press("y")
        await _settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        branch = app.session
        assert branch is not None and branch.save_path != session.save_path
        assert branch.game.week == 3 and branch.game.log == source.log[:2] and branch.from_week == 3
        assert f"Week 3 of {source.weeks}" in screen_text(pilot)
    assert session.save_path.read_bytes() == original
    saved = Game.load(branch.save_path)
    assert saved.week == 3 and saved.log == source.log[:2]


async def test_rewinding_from_the_debrief_lists_the_weeks_and_turning_points() -> None:
    session = finished_session(seed=2, scenario="default")
    original = session.save_path.read_bytes()
    app = DealDriftApp(session=Session.load(session.save_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        review = app.screen.review
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, RewindScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == len(session.game.log)
        assert options.highlighted == options.option_count - 1
        turning = {played.turning_point.week for played in review.counterfactuals.values() if played.turning_point}
        for week in turning:
            assert "turning point:" in str(options.get_option(str(week)).prompt)
        await pilot.press("home")
        await pilot.press("down")
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, PipelineScreen)
        assert app.session.game.week == 2 and app.session.save_path != session.save_path
        # The screen underneath is gone: quitting asks about the new game, not the old debrief.
        assert [type(screen) for screen in app.screen_stack[1:]] == [PipelineScreen]
    assert session.save_path.read_bytes() == original


async def test_the_replays_keys_come_first_in_its_help() -> None:
    session = finished_session()
    app = DealDriftApp(replay=Game.load(session.save_path), replay_path=session.save_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(pilot)
        assert text.index("Replay") < text.index("Pipeline")
        assert "a new game from the start of this week (this one is kept)" in text


async def test_replay_from_the_debrief_and_back() -> None:
    session = finished_session()
    app = DealDriftApp(session=Session.load(session.save_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("r")
        await _settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert "Week 1 of" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_a_game_played_to_its_end_is_recorded_as_yours_and_the_picker_offers_your_best() -> None:
    tutorial = load_scenario("tutorial")
    app = DealDriftApp(scenario=tutorial, seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await choose_action(pilot, "share_insight")
        for _week in range(tutorial.scenario.weeks):
            if isinstance(app.screen, DebriefScreen):
                break
            await pilot.press("space")
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        save_path = app.session.save_path
        result = app.session.result()
        await _settle(pilot)
    (entry,) = history.entries()
    assert (entry.player, entry.scenario, entry.seed, entry.bookings) == ("you", "tutorial", 3, result.bookings)
    assert entry.save_path == str(save_path.resolve())

    picker = DealDriftApp()
    async with picker.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(picker.screen, PickerScreen)
        assert f"Your best on this scenario: {money(result.bookings)}" in screen_text(pilot)
        options = picker.screen.query_one(OptionList)
        assert not picker.screen.check_action("best", ())  # default is highlighted: no game of it yet
        while options.get_option_at_index(options.highlighted).id != "tutorial":
            await pilot.press("j")
        assert picker.screen.check_action("best", ())
        await pilot.press("b")
        await _settle(pilot)
        assert isinstance(picker.screen, ReplayScreen)
        assert picker.screen.save_path == save_path
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(picker.screen, PickerScreen)
        await pilot.press("k")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(picker.screen, PickerScreen)  # b is not offered where there is no game of yours


async def test_a_damaged_history_is_reported_and_the_picker_still_works(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "history.sqlite3").write_bytes(b"not a database at all " * 100)
    app = DealDriftApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any("is damaged" in message for message in _notifications(app))
        assert "First Quarter at Northwind Region" in screen_text(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Briefing" in type(app.screen).__name__


async def test_finishing_a_game_with_a_damaged_history_keeps_the_save_and_says_so(home: Path) -> None:
    session = finished_session(seed=4)
    source = Game.load(session.save_path)
    branch = Session.branch(source, len(source.log), session.save_path)
    (home / "history.sqlite3").write_bytes(b"not a database at all " * 100)
    app = DealDriftApp(session=branch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert any("is damaged" in message and str(branch.save_path) in message for message in _notifications(app))
        await _settle(pilot)
    assert Game.load(branch.save_path).over


async def test_a_damaged_last_save_is_reported_in_the_picker_and_the_others_are_kept() -> None:
    kept = finished_session(seed=4)
    damaged = kept.save_path.with_name("zz-damaged.json")
    damaged.write_text(kept.save_path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    app = DealDriftApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await picker_checked(pilot)
        messages = _notifications(app)
        assert any("is not a Deal Drift save file" in message and "Your other saved games are kept" in message
                   for message in messages)
    assert kept.save_path.exists() and Game.load(kept.save_path).over
