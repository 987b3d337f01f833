"""The class's web server: one game process per browser seat, the full page, the websocket relay."""

from __future__ import annotations

import asyncio
import logging
import secrets
import shlex
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.classroom.store import ClassRecord, ClassStore

from .classroom import SEAT_VARIABLE

if TYPE_CHECKING:
    from aiohttp import web

SEAT_COOKIE = "dealdrift_seat"
PROCESS_EXIT_SECONDS = 10.0  # a game asked to quit that is still running after this is killed
log = logging.getLogger("dealdrift.serve")


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

    def __init__(self, store: ClassStore, record: ClassRecord, *, command: str, port: int, max_players: int,
                 host: str = "127.0.0.1") -> None:
        """Serve `record` from `store` on `host`:`port`."""
        self.store = store
        self.record = record
        self.host = host
        self.port = port
        self.max_players = max_players
        self.command = command  # the shell command each browser's game process runs
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


__all__ = ["ClassServer", "Seat"]
