"""The local history of finished games: an SQLite file in the data folder, safe with several games at once.

Each game played to its end in the terminal, and each `dealdrift run --save`, adds one
row: scenario, seed, player (a strategy's name, or "you"), bookings, each deal's
ending, the date and the save file. Writes are single transactions in WAL mode with
a busy timeout, so two games finishing at the same moment both land; a damaged file
gets a clear message and is never overwritten.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sim.errors import DealDriftError
from sim.home import data_dir
from sim.results import RunResult
from sim.stages import ENDING_KEYS

HISTORY_FILE = "history.sqlite3"
SCHEMA_VERSION = 1
YOU = "you"  # the player of a game played in the terminal
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS games (
    id INTEGER PRIMARY KEY,
    played_at TEXT NOT NULL,      -- ISO 8601, UTC
    scenario TEXT NOT NULL,       -- the scenario's id
    title TEXT NOT NULL,
    seed INTEGER NOT NULL,
    player TEXT NOT NULL,         -- a strategy's name, or 'you'
    bookings INTEGER NOT NULL,
    quota INTEGER NOT NULL,
    weeks INTEGER NOT NULL,
    endings TEXT NOT NULL,        -- JSON: {deal id: ending}
    save_path TEXT,               -- where the game's save was written
    from_week INTEGER,            -- a game rewound from another: the week it was rewound to
    branch_of TEXT                -- ... and the save it was rewound from
);
CREATE INDEX IF NOT EXISTS games_by_scenario ON games (scenario, player, bookings);
"""


class HistoryError(DealDriftError):
    """The history cannot be read or written (damaged, from a newer version, or not writable)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One finished game in the history."""

    id: int
    played_at: str
    scenario: str
    title: str
    seed: int
    player: str
    bookings: int
    quota: int
    weeks: int
    endings: dict[str, str] | None  # None when the row's endings cannot be read
    save_path: str | None
    from_week: int | None
    branch_of: str | None

    @property
    def counts(self) -> dict[str, int] | None:
        """How many deals ended each way (None when the endings cannot be read)."""
        if self.endings is None:
            return None
        tally = Counter(self.endings.values())
        return {key: tally.get(key, 0) for key in ENDING_KEYS}

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "id": self.id, "played_at": self.played_at, "scenario": self.scenario, "title": self.title,
            "seed": self.seed, "player": self.player, "bookings": self.bookings, "quota": self.quota,
            "weeks": self.weeks, "endings": self.endings, "counts": self.counts, "save_path": self.save_path,
            "from_week": self.from_week, "branch_of": self.branch_of,
        }


def history_path() -> Path:
    """Where the history is kept: history.sqlite3 in the data folder."""
    return data_dir() / HISTORY_FILE


def _damaged(path: Path, error: sqlite3.Error) -> HistoryError:
    if isinstance(error, sqlite3.OperationalError) and "unable to open" in str(error):
        return HistoryError(f"Cannot open the game history {path}: {error}.")
    if isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error)):
        return HistoryError(f"The game history {path} stayed locked by another program for "
                            f"{BUSY_TIMEOUT_MS // 1000} s; nothing was lost, try again.")
    return HistoryError(
        f"The game history {path} is damaged ({error}). Your saved games are not affected; "
        "move the file aside and a new history will be started."
    )


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode; the switch ignores the busy timeout, so a second process creating it retries."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def _connect(path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    """A connection with the history's schema ready; every sqlite error becomes a HistoryError."""
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(f"Cannot create the folder of the game history {path}: "
                               f"{error.strerror or error}.") from None
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(f"The game history {path} was written by a newer Deal Drift "
                               f"(schema {version}; this one reads {SCHEMA_VERSION}).")
        if version < SCHEMA_VERSION:
            _switch_to_wal(connection)
            connection.execute("BEGIN IMMEDIATE")
            # Another process may have created it while this one waited for the lock.
            if connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        yield connection
    except sqlite3.Error as error:
        raise _damaged(path, error) from None
    finally:
        if connection is not None:
            connection.close()


def record(result: RunResult, *, title: str, player: str, save_path: Path | str | None = None,
           from_week: int | None = None, branch_of: Path | str | None = None,
           path: Path | None = None, played_at: datetime | None = None) -> Entry:
    """Add a finished game to the history (one atomic write) and return its entry."""
    target = path or history_path()
    when = (played_at or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    endings = {deal.id: deal.ending for deal in result.deals}
    row = (when, result.scenario, title, result.seed, player, result.bookings, result.quota, result.weeks,
           json.dumps(endings), None if save_path is None else str(save_path), from_week,
           None if branch_of is None else str(branch_of))
    with _connect(target, create=True) as connection:
        connection.execute("BEGIN IMMEDIATE")
        cursor = connection.execute(
            "INSERT INTO games (played_at, scenario, title, seed, player, bookings, quota, weeks, endings, "
            "save_path, from_week, branch_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        connection.execute("COMMIT")
        number = cursor.lastrowid or 0
    return Entry(number, when, result.scenario, title, result.seed, player, result.bookings, result.quota,
                 result.weeks, endings, row[9], from_week, row[11])


def _entry(row: tuple[object, ...]) -> Entry:
    (number, when, scenario, title, seed, player, bookings, quota, weeks, endings_text, save_path, from_week,
     branch_of) = row
    try:
        endings = json.loads(str(endings_text))
        if not (isinstance(endings, dict) and all(isinstance(v, str) for v in endings.values())):
            endings = None
    except (ValueError, RecursionError):
        endings = None
    return Entry(int(number), str(when), str(scenario), str(title), int(seed), str(player), int(bookings),
                 int(quota), int(weeks), endings, None if save_path is None else str(save_path),
                 None if from_week is None else int(from_week), None if branch_of is None else str(branch_of))


_COLUMNS = ("id, played_at, scenario, title, seed, player, bookings, quota, weeks, endings, save_path, "
            "from_week, branch_of")


def entries(*, scenario: str | None = None, player: str | None = None, limit: int | None = None,
            path: Path | None = None) -> list[Entry]:
    """Games in the history, the most recent first; an absent history is an empty one."""
    target = path or history_path()
    if not target.exists():
        return []
    where, values = [], []
    if scenario is not None:
        where.append("scenario = ?")
        values.append(scenario)
    if player is not None:
        where.append("player = ?")
        values.append(player)
    query = f"SELECT {_COLUMNS} FROM games"
    if where:
        query += " WHERE " + " AND ".join(where)
    query += " ORDER BY played_at DESC, id DESC"
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with _connect(target, create=False) as connection:
        rows = connection.execute(query, values).fetchall()
    result = []
    for row in rows:
        try:
            result.append(_entry(row))
        except (TypeError, ValueError):
            continue  # a row damaged beyond reading is left out; the others are still listed
    return result


def best(scenario: str, *, player: str = YOU, path: Path | None = None) -> Entry | None:
    """The player's highest bookings on a scenario (the earliest such game on a tie), or None."""
    target = path or history_path()
    if not target.exists():
        return None
    with _connect(target, create=False) as connection:
        row = connection.execute(
            f"SELECT {_COLUMNS} FROM games WHERE scenario = ? AND player = ? "
            "ORDER BY bookings DESC, played_at ASC, id ASC LIMIT 1", (scenario, player)).fetchone()
    if row is None:
        return None
    try:
        return _entry(row)
    except (TypeError, ValueError):
        return None
