"""Plain frozen records of a finished game, for the debrief, the CLI and batch statistics."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sim.model.causes import Cause


@dataclass(frozen=True, slots=True)
class DealResult:
    """How one deal went."""

    id: str
    title: str
    account: str
    value: int
    ending: str  # won, lost, no_decision, rejected or open
    ending_reason: str  # signed, competitor, status_quo, withered, senior_management, or stalled / moving (open)
    closed_day: float | None
    stages: tuple[tuple[float, str], ...]
    explanation: str
    lesson: str  # the text of the main lesson ("" for none)
    lesson_key: str | None  # the main lesson it illustrates, or None
    lesson_keys: tuple[str, ...]  # every lesson it illustrates, the main one first
    cycle_days: float | None
    attention_by_week: tuple[float, ...]
    causes: tuple[Cause, ...]  # facts recorded as they happened, oldest first
    forecast_calls: tuple[str, ...]  # your call for each week the deal was open


@dataclass(frozen=True, slots=True)
class RunResult:
    """The outcome of one game: score card, per-deal endings and the trajectory of bookings."""

    scenario: str
    seed: int
    strategy: str
    weeks: int
    bookings: int
    quota: int
    trust: float
    counts: dict[str, int]
    deals: tuple[DealResult, ...]
    cycle_days_mean: float | None
    forecast_error: float | None  # share of the value in forecast stages called wrong (sim.forecast)
    commit_hit_rate: float | None  # share of weekly commit calls on deals then won
    pressure_hours: int
    hours_spent: int
    bookings_by_week: tuple[int, ...]

    @property
    def quota_reached(self) -> bool:
        """True when bookings reached the quota."""
        return self.bookings >= self.quota

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (stage histories as [day, stage] pairs)."""
        data = asdict(self)
        data["deals"] = list(data["deals"])
        for deal in data["deals"]:
            deal["stages"] = [[day, stage] for day, stage in deal["stages"]]
            deal["attention_by_week"] = list(deal["attention_by_week"])
            deal["lesson_keys"] = list(deal["lesson_keys"])
            deal["forecast_calls"] = list(deal["forecast_calls"])
        for deal, source in zip(data["deals"], self.deals):
            deal["causes"] = [cause.to_dict() for cause in source.causes]
        data["bookings_by_week"] = list(data["bookings_by_week"])
        return data
