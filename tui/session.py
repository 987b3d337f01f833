"""A game being played and the file it autosaves to: the TUI's one handle on the Game facade."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim import history
from sim.errors import ActionRefused, SaveError
from sim.game import Game
from sim.model.actions import ActionSpec
from sim.observation import Observation
from sim.replay import rewind
from sim.results import RunResult

from . import saves
from .coach import Coach

if TYPE_CHECKING:
    from sim.scenario.models import Scenario


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """What ending a turn produced: the week's feed, and why the autosave or the history failed, if one did."""

    feed: list[str]
    save_problem: str | None
    history_problem: str | None = None


class Session:
    """One game and its save file; every change to the game goes through here so it is saved."""

    history_player = history.YOU  # who the history says played it

    def __init__(self, game: Game, save_path: Path, *, branch_of: Path | None = None,
                 from_week: int | None = None) -> None:
        """Play `game`, autosaving to `save_path`; a game rewound from another names it and the week."""
        self.game = game
        self.save_path = save_path
        self.branch_of = branch_of
        self.from_week = from_week
        self.coach = Coach.for_save(game.scenario.tutorial, save_path)
        self.guidance_shown = self.coach.guided  # why an action will not help: on in a guided game
        self._may_undo = bool(game.log)

    @classmethod
    def new(cls, scenario: Scenario, seed: int | None = None) -> Session:
        """Start a new game in a fresh save file (written at once, so even week 1 can be resumed)."""
        session = cls(Game(scenario, seed), saves.new_save_path(scenario.scenario.id))
        session.save()
        return session

    @classmethod
    def load(cls, path: str | Path) -> Session:
        """Continue the game saved in `path`; raises SaveError for a missing, damaged or foreign file."""
        target = Path(path)
        return cls(Game.load(target), target)

    @classmethod
    def branch(cls, source: Game, week: int, source_path: Path | None = None) -> Session:
        """A new game at the start of `week` of `source`, in a new save file (the source's save is untouched)."""
        game = rewind(source, week)
        path = saves.new_save_path(game.scenario.scenario.id, label=f"from-week-{week}")
        session = cls(game, path, branch_of=source_path, from_week=week)
        session.save()
        return session

    @classmethod
    def resume(cls) -> Session:
        """Continue the most recently played game; raises SaveError when there is none."""
        latest = saves.latest_save()
        if latest is None:
            raise SaveError(f"There is no saved game in {saves.saves_dir()}. Start one with: dealdrift play")
        return cls.load(latest)

    # -- reading ----------------------------------------------------------------------
    @property
    def title(self) -> str:
        """The scenario's title."""
        return self.game.scenario.scenario.title

    @property
    def over(self) -> bool:
        """True once the game has ended."""
        return self.game.over

    @property
    def catalog(self) -> tuple[ActionSpec, ...]:
        """The action catalog."""
        return self.game.catalog

    def observe(self) -> Observation:
        """What the seller sees now."""
        return self.game.observe()

    def refusal(self, deal_id: str, action: str, target: str | None = None) -> str | None:
        """Why an action (aimed at person `target`, or its default) cannot be queued now, or None."""
        return self.game.refusal(deal_id, action, target)

    def guidance(self, deal_id: str) -> dict[str, str]:
        """Why each action is unlikely to help this deal now (the engine's own rules)."""
        return self.game.guidance(deal_id)

    @property
    def can_undo(self) -> bool:
        """True when the week just played can be undone (once, until the next week is played)."""
        return self._may_undo and bool(self.game.log) and not self.game.over

    def result(self) -> RunResult:
        """The score card as it stands."""
        return self.game.result()

    # -- changing ---------------------------------------------------------------------
    def act(self, deal_id: str, action: str, target: str | None = None) -> None:
        """Queue an action, aimed at person `target` or its default (saved); raises ActionRefused with the reason."""
        self.game.act(deal_id, action, target)
        self._save_queue()

    def call_forecast(self, deal_id: str, call: str) -> None:
        """Call a deal commit, best case or pipeline (saved with the game); raises ActionRefused."""
        self.game.call_forecast(deal_id, call)
        self._save_queue()

    def undo_week(self) -> int:
        """Take back the week just played: replay the log without it, its actions and calls queued again.

        The world is the same (same scenario and seed), so the week can be played
        again differently. Returns the week undone; raises ActionRefused when there is none.
        """
        game = self.game
        if not self.can_undo:
            raise ActionRefused("There is no played week to undo: only the week just played can be taken back.")
        turns = list(game.log)
        last = turns.pop()
        self.game = Game.replay(game.scenario, game.seed, turns, last)
        self._may_undo = False
        self._save_queue()
        return self.game.week

    def cancel(self, index: int) -> None:
        """Cancel a queued action and get its hours back."""
        self.game.cancel(index)
        self._save_queue()

    def _save_queue(self) -> None:
        """Keep the week's queue in the save; a failure here is reported by the end-of-turn save."""
        try:
            self.save()
        except SaveError:
            pass

    def end_turn(self) -> TurnOutcome:
        """Simulate the week, then autosave; the game's last week also records it in the history.

        A failed save or history write is reported; the week still counts.
        """
        feed = self.game.end_turn()
        save_problem = history_problem = None
        self._may_undo = True
        try:
            self.save()
        except SaveError as error:
            save_problem = str(error)
        if self.game.over:
            history_problem = self.record()
            if history_problem is not None and save_problem is None:
                history_problem += f" This game is saved in {self.save_path}."
        return TurnOutcome(feed, save_problem, history_problem)

    def record(self) -> str | None:
        """Record the finished game in the history; returns why it could not be, or None."""
        try:
            history.record(self.game.result(), title=self.title, player=self.history_player,
                           save_path=self.save_path.resolve(), from_week=self.from_week,
                           branch_of=None if self.branch_of is None else self.branch_of.resolve())
        except history.HistoryError as error:
            return str(error)
        return None

    def save(self) -> Path:
        """Write the save file atomically; raises SaveError when the disk refuses."""
        try:
            return self.game.save(self.save_path)
        except OSError as error:
            raise SaveError(f"Could not save the game to {self.save_path}: {error.strerror or error}.") from None
