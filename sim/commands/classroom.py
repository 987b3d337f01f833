"""The `dealdrift class` commands: start a class, import saves, report results, list classes, reissue a code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim.classroom.errors import ClassError
from sim.commands.arguments import seed_number
from sim.commands.exits import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from sim.commands.output import emit, output_path

if TYPE_CHECKING:
    from sim.classroom.store import ClassStore

REPORT_SUFFIXES = {".md": "md", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


def default_class_name(scenario_id: str, seed: int) -> str:
    """The class a scenario and seed go to when the trainer names none."""
    return f"{scenario_id}-{seed}"


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """--db PATH, shared by every command that uses the class store."""
    parser.add_argument(
        "--db", metavar="PATH",
        help="the class store, a SQLite file (default: classes.sqlite3 in the Deal Drift data folder, "
             "$DEALDRIFT_HOME or the platform's)",
    )


def add_class_option(parser: argparse.ArgumentParser) -> None:
    """--class NAME, for commands that work on one class of the store."""
    parser.add_argument("--class", dest="class_name", metavar="NAME",
                        help="the class (needed only when the store holds several)")


def store_path(args: argparse.Namespace) -> Path:
    """The store the command line names, or the default one."""
    from sim.classroom.store import default_store_path  # the store loads only for a command that opens it

    return Path(args.db) if args.db else default_store_path()


def open_store(args: argparse.Namespace, *, create: bool = False) -> ClassStore:
    """The store the command line names (created if `create`); raises StoreError if it cannot be opened."""
    from sim.classroom.store import ClassStore

    return ClassStore.open(store_path(args), create=create)


def register(subparsers: argparse._SubParsersAction, extra: Sequence[Callable[[argparse._SubParsersAction], None]] = ()) -> None:
    """Add `class` and its subcommands (`extra` registers more, such as the live view)."""
    parser = subparsers.add_parser(
        "class", help="run a class: import games, report results, watch progress",
        description="Work with the class store: the classes, their players and every turn they played. "
                    "'dealdrift serve' starts a class in the browser; these commands manage and report on it.",
        epilog="Run 'dealdrift class COMMAND --help' for a command's options.",
    )
    commands = parser.add_subparsers(dest="class_command", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new", help="start a class on a scenario and seed",
        description="Start a class: every player of it plays SCENARIO with the same seed, so results compare. "
                    "A class named with --class asks its players for that name as the class code when they "
                    "join in the browser.",
    )
    new.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario (default, tutorial, ...) or a .toml file")
    new.add_argument("--seed", type=seed_number, metavar="N", help="the class's seed (default: the scenario's)")
    add_class_option(new)
    add_store_option(new)
    new.set_defaults(handler=run_new)

    add = commands.add_parser(
        "add", help="import games played elsewhere (save files)",
        description="Import saved games that players played on their own machines. Each save's actions are "
                    "replayed on the class's own scenario and seed, and only what that replay gives is kept: "
                    "a save from another scenario version or seed, one whose actions do not replay, a player "
                    "already in the class or a game already imported is refused with the reason.",
        epilog="Saves are in the 'saves' folder of a player's Deal Drift data folder. "
               "Refused saves are listed; the others are imported; the exit code is 1 if any was refused.",
    )
    add.add_argument("saves", nargs="+", metavar="SAVE", help="a save file (.json)")
    add.add_argument("--player", action="append", metavar="NAME",
                     help="the player's name, once per SAVE in the same order (default: each file's name)")
    add_class_option(add)
    add_store_option(add)
    add.set_defaults(handler=run_add)

    report = commands.add_parser(
        "report", help="the class's results: leaderboard, figures, the bots on the same world",
        description="Report a class: a leaderboard ranked by bookings and, per player, bookings, share of "
                    "quota, endings, forecast error and trust, with what the advisor and typical bots book "
                    "on the same scenario and seed. Every figure comes from replaying the players' actions.",
        epilog="Formats: md (Markdown), html (one self-contained page with charts, for a projector), csv, json "
               "(a top-level 'players' list), xapi (xAPI 1.0.3 statements for a learning record store: one "
               "'completed' per finished game, scored by bookings over quota).",
    )
    report.add_argument("--format", choices=("md", "html", "csv", "json", "xapi"),
                        help="output format (default: from --out's suffix, else md)")
    report.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    report.add_argument("--homepage", metavar="IRI",
                        help="xapi: the home page of the players' accounts, e.g. your LMS's URL "
                             "(default: urn:dealdrift:class:NAME)")
    add_class_option(report)
    add_store_option(report)
    report.set_defaults(handler=run_report)

    listing = commands.add_parser("list", help="the classes in the store and how far their players are",
                                  description="List the classes in the store with their scenario, seed and players.")
    listing.add_argument("--json", action="store_true", help="print JSON")
    add_store_option(listing)
    listing.set_defaults(handler=run_list)

    code = commands.add_parser(
        "code", help="give a player who lost their resume code a new one",
        description="Issue a new resume code for a player who plays in the browser; the old code stops working.",
    )
    code.add_argument("--player", required=True, metavar="NAME", help="the player's name")
    add_class_option(code)
    add_store_option(code)
    code.set_defaults(handler=run_code)

    for register_more in extra:
        register_more(commands)


def run_new(args: argparse.Namespace) -> int:
    """Create the class."""
    from sim.scenario.loader import load_scenario

    scenario = load_scenario(args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    store = open_store(args, create=True)
    name = args.class_name or default_class_name(scenario.scenario.id, seed)
    record = store.create_class(name, scenario, seed, code_required=args.class_name is not None)
    print(f"Class '{record.name}' plays {scenario.scenario.id} with seed {seed}; it is in {store.path}.")
    return EXIT_OK


def run_add(args: argparse.Namespace) -> int:
    """Import each save; report every refusal and carry on with the others."""
    players = args.player or [Path(save).stem for save in args.saves]
    if len(players) != len(args.saves):
        print(f"dealdrift class add: error: {len(args.saves)} saves but {len(players)} --player names; "
              "give one --player per SAVE, in the same order, or none", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args)
    record = store.get_class(args.class_name)
    refused = 0
    for save, player in zip(args.saves, players):
        try:
            data = _read_save(Path(save))
            store.import_save(record, player, data, label=save)
        except ClassError as error:
            refused += 1
            print(f"dealdrift: refused: {error}", file=sys.stderr)
            continue
        print(f"Imported {save} as {player!r} into class '{record.name}'.")
    if refused:
        print(f"{refused} of {len(args.saves)} saves refused; nothing else was changed.", file=sys.stderr)
    return EXIT_FAILURE if refused else EXIT_OK


def _read_save(path: Path) -> object:
    """A save file's JSON data; raises ClassError for one that cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ClassError(f"Cannot read {path}: {error.strerror or error}.") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ClassError(f"{path} is not a Deal Drift save file (it is not valid JSON).") from None


