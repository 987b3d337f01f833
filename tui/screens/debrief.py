"""The debrief at the end of a game: score card, the bots on the same world, each deal's ending, charts, and
what would have helped, played on the game's own world."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Static

from sim.errors import DealDriftError
from sim.game import Game
from sim.review import Review, first_review, with_changes

from ..format import style_of
from ..played import same_world_endings, same_world_lines
from ..report import ENDING_TONES, Debrief, debrief_for, render
from .base import GameScreen
from .rewind import RewindScreen

PLAYING = "Playing the bots and the counterfactuals on your world…"


def score_card(debrief: Debrief) -> Content:
    """The score card, one aligned line per measure."""
    width = max(len(item.label) for item in debrief.score) + 2
    return Content("\n").join(
        Content.assemble((f"{item.label:<{width}}", "$text-muted"), (item.value, style_of(item.tone, bold=True)))
        for item in debrief.score
    )


def endings(debrief: Debrief) -> Content:
    """Each deal's ending, why it happened and its lesson."""
    blocks = []
    for deal in debrief.deals:
        when = f", {deal.when}" if deal.when else ""
        lines = [
            Content.assemble(
                (deal.name, "bold"),
                ": ",
                (deal.ending_label, style_of(ENDING_TONES.get(deal.ending, ""), bold=True)),
                (f"  {deal.value}{when}", "$text-muted"),
            ),
            Content(deal.explanation),
        ]
        if deal.lesson:
            lines.append(Content.assemble(("Lesson: ", "bold $text-accent"), deal.lesson))
        blocks.append(Content("\n").join(lines))
    return Content("\n\n").join(blocks)


def same_world(debrief: Debrief) -> Content:
    """You and the bots on the same scenario and seed: bookings, then each deal's ending."""
    if debrief.same_world is None:
        return Content.styled(PLAYING, "$text-muted")
    intro = Content.styled("The same scenario and seed, played from week 1 by the built-in bots.", "$text-muted")
    totals = Content("\n").join(Content(line) for line in same_world_lines(debrief.same_world, debrief.quota))
    table = same_world_endings(debrief.same_world, [(deal.deal_id, deal.name) for deal in debrief.deals])
    rows = [Content.styled(table[0], "bold"), *(Content(line) for line in table[1:])]
    return Content("\n").join([intro, totals, Content(""), *rows])


def helped(debrief: Debrief) -> Content:
    """What was played for each deal that did not close."""
    if debrief.helped is None:
        return Content.styled(PLAYING, "$text-muted")
    blocks = [Content.styled(debrief.helped_summary, "$text-muted")]
    for item in debrief.helped:
        lines = [Content.assemble(("• ", "$text-accent"), (item.name, "bold"), (f"  {item.ending_label}", "$text-muted"))]
        lines.append(Content(item.turning))
        if item.take_over:
            lines.append(Content.styled(item.take_over, "$text-success" if item.saved else ""))
        if item.change:
            lines.append(Content.styled(item.change, "$text-success" if item.changed else "$text-muted"))
        blocks.append(Content("\n").join(lines))
    return Content("\n\n").join(blocks)


