"""A real browser on a real `dealdrift serve`: Debian's Chromium driven by Playwright, the page read back with pyte.

The game is drawn on a canvas, so what the page shows is read the way the page's terminal reads it:
every byte the server sent down its websocket, replayed into a VT100 screen (pyte).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NO_BROWSER = "DEALDRIFT_NO_BROWSER"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def require_browser() -> None:
    """Skip when $DEALDRIFT_NO_BROWSER is set (local runs only); otherwise a missing Chromium fails the test."""
    if os.environ.get(NO_BROWSER):
        pytest.skip(f"{NO_BROWSER} is set")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), "
                    f"or set {NO_BROWSER}=1 to skip browser tests on this machine")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(db: Path, home: Path, *args: str, port: int | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`dealdrift serve` on a free loopback port, stopped (Ctrl+C) at the end; yields its URL and process."""
    port = port or free_port()
    environment = {**os.environ, "DEALDRIFT_HOME": str(home)}
    log = db.parent / f"serve-{port}.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "serve", *args, "--port", str(port), "--db", str(db)],
            stdout=output, stderr=subprocess.STDOUT, text=True, env=environment,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"dealdrift serve did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/", process
    finally:
        if process.poll() is None:
            process.send_signal(2)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class TerminalPage:
    """A browser tab on the game, with the screen its terminal shows."""

    def __init__(self, page) -> None:  # noqa: ANN001 - a Playwright page
        import pyte

        self.page = page
        self.screen = pyte.Screen(240, 80)
        self.stream = pyte.ByteStream(self.screen)
        page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:  # noqa: ANN001
        websocket.on("framereceived", self._received)

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    def text(self) -> str:
        """What the terminal shows now."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, wanted: str, timeout: float = 30) -> str:
        """Wait until the terminal shows `wanted`; returns the screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
            text = self.text()
            if wanted in text:
                return text
        raise AssertionError(f"the page never showed {wanted!r}; it shows:\n{self.text()}")

    def keys(self, *keys: str) -> None:
        """Press keys in the terminal."""
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        """Type text in the terminal."""
        self.page.keyboard.type(text)


@contextlib.contextmanager
def browser(width: int = 1100, height: int = 700) -> Iterator[object]:
    """A headless Chromium context with a fresh profile (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="dealdrift-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()
