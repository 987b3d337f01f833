"""The briefing: the scenario's story, quota, weeks, hours and what it lets the trainee practise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from ..format import money
from .base import GameScreen

if TYPE_CHECKING:
    from sim.scenario.models import Scenario


def facts(scenario: Scenario) -> Content:
    """The numbers of the scenario, one per line."""
    accounts = len(scenario.accounts)
    rows = (
        ("Quota", f"{money(scenario.seller.quota)} in bookings"),
        ("Time", f"{scenario.scenario.weeks} weeks, one turn a week"),
        ("Hours", f"{scenario.seller.hours_per_week} h a week to spend on actions"),
        ("Pipeline", f"{len(scenario.deals)} deals at {accounts} account{'s' if accounts != 1 else ''}"),
        ("Difficulty", scenario.scenario.difficulty),
    )
    lines = [Content.assemble((f"{label:<11}", "$text-muted"), (value, "bold")) for label, value in rows]
    return Content("\n").join(lines)


class BriefingScreen(GameScreen):
    """Read the situation, then start the game."""

    BINDINGS = [
        Binding("enter,space", "start", "Start", key_display="Enter", tooltip="start the game"),
        Binding("escape", "back", "Back", key_display="Esc", tooltip="back to the scenario list"),
        Binding("q", "quit_game", "Quit", tooltip="quit"),
    ]
    HELP = [("↑ ↓", "scroll the briefing")]

    def __init__(self, scenario: Scenario, seed: int | None = None, *, can_go_back: bool = True) -> None:
        """The briefing of `scenario`; `can_go_back` when it was chosen in the picker."""
        super().__init__()
        self.scenario = scenario
        self._seed = seed
        self._can_go_back = can_go_back

    def compose(self) -> ComposeResult:
        """Title, story, facts, what to practise and the key to start."""
        info = self.scenario.scenario
        with VerticalScroll(id="briefing"):
            yield Static(Content.styled(info.title, "bold $text-accent"), id="briefing-title")
            # Scenario text is data: Content is never read as markup.
            yield Static(Content(" ".join(info.story.split()) or "No story given."), id="briefing-story")
            yield Static(facts(self.scenario), id="briefing-facts")
            if info.practise:
                lines = [Content.styled("What to practise", "bold")]
                lines += [Content.assemble(("• ", "$text-accent"), item) for item in info.practise]
                yield Static(Content("\n").join(lines), id="briefing-practise")
            yield Static(
                Content.from_markup("Press [b $text-accent]Enter[/] to start the first week."), id="briefing-start"
            )
        yield Footer()

    def on_mount(self) -> None:
        """Hide the way back when there is nothing to go back to."""
        if not self._can_go_back:
            self.query_one(VerticalScroll).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Back only when the briefing was opened from the picker."""
        if action == "back":
            return self._can_go_back
        return True

    def action_start(self) -> None:
        """Start the game."""
        self.deal_drift.start_game(self.scenario, self._seed)

    def action_back(self) -> None:
        """Back to the scenario picker."""
        self.deal_drift.show_picker(self._seed)

    def action_quit_game(self) -> None:
        """Quit: the game has not started, so nothing needs saving."""
        self.app.exit()