class DebriefScreen(GameScreen):
    """How the game went and why; the bots and the counterfactuals are played in a worker and shown when ready."""

    BINDINGS = [
        Binding("w", "write", "Write to file", tooltip="write the debrief as Markdown next to the save file"),
        Binding("r", "replay", "Replay", tooltip="step through the game week by week"),
        Binding("b", "rewind", "Rewind", tooltip="play on from any week as a new game (this game is kept)"),
        Binding("g", "new_game", "New game", tooltip="choose a scenario for a new game"),
        Binding("j", "scroll(1)", "Scroll down", show=False, tooltip="scroll down"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, tooltip="scroll up"),
        Binding("q", "quit_game", "Quit", tooltip="quit (the game is saved)"),
    ]
    HELP = [("↑ ↓ PgUp PgDn", "scroll the debrief")]

    @dataclass
    class Played(Message):
        """The bots and the counterfactuals have been played on the game's world (the single changes last)."""

        review: Review

    @dataclass
    class Failed(Message):
        """Playing them failed; the debrief still shows everything else."""

        reason: str

    def __init__(self) -> None:
        """The debrief of the app's current game (kept, should the app move on to another game)."""
        super().__init__()
        self.review: Review | None = None
        self._session = self.session

    @property
    def complete(self) -> bool:
        """True once everything has been played, the single changes included."""
        return self.review is not None and all(deal.searched for deal in self.review.counterfactuals.values())

    def compose(self) -> ComposeResult:
        """The debrief's sections in one scrolling column."""
        debrief = debrief_for(self._session.game)
        with VerticalScroll(id="debrief"):
            yield Static(Content.styled(f"Debrief: {debrief.title}", "bold $text-accent"), id="debrief-title")
            yield Static(Content.styled(debrief.status, "$text-muted"), id="debrief-status")
            yield Static(
                Content.styled(debrief.headline, "bold $text-success" if debrief.reached else "bold $text-warning"),
                id="debrief-headline",
            )
            yield self._panel("Score card", score_card(debrief), "debrief-score")
            yield self._panel("You and the bots on the same world", same_world(debrief), "debrief-same-world")
            yield self._panel("How each deal ended", endings(debrief), "debrief-deals")
            bookings = Content("\n".join(debrief.bookings_chart))
            yield self._panel("Bookings against quota", bookings, "debrief-bookings")
            yield self._panel(
                "Attention per deal (0 to 1, one mark a week)",
                Content("\n".join(debrief.attention_chart)),
                "debrief-attention",
            )
            yield self._panel("What would have helped (played on your world)", helped(debrief), "debrief-helped")
        yield Footer()

    @staticmethod
    def _panel(title: str, body: Content, panel_id: str) -> Vertical:
        panel = Vertical(Static(body, classes="body"), classes="panel", id=panel_id)
        panel.border_title = title
        return panel

    def on_mount(self) -> None:
        """Focus the scrolling column so the keys scroll it, and start playing the counterfactuals."""
        self.query_one("#debrief").focus()
        self.play_review(self._session.game)

    @work(thread=True, exclusive=True, group="review")
    def play_review(self, game: Game) -> None:
        """Play the bots and the take-overs, post them, then the single changes (the game is only read here)."""
        try:
            first = first_review(game)
            self.post_message(self.Played(first))
            self.post_message(self.Played(with_changes(game, first)))
        except DealDriftError as error:
            self.post_message(self.Failed(str(error)))

    def on_debrief_screen_played(self, message: Played) -> None:
        """Show the bots on the same world and what would have helped."""
        self.review = message.review
        debrief = debrief_for(self._session.game, message.review)
        self.query_one("#debrief-same-world .body", Static).update(same_world(debrief))
        self.query_one("#debrief-helped .body", Static).update(helped(debrief))

    def on_debrief_screen_failed(self, message: Failed) -> None:
        """Say that the counterfactuals could not be played, and why."""
        text = Content.styled(f"Could not be played: {message.reason}", "$text-error")
        self.query_one("#debrief-same-world .body", Static).update(text)
        self.query_one("#debrief-helped .body", Static).update(text)

    def action_scroll(self, step: int) -> None:
        """Scroll a line (j and k)."""
        body = self.query_one("#debrief", VerticalScroll)
        body.scroll_down() if step > 0 else body.scroll_up()

    def action_write(self) -> None:
        """Write the debrief as Markdown next to the save file (with what was played, once it is ready)."""
        session = self._session
        target = session.save_path.with_suffix(".md")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(debrief_for(session.game, self.review), "md"), encoding="utf-8")
        except OSError as error:
            self.notify(f"Could not write {target}: {error.strerror or error}", severity="error", timeout=10)
            return
        self.notify(f"Debrief written to {target}", title="Written", timeout=8)

    def action_replay(self) -> None:
        """Step through this game week by week."""
        self.deal_drift.show_replay(self._session.game, self._session.save_path)

    def action_rewind(self) -> None:
        """Choose a week to play on from, as a new game."""
        turning = {}
        if self.review is not None:
            for played in self.review.counterfactuals.values():
                if played.turning_point is not None:
                    turning.setdefault(played.turning_point.week, []).append(played.deal_id)
        game = self._session.game
        source = self._session.save_path

        def chosen(week: int | None) -> None:
            if week is not None:
                self.deal_drift.branch(game, week, source)

        self.app.push_screen(RewindScreen(game, turning), chosen)

    def action_new_game(self) -> None:
        """Back to the scenario picker for a new game."""
        self.deal_drift.show_picker()

    def action_quit_game(self) -> None:
        """Quit (the finished game is already saved)."""
        self.deal_drift.request_quit()
