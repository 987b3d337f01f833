"""The local history: recording, listing, your best, two writers at once, and damaged files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sim import history
from sim.commands.main import main
from sim.game import Game
from sim.scenario.loader import load_scenario
from sim.strategies import play

TUTORIAL = load_scenario("tutorial")


def _record(strategy: str, seed: int, player: str | None = None, when: datetime | None = None) -> history.Entry:
    result = play(TUTORIAL, strategy, seed)
    return history.record(result, title="Tutorial", player=player or strategy, save_path=f"/saves/{seed}.json",
                          played_at=when)


def test_recorded_games_are_listed_newest_first_with_their_endings(home: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    first = _record("advisor", 1, when=start)
    second = _record("pusher", 2, when=start + timedelta(hours=1))
    assert history.history_path() == home / "history.sqlite3"
    listed = history.entries()
    assert [entry.id for entry in listed] == [second.id, first.id]
    expected = play(TUTORIAL, "pusher", 2)
    assert listed[0].endings == {deal.id: deal.ending for deal in expected.deals}
    assert listed[0].counts == expected.counts
    assert (listed[0].bookings, listed[0].seed, listed[0].player) == (expected.bookings, 2, "pusher")
    assert [entry.player for entry in history.entries(player="advisor")] == ["advisor"]
    assert history.entries(scenario="default") == []


def test_your_best_is_your_highest_bookings_on_that_scenario() -> None:
    scores = {seed: play(TUTORIAL, "advisor", seed).bookings for seed in range(1, 6)}
    for seed in scores:
        _record("advisor", seed, player=history.YOU)
    _record("advisor", 9, player="advisor")  # a bot's game is not yours
    best = history.best("tutorial")
    assert best is not None and best.player == history.YOU
    assert best.bookings == max(scores.values())
    assert best.seed == min(seed for seed, booked in scores.items() if booked == best.bookings)
    assert history.best("default") is None


def test_an_absent_history_is_empty_and_not_created_by_reading(home: Path) -> None:
    assert history.entries() == [] and history.best("tutorial") is None
    assert not (home / "history.sqlite3").exists()


def test_run_save_records_the_game_and_history_lists_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save = tmp_path / "game.json"
    assert main(["run", "tutorial", "--strategy", "typical", "--seed", "4", "--save", str(save)]) == 0
    capsys.readouterr()
    assert main(["history", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (game,) = data["games"]
    expected = play(TUTORIAL, "typical", 4)
    assert (game["scenario"], game["seed"], game["player"], game["bookings"]) == ("tutorial", 4, "typical",
                                                                                    expected.bookings)
    assert game["save_path"] == str(save.resolve()) and game["counts"] == expected.counts
    assert main(["history"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["date", "scenario", "seed", "player", "bookings", "endings"]
    assert "tutorial" in table[1] and "typical" in table[1] and f"{expected.bookings:,} of" in table[1]


def test_a_take_over_saved_from_another_game_says_where_it_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert main(["run", "tutorial", "--strategy", "pusher", "--seed", "4", "--save", str(first)]) == 0
    assert main(["run", "--from", str(first), "--week", "3", "--strategy", "advisor", "--save", str(second)]) == 0
    capsys.readouterr()
    latest = history.entries()[0]
    assert (latest.player, latest.from_week, latest.branch_of) == ("advisor", 3, str(first.resolve()))
    assert main(["history"]) == 0
    assert "advisor (from week 3)" in capsys.readouterr().out


def test_history_with_no_games(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == 0
    assert "No finished games in the history yet" in capsys.readouterr().out


def test_a_damaged_history_gets_a_message_and_is_left_as_it_was(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    damaged = home / "history.sqlite3"
    damaged.write_bytes(b"this is not a database " * 200)
    before = damaged.read_bytes()
    assert main(["history"]) == 1
    err = capsys.readouterr().err
    assert "The game history" in err and "is damaged" in err and "Your saved games are not affected" in err
    assert "Traceback" not in err
    # A game saved meanwhile is kept; only the history entry is missing, and the user is told.
    save = tmp_path / "kept.json"
    assert main(["run", "tutorial", "--seed", "2", "--save", str(save)]) == 0
    err = capsys.readouterr().err
    assert f"the game is saved in {save}" in err and "is damaged" in err
    assert Game.load(save).over
    assert damaged.read_bytes() == before


def test_a_half_written_history_file_is_reported_as_damaged(home: Path) -> None:
    _record("advisor", 1)
    path = history.history_path()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\0" * 1000 + data[1100:])
    with pytest.raises(history.HistoryError, match="damaged"):
        history.entries()


def test_a_row_that_cannot_be_read_does_not_hide_the_others() -> None:
    _record("advisor", 1)
    _record("pusher", 2)
    with sqlite3.connect(history.history_path()) as connection:
        connection.execute("UPDATE games SET endings = 'not json' WHERE player = 'pusher'")
    connection.close()
    listed = history.entries()
    assert len(listed) == 2
    broken = next(entry for entry in listed if entry.player == "pusher")
    assert broken.endings is None and broken.counts is None
    from sim.commands.history import table

    assert "endings unreadable" in table(listed)


def test_a_history_from_a_newer_version_is_refused_with_a_message() -> None:
    _record("advisor", 1)
    with sqlite3.connect(history.history_path()) as connection:
        connection.execute(f"PRAGMA user_version = {history.SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(history.HistoryError, match="written by a newer Deal Drift"):
        history.entries()


_WRITER = textwrap.dedent(
    """
    import sys
    from sim import history, load_scenario, play

    result = play(load_scenario("tutorial"), "advisor", int(sys.argv[1]))
    print("ready", flush=True)
    sys.stdin.readline()  # both start writing at the same moment
    for number in range(int(sys.argv[2])):
        history.record(result, title="Tutorial", player=f"writer-{sys.argv[1]}", save_path=f"/saves/{number}.json")
    print("done", flush=True)
    """
)


def test_two_processes_recording_at_once_lose_nothing(home: Path) -> None:
    games = 60
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(seed), str(games)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in (1, 2)
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.strip() == "done", err
    listed = history.entries()
    assert len(listed) == 2 * games
    assert {entry.player for entry in listed} == {"writer-1", "writer-2"}
    with sqlite3.connect(history.history_path()) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()
