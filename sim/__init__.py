"""Deal Drift's engine: load a scenario, start a game, play a strategy, run a batch.

The engine never imports the terminal UI; `import sim` stays light.
"""

from __future__ import annotations

from .batch import BatchSummary, run_batch
from .errors import ActionRefused, DealDriftError, GameOver, SaveError, StrategyError
from .game import Game
from .loader import ScenarioError, load_scenario
from .observation import DealView, Observation
from .results import DealResult, RunResult
from .scenario import Scenario
from .strategies import Strategy, load_strategy, play

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
