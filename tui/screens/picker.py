"""The scenario picker: the bundled scenarios easiest first, and the last unfinished game to continue.

The list is shown from each scenario's card, read from its file without checking it
(`sim.scenario.bundle`), so the picker takes keys before the scenario format (and
pydantic) has loaded. A moment after the list shows, a worker checks every scenario
and reads the last saved game; the list then shows what the check found: a scenario
that fails it cannot be chosen, and an unfinished game can be continued. A scenario
chosen before the check is loaded on the spot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from sim import history
from sim.errors import DealDriftError
from sim.game import Game
from sim.scenario.bundle import Card, bundled_names, read_card

from .. import saves
from ..format import first_sentence, money, percent
from .base import GameScreen, ListKeys

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

DEFAULT_SCENARIO = "default"
FIRST_SCENARIO = "tutorial"  # highlighted for a first-timer (no saved game yet)
CONTINUE_ID = "continue:"
# Seconds from the list showing to the check: the check holds the interpreter for about 0.2 s,
# and the keys of a player who starts moving at once are not kept waiting by it.
CHECK_DELAY = 0.3
DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


@dataclass(frozen=True, slots=True)
class SavedGame:
    """An unfinished saved game the player can continue."""

    path: Path
    title: str
    week: int
    weeks: int


@dataclass(frozen=True)
class Findings:
    """What the picker's check found: the scenarios that load, why the others do not, and the game to continue."""

    scenarios: dict[str, Scenario]
    problems: dict[str, str]  # name -> the first problem
    saved: SavedGame | None
    save_problem: str | None = None


def load_bundled(name: str) -> Scenario | str:
    """The bundled scenario `name`, or the first problem that keeps it from loading (this loads pydantic)."""
    from sim.scenario.loader import load_scenario

    try:
        return load_scenario(name)
    except DealDriftError as error:
        return str(error).splitlines()[0]


def check_bundled() -> Findings:
    """Load every bundled scenario and read the last saved game (in a worker)."""
    scenarios: dict[str, Scenario] = {}
    problems: dict[str, str] = {}
    for name in bundled_names():
        loaded = load_bundled(name)
        if isinstance(loaded, str):
            problems[name] = loaded
        else:
            scenarios[name] = loaded
    try:
        return Findings(scenarios, problems, last_unfinished_game())
    except DealDriftError as error:
        return Findings(scenarios, problems, None, str(error))


def last_unfinished_game() -> SavedGame | None:
    """The most recently played save, if it is not finished; raises SaveError when it cannot be read."""
    path = saves.latest_save()
    if path is None:
        return None
    observation = Game.load(path).observe()
    if observation.over:
        return None
    return SavedGame(path, observation.title, observation.week, observation.weeks)


