"""The save file: a game's scenario, seed and action log as versioned JSON, written atomically.

A save is the action log, never the state: loading one replays the log on the same
scenario and seed, which gives the identical game. Version 2 keeps, per finished week,
the actions (with the person each was aimed at) and the forecast calls changed that
week; version 1 saves (actions only) still load.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import SaveError

if TYPE_CHECKING:
    from sim.scenario.models import Scenario

SAVE_FORMAT = "dealdrift-save"
SAVE_VERSION = 2
READS_VERSIONS = (1, 2)

Entry = tuple[str, str, str | None]  # (deal id, action, person aimed at or None)


@dataclass(slots=True)
class Turn:
    """What the seller did in one week: the actions queued (in order) and the forecast calls changed."""

    actions: list[Entry] = field(default_factory=list)
    calls: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The turn as JSON data."""
        return {
            "actions": [[deal_id, action] if target is None else [deal_id, action, target]
                        for deal_id, action, target in self.actions],
            "calls": dict(self.calls),
        }


@dataclass(frozen=True, slots=True)
class SaveData:
    """A save as read: everything needed to replay the game."""

    scenario: Scenario
    seed: int
    turns: list[Turn]
    queued: Turn


def to_json(scenario: Scenario, seed: int, week: int, turns: list[Turn], queued: Turn) -> dict[str, Any]:
    """The save of a game as JSON data."""
    return {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "seed": seed,
        "week": week,
        "scenario": scenario.model_dump(mode="json", exclude_none=True),
        "turns": [turn.to_json() for turn in turns],
        "queued": queued.to_json(),
    }


def write(path: str | os.PathLike[str], data: dict[str, Any]) -> Path:
    """Write save data atomically (a crash mid-write never leaves a damaged file)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1)
    handle, temporary = tempfile.mkstemp(prefix=".save-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream_out:
            stream_out.write(text)
            stream_out.flush()
            os.fsync(stream_out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read(path: str | os.PathLike[str]) -> SaveData:
    """Read a save file; a missing, damaged or foreign file raises SaveError."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SaveError(f"Cannot read save file {path}: {error.strerror or error}.") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SaveError(f"{path} is not a Deal Drift save file (it is not valid JSON).") from None
    return parse(data)


def parse(data: object) -> SaveData:
    """Save data from JSON; raises SaveError if it is not a save this version reads."""
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError("This is not a Deal Drift save file.")
    version = data.get("version")
    if version not in READS_VERSIONS:
        raise SaveError(f"This save is version {version!r}; this Deal Drift reads versions "
                        f"{', '.join(map(str, READS_VERSIONS))}.")
    seed, turns = data.get("seed"), data.get("turns")
    if not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(turns, list):
        raise SaveError("The save file is damaged: its seed or turns are missing.")
    import pydantic  # only a save needs validating: `import sim` does not load pydantic

    from sim.scenario.models import Scenario

    try:
        scenario = Scenario.model_validate(data.get("scenario"))
    except pydantic.ValidationError as error:
        raise SaveError(f"The save file is damaged: its scenario is invalid ({error.error_count()} problems).") from None
    parsed = [parse_turn(turn, number) for number, turn in enumerate(turns, start=1)]
    queued = parse_turn(data.get("queued", [] if version == 1 else {}), len(turns) + 1)
    return SaveData(scenario, seed, parsed, queued)


def parse_turn(raw: object, number: int) -> Turn:
    """One turn of a log, checked entry by entry: a version 2 turn, or a version 1 list of actions."""
    damaged = f"The save file is damaged: turn {number}"
    if isinstance(raw, list):
        raw = {"actions": raw, "calls": {}}
    if not isinstance(raw, dict) or not isinstance(raw.get("actions", []), list):
        raise SaveError(f"{damaged} is not a list of actions.")
    turn = Turn()
    for entry in raw.get("actions", []):
        if not (isinstance(entry, list) and len(entry) in (2, 3) and all(isinstance(x, str) for x in entry)):
            raise SaveError(f"{damaged} has a malformed action.")
        turn.actions.append((entry[0], entry[1], entry[2] if len(entry) == 3 else None))
    calls = raw.get("calls", {})
    if not isinstance(calls, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in calls.items()):
        raise SaveError(f"{damaged} has malformed forecast calls.")
    turn.calls.update(calls)
    return turn
