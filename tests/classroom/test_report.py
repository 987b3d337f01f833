"""The class report: figures of games whose results are known, the bots on the same world, every format."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from class_support import play_game, write_save

from sim.classroom.figures import Figures
from sim.classroom.recorder import Recorder
from sim.classroom.render import render
from sim.classroom.report import ClassReport, PlayerLine, build_report, ranked
from sim.classroom.store import ClassRecord, ClassStore
from sim.scenario.loader import load_scenario
from tui.cli import main

SEED = 3


def run_json(strategy: str, seed: int, scenario: str = "default") -> dict:
    """`dealdrift run` in its own process: an independent account of what a bot books."""
    done = subprocess.run([sys.executable, "-m", "tui.cli", "run", scenario, "--strategy", strategy, "--seed", str(seed),
                           "--json"], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


@pytest.fixture
def default_class(store: ClassStore) -> ClassRecord:
    """A class on the default scenario with seed 3."""
    return store.create_class("tuesday", load_scenario("default"), SEED)


@pytest.fixture
def played(store: ClassStore, default_class: ClassRecord, tmp_path: Path) -> dict[str, object]:
    """Three players: one played like the advisor bot (in the browser), one like typical (imported), one mid-game."""
    scenario = default_class.scenario
    games = {}
    ana = store.join(default_class, "Ana <b>&amp;</b>").player
    games["Ana <b>&amp;</b>"] = game = play_game(scenario, SEED, "advisor")
    Recorder(store, ana.id).record(game)
    games["=Ben"] = game = play_game(scenario, SEED, "typical")
    store.import_save(default_class, "=Ben", json.loads(write_save(game, tmp_path / "ben.json").read_text()))
    cy = store.join(default_class, "Cy").player
    games["Cy"] = game = play_game(scenario, SEED, "random", weeks=4)
    Recorder(store, cy.id).record(game)
    store.join(default_class, "Dee")  # joined, not started
    return games


def test_the_figures_are_those_of_each_players_game(store: ClassStore, default_class: ClassRecord, played: dict) -> None:
    report = build_report(store, default_class)
    assert [line.name for line in report.players] == sorted(
        played, key=lambda name: -played[name].result().bookings)
    assert report.waiting == ("Dee",)
    for line in report.players:
        result = played[line.name].result()
        assert line.figures.bookings == result.bookings
        assert line.figures.quota == result.quota
        assert line.figures.endings == result.counts
        assert line.figures.trust == result.trust
        assert line.figures.forecast_accuracy == result.forecast_error
        assert line.finished == played[line.name].over
        assert line.week == played[line.name].observe().week
        assert line.figures.quota_share == pytest.approx(result.bookings / result.quota)
    cy = next(line for line in report.players if line.name == "Cy")
    assert (cy.finished, cy.week) == (False, 5)


def test_the_bots_on_the_same_world_match_an_independent_run(store: ClassStore, default_class: ClassRecord,
                                                             played: dict) -> None:
    advisor, typical = run_json("advisor", SEED), run_json("typical", SEED)
    assert (advisor["seed"], typical["seed"]) == (SEED, SEED)
    report = build_report(store, default_class)
    for line in report.players:
        assert line.advisor_same_world == advisor["bookings"]
        assert line.typical_same_world == typical["bookings"]
    # A player who played exactly as the advisor did books what the advisor books on the same world.
    ana = next(line for line in report.players if line.name.startswith("Ana"))
    assert ana.figures.bookings == advisor["bookings"]
    assert ana.figures.endings == advisor["counts"]


def test_the_report_uses_the_players_own_seed(store: ClassStore) -> None:
    record = store.create_class("seed 11", load_scenario("default"), 11)
    player = store.join(record, "Ana").player
    Recorder(store, player.id).record(play_game(record.scenario, 11, "idle", weeks=1))
    line = build_report(store, record).players[0]
    assert (line.seed, line.advisor_same_world) == (11, run_json("advisor", 11)["bookings"])


def _line(name: str, bookings: int, player_id: int) -> PlayerLine:
    figures = Figures(bookings=bookings, quota=100, endings={}, forecast_accuracy=None, trust=0.5)
    return PlayerLine(0, player_id, name, "played", 1, 13, False, 0, figures, 0, 0)


def test_the_leaderboard_ranks_by_bookings_and_ties_share_a_rank() -> None:
    lines = ranked([_line("bo", 50, 1), _line("Al", 90, 2), _line("cy", 50, 3), _line("Di", 10, 4)])
    assert [(line.rank, line.name) for line in lines] == [(1, "Al"), (2, "bo"), (2, "cy"), (4, "Di")]


def test_json_has_a_top_level_players_list(store: ClassStore, default_class: ClassRecord, played: dict) -> None:
    data = json.loads(render(build_report(store, default_class), "json"))
    assert data["class"] == {"name": "tuesday", "scenario": "default", "title": default_class.scenario.scenario.title,
                             "seed": SEED, "scenario_digest": default_class.scenario_digest,
                             "weeks": default_class.scenario.scenario.weeks,
                             "quota": default_class.scenario.seller.quota}
    assert [player["player"] for player in data["players"]][0] == max(played, key=lambda n: played[n].result().bookings)
    first = data["players"][0]
    assert set(first) >= {"rank", "player", "bookings", "quota_share", "endings", "forecast_accuracy", "trust",
                          "advisor_same_world", "typical_same_world"}
    assert data["waiting"] == ["Dee"]


def test_csv_has_one_row_per_player_and_is_safe_in_a_spreadsheet(store: ClassStore, default_class: ClassRecord,
                                                                 played: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(render(build_report(store, default_class), "csv"))))
    assert len(rows) == 3
    names = {row["player"] for row in rows}
    assert "'=Ben" in names and "=Ben" not in names  # a formula-looking name stays text
    ben = next(row for row in rows if row["player"] == "'=Ben")
    assert int(ben["bookings"]) == played["=Ben"].result().bookings
    assert int(ben["won"]) == played["=Ben"].result().counts["won"]


def test_markdown_shows_names_as_typed(store: ClassStore, default_class: ClassRecord, played: dict) -> None:
    text = render(build_report(store, default_class), "md")
    assert "Ana \\<b\\>&amp;\\</b\\>" in text
    assert "| Player |" in text and "advisor, same world" in text
    assert "1 joined but have not started." in text


def test_html_is_one_self_contained_page_with_svg_charts(store: ClassStore, default_class: ClassRecord,
                                                         played: dict) -> None:
    page = render(build_report(store, default_class), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 2 and "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from anywhere
    assert "Ana &lt;b&gt;&amp;amp;&lt;/b&gt;" in page and "<b>&amp;</b>" not in page
    assert page.count('<section id="') >= 2


def test_xapi_statements_for_finished_games(store: ClassStore, default_class: ClassRecord, played: dict) -> None:
    report = build_report(store, default_class)
    statements = json.loads(render(report, "xapi", homepage="https://lms.example.org"))
    finished = [line for line in report.players if line.finished]
    assert len(statements) == len(finished) == 2
    for statement, line in zip(statements, finished):
        uuid.UUID(statement["id"])
        assert statement["version"] == "1.0.3"
        assert statement["actor"] == {"objectType": "Agent", "name": line.name,
                                      "account": {"homePage": "https://lms.example.org", "name": line.name}}
        assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
        assert statement["object"]["objectType"] == "Activity" and statement["object"]["id"].startswith("urn:dealdrift:scenario:default:")
        score = statement["result"]["score"]
        assert score["scaled"] == pytest.approx(min(1.0, line.figures.bookings / line.figures.quota), abs=1e-4)
        assert -1 <= score["scaled"] <= 1 and score["raw"] >= score["min"] == 0
        assert statement["result"]["completion"] is True
        assert statement["result"]["success"] == (line.figures.bookings >= line.figures.quota)
        assert all(":" in key for key in statement["result"]["extensions"])  # extension keys are IRIs
    again = json.loads(render(build_report(store, default_class), "xapi", homepage="https://lms.example.org"))
    assert [s["id"] for s in again] == [s["id"] for s in statements]  # sending twice counts once


def test_class_report_command(store: ClassStore, default_class: ClassRecord, played: dict, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "class.html"
    assert main(["class", "report", "--db", str(store.path), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Wrote the html report of class 'tuesday'" in capsys.readouterr().err
    assert main(["class", "report", "--db", str(store.path), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["players"]) == 3
    assert main(["class", "report", "--db", str(store.path), "--class", "nope"]) == 1
    assert "There is no class called 'nope'" in capsys.readouterr().err


def test_an_empty_class_reports_cleanly(store: ClassStore, default_class: ClassRecord) -> None:
    report = build_report(store, default_class)
    assert isinstance(report, ClassReport) and report.players == ()
    for file_format in ("md", "html", "csv", "json", "xapi"):
        assert render(report, file_format)
    assert "No player has started a game yet." in render(report, "html")


def test_the_class_store_and_report_never_load_the_terminal_ui() -> None:
    code = ("import sys, sim.classroom, sim.classroom.render, sim.classroom.recorder, sim.commands.classroom; "
            "print('textual' in sys.modules, 'tui' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_a_game_that_no_longer_replays_is_named_not_counted(store: ClassStore, default_class: ClassRecord,
                                                            played: dict) -> None:
    import sqlite3

    db = sqlite3.connect(store.path)
    db.execute("UPDATE players SET log_json = ? WHERE name = 'Cy'",
               ('{"turns": [[["no-such-deal", "share_insight"]]], "queued": []}',))
    db.commit()
    db.close()
    report = build_report(store, default_class)
    assert [line.name for line in report.players if line.name == "Cy"] == []
    assert report.unreplayable == (("Cy", "turn 1: No deal 'no-such-deal' in this game."),)
    text = render(report, "md")
    assert "## Games that no longer replay" in text and "- Cy: turn 1: No deal 'no\\-such\\-deal' in this game." not in text
    assert "- Cy: turn 1: No deal 'no-such-deal' in this game." in text
    assert json.loads(render(report, "json"))["unreplayable"] == [
        {"player": "Cy", "reason": "turn 1: No deal 'no-such-deal' in this game."}]


def test_a_class_whose_scenario_no_longer_loads_says_so(store: ClassStore, default_class: ClassRecord,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    db = sqlite3.connect(store.path)
    db.execute("UPDATE classes SET scenario_json = '{\"scenario\": {\"id\": \"default\"}}'")
    db.commit()
    db.close()
    assert main(["class", "report", "--db", str(store.path)]) == 1
    err = capsys.readouterr().err
    assert "The scenario of class 'tuesday' does not load in this version of Deal Drift" in err
    assert "Traceback" not in err


def test_what_the_class_missed_is_counted_from_each_games_recorded_causes(
        store: ClassStore, default_class: ClassRecord) -> None:
    from sim.classroom.lessons import MISSES

    scenario = default_class.scenario
    games = {}
    for name, strategy in (("Pia", "pusher"), ("Quin", "pusher"), ("Rae", "advisor"), ("Sol", "typical")):
        player = store.join(default_class, name).player
        games[name] = game = play_game(scenario, SEED, strategy)
        Recorder(store, player.id).record(game)
    report = build_report(store, default_class)
    assert {miss.key for miss in report.misses} == {miss.key for miss in MISSES}
    for miss in report.misses:
        # Independently: a player counts when any deal of their game has the recorded fact.
        expected = 0
        for game in games.values():
            deals = game.result().deals
            if miss.key == "pitched_in_status_quo":
                expected += any(c.kind == "pitched_in_status_quo" for d in deals for c in d.causes)
            elif miss.key == "pushed":
                expected += any(sum(c.kind in ("pressure", "discount") for c in d.causes) >= 2 for d in deals)
            elif miss.key == "withered_after_drifting":
                expected += any(d.ending_reason == "withered" and [c for c in d.causes if c.kind == "stalled"][-1]
                                .value("cause") in ("drift", "crisis") for d in deals)
            elif miss.key == "lost_way_without_plan":
                expected += any(d.ending != "won" and any(c.kind == "lost_way" and not c.value("plan")
                                                          for c in d.causes) for d in deals)
            else:
                expected += any(c.kind == "approval" and not c.value("approved") and (
                    not c.value("alignment") or c.value("champion_skill") < 0.3) for d in deals for c in d.causes)
        assert (miss.players, miss.of) == (expected, 4), miss.key
    pitched = next(miss for miss in report.misses if miss.key == "pitched_in_status_quo")
    assert pitched.players >= 2  # both pushers pitch the status-quo deal
    markdown = render(report, "md")
    assert "## What the class missed" in markdown and f"{pitched.players} of 4 players pitched" in markdown
    data = json.loads(render(report, "json"))
    assert {item["key"]: item["players"] for item in data["lessons_missed"]} == {
        miss.key: miss.players for miss in report.misses}
    assert "What the class missed" in render(report, "html")
