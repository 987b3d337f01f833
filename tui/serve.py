"""`dealdrift serve`: the game in web browsers, one game process per browser, every week in the class store.

Built on textual-serve: each browser's websocket starts its own `dealdrift play --db STORE --class NAME`
process running Textual's web driver. A browser gets a random seat token in an HttpOnly cookie the
first time it opens the page; the token goes to its game process in $DEALDRIFT_SEAT, so reloading the
page continues the same game, and a second tab of the same browser takes the game over from the first.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import secrets
import shlex
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.classroom.store import ClassRecord, ClassStore
from sim.commands.arguments import port_number, positive_number, seed_number
from sim.commands.classroom import add_store_option, default_class_name, store_path
from sim.commands.exits import EXIT_FAILURE, EXIT_OK
from sim.errors import DealDriftError
from sim.scenario.loader import load_scenario

from .classroom import SEAT_VARIABLE

if TYPE_CHECKING:
    from aiohttp import web

SEAT_COOKIE = "dealdrift_seat"
DEFAULT_PORT = 8000
DEFAULT_MAX_PLAYERS = 40
PROCESS_EXIT_SECONDS = 10.0  # a game asked to quit that is still running after this is killed
LOOPBACK_NAMES = ("localhost",)
log = logging.getLogger("dealdrift.serve")

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
    scenario = load_scenario(args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    store = ClassStore.open(store_path(args), create=True)
    name = args.class_name or default_class_name(scenario.scenario.id, seed)
    record = store.ensure_class(name, scenario, seed, code_required=args.class_name is not None)
    warning = host_warning(args.host, args.port)
    if warning:
        print(warning, file=sys.stderr)
    server = ClassServer(store, record, host=args.host, port=args.port, max_players=args.max_players)
    try:
        server.serve()
    except OSError as error:
        raise DealDriftError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}. "
                             "Choose another --port, or stop the program using it.") from None
    return EXIT_OK


@dataclass(slots=True)
class Seat:
    """A browser playing: its websocket and game process."""

    websocket: Any
    service: Any
    done: asyncio.Event = field(default_factory=asyncio.Event)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>body{margin:0;background:#0c181f;color:#f0f0f0;font:18px/1.5 system-ui,sans-serif}"
        ".notice{max-width:34rem;margin:18vh auto;padding:2rem;background:#12232d;border-radius:.5rem}"
        "button{font:inherit;padding:.5rem 1.5rem;margin-top:1rem;cursor:pointer}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


class ClassServer:
    """The web server of one class: pages, one game process per browser, at most `max_players` at once."""

    def __init__(self, store: ClassStore, record: ClassRecord, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 max_players: int = DEFAULT_MAX_PLAYERS) -> None:
        """Serve `record` from `store` on `host`:`port`."""
        self.store = store
        self.record = record
        self.host = host
        self.port = port
        self.max_players = max_players
        self.command = game_command(store.path, record.name)
        self.title = f"Deal Drift · {record.scenario.scenario.title}"
        self.seats: dict[str, Seat] = {}

    # -- pages --------------------------------------------------------------------------------------
    def full(self, seat: str | None) -> bool:
        """Whether a browser with this seat would exceed the most players at once."""
        return (seat is None or seat not in self.seats) and len(self.seats) >= self.max_players

    def full_page(self) -> str:
        """What a player past --max-players sees."""
        return _page(f"{self.title}: the class is full", (
            '<div class="notice"><h1>This class is full</h1>'
            f"<p>All {self.max_players} places are in use right now, so a new game cannot start. "
            "If you were already playing, close your other tab or window and reload this page. "
            "Otherwise ask your trainer.</p>"
            '<button onclick="location.reload()">Try again</button></div>'
        ))

    def game_page(self, websocket_url: str) -> str:
        """The page a player plays in: Textual's web terminal, and a notice when the session ends."""
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(self.title)}</title>\n"
            '<link rel="stylesheet" href="/static/css/xterm.css">\n'
            '<script src="/static/js/textual.js"></script>\n'
            "<style>body{margin:0;background:#0c181f;overflow:hidden}"
            ".ended{display:none;position:absolute;inset:0;align-items:center;justify-content:center;"
            "background:rgba(12,24,31,.92);color:#f0f0f0;font:18px/1.5 system-ui,sans-serif}"
            "body.-closed .ended{display:flex}.ended div{max-width:30rem;padding:2rem;background:#12232d;"
            "border-radius:.5rem}button{font:inherit;padding:.5rem 1.5rem;cursor:pointer}</style>\n"
            "</head>\n<body>\n"
            f'<div id="terminal" class="textual-terminal" data-session-websocket-url="{escape(websocket_url)}" '
            'data-font-size="16"></div>\n'
            '<div class="ended"><div><p>This game session has ended. Your game is saved: reload the page to '
            "continue it (if it was opened in another tab, it continues there).</p>"
            '<button onclick="location.reload()">Continue</button></div></div>\n'
            "</body>\n</html>\n"
        )

    async def handle_index(self, request: web.Request) -> web.Response:
        """The game page (or the 'class is full' page), giving a new browser its seat token."""
        from aiohttp import web

        seat = request.cookies.get(SEAT_COOKIE)
        if self.full(seat):
            return web.Response(text=self.full_page(), content_type="text/html", status=503)
        scheme = "wss" if request.secure else "ws"
        response = web.Response(text=self.game_page(f"{scheme}://{request.host}/ws"), content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        if not seat:
            response.set_cookie(SEAT_COOKIE, secrets.token_urlsafe(32), httponly=True, samesite="Strict",
                                max_age=60 * 60 * 24 * 60, path="/")
        return response

    async def handle_no_icon(self, request: web.Request) -> web.Response:
        """No icon (browsers ask for one)."""
        from aiohttp import web

        return web.Response(status=204)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run one browser's game process for as long as its websocket is open."""
        from aiohttp import web
        from textual_serve.server import to_int

        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        seat = request.cookies.get(SEAT_COOKIE) or secrets.token_urlsafe(32)  # without a cookie: no resuming by reload
        previous = self.seats.get(seat)
        if previous is not None:
            await previous.websocket.close(code=4001, message=b"opened in another tab")
            await previous.done.wait()
        if self.full(seat):
            await websocket.close(code=4003, message=b"the class is full")
            return websocket
        service = _seat_service(self.command, websocket, seat)
        current = Seat(websocket, service)
        self.seats[seat] = current
        try:
            await service.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            try:
                await self._relay(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one browser's failure must not stop the class
            log.exception(error)
        finally:
            if self.seats.get(seat) is current:
                del self.seats[seat]
            current.done.set()
        return websocket

    @staticmethod
    async def _relay(websocket: web.WebSocketResponse, service: Any) -> None:
        """Pass the browser's keys, resizes and focus to the game process."""
        from aiohttp import WSMsgType

        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(int(data.get("width", 80)), int(data.get("height", 24)))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    # -- running ----------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        """The aiohttp application."""
        from aiohttp import web
        import textual_serve

        statics = Path(textual_serve.__file__).parent / "static"
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.get("/favicon.ico", self.handle_no_icon),
            web.static("/static", statics),
        ])
        app.on_shutdown.append(self._close_all)
        return app

    async def _close_all(self, app: web.Application) -> None:
        for seat in list(self.seats.values()):
            await seat.websocket.close(code=1001, message=b"the server is stopping")

    def banner(self) -> str:
        """What the trainer sees when the server starts."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return (f"Deal Drift: class '{self.record.name}' plays {self.record.scenario_id} with seed "
                f"{self.record.seed}.\nOpen http://{shown}:{self.port}/ in a browser; at most "
                f"{self.max_players} players at once.\nEvery week goes to {self.store.path}; watch it with: "
                f"dealdrift class watch --db {shlex.quote(str(self.store.path))}\nPress Ctrl+C to stop.")

    def serve(self) -> None:
        """Serve until Ctrl+C or SIGTERM; raises OSError when the address cannot be used."""
        from aiohttp import web

        logging.basicConfig(level=logging.WARNING, format="%(message)s")

        async def announce(app: web.Application) -> None:
            print(self.banner(), flush=True)

        app = self.make_app()
        app.on_startup.append(announce)
        web.run_app(app, host=self.host, port=self.port, access_log=None, print=None, handle_signals=True)


def _seat_service(command: str, websocket: web.WebSocketResponse, seat: str) -> Any:
    """textual-serve's app service for one browser, its process told the browser's seat token."""
    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    class SeatService(AppService):
        """An app process that knows which browser it plays for."""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width=width, height=height)
            environment[SEAT_VARIABLE] = seat
            return environment

        async def stop(self) -> None:
            """Stop the game, then wait for its process and close its pipes (a long class must not leak them)."""
            await super().stop()
            process, self._process = self._process, None
            if process is None:
                return
            try:
                await asyncio.wait_for(process.wait(), PROCESS_EXIT_SECONDS)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
            transport = getattr(process, "_transport", None)  # asyncio closes a subprocess's pipes only here
            if transport is not None:
                transport.close()

    return SeatService(command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                       close=websocket.close, download_manager=DownloadManager())


__all__ = ["ClassServer", "EXIT_FAILURE", "host_warning", "is_loopback", "register", "run_serve"]
