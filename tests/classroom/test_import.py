"""Importing saves into a class: replayed on the class's scenario and seed, refused with the reason otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from class_support import edit_save, play_game, write_save

from sim.classroom.errors import ImportRefused
from sim.classroom.report import build_report
from sim.classroom.store import ClassRecord, ClassStore
from sim.scenario.loader import load_scenario
from tui.cli import main


@pytest.fixture
def ana_save(tmp_path: Path, tutorial_class: ClassRecord) -> Path:
    """A finished tutorial game on the class's seed, played by the advisor bot."""
    return write_save(play_game(tutorial_class.scenario, tutorial_class.seed), tmp_path / "ana.json")


def snapshot(store: ClassStore) -> bytes:
    """The store's content, to show a refusal changed nothing."""
    import sqlite3

    db = sqlite3.connect(store.path)
    dump = "\n".join(db.iterdump()).encode()
    db.close()
    return dump


def test_an_import_keeps_only_what_the_replay_gives(store: ClassStore, tutorial_class: ClassRecord, ana_save: Path) -> None:
    edit_save(ana_save, lambda data: data.update(week=1))  # a save's own numbers are never read
    player = store.import_save(tutorial_class, "Ana", json.loads(ana_save.read_text()))
    game = play_game(tutorial_class.scenario, tutorial_class.seed)
    assert player.source == "imported"
    assert player.progress.over and player.progress.bookings == game.result().bookings
    assert [turn.week for turn in store.turns(player.id)] == list(range(1, len(game.log) + 1))
    assert [turn.bookings for turn in store.turns(player.id)] == list(game.result().bookings_by_week[1:len(game.log) + 1])


def test_a_save_of_an_edited_scenario_is_refused(store: ClassStore, tutorial_class: ClassRecord, ana_save: Path) -> None:
    def easier(data: dict) -> None:
        data["scenario"]["seller"]["quota"] = 1
        data["scenario"]["deals"][0]["value"] = 9_000_000

    edit_save(ana_save, easier)
    before = snapshot(store)
    with pytest.raises(ImportRefused, match="was played on another version of scenario 'tutorial' than the class's: "
                                            "they differ at deals\\[0\\].value, seller.quota"):
        store.import_save(tutorial_class, "Ana", json.loads(ana_save.read_text()), label=str(ana_save))
    assert snapshot(store) == before


def test_a_save_of_another_scenario_or_seed_is_refused(store: ClassStore, tutorial_class: ClassRecord, tmp_path: Path) -> None:
    other = write_save(play_game(load_scenario("default"), 7, weeks=2), tmp_path / "other.json")
    with pytest.raises(ImportRefused, match="another version of scenario 'default'"):
        store.import_save(tutorial_class, "Ana", json.loads(other.read_text()))
    seed = write_save(play_game(tutorial_class.scenario, tutorial_class.seed + 1, weeks=2), tmp_path / "seed.json")
    with pytest.raises(ImportRefused, match=f"was played with seed {tutorial_class.seed + 1}; the class plays seed {tutorial_class.seed}"):
        store.import_save(tutorial_class, "Ana", json.loads(seed.read_text()))
    assert store.players(tutorial_class) == []


def test_a_log_that_does_not_replay_is_refused(store: ClassStore, tutorial_class: ClassRecord, ana_save: Path) -> None:
    deal = tutorial_class.scenario.deals[0].id
    edit_save(ana_save, lambda data: data["turns"][0]["actions"].extend([[deal, "pitch_demo"]] * 12))  # more hours than a week has
    with pytest.raises(ImportRefused, match="does not replay on the class's scenario and seed: turn 1: "):
        store.import_save(tutorial_class, "Ana", json.loads(ana_save.read_text()))
    edit_save(ana_save, lambda data: data["turns"].__setitem__(0, [["no-such-deal", "share_insight"]]))
    with pytest.raises(ImportRefused, match="No deal 'no-such-deal'"):
        store.import_save(tutorial_class, "Ana", json.loads(ana_save.read_text()))
    assert store.players(tutorial_class) == []


