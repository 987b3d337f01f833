"""What each entry point loads: `import sim`, `dealdrift run` and the game leave out what they do not use.

Each check runs in a fresh interpreter, so modules imported by other tests cannot hide a regression.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

# Loaded by none of the three: the batch machinery, its statistics, the cluster and plotting libraries.
BATCH = ["sim.batch.run", "sim.batch.statistics", "sim.batch.rows", "sim.batch.output", "sim.batch.plots",
         "sim.batch.balance", "sim.batch.cluster", "dask", "distributed", "matplotlib", "multiprocessing"]


def loaded_after(code: str, tmp_path: Path) -> set[str]:
    """The names in sys.modules after running `code` in a fresh interpreter."""
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    # The data folder is the test's own (tests/conftest.py): a player who has seen the column legend.
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_import_sim_loads_the_model_and_the_game_only(tmp_path: Path) -> None:
    loaded = loaded_after("import sim", tmp_path)
    assert {"sim.game", "sim.model.world", "simpy", "transitions"} <= loaded
    heavy = [*BATCH, "sim.commands", "sim.strategies", "sim.scenario.loader", "sim.scenario.models", "pydantic",
             "tomli_w", "concurrent.futures", "statistics", "textual", "tui"]
    assert sorted(loaded & set(heavy)) == []


def test_the_lazy_names_of_sim_still_work(tmp_path: Path) -> None:
    code = """
        import sim
        from sim import *
        scenario = sim.load_scenario("tutorial")
        assert isinstance(scenario, sim.Scenario) and issubclass(sim.ScenarioError, sim.DealDriftError)
        assert sim.play(scenario, "idle", seed=1).strategy == "idle" and issubclass(Strategy, object)
        assert sim.load_strategy("advisor").__mro__[1] is sim.Strategy
        assert sim.run_batch("tutorial", ["idle"], runs=1).strategies["idle"].runs == 1
        assert sim.BatchSummary.__name__ == "BatchSummary" and set(sim.__all__) <= set(dir(sim))
    """
    assert "sim.batch.run" in loaded_after(code, tmp_path)


def test_dealdrift_run_does_not_load_the_batch_machinery(tmp_path: Path) -> None:
    loaded = loaded_after("""
        from tui.cli import main
        assert main(["run", "tutorial", "--seed", "1", "--json"]) == 0
    """, tmp_path)
    assert "sim.strategies" in loaded
    assert sorted(loaded & {*BATCH, "concurrent.futures", "statistics", "textual"}) == []


def test_the_game_does_not_load_the_batch_machinery(tmp_path: Path) -> None:
    loaded = loaded_after("""
        import asyncio
        from tui.app import DealDriftApp
        from tui.screens.pipeline import PipelineScreen

        async def play():
            app = DealDriftApp()
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.press("enter", "enter")
                await pilot.pause()
                assert isinstance(app.screen, PipelineScreen), app.screen
                await pilot.press("space", "enter", "question_mark")
                await pilot.pause()

        asyncio.run(play())
    """, tmp_path)
    assert "textual" in loaded
    assert sorted(loaded & set(BATCH)) == []


def test_the_game_starts_without_the_scenario_format_or_the_class_store(tmp_path: Path) -> None:
    # What `dealdrift` loads before its picker shows: the picker lists the scenarios from their
    # cards and checks them (loading pydantic) in a worker once the list is on screen.
    loaded = loaded_after("""
        from tui.cli import build_parser
        build_parser()
        from tui.app import DealDriftApp
    """, tmp_path)
    assert {"textual.app", "tui.screens.picker", "sim.scenario.bundle"} <= loaded
    assert sorted(loaded & {"pydantic", "sim.scenario.models", "sim.scenario.loader", "sim.classroom.store",
                            "sim.classroom.report"}) == []


@pytest.mark.parametrize("command", [["run", "--help"], ["batch", "--help"], ["scenario", "balance", "--help"]])
def test_the_command_line_registers_every_command_without_the_batch_machinery(tmp_path: Path,
                                                                             command: list[str]) -> None:
    loaded = loaded_after(f"""
        from tui.cli import main
        try:
            main({command!r})
        except SystemExit as stop:
            assert stop.code == 0
    """, tmp_path)
    assert sorted(loaded & {*BATCH, "textual"}) == []
