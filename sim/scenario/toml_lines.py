"""Find the line of a key in TOML text, so scenario problems can point at it.

`tomllib` keeps no positions, so this module scans the text once and records the
line where each key path first appears: table headers (`[seller]`,
`[[accounts]]`, `[[accounts.stakeholders]]`), keys and dotted keys, and the
elements of arrays and inline tables. A path is a tuple of keys and 0-based
array indexes, e.g. `("accounts", 0, "stakeholders", 1, "role")`.

The scanner is tolerant: it never raises, whatever the text, and a path it does
not know falls back to its nearest known parent (a missing key points at the
header of the table it belongs in).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACES = re.compile(r"[ \t\r]*")
_SCALAR = re.compile(r"[^,\]}\n#]*")
_BASIC_STOP = re.compile(r'["\n]|\\.', re.DOTALL)  # end of a "..." string, or an escape to step over
_LITERAL_STOP = re.compile(r"['\n]")
# Most lines are blank, a comment, or `key = value` with a plain value: read those in one step.
_SIMPLE_LINE = re.compile(
    r"""[ \t]*(?:([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:[^\[{"'\s#][^\n#]*|"[^"\\\n]*"|'[^'\n]*')[ \t]*)?(?:\#[^\n]*)?\r?\n"""
)
_MAX_DEPTH = 64  # deeper values are skipped, not mapped: no scenario key lives that deep


class KeyLines:
    """Line numbers (1-based) of the key paths of one TOML document."""

    def __init__(self, text: str) -> None:
        """Scan `text`; an unreadable stretch is skipped, never raised on."""
        self._lines: dict[Path, int] = {}
        try:
            _Scanner(text, self._lines).scan()
        except Exception:  # noqa: BLE001 - positions are a courtesy; keep whatever was found
            pass

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """Line of `path`, or of its nearest parent found in the text, or None."""
        key = tuple(path)
        while key:
            line = self._lines.get(key)
            if line is not None:
                return line
            key = key[:-1]
        return None

    def exact_line(self, path: Sequence[str | int]) -> int | None:
        """Line of exactly `path`, or None when the text does not spell it out."""
        return self._lines.get(tuple(path))


class _Scanner:
    """A one-pass, forgiving reader of TOML structure (not values)."""

    def __init__(self, text: str, lines: dict[Path, int]) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines = lines
        self.array_sizes: dict[Path, int] = {}  # arrays of tables seen so far

    # -- low-level movement -------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        self.jump(self.pos + count)

    def jump(self, new_pos: int) -> None:
        """Move forward to `new_pos`, counting the newlines passed."""
        new_pos = min(max(new_pos, self.pos), len(self.text))
        self.line += self.text.count("\n", self.pos, new_pos)
        self.pos = new_pos

    def find(self, needle: str) -> int:
        """Position of `needle` from here, or the end of the text."""
        found = self.text.find(needle, self.pos)
        return len(self.text) if found < 0 else found

    def skip_within_line(self, pattern: re.Pattern[str]) -> None:
        """Step over what `pattern` matches here (it never spans a newline)."""
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()

    def skip_spaces(self) -> None:
        self.skip_within_line(_SPACES)

    def skip_comment(self) -> None:
        if self.peek() == "#":
            self.skip_to_line_end()

    def skip_blank(self) -> None:
        """Skip spaces, newlines and comments (inside arrays)."""
        while self.peek():
            self.skip_spaces()
            if self.peek() == "#":
                self.skip_comment()
            elif self.peek() == "\n":
                self.advance()
            else:
                return

    def skip_to_line_end(self) -> None:
        self.jump(self.find("\n"))

    def record(self, path: Path, line: int) -> None:
        for length in range(1, len(path) + 1):
            self.lines.setdefault(path[:length], line)

    # -- structure ----------------------------------------------------------

    def scan(self) -> None:
        table: Path = ()
        while self.pos < len(self.text):
            simple = _SIMPLE_LINE.match(self.text, self.pos)
            if simple:
                if simple.group(1):
                    self.record(table + (simple.group(1),), self.line)
                self.pos = simple.end()
                self.line += 1
                continue
            self.skip_blank()
            char = self.peek()
            if not char:
                return
            start = self.pos
            if char == "[":
                table = self.header()
            else:
                keys = self.key()
                self.skip_spaces()
                if keys and self.peek() == "=":
                    self.advance()
                    self.skip_spaces()
                    path = table + tuple(keys)
                    self.record(path, self.line)
                    self.value(path, 0)
            self.skip_spaces()
            self.skip_comment()
            if self.pos == start:  # never loop in place on text we cannot read
                self.advance()
            self.skip_to_line_end()

    def header(self) -> Path:
        line = self.line
        is_array = self.peek(1) == "["
        self.advance(2 if is_array else 1)
        self.skip_spaces()
        keys = self.key()
        self.skip_spaces()
        self.advance(2 if is_array else 1)
        resolved: Path = ()
        for index, key in enumerate(keys):
            resolved = resolved + (key,)
            last = index == len(keys) - 1
            if last and is_array:
                size = self.array_sizes.get(resolved, 0)
                self.array_sizes[resolved] = size + 1
                resolved = resolved + (size,)
            elif resolved in self.array_sizes:
                resolved = resolved + (self.array_sizes[resolved] - 1,)
        self.record(resolved, line)
        return resolved

    def key(self) -> list[str]:
        """A dotted key such as `a."b c".d`; empty when none is here."""
        keys: list[str] = []
        while True:
            self.skip_spaces()
            char = self.peek()
            if char in ('"', "'"):
                keys.append(self.quoted_key(char))
            elif bare := _BARE_KEY.match(self.text, self.pos):
                keys.append(bare.group())
                self.pos = bare.end()
            else:
                return keys
            self.skip_spaces()
            if self.peek() != ".":
                return keys
            self.advance()

    def quoted_key(self, quote: str) -> str:
        self.advance()
        chars: list[str] = []
        while self.peek() and self.peek() not in (quote, "\n"):
            if quote == '"' and self.peek() == "\\":
                self.advance()
                escaped = self.peek()
                chars.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(escaped, escaped))
            else:
                chars.append(self.peek())
            self.advance()
        self.advance()
        return "".join(chars)

    def value(self, path: Path, depth: int) -> None:
        char = self.peek()
        if char in ('"', "'"):
            self.string(char)
        elif char == "[":
            self.array(path, depth)
        elif char == "{":
            self.inline_table(path, depth)
        else:
            self.skip_within_line(_SCALAR)

    def string(self, quote: str) -> None:
        if self.text.startswith(quote * 3, self.pos):
            self.multiline_string(quote)
            return
        self.advance()
        stop = _BASIC_STOP if quote == '"' else _LITERAL_STOP
        while True:
            found = stop.search(self.text, self.pos)
            if found is None:
                self.jump(len(self.text))
                return
            if found.group() == quote:
                self.jump(found.end())
                return
            if found.group() == "\n":  # an unclosed string ends with its line
                self.jump(found.start())
                return
            self.jump(found.end())  # an escape: step over the escaped character

    def multiline_string(self, quote: str) -> None:
        self.advance(3)
        close = self.find(quote * 3)
        while quote == '"' and self.pos < close:
            escape = self.text.find("\\", self.pos, close)
            if escape < 0:
                break
            self.jump(escape + 2)
            if self.pos > close:  # the escape swallowed a quote of the candidate end
                close = self.find(quote * 3)
        self.jump(close + 3)
        while self.peek() == quote:  # up to two quotes may end the content itself
            self.advance()

    def array(self, path: Path, depth: int) -> None:
        self.advance()
        index = 0
        while self.peek():
            self.skip_blank()
            if self.peek() in ("]", ""):
                break
            start = self.pos
            element = path + (index,)
            self.record(element, self.line)
            if depth < _MAX_DEPTH:
                self.value(element, depth + 1)
            else:
                self.advance()
            self.skip_blank()
            if self.peek() == ",":
                self.advance()
                index += 1
            elif self.pos == start:
                self.advance()
        self.advance()

    def inline_table(self, path: Path, depth: int) -> None:
        self.advance()
        while self.peek() and self.peek() != "\n":
            self.skip_spaces()
            if self.peek() in ("}", ""):
                break
            start = self.pos
            keys = self.key()
            self.skip_spaces()
            if keys and self.peek() == "=":
                self.advance()
                self.skip_spaces()
                member = path + tuple(keys)
                self.record(member, self.line)
                if depth < _MAX_DEPTH:
                    self.value(member, depth + 1)
            self.skip_spaces()
            if self.peek() == ",":
                self.advance()
            elif self.pos == start:
                self.advance()
        if self.peek() == "}":
            self.advance()
