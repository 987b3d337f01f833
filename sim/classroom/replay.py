"""A class's games as action logs: replayed on the class's own scenario and seed, never trusted for numbers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pydantic

from sim.classroom.errors import ImportRefused
from sim.errors import SaveError
from sim import savefile
from sim.game import Game
from sim.observation import Observation
from sim.replay import play_week
from sim.savefile import Entry, Turn
from sim.scenario.models import Scenario

LOW_ATTENTION = 0.3  # an attention read below this is a deal drifting away (the pipeline shows it red)


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the JSON data a save carries."""
    return scenario.model_dump(mode="json", exclude_none=True)


def scenario_digest(data: dict[str, Any]) -> str:
    """A digest of a scenario's content: two scenarios with the same digest play the same world."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ActionLog:
    """What a player did: each finished week (actions and forecast calls), and the week being played."""

    turns: tuple[Turn, ...]
    queued: Turn = field(default_factory=Turn)

    @classmethod
    def of(cls, game: Game) -> ActionLog:
        """The log of a game being played."""
        save = savefile.parse(game.to_save())
        return cls(tuple(save.turns), save.queued)

    @classmethod
    def from_json(cls, text: str) -> ActionLog:
        """A log as the store keeps it (the save file's turns)."""
        data = json.loads(text)
        turns = [savefile.parse_turn(turn, number) for number, turn in enumerate(data["turns"], start=1)]
        return cls(tuple(turns), savefile.parse_turn(data.get("queued", {}), len(turns) + 1))

    def to_json(self) -> str:
        """The log as the store keeps it."""
        return json.dumps({"turns": [turn.to_json() for turn in self.turns], "queued": self.queued.to_json()},
                          separators=(",", ":"))

    @property
    def digest(self) -> str:
        """A digest of the finished weeks: two imports with the same digest are the same game."""
        canonical = json.dumps([turn.to_json() for turn in self.turns], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def replay(scenario: dict[str, Any], seed: int, log: ActionLog) -> Game:
    """The game a log gives on `scenario` and `seed`, replayed move by move; raises SaveError if it does not replay."""
    return Game.from_save(savefile.to_json(Scenario.model_validate(scenario), seed, len(log.turns) + 1,
                                           list(log.turns), log.queued))


def log_of_save(data: object, *, scenario: dict[str, Any], digest: str, seed: int, label: str) -> ActionLog:
    """The action log of a save, checked against a class's scenario and seed; raises ImportRefused with the reason.

    Nothing in the save but its scenario (compared by content), its seed and its actions is read.
    """
    if not isinstance(data, dict) or data.get("format") != savefile.SAVE_FORMAT:
        raise ImportRefused(f"{label} is not a Deal Drift save file.")
    if data.get("version") not in savefile.READS_VERSIONS:
        raise ImportRefused(f"{label} is save version {data.get('version')!r}; this Deal Drift reads versions "
                            f"{', '.join(map(str, savefile.READS_VERSIONS))}.")
    try:
        theirs = scenario_data(Scenario.model_validate(data.get("scenario")))
    except pydantic.ValidationError as error:
        raise ImportRefused(f"{label} is damaged: its scenario is invalid ({error.error_count()} problems).") from None
    if scenario_digest(theirs) != digest:
        where = ", ".join(differences(scenario, theirs)) or "its content"
        raise ImportRefused(
            f"{label} was played on another version of scenario '{theirs['scenario']['id']}' than the class's: "
            f"they differ at {where}."
        )
    if data.get("seed") != seed:
        raise ImportRefused(f"{label} was played with seed {data.get('seed')!r}; the class plays seed {seed}.")
    try:
        save = savefile.parse(data)
        log = ActionLog(tuple(save.turns), save.queued)
        replay(scenario, seed, log)
    except SaveError as error:
        message = str(error).removeprefix("The save file is damaged: ")
        raise ImportRefused(f"{label} does not replay on the class's scenario and seed: {message}") from None
    return log


def differences(ours: object, theirs: object, path: str = "", limit: int = 3) -> list[str]:
    """Up to `limit` key paths where two scenario data trees differ (e.g. 'seller.quota', 'deals[2].value')."""
    found: list[str] = []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs), key=str):
            if len(found) >= limit:
                break
            found += differences(ours.get(key), theirs.get(key), f"{path}.{key}" if path else str(key), limit - len(found))
    elif isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for index, (mine, other) in enumerate(zip(ours, theirs)):
            if len(found) >= limit:
                break
            found += differences(mine, other, f"{path}[{index}]", limit - len(found))
    elif ours != theirs:
        found.append(path or "the top level")
    return found


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a player's game stands, as the trainer's live view shows it."""

    week: int
    weeks: int
    bookings: int
    quota: int
    at_risk: int
    over: bool


@dataclass(frozen=True, slots=True)
class TurnRow:
    """One week a player played: their actions and where the game stood after it."""

    week: int
    actions: tuple[Entry, ...]
    bookings: int
    at_risk: int
    recorded_at: str


def turn_row(game: Game, week: int) -> TurnRow:
    """The row of `week`, which the game has just finished."""
    state = progress(game)
    return TurnRow(week, tuple(game.log[week - 1].actions), state.bookings, state.at_risk,
                   datetime.now(timezone.utc).isoformat(timespec="seconds"))


def weeks_played(scenario: Scenario, seed: int, log: ActionLog) -> tuple[list[TurnRow], Game]:
    """A log that replays (see `replay`) played again week by week: the row of each week, and the game at the end."""
    game = Game(scenario, seed)
    rows = []
    for turn in log.turns:
        play_week(game, turn)
        rows.append(turn_row(game, len(game.log)))
    for deal_id, call in log.queued.calls.items():
        game.call_forecast(deal_id, call)
    for deal_id, action, target in log.queued.actions:
        game.act(deal_id, action, target)
    return rows, game


def deals_at_risk(observation: Observation) -> int:
    """Open deals the seller can see are in danger: stalled, a slipping plan, or attention read low."""
    return sum(
        1 for deal in observation.open_deals
        if deal.stage == "stalled" or deal.plan_status == "slipping" or deal.attention < LOW_ATTENTION
    )


def progress(game: Game) -> Progress:
    """The progress of a game as the player sees it now."""
    observation = game.observe()
    return Progress(week=observation.week, weeks=observation.weeks, bookings=observation.bookings,
                    quota=observation.quota, at_risk=deals_at_risk(observation), over=observation.over)
