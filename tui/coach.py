"""The guided tutorial's coach: which of a scenario's `[[tutorial]]` notes are due, from the game as seen.

A note becomes due the first time its trigger holds (judged on the Observation, so
the coach knows no more than the trainee) and stays due until it is dismissed.
Dismissed notes are remembered next to the save, so a continued game does not
repeat them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim import savefile
from sim.forecast import FORECAST_STAGES, PIPELINE
from sim.observation import DealView, Observation

if TYPE_CHECKING:
    from sim.scenario.models import CoachNote

NOTES_SUFFIX = ".coach"

TARGET_LABELS: dict[str, str] = {
    "status": "the status line at the top",
    "deals": "the pipeline",
    "stage": "the Stage column",
    "attention": "the Attention column",
    "urgency": "the Urgency column",
    "plan": "the Plan column",
    "days": "the Days column",
    "close": "the Close column",
    "call": "the Call column",
    "feed": "the feed below",
    "queue": "the queue below",
}
COLUMN_TARGETS = frozenset({"stage", "attention", "urgency", "plan", "days", "close", "call"})


def _working_stage(deal: DealView) -> str:
    return deal.stalled_from or deal.stage


def _any(check: Callable[[DealView], bool]) -> Callable[[Observation, CoachNote], bool]:
    return lambda observation, _note: any(check(deal) for deal in observation.deals)


TRIGGERS: dict[str, Callable[[Observation, CoachNote], bool]] = {
    "start": lambda _observation, _note: True,
    "status_quo": _any(lambda deal: deal.open and deal.stage == "status_quo"),
    "stalled": _any(lambda deal: deal.open and deal.stage == "stalled"),
    "plan": _any(lambda deal: deal.plan is not None),
    "forecast_stage": _any(lambda deal: deal.open and _working_stage(deal) in FORECAST_STAGES),
    "forecast_call": _any(lambda deal: deal.open and deal.forecast_call not in (None, PIPELINE)),
    "ended": _any(lambda deal: deal.ending not in (None, "won")),
    "won": _any(lambda deal: deal.ending == "won"),
    "week": lambda observation, note: note.week is not None and observation.week >= note.week,
}


class Coach:
    """The coach notes of one game: which were triggered, which dismissed, and the one to show now."""

    def __init__(self, notes: Sequence[CoachNote], store: Path | None = None) -> None:
        """The notes of a scenario; dismissals are kept in `store` (None: not kept)."""
        self.notes = tuple(notes)
        self._store = store
        self._triggered: set[int] = set()
        self._dismissed: set[int] = set(_read(store)) if store is not None else set()

    @classmethod
    def for_save(cls, notes: Sequence[CoachNote], save_path: Path) -> Coach:
        """The coach of the game saved in `save_path`, its dismissals kept next to it."""
        return cls(notes, save_path.with_suffix(NOTES_SUFFIX))

    @property
    def guided(self) -> bool:
        """True for a scenario with coach notes (a guided game)."""
        return bool(self.notes)

    def update(self, observation: Observation) -> None:
        """Mark the notes whose trigger holds now (they stay due until dismissed)."""
        for index, note in enumerate(self.notes):
            if index not in self._triggered and TRIGGERS[note.trigger](observation, note):
                self._triggered.add(index)

    def current(self) -> tuple[int, CoachNote] | None:
        """The note to show now: the first one due, in file order."""
        for index, note in enumerate(self.notes):
            if index in self._triggered and index not in self._dismissed:
                return index, note
        return None

    def waiting(self) -> int:
        """How many more notes are due after the current one."""
        return max(0, len(self._triggered - self._dismissed) - 1)

    def dismiss(self, index: int) -> None:
        """The trainee read the note: never show it again in this game."""
        self._dismissed.add(index)
        if self._store is not None:
            try:
                savefile.write(self._store, {"dismissed": sorted(self._dismissed)})  # type: ignore[dict-item]
            except OSError:
                pass  # only means a continued game may show the note again


def _read(store: Path) -> list[int]:
    try:
        data = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = data.get("dismissed") if isinstance(data, dict) else None
    return [item for item in found if isinstance(item, int)] if isinstance(found, list) else []
