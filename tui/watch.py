"""`dealdrift class watch`: the trainer's live view of a class, refreshed from the class store in a worker."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sim.commands.classroom import add_class_option, add_store_option, open_store
from sim.commands.exits import EXIT_FAILURE, EXIT_OK

if TYPE_CHECKING:
    from sim.classroom.store import ClassRecord, ClassStore, PlayerRecord
    from textual.app import App

NAME_WIDTH = 22


def register_watch(commands: argparse._SubParsersAction) -> None:
    """Add `class watch`."""
    parser = commands.add_parser(
        "watch", help="a live view of the class: each player's week, bookings and deals at risk",
        description="Watch a class as it plays: each player's week, bookings against quota, deals at risk "
                    "(stalled, a slipping plan, or attention read low) and when they last played. "
                    "It reads the class store every few seconds; q quits.",
    )
    parser.add_argument("--interval", type=float, default=2.0, metavar="SECONDS",
                        help="seconds between refreshes (default: %(default)s)")
    add_class_option(parser)
    add_store_option(parser)
    parser.set_defaults(handler=run_watch)


def run_watch(args: argparse.Namespace) -> int:
    """Open the store and show the live view."""
    from .display import has_display

    store = open_store(args)
    record = store.get_class(args.class_name)
    if not has_display():
        print("dealdrift class watch: error: the live view needs an interactive terminal; "
              "'dealdrift class report' prints the results", file=sys.stderr)
        return EXIT_FAILURE
    app = watch_app(store, record, max(0.2, args.interval))
    app.run()
    return EXIT_OK


@dataclass(frozen=True, slots=True)
class Row:
    """One player as the live view shows them."""

    key: str
    name: str
    week: str
    bookings: int
    share: str
    at_risk: str
    updated: str


def ago(stamp: str, now: datetime) -> str:
    """How long ago an ISO time was, in words that fit a narrow column."""
    try:
        then = datetime.fromisoformat(stamp)
    except ValueError:
        return "?"
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return then.strftime("%d %b")


def rows(players: list[PlayerRecord], now: datetime) -> list[Row]:
    """The live view's rows, best bookings first, players who have not started last."""
    out = []
    for player in players:
        state = player.progress
        if state is None:
            out.append(Row(str(player.id), player.name, "–", -1, "–", "–", ago(player.updated_at, now)))
            continue
        week = "done" if state.over else f"{state.week}/{state.weeks}"
        share = f"{state.bookings / state.quota:.0%}" if state.quota else "–"
        out.append(Row(str(player.id), player.name, week, state.bookings, share, str(state.at_risk),
                       ago(player.updated_at, now)))
    out.sort(key=lambda row: (-row.bookings, row.name.casefold(), row.key))
    return out


def watch_app(store: ClassStore, record: ClassRecord, interval: float) -> App[None]:
    """The live view app (Textual is imported only when it is built)."""
    from textual import work
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.content import Content
    from textual.widgets import DataTable, Footer, Static
    from rich.text import Text

    from sim.classroom.errors import StoreError

    class WatchApp(App[None]):
        """Each player's week, bookings, deals at risk and last update, refreshed without blocking the UI."""

        TITLE = "Deal Drift: class watch"
        BINDINGS = [Binding("q", "quit", "Quit"), Binding("r", "refresh_now", "Refresh")]
        CSS = """
        #watch-head { height: auto; padding: 0 1; background: $panel; }
        #watch-status { height: 1; padding: 0 1; color: $text-muted; }
        #players { height: 1fr; }
        """

        def __init__(self) -> None:
            super().__init__()
            self.store = store
            self.record = record
            self.interval = interval
            self.refreshes = 0

        def compose(self) -> ComposeResult:
            scenario = record.scenario.scenario
            yield Static(Content.assemble(("Class ", "bold"), (record.name, "bold $text-accent"), "  ·  ",
                                          (scenario.title, ""), f"  ·  seed {record.seed}"), id="watch-head")
            yield DataTable(id="players", cursor_type="row", zebra_stripes=True)
            yield Static("Reading the class store…", id="watch-status")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for label, key in (("Player", "name"), ("Week", "week"), ("Bookings", "bookings"), ("Quota", "share"),
                               ("At risk", "risk"), ("Last update", "updated")):
                table.add_column(label, key=key)
            self.action_refresh_now()
            self.set_interval(self.interval, self.action_refresh_now)

        def action_refresh_now(self) -> None:
            self.load()

        @work(thread=True, exclusive=True, group="watch")
        def load(self) -> None:
            """Read the store in a thread; the table is updated on the UI's thread."""
            try:
                players = self.store.players(self.record)
            except StoreError as error:
                self.call_from_thread(self.show_problem, str(error))
                return
            self.call_from_thread(self.show, rows(players, datetime.now(timezone.utc)))

        def show_problem(self, message: str) -> None:
            self.query_one("#watch-status", Static).update(Content(f"Cannot read the store: {message}"))

        def show(self, new_rows: list[Row]) -> None:
            table = self.query_one(DataTable)
            selected = None
            if table.row_count and table.cursor_row is not None:
                selected = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            table.clear()
            for row in new_rows:
                name = row.name if len(row.name) <= NAME_WIDTH else row.name[: NAME_WIDTH - 1] + "…"
                bookings = "–" if row.bookings < 0 else f"{row.bookings:,}"
                table.add_row(Text(name), row.week, Text(bookings, justify="right"), Text(row.share, justify="right"),
                              Text(row.at_risk, justify="right"), row.updated, key=row.key)
            if selected is not None and selected in {row.key for row in new_rows}:
                table.move_cursor(row=table.get_row_index(selected))
            self.refreshes += 1
            playing = sum(1 for row in new_rows if row.week not in ("done", "–"))
            done = sum(1 for row in new_rows if row.week == "done")
            stamp = datetime.now().strftime("%H:%M:%S")
            self.query_one("#watch-status", Static).update(Content(
                f"{len(new_rows)} players: {playing} playing, {done} finished · updated {stamp}"
            ))

    return WatchApp()
