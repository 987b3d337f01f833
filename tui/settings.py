"""The player's remembered choices ("don't ask again", coach notes, the column legend), in the data folder."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from sim import savefile

from .saves import data_dir

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the player chose once and wants remembered."""

    ask_before_unspent_hours: bool = True  # ask before ending a week with hours left
    coach_notes: bool = True  # show the coach notes of a guided scenario
    legend_seen: bool = False  # the column legend was shown on the first game


def settings_path() -> Path:
    """Where the settings are kept."""
    return data_dir() / SETTINGS_FILE


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
