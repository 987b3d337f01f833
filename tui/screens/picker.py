"""The scenario picker: the bundled scenarios easiest first, and the last unfinished game to continue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from sim import history
from sim.errors import DealDriftError
from sim.game import Game
from sim.scenario.loader import bundled_names, load_scenario
from sim.scenario.models import Scenario

from .. import saves
from ..format import first_sentence, money, percent
from .base import GameScreen, ListKeys

DEFAULT_SCENARIO = "default"
FIRST_SCENARIO = "tutorial"  # highlighted for a first-timer (no saved game yet)
CONTINUE_ID = "continue:"
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


@dataclass(frozen=True, slots=True)
class SavedGame:
    """An unfinished saved game the player can continue."""

    path: Path
    title: str
    week: int
    weeks: int


def last_unfinished_game() -> SavedGame | None:
    """The most recently played save, if it is not finished; raises SaveError when it cannot be read."""
    path = saves.latest_save()
    if path is None:
        return None
    observation = Game.load(path).observe()
    if observation.over:
        return None
    return SavedGame(path, observation.title, observation.week, observation.weeks)


def scenario_prompt(scenario: Scenario, best: history.Entry | None = None) -> Content:
    """Two lines for the picker: title and facts, then the story's first sentence; a third for your best game."""
    info = scenario.scenario
    tone = {"easy": "$text-success", "medium": "$text-warning", "hard": "$text-error"}.get(info.difficulty, "")
    facts = f"  {info.weeks} weeks · {len(scenario.deals)} deals · "
    head = Content.assemble((info.title, "bold"), (facts, "$text-muted"), (info.difficulty, tone))
    story = first_sentence(info.story) or "No story given."
    lines = [head, Content.styled(f"  {story}", "$text-muted")]
    if best is not None:
        tone = "$text-success" if best.bookings >= best.quota else "$text-accent"
        lines.append(Content.assemble(
            ("  Your best on this scenario: ", "$text-muted"),
            (f"{money(best.bookings)} ({percent(best.bookings, best.quota)} of quota)", f"bold {tone}"),
            (f", seed {best.seed}, {best.played_at[:10]} · b replays it", "$text-muted"),
        ))
    return Content("\n").join(lines)


