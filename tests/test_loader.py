"""Scenario loading: every bad fixture's messages and lines, warnings, round trips, schema and docs."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest

from sim.errors import DealDriftError
from sim.scenario.loader import (
    MAX_FILE_BYTES,
    Problem,
    ScenarioError,
    bundled_names,
    bundled_scenario_path,
    check_document,
    check_scenario,
    dump_scenario,
    load_scenario,
    parse_scenario,
)
from sim.scenario import bundle
from sim.scenario.bundle import Card, read_card
from sim.scenario.messages import format_path, scenario_schema
from sim.scenario.toml_lines import KeyLines

FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
README = Path(__file__).parent.parent / "scenarios" / "README.md"
GOOD = sorted((FIXTURES / "good").glob("*.toml"))
WARN = sorted((FIXTURES / "warn").glob("*.toml"))
BAD = sorted((FIXTURES / "bad").glob("*.toml"))

# Every bad fixture: each error it must report, in order, as (line, key path, part of the message).
BAD_EXPECTATIONS: dict[str, list[tuple[int | None, str, str]]] = {
    "bad_ids.toml": [
        (3, "scenario.id", '"First Quarter" is not a valid id, expected an id: lowercase letters'),
        (21, "accounts[0].stakeholders[0].id", "empty text, expected an id"),
    ],
    "binary.toml": [(1, "", "binary data, expected a UTF-8 TOML text file")],
    "comments_only.toml": [(1, "", "no scenario in the file, expected [scenario], [seller], [[accounts]]")],
    "deep_nesting.toml": [(2, "", "values nested too deeply")],
    "duplicate_ids.toml": [
        (16, "accounts[0].initiatives[2]", '"cost-reduction" is listed twice'),
        (28, "accounts[0].stakeholders[1].id", 'duplicate stakeholder id "dana" (first used by accounts[0].stakeholders[0])'),
        (34, "accounts[1].id", 'duplicate account id "acme" (first used by accounts[0])'),
        (56, "deals[1].id", 'duplicate deal id "acme-analytics" (first used by deals[0])'),
    ],
    "empty.toml": [(1, "", "no scenario in the file")],
    "event_after_end.toml": [
        (44, "events[0].week", "week 20 is after the end of the scenario, expected 1 to 13 (scenario.weeks)")
    ],
    "event_keys.toml": [
        (47, "events[0].stakeholder", "only a stakeholder_leaves event names a stakeholder, this event is a crisis"),
        (55, "events[1].initiatives", "only a priority_shift event gives a new ranking, this event is a budget_freeze"),
        (61, "events[2].initiatives", "empty ranking, expected the new ranking"),
    ],
    "everything_wrong.toml": [
        (3, "scenario.id", '"First Quarter" is not a valid id'),
        (9, "seller.hours_per_week", "30.5 is a decimal number, expected a whole number from 1 to 100"),
        (15, "accounts[0].buying_maturity", "1.4 is out of range, expected a share from 0 to 1"),
        (20, "accounts[0].stakholders", 'unknown table, expected one of: id, name,'),
        (35, "deals[0].account", 'no account has id "acmee", expected one of: acme (did you mean "acme"?)'),
        (44, "events[0].week", "week 20 is after the end of the scenario"),
    ],
    "huge_number.toml": [(37, "", "a number with thousands of digits")],
    "limits.toml": [
        (16, "accounts[0].initiatives", "13 items, expected a list of 1 to 12 items"),
        (36, "deals[0].title", "text of 130 characters is too long, expected text of 1 to 120 characters"),
    ],
    "missing_keys.toml": [
        (None, "seller", "missing table [seller], expected a [seller] table with at least the keys: hours_per_week, quota"),
        (30, "deals[0].value", "missing required key, expected a whole number from 0 to 1_000_000_000_000_000"),
        (30, "deals[0].criticality", "missing required key, expected a share from 0 to 1"),
    ],
    "not_utf8.toml": [(22, "", "not UTF-8 text, expected a TOML file saved as UTF-8")],
    "out_of_range.toml": [
        (5, "scenario.weeks", "0 is out of range, expected a whole number from 1 to 520"),
        (10, "seller.quota", "-1 is out of range, expected a whole number from 0 to 1_000_000_000_000_000"),
        (17, "accounts[0].crisis_rate", "inf is out of range, expected a number from 0 to 50"),
        (37, "deals[0].value", "10_000_000_000_000_000 is out of range"),
        (40, "deals[0].criticality", "1.4 is out of range, expected a share from 0 to 1"),
        (47, "events[0].severity", "nan is not a number, expected a share from 0 to 1"),
    ],
    "syntax_error.toml": [(36, "", "TOML syntax: a line ends inside a string: is a closing quote missing?")],
    "unknown_key.toml": [
        (20, "accounts[0].stakholders", 'unknown table, expected one of: id, name, buying_maturity, initiatives,'),
    ],
    "unknown_table.toml": [
        (None, "seller", "missing table [seller]"),
        (8, "sellers", 'unknown table, expected one of: scenario, seller, accounts, deals, events, tutorial (did you mean "seller"?)'),
    ],
    "unknown_values.toml": [
        (7, "scenario.difficulty", '"brutal" is not a known value, expected one of: easy, medium, hard'),
        (24, "accounts[0].stakeholders[0].role", '"champoin" is not a known value, expected one of: champion,'),
        (39, "deals[0].stage", '"negotiating" is not a known value, expected one of: status_quo,'),
        (47, "events[0].kind", '"earthquake" is not a known value, expected one of: crisis, priority_shift,'),
    ],
    "unresolved_references.toml": [
        (47, "deals[0].account", 'no account has id "acmee", expected one of: acme, globex (did you mean "acme"?)'),
        (57, "events[0].account", 'no account has id "initech", expected one of: acme, globex'),
        (64, "events[1].stakeholder", '"lee" is not a stakeholder of account "acme", expected one of: dana, raj'),
    ],
    "wrong_types.toml": [
        (5, "scenario.weeks", "13.0 is a decimal number, expected a whole number from 1 to 520"),
        (6, "scenario.seed", "2024-01-01 is a date, expected a whole number"),
        (9, "seller.hours_per_week", '"thirty" is text, expected a whole number from 1 to 100'),
        (16, "accounts[0].initiatives", '"cost-reduction" is text, expected a list of 1 to 12 items'),
        (24, "accounts[0].stakeholders[0].influence", "true is true/false, expected a share from 0 to 1"),
    ],
}

# Every warning fixture: the one warning it must give, as (line, key path, part of the message).
WARN_EXPECTATIONS: dict[str, tuple[int, str, str]] = {
    "deal_already_ended.toml": (38, "deals[0].stage", 'deal starts already ended ("won")'),
    "misaligned_deal.toml": (
        41,
        "deals[0].initiative",
        '"digital-twin" is not one of account "acme"\'s initiatives (cost-reduction, safety, growth): fine for a '
        "misaligned deal on purpose, but senior management will likely reject it",
    ),
    "no_economic_buyer.toml": (20, "accounts[0].stakeholders", 'account "acme" has no economic_buyer'),
    "quota_above_total.toml": (10, "seller.quota", "quota 900_000 is more than the value of all deals together (250_000)"),
    "shift_to_same_ranking.toml": (60, "events[2].initiatives", "the new ranking is the same as the current one"),
    "stakeholder_already_left.toml": (54, "events[1].stakeholder", '"dana" already left in week 4 (events[2])'),
    "two_shifts_same_week.toml": (
        57,
        "events[2].week",
        'a second priority_shift for account "acme" in week 7 replaces the ranking events[1] set that same week',
    ),
}


def test_every_fixture_has_expectations() -> None:
    assert {path.name for path in BAD} == set(BAD_EXPECTATIONS)
    assert {path.name for path in WARN} == set(WARN_EXPECTATIONS)


@pytest.mark.parametrize("path", GOOD, ids=lambda path: path.name)
def test_good_fixture_loads_without_any_problem(path: Path) -> None:
    scenario, problems = check_scenario(path)
    assert problems == []
    assert scenario is not None
    assert load_scenario(path) == scenario


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.name)
def test_bad_fixture_reports_each_error_with_line_and_path(path: Path) -> None:
    scenario, problems = check_scenario(path)
    assert scenario is None
    found = [(problem.line, problem.path, problem.message) for problem in problems if problem.level == "error"]
    expected = BAD_EXPECTATIONS[path.name]
    assert len(found) == len(expected), "\n".join(str(problem) for problem in problems)
    for (line, key, message), (want_line, want_key, fragment) in zip(found, expected):
        assert (line, key) == (want_line, want_key)
        assert fragment in message
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert [problem.message for problem in raised.value.problems] == [message for _, _, message in found]


@pytest.mark.parametrize("path", WARN, ids=lambda path: path.name)
def test_warning_fixture_loads_and_explains_its_one_warning(path: Path) -> None:
    scenario, problems = check_scenario(path)
    assert scenario is not None
    assert load_scenario(path) == scenario  # warnings never stop a load
    assert [(problem.level, problem.line, problem.path) for problem in problems] == [
        ("warning", *WARN_EXPECTATIONS[path.name][:2])
    ]
    assert WARN_EXPECTATIONS[path.name][2] in problems[0].message


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ScenarioError) as raised:
        load_scenario(FIXTURES / "bad" / "everything_wrong.toml")
    lines = str(raised.value).splitlines()
    assert len(lines) == len(raised.value.problems) == 6
    assert all(re.match(r"^.+everything_wrong\.toml:\d+: error: \S+: .+$", line) for line in lines)
    assert isinstance(raised.value, DealDriftError)


def test_a_leaving_stakeholder_at_an_account_that_is_not_text_is_an_error_not_a_crash() -> None:
    text = (bundled_scenario_path("default").read_text(encoding="utf-8")
            + '\n[[events]]\nweek = 3\naccount = ["northwind"]\nkind = "stakeholder_leaves"\nstakeholder = "x"\n'
            + 'text = "Someone leaves."\n')
    scenario, problems = check_document(text.encode(), "leaves.toml")
    assert scenario is None
    assert [problem.path for problem in problems if problem.level == "error"] == ["events[2].account"]


def test_problem_text_format() -> None:
    assert str(Problem("a.toml", 3, "deals[1].value", "bad", "error")) == "a.toml:3: error: deals[1].value: bad"
    assert str(Problem("a.toml", None, "seller", "missing", "error")) == "a.toml: error: seller: missing"
    assert str(Problem("a.toml", 1, "", "binary", "warning")) == "a.toml:1: warning: binary"


def test_a_syntax_error_always_has_a_line() -> None:
    for text, line in [("a = ", 1), ("[scenario]\nid = \n", 2), ("a = 1\nb = [1,\n2", 3), ("x = 'open\n", 1)]:
        _, problems = check_document(text.encode(), "f.toml")
        assert [problem.line for problem in problems] == [line], problems
        assert problems[0].message.startswith("TOML syntax: ")


def test_a_misaligned_deal_is_valid() -> None:
    scenario = load_scenario(FIXTURES / "warn" / "misaligned_deal.toml")
    assert scenario.deals[0].initiative not in scenario.accounts[0].initiatives


def test_a_byte_order_mark_is_accepted() -> None:
    with_bom = load_scenario(FIXTURES / "good" / "with_bom.toml")
    assert with_bom == load_scenario(FIXTURES / "good" / "minimal.toml")


def test_unreadable_sources_are_problems_not_crashes(tmp_path: Path) -> None:
    cases = {
        tmp_path / "missing.toml": "no such file or bundled scenario",
        tmp_path: "is a folder, expected a TOML file",
    }
    if Path("/dev/null").exists():
        cases[Path("/dev/null")] = "is not a regular file"
    for source, fragment in cases.items():
        scenario, problems = check_scenario(source)
        assert scenario is None
        assert len(problems) == 1 and fragment in problems[0].message
        with pytest.raises(ScenarioError, match=re.escape(fragment)):
            load_scenario(source)


def test_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.toml"
    locked.write_text("[scenario]\n")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user can read any file")
        _, problems = check_scenario(locked)
        assert [problem.message for problem in problems] == ["cannot read the file: Permission denied"]
    finally:
        locked.chmod(0o600)


def test_a_huge_file_is_refused_before_parsing() -> None:
    _, problems = check_document(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1), "big.toml")
    assert len(problems) == 1 and "too large" in problems[0].message


def test_unknown_names_list_the_bundled_scenarios() -> None:
    with pytest.raises(ScenarioError) as raised:
        load_scenario("no-such-scenario")
    message = str(raised.value)
    assert message.startswith("no-such-scenario: error: no such file or bundled scenario")
    for name in bundled_names():
        assert name in message


def test_bundled_scenarios_include_the_three_shipped_ones() -> None:
    assert {"tutorial", "default", "enterprise"} <= set(bundled_names())


@pytest.mark.parametrize("name", bundled_names())
def test_bundled_scenario_loads_cleanly_from_any_folder(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scenario, problems = check_scenario(name)
    assert problems == [] and scenario is not None
    assert load_scenario(name) == scenario
    assert parse_scenario(bundled_scenario_path(name).read_bytes(), name) == scenario


@pytest.mark.parametrize("name", bundled_names())
def test_a_bundled_scenarios_card_read_unchecked_is_the_card_of_the_checked_scenario(name: str) -> None:
    assert read_card(name) == Card.of(load_scenario(name))


def _bundle_of(folder: Path, monkeypatch: pytest.MonkeyPatch, **files: str | bytes) -> None:
    """Make `folder`, holding `files` (name -> TOML text), the bundle of scenarios."""
    for name, text in files.items():
        (folder / f"{name}.toml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    monkeypatch.setattr(bundle, "_bundle", lambda: folder)


def test_a_card_is_read_only_when_the_file_itself_gives_every_field_with_its_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = '[scenario]\nid = "q"\ntitle = "Q"\ndifficulty = "hard"\nstory = "S."\n'
    _bundle_of(tmp_path, monkeypatch,
               whole=head + "weeks = 8\n[[deals]]\nid = 'a'\n[[deals]]\nid = 'b'\n",
               no_deals=head + "weeks = 8\n",
               no_story=head.replace('story = "S."\n', "") + "weeks = 8\n[[deals]]\n",
               weeks_as_text=head + 'weeks = "8"\n[[deals]]\n',
               weeks_as_bool=head + "weeks = true\n[[deals]]\n",
               not_toml=head + "weeks = \n",
               not_utf8=b"[scenario]\ntitle = '\xff'\n")
    assert bundled_names() == ["no_deals", "no_story", "not_toml", "not_utf8", "weeks_as_bool", "weeks_as_text", "whole"]
    assert read_card("whole") == Card("q", "Q", 8, 2, "hard", "S.")
    for name in bundled_names()[:-1]:
        assert read_card(name) is None, name
    assert read_card("missing") is None


def test_a_file_that_exists_wins_over_a_bundled_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = bundled_names()[0] if bundled_names() else "tutorial"
    (tmp_path / name).write_bytes((FIXTURES / "good" / "minimal.toml").read_bytes())
    assert load_scenario(name).scenario.id == "first-quarter"


def scenario_sources() -> list[Path | str]:
    """Every file that must load: good and warning fixtures, and the bundled scenarios."""
    return [*GOOD, *WARN, *bundled_names()]


@pytest.mark.parametrize("source", scenario_sources(), ids=str)
def test_round_trip_load_dump_load_is_equal(source: Path | str) -> None:
    scenario = load_scenario(source)
    for comments in (False, True):
        text = dump_scenario(scenario, comments=comments)
        assert parse_scenario(text.encode(), "dumped.toml") == scenario


def test_dump_writes_readable_tables() -> None:
    text = dump_scenario(load_scenario(FIXTURES / "good" / "every_key.toml"))
    assert "[[accounts.stakeholders]]" in text
    assert "value = 150_000" in text
    assert 'initiatives = ["cost-reduction", "safety", "growth"]' in text


# -- line locator -------------------------------------------------------------------


def test_key_lines_follow_tables_arrays_and_inline_values() -> None:
    text = (
        '[scenario]\nstory = """\n[seller]\nquota = 1\n"""\n'  # a fake header inside a string
        "[seller]\nquota = 5\n"
        '[[accounts]]\nid = "a"\n'
        "  [[accounts.stakeholders]]\n  id = 's'\n"
        '[[accounts]]\nid = "b"\nstakeholders = [\n  { id = "p" },\n  { id = "q", role = "x" },\n]\n'
        'site."main office" = 1\n'
    )
    lines = KeyLines(text)
    assert lines.line_of(("scenario", "story")) == 2
    assert lines.line_of(("seller",)) == 6
    assert lines.line_of(("seller", "quota")) == 7
    assert lines.line_of(("accounts", 0, "stakeholders", 0, "id")) == 11
    assert lines.line_of(("accounts", 1)) == 12
    assert lines.line_of(("accounts", 1, "stakeholders", 1, "role")) == 16
    assert lines.line_of(("accounts", 1, "site", "main office")) == 18
    assert lines.line_of(("accounts", 1, "missing_key")) == 12  # falls back to the table header
    assert lines.line_of(("deals", 0)) is None


def _key_paths(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key path in a parsed TOML document."""
    found: list[tuple[str | int, ...]] = []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found.append((*path, key))
        found += _key_paths(child, (*path, key))
    return found


