"""Replay a game week by week: the pipeline as it was at the start of each week, the actions taken, what happened.

From any week the player can play on as a new game (a branch in a new save file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Footer, Static

from sim.errors import DealDriftError
from sim.game import Game
from sim.replay import Timeline, WeekRecord, timeline

from ..format import bar, money, percent, style_of
from ..widgets.deal_table import DealTable
from ..widgets.event_feed import feed_line
from .base import GameScreen
from .confirm import ConfirmScreen


def week_status(record: WeekRecord | None, final: bool, line: Timeline, width: int) -> Content:
    """The status line: which week is shown, and what was booked at its start."""
    observation = record.observation if record is not None else line.final
    share = observation.bookings / observation.quota if observation.quota else 1.0
    reached = observation.bookings >= observation.quota
    if final:
        where = f"End of the game after {len(line.weeks)} weeks"
        booked = "booked"
    elif record is not None and not record.played:
        where = f"Week {record.week} of {observation.weeks} (being played)"
        booked = "booked at its start"
    else:
        where = f"Week {observation.week} of {observation.weeks}"
        booked = "booked at its start"
    return Content.assemble(
        ("Replay", "bold $text-accent"), "  ·  ", (where, "bold"), f"  ·  {booked} ",
        (money(observation.bookings), style_of("text-success" if reached else "", bold=True)),
        f" of {money(observation.quota)} ",
        (bar(share, 12 if width >= 90 else 6), style_of("text-success" if reached else "text-primary")),
        f" {percent(observation.bookings, observation.quota)}",
    )


def actions_text(record: WeekRecord | None, labels: dict[str, tuple[str, int]]) -> tuple[str, Content]:
    """The week's actions (title, body): each action with its hours and the deal it was for."""
    if record is None:
        return "After the last week", Content.styled("The game is over: nothing more was done.", "$text-muted")
    titles = {deal.id: deal.title for deal in record.observation.deals}
    hours = sum(labels.get(action, (action, 0))[1] for _, action, _target in record.actions)
    verb = "queued" if not record.played else "actions"
    title = f"Week {record.week} {verb} · {hours} h"
    if not record.actions:
        return title, Content.styled("None: the week was left to the customers.", "$text-muted")
    by_deal: dict[str, list[str]] = {}
    for deal_id, action, _target in record.actions:
        by_deal.setdefault(deal_id, []).append(action)
    lines = []
    for deal_id, actions in by_deal.items():
        lines.append(Content.styled(titles.get(deal_id, deal_id), "bold"))
        for action in actions:
            label, cost = labels.get(action, (action, 0))
            lines.append(Content.assemble(f"  {label}", (f"  {cost} h", "$text-muted")))
    return title, Content("\n").join(lines)


def feed_text(record: WeekRecord | None) -> tuple[str, Content]:
    """What happened during the week (title, body)."""
    if record is None:
        return "The end", Content.styled("Every deal's ending is in the pipeline above.", "$text-muted")
    if not record.played:
        return f"Week {record.week}: not played yet", Content.styled(
            "This week is still being played.", "$text-muted")
    title = f"Week {record.week}: what happened"
    if not record.feed:
        return title, Content.styled("A quiet week: nothing moved.", "$text-muted")
    return title, Content("\n").join(feed_line(item) for item in record.feed)


