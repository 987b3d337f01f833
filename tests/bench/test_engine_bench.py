"""Engine benchmarks (run with `pytest -m bench tests/bench -s`): times measured side by side in one run."""

from __future__ import annotations

import statistics
import time
import tracemalloc

import pytest

from sim.scenario.loader import load_scenario
from sim.strategies import play

from synthetic import synthetic

pytestmark = pytest.mark.bench


def timed(function, repeat: int) -> float:
    """Median seconds of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def fastest_interleaved(first, second, repeat: int) -> tuple[float, float]:
    """The fastest of `repeat` calls of each, alternating, so both see the same machine load."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for index, function in enumerate((first, second)):
            start = time.perf_counter()
            function()
            best[index] = min(best[index], time.perf_counter() - start)
    return best[0], best[1]


def test_one_default_game_by_advisor_within_10_ms() -> None:
    scenario = load_scenario("default")
    seeds = iter(range(10_000))
    play(scenario, "advisor", 0)  # warm up imports and caches
    advisor = timed(lambda: play(scenario, "advisor", next(seeds)), 200)
    idle = timed(lambda: play(scenario, "idle", next(seeds)), 200)
    print(f"\ndefault scenario, median per game: advisor {advisor * 1000:.2f} ms, idle {idle * 1000:.2f} ms")
    assert advisor <= 0.010


def test_a_thousand_deals_for_a_year_within_2_s_and_200_mb() -> None:
    scenario = synthetic(1000)
    tracemalloc.start()
    start = time.perf_counter()
    result = play(scenario, "advisor", 1)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    untraced = timed(lambda: play(scenario, "advisor", 1), 3)
    print(f"\n1,000 deals x 52 weeks by advisor: {untraced:.2f} s (median of 3), "
          f"{elapsed:.2f} s under tracemalloc, peak {peak / 2**20:.1f} MiB; {result.counts}")
    assert untraced <= 2.0
    assert peak <= 200 * 2**20


def test_time_grows_linearly_with_deals() -> None:
    small, large = synthetic(100), synthetic(1000)
    play(small, "advisor", 1)
    small_time, large_time = fastest_interleaved(lambda: play(small, "advisor", 1),
                                                 lambda: play(large, "advisor", 1), 5)
    ratio = large_time / small_time
    print(f"\n100 deals {small_time * 1000:.0f} ms, 1,000 deals {large_time * 1000:.0f} ms: 10x the deals, "
          f"{ratio:.1f}x the time")
    assert ratio <= 12.0
