"""The seller's forecast calls, and how they are scored against what closed.

Each week the seller may call every open deal `commit` (it will close in this period),
`best_case` (it might) or `pipeline` (not this period); a deal never called is pipeline,
and a call stands until it is changed. The week's forecast number is what is already
booked plus the value of the deals called commit.

The calls are scored where a forecast is a judgement, on the deals in a forecast stage
(evaluating or later) each week:

    forecast error = sum of value x |call - outcome| / sum of value

over every week and every such deal, where a commit counts as 1, best case as 0.5 and
pipeline as 0, and the outcome is 1 if the deal was won by the end of the game. It is
the share of the forecast's value that was called wrong. Every seller is judged on the
deals they brought into the forecast stages, against how those deals really ended: a
seller who wins more is not penalised for deals no one could have forecast yet, and
one who calls everything pipeline is wrong on every deal that closes. The commit hit
rate is the share of weekly commit calls on deals that were then won.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.stages import ACTIVE_STAGES, stage_index

COMMIT = "commit"
BEST_CASE = "best_case"
PIPELINE = "pipeline"
FORECAST_CALLS: tuple[str, ...] = (COMMIT, BEST_CASE, PIPELINE)
CALL_LABELS: dict[str, str] = {COMMIT: "commit", BEST_CASE: "best case", PIPELINE: "pipeline"}
CALL_WEIGHT: dict[str, float] = {COMMIT: 1.0, BEST_CASE: 0.5, PIPELINE: 0.0}
FORECAST_STAGES = frozenset(ACTIVE_STAGES[stage_index("evaluating"):])


# One open deal's call in one week: (deal id, call, value, the stage it was in; stalled: the stage it left).
# A plain tuple of plain values: one is kept for every open deal every week, and the
# garbage collector stops watching those after its first look (it keeps watching any
# class, named tuples included), which matters in worlds of thousands of deals.
DealCall = tuple[str, str, int, str]


@dataclass(frozen=True, slots=True)
class WeekForecast:
    """The forecast as it stood when a week was played: bookings so far and each open deal's call."""

    week: int
    booked: int
    calls: tuple[DealCall, ...]

    @property
    def committed(self) -> int:
        """The value of the deals called commit."""
        return sum(value for _deal_id, call, value, _stage in self.calls if call == COMMIT)

    @property
    def forecast(self) -> int:
        """Booked so far plus committed."""
        return self.booked + self.committed


def forecast_error(weeks: Sequence[WeekForecast], won: set[str]) -> float | None:
    """The share of the value in forecast stages that was called wrong (None if no deal was ever in one)."""
    wrong = total = 0.0
    for week in weeks:
        for deal_id, call, value, stage in week.calls:
            if stage in FORECAST_STAGES:
                wrong += value * abs(CALL_WEIGHT[call] - (deal_id in won))
                total += value
    return wrong / total if total else None


def commit_hit_rate(weeks: Sequence[WeekForecast], won: set[str]) -> float | None:
    """The share of weekly commit calls made on deals that were then won (None without any commit call)."""
    calls = [deal_id for week in weeks for deal_id, call, _value, _stage in week.calls if call == COMMIT]
    if not calls:
        return None
    return sum(deal_id in won for deal_id in calls) / len(calls)
