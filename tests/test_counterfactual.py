"""Every counterfactual in the debrief is checked against games played independently of the code that made it.

Games by `pusher` and `typical` are saved with `dealdrift run --save`; their debrief
comes from `dealdrift debrief --format json`. Then, for every deal:

- the turning point is recomputed here, week by week, with the Game API and a fresh
  `advisor` (the definition in the README);
- the take-over is played with `dealdrift run --from SAVE --week K --strategy advisor`;
- the single change is replayed here from the edited log.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.commands.main import main as engine_main
from sim.game import Game
from sim.scenario.loader import load_scenario
from sim.strategies import Advisor, play
from tui.cli import main

CASES = [("pusher", "default", 1), ("pusher", "default", 2), ("typical", "default", 1), ("typical", "default", 2),
         ("typical", "enterprise", 3)]


def _run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def _saved_and_debriefed(tmp_path: Path, capsys: pytest.CaptureFixture[str], strategy: str, seed: int,
                         scenario: str = "default") -> tuple[Path, dict]:
    """A game played with `dealdrift run --save`, and its `dealdrift debrief --format json`."""
    save = tmp_path / f"{strategy}-{scenario}-{seed}.json"
    assert engine_main(["run", scenario, "--strategy", strategy, "--seed", str(seed), "--save", str(save)]) == 0
    capsys.readouterr()
    return save, _run_json(capsys, ["debrief", str(save), "--format", "json"])


def _advisor_week(game: Game, advisor: Advisor) -> list[tuple[str, str]]:
    """What advisor queues this week from the game's observation, undone afterwards."""
    chosen: list[tuple[str, str]] = []
    for choice in advisor.choose(game.observe()):
        if game.hours_left <= 0:
            break
        if game.refusal(*choice) is None:
            game.act(*choice)
            chosen.append(choice[:2])
    while game.queued:
        game.cancel(len(game.queued) - 1)
    return chosen


def _turning_week(saved: Game, deal_id: str) -> int | None:
    game = Game(saved.scenario, saved.seed)
    advisor = Advisor(saved.seed)
    for week, turn in enumerate(saved.log, start=1):
        if not game.observe().deal(deal_id).open:
            return None
        would = {action for deal, action in _advisor_week(game, advisor) if deal == deal_id}
        if {action for deal, action, _ in turn.actions if deal == deal_id} != would:
            return week
        for choice in turn.actions:
            game.act(*choice)
        game.end_turn()
    return None


def _changed_ending(saved: Game, deal_id: str, change: dict) -> str:
    turns = [list(turn.actions) for turn in saved.log]
    week = change["week"] - 1
    if change["kind"] == "add":
        turns[week].insert(0, (deal_id, change["action"], None))
    else:
        turns[week].remove(next(entry for entry in turns[week] if entry[:2] == (deal_id, change["action"])))
    game = Game(saved.scenario, saved.seed)
    dropped = []
    for number, turn in enumerate(turns):
        if game.over:
            break
        for choice in turn:
            if game.refusal(*choice) is None:
                game.act(*choice)
            elif number == week:
                dropped.append(list(choice))
        game.end_turn()
    assert dropped == change["dropped"]
    while not game.over:
        game.end_turn()
    return game.observe().deal(deal_id).ending or "open"


@pytest.mark.parametrize(("strategy", "scenario", "seed"), CASES)
def test_every_counterfactual_matches_an_independent_take_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], strategy: str, scenario: str, seed: int
) -> None:
    save, debrief = _saved_and_debriefed(tmp_path, capsys, strategy, seed, scenario)
    saved = Game.load(save)
    checked = 0
    for deal in debrief["deals"]:
        turning = _turning_week(saved, deal["id"]) if deal["ending"] != "won" else None
        if deal["ending"] == "won":
            assert deal["counterfactual"] is None and deal["turning_point"] is None
            continue
        assert (deal["turning_point"] or {}).get("week") == turning, deal["id"]
        if turning is None:
            assert deal["counterfactual"] is None
            continue
        counterfactual = deal["counterfactual"]
        assert counterfactual["from_week"] == turning and counterfactual["strategy"] == "advisor"
        taken = _run_json(capsys, ["run", "--from", str(save), "--week", str(turning), "--strategy", "advisor",
                                   "--json"])
        assert taken["from"] == {"save": str(save), "week": turning}
        ending = next(row["ending"] for row in taken["deals"] if row["id"] == deal["id"])
        assert counterfactual["ending"] == ending, deal["id"]
        if deal["single_change"] is not None:
            assert deal["single_change"]["ending"] == "won"
            assert _changed_ending(saved, deal["id"], deal["single_change"]) == "won"
        checked += 1
    assert checked > 0  # these games lose deals: there must be something to check


def test_the_same_world_is_what_the_bots_book_on_that_scenario_and_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, debrief = _saved_and_debriefed(tmp_path, capsys, "pusher", 5)
    scenario = load_scenario("default")
    assert set(debrief["same_world"]) == {"advisor", "typical"}
    for name, played in debrief["same_world"].items():
        expected = play(scenario, name, 5)
        assert played["bookings"] == expected.bookings
        assert played["endings"] == {deal.id: deal.ending for deal in expected.deals}


def test_the_json_debrief_has_the_documented_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save, data = _saved_and_debriefed(tmp_path, capsys, "typical", 2)
    assert {"scenario", "seed", "bookings", "quota", "same_world", "deals"} <= set(data)
    for bot in data["same_world"].values():
        assert set(bot) >= {"bookings", "endings"}
    result = Game.load(save).result()
    assert [deal["id"] for deal in data["deals"]] == [deal.id for deal in result.deals]
    for deal, source in zip(data["deals"], result.deals, strict=True):
        assert {"id", "ending", "lesson_key", "causes", "counterfactual"} <= set(deal)
        assert deal["ending"] == source.ending
        assert deal["lesson_key"] == (source.lesson_key or None)
        assert deal["causes"] == [{"day": round(cause.day, 1), "fact": cause.fact, "kind": cause.kind}
                                  for cause in source.causes]
        if deal["counterfactual"] is not None:
            assert set(deal["counterfactual"]) == {"from_week", "strategy", "ending"}


def test_a_player_who_did_what_advisor_does_has_no_turning_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, data = _saved_and_debriefed(tmp_path, capsys, "advisor", 4)
    assert any(deal["ending"] != "won" for deal in data["deals"])
    assert all(deal["turning_point"] is None and deal["counterfactual"] is None for deal in data["deals"])


def test_an_unfinished_game_plays_counterfactuals_only_for_deals_that_have_ended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    game = Game(load_scenario("default"), 1)
    bot = Advisor(1)
    from sim.replay import queue_choices

    for _ in range(6):
        queue_choices(game, bot)
        game.end_turn()
    save = game.save(tmp_path / "running.json")
    data = _run_json(capsys, ["debrief", str(save), "--format", "json"])
    assert data["finished"] is False
    for deal in data["deals"]:
        if deal["ending"] == "open":
            assert deal["counterfactual"] is None and deal["turning_point"] is None
