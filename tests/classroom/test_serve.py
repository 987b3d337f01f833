"""`dealdrift serve` without a browser: pages, seats, the full page, the host warning, the game process over a websocket."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer
from browser import free_port, serving

from sim.classroom.store import ClassRecord, ClassStore
from sim.scenario.loader import load_scenario
from tui.cli import build_parser, main
from tui.display import has_display
from tui.serve import DEFAULT_PORT, game_command, host_warning, is_loopback
from tui.server import SEAT_COOKIE, ClassServer, Seat


@pytest.fixture
def server(store: ClassStore, tutorial_class: ClassRecord) -> ClassServer:
    """A class server (not listening) for the tutorial class."""
    return ClassServer(store, tutorial_class, command=game_command(store.path, tutorial_class.name),
                       port=DEFAULT_PORT, max_players=2)


async def client_for(server: ClassServer) -> TestClient:
    client = TestClient(TestServer(server.make_app()))
    await client.start_server()
    return client


async def test_the_page_gives_a_new_browser_a_seat_and_fetches_nothing_elsewhere(server: ClassServer) -> None:
    client = await client_for(server)
    try:
        response = await client.get("/")
        page = await response.text()
        assert response.status == 200
        cookie = response.cookies[SEAT_COOKIE]
        assert len(cookie.value) >= 40 and cookie["httponly"] and cookie["samesite"] == "Strict"
        assert f'data-session-websocket-url="ws://127.0.0.1:{client.port}/ws"' in page
        assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["/static/css/xterm.css", "/static/js/textual.js"]
        assert (await client.get("/static/js/textual.js")).status == 200
        again = await client.get("/")  # the client keeps the cookie: no new seat
        assert SEAT_COOKIE not in again.cookies
        assert (await client.get("/favicon.ico")).status == 204
    finally:
        await client.close()


class PlayingBrowser:
    """A seat's websocket as the server sees it (a browser already playing)."""

    def __init__(self) -> None:
        self.closed_with: int | None = None

    async def close(self, code: int = 1000, message: bytes = b"") -> None:
        self.closed_with = code


async def test_past_max_players_a_new_browser_gets_a_clear_page(server: ClassServer) -> None:
    server.seats = {"seat-a": Seat(PlayingBrowser(), None), "seat-b": Seat(PlayingBrowser(), None)}
    client = await client_for(server)
    try:
        response = await client.get("/")
        page = await response.text()
        assert response.status == 503
        assert "This class is full" in page and "All 2 places are in use right now" in page
        assert SEAT_COOKIE not in response.cookies
        async with client.ws_connect("/ws") as websocket:  # a new browser that got in before the class filled up
            message = await websocket.receive(timeout=10)
        assert message.type == WSMsgType.CLOSE and message.data == 4003
        client.session.cookie_jar.update_cookies({SEAT_COOKIE: "seat-a"})
        returning = await client.get("/")  # a browser already playing gets its page back
        assert returning.status == 200
    finally:
        await client.close()


async def test_a_browser_websocket_runs_its_own_game_process(server: ClassServer, store: ClassStore,
                                                             tutorial_class: ClassRecord) -> None:
    client = await client_for(server)
    try:
        await client.get("/")
        received = bytearray()
        async with client.ws_connect("/ws?width=80&height=24") as websocket:
            async def read_until(wanted: bytes, timeout: float = 30) -> None:
                deadline = time.monotonic() + timeout
                while wanted not in received:
                    message = await websocket.receive(timeout=max(0.1, deadline - time.monotonic()))
                    if message.type == WSMsgType.BINARY:
                        received.extend(message.data)
                    elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
                        raise AssertionError(f"the game closed: {bytes(received)[-400:]!r}")

            await read_until(b"Join the class")
            await websocket.send_json(["stdin", "Ana\r"])
            await read_until(b"Your resume code")
            assert len(server.seats) == 1
        for _ in range(100):
            if not server.seats:
                break
            await asyncio.sleep(0.1)
        assert server.seats == {}  # the process ended with its websocket
        (player,) = store.players(tutorial_class)
        assert player.name == "Ana"
    finally:
        await client.close()


