"""Compare the model with published field figures: `python -m sim.batch.calibration [--runs N]`.

Every game is played by `play`, the code path every user runs. For each scenario it
measures, for the `typical` seller: how the deals it called commit ended (CSO
Insights), how many pipeline deals end in no decision and how those split between
indecision and the status quo (Dixon & McKenna); on a world of its own, how purchase
likelihood falls as the buying group grows (CEB). Each figure is checked against a
field range; the strategies' table follows.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sim.results import RunResult
from sim.scenario.loader import load_scenario
from sim.scenario.models import Scenario
from sim.stages import ENDING_KEYS
from sim.strategies import play

STRATEGIES = ("idle", "random", "pusher", "typical", "advisor")
ROLES = ("champion", "economic_buyer", "user", "technical", "procurement", "user", "technical", "blocker")
GROUP_SIZES = (1, 2, 4, 6, 8)


@dataclass(frozen=True, slots=True)
class FieldFigure:
    """A published figure and the range a calibrated model must fall in."""

    name: str
    source: str
    field: str
    low: float
    high: float

    def holds(self, value: float) -> bool:
        """True when `value` is inside the range."""
        return self.low <= value <= self.high


# Point figures get a range of +-10 points around them; the group-size fall +-0.13 around 0.38.
FIELD: dict[str, FieldFigure] = {figure.name: figure for figure in (
    FieldFigure("forecast_won", "CSO Insights 2018-19", "47% of forecast deals won", 0.37, 0.57),
    FieldFigure("forecast_lost", "CSO Insights 2018-19", "32% lost (to a competitor or rejected)", 0.22, 0.42),
    FieldFigure("forecast_no_decision", "CSO Insights 2018-19", "21% no decision", 0.11, 0.31),
    FieldFigure("pipeline_no_decision", "Dixon & McKenna", "40-60% of pipeline deals end in no decision", 0.40, 0.60),
    FieldFigure("indecision_share", "Dixon & McKenna", "56% of no decisions are indecision (44% status quo)",
                0.46, 0.66),
    FieldFigure("group_fall", "CEB", "purchase likelihood 81% -> 31% from 1 to 6 people: x0.38", 0.25, 0.51),
)}


def committed_endings(results: Sequence[RunResult]) -> Counter[str]:
    """How the deals the seller called commit (in any week) ended: the seller's forecast deals."""
    endings: Counter[str] = Counter()
    for result in results:
        endings.update(deal.ending for deal in result.deals if "commit" in deal.forecast_calls)
    return endings


def no_decision_split(results: Sequence[RunResult]) -> tuple[int, int]:
    """Deals that ended in no decision: (indecision, status quo).

    Status quo: the customer decided to keep things as they are, or never left the
    status quo before withering. Indecision: withered after the customer had started to buy.
    """
    indecision = status_quo = 0
    for result in results:
        for deal in result.deals:
            if deal.ending != "no_decision":
                continue
            started = any(stage not in ("status_quo", "stalled", "no_decision") for _, stage in deal.stages)
            if deal.ending_reason == "status_quo" or not started:
                status_quo += 1
            else:
                indecision += 1
    return indecision, status_quo


def group_world(size: int) -> Scenario:
    """Eight alike deals starting in organizing at an account whose buying group has `size` people."""
    return Scenario.model_validate({
        "scenario": {"id": f"group-{size}", "title": "Buying group", "weeks": 13, "seed": 1},
        "seller": {"hours_per_week": 30, "quota": 1},
        "accounts": [{
            "id": "account", "name": "Account", "buying_maturity": 0.4, "initiatives": ["core", "other"],
            "crisis_rate": 0.05, "priority_shift_rate": 0.02, "turnover_rate": 0.01, "budget_freeze_rate": 0.005,
            "stakeholders": [{"id": f"p{i}", "name": f"P{i}", "role": ROLES[i], "influence": 0.5}
                             for i in range(size)],
        }],
        "deals": [{"id": f"d{i}", "account": "account", "title": f"Deal {i}", "value": 100_000,
                   "stage": "organizing", "business_impact": 400_000, "criticality": 0.45, "initiative": "core"}
                  for i in range(8)],
    })


