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


def test_run_save_writes_the_games_own_save_format(tmp_path, capsys) -> None:
    save = tmp_path / "game.json"
    assert main(["run", "default", "--strategy", "typical", "--seed", "5", "--save", str(save), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    game = sim.Game.load(save)
    assert game.over and game.seed == 5
    assert game.result(strategy="typical").to_dict() == printed
    assert game.result(strategy="typical") == sim.play(sim.load_scenario("default"), "typical", 5)


def test_run_save_never_replaces_a_file_without_force(tmp_path, capsys) -> None:
    save = tmp_path / "game.json"
    save.write_text("my notes", encoding="utf-8")
    assert main(["run", "tutorial", "--save", str(save)]) == 1
    assert "already exists; use --force" in capsys.readouterr().err
    assert save.read_text(encoding="utf-8") == "my notes"
    assert main(["run", "tutorial", "--save", str(save), "--force"]) == 0
    assert sim.Game.load(save).over


def test_run_from_replays_the_weeks_before_and_lets_the_strategy_play_on(tmp_path, capsys) -> None:
    save = tmp_path / "pushy.json"
    assert main(["run", "default", "--strategy", "pusher", "--seed", "3", "--save", str(save)]) == 0
    capsys.readouterr()
    assert main(["run", "--from", str(save), "--week", "4", "--strategy", "advisor", "--json"]) == 0
    taken = json.loads(capsys.readouterr().out)
    # Independently: the pusher's first three weeks, then advisor's choices, week by week.
    source = sim.Game.load(save)
    game = sim.Game(source.scenario, source.seed)
    for turn in source.log[:3]:
        for deal_id, action, target in turn.actions:
            game.act(deal_id, action, target)
        game.end_turn()
    advisor = sim.load_strategy("advisor")(source.seed)
    while not game.over:
        for choice in advisor.choose(game.observe()):
            if game.hours_left <= 0:
                break
            if game.refusal(*choice) is None:
                game.act(*choice)
        game.end_turn()
    assert taken["bookings"] == game.observe().bookings
    assert [deal["ending"] for deal in taken["deals"]] == [deal.ending for deal in game.result().deals]
    assert taken["from"] == {"save": str(save), "week": 4}
    assert main(["run", "--from", str(save), "--week", "4", "--strategy", "advisor"]) == 0
    assert "Weeks 1 to 3 replayed from" in capsys.readouterr().out


def test_run_from_a_week_the_save_never_reached(tmp_path, capsys) -> None:
    save = tmp_path / "short.json"
    game = sim.Game(sim.load_scenario("default"), 1)
    game.end_turn()
    game.save(save)
    assert main(["run", "--from", str(save), "--week", "9"]) == 1
    assert "Week 9 is not in this game: choose a week from 1 to 2." in capsys.readouterr().err
    assert main(["run", "--from", str(tmp_path / "missing.json"), "--week", "1"]) == 1
    assert "Cannot read save file" in capsys.readouterr().err
    damaged = tmp_path / "damaged.json"
    damaged.write_text(save.read_text(encoding="utf-8")[:300], encoding="utf-8")
    assert main(["run", "--from", str(damaged), "--week", "1"]) == 1
    err = capsys.readouterr().err
    assert "is not a Deal Drift save file" in err and "Traceback" not in err


@pytest.mark.parametrize(("args", "message"), [
    (["run", "--from", "x.json"], "--from needs --week K"),
    (["run", "default", "--from", "x.json", "--week", "2"], "a saved game keeps its scenario and seed"),
    (["run", "--from", "x.json", "--week", "2", "--seed", "4"], "a saved game keeps its scenario and seed"),
    (["run", "default", "--week", "2"], "use it with --from SAVE"),
    (["run"], "give a SCENARIO to play, or --from SAVE --week K"),
    (["run", "default", "--force"], "--force only applies to --save FILE"),
])
def test_run_misused_options_exit_2(capsys, args, message) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
