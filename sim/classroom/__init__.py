"""Run a class: the class store (SQLite), importing games played elsewhere, and the trainer's report.

Nothing here imports the terminal UI; the browser server and the live view live in `tui`.
The names below are imported on first use, so a module that needs only the errors or the
names of players (the game's join screen) does not load the store, the report or pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.lazy import lazy_names

if TYPE_CHECKING:
    from sim.classroom.errors import ClassError, ImportRefused, StoreError, StoreLocked
    from sim.classroom.report import ClassReport, build_report
    from sim.classroom.store import ClassRecord, ClassStore, PlayerRecord, default_store_path

# name -> the module that defines it, imported on first use
_LAZY = {
    "ClassError": "sim.classroom.errors",
    "ClassRecord": "sim.classroom.store",
    "ClassReport": "sim.classroom.report",
    "ClassStore": "sim.classroom.store",
    "ImportRefused": "sim.classroom.errors",
    "PlayerRecord": "sim.classroom.store",
    "StoreError": "sim.classroom.errors",
    "StoreLocked": "sim.classroom.errors",
    "build_report": "sim.classroom.report",
    "default_store_path": "sim.classroom.store",
}

__getattr__, __dir__ = lazy_names(__name__, _LAZY)

__all__ = [
    "ClassError",
    "ClassRecord",
    "ClassReport",
    "ClassStore",
    "ImportRefused",
    "PlayerRecord",
    "StoreError",
    "StoreLocked",
    "build_report",
    "default_store_path",
]
