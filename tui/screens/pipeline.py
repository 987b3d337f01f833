"""The pipeline: every deal at a glance, the week's events, and the actions queued for this week."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, OptionList

from sim.errors import DealDriftError

from ..widgets.deal_table import DealTable
from ..widgets.event_feed import EventFeed
from ..widgets.queue_panel import QueuePanel
from ..widgets.status_bar import StatusBar
from .actions import ActionScreen, queue_or_cancel
from .base import GameScreen
from .deal import DealScreen


class PipelineScreen(GameScreen):
    """The main screen: choose deals, act on them, end the week."""

    BINDINGS = [
        Binding("enter", "open_deal", "Open", show=False, tooltip="open the deal under the cursor"),
        Binding("a", "act", "Act", tooltip="choose an action for the deal under the cursor"),
        Binding(
            "space,n", "end_turn", "End week", key_display="Space", tooltip="carry out the queued actions and play the week"
        ),
        Binding("x", "cancel_last", "Undo", tooltip="cancel the action queued last and get its hours back"),
        Binding("j", "move(1)", "Next deal", show=False, tooltip="next deal"),
        Binding("k", "move(-1)", "Previous deal", show=False, tooltip="previous deal"),
        Binding("q", "quit_game", "Quit", tooltip="save and quit (asks first)"),
    ]
    HELP = [
        ("↑ ↓", "move between deals"),
        ("Tab", "go to the feed and the queue; Enter in the queue cancels an action"),
        ("click", "click a deal to select it, click it again to open it"),
    ]
    AUTO_FOCUS = "DealTable"

    def compose(self) -> ComposeResult:
        """Status line, deal table, feed and queue side by side, footer."""
        yield StatusBar()
        yield DealTable(id="deals")
        with Horizontal(id="lower"):
            yield EventFeed(id="feed")
            yield QueuePanel(id="queue")
        yield Footer()

    def on_mount(self) -> None:
        """Draw the game."""
        self.query_one(DealTable).border_title = self.session.title
        self.refresh_view()

    def on_screen_resume(self) -> None:
        """Redraw when coming back from a deal or a dialog."""
        self.refresh_view()

    def refresh_view(self) -> None:
        """Show the game as it is now."""
        observation = self.session.observe()
        self.query_one(StatusBar).observation = observation
        self.query_one(DealTable).show(observation)
        self.query_one(EventFeed).show(observation)
        labels = {spec.name: spec.label for spec in self.session.catalog}
        self.query_one(QueuePanel).show(observation, labels)

    # -- choosing deals -------------------------------------------------------------------
    def on_deal_table_deal_chosen(self, message: DealTable.DealChosen) -> None:
        """Open the chosen deal."""
        self._open(message.deal_id)

    def action_open_deal(self) -> None:
        """Open the deal under the cursor."""
        deal_id = self.query_one(DealTable).deal_id
        if deal_id is not None:
            self._open(deal_id)

    def _open(self, deal_id: str) -> None:
        self.app.push_screen(DealScreen(deal_id), self._came_back)

    def _came_back(self, deal_id: str | None) -> None:
        """Keep the cursor on the deal last looked at."""
        if deal_id is not None:
            self.query_one(DealTable).select_deal(deal_id)

    def action_move(self, step: int) -> None:
        """Move the cursor in the focused list (j and k)."""
        focused = self.focused
        if isinstance(focused, OptionList):
            focused.action_cursor_down() if step > 0 else focused.action_cursor_up()
            return
        table = self.query_one(DealTable)
        table.action_cursor_down() if step > 0 else table.action_cursor_up()

    # -- acting -----------------------------------------------------------------------------
    def action_act(self) -> None:
        """Open the action picker for the deal under the cursor."""
        deal_id = self.query_one(DealTable).deal_id
        if deal_id is None:
            return
        deal = self.session.observe().deal(deal_id)
        if not deal.open:
            self.refused(DealDriftError(f"{deal.title} has ended; there is nothing more to do on it."))
            return
        self.app.push_screen(ActionScreen(self.session, deal_id), lambda action: self._chosen(deal_id, action))

    def _chosen(self, deal_id: str, action: str | None) -> None:
        if action is None:
            return
        try:
            queue_or_cancel(self.session, deal_id, action)
        except DealDriftError as error:
            self.refused(error)
        self.refresh_view()

    def on_queue_panel_cancel_requested(self, message: QueuePanel.CancelRequested) -> None:
        """Cancel the queued action chosen in the queue."""
        self._cancel(message.index)

    def action_cancel_last(self) -> None:
        """Cancel the action queued last."""
        queued = self.session.observe().queued
        if not queued:
            self.refused(DealDriftError("Nothing is queued this week."))
            return
        self._cancel(queued[-1].index)

    def _cancel(self, index: int) -> None:
        try:
            self.session.cancel(index)
        except DealDriftError as error:
            self.refused(error)
        self.refresh_view()

    # -- turns ------------------------------------------------------------------------------
    def action_end_turn(self) -> None:
        """Play the week out, autosave, and show what happened (or the debrief when the game ends)."""
        try:
            outcome = self.session.end_turn()
        except DealDriftError as error:
            self.refused(error)
            return
        except Exception as error:  # noqa: BLE001 - the last line of defence: a notification, never a traceback
            self.notify(
                f"The week could not be played ({error!r}). Your game is saved as of the last week: "
                "quit and continue it with dealdrift play --resume.",
                title="Something went wrong", severity="error", timeout=20,
            )
            return
        if outcome.save_problem:
            self.notify(outcome.save_problem, title="Autosave failed", severity="error", timeout=10)
        if outcome.history_problem:
            self.notify(outcome.history_problem, title="Not added to the history", severity="warning", timeout=15)
        if self.session.over:
            self.deal_drift.show_debrief()
            return
        self.refresh_view()

    def action_quit_game(self) -> None:
        """Quit after asking (the game is saved first)."""
        self.deal_drift.request_quit()
