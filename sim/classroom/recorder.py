"""The store's writer for one player: their game goes to the class store after every change."""

from __future__ import annotations

from sim.classroom.replay import ActionLog, TurnRow, progress, turn_row
from sim.classroom.store import ClassStore
from sim.game import Game


class Recorder:
    """Writes a player's action log, progress and finished weeks; weeks a failed write missed wait for the next one."""

    def __init__(self, store: ClassStore, player_id: int, weeks_recorded: int = 0) -> None:
        """Record for `player_id`, whose first `weeks_recorded` weeks are in the store already."""
        self.store = store
        self.player_id = player_id
        self._weeks_made = weeks_recorded
        self._pending: list[TurnRow] = []

    @property
    def pending(self) -> int:
        """Weeks played but not yet in the store."""
        return len(self._pending)

    def record(self, game: Game) -> None:
        """Write the game as it stands (call after every action and every week); raises StoreError, keeping the weeks."""
        while self._weeks_made < len(game.log):
            self._weeks_made += 1
            self._pending.append(turn_row(game, self._weeks_made))
        self.store.record(self.player_id, ActionLog.of(game), progress(game), list(self._pending))
        self._pending.clear()
