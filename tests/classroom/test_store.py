"""The class store: schema and migrations, WAL, damaged, foreign, newer and locked files, players and codes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from sim.classroom.errors import ClassError, StoreError, StoreLocked
from sim.classroom.names import clean_name, normalize_code
from sim.classroom.recorder import Recorder
from sim.classroom.store import SCHEMA_VERSION, ClassRecord, ClassStore
from sim.game import Game
from sim.scenario.loader import load_scenario


def listing(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_a_new_store_has_the_current_schema_in_wal_mode(store: ClassStore, store_path: Path) -> None:
    db = sqlite3.connect(store_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT value FROM store WHERE key = 'format'").fetchone()[0] == "dealdrift-class-store"
    db.close()


def test_a_missing_store_is_not_created_by_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="There is no class store at .*dealdrift serve"):
        ClassStore.open(tmp_path / "none.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_default_store_is_in_the_data_folder(home: Path) -> None:
    store = ClassStore.open(create=True)
    assert store.path == home / "classes.sqlite3" and store.path.exists()


@pytest.mark.parametrize("content, detail", [
    (b"", "it is empty"),
    (b"this is not a database at all\n" * 40, "it does not start as a SQLite database"),
])
def test_a_foreign_file_is_refused_and_left_as_it_is(tmp_path: Path, content: bytes, detail: str) -> None:
    target = tmp_path / "class.sqlite3"
    target.write_bytes(content)
    before = listing(tmp_path)
    with pytest.raises(StoreError, match=detail) as error:
        ClassStore.open(target, create=True)
    assert "is damaged or is not a Deal Drift class store" in str(error.value)
    assert "it was left as it is" in str(error.value)
    assert listing(tmp_path) == before


def test_a_damaged_store_is_refused_and_no_file_is_touched(store: ClassStore, store_path: Path, tmp_path: Path) -> None:
    store.create_class("monday", load_scenario("tutorial"))
    data = bytearray(store_path.read_bytes())
    data[120:4000] = bytes(range(256)) * 15 + bytes(range(40))  # the header survives, the pages do not
    store_path.write_bytes(bytes(data))
    before = listing(tmp_path)
    with pytest.raises(StoreError, match="is damaged or is not a Deal Drift class store"):
        ClassStore.open(store_path)
    assert listing(tmp_path) == before


def test_a_truncated_store_is_refused(store: ClassStore, store_path: Path, tmp_path: Path) -> None:
    store.create_class("monday", load_scenario("tutorial"))
    store_path.write_bytes(store_path.read_bytes()[:5000])
    before = listing(tmp_path)
    with pytest.raises(StoreError, match="malformed"):
        ClassStore.open(store_path)
    assert listing(tmp_path) == before


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    before = listing(tmp_path)
    with pytest.raises(StoreError, match="it holds other tables"):
        ClassStore.open(other, create=True)
    assert listing(tmp_path) == before


def test_a_store_from_a_newer_deal_drift_is_refused(store: ClassStore, store_path: Path) -> None:
    db = sqlite3.connect(store_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match=rf"newer Deal Drift \(store schema {SCHEMA_VERSION + 1}; this one reads up to"):
        ClassStore.open(store_path)


def test_an_empty_sqlite_file_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    target = tmp_path / "empty.sqlite3"
    db = sqlite3.connect(target)
    db.executescript("CREATE TABLE scratch (x); DROP TABLE scratch;")  # a SQLite database of schema version 0
    db.close()
    store = ClassStore.open(target, create=True)
    assert store.classes() == []
    assert sqlite3.connect(target).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_classes_are_created_once_and_found_by_name(store: ClassStore) -> None:
    tutorial = load_scenario("tutorial")
    record = store.create_class("monday", tutorial, 11, code_required=True)
    assert (record.name, record.seed, record.code_required, record.scenario_id) == ("monday", 11, True, "tutorial")
    assert record.scenario == tutorial
    with pytest.raises(ClassError, match="There is already a class called 'monday'"):
        store.create_class("monday", tutorial)
    assert store.ensure_class("monday", tutorial, 11) == record
    with pytest.raises(ClassError, match="plays scenario 'tutorial' with seed 11, not this version of 'tutorial' with seed 12"):
        store.ensure_class("monday", tutorial, 12)
    with pytest.raises(ClassError, match="not this version of 'default'"):
        store.ensure_class("monday", load_scenario("default"), 11)


def test_choosing_a_class(store: ClassStore) -> None:
    with pytest.raises(ClassError, match="There is no class in .* yet"):
        store.get_class()
    store.create_class("monday", load_scenario("tutorial"))
    assert store.get_class().name == "monday"
    store.create_class("tuesday", load_scenario("tutorial"))
    with pytest.raises(ClassError, match="holds several classes \\('monday', 'tuesday'\\); choose one with --class"):
        store.get_class()
    with pytest.raises(ClassError, match="There is no class called 'friday' .*\\(it has 'monday', 'tuesday'\\)"):
        store.get_class("friday")


def test_joining_keeps_names_as_data_and_refuses_a_taken_name(store: ClassStore, tutorial_class: ClassRecord) -> None:
    joined = store.join(tutorial_class, "  [b]Ana[/b]   <script>  ")
    assert joined.player.name == "[b]Ana[/b] <script>"
    with pytest.raises(ClassError, match="There is already a player called '\\[B\\]ANA\\[/B\\] <SCRIPT>' in this class"):
        store.join(tutorial_class, "[B]ANA[/B] <SCRIPT>")
    assert [player.name for player in store.players(tutorial_class)] == ["[b]Ana[/b] <script>"]


@pytest.mark.parametrize("name, message", [
    ("x" * 10_000, "A name has at most 40 characters; this one has 10,000."),
    ("   ", "Please enter a name."),
    ("Ana\x1b[31m", "cannot contain control or unassigned characters \\(found U\\+001B\\)"),
    ("Ana\u202eevil", "found U\\+202E"),
])
def test_bad_names_get_a_clear_message(store: ClassStore, tutorial_class: ClassRecord, name: str, message: str) -> None:
    with pytest.raises(ClassError, match=message):
        store.join(tutorial_class, name)
    assert store.players(tutorial_class) == []


def test_resume_codes_and_seats_find_only_their_own_player(store: ClassStore, tutorial_class: ClassRecord) -> None:
    ana = store.join(tutorial_class, "Ana", seat="seat-of-ana")
    ben = store.join(tutorial_class, "Ben", seat="seat-of-ben")
    assert ana.resume_code != ben.resume_code
    assert store.player_by_seat(tutorial_class, "seat-of-ana").name == "Ana"
    assert store.player_by_seat(tutorial_class, "seat-unknown") is None
    assert store.player_by_code(tutorial_class, ben.resume_code.lower().replace("-", " ")).name == "Ben"
    assert store.player_by_code(tutorial_class, "00000-00000") is None
    # The code moves Ben to a new browser; his old browser no longer opens his game.
    assert store.player_by_code(tutorial_class, ben.resume_code, seat="new-browser").name == "Ben"
    assert store.player_by_seat(tutorial_class, "new-browser").name == "Ben"
    assert store.player_by_seat(tutorial_class, "seat-of-ben") is None
    # The store keeps only digests of codes and seats.
    text = store.path.read_bytes() + b"".join(p.read_bytes() for p in store.path.parent.glob("*-wal"))
    for secret in (ana.resume_code, normalize_code(ana.resume_code), "seat-of-ana"):
        assert secret.encode() not in text


def test_a_new_resume_code_replaces_the_old(store: ClassStore, tutorial_class: ClassRecord) -> None:
    ana = store.join(tutorial_class, "Ana")
    code = store.new_resume_code(tutorial_class, "ana")
    assert store.player_by_code(tutorial_class, ana.resume_code) is None
    assert store.player_by_code(tutorial_class, code).name == "Ana"
    with pytest.raises(ClassError, match="There is no player called 'Zed'"):
        store.new_resume_code(tutorial_class, "Zed")


def test_the_recorder_writes_every_week_and_its_progress(store: ClassStore, tutorial_class: ClassRecord) -> None:
    joined = store.join(tutorial_class, "Ana")
    game = Game(tutorial_class.scenario, tutorial_class.seed)
    recorder = Recorder(store, joined.player.id)
    deal = game.observe().deals[0].id
    game.act(deal, "share_insight")
    recorder.record(game)
    assert store.player(joined.player.id).log.queued.actions == [(deal, "share_insight", None)]
    assert store.turns(joined.player.id) == []
    game.end_turn()
    recorder.record(game)
    game.end_turn()
    recorder.record(game)
    turns = store.turns(joined.player.id)
    assert [(turn.week, turn.actions) for turn in turns] == [(1, ((deal, "share_insight", None),)), (2, ())]
    player = store.player(joined.player.id)
    observation = game.observe()
    assert (player.progress.week, player.progress.bookings) == (observation.week, observation.bookings)
    assert turns[-1].bookings == observation.bookings


def test_a_locked_store_gets_a_clear_message_and_loses_nothing(store_path: Path, tutorial_class: ClassRecord) -> None:
    store = ClassStore.open(store_path, timeout=0.2)
    joined = store.join(tutorial_class, "Ana")
    game = Game(tutorial_class.scenario, tutorial_class.seed)
    recorder = Recorder(store, joined.player.id)
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        game.end_turn()
        with pytest.raises(StoreLocked, match="is locked by another program \\(waited 0.2 s\\); nothing was changed"):
            recorder.record(game)
        assert recorder.pending == 1
        with pytest.raises(StoreLocked):
            store.join(tutorial_class, "Ben")
        game.end_turn()
        with pytest.raises(StoreLocked):
            recorder.record(game)
        assert store.players(tutorial_class)[0].log is None  # readers still read while it is locked
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    recorder.record(game)
    assert recorder.pending == 0
    assert [turn.week for turn in store.turns(joined.player.id)] == [1, 2]
    assert store.player(joined.player.id).progress.week == 3


def test_many_writers_at_once_lose_nothing(store_path: Path, tutorial_class: ClassRecord) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = ClassStore.open(store_path)
    players = [store.join(tutorial_class, f"Player {number}").player.id for number in range(8)]

    def play(player_id: int) -> None:
        game = Game(tutorial_class.scenario, tutorial_class.seed)
        recorder = Recorder(ClassStore.open(store_path), player_id)
        while not game.over:
            game.end_turn()
            recorder.record(game)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(play, players))
    weeks = tutorial_class.scenario.scenario.weeks
    for player_id in players:
        assert len(store.turns(player_id)) == weeks
        assert store.player(player_id).progress.over


def test_names_are_cleaned_the_same_everywhere() -> None:
    assert clean_name("  Ana \t  Lima ") == "Ana Lima"
    assert clean_name("Zoë 🙂") == "Zoë 🙂"
    assert os.linesep not in clean_name("Ana\nLima")
