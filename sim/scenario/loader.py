"""Read, check and write scenario files: every problem at once, each with file, line and key path.

A source is a bundled scenario name (`tutorial`, `default`, ...) or a path to a
TOML file; a path that exists wins over a bundled name. Scenario files are data
only: reading one never runs code or opens another file.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Any, Literal

import tomli_w
from pydantic import ValidationError

from sim.errors import DealDriftError
from sim.scenario.bundle import bundled_file, bundled_names
from sim.scenario.models import Scenario
from sim.scenario.checks import Finding, reference_errors, scenario_warnings
from sim.scenario.messages import format_path, message_for, one_of
from sim.scenario.toml_lines import KeyLines

Level = Literal["error", "warning"]

MAX_FILE_BYTES = 4 * 1024 * 1024  # far above any real scenario; keeps a stray file from eating time and memory
MAX_PROBLEMS = 200  # per file: past this, the first ones are the ones to fix
_MAX_FINDINGS = 1000  # errors worded before the rest are cut, so a pathological file stays quick
_BOM = b"\xef\xbb\xbf"
_EMPTY = (
    "no scenario in the file, expected [scenario], [seller], [[accounts]] and [[deals]] tables"
    " ('dealdrift scenario new FILE' writes a starter scenario)"
)
_POSITION = re.compile(r"\(at line (\d+), column \d+\)$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or suspicious (warning) in a scenario file."""

    file: str
    line: int | None
    path: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f"{self.path}: " if self.path else ""
        return f"{where}: {self.level}: {key}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as a plain dict (for JSON output)."""
        return {"file": self.file, "line": self.line, "level": self.level, "path": self.path, "message": self.message}


class ScenarioError(DealDriftError):
    """A scenario that cannot be loaded, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        """Carry `problems` (at least one); the message lists one per line."""
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# -- bundled scenarios --------------------------------------------------------


def bundled_scenario_path(name: str) -> Traversable:
    """Where the bundled scenario `name` lives (works from an installed copy too)."""
    if name not in bundled_names():
        raise ScenarioError([_not_found(name)])
    return bundled_file(name)


def _not_found(source: str) -> Problem:
    names = bundled_names()
    choices = f"; bundled scenarios: {one_of(names)}" if names else ""
    return Problem(source, None, "", f"no such file or bundled scenario, expected a path to a TOML file{choices}")


# -- reading --------------------------------------------------------------------


def _read(source: str | os.PathLike[str]) -> tuple[bytes | None, str, list[Problem]]:
    """The bytes of a source, the name to report it by, and why it could not be read."""
    filename = os.fspath(source)
    try:
        status = os.stat(filename)
    except FileNotFoundError:
        if isinstance(source, str) and source in bundled_names():
            entry = bundled_scenario_path(source)
            return entry.read_bytes(), str(entry), []
        return None, filename, [_not_found(filename)]
    except (OSError, ValueError) as error:  # ValueError: a NUL character in the name
        reason = getattr(error, "strerror", None) or error
        return None, filename, [Problem(filename, None, "", f"cannot read the file: {reason}")]
    if stat.S_ISDIR(status.st_mode):
        return None, filename, [Problem(filename, None, "", "is a folder, expected a TOML file")]
    if not stat.S_ISREG(status.st_mode):
        return None, filename, [Problem(filename, None, "", "is not a regular file, expected a TOML file")]
    if status.st_size > MAX_FILE_BYTES:
        return None, filename, [_too_big(filename, status.st_size)]
    try:
        with open(filename, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, filename, [Problem(filename, None, "", f"cannot read the file: {error.strerror or error}")]
    return data, filename, []


def _too_big(filename: str, size: int) -> Problem:
    message = f"file of {size:_} bytes is too large, expected at most {MAX_FILE_BYTES:_} bytes"
    return Problem(filename, None, "", message)


def _decode(data: bytes, filename: str) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """The TOML document in `data`, its text, and why it could not be parsed."""
    if len(data) > MAX_FILE_BYTES:
        return None, "", [_too_big(filename, len(data))]
    if data.startswith(_BOM):  # some Windows editors write one; TOML itself has none
        data = data[len(_BOM) :]
    if b"\x00" in data[:8192]:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, "", [Problem(filename, line, "", "binary data, expected a UTF-8 TOML text file")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, "", [Problem(filename, line, "", "not UTF-8 text, expected a TOML file saved as UTF-8")]
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as error:
        return None, text, [_syntax_problem(filename, text, str(error))]
    except RecursionError:
        line = _deepest_line(text)
        return None, text, [Problem(filename, line, "", "values nested too deeply, expected a scenario file")]
    except ValueError:  # Python refuses to convert integers of thousands of digits
        line = _first_line_matching(text, r"[0-9a-fA-F_]{1000,}")
        return None, text, [Problem(filename, line, "", "a number with thousands of digits, expected a scenario file")]


def _syntax_problem(filename: str, text: str, message: str) -> Problem:
    match = _POSITION.search(message)
    if match:
        line = int(match.group(1))
        message = message[: match.start()].rstrip()
    else:  # "(at end of document)": point at the last line with something on it
        line = text.rstrip().count("\n") + 1
        message = re.sub(r"\s*\(at end of document\)$", "", message) + " at the end of the file"
    if message == "Illegal character '\\n'":
        message = "a line ends inside a string: is a closing quote missing?"
    return Problem(filename, line, "", f"TOML syntax: {message[:1].lower()}{message[1:]}")


def _deepest_line(text: str) -> int:
    depth, line = 0, 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > 100:
                return line
        elif char in "]}":
            depth -= 1
    return line


def _first_line_matching(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# -- checking ---------------------------------------------------------------------


def check_document(data: bytes, filename: str) -> tuple[Scenario | None, list[Problem]]:
    """Every error and warning in a scenario document; the Scenario only when it has no error."""
    document, text, problems = _decode(data, filename)
    if document is None:
        return None, problems
    if not document:
        return None, [Problem(filename, 1, "", _EMPTY)]
    lines = KeyLines(text)

    def problem(finding: Finding, level: Level) -> Problem:
        return Problem(filename, lines.line_of(finding.loc), format_path(finding.loc), finding.message, level)

    scenario: Scenario | None = None
    errors: list[Finding] = []
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as error:
        details = error.errors(include_url=False)
        errors += [Finding(*message_for(detail)) for detail in details[:_MAX_FINDINGS]]
    errors += reference_errors(document, limit=_MAX_FINDINGS)
    found = [problem(finding, "error") for finding in errors[:_MAX_FINDINGS]]
    if scenario is not None:
        found += [problem(finding, "warning") for finding in scenario_warnings(scenario)]
    found = sort_problems(found)
    if len(found) > MAX_PROBLEMS or len(errors) >= _MAX_FINDINGS:
        found = found[:MAX_PROBLEMS] + [Problem(filename, None, "", "more problems not shown; fix these first")]
    return (None if errors else scenario), found


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line (file-wide ones first), errors before warnings."""
    return sorted(problems, key=lambda problem: (problem.file, problem.line or 0, problem.level != "error"))


