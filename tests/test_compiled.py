"""The engine runs compiled when its build is current, and from its Python source otherwise: never old code."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import sim
from sim import compiled

ROOT = Path(__file__).parent.parent


def _engine(**environment: str) -> dict[str, str]:
    """How a fresh process runs the engine: `sim.ENGINE` and where the world's module was loaded from."""
    script = "import json, sim, sim.model.world as w; print(json.dumps({'engine': sim.ENGINE, 'world': w.__file__}))"
    inherited = {name: value for name, value in os.environ.items() if name != "DEALDRIFT_PURE_PYTHON"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True,
                          cwd=ROOT, env={**inherited, **environment})
    return {**json.loads(done.stdout), "stderr": done.stderr}


def test_a_current_build_is_the_engine_that_runs() -> None:
    built = compiled._compiled_modules()
    if not built:
        pytest.skip(f"the engine was not compiled at install: {sim.ENGINE}")
    assert "sim.model.world" in built and "sim.game" in built
    if compiled._changed_since_built(built):
        pytest.skip(f"a source changed since the build: {sim.ENGINE}")
    shown = _engine()
    assert shown["engine"] == f"compiled ({len(built)} modules)"
    assert not shown["world"].endswith(".py") and shown["stderr"] == ""


def test_deal_drift_pure_python_runs_every_module_from_its_source() -> None:
    shown = _engine(DEALDRIFT_PURE_PYTHON="1")
    assert shown["world"].endswith("world.py")
    assert shown["engine"].startswith("Python source")


def _fake_build(folder: Path, name: str, built_age: float) -> tuple[Path, Path]:
    """A module's source and a stand-in for its compiled build, the build `built_age` seconds older."""
    source, built = folder / f"{name}.py", folder / f"{name}{EXTENSION_SUFFIXES[0]}"
    source.write_text("", encoding="utf-8")
    built.write_bytes(b"")
    now = source.stat().st_mtime
    os.utime(built, (now - built_age, now - built_age))
    return source, built


def test_only_a_source_edited_after_its_build_counts_as_changed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    edited, _ = _fake_build(tmp_path, "edited", built_age=60)
    _fake_build(tmp_path, "fresh", built_age=0.5)  # an install writes the source just after the build
    (tmp_path / "plain.py").write_text("", encoding="utf-8")  # never compiled
    monkeypatch.setattr(compiled, "_PACKAGES", {"pkg": tmp_path})
    found = compiled._compiled_modules()
    assert sorted(found) == ["pkg.edited", "pkg.fresh"]
    assert compiled._changed_since_built(found) == [edited]


def test_the_source_finder_loads_a_module_from_its_source_beside_a_build(tmp_path: Path) -> None:
    source = tmp_path / "beside.py"
    source.write_text("WHERE = 'source'\n", encoding="utf-8")
    (tmp_path / f"beside{EXTENSION_SUFFIXES[0]}").write_bytes(b"")  # a build that must not be loaded
    spec = compiled._FromSource({"beside": source}).find_spec("beside")
    assert spec is not None and spec.origin == str(source) and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.WHERE == "source"
    assert compiled._FromSource({"beside": source}).find_spec("elsewhere") is None


def test_a_plain_python_strategy_can_extend_a_compiled_bot() -> None:
    from sim.scenario.loader import load_scenario
    from sim.strategies import Advisor, play

    class Echo(Advisor):
        """Advisor's own choices, counted: `super()` reaches the compiled method."""

        name = "echo"
        turns = 0

        def choose(self, observation):  # noqa: ANN001, ANN201 - as a user would write it
            Echo.turns += 1
            return super().choose(observation)

    class Silent(Advisor):
        """Advisor's forecast calls, but no actions: the override replaces the compiled method."""

        name = "silent"

        def choose(self, observation):  # noqa: ANN001, ANN201
            return []

    scenario = load_scenario("default")
    echo = play(scenario, Echo(3), 3)
    assert echo.strategy == "echo" and Echo.turns >= 8  # one call a turn; this game ends in week 11
    assert echo.counts == play(scenario, "advisor", 3).counts
    assert play(scenario, Silent(3), 3).counts == play(scenario, "idle", 3).counts
    assert play(scenario, "idle", 3).counts != echo.counts
