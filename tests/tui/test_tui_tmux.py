"""A newcomer in a real terminal: `dealdrift` in tmux at 80x24, the tutorial to its end, then the debrief.

It types keys with `tmux send-keys` and reads the screen with `tmux capture-pane`,
as a person would see it. It needs tmux (`apt-get install tmux`); the README's
development section gives the same steps by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")

WAIT = 20.0  # seconds to wait for a screen to appear (a shared, slow machine)


class Terminal:
    """A tmux session running one command at 80x24."""

    def __init__(self, command: list[str], environment: dict[str, str]) -> None:
        self.name = f"dealdrift-{uuid.uuid4().hex[:8]}"
        exports = [f"{key}={value}" for key, value in environment.items()]
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24",
                        "env", *exports, *command], check=True)

    def screen(self) -> str:
        """The visible screen as text."""
        done = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return done.stdout

    def press(self, *keys: str) -> None:
        """Type keys (tmux key names: Enter, Escape, Down, or plain characters)."""
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def wait_for(self, *texts: str) -> str:
        """Wait until one of `texts` is on screen; return the screen."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            screen = self.screen()
            if any(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"none of {texts} appeared; the screen shows:\n{self.screen()}")

    def alive(self) -> bool:
        """True while the session (the game) is running."""
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def close(self) -> None:
        """End the session if it is still there."""
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_a_newcomer_plays_the_tutorial_to_its_debrief_in_a_real_terminal(tmp_path: Path) -> None:
    environment = {"DEALDRIFT_HOME": str(tmp_path / "home"), "TERM": "xterm-256color",
                   "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    terminal = Terminal([sys.executable, "-m", "tui.cli"], environment)
    try:
        # A first-timer starts on the tutorial.
        screen = terminal.wait_for("New here? Start with the tutorial")
        assert "Tutorial: Two Deals at Brightwater" in screen
        terminal.press("Enter")
        terminal.wait_for("What to practise")
        terminal.press("Enter")
        # The column legend, once.
        screen = terminal.wait_for("What the columns mean")
        assert "an estimate" in screen
        terminal.press("Enter")
        screen = terminal.wait_for("Coach")
        assert "Week 1 of 8" in screen and "This is your pipeline" in screen
        for week in range(1, 9):
            screen = terminal.wait_for(f"Week {week} of 8")
            for _note in range(20):  # read the coach notes
                if "c Got it" not in terminal.screen():
                    break
                terminal.press("c")
                time.sleep(0.3)
            # Act on the deal under the cursor with the first action offered, then end the week.
            terminal.press("a")
            terminal.wait_for("Act on a deal")
            terminal.press("Enter")
            screen = terminal.wait_for("with whom?", "Queued:", "Not possible now")
            if "with whom?" in screen:
                terminal.press("Enter")
                screen = terminal.wait_for("Queued:")
            if "Act on a deal" in terminal.screen():
                terminal.press("Escape")
            terminal.press(" ")
            screen = terminal.wait_for("unspent?", f"Week {week + 1} of 8", "Debrief:")
            if "unspent?" in screen:
                terminal.press("y")
                screen = terminal.wait_for(f"Week {week + 1} of 8", "Debrief:")
            if "Debrief:" in screen:
                break
        screen = terminal.wait_for("Debrief:")
        assert "Debrief: Tutorial: Two Deals at Brightwater" in screen
        assert "Score card" in screen and "Bookings" in screen
        terminal.press("q")
        deadline = time.monotonic() + WAIT
        while terminal.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not terminal.alive(), terminal.screen()
    finally:
        terminal.close()
    saves = list((tmp_path / "home" / "saves").glob("*.json"))
    assert len(saves) == 1
