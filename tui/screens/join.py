"""Joining a class: the player's name (and the class code), the resume code, and continuing with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Input, Static

from sim.classroom.names import MAX_NAME
from sim.errors import DealDriftError

from .base import GameScreen

JOIN_CSS = """
.class-form { padding: 1 2; }
.class-form > Static { margin-bottom: 1; max-width: 80; }
.class-form Input { max-width: 60; margin-bottom: 1; }
.class-title { text-style: bold; color: $text-accent; }
.class-error { color: $text-error; text-style: bold; }
.class-code { text-style: bold; color: $text-success; }
.class-buttons { height: auto; }
.class-buttons Button { margin-right: 2; }
"""


class JoinScreen(GameScreen):
    """Ask a new player's name (and the class code) before the briefing."""

    DEFAULT_CSS = JOIN_CSS
    BINDINGS = [
        Binding("f2", "resume", "Continue a game", key_display="F2", tooltip="continue with a resume code"),
    ]
    HELP = [("Tab", "move between the fields"), ("Enter", "join the class")]

    def compose(self) -> ComposeResult:
        """Title, what happens, the fields and the buttons."""
        seat = self.deal_drift.classroom
        assert seat is not None
        scenario = seat.record.scenario.scenario
        with VerticalScroll(classes="class-form"):
            yield Static(Content.assemble(("Join the class: ", "bold"), (scenario.title, "bold $text-accent")),
                         classes="class-title")
            yield Static(Content(
                "Enter your name as your trainer should see it. Every week you play is recorded for the class."
            ))
            yield Input(placeholder="Your name", id="name")
            if seat.code_required:
                yield Input(placeholder="Class code (from your trainer)", id="class-code")
            yield Static("", id="join-error", classes="class-error")
            with Horizontal(classes="class-buttons"):
                yield Button("Join", variant="primary", id="join")
                yield Button("I have a resume code", id="resume")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the name field."""
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name moves on to the class code; Enter in the last field joins."""
        event.stop()
        if event.input.id == "name" and self.deal_drift.classroom and self.deal_drift.classroom.code_required:
            self.query_one("#class-code", Input).focus()
            return
        self.join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Join, or go to the resume code."""
        event.stop()
        if event.button.id == "join":
            self.join()
        else:
            self.action_resume()

    def join(self) -> None:
        """Join with what was typed, or say why not."""
        seat = self.deal_drift.classroom
        assert seat is not None
        name = self.query_one("#name", Input).value
        code = self.query_one("#class-code", Input).value if seat.code_required else ""
        try:
            joined = seat.join(name, code)
        except DealDriftError as error:
            self.query_one("#join-error", Static).update(Content(str(error)))
            return
        self.deal_drift.joined(joined.player, joined.resume_code)

    def action_resume(self) -> None:
        """Continue a game started elsewhere, with its resume code."""
        self.app.switch_screen(ResumeScreen())


class CodeScreen(GameScreen):
    """Welcome a new player and show their resume code once."""

    DEFAULT_CSS = JOIN_CSS
    BINDINGS = [Binding("enter,space", "go_on", "Briefing", key_display="Enter", tooltip="read the briefing")]

    def __init__(self, player: str, code: str) -> None:
        """Welcome `player`, who continues elsewhere with `code`."""
        super().__init__()
        self._player = player
        self._code = code

    def compose(self) -> ComposeResult:
        """The welcome, the code and how resuming works."""
        with VerticalScroll(classes="class-form"):
            yield Static(Content.assemble("Welcome, ", (self._player, "bold"), "."), classes="class-title")
            yield Static(Content.assemble("Your resume code: ", (self._code, "bold $text-success")), id="resume-code")
            seat = self.deal_drift.classroom
            assert seat is not None
            yield Static(Content(f"Write it down. {seat.how_to_continue} Nobody without it can open your game."))
            yield Static(Content.from_markup("Press [b $text-accent]Enter[/] to read the briefing."))
        yield Footer()

    def action_go_on(self) -> None:
        """On to the briefing."""
        self.deal_drift.enter_class_game()


class ResumeScreen(GameScreen):
    """Continue a class game with its resume code."""

    DEFAULT_CSS = JOIN_CSS
    BINDINGS = [Binding("escape", "back", "Back", key_display="Esc", tooltip="back to joining the class")]

    def compose(self) -> ComposeResult:
        """The code field."""
        with VerticalScroll(classes="class-form"):
            yield Static("Continue your game", classes="class-title")
            yield Static(Content("Type the resume code you were shown when you joined (like 7KQ2M-XD4PA)."))
            yield Input(placeholder="Resume code", id="code", max_length=MAX_NAME)
            yield Static("", id="resume-error", classes="class-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the code field."""
        self.query_one("#code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Continue the game whose code this is, or say why not."""
        event.stop()
        seat = self.deal_drift.classroom
        assert seat is not None
        try:
            player = seat.resume(event.value)
        except DealDriftError as error:
            self.query_one("#resume-error", Static).update(Content(str(error)))
            return
        self.deal_drift.enter_class(player)

    def action_back(self) -> None:
        """Back to joining."""
        self.app.switch_screen(JoinScreen())
