"""The optional `[[tutorial]]` table of a scenario: coach notes that are checked like every other key."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.loader import check_document, load_scenario

BASE = str(Path(__file__).parent / "fixtures" / "scenarios" / "good" / "minimal.toml")


def _check(notes: str) -> list[tuple[int | None, str, str]]:
    with open(BASE, encoding="utf-8") as source:
        text = source.read() + "\n" + notes
    _scenario, problems = check_document(text.encode(), "notes.toml")
    return [(problem.line, problem.path, problem.message)
            for problem in problems if problem.level == "error"]


def test_a_scenario_without_notes_is_valid_and_has_none() -> None:
    assert _check("") == []
    assert load_scenario(BASE).tutorial == []


def test_the_bundled_tutorial_has_notes_for_the_moments_a_first_timer_meets() -> None:
    triggers = {note.trigger for note in load_scenario("tutorial").tutorial}
    assert {"start", "status_quo", "stalled", "plan", "forecast_stage", "forecast_call"} <= triggers


@pytest.mark.parametrize(("notes", "key", "fragment"), [
    ('[[tutorial]]\ntrigger = "week"\ntext = "x"\n', "week", 'missing: a note with trigger = "week"'),
    ('[[tutorial]]\ntrigger = "plan"\nweek = 2\ntext = "x"\n', "week", 'only a note with trigger = "week" has a week'),
    ('[[tutorial]]\ntrigger = "week"\nweek = 99\ntext = "x"\n', "week", "after the end of the scenario"),
    ('[[tutorial]]\ntrigger = "sometime"\ntext = "x"\n', "trigger", "expected one of: start, status_quo"),
    ('[[tutorial]]\ntrigger = "start"\npoints_at = "sidebar"\ntext = "x"\n', "points_at", "expected one of"),
    ('[[tutorial]]\ntrigger = "start"\n', "text", "missing"),
    ('[[tutorial]]\ntrigger = "start"\ntext = "x"\ncolour = "red"\n', "colour", "unknown key"),
])
def test_a_bad_note_is_reported_with_its_key_and_line(notes: str, key: str, fragment: str) -> None:
    found = _check(notes)
    assert len(found) == 1, found
    line, path, message = found[0]
    assert path == f"tutorial[0].{key}", path
    assert fragment in message and line is not None
