"""The event feed: what happened in the week just played (crises, priority shifts, meetings, moves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sim.observation import Observation
from sim.model.world import FeedItem

from ..format import style_of

KIND_TONES: dict[str, str] = {
    "won": "text-success",
    "ended": "text-error",
    "crisis": "text-error",
    "budget_freeze": "text-error",
    "stalled": "text-warning",
    "priority_shift": "text-warning",
    "turnover": "text-warning",
    "postponed": "text-warning",
    "moved": "text-primary",
    "resumed": "text-primary",
}


def feed_line(item: FeedItem) -> Content:
    """One feed item: its day, then its sentence coloured by kind."""
    tone = KIND_TONES.get(item.kind, "")
    day = f"day {item.day:.0f}"
    return Content.assemble((f"{day:<8}", "$text-muted"), (item.text, style_of(tone, bold=item.kind == "won")))


class EventFeed(VerticalScroll):
    """A scrolling panel with the week's events, newest week only."""

    DEFAULT_CSS = """
    EventFeed {
        border: round $border-blurred;
        border-title-color: $text-accent;
        padding: 0 1;
        height: 1fr;
    }
    EventFeed:focus {
        border: round $border;
    }
    EventFeed > Static {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        """A single text block that is replaced each week."""
        yield Static(id="feed-text")

    def show(self, observation: Observation) -> None:
        """Show the feed of `observation` (the week just played)."""
        text = self.query_one("#feed-text", Static)
        if observation.week == 1 and not observation.over:
            self.border_title = "This week"
        else:
            played = observation.week if observation.over else observation.week - 1
            self.border_title = f"Week {played}: what happened"
        if observation.feed:
            text.update(Content("\n").join(feed_line(item) for item in observation.feed))
        elif observation.week == 1:
            text.update(Content.from_markup(
                "[$text-muted]Nothing has happened yet. Choose a deal, press [b]a[/b] to act on it, "
                "then end the week with [b]Space[/b].[/]"
            ))
        else:
            text.update(Content.from_markup("[$text-muted]A quiet week: nothing moved.[/]"))
        self.scroll_home(animate=False)
