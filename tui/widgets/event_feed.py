"""The event feed: what happened in the week just played (crises, priority shifts, meetings, moves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sim.observation import Observation
from sim.model.world import FeedItem

from ..format import style_of

# What the week's summary lists, with its mark: the outcomes a trainee must not miss.
SUMMARY_MARKS: dict[str, str] = {"won": "✓", "ended": "✗", "stalled": "!", "refunded": "↺"}
SUMMARY_WORDS: dict[str, str] = {"won": "won", "ended": "ended", "stalled": "stalled", "refunded": "refunded"}
KIND_TONES: dict[str, str] = {
    "won": "text-success",
    "ended": "text-error",
    "crisis": "text-error",
    "budget_freeze": "text-error",
    "stalled": "text-warning",
    "priority_shift": "text-warning",
    "turnover": "text-warning",
    "postponed": "text-warning",
    "refunded": "text-accent",
    "moved": "text-primary",
    "resumed": "text-primary",
}


def feed_line(item: FeedItem) -> Content:
    """One feed item: its day, then its sentence coloured by kind."""
    tone = KIND_TONES.get(item.kind, "")
    day = f"day {item.day:.0f}"
    return Content.assemble((f"{day:<8}", "$text-muted"), (item.text, style_of(tone, bold=item.kind == "won")))


def summary_line(item: FeedItem, observation: Observation) -> Content:
    """One outcome of the week: an ended deal with the engine's one-line reason, else the feed's own sentence."""
    text = item.text
    if item.kind == "ended" and item.deal is not None:
        deal = next((view for view in observation.deals if view.id == item.deal), None)
        if deal is not None and deal.explanation:
            text = f"{deal.account} · {deal.title}: {deal.explanation}"
    tone = KIND_TONES.get(item.kind, "")
    return Content.assemble((f"{SUMMARY_MARKS[item.kind]} ", style_of(tone, bold=True)), (text, style_of(tone)))


def week_summary(observation: Observation) -> Content | None:
    """The week's outcomes on top of the feed (deals won, ended, stalled; hours refunded), or None if none."""
    outcomes = [item for item in observation.feed if item.kind in SUMMARY_MARKS]
    if not outcomes:
        return None
    counts: dict[str, int] = {}
    for item in outcomes:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    heading = " · ".join(f"{count} {SUMMARY_WORDS[kind]}" for kind, count in counts.items())
    lines = [Content.styled(f"This week: {heading}", "bold")]
    lines += [summary_line(item, observation) for item in outcomes]
    return Content("\n").join(lines)


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
            details = [feed_line(item) for item in observation.feed]
            summary = week_summary(observation)
            if summary is not None:
                details = [summary, Content.styled("All that happened", "bold $text-muted"), *details]
            text.update(Content("\n").join(details))
        elif observation.week == 1:
            text.update(Content.from_markup(
                "[$text-muted]Nothing has happened yet. Choose a deal, press [b]a[/b] to act on it, "
                "then end the week with [b]Space[/b].[/]"
            ))
        else:
            text.update(Content.from_markup("[$text-muted]A quiet week: nothing moved.[/]"))
        self.scroll_home(animate=False)
