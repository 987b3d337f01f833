"""Fuzzing the scenario loader: any input loads or gives ScenarioError, quickly, never another exception."""

from __future__ import annotations

import copy
import math
import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario.loader import ScenarioError, check_document, dump_scenario, parse_scenario
from sim.scenario.toml_lines import KeyLines

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
SEEDS = sorted((FIXTURES / "good").glob("*.toml")) + sorted((FIXTURES / "warn").glob("*.toml"))
SEED_TEXTS = [path.read_text(encoding="utf-8-sig") for path in SEEDS]
SEED_DOCUMENTS = [tomllib.loads(text) for text in SEED_TEXTS]

# In CI the examples are derived from the test's name, so a run there is repeatable; locally they vary.
FUZZ = settings(max_examples=150, deadline=1000, suppress_health_check=[HealthCheck.too_slow],
                derandomize=bool(os.environ.get("CI")))

KEYS = st.sampled_from(
    ["scenario", "seller", "accounts", "deals", "events", "stakeholders", "id", "name", "title", "weeks",
     "value", "stage", "role", "kind", "week", "account", "stakeholder", "initiatives", "initiative", "quota",
     "criticality", "influence", "x", "stakholders"]
) | st.text(max_size=8)  # fmt: skip
SCALARS = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.text(max_size=30)
    | st.sampled_from(["acme", "dana", "champion", "crisis", "won", "status_quo", "cost-reduction", ""])
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


def outcome(data: bytes) -> None:
    """Load `data` both ways; anything but a Scenario or a ScenarioError fails the test."""
    scenario, problems = check_document(data, "fuzz.toml")
    assert all(problem.level in ("error", "warning") and str(problem) for problem in problems)
    try:
        loaded = parse_scenario(data, "fuzz.toml")
    except ScenarioError as error:
        assert scenario is None
        assert error.problems and all(problem.level == "error" for problem in error.problems)
        return
    assert loaded == scenario
    assert parse_scenario(dump_scenario(loaded).encode(), "again.toml") == loaded


def dumps(document: dict[str, Any]) -> bytes:
    """`document` as TOML, as a trainer's editor might have saved it."""
    return tomli_w.dumps(document).encode("utf-8")


@FUZZ
@given(DOCUMENTS)
def test_random_documents(document: dict[str, Any]) -> None:
    outcome(dumps(document))


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every table and list in a document."""
    found: list[tuple[Any, ...]] = [path]
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        if isinstance(child, (dict, list)):
            found += _containers(child, (*path, key))
    return found


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


# Drawn values are copied before use: the lists and tables here are shared between examples.
REPLACEMENTS = st.sampled_from(
    [10**16, -1, -(10**20), 2**64, 0, 1.5, -0.5, math.inf, -math.inf, math.nan, 1e308, True, "", "x" * 3000,
     "Acme Corp", "nobody", [], [1, "a"], {}, {"id": "a"}, 3]
) | SCALARS  # fmt: skip


@FUZZ
@given(st.sampled_from(range(len(SEED_DOCUMENTS))), st.data())
def test_mutations_of_good_scenarios(seed: int, data: st.DataObject) -> None:
    document = copy.deepcopy(SEED_DOCUMENTS[seed])
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        container = _at(document, data.draw(st.sampled_from(_containers(document))))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        action = data.draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "add" or not keys:
            if isinstance(container, dict):
                container[data.draw(KEYS)] = copy.deepcopy(data.draw(REPLACEMENTS))
            else:
                container.append(copy.deepcopy(data.draw(REPLACEMENTS)))
            continue
        key = data.draw(st.sampled_from(keys))
        if action == "delete":
            del container[key]
        else:
            container[key] = copy.deepcopy(data.draw(REPLACEMENTS))
    try:
        text = dumps(document)
    except (TypeError, ValueError):  # mixed-type arrays and the like cannot be written in TOML
        return
    outcome(text)


@FUZZ
@given(st.binary(max_size=2000))
def test_garbage_bytes(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(st.sampled_from(SEED_TEXTS), st.data())
def test_damaged_text_of_good_scenarios(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(text)))
    damage = data.draw(st.sampled_from(["truncate", "insert", "delete_line", "duplicate_line"]))
    lines = text.splitlines(keepends=True)
    line = min(position * len(lines) // max(len(text), 1), len(lines) - 1)
    if damage == "truncate":
        text = text[:position]
    elif damage == "insert":
        toml_punctuation = st.sampled_from(list("[]{}\"'=#.,\n\\ax1_ \t"))
        noise = data.draw(st.text(alphabet=toml_punctuation | st.characters(), max_size=12))
        text = text[:position] + noise + text[position:]
    elif damage == "delete_line":
        text = "".join(lines[:line] + lines[line + 1 :])
    else:
        text = "".join(lines[: line + 1] + lines[line:])
    outcome(text.encode("utf-8", errors="surrogatepass"))
    KeyLines(text).line_of(("accounts", 0, "stakeholders", 0, "id"))


@FUZZ
@given(st.text(max_size=500))
def test_the_line_locator_never_fails(text: str) -> None:
    lines = KeyLines(text)
    assert lines.line_of(("deals", 0, "value")) is None or lines.line_of(("deals", 0, "value")) >= 1
