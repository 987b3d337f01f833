"""Deal Drift's engine: load a scenario, start a game, play a strategy, run a batch.

The engine never imports the terminal UI. `import sim` loads the model and the Game;
the other names are imported on first use: the bots (`sim.Strategy`, `sim.play`,
`sim.load_strategy`), the scenario format with pydantic (`sim.load_scenario`,
`sim.Scenario`, `sim.ScenarioError`) and the batch machinery (`sim.run_batch`,
`sim.BatchSummary`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import compiled  # first: decides whether the engine loads compiled or from its source
from sim.errors import ActionRefused, DealDriftError, GameOver, SaveError, StrategyError
from sim.game import Game
from sim.lazy import lazy_names
from sim.observation import DealView, Observation
from sim.results import DealResult, RunResult

if TYPE_CHECKING:
    from sim.batch.run import run_batch
    from sim.batch.statistics import BatchSummary
    from sim.scenario.loader import ScenarioError, load_scenario
    from sim.scenario.models import Scenario
    from sim.strategies import Strategy, load_strategy, play

ENGINE = compiled.ENGINE  # how the engine runs here: "compiled (18 modules)", or "Python source (why)"

# name -> the module that defines it, imported on first use
_LAZY = {
    "BatchSummary": "sim.batch.statistics",
    "Scenario": "sim.scenario.models",
    "ScenarioError": "sim.scenario.loader",
    "load_scenario": "sim.scenario.loader",
    "run_batch": "sim.batch.run",
    "Strategy": "sim.strategies",
    "load_strategy": "sim.strategies",
    "play": "sim.strategies",
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)

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