def test_serve_with_no_arguments_plays_the_default_scenario_on_this_computer_only() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.scenario, args.host, args.port, args.max_players, args.class_name, args.db) == (
        "default", "127.0.0.1", 8000, 40, None, None)


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.org", False),
])
def test_a_wider_host_gets_a_warning(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    warning = host_warning(host, 8000)
    assert (warning is None) is loopback
    if warning:
        assert warning.startswith(f"Warning: listening on {host}:8000: anyone who can reach this computer")


def test_the_game_command_quotes_what_it_is_given(tmp_path: Path) -> None:
    command = game_command(tmp_path / "a class; rm -rf x.sqlite3", "monday's class")
    assert "'monday'\"'\"'s class'" in command and "'" + str(tmp_path / "a class; rm -rf x.sqlite3") + "'" in command


def test_the_game_runs_under_a_web_driver_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not has_display()  # pytest's standard input is not a terminal
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert has_display()


def test_play_in_a_class_refuses_a_scenario_and_needs_a_terminal(store: ClassStore, tutorial_class: ClassRecord,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert main(["play", "default", "--db", str(store.path)]) == 2
    assert "a class game plays the class's scenario and seed" in capsys.readouterr().err
    assert main(["play", "--db", str(store.path), "--class", "monday"]) == 1
    assert "the game needs an interactive terminal (or a browser: dealdrift serve)" in capsys.readouterr().err


def test_serve_refuses_a_class_name_taken_by_another_scenario(store: ClassStore, tutorial_class: ClassRecord,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "default", "--db", str(store.path), "--class", "monday", "--port", str(free_port())]) == 1
    err = capsys.readouterr().err
    assert "The class 'monday' in" in err and "plays scenario 'tutorial'" in err and "Give another class name" in err


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "tui.cli", "serve", "--port", str(port), "--db",
                               str(tmp_path / "c.sqlite3")], capture_output=True, text=True, timeout=60,
                              env={**__import__("os").environ, "DEALDRIFT_HOME": str(tmp_path)})
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Choose another --port" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wide_host_prints_the_warning_when_serving(tmp_path: Path, home: Path) -> None:
    db = tmp_path / "c.sqlite3"
    with serving(db, home, "tutorial", "--host", "0.0.0.0") as (_, process):
        pass
    log = next(tmp_path.glob("serve-*.log")).read_text(encoding="utf-8")
    assert "Warning: listening on 0.0.0.0:" in log
    assert "Deal Drift: class 'tutorial-" in log and "Open http://0.0.0.0:" in log
    assert process.returncode == 0
    assert ClassStore.open(db).get_class().scenario_id == load_scenario("tutorial").scenario.id


async def test_a_second_tab_takes_the_game_over_from_the_first(server: ClassServer) -> None:
    client = await client_for(server)
    try:
        await client.get("/")

        async def until(websocket, wanted: bytes) -> None:  # noqa: ANN001
            received = bytearray()
            deadline = time.monotonic() + 30
            while wanted not in received:
                message = await websocket.receive(timeout=max(0.1, deadline - time.monotonic()))
                assert message.type == WSMsgType.BINARY, message
                received.extend(message.data)

        first = await client.ws_connect("/ws")
        await until(first, b"Join the class")
        second = await client.ws_connect("/ws")  # the same browser (cookie) in another tab
        closed = await first.receive(timeout=30)
        while closed.type == WSMsgType.BINARY:
            closed = await first.receive(timeout=30)
        assert closed.type == WSMsgType.CLOSE and closed.data == 4001
        await until(second, b"Join the class")
        assert len(server.seats) == 1
        await second.close()
        await first.close()
    finally:
        await client.close()
