"""A coach note of the guided tutorial: what to look at, why, and how to dismiss it."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from sim.scenario.models import CoachNote as Note

from ..coach import TARGET_LABELS


class CoachNote(Static):
    """Shows one note (hidden when there is none); its parent highlights what the note points at."""

    DEFAULT_CSS = """
    CoachNote {
        height: auto;
        max-height: 7;
        border: round $warning;
        border-title-color: $text-warning;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $warning 10%;
        padding: 0 1;
        display: none;
    }
    CoachNote.-shown {
        display: block;
    }
    """

    note: reactive[Note | None] = reactive(None, always_update=True)
    waiting: reactive[int] = reactive(0)

    def watch_note(self, note: Note | None) -> None:
        """Show the note, or hide the widget."""
        self.set_class(note is not None, "-shown")
        if note is None:
            self.update("")
            return
        self.border_title = "Coach"
        more = f"{self.waiting} more · " if self.waiting else ""
        self.border_subtitle = f"{more}c got it · C no notes"
        pointer = "↓" if note.points_at in ("feed", "queue") else "↑"
        self.update(Content.assemble(
            (f"{pointer} {TARGET_LABELS[note.points_at]}: ", "bold $text-warning"),
            note.text,  # a plain string part of Content is never read as markup
        ))
