"""The column legend, shown once at the start of a first game (the help shows it too)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from ..widgets.legend import Legend


class LegendScreen(ModalScreen[None]):
    """What the pipeline's columns mean."""

    DEFAULT_CSS = """
    #legend-dialog {
        width: 90;
    }
    #legend-body {
        height: auto;
        max-height: 100%;
    }
    """

    BINDINGS = [Binding("escape,enter,space", "close", "Close", key_display="Enter",
                        tooltip="close the legend (? shows it again)")]
    HELP = [("↑ ↓", "scroll the legend")]

    def compose(self) -> ComposeResult:
        """The legend in a scrolling box."""
        with Vertical(id="legend-dialog", classes="dialog") as dialog:
            dialog.border_title = "What the columns mean"
            dialog.border_subtitle = "Enter closes · ? shows it again"
            with VerticalScroll(id="legend-body"):
                yield Legend(id="legend-text")

    def on_mount(self) -> None:
        """Focus the text so the arrows scroll it."""
        self.query_one("#legend-body").focus()

    def action_close(self) -> None:
        """Back to the game."""
        self.dismiss(None)
