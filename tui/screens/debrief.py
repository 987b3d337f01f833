"""The debrief at the end of a game: score card, each deal's ending and lesson, charts, what would have helped."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from ..report import ENDING_TONES, Debrief, debrief_for, render
from ..format import style_of
from .base import GameScreen


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


def advice(debrief: Debrief) -> Content:
    """What would have helped, most useful first."""
    if not debrief.advice:
        return Content.styled("Every deal was won without pushing: keep doing what you did.", "$text-success")
    return Content("\n").join(
        Content.assemble(
            ("• ", "$text-accent"), (item.lesson, "bold"), ("\n  " + "; ".join(item.deals), "$text-muted")
        )
        for item in debrief.advice
    )


class DebriefScreen(GameScreen):
    """How the game went and why."""

    BINDINGS = [
        Binding("w", "write", "Write to file", tooltip="write the debrief as Markdown next to the save file"),
        Binding("g", "new_game", "New game", tooltip="choose a scenario for a new game"),
        Binding("j", "scroll(1)", "Scroll down", show=False, tooltip="scroll down"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, tooltip="scroll up"),
        Binding("q", "quit_game", "Quit", tooltip="quit (the game is saved)"),
    ]
    HELP = [("↑ ↓ PgUp PgDn", "scroll the debrief")]

    def compose(self) -> ComposeResult:
        """The debrief's sections in one scrolling column."""
        debrief = debrief_for(self.session.game)
        with VerticalScroll(id="debrief"):
            yield Static(Content.styled(f"Debrief: {debrief.title}", "bold $text-accent"), id="debrief-title")
            yield Static(Content.styled(debrief.status, "$text-muted"), id="debrief-status")
            yield Static(
                Content.styled(debrief.headline, "bold $text-success" if debrief.reached else "bold $text-warning"),
                id="debrief-headline",
            )
            yield self._panel("Score card", score_card(debrief), "debrief-score")
            yield self._panel("How each deal ended", endings(debrief), "debrief-deals")
            bookings = Content("\n".join(debrief.bookings_chart))
            yield self._panel("Bookings against quota", bookings, "debrief-bookings")
            yield self._panel(
                "Attention per deal (0 to 1, one mark a week)",
                Content("\n".join(debrief.attention_chart)),
                "debrief-attention",
            )
            yield self._panel("What would have helped", advice(debrief), "debrief-advice")
        yield Footer()

    @staticmethod
    def _panel(title: str, body: Content, panel_id: str) -> Vertical:
        panel = Vertical(Static(body), classes="panel", id=panel_id)
        panel.border_title = title
        return panel

    def on_mount(self) -> None:
        """Focus the scrolling column so the keys scroll it."""
        self.query_one("#debrief").focus()

    def action_scroll(self, step: int) -> None:
        """Scroll a line (j and k)."""
        body = self.query_one("#debrief", VerticalScroll)
        body.scroll_down() if step > 0 else body.scroll_up()

    def action_write(self) -> None:
        """Write the debrief as Markdown next to the save file."""
        session = self.session
        target = session.save_path.with_suffix(".md")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(debrief_for(session.game), "md"), encoding="utf-8")
        except OSError as error:
            self.notify(f"Could not write {target}: {error.strerror or error}", severity="error", timeout=10)
            return
        self.notify(f"Debrief written to {target}", title="Written", timeout=8)

    def action_new_game(self) -> None:
        """Back to the scenario picker for a new game."""
        self.deal_drift.show_picker()

    def action_quit_game(self) -> None:
        """Quit (the finished game is already saved)."""
        self.deal_drift.request_quit()
