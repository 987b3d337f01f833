"""The pipeline: every deal at a glance, the week's events, and the actions queued for this week."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, OptionList

from sim.errors import DealDriftError

from .. import settings
from ..coach import COLUMN_TARGETS
from ..widgets.coach_note import CoachNote
from ..widgets.deal_table import DealTable
from ..widgets.event_feed import EventFeed
from ..widgets.queue_panel import QueuePanel
from ..widgets.status_bar import StatusBar
from .actions import ActionScreen, Choice, queue_or_cancel
from .base import GameScreen
from .deal import DealScreen
from .end_week import EndWeekAnswer, EndWeekScreen
from .forecast import ForecastScreen
from .legend import LegendScreen

POINTED = "-pointed"  # the class of a widget a coach note points at


class PipelineScreen(GameScreen):
    """The main screen: choose deals, act on them, end the week."""

    BINDINGS = [
        Binding("enter", "open_deal", "Open", show=False, tooltip="open the deal under the cursor"),
        Binding("a", "act", "Act", tooltip="choose an action for the deal under the cursor"),
        Binding("f", "forecast", "Call", tooltip="call the deal under the cursor commit, best case or pipeline"),
        Binding(
            "space,n", "end_turn", "End week", key_display="Space", tooltip="carry out the queued actions and play the week"
        ),
        Binding("x", "cancel_last", "Unqueue", show=False, tooltip="cancel the action queued last and get its hours back"),
        Binding("u", "undo_week", "Undo week", tooltip="take back the week just played (same world); its actions "
                "are queued again"),
        Binding("c", "dismiss_note", "Got it", tooltip="dismiss the coach note"),
        Binding("C", "toggle_notes", "Notes", show=False, key_display="C",
                tooltip="turn the coach notes of a guided scenario off, or on again"),
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
        """Status line, deal table, a coach note when there is one, feed and queue side by side, footer."""
        yield StatusBar()
        yield DealTable(id="deals")
        yield CoachNote(id="coach")
        with Horizontal(id="lower"):
            yield EventFeed(id="feed")
            yield QueuePanel(id="queue")
        yield Footer()

    def on_mount(self) -> None:
        """Draw the game; on a first game, explain the columns once."""
        self.query_one(DealTable).border_title = Content(self.session.title)  # scenario text is never markup
        self.refresh_view()
        if not settings.load().legend_seen:
            settings.change(legend_seen=True)
            self.app.push_screen(LegendScreen())

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
        self._show_note()

    # -- coach notes ------------------------------------------------------------------------
    def _show_note(self) -> None:
        """Show the coach note due now (if notes are on) and highlight what it points at."""
        session = self.session
        coach = session.coach
        current = None
        if coach.guided and settings.load().coach_notes:
            coach.update(session.observe())
            current = coach.current()
        note_widget = self.query_one(CoachNote)
        note_widget.waiting = coach.waiting() if current else 0
        note_widget.note = current[1] if current else None
        target = current[1].points_at if current else ""
        self.query_one(DealTable).pointed_at = target if target in COLUMN_TARGETS else ""
        for name, widget in (("status", StatusBar), ("deals", DealTable), ("feed", EventFeed),
                             ("queue", QueuePanel)):
            self.query_one(widget).set_class(target == name, POINTED)
        self.refresh_bindings()  # "c Got it" only while a note shows

    def action_dismiss_note(self) -> None:
        """The coach note was read: show the next one due, if any."""
        current = self.session.coach.current()
        if current is None or not settings.load().coach_notes:
            return
        self.session.coach.dismiss(current[0])
        self._show_note()

    def action_toggle_notes(self) -> None:
        """Turn the coach notes off, or on again (remembered)."""
        on = not settings.load().coach_notes
        settings.change(coach_notes=on)
        self._show_note()
        self.notify("Coach notes are on." if on else "Coach notes are off: C turns them on again.", timeout=4)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the coach keys only in a guided game, and undo only when there is a week to undo."""
        if action == "dismiss_note":
            notes = self.query(CoachNote)
            return bool(notes) and notes.first().note is not None
        if action == "toggle_notes":
            return self.session.coach.guided
        if action == "undo_week":
            return self.session.can_undo
        return True

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
        self.app.push_screen(ActionScreen(self.session, deal_id), lambda choice: self._chosen(deal_id, choice))

    def _chosen(self, deal_id: str, choice: Choice | None) -> None:
        if choice is None:
            return
        try:
            queue_or_cancel(self.session, deal_id, choice)
        except DealDriftError as error:
            self.refused(error)
        self.refresh_view()

    def action_forecast(self) -> None:
        """Call the deal under the cursor commit, best case or pipeline."""
        deal_id = self.query_one(DealTable).deal_id
        if deal_id is None:
            return
        deal = self.session.observe().deal(deal_id)
        if not deal.open or deal.forecast_call is None:
            self.refused(DealDriftError(f"{deal.title} has ended; it needs no forecast call."))
            return
        self.app.push_screen(ForecastScreen(deal.title, deal.forecast_call),
                             lambda call: self._called(deal_id, call))

    def _called(self, deal_id: str, call: str | None) -> None:
        if call is None:
            return
        try:
            self.session.call_forecast(deal_id, call)
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
        """End the week; with hours unspent, ask first (unless the player said not to ask again)."""
        observation = self.session.observe()
        if observation.over:
            return
        if observation.hours_left > 0 and settings.load().ask_before_unspent_hours:
            self.app.push_screen(EndWeekScreen(observation.week, observation.hours_left), self._end_week_answered)
            return
        self.play_week()

    def _end_week_answered(self, answer: EndWeekAnswer | None) -> None:
        if answer is None:
            return
        if answer.stop_asking:
            settings.change(ask_before_unspent_hours=False)
        if answer.end_week:
            self.play_week()

    def action_undo_week(self) -> None:
        """Take back the week just played: the same world, its actions queued again to change."""
        try:
            week = self.session.undo_week()
        except DealDriftError as error:
            self.refused(error)
            return
        self.notify(f"Week {week} is to play again: its actions and calls are queued as they were.",
                    title="Week undone", timeout=6)
        self.refresh_view()

    def play_week(self) -> None:
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
                title="Something went wrong", severity="error", timeout=20, markup=False,
            )
            return
        if outcome.save_problem:
            self.notify(outcome.save_problem, title="Autosave failed", severity="error", timeout=10, markup=False)
        if outcome.history_problem:
            self.notify(outcome.history_problem, title="Not added to the history", severity="warning", timeout=15,
                        markup=False)
        if self.session.over:
            self.deal_drift.show_debrief()
            return
        self.refresh_view()

    def action_quit_game(self) -> None:
        """Quit after asking (the game is saved first)."""
        self.deal_drift.request_quit()
