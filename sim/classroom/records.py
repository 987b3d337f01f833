"""What the class store holds, as plain records: classes, players, and a player who just joined."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pydantic

from sim.classroom.errors import ClassError
from sim.classroom.replay import ActionLog, Progress
from sim.scenario.models import Scenario

@dataclass(frozen=True)
class ClassRecord:
    """A class: the scenario and seed every player of it plays."""

    id: int
    name: str
    scenario_json: str
    scenario_digest: str
    seed: int
    code_required: bool

    @cached_property
    def scenario_data(self) -> dict[str, Any]:
        """The scenario as save data."""
        return json.loads(self.scenario_json)

    @cached_property
    def scenario(self) -> Scenario:
        """The class's scenario; raises ClassError if this version of Deal Drift cannot read it."""
        try:
            return Scenario.model_validate(self.scenario_data)
        except pydantic.ValidationError as error:
            raise ClassError(f"The scenario of class '{self.name}' does not load in this version of Deal Drift "
                             f"({error.error_count()} problems).") from None

    @property
    def scenario_id(self) -> str:
        """The scenario's id."""
        return str(self.scenario_data["scenario"]["id"])


@dataclass(frozen=True, slots=True)
class PlayerRecord:
    """A player of a class, their action log (None before their game starts) and its progress."""

    id: int
    name: str
    source: str
    log: ActionLog | None
    progress: Progress | None
    joined_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Joined:
    """A new player and the resume code that lets them continue on another browser (shown once, kept hashed)."""

    player: PlayerRecord
    resume_code: str


CLASS_COLUMNS = "id, name, scenario_json, scenario_digest, seed, code_required"
PLAYER_COLUMNS = ("id, name, source, log_json, week, weeks, bookings, quota, at_risk, over, joined_at, updated_at")


def class_from_row(row: tuple[Any, ...]) -> ClassRecord:
    """A class from a row of CLASS_COLUMNS."""
    return ClassRecord(row[0], row[1], row[2], row[3], row[4], bool(row[5]))


def player_from_row(row: tuple[Any, ...]) -> PlayerRecord:
    """A player from a row of PLAYER_COLUMNS."""
    player_id, name, source, log_json, week, weeks, bookings, quota, at_risk, over, joined, updated = row
    log = None if log_json is None else ActionLog.from_json(log_json)
    state = None if log is None else Progress(week, weeks, bookings, quota, at_risk, bool(over))
    return PlayerRecord(player_id, name, source, log, state, joined, updated)
