"""Batches: play coaching strategies many times on the same seeded worlds and compare them.

Run i of every strategy uses the same world seed (derived from the batch seed and i),
so strategies meet the same crises and priority shifts and their differences are
paired. Runs are spread over any `concurrent.futures.Executor`; numbers are summed
exactly, so they are the same whatever the number of jobs or the order runs finish.
"""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sim.batch.defaults import DEFAULT_RUNS, DEFAULT_STRATEGIES, default_jobs
from sim.batch.rows import BatchRow, ResumeError, RunFailure
from sim.errors import DealDriftError
from sim.scenario.loader import load_scenario
from sim.scenario.models import Scenario
from sim.batch.statistics import BatchSummary, PairedSummary, ScenarioTally, StrategySummary
from sim.strategies import Strategy, load_strategy, play


StrategySpec = str | type[Strategy]
GameToPlay = tuple[int, int, str, StrategySpec]  # (run, world seed, strategy label, strategy)


def run_seed(seed: int, run: int) -> int:
    """The world seed of run `run` in a batch seeded with `seed`: the same for every strategy."""
    digest = hashlib.blake2b(f"dealdrift-batch:{seed}:{run}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big")


def scenario_digest(scenario: Scenario) -> str:
    """A short fingerprint of a scenario's content, to tell edited scenarios apart."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()[:12]


def strategy_label(strategy: StrategySpec) -> str:
    """The name a strategy goes by in a batch: as given, or `module:Class` for a class."""
    if isinstance(strategy, str):
        return strategy
    return f"{strategy.__module__}:{strategy.__qualname__}"


# -- playing (runs in the workers) ---------------------------------------------------------


def _quiet_worker() -> None:
    """Worker processes leave Ctrl-C to the parent, which stops the batch cleanly.

    What a worker starts with (the modules it inherited) lives as long as it does, so it
    is moved out of the garbage collector's sight: full collections then walk only what
    the games made.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def _describe(error: BaseException) -> str:
    """The error and where it was raised, e.g. `ValueError: boom (my_strategy.py:12 in choose)`."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        last = frames[-1]
        text += f" ({os.path.basename(last.filename)}:{last.lineno} in {last.name})"
    return text


def play_games(scenario: Scenario, digest: str, games: Sequence[GameToPlay]) -> list[Any]:
    """Play each (run, seed, label, strategy) game; a strategy's error becomes a RunFailure."""
    outcomes: list[BatchRow | RunFailure] = []
    for run, seed, label, strategy in games:
        try:
            cls = load_strategy(strategy) if isinstance(strategy, str) else strategy
            result = play(scenario, cls(seed), seed)
            outcomes.append(BatchRow.from_result(result, run, label, digest))
        except (Exception, SystemExit) as error:  # noqa: BLE001 - a strategy's bug is reported, not fatal
            outcomes.append(RunFailure(scenario.scenario.id, run, seed, label, _describe(error)))
    return outcomes


# -- scheduling --------------------------------------------------------------------------------


