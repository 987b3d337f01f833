"""A class's games as action logs: replayed on the class's own scenario and seed, never trusted for numbers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pydantic

from sim.classroom.errors import ImportRefused
from sim.errors import SaveError
from sim.game import SAVE_FORMAT, SAVE_VERSION, Game
from sim.observation import Observation
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
    """What a player did: the actions of each finished week, and those queued in the current one."""

    turns: tuple[tuple[tuple[str, str], ...], ...]
    queued: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, game: Game) -> ActionLog:
        """The log of a game being played."""
        return cls(tuple(tuple(turn) for turn in game.log), tuple((q.deal_id, q.action) for q in game.queued))

    @classmethod
    def from_json(cls, text: str) -> ActionLog:
        """A log as the store keeps it."""
        data = json.loads(text)
        return cls(
            tuple(tuple((str(deal), str(action)) for deal, action in turn) for turn in data["turns"]),
            tuple((str(deal), str(action)) for deal, action in data.get("queued", [])),
        )

    def to_json(self) -> str:
        """The log as the store keeps it."""
        return json.dumps({"turns": [[list(entry) for entry in turn] for turn in self.turns],
                           "queued": [list(entry) for entry in self.queued]}, separators=(",", ":"))

    @property
    def digest(self) -> str:
        """A digest of the finished weeks: two imports with the same digest are the same game."""
        canonical = json.dumps([[list(entry) for entry in turn] for turn in self.turns], separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def replay(scenario: dict[str, Any], seed: int, log: ActionLog) -> Game:
    """The game a log gives on `scenario` and `seed`, replayed move by move; raises SaveError if it does not replay."""
    return Game.from_save({
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "seed": seed,
        "scenario": scenario,
        "turns": [[list(entry) for entry in turn] for turn in log.turns],
        "queued": [list(entry) for entry in log.queued],
    })


def log_of_save(data: object, *, scenario: dict[str, Any], digest: str, seed: int, label: str) -> ActionLog:
    """The action log of a save, checked against a class's scenario and seed; raises ImportRefused with the reason.

    Nothing in the save but its scenario (compared by content), its seed and its actions is read.
    """
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise ImportRefused(f"{label} is not a Deal Drift save file.")
    if data.get("version") != SAVE_VERSION:
        raise ImportRefused(f"{label} is save version {data.get('version')!r}; this Deal Drift reads version {SAVE_VERSION}.")
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
    turns, queued = data.get("turns"), data.get("queued", [])
    if not isinstance(turns, list) or not isinstance(queued, list) or not all(isinstance(t, list) for t in [*turns, queued]):
        raise ImportRefused(f"{label} is damaged: its turns are missing or malformed.")
    try:
        log = ActionLog(
            tuple(tuple(_entry(entry) for entry in turn) for turn in turns), tuple(_entry(entry) for entry in queued)
        )
        replay(scenario, seed, log)
    except (SaveError, ValueError) as error:
        message = str(error).removeprefix("The save file is damaged: ")
        raise ImportRefused(f"{label} does not replay on the class's scenario and seed: {message}") from None
    return log


def _entry(entry: object) -> tuple[str, str]:
    if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)):
        raise ValueError("an action is malformed.")
    return entry[0], entry[1]


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
    actions: tuple[tuple[str, str], ...]
    bookings: int
    at_risk: int
    recorded_at: str


def turn_row(game: Game, week: int) -> TurnRow:
    """The row of `week`, which the game has just finished."""
    state = progress(game)
    return TurnRow(week, tuple(game.log[week - 1]), state.bookings, state.at_risk,
                   datetime.now(timezone.utc).isoformat(timespec="seconds"))


def weeks_played(scenario: Scenario, seed: int, log: ActionLog) -> tuple[list[TurnRow], Game]:
    """A log that replays (see `replay`) played again week by week: the row of each week, and the game at the end."""
    game = Game(scenario, seed)
    rows = []
    for turn in log.turns:
        for deal_id, action in turn:
            game.act(deal_id, action)
        game.end_turn()
        rows.append(turn_row(game, len(game.log)))
    for deal_id, action in log.queued:
        game.act(deal_id, action)
    return rows, game


def deals_at_risk(observation: Observation) -> int:
    """Open deals the seller can see are in danger: stalled, a slipping plan, or attention read low."""
    return sum(
        1 for deal in observation.deals
        if deal.open and (deal.stage == "stalled" or deal.plan_status == "slipping" or deal.attention < LOW_ATTENTION)
    )


def progress(game: Game) -> Progress:
    """The progress of a game as the player sees it now."""
    observation = game.observe()
    return Progress(week=observation.week, weeks=observation.weeks, bookings=observation.bookings,
                    quota=observation.quota, at_risk=deals_at_risk(observation), over=observation.over)