@pytest.mark.parametrize("path", [*GOOD, *WARN], ids=lambda path: path.name)
def test_key_lines_find_every_key_of_the_fixtures(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    lines = KeyLines(text)
    source = text.splitlines()
    for key_path in _key_paths(tomllib.loads(text)):
        line = lines.exact_line(key_path)
        assert line is not None, key_path
        if isinstance(key_path[-1], str):
            assert key_path[-1] in source[line - 1], (key_path, source[line - 1])


@pytest.mark.parametrize("text", ["[", "[[", "a.", '"', "x = [{", "= = =", "[a.\"b", "x = '''", "\\"])
def test_key_lines_never_fail(text: str) -> None:
    KeyLines(text).line_of(("a", 0, "b"))


# -- the JSON Schema agrees with the loader -------------------------------------------


def _schema_errors(document: object) -> list[str]:
    """Key paths the JSON Schema finds fault with (a missing or unknown key named itself)."""
    validator = jsonschema.Draft202012Validator(scenario_schema())
    paths: list[str] = []
    for error in validator.iter_errors(document):
        where = list(error.absolute_path)
        if error.validator == "required":
            paths += [format_path([*where, key]) for key in error.validator_value if key not in error.instance]
        elif error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            paths += [format_path([*where, key]) for key in error.instance if key not in known]
        else:
            paths.append(format_path(where))
    return paths


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(scenario_schema())


@pytest.mark.parametrize("source", scenario_sources(), ids=str)
def test_every_loadable_scenario_validates_against_the_schema(source: Path | str) -> None:
    path = source if isinstance(source, Path) else bundled_scenario_path(source)
    document = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    assert _schema_errors(document) == []


# Two things JSON Schema cannot say, so only the loader refuses them: "not NaN" (a NaN share
# passes the schema) and "an integer written without a decimal point" (13.0 is an integer there).
SCHEMA_BLIND_SPOTS = {("out_of_range.toml", "events[0].severity"), ("wrong_types.toml", "scenario.weeks")}


@pytest.mark.parametrize(
    "name",
    ["bad_ids.toml", "limits.toml", "missing_keys.toml", "out_of_range.toml", "unknown_key.toml",
     "unknown_table.toml", "unknown_values.toml", "wrong_types.toml"],
)  # fmt: skip
def test_the_schema_rejects_what_the_loader_rejects_for_type_or_range(name: str) -> None:
    path = FIXTURES / "bad" / name
    schema_paths = _schema_errors(tomllib.loads(path.read_text()))
    assert schema_paths
    for problem in check_scenario(path)[1]:
        if (name, problem.path) in SCHEMA_BLIND_SPOTS:
            continue
        assert problem.path in schema_paths, problem


# -- the reference documents every key -------------------------------------------------

SECTIONS = {
    "Scenario": "A file has these top-level tables",
    "ScenarioInfo": "### `[scenario]`",
    "Seller": "### `[seller]`",
    "Account": "### `[[accounts]]`",
    "Stakeholder": "### `[[accounts.stakeholders]]`",
    "Deal": "### `[[deals]]`",
    "Event": "### `[[events]]`",
}


def _reference_rows(heading: str) -> dict[str, list[str]]:
    """The rows of the first table after `heading` in the README: key -> cells."""
    text = README.read_text(encoding="utf-8")
    start = text.index(heading)
    rows: dict[str, list[str]] = {}
    for line in text[start:].splitlines()[1:]:
        if rows and not line.startswith("|"):
            break
        match = re.match(r"^\| `([a-z_]+)` \|", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split("|")]
    return rows


def _schema_tables() -> dict[str, dict[str, object]]:
    schema = scenario_schema()
    tables: dict[str, dict[str, object]] = {"Scenario": schema}
    tables.update(schema["$defs"])
    return tables


def test_the_reference_documents_every_key_of_the_schema() -> None:
    text = README.read_text(encoding="utf-8")
    for name, table in _schema_tables().items():
        for key in table["properties"]:  # type: ignore[index]
            assert f"`{key}`" in text, f"{name}.{key} is not documented in scenarios/README.md"


def _bounds(node: dict[str, object]) -> str | None:
    def show(value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value:_}" if isinstance(value, int) and value >= 100_000 else str(value)

    if "maximum" in node:
        return f"{show(node['minimum'])} to {show(node['maximum'])}"
    return None


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_the_reference_tables_match_the_schema(name: str) -> None:
    table = _schema_tables()[name]
    rows = _reference_rows(SECTIONS[name])
    properties: dict[str, dict[str, object]] = table["properties"]  # type: ignore[assignment]
    assert list(rows) == list(properties), f"keys of {name} in the README differ from the format"
    for key, node in properties.items():
        _key, _type, value_range, default, meaning = rows[key]
        assert meaning, f"{name}.{key} has no meaning in the README"
        if key in table.get("required", []):  # type: ignore[operator]
            assert default == "required", f"{name}.{key} is required"
        else:
            want = node.get("default")
            shown = "none" if want is None else tomllib_literal(want)
            assert default.strip("`") == shown, f"{name}.{key}: README default {default} but the format has {shown}"
        bounds = _bounds(node)
        if bounds is not None:
            assert bounds in value_range, f"{name}.{key}: README range {value_range!r} lacks {bounds!r}"


def tomllib_literal(value: object) -> str:
    """A default as the README writes it."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[]" if not value else repr(value)
    return str(value)
