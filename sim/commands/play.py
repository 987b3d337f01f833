"""The `dealdrift play` command: play a scenario in the terminal, or continue a saved game."""

from __future__ import annotations

import argparse
import sys

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_DESCRIPTION = (
    "Play Deal Drift in the terminal. Without SCENARIO, choose one from the bundled scenarios "
    "(Enter starts the one highlighted). The game is saved at its start, after every week, "
    "each time you queue or cancel an action, and when you quit: a closed terminal loses nothing."
)
_EPILOG = (
    "Saved games go to the 'saves' folder of the Deal Drift data folder: $DEALDRIFT_HOME if set, "
    "otherwise the platform's user data folder (e.g. ~/.local/share/dealdrift on Linux). "
    "In the game, press ? for every key. 'dealdrift debrief SAVE' writes a game's debrief to a file."
)


def _seed(text: str) -> int:
    """An argparse type: a whole number from 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is out of range, expected 0 to {2**63 - 1}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `play` subcommand."""
    parser = subparsers.add_parser(
        "play", help="play a scenario in the terminal (the default command)", description=_DESCRIPTION, epilog=_EPILOG
    )
    parser.add_argument(
        "scenario", nargs="?", metavar="SCENARIO",
        help="a bundled scenario (tutorial, default, ...: see 'dealdrift scenario list') or a scenario file",
    )
    parser.add_argument(
        "--seed", type=_seed, metavar="N", help="random seed of a new game (default: the scenario's own)"
    )
    saved = parser.add_mutually_exclusive_group()
    saved.add_argument("--resume", action="store_true", help="continue the game played most recently")
    saved.add_argument("--load", metavar="SAVE", help="continue the game saved in the file SAVE")
    parser.add_argument(
        "--theme", choices=("dark", "light"), default="dark",
        help="colour theme (default: %(default)s; Ctrl+P in the game switches themes)",
    )
    parser.set_defaults(handler=run_play)


def run_play(args: argparse.Namespace) -> int:
    """Load what was asked for (reporting problems before the screen is taken over), then run the game."""
    if (args.resume or args.load) and (args.scenario is not None or args.seed is not None):
        print(
            "dealdrift play: error: a saved game keeps its scenario and seed; "
            "give SCENARIO and --seed only for a new game",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Imported here so that `import sim` and the other commands never load the terminal interface.
    from ..loader import load_scenario
    from tui.session import Session

    session = scenario = None
    if args.load:
        session = Session.load(args.load)
    elif args.resume:
        session = Session.resume()
    elif args.scenario is not None:
        scenario = load_scenario(args.scenario)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("dealdrift play: error: the game needs an interactive terminal", file=sys.stderr)
        return EXIT_FAILURE
    from tui.app import DealDriftApp

    app = DealDriftApp(scenario=scenario, seed=args.seed, session=session, theme=args.theme)
    app.run()
    return EXIT_OK if app.return_code in (None, 0) else EXIT_FAILURE
