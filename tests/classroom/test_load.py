"""Thirty players at once: separate processes play `default` to the end, each writing to the store as it goes.

Nothing is lost: thirty complete games in the store, and the report is identical to that of a store
into which the thirty saves were imported one by one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sim.classroom.render import render
from sim.classroom.report import build_report
from sim.classroom.store import ClassStore
from sim.scenario.loader import load_scenario

PLAYERS = 30
HELPER = Path(__file__).with_name("load_player.py")


def test_thirty_players_at_once_lose_nothing(tmp_path: Path) -> None:
    scenario = load_scenario("default")
    live = ClassStore.open(tmp_path / "live.sqlite3", create=True)
    record = live.create_class("load", scenario)
    saves = tmp_path / "saves"
    saves.mkdir()
    started = time.monotonic()
    players = [
        subprocess.Popen([sys.executable, str(HELPER), str(live.path), "load", str(number), str(saves)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for number in range(PLAYERS)
    ]
    failures = []
    for number, process in enumerate(players):
        out, err = process.communicate(timeout=300)
        if process.returncode != 0:
            failures.append(f"player {number}: exit {process.returncode}\n{err[-2000:]}")
    assert not failures, "\n".join(failures)
    elapsed = time.monotonic() - started
    print(f"\n{PLAYERS} players played default to the end at once in {elapsed:.1f} s")

    weeks = scenario.scenario.weeks
    stored = live.players(record)
    assert len(stored) == PLAYERS
    for player in stored:
        assert player.progress.over
        assert [turn.week for turn in live.turns(player.id)] == list(range(1, len(player.log.turns) + 1))
        assert len(player.log.turns) == weeks or player.progress.over
    assert len({player.log.digest for player in stored}) == PLAYERS

    imported = ClassStore.open(tmp_path / "imported.sqlite3", create=True)
    again = imported.create_class("load", scenario)
    for number in range(PLAYERS):
        path = saves / f"player-{number:02d}.json"
        imported.import_save(again, f"Player {number:02d}", json.loads(path.read_text(encoding="utf-8")), label=str(path))

    live_report, imported_report = build_report(live, record), build_report(imported, again)
    assert len(live_report.players) == PLAYERS and live_report.finished == PLAYERS
    for file_format in ("json", "csv", "md", "html", "xapi"):
        assert render(live_report, file_format) == render(imported_report, file_format), file_format
