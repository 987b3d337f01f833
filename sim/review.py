"""What a game teaches its player: its result, the bots on the same world, and the counterfactuals that were played.

This is the data behind every form of the debrief (screen, Markdown, HTML, JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sim.counterfactual import SHADOW, DealCounterfactual, same_world, search_changes, take_overs
from sim.game import Game
from sim.results import DealResult, RunResult


@dataclass(frozen=True, slots=True)
class Review:
    """A game's result with what was played on its world to learn from it."""

    result: RunResult
    title: str
    finished: bool
    week: int
    same_world: dict[str, RunResult]  # bot name -> its game on the same scenario and seed
    counterfactuals: dict[str, DealCounterfactual]  # deal id -> what was played for it

    def to_dict(self) -> dict[str, object]:
        """The debrief as JSON data (the shape `dealdrift debrief --format json` prints)."""
        result = self.result
        return {
            "scenario": result.scenario,
            "title": self.title,
            "seed": result.seed,
            "finished": self.finished,
            "week": self.week,
            "weeks": result.weeks,
            "bookings": result.bookings,
            "quota": result.quota,
            "counts": dict(result.counts),
            "trust": result.trust,
            "cycle_days_mean": result.cycle_days_mean,
            "forecast_error": result.forecast_error,
            "commit_hit_rate": result.commit_hit_rate,
            "pressure_hours": result.pressure_hours,
            "hours_spent": result.hours_spent,
            "bookings_by_week": list(result.bookings_by_week),
            "same_world": {
                name: {
                    "bookings": played.bookings,
                    "forecast_error": played.forecast_error,
                    "endings": {deal.id: deal.ending for deal in played.deals},
                    "bookings_by_week": list(played.bookings_by_week),
                }
                for name, played in self.same_world.items()
            },
            "deals": [self._deal(deal) for deal in result.deals],
        }

    def _deal(self, deal: DealResult) -> dict[str, object]:
        played = self.counterfactuals.get(deal.id)
        counterfactual = change = turning = None
        if played is not None and played.take_over is not None:
            take = played.take_over
            counterfactual = {"from_week": take.from_week, "strategy": take.strategy, "ending": take.ending}
        if played is not None and played.turning_point is not None:
            point = played.turning_point
            turning = {"week": point.week, "yours": list(point.yours), "advisor": list(point.advisor)}
        if played is not None and played.change is not None:
            found = played.change
            change = {
                "week": found.week, "kind": found.kind, "action": found.action,
                "dropped": [list(choice) for choice in found.dropped], "skipped_later": found.skipped_later,
                "ending": found.ending,
            }
        return {
            "id": deal.id,
            "title": deal.title,
            "account": deal.account,
            "value": deal.value,
            "ending": deal.ending,
            "closed_day": deal.closed_day,
            "explanation": deal.explanation,
            "ending_reason": deal.ending_reason,
            "lesson_key": deal.lesson_key,
            "lesson_keys": list(deal.lesson_keys),
            "causes": [{"day": round(cause.day, 1), "fact": cause.fact, "kind": cause.kind} for cause in deal.causes],
            "forecast_calls": list(deal.forecast_calls),
            "attention_by_week": list(deal.attention_by_week),
            "turning_point": turning,
            "counterfactual": counterfactual,
            "single_change": change,
            "changes_tried": 0 if played is None else played.changes_tried,
            "changes_searched": played is not None and played.searched,
        }


def first_review(game: Game) -> Review:
    """The bots from week 1, and each missed deal's turning point and take-over (single changes not yet searched)."""
    observation = game.observe()
    bots = same_world(game)
    played = take_overs(game, advisor_from_week_1=bots.get(SHADOW))
    return Review(
        result=game.result(),
        title=observation.title,
        finished=observation.over,
        week=observation.week,
        same_world=bots,
        counterfactuals={deal.deal_id: deal for deal in played},
    )


def with_changes(game: Game, first: Review) -> Review:
    """`first` completed with the search of single changes."""
    played = search_changes(game, tuple(first.counterfactuals.values()))
    return replace(first, counterfactuals={deal.deal_id: deal for deal in played})


def review(game: Game) -> Review:
    """Play everything the debrief needs on `game`'s world: the bots from week 1 and the counterfactuals."""
    return with_changes(game, first_review(game))
