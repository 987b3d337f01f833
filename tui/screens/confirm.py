"""A yes/no question, such as whether to quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y,q", "answer(True)", "Yes", tooltip="yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="no"),
    ]
    HELP = [("Tab ←→", "move between the buttons"), ("Enter", "press the focused button")]

    def __init__(self, question: str, detail: str, yes: str = "Quit", no: str = "Keep playing") -> None:
        """A dialog asking `question`, explained by `detail`."""
        super().__init__()
        self._question, self._detail, self._yes, self._no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        """Question, detail and two buttons."""
        with Vertical(id="confirm-dialog"):
            yield Static(Content(self._question), id="confirm-question")
            yield Static(Content(self._detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self._yes} (y)", variant="error", id="yes")
                yield Button(f"{self._no} (n)", variant="primary", id="no")

    def on_mount(self) -> None:
        """Start on the safe answer."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer by key."""
        self.dismiss(yes)
