"""`dealdrift scenario balance`: how hard a scenario is, as the built-in bots find it."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter

import pytest

from sim.batch.run import run_batch, run_seed
from sim.commands.main import main
from sim.batch.balance import lesson_counts, verdict
from sim.commands.balance import register_balance, run_balance
from sim.debrief import LESSONS
from sim.scenario.loader import ScenarioError, load_scenario
from sim.strategies import BUILT_IN, play

SCENARIO = "tutorial"


def balance(capsys, *args: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="dealdrift scenario")
    register_balance(parser.add_subparsers())
    code = run_balance(parser.parse_args(["balance", *args]))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_balance_reports_attainment_endings_lessons_and_a_verdict(capsys):
    code, out, err = balance(capsys, SCENARIO, "--runs", "20", "--jobs", "2")
    assert code == 0, err
    assert out.startswith("Balance of Tutorial")
    for name in BUILT_IN:
        assert re.search(rf"^{name}\s+\d+%", out, re.MULTILINE), name
    assert "Lessons the deals illustrate" in out
    for key in LESSONS:
        assert re.search(rf"^{key}\s", out, re.MULTILINE)
    last = out.rstrip().splitlines()[-1]
    assert re.fullmatch(r"Verdict: \w+ reaches quota in \d+% of runs(, \w+ in \d+%){4}\.", last), last


def test_the_verdict_ranks_strategies_by_quota_attainment():
    summary = run_batch(SCENARIO, list(BUILT_IN), runs=15)
    line = verdict(summary)
    shares = [int(share) for share in re.findall(r"(\d+)%", line)]
    assert shares == sorted(shares, reverse=True)
    named = re.findall(r"(\w+) (?:reaches quota )?in \d+%", line)
    assert sorted(named) == sorted(BUILT_IN)
    best = max(summary.strategies.values(), key=lambda result: result.quota_share)
    assert line.startswith(f"{named[0]} reaches quota in {best.quota_share:.0%} of runs")


def test_lessons_are_counted_from_every_deal_of_every_run():
    scenario = load_scenario(SCENARIO)
    summary = run_batch(scenario, list(BUILT_IN), runs=6, seed=2)
    counts = lesson_counts(summary)
    assert list(counts)[: len(LESSONS)] == list(LESSONS)
    for name in BUILT_IN:
        expected = Counter(
            deal.lesson_key for run in range(6) for deal in play(scenario, name, run_seed(2, run)).deals
            if deal.lesson_key
        )
        assert {key: row[name] for key, row in counts.items() if row[name]} == dict(expected)
    assert all(row["all"] == sum(value for key, value in row.items() if key != "all") for row in counts.values())


def test_balance_json_has_the_batch_shape_plus_lessons_and_verdict(capsys):
    code, out, _err = balance(capsys, SCENARIO, "--runs", "6", "--json")
    assert code == 0
    report = json.loads(out)
    assert list(report["strategies"]) == list(BUILT_IN)
    assert set(report["lessons"]) >= set(LESSONS)
    assert report["verdict"].startswith(tuple(BUILT_IN))


def test_balance_is_the_same_whatever_the_jobs(capsys):
    one = balance(capsys, SCENARIO, "--runs", "12", "--jobs", "1")
    two = balance(capsys, SCENARIO, "--runs", "12", "--jobs", "2")
    assert one == two


def test_balance_of_a_missing_file_is_a_scenario_error(capsys, tmp_path):
    with pytest.raises(ScenarioError):
        balance(capsys, str(tmp_path / "missing.toml"), "--runs", "2")


def test_balance_is_a_scenario_subcommand(capsys):
    code = main(["scenario", "balance", SCENARIO, "--runs", "4", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 0 and "Verdict: " in out