class InlineExecutor(Executor):
    """Runs each task at once in the calling thread: one job, no processes, Ctrl-C lands here."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run `fn` now and return its finished future."""
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - delivered through the future like any executor
            future.set_exception(error)
        return future


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch is: games (runs x strategies) finished of the total, and how many failed."""

    done: int
    total: int
    failed: int
    started_done: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Games per second in this session."""
        return (self.done - self.started_done) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, or None before the first game finishes."""
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None


def resolve_scenario(scenario: Scenario | str | os.PathLike[str]) -> tuple[Scenario, str]:
    """A Scenario and the name to replay it by (a loaded scenario's id, or the name or path given)."""
    if isinstance(scenario, Scenario):
        return scenario, scenario.scenario.id
    return load_scenario(scenario), os.fspath(scenario)


def check_strategies(strategies: Sequence[StrategySpec]) -> list[str]:
    """The labels of `strategies`, loading each once so a typo fails before any run; raises StrategyError."""
    labels = []
    for strategy in strategies:
        if isinstance(strategy, str):
            load_strategy(strategy)
        elif not (isinstance(strategy, type) and callable(getattr(strategy, "choose", None))):
            raise DealDriftError(f"{strategy!r} is not a strategy: give a name, module:Class or a Strategy subclass.")
        labels.append(strategy_label(strategy))
    if not labels:
        raise DealDriftError("A batch needs at least one strategy.")
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise DealDriftError(f"Strategy {', '.join(repeated)} is given more than once.")
    return labels


def run_batches(
    scenarios: Sequence[Scenario | str | os.PathLike[str]],
    strategies: Sequence[StrategySpec] = DEFAULT_STRATEGIES,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    jobs: int = 1,
    executor: Executor | None = None,
    on_row: Callable[[BatchRow], None] | None = None,
    done: Iterable[BatchRow] = (),
    progress: Callable[[BatchProgress], None] | None = None,
    keep_bookings: bool = False,
) -> list[BatchSummary]:
    """Play every strategy `runs` times on each scenario and summarise, one BatchSummary per scenario.

    `done` holds rows already finished (to resume a batch); they are counted, not replayed.
    Without an executor, `jobs` > 1 starts that many worker processes. `on_row` sees each
    new row as it finishes (in completion order); `progress` is told after each game.
    """
    if runs < 1:
        raise DealDriftError(f"runs must be at least 1, got {runs}.")
    if jobs < 1:
        raise DealDriftError(f"jobs must be at least 1, got {jobs}.")
    labels = check_strategies(strategies)
    tallies = _tallies(scenarios, labels, runs, seed, keep_bookings)
    schedule = _Schedule(tallies, dict(zip(labels, strategies)), runs, seed)
    for row in done:
        schedule.count_done(row)
    own = executor is None
    if executor is None:
        executor = InlineExecutor() if jobs == 1 else _process_pool(jobs)
    inline = isinstance(executor, InlineExecutor)
    window = 1 if inline else jobs * 3  # enough queued work that no worker waits for the parent

    total = len(tallies) * runs * len(labels)
    already = count = schedule.already
    failed = sum(tally.failed for tally in tallies.values())
    started = time.monotonic()

    def report() -> None:
        if progress is not None:
            progress(BatchProgress(count, total, failed, already, time.monotonic() - started))

    in_flight: dict[Future[Any], _Task] = {}
    tasks = schedule.tasks(1 if inline else jobs)
    try:
        report()
        while True:
            while len(in_flight) < window:
                task = next(tasks, None)
                if task is None:
                    break
                tally = tallies[task.scenario_id]
                in_flight[executor.submit(play_games, tally.scenario, task.digest, task.games)] = task
            if not in_flight:
                break
            ready, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in ready:
                task = in_flight.pop(future)
                for outcome in _outcomes(future, task):
                    tallies[task.scenario_id].add(outcome)
                    count += 1
                    if isinstance(outcome, RunFailure):
                        failed += 1
                    elif on_row is not None:
                        on_row(outcome)
                    report()
                schedule.pace(count - already, time.monotonic() - started)
    except BaseException:
        for future in in_flight:
            future.cancel()
        if own:
            executor.shutdown(wait=False, cancel_futures=True)
        raise
    if own:
        executor.shutdown(wait=True)
    return [tally.summary() for tally in tallies.values()]


def _process_pool(jobs: int) -> Executor:
    """A pool of `jobs` worker processes (imported here: multiprocessing is slow to import and often unused)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, initializer=_quiet_worker)


def _tallies(scenarios: Sequence[Scenario | str | os.PathLike[str]], labels: list[str], runs: int, seed: int,
             keep_bookings: bool) -> dict[str, ScenarioTally]:
    """An empty tally per scenario, keyed by scenario id (which must differ)."""
    tallies: dict[str, ScenarioTally] = {}
    for item in scenarios:
        scenario, source = resolve_scenario(item)
        scenario_id = scenario.scenario.id
        if scenario_id in tallies:
            raise DealDriftError(
                f"Two scenarios have the id '{scenario_id}' ({tallies[scenario_id].source} and {source}): "
                "give each its own [scenario] id."
            )
        tallies[scenario_id] = ScenarioTally(scenario, source, labels, runs, seed, keep_bookings)
    if not tallies:
        raise DealDriftError("A batch needs at least one scenario.")
    return tallies


@dataclass(frozen=True)
class _Task:
    """Games of one scenario sent to a worker together."""

    scenario_id: str
    digest: str
    games: list[GameToPlay]


# How long a task of games lasts, once the pace is known, and how many runs the first tasks hold.
TASK_SECONDS = 0.2
FIRST_TASK_RUNS = 2


class _Schedule:
    """Which games are left to play, handed out in chunks that shrink towards the end."""

    def __init__(self, tallies: dict[str, ScenarioTally], specs: dict[str, StrategySpec], runs: int,
                 seed: int) -> None:
        """Plan every run of every strategy on every scenario."""
        self.tallies = tallies
        self.specs = specs
        self.runs = runs
        self.seed = seed
        self.digests = {scenario_id: scenario_digest(tally.scenario) for scenario_id, tally in tallies.items()}
        self.finished: dict[str, set[tuple[int, str]]] = {scenario_id: set() for scenario_id in tallies}
        self.already = 0
        self.runs_per_second = 0.0  # every strategy of a run counted as one run; 0 until games finish

    def count_done(self, row: BatchRow) -> None:
        """Count a row finished earlier (resume) so its game is not played again; raises ResumeError."""
        _check_done(row, self.tallies, self.digests, self.finished, self.seed)
        self.tallies[row.scenario].add(row)
        self.finished[row.scenario].add((row.run, row.strategy))
        self.already += 1

    def pace(self, games: int, seconds: float) -> None:
        """Tell the schedule how fast games finish (all workers together), to size the tasks still to come."""
        if games > 0 and seconds > 0:
            self.runs_per_second = games / len(self.specs) / seconds

    def tasks(self, jobs: int) -> Iterator[_Task]:
        """The games left, runs (every strategy of a run together) grouped into tasks.

        A task lasts about TASK_SECONDS once the pace is known: sending a task and its rows
        back costs the parent about a millisecond, whatever its length. Towards the end
        tasks shrink, so the workers finish together.
        """
        labels = list(self.specs)
        left = len(self.tallies) * self.runs - self.already // len(labels)  # runs left, roughly

        def size() -> int:
            if jobs == 1:
                return 1
            paced = int(self.runs_per_second / jobs * TASK_SECONDS) if self.runs_per_second else FIRST_TASK_RUNS
            return max(1, min(paced, left // (jobs * 4)))

        for scenario_id, finished in self.finished.items():
            games: list[GameToPlay] = []
            runs_in_task, wanted = 0, size()
            for run in range(self.runs):
                world = run_seed(self.seed, run)
                missing = [(run, world, label, self.specs[label]) for label in labels if (run, label) not in finished]
                if missing:
                    games += missing
                    runs_in_task += 1
                if runs_in_task == wanted:
                    left -= runs_in_task
                    yield _Task(scenario_id, self.digests[scenario_id], games)
                    games, runs_in_task, wanted = [], 0, size()
            if games:
                left -= runs_in_task
                yield _Task(scenario_id, self.digests[scenario_id], games)


def _check_done(row: BatchRow, tallies: dict[str, ScenarioTally], digests: dict[str, str],
                finished: dict[str, set[tuple[int, str]]], seed: int) -> None:
    """Refuse a finished row that belongs to another batch; raises ResumeError."""
    tally = tallies.get(row.scenario)
    where = f"run {row.run} of {row.strategy} on {row.scenario}"
    if tally is None:
        raise ResumeError(f"{where} is not from this batch's scenarios ({', '.join(tallies)}).")
    if row.scenario_digest != digests[row.scenario]:
        raise ResumeError(f"{where} was played on a different version of scenario '{row.scenario}'.")
    if row.strategy not in tally.strategies:
        raise ResumeError(f"{where}: '{row.strategy}' is not one of this batch's strategies "
                          f"({', '.join(tally.labels)}).")
    if not 0 <= row.run < tally.runs:
        raise ResumeError(f"{where} is past this batch's {tally.runs} runs.")
    if row.seed != run_seed(seed, row.run):
        raise ResumeError(f"{where} was played with a different --seed (this batch uses {seed}).")
    if (row.run, row.strategy) in finished[row.scenario]:
        raise ResumeError(f"{where} appears twice.")


def _outcomes(future: Future[Any], task: _Task) -> list[Any]:
    """A chunk's rows; if the chunk itself failed (e.g. a strategy that cannot be sent), a failure per game."""
    try:
        return list(future.result())
    except BrokenExecutor:
        raise DealDriftError(
            "A worker process stopped unexpectedly (out of memory, or a strategy that ended its process "
            "with os._exit or a crash), so the batch cannot go on."
        ) from None
    except Exception as error:  # noqa: BLE001 - any executor's error for this chunk is reported per game
        reason = _describe(error)
        return [RunFailure(task.scenario_id, run, world, label, reason) for run, world, label, _ in task.games]


@contextmanager
def open_executor(
    kind: str = "process",
    jobs: int | None = None,
    scheduler: str | None = None,
    strategies: Sequence[StrategySpec] = (),
    on_start: Callable[[str], None] | None = None,
) -> Iterator[tuple[Executor | None, int]]:
    """An executor for `kind` (process, thread or dask) and how many games it plays at once.

    For processes the executor is None: `run_batches` starts (and stops) its own pool of
    `jobs` (default: every core). For dask, see `sim.batch.cluster.dask_executor`: a local
    cluster, or the one at `scheduler`, with the modules of `strategies` on its workers.
    """
    if kind == "process":
        yield None, jobs or default_jobs()
    elif kind == "thread":
        with ThreadPoolExecutor(jobs or default_jobs(), thread_name_prefix="dealdrift-batch") as pool:
            yield pool, jobs or default_jobs()
    elif kind == "dask":
        from sim.batch.cluster import dask_executor  # Dask is optional and slow to import

        with dask_executor(scheduler, jobs, strategies, on_start) as (executor, games_at_once):
            yield executor, games_at_once
    else:
        raise DealDriftError(f"Unknown executor '{kind}': expected process, thread or dask.")


def run_batch(
    scenario: Scenario | str | os.PathLike[str],
    strategies: Sequence[StrategySpec] = DEFAULT_STRATEGIES,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    jobs: int = 1,
    executor: Executor | None = None,
    on_row: Callable[[BatchRow], None] | None = None,
    done: Iterable[BatchRow] = (),
    progress: Callable[[BatchProgress], None] | None = None,
    keep_bookings: bool = False,
) -> BatchSummary:
    """Play each strategy `runs` times on the same seeded worlds of one scenario and summarise."""
    return run_batches([scenario], strategies, runs, seed, jobs, executor, on_row, done, progress,
                       keep_bookings)[0]


__all__ = ["DEFAULT_RUNS", "DEFAULT_STRATEGIES", "BatchProgress", "BatchRow", "BatchSummary", "InlineExecutor",
           "PairedSummary", "ResumeError", "RunFailure", "StrategySummary", "default_jobs", "open_executor",
           "run_batch", "run_batches", "run_seed"]
