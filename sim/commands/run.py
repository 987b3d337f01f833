"""The `dealdrift run` command: play one game headless with a coaching strategy."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sim.commands import arguments
from sim.errors import DealDriftError
from sim.results import RunResult
from sim.stages import STAGE_LABELS

if TYPE_CHECKING:
    from sim.game import Game


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `run` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="play one game headless with a coaching strategy",
        description="Play one game of a scenario with a coaching strategy and print the result. "
        "With --from, replay a saved game's weeks 1..K-1 and let the strategy play on from week K "
        "(a take-over: how the debrief's counterfactuals are played).",
        epilog="Examples:\n  dealdrift run default --strategy advisor --seed 3\n"
        "  dealdrift run my.toml --strategy mybots:Careful --json\n"
        "  dealdrift run default --strategy pusher --seed 3 --save pushy.json\n"
        "  dealdrift run --from pushy.json --week 4 --strategy advisor\n\n"
        "With --save, the game is written in the same format as a game played in the terminal "
        "(open it with 'dealdrift play --load', 'dealdrift replay' or 'dealdrift debrief') and "
        "recorded in the history ('dealdrift history').",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", nargs="?", metavar="SCENARIO",
                        help="a bundled scenario name (e.g. default) or a .toml file (not with --from)")
    parser.add_argument(
        "--strategy", default="advisor", metavar="NAME",
        help="idle, random, pusher, typical, advisor, or your own as module:Class (default: advisor)",
    )
    parser.add_argument("--seed", type=arguments.seed, default=None, metavar="N",
                        help="random seed (default: the scenario's; not with --from, which keeps the save's)")
    parser.add_argument("--from", dest="from_save", metavar="SAVE",
                        help="start from a saved game: its weeks before --week are replayed as they were played")
    parser.add_argument("--week", type=int, metavar="K",
                        help="with --from: the week the strategy takes over (1 replays nothing)")
    parser.add_argument("--save", metavar="FILE", help="write the game to FILE as a save, and record it in the history")
    parser.add_argument("--force", action="store_true", help="with --save: replace FILE if it exists")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.set_defaults(handler=handle, parser=parser)


def _check(args: argparse.Namespace) -> None:
    """Misused combinations of options are usage errors (exit 2)."""
    parser: argparse.ArgumentParser = args.parser
    if args.from_save is not None:
        if args.scenario is not None or args.seed is not None:
            parser.error("a saved game keeps its scenario and seed: give SCENARIO and --seed only without --from")
        if args.week is None:
            parser.error("--from needs --week K, the week the strategy takes over")
    else:
        if args.scenario is None:
            parser.error("give a SCENARIO to play, or --from SAVE --week K")
        if args.week is not None:
            parser.error("--week is the week of a take-over: use it with --from SAVE")
    if args.force and args.save is None:
        parser.error("--force only applies to --save FILE")


def handle(args: argparse.Namespace) -> int:
    """Load the scenario (or the save), play it and print the result; save and record it if asked."""
    from sim.game import Game
    from sim.replay import play_on, take_over
    from sim.scenario.loader import load_scenario
    from sim.strategies import load_strategy

    _check(args)
    save = None if args.save is None else Path(args.save)
    if save is not None and save.exists() and not args.force:
        raise DealDriftError(f"{save} already exists; use --force to replace it, or choose another file.")
    strategy_class = load_strategy(args.strategy)
    source = None
    if args.from_save is not None:
        source = Game.load(args.from_save)
        seed = source.seed
    else:
        scenario = load_scenario(args.scenario)
        seed = scenario.scenario.seed if args.seed is None else args.seed
    try:
        if source is not None:
            game, _ = take_over(source, args.week, strategy_class(seed))
        else:
            game = play_on(Game(scenario, seed), strategy_class(seed))
    except DealDriftError:
        raise
    except Exception as error:  # noqa: BLE001 - a user's strategy may raise anything
        if ":" not in args.strategy:
            raise
        print(f"dealdrift: error: strategy {args.strategy} failed with seed {seed}: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    result = game.result(strategy=args.strategy)
    if save is not None:
        _save(game, result, save, args)
    if args.json:
        data = result.to_dict()
        if source is not None:
            data["from"] = {"save": args.from_save, "week": args.week}
        print(json.dumps(data, indent=2))
    else:
        print(summary(result))
        if source is not None:
            print(f"\nWeeks 1 to {args.week - 1} replayed from {args.from_save}; "
                  f"{args.strategy} played from week {args.week}.")
    return 0


def _save(game: Game, result: RunResult, save: Path, args: argparse.Namespace) -> None:
    """Write the save, then record it in the history (a history problem is reported, the save is kept)."""
    from sim.history import HistoryError, record

    try:
        game.save(save)
    except OSError as error:
        raise DealDriftError(f"cannot write {save}: {error.strerror or error}") from None
    try:
        record(result, title=game.scenario.scenario.title, player=args.strategy, save_path=save.resolve(),
               from_week=args.week, branch_of=None if args.from_save is None else Path(args.from_save).resolve())
    except HistoryError as error:
        print(f"dealdrift: warning: the game is saved in {save}, but {error}", file=sys.stderr)
    print(f"Saved the game to {save}", file=sys.stderr)


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
