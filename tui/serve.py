"""`dealdrift serve`: the game in web browsers, one game process per browser, every week in the class store.

Built on textual-serve: each browser's websocket starts its own `dealdrift play --db STORE --class NAME`
process running Textual's web driver. A browser gets a random seat token in an HttpOnly cookie the
first time it opens the page; the token goes to its game process in $DEALDRIFT_SEAT, so reloading the
page continues the same game, and a second tab of the same browser takes the game over from the first.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from sim.commands.arguments import port_number, positive_number, seed_number
from sim.commands.classroom import add_store_option, default_class_name, open_store
from sim.commands.exits import EXIT_OK
from sim.errors import DealDriftError


DEFAULT_PORT = 8000
DEFAULT_MAX_PLAYERS = 40
LOOPBACK_NAMES = ("localhost",)

_DESCRIPTION = (
    "Serve Deal Drift to web browsers, for a class: each browser gets its own game, the game asks the "
    "player's name (and the class code, with --class) before the briefing, and every week played is "
    "recorded in the class store, where 'dealdrift class watch' and 'dealdrift class report' read it."
)
_EPILOG = (
    "Resuming: reloading the page continues the same game (a cookie identifies the browser). On another "
    "browser or computer, a player continues with the resume code shown when they joined; "
    "'dealdrift class code --player NAME' gives a new one. Security: by default only this computer can "
    "connect (127.0.0.1). With --host 0.0.0.0 anyone who can reach this computer can open the page; it is "
    "plain HTTP with no login, so use it only on a network you trust, and name the class (--class) so "
    "players need its name as a code."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `serve` subcommand."""
    parser = subparsers.add_parser("serve", help="play in web browsers, for a class", description=_DESCRIPTION,
                                   epilog=_EPILOG)
    parser.add_argument("scenario", nargs="?", default="default", metavar="SCENARIO",
                        help="a bundled scenario or a .toml file (default: %(default)s)")
    parser.add_argument("--seed", type=seed_number, metavar="N", help="the class's seed (default: the scenario's)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: %(default)s, this computer only; 0.0.0.0 for the network)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="port (default: %(default)s)")
    add_store_option(parser)
    parser.add_argument("--class", dest="class_name", metavar="NAME",
                        help="the class; players type this name as the class code when they join "
                             "(default: SCENARIO-SEED, and no code is asked)")
    parser.add_argument("--max-players", type=positive_number, default=DEFAULT_MAX_PLAYERS, metavar="N",
                        help="most browsers playing at once; past it new players see a 'class is full' page "
                             "(default: %(default)s)")
    parser.set_defaults(handler=run_serve)


def is_loopback(host: str) -> bool:
    """True when `host` accepts connections from this computer only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_warning(host: str, port: int) -> str | None:
    """The warning printed when the server listens beyond this computer."""
    if is_loopback(host):
        return None
    return (f"Warning: listening on {host}:{port}: anyone who can reach this computer can open the game. "
            "The page is plain HTTP with no login: use it only on a network you trust, and name the class "
            "with --class so players need its code.")


def game_command(store: Path, class_name: str) -> str:
    """The shell command each browser's game process runs."""
    return " ".join(shlex.quote(part) for part in (
        sys.executable, "-m", "tui.cli", "play", "--db", str(store.resolve()), "--class", class_name,
    ))


def run_serve(args: argparse.Namespace) -> int:
    """Open (or start) the class, then serve until Ctrl+C."""
    from sim.scenario.loader import load_scenario  # pydantic loads only for a command that reads a scenario

    scenario = load_scenario(args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    store = open_store(args, create=True)
    name = args.class_name or default_class_name(scenario.scenario.id, seed)
    record = store.ensure_class(name, scenario, seed, code_required=args.class_name is not None)
    warning = host_warning(args.host, args.port)
    if warning:
        print(warning, file=sys.stderr)
    from .server import ClassServer  # the web server's modules load only when serving

    server = ClassServer(store, record, command=game_command(store.path, record.name), host=args.host,
                         port=args.port, max_players=args.max_players)
    try:
        server.serve()
    except OSError as error:
        raise DealDriftError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}. "
                             "Choose another --port, or stop the program using it.") from None
    return EXIT_OK


__all__ = ["DEFAULT_MAX_PLAYERS", "DEFAULT_PORT", "game_command", "host_warning", "is_loopback", "register",
           "run_serve"]
