"""Plain-language messages for scenario validation errors: what is wrong and what was expected.

The expectations are read from the JSON Schema of `sim.scenario.Scenario`, so
the messages, the schema editors see and the validation itself share one source.
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from pydantic_core import ErrorDetails

from sim.scenario.models import Scenario

Loc = tuple[str | int, ...]

IDENTIFIER_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
_TABLE_ARRAYS = {"accounts", "deals", "events", "stakeholders"}


@lru_cache(maxsize=1)
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (draft 2020-12), as `dealdrift scenario schema` prints it."""
    schema = Scenario.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def format_path(loc: Sequence[str | int]) -> str:
    """A key path as trainers read it: `deals[2].value` (array indexes count from 0)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        name = part if part and all(c.isalnum() and c.isascii() or c in "_-" for c in part) else json.dumps(part)
        text += f".{name}" if text else name
    return text


def show_value(value: object) -> str:
    """A value as it would be written in TOML, shortened for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10**60 else 61
        if digits > 60:
            return "a number with more than 60 digits"
        return f"{value:_}" if abs(value) >= 100_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        shown = json.dumps(value[:60], ensure_ascii=False)
        return shown[:-1] + '..."' if len(value) > 60 else shown
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return kind_of(value)


def kind_of(value: object) -> str:
    """The TOML type of a value, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time of day"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a value"


def suggestion(word: object, choices: Iterable[str]) -> str:
    """` (did you mean "x"?)` when a close match exists, else an empty string."""
    options = list(choices)
    if not isinstance(word, str) or len(options) > 500:  # a guess among hundreds helps nobody and costs time
        return ""
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""


def one_of(choices: Sequence[str], limit: int = 12) -> str:
    """`a, b, c` (shortened when long) for 'expected one of' messages."""
    shown = ", ".join(choices[:limit])
    return shown + (f", ... ({len(choices)} in all)" if len(choices) > limit else "")


def number(value: float | int) -> str:
    """A bound as a TOML literal: `1_000_000`, `0.5`, `1`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 100_000 else str(value)
    return repr(value)


