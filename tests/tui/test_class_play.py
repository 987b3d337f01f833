"""Pilot tests of a class game: joining by name (and class code), the resume code, resuming, recording each week."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import screen_text

from sim import history
from sim.classroom.store import ClassRecord, ClassStore, PlayerRecord
from sim.errors import SaveError
from sim.game import Game
from sim.scenario.loader import load_scenario
from tui import saves, settings
from tui.app import DealDriftApp
from tui.classroom import ClassSeat, ClassSession
from tui.screens.briefing import BriefingScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.end_week import EndWeekScreen
from tui.screens.join import CodeScreen, JoinScreen, ResumeScreen
from tui.screens.legend import LegendScreen
from tui.screens.pipeline import PipelineScreen
from tui.session import Session

SMALL = (80, 24)


@pytest.fixture
def store(tmp_path: Path) -> ClassStore:
    """A new class store."""
    return ClassStore.open(tmp_path / "class.sqlite3", create=True)


@pytest.fixture
def record(store: ClassStore) -> ClassRecord:
    """A class on the tutorial, no class code."""
    return store.create_class("tutorial-5", load_scenario("tutorial"), 5)


def seat(store: ClassStore, record: ClassRecord, token: str | None = "browser-1") -> ClassSeat:
    """A place in the class for one browser."""
    return ClassSeat(store, store.get_class(record.name), token)


async def type_in(pilot, field: str, text: str) -> None:  # noqa: ANN001
    """Put text in a field of the current screen."""
    pilot.app.screen.query_one(field, Input).value = text
    await pilot.pause()


async def join(pilot, name: str, code: str | None = None) -> None:  # noqa: ANN001
    """Fill the join form and press Enter in its last field."""
    await type_in(pilot, "#name", name)
    if code is not None:
        await type_in(pilot, "#class-code", code)
        pilot.app.screen.query_one("#class-code", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_a_new_player_joins_plays_a_week_and_the_store_has_it(store: ClassStore, record: ClassRecord) -> None:
    app = DealDriftApp(classroom=seat(store, record))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        assert "Join the class: Tutorial: Two Deals at Brightwater" in screen_text(pilot)
        await join(pilot, "  Ana   Lima ")
        assert isinstance(app.screen, CodeScreen)
        text = screen_text(pilot)
        assert "Welcome, Ana Lima." in text
        code = text.split("Your resume code: ")[1][:11]
        assert len(code) == 11 and code[5] == "-"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LegendScreen)  # a new player's first game explains the columns
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        await pilot.press("space", "y")  # end the week with its hours unspent
        await pilot.pause()
        assert "Week 2 of" in screen_text(pilot)
    player = store.players(record)[0]
    assert (player.name, player.source, player.progress.week) == ("Ana Lima", "played", 2)
    assert [turn.week for turn in store.turns(player.id)] == [1]
    assert store.player_by_code(record, code).id == player.id


async def new_player_starts(pilot, name: str) -> None:  # noqa: ANN001
    """Join, pass the resume code and the briefing: the pipeline, or the legend over it."""
    await pilot.pause()
    await join(pilot, name)
    await pilot.press("enter", "enter")
    await pilot.pause()


async def test_every_player_in_a_class_has_their_own_remembered_choices(store: ClassStore, record: ClassRecord) -> None:
    # Served to many browsers, every game runs on the server's one data folder.
    machine = settings.load()
    app = DealDriftApp(classroom=seat(store, record, "browser-1"))
    async with app.run_test(size=SMALL) as pilot:
        await new_player_starts(pilot, "Ana")
        assert isinstance(app.screen, LegendScreen)
        await pilot.press("enter", "space")
        await pilot.pause()
        assert isinstance(app.screen, EndWeekScreen)
        await pilot.press("d", "y")  # Ana: don't ask again
        await pilot.pause()
        assert app.session.observe().week == 2
    app = DealDriftApp(classroom=seat(store, record, "browser-2"))
    async with app.run_test(size=SMALL) as pilot:
        await new_player_starts(pilot, "Ben")
        assert isinstance(app.screen, LegendScreen)  # Ana saw it; Ben has not
        await pilot.press("enter", "space")
        await pilot.pause()
        assert isinstance(app.screen, EndWeekScreen)  # Ana's "don't ask again" is hers
    app = DealDriftApp(classroom=seat(store, record, "browser-1"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("space")  # Ana's game continues, her choice remembered
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen) and app.session.observe().week == 3
    settings.use_player(None)
    assert settings.load() == machine  # and the machine's own player is untouched


async def test_the_class_code_is_asked_when_the_class_has_one(store: ClassStore) -> None:
    record = store.create_class("Monday Group", load_scenario("tutorial"), code_required=True)
    app = DealDriftApp(classroom=seat(store, record))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await join(pilot, "Ana", "tuesday group")
        assert isinstance(app.screen, JoinScreen)
        assert "That is not this class's code. Ask your trainer for it." in screen_text(pilot)
        await join(pilot, "Ana", "  monday   GROUP ")
        assert isinstance(app.screen, CodeScreen)
    assert [player.name for player in store.players(record)] == ["Ana"]


@pytest.mark.parametrize("name, message", [
    ("x" * 10_000, "A name has at most 40 characters; this one has 10,000."),
    ("", "Please enter a name."),
])
async def test_a_bad_name_gets_a_clear_message(store: ClassStore, record: ClassRecord, name: str, message: str) -> None:
    app = DealDriftApp(classroom=seat(store, record))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await join(pilot, name)
        assert isinstance(app.screen, JoinScreen)
        assert message in screen_text(pilot)
    assert store.players(record) == []


async def test_a_name_with_markup_is_shown_as_typed(store: ClassStore, record: ClassRecord) -> None:
    app = DealDriftApp(classroom=seat(store, record))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await join(pilot, "[b]Ana[/b] [link=x]y[/link] $text")
        assert "Welcome, [b]Ana[/b] [link=x]y[/link] $text." in screen_text(pilot)
    assert store.players(record)[0].name == "[b]Ana[/b] [link=x]y[/link] $text"


async def test_a_taken_name_points_to_the_resume_code(store: ClassStore, record: ClassRecord) -> None:
    store.join(record, "Ana")
    app = DealDriftApp(classroom=seat(store, record, "browser-2"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await join(pilot, "ANA")
        assert "There is already a player called 'ANA' in this class. If that is you, continue with your resume code" in screen_text(pilot)


async def play_weeks(store: ClassStore, record: ClassRecord, token: str, weeks: int) -> str:
    """Join as Ana in browser `token` and play `weeks` weeks; returns the resume code."""
    app = DealDriftApp(classroom=seat(store, record, token))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await join(pilot, "Ana")
        code = screen_text(pilot).split("Your resume code: ")[1][:11]
        settings.change(legend_seen=True, ask_before_unspent_hours=False)  # Ana's choices, as a player who knows the game
        await pilot.press("enter", "enter")
        await pilot.pause()
        deal = app.session.observe().deals[0].id
        app.session.act(deal, "share_insight")
        for _ in range(weeks):
            await pilot.press("space")
            await pilot.pause()
    return code


async def test_reloading_the_page_continues_the_game(store: ClassStore, record: ClassRecord) -> None:
    await play_weeks(store, record, "browser-1", 2)
    app = DealDriftApp(classroom=seat(store, record, "browser-1"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        assert "Week 3 of" in screen_text(pilot)
        assert any("Welcome back, Ana" in n.message for n in app._notifications)
        expected = Game(record.scenario, record.seed)
        expected.act(expected.observe().deals[0].id, "share_insight")
        expected.end_turn()
        expected.end_turn()
        assert app.session.game.log == expected.log
        assert app.session.observe().bookings == expected.observe().bookings


async def test_another_browser_continues_only_with_the_resume_code(store: ClassStore, record: ClassRecord) -> None:
    code = await play_weeks(store, record, "browser-1", 1)
    app = DealDriftApp(classroom=seat(store, record, "browser-2"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)  # a new browser does not see Ana's game
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await type_in(pilot, "#code", "AAAAA-AAAAA")
        await pilot.press("enter")
        await pilot.pause()
        assert "No game in this class has that resume code." in screen_text(pilot)
        await type_in(pilot, "#code", code.lower())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        assert "Week 2 of" in screen_text(pilot)
    assert seat(store, record, "browser-2").returning().name == "Ana"
    assert seat(store, record, "browser-1").returning() is None


async def a_week_the_store_missed(store: ClassStore, record: ClassRecord) -> tuple[ClassSeat, PlayerRecord, ClassSession]:
    """Ana's game a week further on than the store has it (that week not yet saved anywhere)."""
    await play_weeks(store, record, "browser-1", 1)
    place = seat(store, record, "browser-1")
    player = place.returning()
    session = place.session(player)
    session.game.end_turn()
    return place, player, session


