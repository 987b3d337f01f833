"""Causal facts the engine records as they happen: the debrief's only source for why a deal ended."""

from __future__ import annotations

from dataclasses import dataclass

Value = float | str | bool


@dataclass(frozen=True, slots=True)
class Cause:
    """One recorded fact about a deal: its day, a kind the debrief can reason on, a sentence and its values."""

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
