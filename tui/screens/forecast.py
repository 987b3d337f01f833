"""The forecast call of one deal: commit, best case or pipeline for this period."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sim.forecast import BEST_CASE, CALL_LABELS, COMMIT, FORECAST_CALLS, PIPELINE

from .base import ListKeys

CALL_MEANINGS: dict[str, str] = {
    COMMIT: "it will close before the game ends: it counts in your forecast",
    BEST_CASE: "it might close in time if things go well",
    PIPELINE: "it will not close in time (every deal starts here)",
}
CALL_KEYS: dict[str, str] = {COMMIT: "c", BEST_CASE: "b", PIPELINE: "p"}


class ForecastScreen(ListKeys, ModalScreen[str | None]):
    """Choose a deal's call; dismisses with the call, or None to leave it as it is."""

    DEFAULT_CSS = """
    #forecast-dialog {
        width: 76;
    }
    #forecast-list {
        height: auto;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = [
        Binding("c", "call('commit')", "Commit", tooltip="call the deal commit"),
        Binding("b", "call('best_case')", "Best case", tooltip="call the deal best case"),
        Binding("p", "call('pipeline')", "Pipeline", tooltip="call the deal pipeline"),
        Binding("escape", "dismiss_none", "Close", tooltip="close, leaving the call as it is"),
        Binding("j", "move(1)", "Next", show=False, tooltip="next call"),
        Binding("k", "move(-1)", "Previous", show=False, tooltip="previous call"),
    ]
    HELP = [("↑ ↓ Enter", "choose a call")]

    def __init__(self, deal_title: str, current: str) -> None:
        """The chooser for the deal `deal_title`, whose call is now `current`."""
        super().__init__()
        self._title = deal_title
        self._current = current

    def compose(self) -> ComposeResult:
        """The deal, the three calls and what each means."""
        with Vertical(id="forecast-dialog", classes="dialog") as dialog:
            dialog.border_title = "Forecast call"
            dialog.border_subtitle = "Enter chooses · Esc leaves it"
            yield Static(Content.assemble((self._title, "bold"), ": called ",
                                          (CALL_LABELS[self._current], "bold $text-accent"), " now"))
            options = []
            for call in FORECAST_CALLS:
                mark = "● " if call == self._current else "  "
                options.append(Option(Content.assemble(
                    mark, (f"{CALL_LABELS[call]:<10}", "bold"), (f"{CALL_KEYS[call]}  ", "$text-accent"),
                    (CALL_MEANINGS[call], "$text-muted")), id=call))
            yield OptionList(*options, id="forecast-list")

    def on_mount(self) -> None:
        """Start on the current call."""
        options = self.query_one(OptionList)
        options.highlighted = FORECAST_CALLS.index(self._current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen call."""
        event.stop()
        self.dismiss(event.option.id)

    def action_call(self, call: str) -> None:
        """Choose a call by its key."""
        self.dismiss(call)

    def action_dismiss_none(self) -> None:
        """Close without changing the call."""
        self.dismiss(None)