def purchase_likelihood(size: int, runs: int) -> float:
    """The share of deals `typical` wins on `group_world(size)`."""
    games = [play(group_world(size), "typical", seed) for seed in range(runs)]
    return sum(game.counts["won"] for game in games) / sum(len(game.deals) for game in games)


def typical_figures(results: Sequence[RunResult]) -> dict[str, float]:
    """The field figures measured on `typical`'s games of one scenario."""
    committed = committed_endings(results)
    called = sum(committed[key] for key in ("won", "lost", "rejected", "no_decision")) or 1
    pipeline: Counter[str] = Counter()
    for result in results:
        pipeline.update(result.counts)
    ended = sum(pipeline.values()) - pipeline["open"] or 1
    indecision, status_quo = no_decision_split(results)
    return {
        "forecast_won": committed["won"] / called,
        "forecast_lost": (committed["lost"] + committed["rejected"]) / called,
        "forecast_no_decision": committed["no_decision"] / called,
        "pipeline_no_decision": pipeline["no_decision"] / ended,
        "indecision_share": indecision / ((indecision + status_quo) or 1),
    }


def _verdict(figure: FieldFigure, value: float) -> str:
    mark = "inside" if figure.holds(value) else "OUTSIDE"
    scale = 1 if figure.name == "group_fall" else 100
    unit = "" if figure.name == "group_fall" else "%"
    return (f"{value * scale:6.{2 if scale == 1 else 0}f}{unit}  {mark} {figure.low * scale:.{2 if scale == 1 else 0}f}"
            f"-{figure.high * scale:.{2 if scale == 1 else 0}f}{unit}   field: {figure.field} ({figure.source})")


def main(argv: list[str] | None = None) -> int:
    """Print the calibration tables; exit 1 when a figure falls outside its field range."""
    parser = argparse.ArgumentParser(prog="python -m sim.batch.calibration", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="games per strategy and scenario (default 500)")
    parser.add_argument("--scenario", action="append", metavar="NAME",
                        help="a scenario to calibrate (repeatable; default: default and enterprise)")
    args = parser.parse_args(argv)
    outside = 0
    for name in args.scenario or ["default", "enterprise"]:
        scenario = load_scenario(name)
        results = {strategy: [play(scenario, strategy, seed) for seed in range(args.runs)]
                   for strategy in STRATEGIES}
        print(f"{name} scenario, seeds 0..{args.runs - 1}, typical seller:")
        for key, value in typical_figures(results["typical"]).items():
            outside += not FIELD[key].holds(value)
            print(f"  {key:<22}{_verdict(FIELD[key], value)}")
        print("\n  strategy   bookings   quota reached   trust   fcst err   " + "  ".join(f"{k:>11}" for k in ENDING_KEYS))
        for strategy, games in results.items():
            counts: Counter[str] = Counter()
            for game in games:
                counts.update(game.counts)
            total = sum(counts.values())
            errors = [game.forecast_error for game in games if game.forecast_error is not None]
            print(f"  {strategy:<9} {sum(g.bookings for g in games) / len(games):>9,.0f}   "
                  f"{sum(g.quota_reached for g in games) / len(games):>13.0%}   "
                  f"{sum(g.trust for g in games) / len(games):.2f}   "
                  f"{sum(errors) / max(1, len(errors)):>8.0%}   "
                  + "  ".join(f"{counts[key] / total:>11.0%}" for key in ENDING_KEYS))
        print()
    runs = max(20, args.runs // 5)
    likelihood = {size: purchase_likelihood(size, runs) for size in GROUP_SIZES}
    print(f"purchase likelihood by buying-group size (typical, deals starting in organizing, {runs} games each):")
    for size, won in likelihood.items():
        print(f"  {size} people: {won:.0%} won")
    fall = likelihood[6] / likelihood[1] if likelihood[1] else 0.0
    outside += not FIELD["group_fall"].holds(fall)
    print(f"  {'group_fall':<22}{_verdict(FIELD['group_fall'], fall)}")
    if outside:
        print(f"\n{outside} figure(s) outside their field range.")
    return 1 if outside else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
