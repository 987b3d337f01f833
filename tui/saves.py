"""Where games are saved: one file per game in the user's data folder (or $DEALDRIFT_HOME)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sim.home import HOME_VARIABLE, data_dir

SAVE_SUFFIX = ".json"

__all__ = ["HOME_VARIABLE", "SAVE_SUFFIX", "data_dir", "latest_save", "new_save_path", "saved_games", "saves_dir"]


def saves_dir() -> Path:
    """The folder of saved games."""
    return data_dir() / "saves"


def new_save_path(scenario_id: str, now: datetime | None = None, label: str = "") -> Path:
    """A fresh file name for a new game of `scenario_id` (`label` added to it), never one already taken."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem = f"{scenario_id}-{stamp}" + (f"-{label}" if label else "")
    folder = saves_dir()
    candidate = folder / f"{stem}{SAVE_SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{SAVE_SUFFIX}"
        number += 1
    return candidate


def saved_games() -> list[Path]:
    """Saved games, the most recently played first."""
    try:
        entries = [path for path in saves_dir().iterdir() if path.suffix == SAVE_SUFFIX and path.is_file()]
    except OSError:
        return []

    def played(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(entries, key=played, reverse=True)


def latest_save() -> Path | None:
    """The most recently played saved game, if any."""
    games = saved_games()
    return games[0] if games else None
