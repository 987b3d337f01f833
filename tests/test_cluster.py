"""Batches on Dask, on loopback: a local cluster started for the batch, an existing one, strategies sent to workers."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.batch.cluster import QUIET_SCHEDULER
from sim.commands.main import main

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).parents[1]
EXAMPLE_STRATEGY = ROOT / "tests" / "fixtures" / "strategies" / "my_strategy.py"
SCENARIO = "tutorial"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def dask_children() -> list[multiprocessing.process.BaseProcess]:
    return [child for child in multiprocessing.active_children() if "Dask" in child.name]


@pytest.fixture(scope="module")
def cluster():
    """An existing cluster of one worker process that has never seen the tests' strategy files."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None, scheduler_kwargs=QUIET_SCHEDULER,
                                  silence_logs=logging.CRITICAL) as running:
        yield running


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's folder, entered after the cluster started, holding a strategy under a name no worker knows."""
    name = f"bot_{os.getpid()}_{time.monotonic_ns()}"
    shutil.copy(EXAMPLE_STRATEGY, tmp_path / f"{name}.py")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path / f"{name}.py"


def test_executor_dask_alone_starts_a_local_cluster_gives_the_same_numbers_and_stops_it(capsys) -> None:
    args = ["batch", SCENARIO, "-s", "idle", "-s", "advisor", "--runs", "8", "--json"]
    code, inline, _err = cli(capsys, *args, "--jobs", "1")
    assert code == 0
    code, on_dask, err = cli(capsys, *args, "--executor", "dask", "--jobs", "2")
    assert code == 0, err
    assert json.loads(on_dask) == json.loads(inline)
    assert err == ""  # no Dask logging, and no progress lines off a terminal
    assert dask_children() == []


def test_a_single_file_strategy_is_uploaded_to_the_workers(capsys, cluster, elsewhere: Path) -> None:
    strategy = f"{elsewhere.stem}:MyStrategy"
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", "typical", "-s", strategy, "--runs", "6", "--json",
                         "--scheduler", cluster.scheduler_address)
    assert code == 0, err
    report = json.loads(out)
    assert report["failed"] == 0 and report["strategies"][strategy]["runs"] == 6
    # The same batch played here, without the cluster, gives the same numbers.
    code, local, err = cli(capsys, "batch", SCENARIO, "-s", "typical", "-s", strategy, "--runs", "6", "--json",
                           "--jobs", "1")
    assert code == 0 and json.loads(local) == report


def test_a_strategy_package_missing_on_the_workers_is_a_clear_error(capsys, cluster, elsewhere: Path) -> None:
    package = elsewhere.parent / f"{elsewhere.stem}_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.move(elsewhere, package / "bots.py")
    code, out, err = cli(capsys, "batch", SCENARIO, "-s", f"{package.name}.bots:MyStrategy", "--runs", "2",
                         "--scheduler", cluster.scheduler_address)
    assert code == 1 and out == ""
    assert f"Strategy module '{package.name}.bots' cannot be imported on 1 Dask worker(s)" in err
    assert "Install it on every worker" in err and "Traceback" not in err


def test_an_unreachable_scheduler_is_a_clear_error(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sim.batch.cluster.CONNECT_TIMEOUT", "0.5s")
    code, _out, err = cli(capsys, "batch", SCENARIO, "--runs", "2", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 1 and "Cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err


def test_ctrl_c_stops_the_local_cluster_and_keeps_the_finished_rows(tmp_path: Path) -> None:
    """Ctrl-C at a terminal signals the whole process group: the batch, its cluster and its workers."""
    rows = tmp_path / "rows.csv"
    command = [sys.executable, "-m", "sim", "batch", "default", "--runs", "5000", "--executor", "dask", "--jobs", "1",
               "--out", str(rows)]
    # The batch gets Ctrl-C's default handling even when these tests run with SIGINT ignored (in the background).
    batch = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not rows.exists() or len(rows.read_text().splitlines()) < 5):
            time.sleep(0.1)
        os.killpg(batch.pid, signal.SIGINT)
        out, err = batch.communicate(timeout=60)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    kept = len(rows.read_text().splitlines()) - 1
    assert batch.returncode == 130 and out == ""
    assert err.strip() == (f"dealdrift batch: interrupted: {kept} of 10000 games are finished and kept in {rows}; "
                           "run the same command with --resume to continue.")
    assert 4 <= kept < 10000
    assert live_workers_of_group(batch.pid) == []  # the cluster's worker processes were stopped, not left behind


def live_workers_of_group(group: int) -> list[int]:
    """Processes of process group `group` that are still running a multiprocessing child (zombies are not)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group and fields[0] != "Z" and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


def test_which_strategy_modules_go_to_the_workers(elsewhere: Path) -> None:
    from sim.batch.cluster import single_file, strategy_modules
    from sim.strategies import Strategy

    class Script(Strategy):  # a class of the running script travels by value
        pass

    Script.__module__ = "__main__"
    package = elsewhere.parent / f"{elsewhere.stem}_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(elsewhere, package / "bots.py")
    modules = strategy_modules(["advisor", f"{elsewhere.stem}:MyStrategy", f"{package.name}.bots:MyStrategy", Script])
    assert [module.__name__ for module in modules] == [elsewhere.stem, f"{package.name}.bots"]
    assert [single_file(module) for module in modules] == [elsewhere, None]
