"""The `dealdrift` console script: the engine's commands plus `play`, `debrief` and `replay`, which need the UI.

Textual is imported only inside the handlers, so `dealdrift run`, `batch` and
`scenario` start without loading it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sim.commands import arguments
from sim.commands.exits import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from sim.commands.main import build_parser as engine_parser
from sim.commands.main import main as engine_main
from sim.commands import COMMANDS
from sim.commands.output import emit, output_path

from .display import has_display


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
    parser.add_argument(
        "--class", dest="class_name", metavar="NAME",
        help="play in a class of the class store: asks your name, then records every week for the trainer "
             "(what 'dealdrift serve' runs for each browser)",
    )
    parser.add_argument("--db", metavar="PATH", help="the class store of --class (default: the data folder's)")
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
    in_class = args.class_name is not None or args.db is not None
    if in_class and (args.resume or args.load or args.scenario is not None or args.seed is not None):
        print(
            "dealdrift play: error: a class game plays the class's scenario and seed; "
            "give none of SCENARIO, --seed, --resume and --load with --class or --db",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Imported here so that `import sim` and the other commands never load the terminal interface.
    from .session import Session

    session = scenario = classroom = None
    if in_class:
        from .classroom import ClassSeat

        classroom = ClassSeat.from_environment(args.db, args.class_name)
    elif args.load:
        session = Session.load(args.load)
    elif args.resume:
        session = Session.resume()
    elif args.scenario is not None:
        from sim.scenario.loader import load_scenario  # without SCENARIO, the picker checks the scenarios itself

        scenario = load_scenario(args.scenario)
    if not has_display():
        print("dealdrift play: error: the game needs an interactive terminal (or a browser: dealdrift serve)",
              file=sys.stderr)
        return EXIT_FAILURE
    from .app import DealDriftApp

    app = DealDriftApp(scenario=scenario, seed=args.seed, session=session, theme=args.theme, classroom=classroom)
    app.run()
    return EXIT_OK if app.return_code in (None, 0) else EXIT_FAILURE


_DEBRIEF_DESCRIPTION = (
    "Write the debrief of a saved game, finished or not: the score card (bookings against quota, "
    "endings, cycle time, forecast accuracy, trust), what advisor and typical book on the same world, "
    "how each deal ended and why, the lesson it illustrates, charts of bookings and attention, and "
    "what would have helped: counterfactuals played on the game's own world (advisor taking over at "
    "each lost deal's turning point, and single changes to your play). It is the same debrief the "
    "game shows when it ends."
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
        help="write the debrief of a saved game (Markdown, HTML or JSON)",
        description=_DEBRIEF_DESCRIPTION,
        epilog=_DEBRIEF_EPILOG,
    )
    parser.add_argument(
        "save", nargs="?", metavar="SAVE", help="a save file (default: the game played most recently)"
    )
    parser.add_argument(
        "--format", choices=("md", "html", "json"),
        help="md (Markdown), html (one self-contained page with SVG charts) or json "
        "(default: from the extension of --out, else md)",
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write the debrief to FILE instead of printing it ('-' prints it)"
    )
    parser.set_defaults(handler=run_debrief)


_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".json": "json"}


def run_debrief(args: argparse.Namespace) -> int:
    """Load the save, play its review (the bots and the counterfactuals) and print or write its debrief."""
    import json

    from sim.review import review

    from .report import debrief_for, render
    from .session import Session

    session = Session.load(args.save) if args.save else Session.resume()
    out = output_path(args.out)
    file_format = args.format or (_SUFFIX_FORMATS.get(out.suffix.lower(), "md") if out is not None else "md")
    if sys.stderr.isatty():
        print("Playing the bots and the counterfactuals on this game's world…", file=sys.stderr, flush=True)
    played = review(session.game)
    if file_format == "json":
        text = json.dumps(played.to_dict(), indent=2) + "\n"
    else:
        text = render(debrief_for(session.game, played), file_format)
    if emit(text, out):
        print(f"Wrote the debrief of {session.save_path} to {out}", file=sys.stderr)
    return EXIT_OK


def register_replay(subparsers: argparse._SubParsersAction) -> None:
    """Add the `replay` subcommand."""
    parser = subparsers.add_parser(
        "replay",
        help="step through a saved game week by week, and play on from any week",
        description="Step through a finished or running game week by week: the pipeline as it was at the "
        "start of each week, the actions taken and what happened. From any week, b plays on as a new game "
        "in a new save file; the replayed save is never changed.",
        epilog="Keys: ← → (or p n) move between weeks, Home and End jump to the first week and the end, "
        "b plays on from the week shown, ? lists every key.",
    )
    parser.add_argument("save", nargs="?", metavar="SAVE", help="a save file (default: the game played most recently)")
    parser.add_argument("--theme", choices=("dark", "light"), default="dark", help="colour theme (default: %(default)s)")
    parser.set_defaults(handler=run_replay)


def run_replay(args: argparse.Namespace) -> int:
    """Load the save (reporting problems before the screen is taken over), then show the replay."""
    from .session import Session

    session = Session.load(args.save) if args.save else Session.resume()
    if not has_display():
        print("dealdrift replay: error: the replay needs an interactive terminal", file=sys.stderr)
        return EXIT_FAILURE
    from .app import DealDriftApp

    app = DealDriftApp(replay=session.game, replay_path=session.save_path, theme=args.theme)
    app.run()
    return EXIT_OK if app.return_code in (None, 0) else EXIT_FAILURE



def register_class(subparsers: argparse._SubParsersAction) -> None:
    """Add `class`, with its live view `class watch`."""
    from sim.commands import classroom

    from .watch import register_watch

    classroom.register(subparsers, extra=(register_watch,))


def register_serve(subparsers: argparse._SubParsersAction) -> None:
    """Add `serve`."""
    from .serve import register

    register(subparsers)


ALL_COMMANDS = (register_play, *COMMANDS, register_debrief, register_replay, register_serve, register_class)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the `dealdrift` console script, every command registered."""
    return engine_parser(ALL_COMMANDS, default="play")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `dealdrift`; with no command it plays."""
    return engine_main(argv, commands=ALL_COMMANDS, default="play")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
