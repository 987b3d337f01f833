"""Compare the model with published field figures: `python -m sim.batch.calibration [--runs N]`.

Prints the tables the README reports: how deals end for an average seller on the
default scenario, how no-decision losses split, how purchase likelihood falls as
the buying group grows, and how the coaching strategies rank.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from sim.scenario.loader import load_scenario
from sim.results import ENDING_KEYS, RunResult
from sim.scenario.models import Scenario
from sim.stages import ACTIVE_STAGES, stage_index
from sim.game import Game
from sim.strategies import load_strategy, play

FORECAST_STAGES = frozenset(ACTIVE_STAGES[stage_index("evaluating"):])  # the seller's forecast categories
ROLES = ("champion", "economic_buyer", "user", "technical", "procurement", "user", "technical", "blocker")


def forecast_endings(scenario: Scenario, strategy: str, seeds: range) -> Counter[str]:
    """Endings of the deals the seller forecast to close within the game, as a sales forecast would.

    A deal is in the forecast once, at the start of some week, it was in evaluation or
    later, not stalled, with a forecast close day inside the game.
    """
    endings: Counter[str] = Counter()
    for seed in seeds:
        game = Game(scenario, seed)
        bot = load_strategy(strategy)(seed)
        forecast: set[str] = set()
        end_day = game.weeks * 7
        while not game.over:
            observation = game.observe()
            for deal in observation.deals:
                if (deal.open and deal.stage in FORECAST_STAGES and deal.forecast_close_day is not None
                        and deal.forecast_close_day <= end_day):
                    forecast.add(deal.id)
            for deal_id, action in bot.choose(observation):
                if game.refusal(deal_id, action) is None:
                    game.act(deal_id, action)
            game.end_turn()
        endings.update(deal.ending for deal in game.result().deals if deal.id in forecast)
    return endings


def no_decision_split(results: list[RunResult]) -> tuple[int, int]:
    """Deals that did not buy for want of a decision: (indecision, status quo).

    Indecision: withered after the customer had started to buy. Status quo: withered
    before the customer ever felt the problem, or chose to keep things as they are.
    """
    indecision = status_quo = 0
    for result in results:
        for deal in result.deals:
            if deal.ending == "no_decision":
                started = any(stage not in ("status_quo", "stalled", "no_decision") for _, stage in deal.stages)
                indecision += started
                status_quo += not started
            elif deal.ending == "lost" and deal.explanation.startswith("Lost to the status quo"):
                status_quo += 1
    return indecision, status_quo


def group_world(size: int) -> Scenario:
    """Eight alike deals in evaluation at an account whose buying group has `size` people."""
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


def _shares(counter: Counter[str]) -> str:
    total = sum(counter.values()) or 1
    return "  ".join(f"{key} {counter[key] / total:5.1%}" for key in ENDING_KEYS)


def main(argv: list[str] | None = None) -> int:
    """Print the calibration tables."""
    parser = argparse.ArgumentParser(prog="python -m sim.batch.calibration", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="games per strategy (default 500)")
    args = parser.parse_args(argv)
    default = load_scenario("default")
    results = {name: [play(default, name, seed) for seed in range(args.runs)]
               for name in ("idle", "random", "pusher", "typical", "advisor")}
    typical = results["typical"]
    print(f"default scenario, seeds 0..{args.runs - 1}\n")
    print("typical, deals in the forecast:       " + _shares(forecast_endings(default, "typical", range(args.runs))))
    pipeline: Counter[str] = Counter()
    for result in typical:
        pipeline.update(result.counts)
    print("typical, whole pipeline:              " + _shares(pipeline))
    indecision, status_quo = no_decision_split(typical)
    both = (indecision + status_quo) or 1
    print(f"typical, no decision + status quo:    indecision {indecision / both:.0%}, "
          f"status quo {status_quo / both:.0%}")
    print("\npurchase likelihood by buying-group size (typical, deals starting in organizing):")
    for size in (1, 2, 4, 6, 8):
        world = group_world(size)
        games = [play(world, "typical", seed) for seed in range(max(20, args.runs // 5))]
        won = sum(g.counts["won"] for g in games) / sum(len(g.deals) for g in games)
        print(f"  {size} people: {won:.0%} won")
    print("\nstrategy   bookings   quota reached   trust   " + "  ".join(f"{key:>11}" for key in ENDING_KEYS))
    for name, games in results.items():
        counts: Counter[str] = Counter()
        for game in games:
            counts.update(game.counts)
        total = sum(counts.values())
        print(f"{name:<9} {sum(g.bookings for g in games) / len(games):>9,.0f}   "
              f"{sum(g.quota_reached for g in games) / len(games):>13.0%}   "
              f"{sum(g.trust for g in games) / len(games):.2f}   "
              + "  ".join(f"{counts[key] / total:>11.0%}" for key in ENDING_KEYS))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
