"""What every game screen shares: the session it shows and how it reports a refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen
from textual.widgets import OptionList

from sim.errors import DealDriftError

if TYPE_CHECKING:
    from ..app import DealDriftApp
    from ..session import Session

ResultType = TypeVar("ResultType")


class GameScreen(Screen[ResultType]):
    """A screen of a game in progress."""

    @property
    def deal_drift(self) -> DealDriftApp:
        """The app, typed."""
        return cast("DealDriftApp", self.app)

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