def schema_at(loc: Sequence[str | int]) -> dict[str, Any] | None:
    """The schema node that describes the value at `loc`, or None when there is none."""
    root = scenario_schema()
    node: dict[str, Any] | None = root
    for part in loc:
        node = _resolve(node, root)
        if node is None:
            return None
        if isinstance(part, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(part)
    return _resolve(node, root)


def _resolve(node: dict[str, Any] | None, root: dict[str, Any]) -> dict[str, Any] | None:
    if node is None:
        return None
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        return root.get("$defs", {}).get(name)
    if "anyOf" in node:
        options = [option for option in node["anyOf"] if option.get("type") != "null"]
        return _resolve(options[0], root) if options else None
    return node


def expected(loc: Loc) -> str:
    """What the value at `loc` must be, e.g. `a share from 0 to 1`."""
    node = schema_at(loc)
    if node is None:
        return "nothing here"
    name = loc[-1] if loc else ""
    return describe(node, name if isinstance(name, str) else "")


def describe(node: Mapping[str, Any], name: str = "") -> str:
    """A schema node in words."""
    if "enum" in node:
        return "one of: " + ", ".join(str(choice) for choice in node["enum"])
    kind = node.get("type")
    low, high = node.get("minimum"), node.get("maximum")
    if kind == "number":
        if low == 0 and high == 1:
            return "a share from 0 to 1"
        return f"a number from {number(low)} to {number(high)}" if high is not None else "a number"
    if kind == "integer":
        return f"a whole number from {number(low)} to {number(high)}" if high is not None else "a whole number"
    if kind == "string":
        if node.get("pattern") == IDENTIFIER_PATTERN:
            return f"an id: lowercase letters, digits, '-' or '_', at most {node.get('maxLength', 64)} characters"
        return _text(node.get("minLength", 0), node.get("maxLength"))
    if kind == "array":
        return _array(node, name)
    if kind == "object":
        keys = list(node.get("properties", {}))
        header = f"[{name}] " if name else ""
        return f"a {header}table with keys: {', '.join(keys)}"
    return "a value"


def _text(shortest: int, longest: int | None) -> str:
    if longest is None:
        return "text"
    if shortest:
        return f"text of {shortest} to {longest} characters"
    return f"text of at most {longest} characters"


def _array(node: Mapping[str, Any], name: str) -> str:
    fewest, most = node.get("minItems", 0), node.get("maxItems")
    if name in _TABLE_ARRAYS:
        counted = {0: "any number of", 1: "at least one"}.get(fewest, f"at least {fewest}")
        plural = "table" if fewest == 1 else "tables"
        limit = f" (at most {most})" if most is not None else ""
        return f"{counted} [[{name}]] {plural}{limit}"
    items = node.get("items", {})
    if fewest and most is not None:
        size = f"a list of {fewest} to {most} items"
    elif most is not None:
        size = f"a list of at most {most} items"
    else:
        size = "a list"
    return f"{size}, each {describe(items)}" if items else size


def message_for(error: ErrorDetails) -> tuple[Loc, str]:
    """The key path and the plain message for one pydantic validation error."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    if kind == "missing":
        return loc, _missing(loc)
    if kind == "extra_forbidden":
        return loc, _unknown_key(loc, value)
    want = expected(loc)
    shown = show_value(value)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if isinstance(value, float) and value != value:
            return loc, f"nan is not a number, expected {want}"
        return loc, f"{shown} is out of range, expected {want}"
    if kind == "literal_error":
        choices = [str(choice) for choice in (schema_at(loc) or {}).get("enum", [])]
        if isinstance(value, str):
            return loc, f"{shown} is not a known value, expected {want}{suggestion(value, choices)}"
        return loc, _wrong_type(value, want)
    if kind == "string_pattern_mismatch":
        return loc, f"{shown} is not a valid id, expected {want}{_id_hint(value)}"
    if kind == "string_too_short":
        return loc, f"empty text, expected {want}"
    if kind == "string_too_long":
        return loc, f"text of {len(value) if isinstance(value, str) else '?'} characters is too long, expected {want}"
    if kind in ("too_short", "too_long"):
        count = context.get("actual_length", len(value) if isinstance(value, (list, str)) else "?")
        return loc, f"{count} {'item' if count == 1 else 'items'}, expected {want}"
    if kind.endswith("_type") or kind in ("model_attributes_type", "dict_type"):
        return loc, _wrong_type(value, want)
    if kind == "finite_number":
        return loc, f"{shown} is not a finite number, expected {want}"
    return loc, f"{error['msg'][:1].lower()}{error['msg'][1:]}, expected {want}"


def _missing(loc: Loc) -> str:
    node = schema_at(loc) or {}
    name = loc[-1] if loc else ""
    if node.get("type") == "object":
        required = ", ".join(node.get("required", []))
        return f"missing table [{name}], expected a [{name}] table with at least the keys: {required}"
    if name in _TABLE_ARRAYS:
        return f"missing, expected {expected(loc)}"
    description = str(node.get("description", "")).rstrip(".")
    about = f" ({description[:1].lower()}{description[1:]})" if description else ""
    return f"missing required key, expected {expected(loc)}{about}"


def _unknown_key(loc: Loc, value: object) -> str:
    parent = schema_at(loc[:-1]) or {}
    allowed = list(parent.get("properties", {}))
    noun = "table" if isinstance(value, Mapping) or (
        isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value)
    ) else "key"
    return f"unknown {noun}, expected one of: {', '.join(allowed)}{suggestion(loc[-1], allowed)}"


def _wrong_type(value: object, want: str) -> str:
    if isinstance(value, (Mapping, list)):
        return f"found {kind_of(value)}, expected {want}"
    return f"{show_value(value)} is {kind_of(value)}, expected {want}"


def _id_hint(value: object) -> str:
    if not isinstance(value, str):
        return ""
    fixed = "".join(char if char.isascii() and (char.isalnum() or char in "_-") else "-" for char in value.lower())
    fixed = fixed.strip("-_")
    return f' (e.g. "{fixed}")' if fixed and fixed != value else ""
