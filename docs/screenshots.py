"""Make the README's pictures of a class: the game in a browser, and the HTML class report.

Run from the project folder with Debian's Chromium installed:  python docs/screenshots.py
It plays through a real `dealdrift serve` in headless Chromium (the same code as the browser test),
and builds a demonstration class whose players are the built-in strategies.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests" / "classroom"))

from browser import TerminalPage, browser, serving  # noqa: E402

from sim.classroom.recorder import Recorder  # noqa: E402
from sim.classroom.render import render  # noqa: E402
from sim.classroom.report import build_report  # noqa: E402
from sim.classroom.store import ClassStore  # noqa: E402
from sim.game import Game  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402
from sim.strategies import load_strategy  # noqa: E402

PLAYERS = [("Ana Lima", "advisor"), ("Ben Okafor", "random"), ("Chloé Martin", "typical"), ("Dev Patel", "advisor"),
           ("Eva Novak", "random"), ("Farid Haddad", "typical"), ("Grace Kim", "pusher"), ("Hugo Silva", "random")]


def browser_page(folder: Path) -> None:
    """The pipeline in a browser after the first week."""
    with serving(folder / "class.sqlite3", folder / "home") as (url, _), browser(1200, 640) as context:
        page = context.new_page()
        terminal = TerminalPage(page)
        page.goto(url)
        terminal.wait_for("Join the class")
        page.focus(".xterm-helper-textarea")
        terminal.type("Ana Lima")
        terminal.keys("Enter")
        terminal.wait_for("Your resume code")
        terminal.keys("Enter", "Enter")
        terminal.wait_for("Week 1 of")
        terminal.keys("Space")
        terminal.wait_for("Week 2 of")
        page.wait_for_timeout(500)
        page.screenshot(path=str(HERE / "class-browser.png"))


def class_report(folder: Path) -> None:
    """A demonstration class: each player a built-in strategy, choosing a little differently."""
    store = ClassStore.open(folder / "demo.sqlite3", create=True)
    record = store.create_class("Monday group", load_scenario("default"))
    for number, (name, strategy) in enumerate(PLAYERS):
        player = store.join(record, name).player
        game = Game(record.scenario, record.seed)
        bot = load_strategy(strategy)(number)
        rng = random.Random(number)
        recorder = Recorder(store, player.id)
        while not game.over:
            choices = list(bot.choose(game.observe()))
            rng.shuffle(choices)
            for deal_id, action in choices[: rng.randint(2, 5)]:
                if game.refusal(deal_id, action) is None:
                    game.act(deal_id, action)
            game.end_turn()
        recorder.record(game)
    page_file = folder / "report.html"
    page_file.write_text(render(build_report(store, record), "html"), encoding="utf-8")
    with browser(1100, 1400) as context:
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.screenshot(path=str(HERE / "class-report.png"), full_page=False)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as temporary:
        browser_page(Path(temporary))
        class_report(Path(temporary))
    print(f"Wrote {HERE / 'class-browser.png'} and {HERE / 'class-report.png'}")