def run_report(args: argparse.Namespace) -> int:
    """Build the report and print or write it."""
    from sim.classroom.render import render
    from sim.classroom.report import build_report

    out = output_path(args.out)
    file_format = args.format or (REPORT_SUFFIXES.get(out.suffix.lower(), "md") if out is not None else "md")
    store = open_store(args)
    record = store.get_class(args.class_name)
    if emit(render(build_report(store, record), file_format, homepage=args.homepage), out):
        print(f"Wrote the {file_format} report of class '{record.name}' to {out}", file=sys.stderr)
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """Print the classes."""
    store = open_store(args)
    rows = []
    for record in store.classes():
        players = store.players(record)
        rows.append({"class": record.name, "scenario": record.scenario_id, "seed": record.seed,
                     "players": len(players), "finished": sum(1 for p in players if p.progress and p.progress.over)})
    if args.json:
        print(json.dumps({"store": str(store.path), "classes": rows}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(f"No class in {store.path} yet.")
    for row in rows:
        print(f"{row['class']}: {row['scenario']}, seed {row['seed']}, {row['players']} players, {row['finished']} finished")
    return EXIT_OK


def run_code(args: argparse.Namespace) -> int:
    """Issue a new resume code."""
    store = open_store(args)
    record = store.get_class(args.class_name)
    code = store.new_resume_code(record, args.player)
    print(f"New resume code for {args.player!r} in class '{record.name}': {code} (the old one no longer works)")
    return EXIT_OK
