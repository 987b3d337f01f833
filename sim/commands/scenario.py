"""The `dealdrift scenario` command: check, list, create and describe scenario files."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sim.model.buying import mermaid
from sim.commands import arguments
from sim.commands.exits import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from sim.errors import DealDriftError
from sim.commands.balance import register_balance

if TYPE_CHECKING:
    from sim.scenario.loader import Problem


_NEW_HEADER = """\
# A Deal Drift scenario. Every key is described in the scenario reference
# (scenarios/README.md); check your edits with: dealdrift scenario check {file}
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `scenario` command and its subcommands."""
    parser = subparsers.add_parser(
        "scenario",
        help="check, list and create scenario files",
        description="Work with scenario files: the TOML files that set up a game.",
        epilog="Run 'dealdrift scenario SUBCOMMAND --help' for a subcommand's options.",
    )
    commands = parser.add_subparsers(dest="scenario_command", metavar="SUBCOMMAND")
    add_subcommands(commands)
    parser.set_defaults(handler=lambda args: _usage(parser))


def add_subcommands(commands: argparse._SubParsersAction) -> None:
    """Add each `dealdrift scenario` subcommand."""
    for add in (_add_check, _add_list, _add_new, _add_schema, _add_diagram, register_balance):
        add(commands)


def _add_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="validate scenario files and list every problem",
        description=(
            "Validate scenario files. Prints each problem as FILE:LINE: level: key.path: message "
            "(array indexes in key paths count from 0), then a summary on stderr. "
            "Exit status: 0 when every file is valid, 1 when one has an error "
            "(or, with --strict, a warning), 2 on a usage error."
        ),
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="a scenario file, or the name of a bundled scenario")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: %(default)s)"
    )
    check.set_defaults(handler=run_check)


def _add_list(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser(
        "list",
        help="list the bundled scenarios",
        description="List the scenarios that ship with Deal Drift: name, title, weeks, deals and difficulty.",
    )
    listing.set_defaults(handler=run_list)


def _add_new(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser(
        "new",
        help="write a starter scenario to edit",
        description=(
            "Write a complete starter scenario that loads cleanly: accounts with a buying group "
            "(champion, economic buyer, technical evaluator), deals spread over them and two "
            "scripted events. With --from, copy a bundled scenario instead."
        ),
    )
    new.add_argument("file", metavar="FILE", help="where to write the scenario (e.g. my-quarter.toml)")
    new.add_argument("--from", dest="source", metavar="NAME", help="copy this bundled scenario (see 'scenario list')")
    new.add_argument("--accounts", type=arguments.whole(1, 100), metavar="N",
                     help="number of accounts, 1 to 100 (default: 2)")
    new.add_argument("--deals", type=arguments.whole(1, 1000), metavar="N",
                     help="number of deals, 1 to 1000 (default: 3)")
    new.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    new.set_defaults(handler=run_new)


def _add_schema(commands: argparse._SubParsersAction) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description=(
            "Print the JSON Schema of scenario files, for editor completion and validation "
            "(e.g. dealdrift scenario schema > dealdrift.schema.json, then '#:schema ./dealdrift.schema.json' "
            "at the top of a scenario for Taplo / Even Better TOML)."
        ),
    )
    schema.set_defaults(handler=run_schema)


def _add_diagram(commands: argparse._SubParsersAction) -> None:
    diagram = commands.add_parser(
        "diagram",
        help="print the buying process as a diagram",
        description="Print the buying stages and what moves a deal between them, as a Mermaid state diagram.",
    )
    diagram.add_argument("--format", choices=("mermaid",), default="mermaid", help="diagram format (default: mermaid)")
    diagram.set_defaults(handler=run_diagram)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


# -- check ------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    """Check each file; print its problems, then a summary; exit 1 on errors (or warnings with --strict)."""
    from sim.scenario.loader import check_scenario  # the scenario format loads only for a command that reads one

    problems: list[Problem] = []
    for source in args.files:
        problems += check_scenario(source)[1]
    errors = sum(problem.level == "error" for problem in problems)
    warnings = len(problems) - errors
    if args.format == "json":
        report = {
            "files": len(args.files),
            "errors": errors,
            "warnings": warnings,
            "problems": [problem.as_dict() for problem in problems],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for problem in problems:
            print(problem)
    print(_summary(len(args.files), errors, warnings), file=sys.stderr)
    failed = errors > 0 or (args.strict and warnings > 0)
    return EXIT_FAILURE if failed else EXIT_OK


def _summary(files: int, errors: int, warnings: int) -> str:
    def count(number: int, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"

    found = f"{count(errors, 'error')}, {count(warnings, 'warning')}" if errors or warnings else "no problems"
    return f"{count(files, 'file')} checked: {found}"


# -- list -------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    """Print the bundled scenarios as an aligned table."""
    from sim.scenario.loader import bundled_names, check_scenario

    rows = [("NAME", "TITLE", "WEEKS", "DEALS", "DIFFICULTY")]
    broken = False
    for name in bundled_names():
        scenario, _problems = check_scenario(name)
        if scenario is None:
            broken = True
            rows.append((name, "(invalid: run 'dealdrift scenario check " + name + "')", "-", "-", "-"))
            continue
        info = scenario.scenario
        rows.append((name, info.title, str(info.weeks), str(len(scenario.deals)), info.difficulty))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = [
            cell.rjust(width) if column in (2, 3) else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths))
        ]
        print("  ".join(cells).rstrip())
    return EXIT_FAILURE if broken else EXIT_OK


# -- new --------------------------------------------------------------------------


def run_new(args: argparse.Namespace) -> int:
    """Write a starter scenario (or a copy of a bundled one) to FILE."""
    from sim.scenario.loader import dump_scenario
    from sim.scenario.template import slug, starter_scenario

    target = Path(args.file)
    scenario_id = slug(target.stem)
    if args.source is not None:
        if args.accounts is not None or args.deals is not None:
            message = "--from cannot be combined with --accounts or --deals"
            print(f"dealdrift scenario new: error: {message}", file=sys.stderr)
            return EXIT_USAGE
        text = copy_bundled(args.source, scenario_id)
    else:
        scenario = starter_scenario(scenario_id, accounts=args.accounts or 2, deals=args.deals or 3)
        text = _NEW_HEADER.format(file=target.name) + "\n" + dump_scenario(scenario, comments=True)
    _write_new(target, text, force=args.force)
    print(f"Wrote {target}. Edit it, then run: dealdrift scenario check {target}")
    return EXIT_OK


def copy_bundled(name: str, scenario_id: str) -> str:
    """The text of a bundled scenario, comments kept, with its `[scenario]` id set to `scenario_id`."""
    from sim.scenario.loader import (Problem, ScenarioError, bundled_names, bundled_scenario_path, check_document,
                                     dump_scenario)
    from sim.scenario.toml_lines import KeyLines

    if name not in bundled_names():
        known = ", ".join(bundled_names())
        raise ScenarioError([Problem(name, None, "", f"no bundled scenario of that name, expected one of: {known}")])
    entry = bundled_scenario_path(name)
    data = entry.read_bytes()
    scenario, problems = check_document(data, str(entry))
    if scenario is None:
        raise ScenarioError([problem for problem in problems if problem.level == "error"])
    text = data.decode("utf-8-sig")
    line = KeyLines(text).exact_line(("scenario", "id"))
    if line is not None:
        lines = text.splitlines(keepends=True)
        renamed = re.sub(r"""^(\s*id\s*=\s*)(["'])[^"'\n]*\2""", rf'\g<1>"{scenario_id}"', lines[line - 1], count=1)
        lines[line - 1] = renamed
        copied = "".join(lines)
        reloaded, _ = check_document(copied.encode("utf-8"), str(entry))
        if reloaded is not None and reloaded.scenario.id == scenario_id:
            return copied
    # The id could not be edited in place: write the scenario out afresh (comments are lost).
    info = scenario.scenario.model_copy(update={"id": scenario_id})
    return dump_scenario(scenario.model_copy(update={"scenario": info}), comments=True)


def _write_new(target: Path, text: str, *, force: bool) -> None:
    if target.is_dir():
        raise DealDriftError(f"{target} is a folder, expected a file name such as {target / 'my-quarter.toml'}")
    try:
        with open(target, "w" if force else "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise DealDriftError(f"{target} already exists; use --force to overwrite it") from None
    except OSError as error:
        raise DealDriftError(f"cannot write {target}: {error.strerror or error}") from None


# -- schema and diagram -----------------------------------------------------------


def run_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema that scenario files are validated against."""
    from sim.scenario.messages import scenario_schema

    print(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def run_diagram(args: argparse.Namespace) -> int:
    """Print the buying process diagram."""
    sys.stdout.write(mermaid())
    return EXIT_OK

