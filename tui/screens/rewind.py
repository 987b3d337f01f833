"""Choose a week to rewind to: the game is replayed to that week's start and played on as a new game."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sim.game import Game
from sim.replay import weeks_reached

from ..format import money
from .base import ListKeys


def week_prompt(week: int, booked: int, actions: int, turning: Sequence[str], titles: Mapping[str, str]) -> Content:
    """One week in the list: what was booked at its start, how many actions were taken, and whose turning point it is."""
    taken = "no action" if actions == 0 else f"{actions} action{'s' if actions != 1 else ''}"
    line = Content.assemble((f"Week {week:>2}", "bold"), (f"  booked {money(booked)} at its start · {taken}", "$text-muted"))
    if not turning:
        return line
    names = ", ".join(titles.get(deal_id, deal_id) for deal_id in turning)
    return Content("\n").join([line, Content.styled(f"  turning point: {names}", "$text-warning")])


class RewindScreen(ListKeys, ModalScreen[int | None]):
    """A list of the game's weeks; Enter plays on from the highlighted one as a new game."""

    BINDINGS = [
        Binding("j", "move(1)", "Next", show=False, tooltip="next week"),
        Binding("k", "move(-1)", "Previous", show=False, tooltip="previous week"),
        Binding("escape", "cancel", "Back", tooltip="back without rewinding"),
    ]
    HELP = [("↑ ↓", "move through the weeks"), ("Enter", "play on from the highlighted week")]

    def __init__(self, game: Game, turning: Mapping[int, Sequence[str]] | None = None) -> None:
        """The weeks of `game`; `turning` names the deals whose turning point each week was."""
        super().__init__()
        self._game = game
        self._turning = turning or {}

    def compose(self) -> ComposeResult:
        """Heading, the weeks, and a hint."""
        with Vertical(id="rewind-dialog") as dialog:
            dialog.border_title = "Rewind: play on from a week"
            yield Static(
                "Your weeks before it are replayed as you played them; from its start you play a new game, "
                "saved in a new file. This game's save is kept as it is.",
                id="rewind-heading",
            )
            yield OptionList(id="rewind-weeks")
            yield Static(Content.from_markup("[b]Enter[/b] play on from this week  ·  [b]Esc[/b] back"),
                         id="rewind-hint")

    def on_mount(self) -> None:
        """List the weeks, the last one highlighted."""
        options = self.query_one(OptionList)
        game = self._game
        titles = {deal.id: deal.title for deal in game.observe().deals}
        result = game.result()
        last = weeks_reached(game)
        for week in range(1, last + 1):
            booked = result.bookings_by_week[week - 1] if week - 1 < len(result.bookings_by_week) else result.bookings
            actions = len(game.log[week - 1].actions) if week - 1 < len(game.log) else len(game.queued)
            prompt = week_prompt(week, booked, actions, self._turning.get(week, ()), titles)
            options.add_option(Option(prompt, id=str(week)))
        options.highlighted = options.option_count - 1
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Rewind to the chosen week."""
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        """Close without rewinding."""
        self.dismiss(None)
