"""The Deal Drift app: which screen comes first, moving between screens, and quitting safely."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from sim.errors import DealDriftError, SaveError
from sim.game import Game

from . import saves, settings
from .screens.briefing import BriefingScreen
from .screens.confirm import ConfirmScreen
from .screens.help import HelpScreen
from .screens.picker import PickerScreen
from .screens.join import CodeScreen, JoinScreen
from .session import Session

if TYPE_CHECKING:
    from sim.scenario.models import Scenario
    from sim.classroom.store import PlayerRecord
    from .classroom import ClassSeat

THEMES = {"dark": "textual-dark", "light": "textual-light"}


class DealDriftApp(App[int]):
    """Play Deal Drift: picker, briefing, pipeline, deals, debrief."""

    CSS_PATH = "app.tcss"
    TITLE = "Deal Drift"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this list of keys"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, tooltip="quit the same way as q"),
    ]
    HELP: list[tuple[str, str]] = [
        ("Ctrl+P", "commands, such as switching between the light and dark theme"),
        ("mouse", "click rows, options, buttons and footer keys"),
    ]

    def __init__(
        self,
        *,
        scenario: Scenario | None = None,
        seed: int | None = None,
        session: Session | None = None,
        replay: Game | None = None,
        replay_path: Path | None = None,
        theme: str = "dark",
        classroom: ClassSeat | None = None,
    ) -> None:
        """Start at the picker, at a scenario's briefing, in a loaded game (`session`), replaying one (`replay`),
        or in a class."""
        super().__init__()
        self.session = session
        self.classroom = classroom
        self._class_player: PlayerRecord | None = None
        self._scenario = scenario
        self._seed = seed
        self._replay = replay
        self._replay_path = replay_path
        self._theme_name = THEMES.get(theme, theme)

    def on_mount(self) -> None:
        """Show the first screen."""
        self.theme = self._theme_name
        if self._replay is not None:
            from .screens.replay import ReplayScreen

            self.push_screen(ReplayScreen(self._replay, self._replay_path, can_go_back=False))
        elif self.classroom is not None:
            returning = self.classroom.returning()
            if returning is None:
                self.push_screen(JoinScreen())
            else:
                self.enter_class(returning, welcome_back=True)
        elif self.session is not None:
            self.push_screen(self._game_screen())
        elif self._scenario is not None:
            self.push_screen(BriefingScreen(self._scenario, self._seed, can_go_back=False))
        else:
            self.push_screen(PickerScreen(self._seed))
        # What exists once the first screen is up (modules, classes, styles) lives as long as the app:
        # freezing it keeps full garbage collections short, so they do not stall a repaint.
        self.call_after_refresh(gc.freeze)

    # -- moving between screens --------------------------------------------------------
    def _game_screen(self) -> Screen[object]:
        """The pipeline of the game in play, or its debrief once it is over."""
        # The game's screens are imported when first shown, so the picker is up sooner.
        from .screens.debrief import DebriefScreen
        from .screens.pipeline import PipelineScreen

        return DebriefScreen() if self.session is not None and self.session.over else PipelineScreen()

    def show_picker(self, seed: int | None = None) -> None:
        """Go to the scenario picker."""
        self.session = None
        self.switch_screen(PickerScreen(seed))

    def show_briefing(self, scenario: Scenario, seed: int | None = None) -> None:
        """Go to a scenario's briefing."""
        self.switch_screen(BriefingScreen(scenario, seed))

    def enter_class(self, player: PlayerRecord, *, welcome_back: bool = False) -> None:
        """Continue a class player's game, or show the briefing if they have not started it."""
        assert self.classroom is not None
        self._as_class_player(player)
        if player.log is None:
            self._show(BriefingScreen(self.classroom.record.scenario, self.classroom.record.seed, can_go_back=False))
            return
        try:
            self.session = self.classroom.session(player)
        except DealDriftError as error:
            self.notify(str(error), title="Cannot continue", severity="error", timeout=20, markup=False)
            return
        self._show(self._game_screen())
        if welcome_back:
            self.notify(f"Welcome back, {player.name}. Your game continues where you left it.", markup=False)

    def joined(self, player: PlayerRecord, resume_code: str) -> None:
        """A new class player: show their resume code, then the briefing."""
        self._as_class_player(player)
        self._show(CodeScreen(player.name, resume_code))

    def _as_class_player(self, player: PlayerRecord) -> None:
        """Play as this class player, with their own remembered choices."""
        assert self.classroom is not None
        self._class_player = player
        settings.use_player(self.classroom.player_key(player))

    def enter_class_game(self) -> None:
        """After joining: the class scenario's briefing."""
        assert self.classroom is not None
        self._show(BriefingScreen(self.classroom.record.scenario, self.classroom.record.seed, can_go_back=False))

    def _show(self, screen: Screen[object]) -> None:
        """Replace the current screen (or show the first one)."""
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def start_game(self, scenario: Scenario, seed: int | None = None) -> None:
        """Start a new game and show the pipeline; it is saved at once and after every week."""
        if self.classroom is not None and self._class_player is not None:
            session: Session = self.classroom.session(self._class_player)
        else:
            session = Session(Game(scenario, seed), saves.new_save_path(scenario.scenario.id))
        try:
            session.save()
        except SaveError as error:
            self.notify(f"{error} The game goes on; try again at the end of the week.",
                        title="Autosave failed", severity="error", timeout=10, markup=False)
        self.session = session
        self.switch_screen(self._game_screen())

    def continue_game(self, path: Path) -> None:
        """Continue a saved game."""
        try:
            self.session = Session.load(path)
        except DealDriftError as error:
            self.notify(str(error), title="Cannot continue", severity="error", timeout=10, markup=False)
            return
        self.switch_screen(self._game_screen())

    def show_debrief(self) -> None:
        """Show the debrief of the game that just ended."""
        from .screens.debrief import DebriefScreen

        self.switch_screen(DebriefScreen())

    def show_replay(self, game: Game, save_path: Path | None = None) -> None:
        """Step through `game` week by week, over the current screen (Esc comes back)."""
        from .screens.replay import ReplayScreen

        self.push_screen(ReplayScreen(game, save_path))

    def show_best(self, path: Path) -> None:
        """Replay a game from its save file (the player's best, from the picker)."""
        try:
            game = Game.load(path)
        except DealDriftError as error:
            self.notify(str(error), title="Cannot replay it", severity="error", timeout=10)
            return
        self.show_replay(game, path)

    @work(thread=True, exclusive=True, group="branch")
    def branch(self, source: Game, week: int, source_path: Path | None = None) -> None:
        """Replay `source` to the start of `week` in a worker, then play on from there as a new game."""
        try:
            session = Session.branch(source, week, source_path)
        except DealDriftError as error:
            self.call_from_thread(self.notify, str(error), title="Cannot play on from there", severity="error",
                                  timeout=10)
            return
        self.call_from_thread(self._branched, session)

    def _branched(self, session: Session) -> None:
        self.session = session
        self.notify(f"A new game from week {session.from_week}, saved in {session.save_path}. "
                    "The game you rewound is kept as it was.", title="Playing on", timeout=10)
        self._show_only(self._game_screen())

    def _show_only(self, screen: Screen[object]) -> None:
        """Make `screen` the only screen (over the default one), so nothing stale stays underneath."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)
    # -- remembered choices, from the command palette (Ctrl+P) ------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, and switches for the choices Deal Drift remembers."""
        yield from super().get_system_commands(screen)
        chosen = settings.load()
        ask = "Stop asking" if chosen.ask_before_unspent_hours else "Ask"
        yield SystemCommand(f"{ask} before ending a week with hours unspent",
                            "the question Space asks when hours are left", self._toggle_asking)
        notes = "off" if chosen.coach_notes else "on"
        yield SystemCommand(f"Turn coach notes {notes}", "the notes of a guided scenario (also C)",
                            self._toggle_notes)

    def _toggle_asking(self) -> None:
        asking = settings.change(ask_before_unspent_hours=not settings.load().ask_before_unspent_hours)
        self.notify("Space will ask first when hours are left." if asking.ask_before_unspent_hours
                    else "Space ends the week without asking.", timeout=4)

    def _toggle_notes(self) -> None:
        from .screens.pipeline import PipelineScreen

        if isinstance(self.screen, PipelineScreen):
            self.screen.action_toggle_notes()
        else:
            settings.change(coach_notes=not settings.load().coach_notes)

    # -- help and quitting -----------------------------------------------------------------
    def action_help(self) -> None:
        """Show every key, the current screen's first."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen)))

    async def action_quit(self) -> None:
        """Ctrl+Q: quit the same careful way as q."""
        self.request_quit()

    def request_quit(self) -> None:
        """Quit; during a game, ask first and save before leaving."""
        if self.session is None or self.session.over:
            self.exit()
            return
        if isinstance(self.screen, ConfirmScreen):
            return
        how = ("is recorded for the class. " + self.classroom.how_to_continue if self.classroom is not None
               else "can be continued with:\ndealdrift play --resume")
        self.push_screen(
            ConfirmScreen("Quit Deal Drift?", f"Your game is saved, with the actions queued this week, and {how}"),
            self._quit_answered,
        )

    def _quit_answered(self, quit_now: bool | None) -> None:
        if not quit_now or self.session is None:
            return
        try:
            self.session.save()
        except SaveError as error:
            question = ConfirmScreen("Quit without saving?", f"{error}\nThe weeks played since the last save are lost.",
                                     yes="Quit anyway", no="Keep playing")
            self.push_screen(question, lambda anyway: self.exit() if anyway else None)
            return
        self.exit()
