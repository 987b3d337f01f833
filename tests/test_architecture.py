"""The house: the import-linter contracts in pyproject.toml hold, and no module imports itself in a circle."""

from __future__ import annotations

import graphlib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).parents[1]


def test_the_import_contracts_hold(capsys: pytest.CaptureFixture[str]) -> None:
    """`lint-imports` with the contracts of pyproject.toml (the UI, the model's layers, no circles)."""
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "BROKEN" not in report and "KEPT" in report


def import_cycle(graph: grimp.ImportGraph) -> list[str] | None:
    """One circle of imports between modules of the graph (lazy and type-checking imports included), or None."""
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    try:
        graphlib.TopologicalSorter(imports).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_no_module_of_sim_or_tui_is_part_of_an_import_circle() -> None:
    graph = grimp.build_graph("sim", "tui", cache_dir=None)
    assert {"sim.game", "tui.app", "tui.screens.base"} <= graph.modules
    assert import_cycle(graph) is None


def test_a_circle_is_found() -> None:
    graph = grimp.ImportGraph()
    for module in ("house.app", "house.screens", "house.widgets"):
        graph.add_module(module)
    graph.add_import(importer="house.app", imported="house.screens")
    graph.add_import(importer="house.screens", imported="house.widgets")
    assert import_cycle(graph) is None
    graph.add_import(importer="house.widgets", imported="house.app")
    cycle = import_cycle(graph)
    assert cycle is not None and set(cycle) == {"house.app", "house.screens", "house.widgets"}
