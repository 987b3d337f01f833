"""What every game screen shares: the session it shows, what it asks of the app, and how it reports a refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from textual.screen import Screen
from textual.widgets import OptionList

from sim.errors import DealDriftError

if TYPE_CHECKING:
    from pathlib import Path

    from sim.scenario.models import Scenario

    from ..session import Session

ResultType = TypeVar("ResultType")


class Navigator(Protocol):
    """What the screens ask of the app: the game in play, and moving between screens.

    The app implements it; the screens know only this, so they never import the app.
    """

    session: Session | None

    def show_picker(self, seed: int | None = None) -> None:
        """Go to the scenario picker."""

    def show_briefing(self, scenario: Scenario, seed: int | None = None) -> None:
        """Go to a scenario's briefing."""

    def start_game(self, scenario: Scenario, seed: int | None = None) -> None:
        """Start a new game and show the pipeline."""

    def continue_game(self, path: Path) -> None:
        """Continue a saved game."""

    def show_debrief(self) -> None:
        """Show the debrief of the game that just ended."""

    def request_quit(self) -> None:
        """Quit; during a game, ask first and save before leaving."""


class GameScreen(Screen[ResultType]):
    """A screen of a game in progress."""

    @property
    def deal_drift(self) -> Navigator:
        """The app, as the screens see it."""
        return cast("Navigator", self.app)

    @property
    def session(self) -> Session:
        """The game being played."""
        session = self.deal_drift.session
        if session is None:
            raise DealDriftError("No game is being played.")
        return session

    def refused(self, error: Exception, title: str = "Not possible") -> None:
        """Show why something could not be done, as a notification (never a traceback)."""
        self.notify(str(error), title=title, severity="warning", timeout=6, markup=False)


class ListKeys:
    """j and k for screens built around one OptionList (bind them to `move(1)` and `move(-1)`)."""

    def action_move(self, step: int) -> None:
        """Move the list's highlight by one."""
        options = cast("Screen[object]", self).query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
