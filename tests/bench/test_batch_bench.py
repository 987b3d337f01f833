"""Batch throughput and memory on the default scenario (run with: pytest -m bench tests/bench -s).

A "run" here is one strategy playing one whole game. The figures need an otherwise
idle machine with at least two cores: other work on the machine slows the jobs down.
"""

from __future__ import annotations

import gc
import os
import time
import tracemalloc

import pytest

from sim.batch.run import default_jobs, run_batch
from sim.batch.rows import RowWriter
from sim.scenario.loader import load_scenario

pytestmark = pytest.mark.bench

STRATEGIES = ["typical", "advisor"]
# 2,000 runs per strategy, 4,000 games per measurement (about 9 s for one job): the size of an analyst's batch.
# A measurement must be long beside what a batch costs once (starting and stopping two worker
# processes takes about 20 ms); at 500 runs a two-job batch lasted 1.1 s.
RUNS = 2000


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("default")


def _games_per_second(scenario, jobs: int) -> float:
    start = time.perf_counter()
    run_batch(scenario, STRATEGIES, runs=RUNS, seed=1, jobs=jobs)
    return RUNS * len(STRATEGIES) / (time.perf_counter() - start)


@pytest.fixture(scope="module")
def throughput(scenario):
    """Runs per second with 1 and 2 jobs, measured side by side (best of three interleaved rounds)."""
    run_batch(scenario, STRATEGIES, runs=5, jobs=1)  # warm up caches and imports
    rates: dict[int, list[float]] = {1: [], 2: []}
    for _round in range(3):
        for jobs in (1, 2):
            rates[jobs].append(_games_per_second(scenario, jobs))
    best = {jobs: max(values) for jobs, values in rates.items()}
    print(f"\ndefault scenario, {' + '.join(STRATEGIES)}, {RUNS} runs each: "
          f"1 job {best[1]:.0f} runs/s, 2 jobs {best[2]:.0f} runs/s, speed-up {best[2] / best[1]:.2f}x "
          f"({default_jobs()} cores available, load average {os.getloadavg()[0]:.1f}); every round: "
          + ", ".join(f"{one:.0f}/{two:.0f}" for one, two in zip(rates[1], rates[2])))
    return best


def test_two_jobs_play_at_least_1_9_times_as_many_runs_as_one(throughput):
    if default_jobs() < 2:
        pytest.skip("needs at least two CPU cores")
    assert throughput[2] >= 1.9 * throughput[1]


def test_at_least_100_default_scenario_runs_per_second_per_core(throughput):
    assert throughput[1] >= 100
    if default_jobs() >= 2:
        assert throughput[2] / 2 >= 100


def _traced_bytes(scenario, runs: int, jobs: int, path) -> tuple[int, int]:
    """Peak traced memory of the batch's own process for `runs` runs (rows streamed to a file), and what it keeps."""
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        with RowWriter(path, force=True) as writer:
            summary = run_batch(scenario, ["typical"], runs=runs, seed=3, jobs=jobs, on_row=writer.write)
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert summary.strategies["typical"].runs == runs
    return peak - baseline, kept - baseline


@pytest.mark.parametrize("jobs", [1, 2])
def test_memory_stays_flat_as_the_number_of_runs_grows(scenario, tmp_path, jobs):
    runs = 100
    _traced_bytes(scenario, 10, jobs, tmp_path / "warm.csv")
    small_peak, small_kept = _traced_bytes(scenario, runs, jobs, tmp_path / "small.csv")
    large_peak, large_kept = _traced_bytes(scenario, 4 * runs, jobs, tmp_path / "large.csv")
    print(f"\n{jobs} job(s): peak {small_peak / 1024:.0f} KiB at {runs} runs, {large_peak / 1024:.0f} KiB at "
          f"{4 * runs} runs; kept afterwards {small_kept / 1024:.0f} KiB and {large_kept / 1024:.0f} KiB")
    # Nothing is kept per run: the rows go to the file and the statistics are running sums.
    assert large_kept <= small_kept + 32 * 1024
    # The peak is one game's working set plus finished games that wait for the cyclic garbage collector
    # (a game's objects refer to each other); that garbage is freed every hundred runs or so, so the
    # peak stays within a few MiB whatever the number of runs (the check above is the strict one).
    assert large_peak <= small_peak + 3 * 1024 * 1024
