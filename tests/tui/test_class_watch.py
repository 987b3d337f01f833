"""Pilot tests of `dealdrift class watch`: the players' progress, live, at 80x24 and 100x30, never blocking."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable
from tui_support import screen_text

from sim.classroom.recorder import Recorder
from sim.classroom.replay import deals_at_risk
from sim.classroom.store import ClassRecord, ClassStore
from sim.game import Game
from sim.scenario.loader import load_scenario
from tui.cli import main
from tui.watch import watch_app


@pytest.fixture
def store(tmp_path: Path) -> ClassStore:
    """A new class store."""
    return ClassStore.open(tmp_path / "class.sqlite3", create=True)


@pytest.fixture
def record(store: ClassStore) -> ClassRecord:
    """A class on the default scenario with three players: two playing, one not started."""
    record = store.create_class("default-7", load_scenario("default"), 7)
    for name, weeks in (("Ana", 3), ("[b]Bo[/b] with a very long name indeed", 1)):
        player = store.join(record, name).player
        game = Game(record.scenario, record.seed)
        recorder = Recorder(store, player.id)
        for _ in range(weeks):
            game.end_turn()
            recorder.record(game)
    store.join(record, "Cy")
    return record


def table_rows(app) -> list[list[str]]:  # noqa: ANN001
    table = app.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_live_view_shows_each_players_progress(store: ClassStore, record: ClassRecord,
                                                         size: tuple[int, int]) -> None:
    app = watch_app(store, record, interval=60)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = table_rows(app)
        ana_game = Game(record.scenario, record.seed)
        for _ in range(3):
            ana_game.end_turn()
        ana = next(row for row in rows if row[0] == "Ana")
        assert ana[1] == f"4/{record.scenario.scenario.weeks}"
        assert ana[2] == f"{ana_game.observe().bookings:,}"
        assert ana[4] == str(deals_at_risk(ana_game.observe()))
        assert ana[5].endswith("s ago")
        assert any(row[0].startswith("[b]Bo[/b] with a very") and row[0].endswith("…") for row in rows)
        assert rows[-1][0] == "Cy" and rows[-1][1] == "–"
        text = screen_text(pilot)
        assert "Class default-7" in text and "3 players: 2 playing, 0 finished" in text
        table = app.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # every column fits, no sideways scrolling


async def test_a_week_played_meanwhile_appears_on_the_next_refresh(store: ClassStore, record: ClassRecord) -> None:
    app = watch_app(store, record, interval=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        before = app.refreshes
        cy = next(player for player in store.players(record) if player.name == "Cy")
        game = Game(record.scenario, record.seed)
        game.end_turn()
        Recorder(store, cy.id).record(game)
        deadline = time.monotonic() + 5
        while app.refreshes < before + 2 and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert next(row for row in table_rows(app) if row[0] == "Cy")[1] == f"2/{record.scenario.scenario.weeks}"


async def test_reading_the_store_never_blocks_the_screen(store: ClassStore, record: ClassRecord,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    app = watch_app(store, record, interval=60)
    release = threading.Event()
    real = store.players

    def slow_players(which: ClassRecord):  # noqa: ANN202
        release.wait(5)
        return real(which)

    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        monkeypatch.setattr(app.store, "players", slow_players)
        started = time.monotonic()
        await pilot.press("r")  # a refresh that takes as long as the store does (up to 5 s)
        await pilot.press("down", "down")
        await pilot.pause()
        responsive = time.monotonic() - started
        assert app.query_one(DataTable).cursor_row == 2
        assert any(worker.is_running for worker in app.workers)
        release.set()
        await app.workers.wait_for_complete()
        assert responsive < 3.0  # the store takes 5 s: a refresh on the UI thread would take longer


async def test_an_unreadable_store_is_reported_and_the_last_rows_kept(store: ClassStore, record: ClassRecord,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.classroom.errors import StoreLocked

    app = watch_app(store, record, interval=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()

        def locked(which: ClassRecord):  # noqa: ANN202
            raise StoreLocked("The class store is locked by another program.")

        monkeypatch.setattr(app.store, "players", locked)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Cannot read the store: The class store is locked by another program." in screen_text(pilot)
        assert len(table_rows(app)) == 3


def test_watch_needs_a_terminal_and_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["class", "watch", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "There is no class store at" in capsys.readouterr().err
