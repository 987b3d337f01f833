"""Where games are saved: one file per game in the user's data folder (or $DEALDRIFT_HOME)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sim.paths import HOME_VARIABLE, data_dir

__all__ = ["HOME_VARIABLE", "data_dir", "latest_save", "new_save_path", "saved_games", "saves_dir"]

SAVE_SUFFIX = ".json"


def saves_dir() -> Path:
    """The folder of saved games."""
    return data_dir() / "saves"


def new_save_path(scenario_id: str, now: datetime | None = None) -> Path:
    """A fresh file name for a new game of `scenario_id`, never one already taken."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = saves_dir()
    candidate = folder / f"{scenario_id}-{stamp}{SAVE_SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{scenario_id}-{stamp}-{number}{SAVE_SUFFIX}"
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
