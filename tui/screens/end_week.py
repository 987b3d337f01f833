"""Asked before a week ends with hours unspent: end it anyway, or keep planning; and "don't ask again"."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static


@dataclass(frozen=True, slots=True)
class EndWeekAnswer:
    """Whether to end the week, and whether to stop asking."""

    end_week: bool
    stop_asking: bool


class EndWeekScreen(ModalScreen[EndWeekAnswer]):
    """End the week with hours unspent?"""

    DEFAULT_CSS = """
    #end-week-dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    #end-week-question {
        text-style: bold;
        margin-bottom: 1;
    }
    #end-week-detail {
        color: $text-muted;
    }
    #end-week-buttons {
        height: auto;
        align-horizontal: right;
    }
    #end-week-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "End the week", tooltip="end the week anyway"),
        Binding("n,escape", "answer(False)", "Keep planning", key_display="n", tooltip="go back and spend the hours"),
        Binding("d", "toggle_asking", "Don't ask again", tooltip="stop asking this (Ctrl+P turns it back on)"),
    ]
    HELP = [("Tab", "move between the box and the buttons")]

    def __init__(self, week: int, hours_left: int) -> None:
        """Ask about ending `week` with `hours_left` unspent."""
        super().__init__()
        self._week = week
        self._hours = hours_left

    def compose(self) -> ComposeResult:
        """Question, detail, the "don't ask again" box and two buttons."""
        with Vertical(id="end-week-dialog"):
            yield Static(f"End week {self._week} with {self._hours} h unspent?", id="end-week-question")
            yield Static(Content("Unspent hours are lost: they do not carry over to next week."), id="end-week-detail")
            yield Checkbox("Don't ask again (d)", id="stop-asking")
            with Horizontal(id="end-week-buttons"):
                yield Button("End the week (y)", variant="warning", id="end")
                yield Button("Keep planning (n)", variant="primary", id="keep")

    def on_mount(self) -> None:
        """Start on the safe answer."""
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        event.stop()
        self.action_answer(event.button.id == "end")

    def action_toggle_asking(self) -> None:
        """Tick or untick "don't ask again"."""
        box = self.query_one(Checkbox)
        box.value = not box.value

    def action_answer(self, end_week: bool) -> None:
        """Answer by key."""
        self.dismiss(EndWeekAnswer(end_week, self.query_one(Checkbox).value))
