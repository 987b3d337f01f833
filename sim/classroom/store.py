"""The class store: one SQLite file of classes, their players and every turn they played.

WAL mode, so the trainer's report and live view read while players write; every write is one short
`BEGIN IMMEDIATE` transaction that waits up to `timeout` seconds for the lock, so many game processes
can write at once. The schema carries a version (`PRAGMA user_version`) and migrates forward.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sim.classroom.errors import ClassError, ImportRefused, StoreError, StoreLocked
from sim.classroom.names import MAX_CLASS_NAME, clean_name, name_key, new_code, normalize_code, secret_digest
from sim.classroom.records import (
    CLASS_COLUMNS, PLAYER_COLUMNS, ClassRecord, Joined, PlayerRecord, class_from_row, player_from_row,
)
from sim.classroom.replay import (
    ActionLog, Progress, TurnRow, log_of_save, progress, scenario_data, scenario_digest, weeks_played,
)
from sim.classroom.schema import MIGRATIONS, SCHEMA_VERSION, STORE_FORMAT
from sim.home import data_dir
from sim.scenario.models import Scenario

__all__ = ["ClassRecord", "ClassStore", "Joined", "PlayerRecord", "SCHEMA_VERSION", "default_store_path"]

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_TIMEOUT = 15.0  # seconds a writer waits for the lock before giving up with StoreLocked


def default_store_path() -> Path:
    """Where the class store lives unless --db says otherwise."""
    return data_dir() / "classes.sqlite3"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- the store ------------------------------------------------------------------------------


class ClassStore:
    """A class store file. Each call opens its own short connection, so one store serves threads and processes."""

    def __init__(self, path: Path, timeout: float) -> None:
        """Use the store at `path`; call `open` or `create` rather than this."""
        self.path = path
        self.timeout = timeout

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = False, timeout: float | None = None) -> ClassStore:
        """The store at `path` (default: the data folder's), checked and migrated; created when `create`.

        A missing file without `create`, a damaged or foreign file, or a store from a newer Deal Drift
        raises StoreError, and the file is left exactly as it was.
        """
        target = Path(path) if path is not None else default_store_path()
        store = cls(target, DEFAULT_TIMEOUT if timeout is None else timeout)
        if not target.exists():
            if not create:
                raise StoreError(f"There is no class store at {target}. A class starts with "
                                 f"'dealdrift serve' or 'dealdrift class new'.")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"Cannot create the class store {target}: {error.strerror or error}.") from None
        else:
            store._check_header()
        store._prepare()
        return store

    # -- opening and checking ---------------------------------------------------------------
    def _damaged(self, detail: str) -> StoreError:
        return StoreError(
            f"{self.path} is damaged or is not a Deal Drift class store ({detail}); it was left as it is. "
            "Restore it from a backup, or give another --db."
        )

    def _check_header(self) -> None:
        """Refuse a file that is not SQLite before SQLite opens it (so nothing is written beside it)."""
        if not self.path.is_file():
            raise StoreError(f"{self.path} is not a file.")
        try:
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as error:
            raise StoreError(f"Cannot read the class store {self.path}: {error.strerror or error}.") from None
        if header != SQLITE_HEADER:
            raise self._damaged("it is empty" if not header else "it does not start as a SQLite database")

    def _prepare(self) -> None:
        """Check the file's integrity and schema, switch it to WAL and migrate it to the current version."""
        with self._connection() as db:
            try:
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise self._damaged(f"SQLite's check says: {check}")
                version = db.execute("PRAGMA user_version").fetchone()[0]
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            except sqlite3.DatabaseError as error:
                raise self._locked_or_damaged(error) from None
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer Deal Drift (store schema {version}; "
                                 f"this one reads up to {SCHEMA_VERSION}). Upgrade Deal Drift to use it.")
            if version == 0 and tables:
                raise self._damaged("it holds other tables")
            if version > 0:
                self._check_format(db)
            if version < SCHEMA_VERSION:
                self._migrate(db)
            try:
                mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.DatabaseError as error:
                raise self._locked_or_damaged(error) from None
            if str(mode).lower() != "wal":
                raise StoreError(f"{self.path} cannot use SQLite's WAL mode (it reports {mode!r}); "
                                 "put the store on a local disk.")

    def _check_format(self, db: sqlite3.Connection) -> None:
        try:
            row = db.execute("SELECT value FROM store WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is None or row[0] != STORE_FORMAT:
            raise self._damaged("its format mark is missing")

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring the schema to SCHEMA_VERSION, one step per migration, each in its own transaction."""
        try:
            db.execute("BEGIN IMMEDIATE")
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated meanwhile
            db.execute("ROLLBACK")
            while version < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                if db.execute("PRAGMA user_version").fetchone()[0] != version:
                    db.execute("ROLLBACK")
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    continue
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")
                db.execute("COMMIT")
                version += 1
        except sqlite3.DatabaseError as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise self._locked_or_damaged(error) from None

    def _locked_or_damaged(self, error: sqlite3.DatabaseError) -> StoreError:
        text = str(error)
        if isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return StoreLocked(
                f"The class store {self.path} is locked by another program (waited {self.timeout:g} s); "
                "nothing was changed. Close the program holding it (a database browser?) and try again."
            )
        if isinstance(error, sqlite3.OperationalError) and ("unable to open" in text or "readonly" in text):
            return StoreError(f"Cannot write the class store {self.path}: {text}.")
        return self._damaged(text)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"Cannot open the class store {self.path}: {error}.") from None
        try:
            db.execute("PRAGMA foreign_keys = ON")
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole with a clear StoreError."""
        with self._connection() as db:
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(error, sqlite3.IntegrityError):
                    raise
                raise self._locked_or_damaged(error) from None
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent snapshot while writers carry on."""
        with self._connection() as db:
            try:
                db.execute("BEGIN")
                yield db
                db.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                raise self._locked_or_damaged(error) from None

    # -- classes -------------------------------------------------------------------------------
    def create_class(self, name: str, scenario: Scenario, seed: int | None = None, *, code_required: bool = False) -> ClassRecord:
        """A new class playing `scenario` on `seed` (default: the scenario's); raises ClassError if the name is taken."""
        name = clean_name(name, what="class name", limit=MAX_CLASS_NAME)
        data = scenario_data(scenario)
        chosen = scenario.scenario.seed if seed is None else seed
        with self._write() as db:
            if db.execute("SELECT 1 FROM classes WHERE name = ?", (name,)).fetchone():
                raise ClassError(f"There is already a class called '{name}' in {self.path}.")
            db.execute(
                "INSERT INTO classes (name, scenario_id, scenario_json, scenario_digest, seed, code_required, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, scenario.scenario.id, json.dumps(data, sort_keys=True), scenario_digest(data), chosen,
                 int(code_required), _now()),
            )
        return self.get_class(name)

    def ensure_class(self, name: str, scenario: Scenario, seed: int | None = None, *, code_required: bool = False) -> ClassRecord:
        """The class `name`, created if new; raises ClassError if it exists with another scenario or seed."""
        chosen = scenario.scenario.seed if seed is None else seed
        existing = self.find_class(name)
        if existing is None:
            try:
                return self.create_class(name, scenario, chosen, code_required=code_required)
            except ClassError:
                existing = self.get_class(name)  # created by another process meanwhile
        if existing.scenario_digest != scenario_digest(scenario_data(scenario)) or existing.seed != chosen:
            raise ClassError(
                f"The class '{existing.name}' in {self.path} plays scenario '{existing.scenario_id}' with seed "
                f"{existing.seed}, not this version of '{scenario.scenario.id}' with seed {chosen}. "
                "Give another class name with --class."
            )
        return existing

    def classes(self) -> list[ClassRecord]:
        """Every class, oldest first."""
        with self._read() as db:
            rows = db.execute(f"SELECT {CLASS_COLUMNS} FROM classes ORDER BY id").fetchall()
        return [class_from_row(row) for row in rows]

    def find_class(self, name: str) -> ClassRecord | None:
        """The class called `name`, if any."""
        with self._read() as db:
            row = db.execute(f"SELECT {CLASS_COLUMNS} FROM classes WHERE name = ?", (name,)).fetchone()
        return None if row is None else class_from_row(row)

    def get_class(self, name: str | None = None) -> ClassRecord:
        """The class called `name`, or the only class when `name` is None; raises ClassError with what there is."""
        if name is not None:
            found = self.find_class(name)
            if found is not None:
                return found
        every = self.classes()
        names = ", ".join(f"'{record.name}'" for record in every)
        if name is None:
            if len(every) == 1:
                return every[0]
            if not every:
                raise ClassError(f"There is no class in {self.path} yet. Start one with 'dealdrift serve' "
                                 "or 'dealdrift class new'.")
            raise ClassError(f"{self.path} holds several classes ({names}); choose one with --class.")
        raise ClassError(f"There is no class called '{name}' in {self.path}" + (f" (it has {names})." if every else "."))

    # -- players ---------------------------------------------------------------------------------
    def join(self, record: ClassRecord, name: str, *, seat: str | None = None) -> Joined:
        """Add a player to a class with a fresh resume code; raises ClassError if the name is taken."""
        name = clean_name(name)
        code = new_code()
        now = _now()
        with self._write() as db:
            if db.execute("SELECT 1 FROM players WHERE class_id = ? AND name_key = ?", (record.id, name_key(name))).fetchone():
                raise ClassError(f"There is already a player called {name!r} in this class. If that is you, "
                                 "continue with your resume code; if not, add an initial to your name.")
            if seat is not None:
                db.execute("UPDATE players SET seat_digest = NULL WHERE seat_digest = ?", (secret_digest(seat),))
            cursor = db.execute(
                "INSERT INTO players (class_id, name, name_key, source, resume_digest, seat_digest, joined_at, updated_at) "
                "VALUES (?, ?, ?, 'played', ?, ?, ?, ?)",
                (record.id, name, name_key(name), secret_digest(normalize_code(code)),
                 None if seat is None else secret_digest(seat), now, now),
            )
            player_id = int(cursor.lastrowid or 0)
        return Joined(self.player(player_id), code)

    def player_by_seat(self, record: ClassRecord, seat: str) -> PlayerRecord | None:
        """The player a browser seat belongs to in this class, if any."""
        with self._read() as db:
            row = db.execute(f"SELECT {PLAYER_COLUMNS} FROM players WHERE class_id = ? AND seat_digest = ?",
                             (record.id, secret_digest(seat))).fetchone()
        return None if row is None else player_from_row(row)

    def player_by_code(self, record: ClassRecord, code: str, *, seat: str | None = None) -> PlayerRecord | None:
        """The player a resume code belongs to in this class, if any; `seat` (this browser) then resumes them too."""
        digest = secret_digest(normalize_code(code))
        with self._write() as db:
            row = db.execute(f"SELECT {PLAYER_COLUMNS} FROM players WHERE class_id = ? AND resume_digest = ?",
                             (record.id, digest)).fetchone()
            if row is not None and seat is not None:
                db.execute("UPDATE players SET seat_digest = NULL WHERE seat_digest = ?", (secret_digest(seat),))
                db.execute("UPDATE players SET seat_digest = ? WHERE id = ?", (secret_digest(seat), row[0]))
        return None if row is None else player_from_row(row)

    def new_resume_code(self, record: ClassRecord, name: str) -> str:
        """Replace a player's resume code (the old one stops working) and return the new one."""
        code = new_code()
        with self._write() as db:
            cursor = db.execute("UPDATE players SET resume_digest = ? WHERE class_id = ? AND name_key = ? AND source = 'played'",
                                (secret_digest(normalize_code(code)), record.id, name_key(clean_name(name))))
            if cursor.rowcount == 0:
                raise ClassError(f"There is no player called {name!r} who plays in the browser in class '{record.name}'.")
        return code

    def player(self, player_id: int) -> PlayerRecord:
        """A player by id."""
        with self._read() as db:
            row = db.execute(f"SELECT {PLAYER_COLUMNS} FROM players WHERE id = ?", (player_id,)).fetchone()
        if row is None:
            raise ClassError(f"There is no player number {player_id} in {self.path}.")
        return player_from_row(row)

    def players(self, record: ClassRecord) -> list[PlayerRecord]:
        """Every player of a class, in the order they joined."""
        with self._read() as db:
            rows = db.execute(f"SELECT {PLAYER_COLUMNS} FROM players WHERE class_id = ? ORDER BY id", (record.id,)).fetchall()
        return [player_from_row(row) for row in rows]

    def turns(self, player_id: int) -> list[TurnRow]:
        """The weeks a player has played, in order."""
        with self._read() as db:
            rows = db.execute("SELECT week, actions_json, bookings, at_risk, recorded_at FROM turns "
                              "WHERE player_id = ? ORDER BY week", (player_id,)).fetchall()
        return [TurnRow(week, tuple((entry[0], entry[1], entry[2] if len(entry) > 2 else None)
                                    for entry in json.loads(actions)), bookings, at_risk, recorded_at)
                for week, actions, bookings, at_risk, recorded_at in rows]

    # -- writing games ---------------------------------------------------------------------------
    def record(self, player_id: int, log: ActionLog, state: Progress, turns: list[TurnRow]) -> None:
        """Keep a player's action log and progress, with the turns played since the last record, in one transaction."""
        with self._write() as db:
            self._write_game(db, player_id, log, state, turns)

    @staticmethod
    def _write_game(db: sqlite3.Connection, player_id: int, log: ActionLog, state: Progress, turns: list[TurnRow]) -> None:
        cursor = db.execute(
            "UPDATE players SET log_json = ?, log_digest = ?, week = ?, weeks = ?, bookings = ?, quota = ?, "
            "at_risk = ?, over = ?, updated_at = ? WHERE id = ?",
            (log.to_json(), log.digest, state.week, state.weeks, state.bookings, state.quota, state.at_risk,
             int(state.over), _now(), player_id),
        )
        if cursor.rowcount == 0:
            raise ClassError(f"There is no player number {player_id} in the class store.")
        db.executemany(
            "INSERT OR REPLACE INTO turns (player_id, week, actions_json, bookings, at_risk, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(player_id, turn.week, json.dumps([list(entry) for entry in turn.actions]), turn.bookings, turn.at_risk,
              turn.recorded_at) for turn in turns],
        )

    def import_save(self, record: ClassRecord, name: str, data: object, *, label: str = "The save") -> PlayerRecord:
        """Add a game played elsewhere under `name`: its log is replayed on the class's scenario and seed.

        Raises ImportRefused (another scenario or seed, a log that does not replay, a name or game already
        in the class) and leaves the store unchanged.
        """
        name = clean_name(name)
        log = log_of_save(data, scenario=record.scenario_data, digest=record.scenario_digest, seed=record.seed, label=label)
        rows, game = weeks_played(record.scenario, record.seed, log)
        state = progress(game)
        now = _now()
        with self._write() as db:
            taken = db.execute("SELECT name FROM players WHERE class_id = ? AND name_key = ?",
                               (record.id, name_key(name))).fetchone()
            if taken:
                raise ImportRefused(f"Class '{record.name}' already has a player called {taken[0]!r}; "
                                    "nothing was imported. Give another --player name.")
            same = db.execute("SELECT name FROM players WHERE class_id = ? AND log_digest = ?",
                              (record.id, log.digest)).fetchone()
            if same:
                raise ImportRefused(f"{label} is, week for week, the game {same[0]!r} already has in class "
                                    f"'{record.name}'; nothing was imported.")
            cursor = db.execute(
                "INSERT INTO players (class_id, name, name_key, source, joined_at, updated_at) VALUES (?, ?, ?, 'imported', ?, ?)",
                (record.id, name, name_key(name), now, now),
            )
            player_id = int(cursor.lastrowid or 0)
            self._write_game(db, player_id, log, state, rows)
        return self.player(player_id)