class PickerScreen(ListKeys, GameScreen):
    """Choose a scenario (Enter starts the briefing) or continue the last game."""

    BINDINGS = [
        Binding("j", "move(1)", "Next", show=False, tooltip="next scenario"),
        Binding("k", "move(-1)", "Previous", show=False, tooltip="previous scenario"),
        Binding("enter", "choose", "Choose", tooltip="read the highlighted scenario's briefing, or continue the game"),
        Binding("b", "best", "Your best", tooltip="replay your best game on the highlighted scenario"),
        Binding("q", "quit_game", "Quit", tooltip="quit"),
    ]
    HELP = [("↑ ↓", "move through the scenarios"), ("click", "choose a scenario")]

    def __init__(self, seed: int | None = None) -> None:
        """The picker; `seed` is passed on to the game that is started."""
        super().__init__()
        self._seed = seed
        self._scenarios: dict[str, Scenario] = {}
        self._best: dict[str, history.Entry] = {}
        self._history_reported = False
        self._continue: SavedGame | None = None

    def compose(self) -> ComposeResult:
        """Banner, the list and the footer."""
        with Vertical(id="picker"):
            yield Static(Content.from_markup("[b]DEAL DRIFT[/b]  [$text-muted]a sales-training simulation[/]"),
                         id="picker-banner")
            yield Static(
                "Most deals die not to a competitor but to a customer who never finishes buying. "
                "Help them buy.",
                id="picker-intro",
            )
            yield OptionList(id="scenarios")
            yield Static(
                Content.from_markup("[b]↑ ↓[/b] choose a scenario  ·  [b]Enter[/b] read its briefing"),
                id="picker-hint",
            )
        yield Footer()

    def _your_best(self, scenario: Scenario) -> history.Entry | None:
        """Your best game on `scenario` from the history; a damaged history is reported once, not fatal."""
        try:
            entry = history.best(scenario.scenario.id)
        except history.HistoryError as error:
            if not self._history_reported:
                self.notify(str(error), title="History unavailable", severity="warning", timeout=15)
                self._history_reported = True
            return None
        if entry is not None:
            self._best[scenario.scenario.id] = entry
        return entry

    def on_mount(self) -> None:
        """List the scenarios, easiest first (an invalid one is shown but cannot be chosen).

        A first-timer (no saved game yet) starts on the tutorial, anyone else on `default`.
        """
        options = self.query_one(OptionList)
        default_index = 0
        wanted = FIRST_SCENARIO if not saves.saved_games() else DEFAULT_SCENARIO
        broken: list[Option] = []
        for name in bundled_names():
            try:
                self._scenarios[name] = load_scenario(name)
            except DealDriftError as error:
                first_problem = str(error).splitlines()[0]
                prompt = Content.assemble((name, "bold"), ("\n  cannot be loaded: ", "$text-error"), first_problem)
                broken.append(Option(prompt, id=name, disabled=True))
        ranked = sorted(self._scenarios.items(),
                        key=lambda item: (DIFFICULTY_ORDER[item[1].scenario.difficulty], item[0] != FIRST_SCENARIO))
        for name, scenario in ranked:
            if name == wanted:
                default_index = options.option_count
            options.add_option(Option(scenario_prompt(scenario, self._your_best(scenario)), id=name))
        options.add_options(broken)
        try:
            self._continue = last_unfinished_game()
        except DealDriftError as error:
            self.notify(f"{error} Your other saved games are kept in {saves.saves_dir()}; "
                        "continue one with: dealdrift play --load SAVE", title="Your last game cannot be continued",
                        severity="warning", timeout=15)
        if self._continue is not None:
            saved = self._continue
            options.add_option(None)
            prompt = Content.assemble(
                ("Continue your last game", "bold $text-accent"),
                (f"\n  {saved.title}, week {saved.week} of {saved.weeks}", "$text-muted"),
            )
            options.add_option(Option(prompt, id=CONTINUE_ID))
        if wanted == FIRST_SCENARIO and FIRST_SCENARIO in self._scenarios:
            self.query_one("#picker-hint", Static).update(Content.from_markup(
                "New here? Start with the [b]tutorial[/b]: [b]Enter[/b] reads its briefing"))
        if options.option_count:
            options.highlighted = default_index
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the briefing of the chosen scenario, or continue the saved game."""
        event.stop()
        self._open(event.option.id)

    def action_choose(self) -> None:
        """Choose the highlighted entry (Enter when the list is not focused, or the footer key)."""
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._open(options.get_option_at_index(options.highlighted).id)

    def _open(self, option_id: str | None) -> None:
        if option_id == CONTINUE_ID and self._continue is not None:
            self.deal_drift.continue_game(self._continue.path)
        elif option_id in self._scenarios:
            self.deal_drift.show_briefing(self._scenarios[option_id], self._seed)

    def _highlighted_best(self) -> history.Entry | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        scenario = self._scenarios.get(options.get_option_at_index(options.highlighted).id or "")
        return None if scenario is None else self._best.get(scenario.scenario.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer b only on a scenario you have finished a game of."""
        if action == "best" and self.is_mounted:
            return self._highlighted_best() is not None
        return True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show or hide b as the highlight moves."""
        self.refresh_bindings()

    def action_best(self) -> None:
        """Replay your best game on the highlighted scenario, if you have played it to the end."""
        best = self._highlighted_best()
        if best is None:
            self.refused(DealDriftError("You have not finished a game of this scenario yet."))
            return
        if best.save_path is None or not Path(best.save_path).is_file():
            self.refused(DealDriftError(f"The save of that game is no longer at {best.save_path}."))
            return
        self.deal_drift.show_best(Path(best.save_path))

    def action_quit_game(self) -> None:
        """Quit: nothing is being played, so nothing needs saving."""
        self.app.exit()