def scenario_prompt(card: Card, best: history.Entry | None = None) -> Content:
    """Two lines for the picker: title and facts, then the story's first sentence; a third for your best game."""
    tone = {"easy": "$text-success", "medium": "$text-warning", "hard": "$text-error"}.get(card.difficulty, "")
    facts = f"  {card.weeks} weeks · {card.deals} deals · "
    head = Content.assemble((card.title, "bold"), (facts, "$text-muted"), (card.difficulty, tone))
    story = first_sentence(card.story) or "No story given."
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

    @dataclass
    class Checked(Message):
        """The worker has checked the scenarios and read the last saved game."""

        findings: Findings

    def __init__(self, seed: int | None = None) -> None:
        """The picker; `seed` is passed on to the game that is started."""
        super().__init__()
        self._seed = seed
        self._cards: dict[str, Card] = {}  # name -> what the list shows of it
        self._scenarios: dict[str, Scenario] = {}  # name -> the scenario, once checked
        self._best: dict[str, history.Entry] = {}
        self._history_reported = False
        self._wanted = DEFAULT_SCENARIO
        self.findings: Findings | None = None  # what the check found, once it has run

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

    def _your_best(self, card: Card) -> history.Entry | None:
        """Your best game on the scenario; a damaged history is reported once, not fatal."""
        try:
            entry = history.best(card.id)
        except history.HistoryError as error:
            if not self._history_reported:
                self.notify(str(error), title="History unavailable", severity="warning", timeout=15)
                self._history_reported = True
            return None
        if entry is not None:
            self._best[card.id] = entry
        return entry

    def on_mount(self) -> None:
        """List the scenarios from their cards, easiest first, then check them once the list is on screen.

        A first-timer (no saved game yet) starts on the tutorial, anyone else on `default`.
        """
        self._wanted = FIRST_SCENARIO if not saves.saved_games() else DEFAULT_SCENARIO
        cards = {name: read_card(name) for name in bundled_names()}
        self._cards = {name: card for name, card in cards.items() if card is not None}
        self._fill(unread=[name for name, card in cards.items() if card is None])
        if self._wanted == FIRST_SCENARIO and FIRST_SCENARIO in self._cards:
            self.query_one("#picker-hint", Static).update(Content.from_markup(
                "New here? Start with the [b]tutorial[/b]: [b]Enter[/b] reads its briefing"))
        self.query_one(OptionList).focus()
        self.set_timer(CHECK_DELAY, self.check)

    def _fill(self, unread: Sequence[str] = (), problems: Mapping[str, str] | None = None) -> None:
        """(Re)build the list: the scenarios easiest first, then those without a card or failing their check.

        The highlight stays on the entry it was on, or goes to the one a newcomer or a returning player starts on.
        """
        problems = problems or {}
        options = self.query_one(OptionList)
        keep = self._highlighted_id() or self._wanted
        options.clear_options()
        ranked = sorted(self._cards.items(),
                        key=lambda item: (DIFFICULTY_ORDER.get(item[1].difficulty, 1), item[0] != FIRST_SCENARIO))
        for name, card in ranked:
            options.add_option(Option(scenario_prompt(card, self._your_best(card)), id=name))
        for name in unread:
            prompt = Content.assemble((name, "bold"), ("\n  checking…", "$text-muted"))
            options.add_option(Option(prompt, id=name, disabled=True))
        for name, problem in problems.items():
            prompt = Content.assemble((name, "bold"), ("\n  cannot be loaded: ", "$text-error"), problem)
            options.add_option(Option(prompt, id=name, disabled=True))
        self._add_continue()
        if options.option_count:
            ids = [options.get_option_at_index(index).id for index in range(options.option_count)]
            options.highlighted = ids.index(keep) if keep in ids and keep not in problems else 0

    @property
    def _continue(self) -> SavedGame | None:
        """The last unfinished game, once the check has read it."""
        return None if self.findings is None else self.findings.saved

    def _add_continue(self) -> None:
        """The last unfinished game, at the end of the list, if there is one."""
        saved = self._continue
        if saved is None:
            return
        options = self.query_one(OptionList)
        options.add_option(None)
        prompt = Content.assemble(
            ("Continue your last game", "bold $text-accent"),
            (f"\n  {saved.title}, week {saved.week} of {saved.weeks}", "$text-muted"),
        )
        options.add_option(Option(prompt, id=CONTINUE_ID))

    @work(thread=True, exclusive=True, group="picker")
    def check(self) -> None:
        """Check every scenario and read the last saved game, off the UI's thread."""
        self.post_message(self.Checked(check_bundled()))

    def on_picker_screen_checked(self, message: Checked) -> None:
        """Show what the check found: changed cards, scenarios that cannot be loaded, and the game to continue."""
        found = self.findings = message.findings
        self._scenarios = {**found.scenarios, **self._scenarios}
        cards = {name: Card.of(scenario) for name, scenario in found.scenarios.items()}
        if found.save_problem is not None:
            self.notify(f"{found.save_problem} Your other saved games are kept in {saves.saves_dir()}; "
                        "continue one with: dealdrift play --load SAVE", title="Your last game cannot be continued",
                        severity="warning", timeout=15)
        if cards != self._cards or found.problems:
            self._cards = cards
            self._fill(problems=found.problems)
        else:
            self._add_continue()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the briefing of the chosen scenario, or continue the saved game."""
        event.stop()
        self._open(event.option.id)

    def action_choose(self) -> None:
        """Choose the highlighted entry (Enter when the list is not focused, or the footer key)."""
        option_id = self._highlighted_id()
        if option_id is not None:
            self._open(option_id)

    def _open(self, option_id: str | None) -> None:
        if option_id == CONTINUE_ID and self._continue is not None:
            self.deal_drift.continue_game(self._continue.path)
        elif option_id in self._cards:
            scenario = self._scenarios.get(option_id) or self._load(option_id)
            if scenario is not None:
                self.deal_drift.show_briefing(scenario, self._seed)

    def _load(self, name: str) -> Scenario | None:
        """A scenario chosen before the check reached it, loaded now; None (and said why) if it cannot be."""
        loaded = load_bundled(name)
        if isinstance(loaded, str):
            self.refused(DealDriftError(loaded), title="Cannot be loaded")
            return None
        self._scenarios[name] = loaded
        return loaded

    def _highlighted_id(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def _highlighted_best(self) -> history.Entry | None:
        card = self._cards.get(self._highlighted_id() or "")
        return None if card is None else self._best.get(card.id)

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
