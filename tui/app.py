"""The Deal Drift app: which screen comes first, moving between screens, and quitting safely."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from sim.errors import DealDriftError, SaveError
from sim.game import Game
from sim.scenario.models import Scenario

from . import saves
from .screens.briefing import BriefingScreen
from .screens.confirm import ConfirmScreen
from .screens.help import HelpScreen
from .screens.picker import PickerScreen
from .session import Session

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
        theme: str = "dark",
    ) -> None:
        """Start at the picker, at a scenario's briefing, or in a loaded game (`session`)."""
        super().__init__()
        self.session = session
        self._scenario = scenario
        self._seed = seed
        self._theme_name = THEMES.get(theme, theme)

    def on_mount(self) -> None:
        """Show the first screen."""
        self.theme = self._theme_name
        if self.session is not None:
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

    def start_game(self, scenario: Scenario, seed: int | None = None) -> None:
        """Start a new game and show the pipeline; it is saved at once and after every week."""
        session = Session(Game(scenario, seed), saves.new_save_path(scenario.scenario.id))
        try:
            session.save()
        except SaveError as error:
            self.notify(f"{error} The game goes on; try again at the end of the week.",
                        title="Autosave failed", severity="error", timeout=10)
        self.session = session
        self.switch_screen(self._game_screen())

    def continue_game(self, path: Path) -> None:
        """Continue a saved game."""
        try:
            self.session = Session.load(path)
        except DealDriftError as error:
            self.notify(str(error), title="Cannot continue", severity="error", timeout=10)
            return
        self.switch_screen(self._game_screen())

    def show_debrief(self) -> None:
        """Show the debrief of the game that just ended."""
        from .screens.debrief import DebriefScreen

        self.switch_screen(DebriefScreen())

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
        self.push_screen(
            ConfirmScreen(
                "Quit Deal Drift?",
                "Your game is saved, with the actions queued this week, and can be continued with:\n"
                "dealdrift play --resume",
            ),
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
