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

from collections.abc import Mapping
from typing import Final

from sim.stages import ACTIVE_STAGES, stage_index

COMMIT: Final = "commit"
BEST_CASE: Final = "best_case"
PIPELINE: Final = "pipeline"
FORECAST_CALLS: Final[tuple[str, ...]] = (COMMIT, BEST_CASE, PIPELINE)
CALL_LABELS: Final[dict[str, str]] = {COMMIT: "commit", BEST_CASE: "best case", PIPELINE: "pipeline"}
FORECAST_STAGES: Final = frozenset(ACTIVE_STAGES[stage_index("evaluating"):])


# A call's weight in halves, so that every sum stays a whole number and exact.
CALL_HALVES: Final[dict[str, int]] = {COMMIT: 2, BEST_CASE: 1, PIPELINE: 0}


class DealCalls:
    """One deal's calls over the weeks, summed as they are made."""

    __slots__ = ("forecast_value", "called_halves", "commits")

    def __init__(self) -> None:
        self.forecast_value = 0  # its value, once for every week it was in a forecast stage
        self.called_halves = 0  # its value times the call's weight in halves, over those weeks
        self.commits = 0  # weeks it was called commit

    def add(self, call: str, value: int, stage: str) -> None:
        """The deal's call in the week being played (stalled: `stage` is the stage it left)."""
        if call == COMMIT:
            self.commits += 1
        if stage in FORECAST_STAGES:
            self.forecast_value += value
            self.called_halves += value * CALL_HALVES[call]


class ForecastScore:
    """The forecast's scores over every deal's calls, as each deal's `DealCalls` summed them week by week.

    Sums, not a record per open deal per week: the synthetic world of 5,000 deals in the
    benchmarks has 42,600 open deal-weeks in a year. The sums are whole numbers, so the scores are exact whatever
    the order the calls were added in.
    """

    def __init__(self, deals: Mapping[str, DealCalls]) -> None:
        self.deals = deals  # deal id -> its sums (the game's notes of each deal), read when scored

    def error(self, won: set[str]) -> float | None:
        """The share of the value in forecast stages that was called wrong (None if no deal was ever in one)."""
        wrong_halves = total = 0
        for deal_id, calls in self.deals.items():
            total += calls.forecast_value
            # Won: each week's call was wrong by (1 - weight); not won, by its weight.
            wrong_halves += 2 * calls.forecast_value - calls.called_halves if deal_id in won else calls.called_halves
        return wrong_halves / (2 * total) if total else None

    def commit_hit_rate(self, won: set[str]) -> float | None:
        """The share of weekly commit calls made on deals that were then won (None without any commit call)."""
        commits = sum(calls.commits for calls in self.deals.values())
        if not commits:
            return None
        return sum(calls.commits for deal_id, calls in self.deals.items() if deal_id in won) / commits
