"""Playing in a class: who the player is, and a session that records every change in the class store.

A browser served by `dealdrift serve` carries a random seat token in a cookie; the server hands it to
the game process in $DEALDRIFT_SEAT. The store keeps only digests of seats and resume codes, so a copy
of it opens nobody's game.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

from sim.classroom.errors import ClassError, StoreError
from sim.classroom.names import clean_name, name_key
from sim.classroom.recorder import Recorder
from sim.classroom.replay import ActionLog, replay
from sim.classroom.store import ClassRecord, ClassStore, Joined, PlayerRecord
from sim import savefile
from sim.errors import SaveError
from sim.game import Game

from . import saves
from .session import Session

SEAT_VARIABLE = "DEALDRIFT_SEAT"
CLASS_SAVES = "class"  # the folder, within the saves, of class games' backup saves


class ClassSeat:
    """One player's place in a class: joins, resumes, and starts or continues their game."""

    def __init__(self, store: ClassStore, record: ClassRecord, seat: str | None) -> None:
        """A place in `record` for the browser with token `seat` (None in a terminal)."""
        self.store = store
        self.record = record
        self.seat = seat

    @classmethod
    def open(cls, db: str | Path | None, class_name: str | None, seat: str | None = None) -> ClassSeat:
        """The class `class_name` (or the store's only class); raises StoreError or ClassError."""
        store = ClassStore.open(db)
        return cls(store, store.get_class(class_name), seat if seat is None else seat.strip() or None)

    @classmethod
    def from_environment(cls, db: str | Path | None, class_name: str | None) -> ClassSeat:
        """The class, with the seat token the server passed in $DEALDRIFT_SEAT."""
        return cls.open(db, class_name, os.environ.get(SEAT_VARIABLE))

    @property
    def code_required(self) -> bool:
        """Whether joining asks for the class code (the class's name)."""
        return self.record.code_required

    @property
    def how_to_continue(self) -> str:
        """How a player continues their game later: reloading the page in a browser, or the command in a terminal."""
        if self.seat is not None:
            return ("Reloading this page continues your game. On another computer or browser, choose "
                    "'I have a resume code' and type it.")
        return (f"To continue, run: dealdrift play --class {shlex.quote(self.record.name)}, "
                "choose 'I have a resume code' and type it.")

    def returning(self) -> PlayerRecord | None:
        """The player this browser already belongs to, if any."""
        return None if self.seat is None else self.store.player_by_seat(self.record, self.seat)

    def join(self, name: str, class_code: str = "") -> Joined:
        """Join as a new player; raises ClassError (a wrong class code, a name that is taken or invalid)."""
        if self.code_required and name_key(" ".join(class_code.split())) != name_key(self.record.name):
            raise ClassError("That is not this class's code. Ask your trainer for it.")
        return self.store.join(self.record, clean_name(name), seat=self.seat)

    def resume(self, code: str) -> PlayerRecord:
        """The player whose resume code this is (this browser resumes them from now on); raises ClassError."""
        if not code.strip():
            raise ClassError("Please enter your resume code.")
        player = self.store.player_by_code(self.record, code, seat=self.seat)
        if player is None:
            raise ClassError("No game in this class has that resume code. Check it, or ask your trainer for a new one.")
        return player

    def backup_path(self, player: PlayerRecord) -> Path:
        """The save file kept beside the store for this player (importable with 'dealdrift class add').

        It lives in its own folder, so that 'Continue' in the scenario list and 'play --resume' never
        offer one player's class game to whoever plays next on the machine.
        """
        return saves.saves_dir() / CLASS_SAVES / self._backup_name(player)

    def player_key(self, player: PlayerRecord) -> str:
        """The name of this player's files on this machine (backup save, settings): unique across classes."""
        return f"class-{self.record.id}-player-{player.id}"

    def _backup_name(self, player: PlayerRecord) -> str:
        return f"{self.player_key(player)}{saves.SAVE_SUFFIX}"

    def session(self, player: PlayerRecord) -> ClassSession:
        """The player's game: new, or replayed from the store (or from the backup save when that is further on)."""
        log = self._furthest_log(player)
        game = Game(self.record.scenario, self.record.seed) if log is None else replay(self.record.scenario_data, self.record.seed, log)
        recorded = 0 if player.log is None else len(player.log.turns)
        session = ClassSession(game, self.backup_path(player), Recorder(self.store, player.id, recorded), player.name,
                               self.record.name)
        return session

    def _furthest_log(self, player: PlayerRecord) -> ActionLog | None:
        """The store's log, unless the backup save holds the same game further on (a write the store missed)."""
        stored = player.log
        path = self.backup_path(player)
        if not path.exists():  # a backup written before class backups had their own folder
            path = saves.saves_dir() / self._backup_name(player)
        try:
            save = savefile.parse(json.loads(path.read_text(encoding="utf-8")))
            backup = ActionLog(tuple(save.turns), save.queued)
            replay(self.record.scenario_data, self.record.seed, backup)
        except (OSError, ValueError, KeyError, TypeError, SaveError):
            return stored
        if stored is None or (len(backup.turns) > len(stored.turns) and backup.turns[: len(stored.turns)] == stored.turns):
            return backup
        return stored


class ClassSession(Session):
    """A game in a class: every save also goes to the class store, so the trainer sees each week as it is played.

    The finished game goes to this machine's history under the player's name and class, never as "you":
    on a class server every player's game ends on the server's machine.
    """

    def __init__(self, game: Game, save_path: Path, recorder: Recorder, player: str, class_name: str) -> None:
        """Play `game` for `player` of class `class_name`, recording with `recorder` and keeping a backup save at `save_path`."""
        super().__init__(game, save_path)
        self.recorder = recorder
        self.player = player
        self.history_player = f"{player} (class {class_name})"

    def save(self) -> Path:
        """Record the game in the class store and write the backup save; raises SaveError if either failed."""
        problems = []
        try:
            super().save()
        except SaveError as error:
            problems.append(str(error))
        try:
            self.recorder.record(self.game)
        except (StoreError, ClassError) as error:
            problems.append(f"{error} Your weeks are kept and go to the class store with the next save.")
        if problems:
            raise SaveError(" ".join(problems))
        return self.save_path
