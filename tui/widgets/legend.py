"""The column legend as a two-column grid: each name beside its meaning, wrapped meanings kept aligned."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from ..legend import LEGEND


class Legend(Grid):
    """What each column of the pipeline means."""

    DEFAULT_CSS = """
    Legend {
        grid-size: 2;
        grid-columns: 15 1fr;
        height: auto;
    }
    Legend > Static {
        height: auto;
    }
    Legend > .legend-name {
        text-style: bold;
    }
    """

    def compose(self) -> ComposeResult:
        """One row per column."""
        for name, meaning in LEGEND:
            yield Static(Content(name), classes="legend-name")
            yield Static(Content(meaning))
