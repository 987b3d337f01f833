"""Run a class: the class store (SQLite), importing games played elsewhere, and the trainer's report.

Nothing here imports the terminal UI; the browser server and the live view live in `tui`.
"""

from __future__ import annotations

from sim.classroom.errors import ClassError, ImportRefused, StoreError, StoreLocked
from sim.classroom.report import ClassReport, build_report
from sim.classroom.store import ClassRecord, ClassStore, PlayerRecord, default_store_path

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
