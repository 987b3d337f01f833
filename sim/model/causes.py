"""Causal facts the engine records as they happen: the debrief's only source for why a deal ended."""

from __future__ import annotations

from typing import NamedTuple

Value = float | str | bool


class Cause(NamedTuple):
    """One recorded fact about a deal: its day, a kind the debrief can reason on, a sentence and its values.

    A named tuple: the engine records about a hundred a game, and it is made in a
    fraction of the time of a frozen dataclass.
    """

    day: float
    kind: str
    fact: str
    values: tuple[tuple[str, Value], ...] = ()

    def value(self, name: str, default: Value | None = None) -> Value | None:
        """One of the fact's values by name."""
        for key, value in self.values:
            if key == name:
                return value
        return default

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: day, kind, fact and values."""
        return {"day": round(self.day, 1), "kind": self.kind, "fact": self.fact, "values": dict(self.values)}
