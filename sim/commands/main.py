"""The engine's command line: one subcommand per module in `sim.commands`.

The `dealdrift` console script (`tui.cli`) adds `play` and `debrief`, which need the terminal UI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sim.commands import COMMANDS, Register
from sim.commands.exits import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from sim.errors import DealDriftError



def build_parser(commands: Sequence[Register] = COMMANDS, default: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with `commands` registered."""
    epilog = "Run 'dealdrift COMMAND --help' for a command's options."
    if default:
        epilog += f" With no command, '{default}' starts the game."
    parser = argparse.ArgumentParser(
        prog="dealdrift", description="Deal Drift: a sales-training simulation of B2B buying.", epilog=epilog
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in commands:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, commands: Sequence[Register] = COMMANDS,
         default: str | None = None) -> int:
    """Parse `argv`, run the chosen command and return its exit code; no command runs `default` or shows help."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands, default)
    if not args_list:
        if default is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        args_list = [default]
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
