"""The scenarios shipped with Deal Drift: their names, their files, and a card of each.

A card is what the scenario picker shows of a scenario: its title, length, number of
deals, difficulty and story. `read_card` reads it from the file with `tomllib` alone,
without checking the scenario, so the picker can show its list before the scenario
format (and pydantic) has loaded; the picker checks every scenario right after, and a
checked scenario's card is `Card.of(scenario)`. Nothing here imports pydantic.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.scenario.models import Scenario


def _bundle() -> Traversable:
    return resources.files("scenarios")


def bundled_names() -> list[str]:
    """Names of the scenarios shipped with Deal Drift, sorted."""
    try:
        entries = list(_bundle().iterdir())
    except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError):
        return []
    return sorted(entry.name[: -len(".toml")] for entry in entries if entry.name.endswith(".toml") and entry.is_file())


def bundled_file(name: str) -> Traversable:
    """Where the bundled scenario `name` would be (it need not exist; see `bundled_names`)."""
    return _bundle().joinpath(f"{name}.toml")


@dataclass(frozen=True, slots=True)
class Card:
    """What the picker shows of a scenario."""

    id: str
    title: str
    weeks: int
    deals: int
    difficulty: str
    story: str

    @classmethod
    def of(cls, scenario: Scenario) -> Card:
        """The card of a checked scenario."""
        info = scenario.scenario
        return cls(info.id, info.title, info.weeks, len(scenario.deals), info.difficulty, info.story)


def read_card(name: str) -> Card | None:
    """The card of the bundled scenario `name`, read from its file unchecked.

    None unless the file is TOML that gives every field of the card itself, with the
    type the scenario format requires (a default is the format's to give, so a key
    left out gives no card). A card read here is only a preview: the scenario may
    still fail its check.
    """
    try:
        document = tomllib.loads(bundled_file(name).read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):  # ValueError: not UTF-8, or not TOML
        return None
    info, deals = document.get("scenario"), document.get("deals")
    if not isinstance(info, dict) or not isinstance(deals, list):
        return None
    texts = [info.get(key) for key in ("id", "title", "difficulty", "story")]
    weeks = info.get("weeks")
    if not all(isinstance(text, str) for text in texts) or not isinstance(weeks, int) or isinstance(weeks, bool):
        return None
    scenario_id, title, difficulty, story = (str(text) for text in texts)
    return Card(scenario_id, title, weeks, len(deals), difficulty, story)