async def test_a_week_the_store_missed_is_kept_in_the_backup_save(store: ClassStore, record: ClassRecord) -> None:
    place, player, session = await a_week_the_store_missed(store, record)
    session.game.save(session.save_path)  # the backup save moved on; the store did not hear of it
    assert store.player(player.id).progress.week == 2
    resumed = place.session(store.player(player.id))
    assert len(resumed.game.log) == 2
    resumed.save()
    assert [turn.week for turn in store.turns(player.id)] == [1, 2]
    assert json.loads(session.save_path.read_text())["turns"] == [turn.to_json() for turn in resumed.game.log]


async def test_quitting_a_class_game_says_how_to_continue(store: ClassStore, record: ClassRecord) -> None:
    await play_weeks(store, record, "browser-1", 1)
    app = DealDriftApp(classroom=seat(store, record, "browser-1"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "is recorded for the class. Reloading this page continues your game." in screen_text(pilot)


async def test_in_a_terminal_the_code_screen_gives_the_command(store: ClassStore, record: ClassRecord) -> None:
    app = DealDriftApp(classroom=seat(store, record, None))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await join(pilot, "Ana")
        assert "To continue, run: dealdrift play --class tutorial-5, choose 'I have a resume code'" in screen_text(pilot)


def test_a_finished_class_game_is_in_the_history_under_the_players_name_not_as_you(store: ClassStore,
                                                                                  record: ClassRecord) -> None:
    # On a class server every player's game ends on the server's machine, whose own player is "you".
    for token, name in (("browser-1", "Ana"), ("browser-2", "Ben")):
        place = seat(store, record, token)
        session = place.session(place.join(name).player)
        while not session.game.over:
            assert session.end_turn().history_problem is None
    played = {(entry.player, entry.bookings) for entry in history.entries()}
    assert {player for player, _ in played} == {"Ana (class tutorial-5)", "Ben (class tutorial-5)"}
    assert history.best("tutorial") is None  # the machine's own best is untouched
    assert len(store.players(record)) == 2 and all(p.progress.over for p in store.players(record))


async def test_a_class_game_is_never_offered_as_the_machines_own_game_to_continue(store: ClassStore,
                                                                                  record: ClassRecord) -> None:
    await play_weeks(store, record, "browser-1", 1)
    assert seat(store, record, "browser-1").backup_path(store.players(record)[0]).exists()
    assert saves.saved_games() == []  # neither 'Continue' in the scenario list nor 'play --resume' offers it
    with pytest.raises(SaveError):
        Session.resume()


async def test_a_backup_save_from_before_the_class_folder_is_still_read(store: ClassStore, record: ClassRecord) -> None:
    place, player, session = await a_week_the_store_missed(store, record)
    legacy = saves.saves_dir() / session.save_path.name
    session.game.save(legacy)  # the week the store missed, in the old place
    session.save_path.unlink()
    assert len(place.session(store.player(player.id)).game.log) == 2
