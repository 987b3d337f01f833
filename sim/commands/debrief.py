"""The `dealdrift debrief` command: write a saved game's debrief as Markdown or HTML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DealDriftError

EXIT_OK = 0

_DESCRIPTION = (
    "Write the debrief of a saved game, finished or not: the score card (bookings against quota, "
    "endings, cycle time, forecast accuracy, trust), how each deal ended and why, the lesson it "
    "illustrates, charts of bookings and attention, and what would have helped. It is the same "
    "debrief the game shows when it ends."
)
_EPILOG = (
    "By default the debrief is printed to standard output; --out FILE writes it to FILE instead "
    "(replacing it). Without SAVE, the game played most recently is used: saved games are in the "
    "'saves' folder of $DEALDRIFT_HOME, or of the platform's user data folder."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `debrief` subcommand."""
    parser = subparsers.add_parser(
        "debrief",
        help="write the debrief of a saved game (Markdown or HTML)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
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
    # Imported here: the debrief lives with the terminal interface, which `import sim` never loads.
    from tui.report import debrief_for, render
    from tui.session import Session

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