def check_scenario(source: str | os.PathLike[str]) -> tuple[Scenario | None, list[Problem]]:
    """Every error and warning of a bundled scenario or file; the Scenario only when it has no error."""
    data, filename, problems = _read(source)
    if data is None:
        return None, problems
    return check_document(data, filename)


def parse_scenario(data: bytes, filename: str) -> Scenario:
    """The Scenario in `data`, or ScenarioError listing every error (warnings are not errors)."""
    scenario, problems = check_document(data, filename)
    if scenario is None:
        raise ScenarioError([problem for problem in problems if problem.level == "error"])
    return scenario


def load_scenario(source: str | os.PathLike[str]) -> Scenario:
    """The Scenario of a bundled scenario name or a file path, or ScenarioError."""
    data, filename, problems = _read(source)
    if data is None:
        raise ScenarioError(problems)
    return parse_scenario(data, filename)


# -- writing ----------------------------------------------------------------------


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a plain TOML document (every key but the unset optional ones)."""
    return scenario.model_dump(mode="python", exclude_none=True)


def dump_scenario(scenario: Scenario, *, comments: bool = False) -> str:
    """The scenario as TOML text that loads back into an equal Scenario.

    Tables come in file order with stakeholders as `[[accounts.stakeholders]]`,
    short lists inline and big numbers with `_` separators; with `comments`, each
    key carries its description as a trailing comment.
    """
    lines: list[str] = []
    describe = _descriptions() if comments else {}
    document = scenario_document(scenario)
    for name in ("scenario", "seller"):
        lines += _table(f"[{name}]", document[name], describe.get(name, {}))
    for account in document["accounts"]:
        people = account.pop("stakeholders", [])
        lines += _table("[[accounts]]", account, describe.get("accounts", {}))
        for person in people:
            lines += _table("[[accounts.stakeholders]]", person, describe.get("stakeholders", {}), indent="  ")
    for name in ("deals", "events", "tutorial"):
        for table in document.get(name, []):
            lines += _table(f"[[{name}]]", table, describe.get(name, {}))
    return "\n".join(lines).lstrip("\n") + "\n"


def _table(header: str, fields: dict[str, Any], notes: dict[str, str], indent: str = "") -> list[str]:
    lines = ["", indent + header]
    for key, value in fields.items():
        if value == [] and key in ("practise", "priorities"):
            continue  # the default; an event's empty ranking, by contrast, differs from none
        line = f"{indent}{key} = {_toml_value(value)}"
        note = notes.get(key)
        lines.append(f"{line}  # {note}" if note else line)
    return lines


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return repr(value)  # validated values are finite, and repr is valid TOML
    if isinstance(value, str):
        return tomli_w.dumps({"v": value})[len("v = ") :].rstrip("\n")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a scenario file")


def _descriptions() -> dict[str, dict[str, str]]:
    """Each table's key descriptions, from the scenario models."""
    from sim.scenario.models import Account, CoachNote, Deal, Event, ScenarioInfo, Seller, Stakeholder

    models = {
        "scenario": ScenarioInfo,
        "seller": Seller,
        "accounts": Account,
        "stakeholders": Stakeholder,
        "deals": Deal,
        "events": Event,
        "tutorial": CoachNote,
    }
    return {
        table: {
            key: " ".join(field.description.split())
            for key, field in model.model_fields.items()
            if field.description
        }
        for table, model in models.items()
    }


__all__ = [
    "Problem",
    "ScenarioError",
    "bundled_names",
    "bundled_scenario_path",
    "check_document",
    "check_scenario",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "scenario_document",
    "sort_problems",
]
