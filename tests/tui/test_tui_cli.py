"""The `dealdrift play` and `dealdrift debrief` commands: saves, damaged files and debrief files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tui_support import finished_session

from tui.cli import main
from sim.scenario.loader import load_scenario
from tui.session import Session


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A save file cut off in the middle of a write."""
    good = finished_session()
    text = good.save_path.read_text(encoding="utf-8")
    path = tmp_path / "damaged.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return path


def test_play_load_of_a_damaged_save_exits_1_with_a_message(
    damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["play", "--load", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dealdrift: error: ")
    assert "is not a Deal Drift save file (it is not valid JSON)" in err
    assert "Traceback" not in err


def test_play_load_of_a_foreign_or_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "other.json"
    foreign.write_text('{"hello": "world"}', encoding="utf-8")
    assert main(["play", "--load", str(foreign)]) == 1
    assert "This is not a Deal Drift save file." in capsys.readouterr().err
    assert main(["play", "--load", str(tmp_path / "missing.json")]) == 1
    assert "Cannot read save file" in capsys.readouterr().err


def test_a_damaged_save_exits_1_from_a_real_process(damaged: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "play", "--load", str(damaged)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "is not a Deal Drift save file" in done.stderr and "Traceback" not in done.stderr


def test_play_resume_without_any_save(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "--resume"]) == 1
    assert "There is no saved game in" in capsys.readouterr().err


def test_play_refuses_a_scenario_or_seed_with_a_saved_game(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "tutorial", "--resume"]) == 2
    assert "give SCENARIO and --seed only for a new game" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["play", "--resume", "--load", "x.json"])
    assert stopped.value.code == 2


def test_play_with_an_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "no-such-scenario"]) == 1
    assert "no such file or bundled scenario" in capsys.readouterr().err


def test_debrief_writes_markdown_and_html_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = finished_session()
    markdown, page = tmp_path / "debrief.md", tmp_path / "debrief.html"
    assert main(["debrief", str(session.save_path), "--format", "md", "--out", str(markdown)]) == 0
    assert main(["debrief", str(session.save_path), "--format", "html", "--out", str(page)]) == 0
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Debrief: Tutorial: Two Deals at Brightwater\n")
    for heading in ("## Score card", "## How each deal ended", "## Charts", "## What would have helped"):
        assert heading in text
    result = session.result()
    for deal in result.deals:
        assert deal.explanation in text
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<h2>Score card</h2>" in html and html.rstrip().endswith("</html>")
    assert f"Wrote the debrief of {session.save_path} to {page}" in capsys.readouterr().err


def test_debrief_prints_by_default_and_guesses_html_from_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = finished_session()
    assert main(["debrief"]) == 0  # the most recent save
    assert capsys.readouterr().out.startswith("# Debrief: ")
    page = tmp_path / "page.HTML"
    assert main(["debrief", str(session.save_path), "--out", str(page)]) == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_debrief_of_an_unfinished_game_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    session = Session.new(load_scenario("tutorial"), 1)
    assert main(["debrief", str(session.save_path)]) == 0
    assert "Still in progress: week 1 of" in capsys.readouterr().out


def test_debrief_of_a_damaged_save(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["debrief", str(damaged)]) == 1
    assert "is not a Deal Drift save file" in capsys.readouterr().err


def test_the_cli_and_its_commands_do_not_load_the_terminal_interface() -> None:
    code = "import sys, sim, sim.commands.main; sim.commands.main.build_parser(); print('textual' in sys.modules, 'tui' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_the_console_script_loads_textual_only_to_play() -> None:
    code = "import sys, tui.cli; tui.cli.build_parser(); print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False"], done.stderr


def test_replay_of_a_damaged_or_missing_save_exits_1_with_a_message(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert "is not a Deal Drift save file (it is not valid JSON)" in err and "Traceback" not in err
    assert main(["replay", str(tmp_path / "missing.json")]) == 1
    assert "Cannot read save file" in capsys.readouterr().err


def test_replay_needs_a_terminal() -> None:
    save = finished_session().save_path
    done = subprocess.run([sys.executable, "-m", "tui.cli", "replay", str(save)], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 1 and "the replay needs an interactive terminal" in done.stderr


def test_debrief_guesses_json_from_the_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = finished_session()
    target = tmp_path / "debrief.json"
    assert main(["debrief", str(session.save_path), "--out", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["seed"] == session.game.seed and set(data["same_world"]) == {"advisor", "typical"}
