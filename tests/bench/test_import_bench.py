"""What `import sim` costs (run with `pytest -m bench tests/bench/test_import_bench.py -s`).

Each sample is a fresh interpreter; a bare one (`python -c pass`) and one that imports the
engine alternate, so both see the same machine load, and the medians are compared.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.bench

BUDGET = 0.150  # seconds above a bare interpreter
SAMPLES = 21


def started(code: str) -> float:
    """Seconds for a fresh interpreter to run `code` and exit."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def medians_side_by_side(*codes: str, samples: int = SAMPLES) -> list[float]:
    """The median time of each code, sampled in turn."""
    times: list[list[float]] = [[] for _ in codes]
    for _ in range(samples):
        for index, code in enumerate(codes):
            times[index].append(started(code))
    return [statistics.median(values) for values in times]


def test_import_sim_costs_at_most_150_ms_above_a_bare_interpreter() -> None:
    bare, engine, first_game = medians_side_by_side(
        "pass", "import sim", "import sim; sim.Game(sim.load_scenario('default'), 1)")
    print(f"\nbare interpreter {bare * 1000:.0f} ms; import sim {engine * 1000:.0f} ms "
          f"(+{(engine - bare) * 1000:.0f} ms, budget +{BUDGET * 1000:.0f} ms); with a scenario loaded and a game "
          f"started +{(first_game - bare) * 1000:.0f} ms (medians of {SAMPLES} fresh interpreters each)")
    assert engine - bare <= BUDGET