class ReplayScreen(GameScreen):
    """A finished or running game, one week at a time; b plays on from the week shown."""

    BINDINGS = [
        Binding("left,p", "step(-1)", "Previous week", key_display="←", priority=True, tooltip="the week before"),
        Binding("right,n", "step(1)", "Next week", key_display="→", priority=True, tooltip="the week after"),
        Binding("home", "go(0)", "First week", show=False, priority=True, tooltip="week 1"),
        Binding("end", "go(-1)", "Last week", show=False, priority=True, tooltip="the end of the game"),
        Binding("b", "branch", "Play on from here", tooltip="a new game from the start of this week (this one is kept)"),
        Binding("j", "move(1)", "Next deal", show=False, tooltip="next deal"),
        Binding("k", "move(-1)", "Previous deal", show=False, tooltip="previous deal"),
        Binding("escape", "back", "Back", tooltip="back to the debrief"),
        Binding("enter", "nothing", show=False, priority=True, tooltip="a replayed pipeline is read-only"),
        Binding("q", "quit_replay", "Quit", tooltip="quit"),
    ]
    HELP = [("Home End", "the first week, the end of the game"), ("↑ ↓", "move between deals")]

    index: reactive[int] = reactive(0, init=False)

    @dataclass
    class Replayed(Message):
        """The game has been replayed, week by week."""

        timeline: Timeline

    @dataclass
    class Failed(Message):
        """The game could not be replayed."""

        reason: str

    def __init__(self, game: Game, save_path: Path | None = None, *, can_go_back: bool = True) -> None:
        """Replay `game` (saved in `save_path`); `can_go_back` when another screen is underneath."""
        super().__init__()
        self.game = game
        self.save_path = save_path
        self.can_go_back = can_go_back
        self.timeline: Timeline | None = None
        self._labels = {spec.name: (spec.label, spec.hours) for spec in game.catalog}

    def compose(self) -> ComposeResult:
        """Status line, the pipeline as it was, the week's actions and feed side by side, footer."""
        yield Static(Content.styled("Replaying the game…", "$text-muted"), id="replay-status")
        yield DealTable(id="replay-deals")
        with Horizontal(id="replay-lower"):
            with VerticalScroll(id="replay-actions", classes="replay-panel"):
                yield Static(id="replay-actions-text")
            with VerticalScroll(id="replay-feed", classes="replay-panel"):
                yield Static(id="replay-feed-text")
        yield Footer()

    def on_mount(self) -> None:
        """Replay the game in a worker; the first week is shown when it is done."""
        self.query_one(DealTable).border_title = self.game.scenario.scenario.title
        self.replay(self.game.to_save())

    @work(thread=True, exclusive=True, group="replay")
    def replay(self, save: dict[str, object]) -> None:
        """Rebuild the game from its save (sharing nothing with the screen) and record each week."""
        try:
            self.post_message(self.Replayed(timeline(Game.from_save(save))))
        except DealDriftError as error:
            self.post_message(self.Failed(str(error)))

    def on_replay_screen_replayed(self, message: Replayed) -> None:
        """Show week 1."""
        self.timeline = message.timeline
        self.index = 0
        self.show_step()

    def on_replay_screen_failed(self, message: Failed) -> None:
        """Say why the game could not be replayed."""
        self.query_one("#replay-status", Static).update(Content.styled(message.reason, "$text-error"))

    @property
    def steps(self) -> int:
        """Weeks to show, and the end of the game when it is over."""
        if self.timeline is None:
            return 0
        return len(self.timeline.weeks) + (1 if self.timeline.over else 0)

    def _record(self) -> WeekRecord | None:
        """The week shown, or None for the end of the game."""
        assert self.timeline is not None
        weeks = self.timeline.weeks
        return weeks[self.index] if self.index < len(weeks) else None

    def watch_index(self) -> None:
        """Show the step chosen."""
        self.show_step()

    def show_step(self) -> None:
        """Draw the week (or the end) at `index`."""
        if self.timeline is None:
            return
        record = self._record()
        observation = record.observation if record is not None else self.timeline.final
        self.query_one("#replay-status", Static).update(
            week_status(record, record is None, self.timeline, self.size.width))
        self.query_one(DealTable).show(observation)
        title, body = actions_text(record, self._labels)
        self.query_one("#replay-actions").border_title = title
        self.query_one("#replay-actions-text", Static).update(body)
        title, body = feed_text(record)
        self.query_one("#replay-feed").border_title = title
        self.query_one("#replay-feed-text", Static).update(body)
        for panel in self.query(".replay-panel"):
            panel.scroll_home(animate=False)

    def on_deal_table_deal_chosen(self, message: DealTable.DealChosen) -> None:
        """A replayed pipeline is read-only: choosing a deal (a click) does nothing."""
        message.stop()

    # -- keys ------------------------------------------------------------------------------
    def action_step(self, step: int) -> None:
        """The week before or after."""
        if self.steps:
            self.index = min(max(self.index + step, 0), self.steps - 1)

    def action_go(self, where: int) -> None:
        """The first week (0) or the end (-1)."""
        if self.steps:
            self.index = 0 if where == 0 else self.steps - 1

    def action_move(self, step: int) -> None:
        """Move the cursor in the pipeline (j and k)."""
        table = self.query_one(DealTable)
        table.action_cursor_down() if step > 0 else table.action_cursor_up()

    def action_branch(self) -> None:
        """Ask, then play on from the start of the week shown as a new game."""
        if self.timeline is None:
            return
        record = self._record()
        if record is None:
            self.refused(DealDriftError("The game is over here; choose a week to play on from."))
            return
        week = record.week
        question = ConfirmScreen(
            f"Play on from week {week}?",
            f"Weeks 1 to {week - 1} are replayed as they were played; from the start of week {week} you play a "
            "new game, saved in a new file. This game's save is kept as it is." if week > 1 else
            "You start this world again from week 1, as a new game saved in a new file. "
            "This game's save is kept as it is.",
            yes="Play on", no="Stay",
        )
        self.app.push_screen(question, lambda yes: self.deal_drift.branch(self.game, week, self.save_path) if yes else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc goes back only when there is a screen to go back to (q quits either way)."""
        if action == "back" and not self.can_go_back:
            return False
        return True

    def action_nothing(self) -> None:
        """Enter on a replayed pipeline opens nothing: it is a picture of a past week."""

    def action_back(self) -> None:
        """Back to the debrief (or quit, when the replay was opened on its own)."""
        if self.can_go_back:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_quit_replay(self) -> None:
        """Quit (a replay changes nothing, so there is nothing to save)."""
        self.deal_drift.request_quit()
