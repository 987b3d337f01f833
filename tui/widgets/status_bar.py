"""The line at the top of the game screens: the week, hours left and bookings against quota."""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import Static

from sim.observation import Observation

from ..format import bar, money, percent, style_of


class StatusBar(Static):
    """Week N of M, hours left this week and bookings against quota."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    observation: reactive[Observation | None] = reactive(None, always_update=True)

    def watch_observation(self, observation: Observation | None) -> None:
        """Redraw when the game moves on."""
        self.update(self.describe(observation, self.size.width))

    def on_resize(self, event: Resize) -> None:
        """Use a longer bar when there is room for it."""
        self.update(self.describe(self.observation, event.size.width))

    @staticmethod
    def describe(observation: Observation | None, width: int) -> Content:
        """The status line for `observation` at `width` cells."""
        if observation is None:
            return Content("")
        hours = observation.hours_left
        hours_tone = "text-error" if hours == 0 else "text-warning" if hours < 4 else ""
        reached = observation.bookings >= observation.quota
        booked_tone = "text-success" if reached else ""
        share = observation.bookings / observation.quota if observation.quota else 1.0
        bar_width = 12 if width >= 90 else 6
        week = f"Game over after {observation.weeks} weeks" if observation.over else f"Week {observation.week}"
        # Refunded hours (actions on deals that ended first) come on top of the week's own.
        refunded = f" (+{observation.hours_refunded} h refunded)" if observation.hours_refunded else ""
        sep = "  ·  " if width >= 90 else " · "
        line = Content.assemble(
            (week, "bold"),
            sep if observation.over else f" of {observation.weeks}{sep}",
            (f"{hours} h", style_of(hours_tone, bold=True)),
            f" of {observation.hours_per_week} h left",
            (refunded, "$text-accent"),
            f"{sep}Booked ",
            (money(observation.bookings), style_of(booked_tone, bold=True)),
            f" of {money(observation.quota)} ",
        )
        graph = Content.assemble((bar(share, bar_width), style_of("text-success" if reached else "text-primary")), " ")
        if line.cell_length + graph.cell_length + 4 > width:
            graph = Content("")  # the percentage says it when there is no room for the bar
        return Content.assemble(line, graph, percent(observation.bookings, observation.quota))
