"""Fixtures of every test: each gets its own Deal Drift data folder (saves, history, settings).

The folder is that of a player who has seen the column legend and chose not to be
asked about unspent hours, so that tests can end weeks with one key; the tests of
those two first-run behaviours start from an empty folder (`first_timer`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import settings


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DEALDRIFT_HOME at a fresh folder so no test reads or writes the user's saves."""
    folder = tmp_path / "dealdrift-home"
    monkeypatch.setenv("DEALDRIFT_HOME", str(folder))
    settings.use_player(None)
    settings.save(settings.Settings(ask_before_unspent_hours=False, legend_seen=True))
    return folder


@pytest.fixture
def first_timer(home: Path) -> Path:
    """A data folder with no settings at all: the player has never played."""
    settings.settings_path().unlink()
    return home
