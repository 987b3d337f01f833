"""Causal facts the engine records as they happen: the debrief's only source for why a deal ended."""

from __future__ import annotations

from typing import NamedTuple

from sim.model.curves import rounded

Value = float | str | bool


class Cause(NamedTuple):
    """One recorded fact about a deal: its day, a kind the debrief can reason on, a sentence and its values.

    A named tuple: the engine records about a hundred a game, and it is made in a
    fraction of the time of a frozen dataclass. Its values are one flat tuple (name,
    value, name, value, ...), not a pair per value: a game of 5,000 deals keeps about
    16,000 causes to its end, and a tuple per value was half the objects of its result.
    """

    day: float
    kind: str
    fact: str
    values: tuple[str | Value, ...] = ()  # name, value, name, value, ...

    def value(self, name: str, default: Value | None = None) -> Value | None:
        """One of the fact's values by name."""
        values = self.values
        for index in range(0, len(values), 2):
            if values[index] == name:
                return values[index + 1]
        return default

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: day, kind, fact and values (by name)."""
        values = self.values
        named = {values[index]: values[index + 1] for index in range(0, len(values), 2)}
        return {"day": rounded(self.day, 1), "kind": self.kind, "fact": self.fact, "values": named}


def flat_values(values: dict[str, Value]) -> tuple[str | Value, ...]:
    """`values` as a Cause holds them: name, value, name, value, ..."""
    flat: list[str | Value] = []
    for name, value in values.items():
        flat.append(name)
        flat.append(value)
    return tuple(flat)
