"""The `dealdrift` command line: one subcommand per module in `sim.commands`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .commands import COMMANDS
from .errors import DealDriftError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="dealdrift",
        description="Deal Drift: a sales-training simulation of B2B buying.",
        epilog="Run 'dealdrift COMMAND --help' for a command's options. With no command, 'play' starts the game.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dealdrift` console script; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list:
        args_list = ["play"]
    args = parser.parse_args(args_list)
    try:
        return int(args.handler(args) or 0)
    except DealDriftError as error:
        message = str(error)
        # Scenario problems already read `FILE:LINE: error: ...`, one per line.
        print(message if ": error: " in message else f"dealdrift: error: {message}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("dealdrift: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
