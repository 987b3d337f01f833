"""A real browser plays a week through `dealdrift serve`, and the class store has the player's turn."""

from __future__ import annotations

import os
from pathlib import Path

from browser import TerminalPage, browser, require_browser, serving

from sim.classroom.store import ClassStore
from sim.scenario.loader import load_scenario

SCREENSHOTS = "DEALDRIFT_SCREENSHOTS"  # a folder to keep the page's screenshots in (the README's come from here)


def test_a_browser_joins_plays_a_week_and_resumes_on_reload(tmp_path: Path, home: Path) -> None:
    require_browser()
    db = tmp_path / "class.sqlite3"
    shots = Path(os.environ.get(SCREENSHOTS) or tmp_path)
    default = load_scenario("default").scenario
    with serving(db, home) as (url, _), browser() as context:
        page = context.new_page()
        terminal = TerminalPage(page)
        page.goto(url)
        terminal.wait_for(f"Join the class: {default.title}")
        page.focus(".xterm-helper-textarea")  # keys to the terminal, without a click the game would see
        terminal.type("Ana <b>Lima</b>")
        terminal.keys("Enter")
        screen = terminal.wait_for("Your resume code: ")
        assert "Welcome, Ana <b>Lima</b>." in screen
        terminal.keys("Enter")
        terminal.wait_for("Press Enter to start the first week.")
        terminal.keys("Enter")
        terminal.wait_for("What the columns mean")  # a first-time player sees the columns explained
        terminal.keys("Enter")
        terminal.wait_for(f"Week 1 of {default.weeks}")
        terminal.keys("Space")
        terminal.wait_for("unspent")  # and is asked before ending a week with every hour left
        terminal.keys("y")
        terminal.wait_for(f"Week 2 of {default.weeks}")
        page.screenshot(path=str(shots / "class-browser.png"))

        store = ClassStore.open(db)
        record = store.get_class()
        assert record.name == f"default-{default.seed}"
        (player,) = store.players(record)
        assert player.name == "Ana <b>Lima</b>" and player.source == "played"
        assert [turn.week for turn in store.turns(player.id)] == [1]
        assert player.progress.week == 2

        page.reload()  # the same browser continues the same game
        terminal = TerminalPage(page)
        terminal.wait_for(f"Week 2 of {default.weeks}")
        assert [p.name for p in store.players(record)] == ["Ana <b>Lima</b>"]