@pytest.mark.parametrize("data, message", [
    ({"hello": "world"}, "is not a Deal Drift save file"),
    ([], "is not a Deal Drift save file"),
    ({"format": "dealdrift-save", "version": 99}, "is save version 99"),
])
def test_foreign_files_are_refused(store: ClassStore, tutorial_class: ClassRecord, data: object, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        store.import_save(tutorial_class, "Ana", data)


def test_a_duplicate_import_is_refused(store: ClassStore, tutorial_class: ClassRecord, ana_save: Path) -> None:
    data = json.loads(ana_save.read_text())
    store.import_save(tutorial_class, "Ana", data)
    before = snapshot(store)
    with pytest.raises(ImportRefused, match="ben.json is, week for week, the game 'Ana' already has in class 'monday'"):
        store.import_save(tutorial_class, "Ben", data, label="ben.json")
    with pytest.raises(ImportRefused, match="Class 'monday' already has a player called 'Ana'; nothing was imported"):
        store.import_save(tutorial_class, "ana", data)
    assert snapshot(store) == before


def test_class_add_imports_and_reports_each_refusal(store: ClassStore, tutorial_class: ClassRecord, ana_save: Path,
                                                     tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = write_save(play_game(tutorial_class.scenario, tutorial_class.seed, "typical"), tmp_path / "ben.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code = main(["class", "add", "--db", str(store.path), "--player", "Ana", "--player", "Ana", "--player", "Cy",
                 str(ana_save), str(other), str(broken)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"Imported {ana_save} as 'Ana' into class 'monday'." in captured.out
    assert "dealdrift: refused: Class 'monday' already has a player called 'Ana'" in captured.err
    assert "dealdrift: refused: " in captured.err and "broken.json is not a Deal Drift save file (it is not valid JSON)." in captured.err
    assert "2 of 3 saves refused" in captured.err and "Traceback" not in captured.err
    assert [player.name for player in store.players(tutorial_class)] == ["Ana"]
    assert main(["class", "add", "--db", str(store.path), str(other)]) == 0
    assert [player.name for player in store.players(tutorial_class)] == ["Ana", "ben"]


def test_class_add_usage_errors(store: ClassStore, tutorial_class: ClassRecord, ana_save: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["class", "add", "--db", str(store.path), "--player", "A", "--player", "B", str(ana_save)]) == 2
    assert "1 saves but 2 --player names" in capsys.readouterr().err
    assert main(["class", "add", "--db", str(tmp_path / "missing.sqlite3"), str(ana_save)]) == 1
    assert "There is no class store at" in capsys.readouterr().err


def test_class_add_of_a_damaged_store_touches_nothing(tmp_path: Path, ana_save: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "class.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    saved = ana_save.read_bytes()
    assert main(["class", "add", "--db", str(damaged), str(ana_save)]) == 1
    err = capsys.readouterr().err
    assert "is damaged or is not a Deal Drift class store" in err and "Traceback" not in err
    assert damaged.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 5000
    assert ana_save.read_bytes() == saved
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == ["ana.json", "class.sqlite3"]


def test_a_locked_store_refuses_an_import_and_keeps_the_saves(store: ClassStore, tutorial_class: ClassRecord,
                                                            ana_save: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import sim.classroom.store as store_module

    monkeypatch.setattr(store_module, "DEFAULT_TIMEOUT", 0.2)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert main(["class", "add", "--db", str(store.path), "--player", "Ana", str(ana_save)]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "is locked by another program" in capsys.readouterr().err
    assert store.players(tutorial_class) == []
    assert main(["class", "add", "--db", str(store.path), "--player", "Ana", str(ana_save)]) == 0
    assert build_report(store, tutorial_class).players[0].name == "Ana"
