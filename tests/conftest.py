"""Fixtures of every test: each gets its own, empty Deal Drift data folder (saves and history)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DEALDRIFT_HOME at a fresh folder so no test reads or writes the user's saves."""
    folder = tmp_path / "dealdrift-home"
    monkeypatch.setenv("DEALDRIFT_HOME", str(folder))
    return folder
