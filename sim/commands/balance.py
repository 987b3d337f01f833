"""The `dealdrift scenario balance` command: how hard a scenario is, measured by the built-in bots."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from sim.batch.defaults import default_jobs
from sim.commands import arguments
from sim.commands.exits import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK
from sim.strategies import BUILT_IN

if TYPE_CHECKING:
    from sim.batch.run import BatchProgress

DEFAULT_BALANCE_RUNS = 100


def register_balance(commands: argparse._SubParsersAction) -> None:
    """Add `dealdrift scenario balance` to the scenario subcommands."""
    balance = commands.add_parser(
        "balance",
        help="measure how hard a scenario is by letting the built-in bots play it",
        description=(
            f"Play each built-in strategy ({', '.join(BUILT_IN)}) N times on the same seeded worlds and "
            "report how often each reaches quota, how the deals end and which lessons the deals "
            "illustrate, ending with a one-line verdict."
        ),
        epilog="Exit status: 0 when every run finished, 1 on an error or a failed run, 130 when interrupted.",
    )
    balance.add_argument("file", metavar="FILE", help="a scenario file, or the name of a bundled scenario")
    balance.add_argument("-n", "--runs", type=arguments.whole(1), default=DEFAULT_BALANCE_RUNS, metavar="N",
                         help="runs per strategy (default: %(default)s)")
    balance.add_argument("-j", "--jobs", type=arguments.whole(1), default=None, metavar="J",
                         help=f"games played at once (default: the number of CPU cores, {default_jobs()})")
    balance.add_argument("--seed", type=arguments.seed, default=0, metavar="S",
                         help="batch seed (default: %(default)s)")
    balance.add_argument("--json", action="store_true", help="print the report as one JSON object")
    balance.set_defaults(handler=run_balance)


def run_balance(args: argparse.Namespace) -> int:
    """Let every built-in strategy play the scenario and print how hard it is; returns the exit code."""
    # The batch machinery is imported here, so that registering the command stays cheap.
    from sim.batch.balance import balance_text, lesson_counts, verdict
    from sim.batch.output import ProgressBar, failures_text
    from sim.batch.run import run_batch

    bar = ProgressBar("balance")
    reached = {"done": 0, "total": 0}

    def progress(state: BatchProgress) -> None:
        reached.update(done=state.done, total=state.total)
        bar(state)

    try:
        summary = run_batch(args.file, list(BUILT_IN), runs=args.runs, seed=args.seed,
                            jobs=args.jobs or default_jobs(), progress=progress)
    except KeyboardInterrupt:
        bar.clear()
        print(f"dealdrift scenario balance: interrupted after {reached['done']} of {reached['total']} games.",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        bar.clear()
    if args.json:
        document = summary.to_dict()
        document["lessons"] = lesson_counts(summary)
        document["verdict"] = verdict(summary)
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(balance_text(summary))
    failures = failures_text(summary)
    if failures:
        print(failures, file=sys.stderr)
    return EXIT_FAILURE if summary.failed else EXIT_OK
