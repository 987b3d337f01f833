"""The class store's schema: its tables, and the migrations that bring an older store up to date."""

from __future__ import annotations

STORE_FORMAT = "dealdrift-class-store"

_SCHEMA_1 = """
CREATE TABLE store (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    scenario_id TEXT NOT NULL,
    scenario_json TEXT NOT NULL,
    scenario_digest TEXT NOT NULL,
    seed INTEGER NOT NULL,
    code_required INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE players (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES classes(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('played', 'imported')),
    resume_digest TEXT UNIQUE,
    seat_digest TEXT UNIQUE,
    log_json TEXT,
    log_digest TEXT,
    week INTEGER, weeks INTEGER, bookings INTEGER, quota INTEGER, at_risk INTEGER,
    over INTEGER NOT NULL DEFAULT 0,
    joined_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (class_id, name_key)
);
CREATE INDEX players_by_log ON players (class_id, log_digest);
CREATE TABLE turns (
    player_id INTEGER NOT NULL REFERENCES players(id),
    week INTEGER NOT NULL,
    actions_json TEXT NOT NULL,
    bookings INTEGER NOT NULL,
    at_risk INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (player_id, week)
);
"""


def _statements(script: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in script.split(";") if part.strip())


# MIGRATIONS[n] brings a store from schema version n to n + 1, in one transaction; a new version appends a step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (*_statements(_SCHEMA_1), f"INSERT INTO store (key, value) VALUES ('format', '{STORE_FORMAT}')"),
)
SCHEMA_VERSION = len(MIGRATIONS)
