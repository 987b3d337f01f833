"""The player's remembered choices ("don't ask again", coach notes, the column legend), in the data folder.

A class game keeps its player's choices apart: a class served to many browsers runs every game on
the server's one data folder, and one player's "don't ask again" must not silence another's question,
nor the column legend be shown only to the first player of the class.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from sim import savefile

from .saves import data_dir

SETTINGS_FILE = "settings.json"
PLAYERS_DIR = "players"  # the settings of class players, one file each


@dataclass(frozen=True, slots=True)
class Settings:
    """What the player chose once and wants remembered."""

    ask_before_unspent_hours: bool = True  # ask before ending a week with hours left
    coach_notes: bool = True  # show the coach notes of a guided scenario
    legend_seen: bool = False  # the column legend was shown on the first game


_player: str | None = None  # the class player whose settings are in use (None: the machine's own player)


def use_player(key: str | None) -> None:
    """From now on, read and write the settings of class player `key` (None: the machine's own)."""
    global _player
    _player = key


def settings_path() -> Path:
    """Where the settings are kept."""
    if _player is None:
        return data_dir() / SETTINGS_FILE
    return data_dir() / PLAYERS_DIR / f"{_player}.json"


_cache: dict[tuple[Path, int, int], Settings] = {}  # the file as last read, by path, modification time and size


def load() -> Settings:
    """The saved settings; defaults for a missing or unreadable file (a damaged file never stops the game)."""
    path = settings_path()
    try:
        status = path.stat()
        key = (path, status.st_mtime_ns, status.st_size)
    except OSError:
        return Settings()
    if key not in _cache:
        _cache.clear()
        _cache[key] = _read(path)
    return _cache[key]


def _read(path: Path) -> Settings:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    known = {field.name: field.default for field in fields(Settings)}
    chosen = {key: value for key, value in data.items() if key in known and isinstance(value, bool)}
    return Settings(**chosen)


def save(settings: Settings) -> None:
    """Write the settings atomically; a disk that refuses only means they are not remembered."""
    _cache.clear()
    try:
        savefile.write(settings_path(), asdict(settings))
    except OSError:
        pass


def change(**values: bool) -> Settings:
    """Change some settings, save them and return the new ones."""
    updated = replace(load(), **values)
    save(updated)
    return updated
