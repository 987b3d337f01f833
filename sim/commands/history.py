"""The `dealdrift history` command: the games played to their end, newest first."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING

from sim.stages import ENDING_KEYS, ENDING_SHORT_LABELS

if TYPE_CHECKING:
    from sim.history import Entry


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `history` subcommand."""
    parser = subparsers.add_parser(
        "history",
        help="list the games played to their end (in the terminal, or by 'run --save')",
        description="List the games in the local history, the most recent first: every game played to its "
        "end in the terminal (player 'you') and every 'dealdrift run --save' (player: the strategy).",
        epilog="The history is history.sqlite3 in the Deal Drift data folder ($DEALDRIFT_HOME if set, "
        "otherwise the platform's user data folder).",
    )
    parser.add_argument("--scenario", metavar="ID", help="only games of this scenario (its id, e.g. default)")
    parser.add_argument("--player", metavar="NAME", help="only games of this player ('you' or a strategy's name)")
    parser.add_argument("--limit", type=_count, metavar="N", help="at most N games")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(handler=handle)


def _count(text: str) -> int:
    """An argparse type: a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a number of games, expected 1 or more")
    return value


def handle(args: argparse.Namespace) -> int:
    """Print the history as a table or as JSON."""
    from sim.history import entries, history_path

    games = entries(scenario=args.scenario, player=args.player, limit=args.limit)
    if args.json:
        print(json.dumps({"history": str(history_path()), "games": [game.to_dict() for game in games]}, indent=2))
        return 0
    if not games:
        print(f"No finished games in the history yet ({history_path()}).")
        return 0
    print(table(games))
    return 0


def _when(played_at: str) -> str:
    try:
        return datetime.fromisoformat(played_at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return played_at[:16]


def table(games: list[Entry]) -> str:
    """The games as an aligned text table."""
    rows = [("date", "scenario", "seed", "player", "bookings", "endings")]
    for game in games:
        share = f"{game.bookings / game.quota:.0%}" if game.quota else "-"
        counts = game.counts
        endings = "endings unreadable" if counts is None else " · ".join(
            f"{counts[key]} {ENDING_SHORT_LABELS[key]}" for key in ENDING_KEYS if counts[key])
        player = game.player if game.from_week is None else f"{game.player} (from week {game.from_week})"
        rows.append((_when(game.played_at), game.scenario, str(game.seed), player,
                     f"{game.bookings:,} of {game.quota:,} ({share})", endings))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [f"{cell:>{width}}" if column == 2 else f"{cell:<{width}}"
                 for column, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)
