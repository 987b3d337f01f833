"""Batches on Dask: a local cluster sized to the machine, or an existing cluster, with user strategies on its workers.

Every worker needs `sim`: install this project on each (with its `dask` extra). A
user strategy given as `module:Class` is uploaded to the workers when its module is a
single file; a strategy that lives in a package must be installed on every worker.
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sim.batch.defaults import default_jobs
from sim.errors import DealDriftError
from sim.strategies import BUILT_IN, Strategy, load_strategy

if TYPE_CHECKING:
    from dask.distributed import Client

CONNECT_TIMEOUT = "10s"  # how long to wait for a scheduler, as Dask reads durations
# No dashboard; the scheduler's own HTTP endpoints go to a free port, not 8787 (which another cluster may hold).
QUIET_SCHEDULER = {"dashboard_address": "127.0.0.1:0"}


@contextmanager
def dask_executor(
    scheduler: str | None = None,
    jobs: int | None = None,
    strategies: Sequence[str | type[Strategy]] = (),
    on_start: Callable[[str], None] | None = None,
) -> Iterator[tuple[Executor, int]]:
    """An executor on a Dask cluster and how many games it plays at once; the cluster's client is closed after.

    Without `scheduler`, starts a local cluster of `jobs` worker processes (default: one per
    core), one thread each, and stops it after, also on Ctrl-C. With `scheduler`, joins that
    cluster; `jobs` defaults to its worker threads. The modules of `strategies` given as
    `module:Class` (or as classes) are made available to the workers first. `on_start(text)`
    is told what is happening while the cluster starts or is joined.
    """
    tell = on_start or (lambda _text: None)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise DealDriftError(
            "--executor dask needs dask.distributed, which is not installed: pip install 'dealdrift[dask]'"
        ) from None
    with ExitStack() as stack:
        if scheduler is None:
            workers = jobs or default_jobs()
            tell(f"starting a local Dask cluster of {workers} worker processes")
            with _workers_ignore_ctrl_c():
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, scheduler_kwargs=QUIET_SCHEDULER,
                                       silence_logs=logging.CRITICAL)
            stack.callback(_quietly, cluster.close)
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as error:
                raise DealDriftError(f"Cannot reach the Dask scheduler at {scheduler}: {error}") from None
        stack.callback(_quietly, client.close)
        send_strategies(client, strategies)
        threads = sum(client.nthreads().values()) or 1
        if scheduler is not None:
            tell(f"running on the Dask cluster at {scheduler}: {len(client.nthreads())} workers, {threads} threads")
        yield client.get_executor(pure=False), jobs or threads


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Processes started inside inherit an ignored SIGINT (this process ignores it meanwhile).

    Ctrl-C at a terminal reaches every process of the foreground group: the batch, here,
    stops cleanly and closes the cluster; the workers must not die first with a traceback.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are left as they are
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _quietly(close: Callable[[], object]) -> None:
    """Close a client or cluster without letting Dask's shutdown chatter reach the terminal."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        close()
    finally:
        logger.setLevel(level)


def strategy_modules(strategies: Sequence[str | type[Strategy]]) -> list[ModuleType]:
    """The user modules that `strategies` come from (built-in strategies need none); raises StrategyError."""
    modules: dict[str, ModuleType] = {}
    for strategy in strategies:
        if isinstance(strategy, str):
            if strategy in BUILT_IN:
                continue
            cls = load_strategy(strategy)
        else:
            cls = strategy
        name = cls.__module__
        # Dask sends classes of the running script (__main__) by value; sim is on every worker.
        if name != "__main__" and name.split(".")[0] != "sim":
            modules[name] = sys.modules.get(name) or importlib.import_module(name)
    return list(modules.values())


def single_file(module: ModuleType) -> Path | None:
    """The file of a module that is one `.py` file at the top level (so a worker can import it alone), else None."""
    path = getattr(module, "__file__", None)
    is_package = getattr(module.__spec__, "submodule_search_locations", None) is not None
    if path is None or is_package or "." in module.__name__ or not path.endswith(".py"):
        return None
    return Path(path)


def send_strategies(client: Client, strategies: Sequence[str | type[Strategy]]) -> None:
    """Upload each single-file strategy module to the cluster, then check every worker can import each module."""
    for module in strategy_modules(strategies):
        path = single_file(module)
        if path is not None:
            try:
                client.upload_file(str(path))
            except Exception as error:  # noqa: BLE001 - any failure on the workers is reported in one line
                raise DealDriftError(f"Cannot send strategy module {path} to the Dask workers: "
                                     f"{type(error).__name__}: {error}") from None
        problems = {worker: problem for worker, problem in client.run(import_problem, module.__name__).items()
                    if problem is not None}
        if problems:
            worker, problem = sorted(problems.items())[0]
            raise DealDriftError(
                f"Strategy module '{module.__name__}' cannot be imported on {len(problems)} Dask worker(s) "
                f"(on {worker}: {problem}). Install it on every worker (pip install the package that holds it), "
                "or give the strategy as a module that is a single .py file, which is uploaded to the workers."
            )


def import_problem(name: str) -> str | None:
    """Why module `name` cannot be imported here (run on each worker), or None when it can."""
    try:
        importlib.import_module(name)
    except Exception as error:  # noqa: BLE001 - reported back to the batch as text
        return f"{type(error).__name__}: {error}"
    return None
