"""Fixtures of the class tests: a fresh data folder and class store for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.classroom.store import ClassRecord, ClassStore
from sim.scenario.loader import load_scenario


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DEALDRIFT_HOME at a fresh folder so no test reads or writes the user's data."""
    folder = tmp_path / "dealdrift-home"
    monkeypatch.setenv("DEALDRIFT_HOME", str(folder))
    return folder


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Where the test's class store goes."""
    return tmp_path / "class.sqlite3"


@pytest.fixture
def store(store_path: Path) -> ClassStore:
    """A new, empty class store."""
    return ClassStore.open(store_path, create=True)


@pytest.fixture
def tutorial_class(store: ClassStore) -> ClassRecord:
    """A class playing the tutorial on its own seed."""
    return store.create_class("monday", load_scenario("tutorial"))
