"""`dealdrift scenario ...` as a trainer uses it: output format, exit codes, and files it writes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.model.buying import mermaid
from sim.commands.main import main
from sim.scenario.loader import bundled_names, bundled_scenario_path, check_scenario, load_scenario
from sim.scenario.messages import scenario_schema

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
GOOD = FIXTURES / "good" / "minimal.toml"
WARNED = FIXTURES / "warn" / "misaligned_deal.toml"
BROKEN = FIXTURES / "bad" / "everything_wrong.toml"
PROBLEM_LINE = re.compile(
    r"^(?P<file>.+?):(?:(?P<line>\d+):)? (?P<level>error|warning): (?:(?P<path>\S+): )?(?P<message>.+)$"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `dealdrift ARGS...`; the exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# -- check -----------------------------------------------------------------------------


def test_check_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scenario", "check", str(GOOD))
    assert (code, out, err) == (0, "", "1 file checked: no problems\n")


def test_check_prints_every_problem_in_order_then_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scenario", "check", str(WARNED), str(BROKEN))
    assert code == 1
    lines = out.splitlines()
    matches = [PROBLEM_LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [match["file"] for match in matches] == [str(WARNED)] + [str(BROKEN)] * 6  # type: ignore[index]
    broken_lines = [int(match["line"]) for match in matches[1:]]  # type: ignore[index]
    assert broken_lines == sorted(broken_lines)
    assert lines[0] == (
        f"{WARNED}:41: warning: deals[0].initiative: \"digital-twin\" is not one of account \"acme\"'s initiatives "
        "(cost-reduction, safety, growth): fine for a misaligned deal on purpose, but senior management will likely "
        "reject it"
    )
    maturity = "accounts[0].buying_maturity: 1.4 is out of range, expected a share from 0 to 1"
    assert f"{BROKEN}:15: error: {maturity}" in lines
    assert err == "2 files checked: 6 errors, 1 warning\n"


def test_warnings_pass_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "scenario", "check", str(WARNED))[0] == 0
    code, out, err = run(capsys, "scenario", "check", "--strict", str(WARNED))
    assert code == 1
    assert ": warning: deals[0].initiative:" in out
    assert err == "1 file checked: 0 errors, 1 warning\n"


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "check", "--format", "json", str(GOOD), str(BROKEN))
    assert code == 1
    report = json.loads(out)
    assert (report["files"], report["errors"], report["warnings"]) == (2, 6, 0)
    first = report["problems"][0]
    assert set(first) == {"file", "line", "level", "path", "message"}
    assert (first["file"], first["line"], first["level"], first["path"]) == (str(BROKEN), 3, "error", "scenario.id")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("binary.toml", ":1: error: binary data, expected a UTF-8 TOML text file"),
        ("empty.toml", ":1: error: no scenario in the file"),
        ("not_utf8.toml", ":22: error: not UTF-8 text"),
        ("huge_number.toml", ":37: error: a number with thousands of digits"),
        ("deep_nesting.toml", ":2: error: values nested too deeply"),
        ("syntax_error.toml", ":36: error: TOML syntax: "),
    ],
)
def test_check_refuses_unreadable_content_without_a_traceback(
    capsys: pytest.CaptureFixture[str], name: str, fragment: str
) -> None:
    path = FIXTURES / "bad" / name
    code, out, err = run(capsys, "scenario", "check", str(path))
    assert code == 1
    assert out == f"{path}{fragment}" + out[len(f"{path}{fragment}") :]
    assert err == "1 file checked: 1 error, 0 warnings\n"


def test_check_a_missing_file_and_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    code, out, _ = run(capsys, "scenario", "check", str(missing), str(tmp_path))
    assert code == 1
    assert out.splitlines() == [
        f"{missing}: error: no such file or bundled scenario, expected a path to a TOML file"
        + (f"; bundled scenarios: {', '.join(bundled_names())}" if bundled_names() else ""),
        f"{tmp_path}: error: is a folder, expected a TOML file",
    ]


def test_check_accepts_bundled_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "scenario", "check", *bundled_names())
    assert code == 0
    assert err.endswith("checked: no problems\n")


@pytest.mark.parametrize(
    "args",
    [["scenario", "check"], ["scenario", "check", "--format", "xml", "a.toml"], ["scenario", "frobnicate"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(args)
    assert raised.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_scenario_alone_shows_its_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "scenario")
    assert code == 2
    for subcommand in ("check", "list", "new", "schema", "diagram"):
        assert subcommand in err


# -- list --------------------------------------------------------------------------------


def test_list_shows_the_bundled_scenarios_in_aligned_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "list")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["NAME", "TITLE", "WEEKS", "DEALS", "DIFFICULTY"]
    assert [row.split()[0] for row in rows] == bundled_names()
    assert {"tutorial", "default", "enterprise"} <= {row.split()[0] for row in rows}
    title_column = header.index("TITLE")
    weeks_end = header.index("WEEKS") + len("WEEKS")
    for row, name in zip(rows, bundled_names()):
        scenario = load_scenario(name)
        assert row[title_column:].startswith(scenario.scenario.title)
        assert row[:weeks_end].endswith(str(scenario.scenario.weeks))  # numbers right-aligned under WEEKS
        assert row.split()[-1] == scenario.scenario.difficulty


# -- new --------------------------------------------------------------------------------------


def test_new_writes_a_scenario_that_checks_clean(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "My Quarter.toml"
    code, out, _ = run(capsys, "scenario", "new", str(target), "--accounts", "3", "--deals", "7")
    assert code == 0
    assert f"Wrote {target}" in out
    scenario, problems = check_scenario(target)
    assert problems == [] and scenario is not None
    assert scenario.scenario.id == "my-quarter"
    assert (len(scenario.accounts), len(scenario.deals)) == (3, 7)
    assert {deal.account for deal in scenario.deals} == {account.id for account in scenario.accounts}
    for account in scenario.accounts:
        assert {"champion", "economic_buyer"} <= {person.role for person in account.stakeholders}
    assert scenario.events
    text = target.read_text(encoding="utf-8")
    assert "scenario check" in text.splitlines()[1]  # the header tells the trainer what to run next
    assert "buying_maturity = 0.3  # How well the organisation knows how to buy" in text


def test_new_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("# my work\n")
    code, _, err = run(capsys, "scenario", "new", str(target))
    assert code == 1
    assert err == f"dealdrift: error: {target} already exists; use --force to overwrite it\n"
    assert target.read_text() == "# my work\n"
    assert run(capsys, "scenario", "new", str(target), "--force")[0] == 0
    assert load_scenario(target).scenario.id == "mine"


def test_new_from_a_bundled_scenario_keeps_its_comments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    name = "tutorial" if "tutorial" in bundled_names() else bundled_names()[0]
    target = tmp_path / "copy.toml"
    assert run(capsys, "scenario", "new", str(target), "--from", name)[0] == 0
    copied = load_scenario(target)
    original = load_scenario(name)
    assert copied.scenario.id == "copy"
    assert copied.model_copy(update={"scenario": original.scenario}) == original
    original_text = bundled_scenario_path(name).read_text(encoding="utf-8")
    comments = [line for line in original_text.splitlines() if line.lstrip().startswith("#")]
    copied_text = target.read_text(encoding="utf-8")
    assert comments and all(comment in copied_text for comment in comments)


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--from", "no-such-scenario"], 1, "no bundled scenario of that name"),
        (["--from", "tutorial", "--deals", "4"], 2, "--from cannot be combined with --accounts or --deals"),
    ],
)
def test_new_from_mistakes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], code: int, fragment: str
) -> None:
    target = tmp_path / "x.toml"
    result, _, err = run(capsys, "scenario", "new", str(target), *args)
    assert result == code
    assert fragment in err
    assert not target.exists()


@pytest.mark.parametrize("value", ["0", "101", "many"])
def test_new_rejects_bad_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["scenario", "new", str(tmp_path / "x.toml"), "--accounts", value])
    assert raised.value.code == 2
    assert "--accounts" in capsys.readouterr().err


def test_new_into_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "scenario", "new", str(tmp_path / "no" / "such" / "x.toml"))
    assert code == 1
    assert "cannot write" in err


# -- schema and diagram ---------------------------------------------------------------------


def test_schema_prints_the_format_as_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == scenario_schema()
    assert set(schema["$defs"]) >= {"ScenarioInfo", "Seller", "Account", "Stakeholder", "Deal", "Event"}
    assert schema["additionalProperties"] is False


def test_diagram_prints_the_buying_process(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "diagram", "--format", "mermaid")
    assert (code, out) == (0, mermaid())
    assert out.startswith("stateDiagram-v2")


# -- the installed command ---------------------------------------------------------------------


def test_the_installed_command_from_another_folder(tmp_path: Path) -> None:
    command = shutil.which("dealdrift")
    prefix = [command] if command else [sys.executable, "-m", "sim"]
    broken = tmp_path / "broken.toml"
    broken.write_bytes((FIXTURES / "bad" / "unknown_key.toml").read_bytes())
    result = subprocess.run(
        [*prefix, "scenario", "check", "broken.toml", *bundled_names()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=None if command else {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert result.returncode == 1
    assert result.stdout.startswith("broken.toml:20: error: accounts[0].stakholders: unknown table")
    assert result.stderr == f"{1 + len(bundled_names())} files checked: 1 error, 0 warnings\n"


# -- the tutorial in scenarios/README.md is what a trainer will see ---------------------------


def _readme_console_blocks() -> list[list[str]]:
    text = (Path(__file__).parent.parent / "scenarios" / "README.md").read_text(encoding="utf-8")
    return [block.strip("\n").splitlines() for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL)]


def test_the_tutorial_output_is_real(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = {block[0]: block[1:] for block in _readme_console_blocks()}

    new = "$ dealdrift scenario new my-quarter.toml --accounts 2 --deals 4"
    assert run(capsys, *new.split()[2:])[1].splitlines() == blocks[new]

    target = tmp_path / "my-quarter.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('role = "champion"', 'role = "champoin"', 1), encoding="utf-8")
    check = "$ dealdrift scenario check my-quarter.toml"
    checks = [block[1:] for block in _readme_console_blocks() if block[0] == check]
    code, out, err = run(capsys, *check.split()[2:])
    assert (code, (out + err).splitlines()) == (1, checks[0])

    deal = text.index('account = "northwind"')
    aligned = text.index('initiative = "cost-reduction"', deal)
    text = text[:aligned] + 'initiative = "growth"' + text[aligned + len('initiative = "cost-reduction"') :]
    target.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, *check.split()[2:])
    assert (code, (out + err).splitlines()) == (0, checks[1])
