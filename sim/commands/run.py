"""The `dealdrift run` command: play one game headless with a coaching strategy."""

from __future__ import annotations

import argparse
import json
import sys

from sim.commands import arguments
from sim.results import RunResult
from sim.stages import STAGE_LABELS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `run` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="play one game headless with a coaching strategy",
        description="Play one game of a scenario with a coaching strategy and print the result.",
        epilog="Examples:\n  dealdrift run default --strategy advisor --seed 3\n"
        "  dealdrift run my.toml --strategy mybots:Careful --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name (e.g. default) or a .toml file")
    parser.add_argument(
        "--strategy", default="advisor", metavar="NAME",
        help="idle, random, pusher, typical, advisor, or your own as module:Class (default: advisor)",
    )
    parser.add_argument("--seed", type=arguments.seed, default=None, metavar="N",
                        help="random seed (default: the scenario's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Load the scenario, play it and print the result."""
    from sim.scenario.loader import load_scenario
    from sim.strategies import load_strategy, play

    scenario = load_scenario(args.scenario)
    strategy_class = load_strategy(args.strategy)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    try:
        result = play(scenario, strategy_class(seed), seed)
    except Exception as error:  # noqa: BLE001 - a user's strategy may raise anything
        if ":" not in args.strategy:
            raise
        print(f"dealdrift: error: strategy {args.strategy} failed with seed {seed}: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    result = _named(result, args.strategy)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(summary(result))
    return 0


def _named(result: RunResult, name: str) -> RunResult:
    from dataclasses import replace

    return replace(result, strategy=name)


def summary(result: RunResult) -> str:
    """A short human summary of one game."""
    counts = result.counts
    attained = result.bookings / result.quota if result.quota else 1.0
    lines = [
        f"{result.scenario} · strategy {result.strategy} · seed {result.seed}",
        f"Bookings {result.bookings:,} of quota {result.quota:,} ({attained:.0%})   trust {result.trust:.2f}",
        "Deals: " + ", ".join(f"{counts[key]} {key.replace('_', ' ')}" for key in counts),
        "",
    ]
    width = max(len(deal.title) for deal in result.deals)
    for deal in result.deals:
        ending = STAGE_LABELS.get(deal.ending, deal.ending)
        lines.append(f"  {deal.title:<{width}}  {ending:<12} {deal.explanation}")
    return "\n".join(lines)
