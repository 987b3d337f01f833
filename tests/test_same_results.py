"""The engine plays the same games it always did: a digest of every game in a fixed set, against a fixture.

Each game in the set (every built-in strategy, seeds 0..19, on every bundled scenario;
small worlds that start in every stage with every kind of scripted event; a few
large synthetic worlds) is played turn by turn as `sim.play` plays it. Three digests
are kept for each: the result (`RunResult.to_dict()`, causes and debrief included),
every observation the bot saw plus the final one, and the whole event feed. A change
that alters any of them fails here; the fixture is only rewritten on purpose, when
the model itself changes, with `python tests/test_same_results.py`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from sim.game import Game
from sim.observation import Observation
from sim.scenario.loader import load_scenario
from sim.scenario.models import Scenario
from sim.stages import STAGES
from sim.strategies import BUILT_IN, play, play_turn

sys.path.insert(0, str(Path(__file__).parent / "bench"))
from synthetic import synthetic  # noqa: E402

from worlds import scenario  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "same_results.json"
BUNDLED = ("tutorial", "default", "enterprise")
SEEDS = range(20)
# Every kind of scripted event, with the named details the random ones never give.
SCRIPTED = [
    {"week": 2, "account": "acme", "kind": "stakeholder_leaves", "stakeholder": "p0", "text": "Person 0 left."},
    {"week": 3, "account": "acme", "kind": "priority_shift", "initiatives": ["growth"], "text": ""},
    {"week": 4, "account": "acme", "kind": "budget_freeze", "severity": 0.5, "text": ""},
    {"week": 6, "account": "acme", "kind": "crisis", "severity": 0.8, "text": "A recall."},
    {"week": 8, "account": "acme", "kind": "stakeholder_leaves", "text": ""},
]


def _worlds() -> Iterator[tuple[str, Scenario, tuple[str, ...], range]]:
    """(name, scenario, strategies, seeds) of every world in the set."""
    for name in BUNDLED:
        yield name, load_scenario(name), tuple(BUILT_IN), SEEDS
    for stage in STAGES:
        world = scenario(stage=stage, group=5, crisis_rate=0.3, shift_rate=0.2, events=SCRIPTED)
        yield f"small-{stage}", world, ("advisor", "random"), range(3)
    yield "synthetic-150x26", synthetic(150, weeks=26), ("advisor", "random"), range(1)
    yield "synthetic-60x52", synthetic(60, weeks=52, deals_per_account=3), ("typical", "pusher"), range(1)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: object) -> object:
    """A JSON-ready copy of an observation's records (dataclass fields by name, tuples as lists)."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if hasattr(kind, "_fields"):  # a named tuple: by field name, as a dataclass
        return {name: _plain(getattr(value, name)) for name in kind._fields}  # type: ignore[attr-defined]
    if kind in (list, tuple) or isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(item) for item in value]  # type: ignore[union-attr]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}  # type: ignore[union-attr]
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"cannot digest a {kind.__name__}")
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


def _digest(data: object) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def digests(world: Scenario, strategy: str, seed: int, every_turn: bool = True) -> dict[str, str]:
    """Play one game as `sim.play` does and digest its result, its observations and the whole feed.

    The observations are every turn's and the final one, or the final one only unless `every_turn`.
    """
    game = Game(world, seed)
    bot = BUILT_IN[strategy](game.seed)
    seen: list[object] = []
    feed: list[object] = []

    def look() -> Observation:
        observation = game.observe()
        if every_turn or game.over:
            seen.append(_plain(observation))
        return observation

    feed.extend(_plain(look().feed))
    while not game.over:
        play_turn(game, bot)
        game.end_turn()
        feed.extend(_plain(look().feed))
    result = game.result(strategy=strategy)
    return {"result": _digest(result.to_dict()), "observations": _digest(seen), "feed": _digest(feed)}


def measure() -> dict[str, dict[str, str]]:
    """The digests of every game in the set, keyed `world/strategy/seed` (every turn's observations up to seed 4)."""
    return {
        f"{name}/{strategy}/{seed}": digests(world, strategy, seed, every_turn=seed < 5 and len(world.deals) < 50)
        for name, world, strategies, seeds in _worlds() for strategy in strategies for seed in seeds
    }


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, str]]:
    return measure()


def test_every_game_in_the_set_plays_as_recorded(measured: dict[str, dict[str, str]]) -> None:
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert measured.keys() == expected.keys()
    changed = [key for key in expected if measured[key] != expected[key]]
    assert not changed, f"{len(changed)} of {len(expected)} games changed, e.g. {changed[:5]}"


def test_the_digest_sees_a_change_in_one_game() -> None:
    world = load_scenario("default")
    same = digests(world, "advisor", 3)
    assert digests(world, "advisor", 3) == same
    other = digests(world, "advisor", 4)
    assert all(other[part] != same[part] for part in same)


def test_play_gives_the_result_the_set_digests() -> None:
    world = load_scenario("enterprise")
    for strategy in ("advisor", "random"):
        assert _digest(play(world, strategy, 7).to_dict()) == digests(world, strategy, 7)["result"]


def test_the_engine_from_its_source_plays_the_same_games() -> None:
    # The suite runs the engine as installed: compiled by mypyc where the install could. The
    # Python source must play the very same games, so the set is played again from it.
    environment = {**os.environ, "DEALDRIFT_PURE_PYTHON": "1"}
    script = ("import json, sim, test_same_results as t; "
              "print(json.dumps([sim.ENGINE, t.measure() == json.loads(t.FIXTURE.read_text(encoding='utf-8'))]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).parent, env=environment, check=True)
    engine, same = json.loads(done.stdout)
    assert engine.startswith("Python source")
    assert same


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(measure(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}")
