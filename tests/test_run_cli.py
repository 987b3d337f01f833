"""`dealdrift run`: exit codes, the human summary and the JSON shape."""

from __future__ import annotations

import json

import pytest

import sim
from sim.commands.main import main


def test_run_prints_a_summary(capsys) -> None:
    assert main(["run", "tutorial", "--strategy", "advisor", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "tutorial · strategy advisor · seed 4" in out
    assert "Bookings" in out and "quota 60,000" in out


def test_run_json_has_the_documented_shape(capsys) -> None:
    assert main(["run", "default", "--strategy", "typical", "--seed", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("scenario", "seed", "strategy", "bookings", "quota", "trust", "counts", "deals"):
        assert key in data
    assert (data["scenario"], data["seed"], data["strategy"]) == ("default", 2, "typical")
    assert set(data["counts"]) == {"won", "lost", "no_decision", "rejected", "open"}
    assert sum(data["counts"].values()) == len(data["deals"]) == 10
    for deal in data["deals"]:
        assert {"id", "value", "ending", "closed_day", "stages", "explanation"} <= set(deal)
        assert (deal["closed_day"] is None) == (deal["ending"] == "open")
        assert all(isinstance(day, float) and isinstance(stage, str) for day, stage in deal["stages"])
        assert deal["explanation"]


def test_run_is_deterministic(capsys) -> None:
    main(["run", "default", "--seed", "8", "--json"])
    first = capsys.readouterr().out
    main(["run", "default", "--seed", "8", "--json"])
    assert capsys.readouterr().out == first


@pytest.mark.parametrize(("args", "message"), [
    (["run", "no-such-scenario"], "no such file or bundled scenario"),
    (["run", "default", "--strategy", "sneaky"], "Unknown strategy 'sneaky'"),
    (["run", "default", "--strategy", "no_such_module:Bot"], "Cannot import strategy module"),
])
def test_bad_input_gets_a_message_and_exit_1(capsys, args, message) -> None:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "default", "--seed", "many"])
    assert exit_info.value.code == 2


def test_a_user_strategy_that_raises_is_reported_with_its_seed(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "broken_bot.py").write_text(
        "from sim import Strategy\n"
        "class Broken(Strategy):\n"
        "    def choose(self, observation):\n"
        "        raise RuntimeError('oops')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["run", "tutorial", "--strategy", "broken_bot:Broken", "--seed", "3"]) == 1
    assert "failed with seed 3: RuntimeError: oops" in capsys.readouterr().err


def test_the_front_door_is_small_and_sorted() -> None:
    assert sim.__all__ == sorted(sim.__all__)
    assert sim.__all__ == [
        "ActionRefused", "BatchSummary", "DealDriftError", "DealResult", "DealView", "Game", "GameOver",
        "Observation", "RunResult", "SaveError", "Scenario", "ScenarioError", "Strategy", "StrategyError",
        "load_scenario", "load_strategy", "play", "run_batch",
    ]
