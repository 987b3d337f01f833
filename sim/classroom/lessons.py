"""What a class missed: for each lesson, how many players' games show the miss in the engine's recorded causes.

Every count comes from the causal facts the engine recorded in each player's own game
(replayed on the class's world), never from an ending alone: "14 of 20 pitched to a
customer in the status quo" counts the players with at least one `pitched_in_status_quo`
fact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sim.debrief import LESSONS
from sim.results import DealResult


def _kinds(deal: DealResult, kind: str) -> list:  # noqa: ANN202 - Causes
    return [cause for cause in deal.causes if cause.kind == kind]


def _pitched_in_status_quo(deal: DealResult) -> bool:
    return bool(_kinds(deal, "pitched_in_status_quo"))


def _lost_way_without_plan(deal: DealResult) -> bool:
    return deal.ending != "won" and any(not cause.value("plan") for cause in _kinds(deal, "lost_way"))


def _withered_after_drifting(deal: DealResult) -> bool:
    stalls = _kinds(deal, "stalled")
    return deal.ending_reason == "withered" and bool(stalls) and stalls[-1].value("cause") in ("drift", "crisis")


def _rejected_unaligned_or_unsold(deal: DealResult) -> bool:
    return any(not cause.value("approved") and (not cause.value("alignment") or cause.value("champion_skill", 0) < 0.3)
               for cause in _kinds(deal, "approval"))


def _pushed(deal: DealResult) -> bool:
    return len(_kinds(deal, "pressure")) + len(_kinds(deal, "discount")) >= 2


@dataclass(frozen=True, slots=True)
class Miss:
    """A habit that misses a lesson, and how to see it in one deal's recorded causes."""

    key: str  # a short id
    lesson: str  # the lesson's key (sim.debrief.LESSONS)
    habit: str  # what the players did, as "N of M players <habit>"
    seen_in: Callable[[DealResult], bool]


MISSES: tuple[Miss, ...] = (
    Miss("pitched_in_status_quo", "create_need", "pitched to a customer in the status quo", _pitched_in_status_quo),
    Miss("lost_way_without_plan", "buying_project",
         "lost a deal whose buying group lost its way with no joint plan", _lost_way_without_plan),
    Miss("withered_after_drifting", "urgency", "let a deal wither after its attention drifted away",
         _withered_after_drifting),
    Miss("rejected_unaligned_or_unsold", "align",
         "had a deal rejected by senior management that served none of its top initiatives or that nobody sold "
         "upward", _rejected_unaligned_or_unsold),
    Miss("pushed", "dont_push", "pushed or discounted a deal two times or more", _pushed),
)


@dataclass(frozen=True, slots=True)
class ClassMiss:
    """One habit across the class: how many players' games show it, out of how many games."""

    key: str
    lesson: str
    habit: str
    players: int
    of: int

    @property
    def sentence(self) -> str:
        """E.g. '14 of 20 players pitched to a customer in the status quo'."""
        return f"{self.players} of {self.of} players {self.habit}"

    @property
    def lesson_text(self) -> str:
        """The lesson it misses."""
        return LESSONS[self.lesson]


def missed(deals: Sequence[DealResult]) -> tuple[str, ...]:
    """The keys of the misses one game's deals show."""
    return tuple(miss.key for miss in MISSES if any(miss.seen_in(deal) for deal in deals))


def class_misses(games: Sequence[tuple[str, ...]]) -> tuple[ClassMiss, ...]:
    """For each miss, how many of the games (given as their `missed` keys) show it; most common first."""
    counts = [ClassMiss(miss.key, miss.lesson, miss.habit, sum(miss.key in game for game in games), len(games))
              for miss in MISSES]
    return tuple(sorted(counts, key=lambda item: -item.players))
