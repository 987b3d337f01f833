"""Deal Drift's engine: load a scenario, start a game, play a strategy, run a batch.

The engine never imports the terminal UI; `import sim` loads the model and the Game,
and the batch machinery only when `sim.run_batch` or `sim.BatchSummary` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.errors import ActionRefused, DealDriftError, GameOver, SaveError, StrategyError
from sim.game import Game
from sim.scenario.loader import ScenarioError, load_scenario
from sim.observation import DealView, Observation
from sim.results import DealResult, RunResult
from sim.scenario.models import Scenario
from sim.strategies import Strategy, load_strategy, play

if TYPE_CHECKING:
    from sim.batch.run import BatchSummary, run_batch

_LAZY = {"BatchSummary": "sim.batch.statistics", "run_batch": "sim.batch.run"}


def __getattr__(name: str) -> Any:
    """Batch names are imported on first use, so `import sim` does not load the batch machinery."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

__all__ = [
    "ActionRefused",
    "BatchSummary",
    "DealDriftError",
    "DealResult",
    "DealView",
    "Game",
    "GameOver",
    "Observation",
    "RunResult",
    "SaveError",
    "Scenario",
    "ScenarioError",
    "Strategy",
    "StrategyError",
    "load_scenario",
    "load_strategy",
    "play",
    "run_batch",
]
