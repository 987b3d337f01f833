"""The `dealdrift` console script: the engine's commands plus `play` and `debrief`, which need the terminal UI.

Textual is imported only inside the handlers, so `dealdrift run`, `batch` and
`scenario` start without loading it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.commands import arguments
from sim.commands.exits import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from sim.commands.main import build_parser as engine_parser
from sim.commands.main import main as engine_main
from sim.commands import COMMANDS
from sim.errors import DealDriftError
from sim.scenario.loader import load_scenario


_PLAY_DESCRIPTION = (
    "Play Deal Drift in the terminal. Without SCENARIO, choose one from the bundled scenarios "
    "(Enter starts the one highlighted). The game is saved at its start, after every week, "
    "each time you queue or cancel an action, and when you quit: a closed terminal loses nothing."
)
_PLAY_EPILOG = (
    "Saved games go to the 'saves' folder of the Deal Drift data folder: $DEALDRIFT_HOME if set, "
    "otherwise the platform's user data folder (e.g. ~/.local/share/dealdrift on Linux). "
    "In the game, press ? for every key. 'dealdrift debrief SAVE' writes a game's debrief to a file."
)


def register_play(subparsers: argparse._SubParsersAction) -> None:
    """Add the `play` subcommand."""
    parser = subparsers.add_parser(
        "play", help="play a scenario in the terminal (the default command)", description=_PLAY_DESCRIPTION, epilog=_PLAY_EPILOG
    )
    parser.add_argument(
        "scenario", nargs="?", metavar="SCENARIO",
        help="a bundled scenario (tutorial, default, ...: see 'dealdrift scenario list') or a scenario file",
    )
    parser.add_argument(
        "--seed", type=arguments.seed, metavar="N", help="random seed of a new game (default: the scenario's own)"
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
    from .session import Session

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
    from .app import DealDriftApp

    app = DealDriftApp(scenario=scenario, seed=args.seed, session=session, theme=args.theme)
    app.run()
    return EXIT_OK if app.return_code in (None, 0) else EXIT_FAILURE


_DEBRIEF_DESCRIPTION = (
    "Write the debrief of a saved game, finished or not: the score card (bookings against quota, "
    "endings, cycle time, forecast accuracy, trust), how each deal ended and why, the lesson it "
    "illustrates, charts of bookings and attention, and what would have helped. It is the same "
    "debrief the game shows when it ends."
)
_DEBRIEF_EPILOG = (
    "By default the debrief is printed to standard output; --out FILE writes it to FILE instead "
    "(replacing it). Without SAVE, the game played most recently is used: saved games are in the "
    "'saves' folder of $DEALDRIFT_HOME, or of the platform's user data folder."
)


def register_debrief(subparsers: argparse._SubParsersAction) -> None:
    """Add the `debrief` subcommand."""
    parser = subparsers.add_parser(
        "debrief",
        help="write the debrief of a saved game (Markdown or HTML)",
        description=_DEBRIEF_DESCRIPTION,
        epilog=_DEBRIEF_EPILOG,
    )
    parser.add_argument(
        "save", nargs="?", metavar="SAVE", help="a save file (default: the game played most recently)"
    )
    parser.add_argument(
        "--format", choices=("md", "html"),
        help="md (Markdown) or html (default: html when --out ends in .html or .htm, else md)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write the debrief to FILE instead of printing it ('-' prints it)"
    )
    parser.set_defaults(handler=run_debrief)


def run_debrief(args: argparse.Namespace) -> int:
    """Load the save, build its debrief and print or write it."""
    from .report import debrief_for, render
    from .session import Session

    session = Session.load(args.save) if args.save else Session.resume()
    out = None if args.out in (None, "-") else Path(args.out)
    file_format = args.format or ("html" if out is not None and out.suffix.lower() in (".html", ".htm") else "md")
    text = render(debrief_for(session.game), file_format)
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise DealDriftError(f"cannot write {out}: {error.strerror or error}") from None
    print(f"Wrote the debrief of {session.save_path} to {out}", file=sys.stderr)
    return EXIT_OK


ALL_COMMANDS = (register_play, *COMMANDS, register_debrief)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the `dealdrift` console script, every command registered."""
    return engine_parser(ALL_COMMANDS, default="play")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `dealdrift`; with no command it plays."""
    return engine_main(argv, commands=ALL_COMMANDS, default="play")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
