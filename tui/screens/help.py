"""The key reference: every key of every screen, read from the screens' own bindings."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.legend import Legend

KEY_NAMES: dict[str, str] = {
    "enter": "Enter",
    "space": "Space",
    "escape": "Esc",
    "backspace": "Backspace",
    "question_mark": "?",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
    "home": "Home",
    "end": "End",
}


def key_names(keys: str) -> str:
    """How a binding's keys read in the help: 'space,n' -> 'Space n'."""
    names = []
    for key in keys.split(","):
        key = key.strip()
        if key.startswith("ctrl+"):
            names.append("Ctrl+" + KEY_NAMES.get(key[5:], key[5:]))
        else:
            names.append(KEY_NAMES.get(key, key))
    return " ".join(names)


def key_rows(bindings: Iterable[BindingType], extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding, then the widget keys in `extra`."""
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys, description = binding.key, binding.tooltip or binding.description or binding.action
        else:
            keys, description = binding[0], binding[2] if len(binding) > 2 else binding[1]
        rows.append((key_names(keys), description))
    rows.extend(extra)
    return rows


def sections(app: type | None = None) -> list[tuple[str, type, list[tuple[str, str]]]]:
    """Every screen's keys, in the order a player meets the screens, then the keys of the `app` class everywhere."""
    from .actions import ActionScreen
    from .briefing import BriefingScreen
    from .confirm import ConfirmScreen
    from .deal import DealScreen
    from .debrief import DebriefScreen
    from .end_week import EndWeekScreen
    from .forecast import ForecastScreen
    from .person import PersonScreen
    from .picker import PickerScreen
    from .pipeline import PipelineScreen
    from .replay import ReplayScreen
    from .rewind import RewindScreen

    screens = (
        ("Pipeline", PipelineScreen),
        ("Deal", DealScreen),
        ("Choosing an action", ActionScreen),
        ("Choosing whom", PersonScreen),
        ("Forecast call", ForecastScreen),
        ("Ending a week with hours left", EndWeekScreen),
        ("Debrief", DebriefScreen),
        ("Replay", ReplayScreen),
        ("Rewind to a week", RewindScreen),
        ("Scenario list", PickerScreen),
        ("Briefing", BriefingScreen),
        ("Quit dialog", ConfirmScreen),
    )
    found = [(title, screen, key_rows(screen.BINDINGS, getattr(screen, "HELP", ()))) for title, screen in screens]
    if app is not None:
        found.append(("Everywhere", app, key_rows(app.BINDINGS, getattr(app, "HELP", ()))))
    return found


def help_text(first: type | None = None, app: type | None = None) -> Content:
    """The whole key reference with the `app` class's keys; the section of the screen class `first` comes first."""
    ordered = sorted(sections(app), key=lambda section: section[1] is not first)
    width = max(len(keys) for _, _, rows in ordered for keys, _ in rows) + 2
    blocks = []
    for title, _, rows in ordered:
        lines = [Content.styled(title, "bold $text-accent")]
        lines += [Content.assemble((f"  {keys:<{width}}", "bold"), description) for keys, description in rows]
        blocks.append(Content("\n").join(lines))
    return Content("\n\n").join(blocks)


class HelpScreen(ModalScreen[None]):
    """The key reference, the current screen's keys first."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, first: type | None = None) -> None:
        """Help with the section of the screen class `first` at the top."""
        super().__init__()
        self._first = first

    def compose(self) -> ComposeResult:
        """A scrolling list of keys."""
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Columns and keys"
            dialog.border_subtitle = "Esc closes"
            with VerticalScroll(id="help-body"):
                yield Static(Content.styled("What the pipeline's columns mean", "bold $text-accent"))
                yield Legend(id="help-legend")
                yield Static(help_text(self._first, type(self.app)), id="help-text")

    def on_mount(self) -> None:
        """Focus the list so the arrows scroll it."""
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
