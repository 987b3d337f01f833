"""The `dealdrift batch` command: compare coaching strategies over many seeded runs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim.batch.defaults import DEFAULT_RUNS, DEFAULT_STRATEGIES, default_jobs
from sim.commands import arguments
from sim.commands.exits import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from sim.errors import DealDriftError

if TYPE_CHECKING:
    from sim.batch.rows import ResumeError
    from sim.batch.run import BatchProgress
    from sim.batch.statistics import BatchSummary


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `batch` subcommand."""
    parser = subparsers.add_parser(
        "batch",
        help="compare coaching strategies over many seeded runs",
        description=(
            "Play each strategy many times on the same seeded worlds (run i of every strategy meets the "
            "same crises and priority shifts) and compare them: bookings with 95% confidence intervals, "
            "quota attainment, how deals ended, and each strategy's paired difference against the first."
        ),
        epilog=(
            "Exit status: 0 when every run finished, 1 when a run failed (the others are still reported) "
            "or on an error, 2 on a usage error, 130 when interrupted (finished rows stay in --out; "
            "run the same command with --resume to continue)."
        ),
    )
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                        help="a bundled scenario name (e.g. default) or a scenario file")
    parser.add_argument("-s", "--strategy", dest="strategies", action="append", metavar="NAME",
                        help="a built-in strategy (idle, random, pusher, typical, advisor) or your own as "
                             "module:Class; repeat for several; the first is the baseline "
                             f"(default: {' and '.join(DEFAULT_STRATEGIES)})")
    parser.add_argument("-n", "--runs", type=arguments.whole(1), default=DEFAULT_RUNS, metavar="N",
                        help="runs per strategy and scenario (default: %(default)s)")
    parser.add_argument("--seed", type=arguments.seed, default=0, metavar="S",
                        help="batch seed; run i plays the world seed derived from S and i (default: %(default)s)")
    parser.add_argument("-j", "--jobs", type=arguments.whole(1), default=None, metavar="J",
                        help=f"games played at once (default: the number of CPU cores, {default_jobs()}; "
                             "on an existing Dask cluster, its worker threads)")
    parser.add_argument("-o", "--out", metavar="FILE",
                        help="write one row per run and strategy to FILE.csv or FILE.jsonl as runs finish")
    parser.add_argument("--resume", action="store_true",
                        help="continue the batch in --out FILE: skip the runs already there")
    parser.add_argument("--force", action="store_true", help="overwrite --out FILE if it exists")
    parser.add_argument("--json", action="store_true",
                        help="print the summary as one JSON object instead of tables")
    parser.add_argument("--plot", metavar="FILE",
                        help="draw bookings per strategy and how deals ended to FILE.png, .svg or .pdf "
                             "(needs matplotlib: pip install 'dealdrift[plot]')")
    parser.add_argument("--executor", choices=("process", "thread", "dask"), default=None,
                        help="where games run: local processes (default), threads, or Dask: a local Dask "
                             "cluster of --jobs worker processes, or the cluster at --scheduler "
                             "(needs pip install 'dealdrift[dask]')")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="the Dask scheduler of an existing cluster, e.g. tcp://10.0.0.5:8786 (implies "
                             "--executor dask); its workers need dealdrift installed, and a strategy module "
                             "that is a single .py file is uploaded to them")
    parser.set_defaults(handler=run)


def _usage(message: str) -> int:
    print(f"dealdrift batch: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Run the batch, print its summary and write the requested files; returns the exit code."""
    # The batch machinery is imported here, so that registering the command stays cheap.
    from sim.batch.output import ProgressBar
    from sim.batch.rows import OUTPUT_FORMATS, BatchRow, ResumeError, RowWriter, read_rows
    from sim.batch.run import open_executor, run_batches

    executor_kind = args.executor or ("dask" if args.scheduler else "process")
    if args.scheduler and executor_kind != "dask":
        return _usage("--scheduler is for --executor dask")
    if args.resume and not args.out:
        return _usage("--resume needs --out FILE: the file of the batch to continue")
    if args.resume and args.force:
        return _usage("--resume and --force cannot be combined")
    if args.out and Path(args.out).suffix.lower() not in OUTPUT_FORMATS:
        return _usage(f"--out {args.out}: expected a .csv or .jsonl file name")
    if args.plot:
        from sim.batch.plots import PLOT_FORMATS, check_plot_target

        if Path(args.plot).suffix.lower() not in PLOT_FORMATS:
            return _usage(f"--plot {args.plot}: expected a .png, .svg or .pdf file name")
        check_plot_target(args.plot)
    strategies = args.strategies or list(DEFAULT_STRATEGIES)
    done: list[BatchRow] = []
    keep: int | None = None
    if args.resume and Path(args.out).exists():
        try:
            done, keep = read_rows(args.out)
        except ResumeError as error:
            raise _resume_error(args.out, error) from None
    writer = RowWriter(args.out, keep=keep, force=args.force) if args.out else None
    bar = ProgressBar("batch")
    finished = len(done)
    total = 0

    def progress(state: BatchProgress) -> None:
        nonlocal finished, total
        finished, total = state.done, state.total
        bar(state)

    try:
        with open_executor(executor_kind, args.jobs, args.scheduler, strategies, bar.note) as (executor, jobs):
            summaries = run_batches(
                args.scenarios, strategies, runs=args.runs, seed=args.seed, jobs=jobs, executor=executor,
                on_row=writer.write if writer else None, done=done, progress=progress,
                keep_bookings=bool(args.plot),
            )
    except KeyboardInterrupt:
        bar.clear()
        if writer is not None:
            kept = len(done) + writer.rows
            print(f"dealdrift batch: interrupted: {kept} of {total} games are finished and kept in {args.out}; "
                  "run the same command with --resume to continue.", file=sys.stderr)
        else:
            print(f"dealdrift batch: interrupted after {finished} of {total} games "
                  "(add --out FILE to keep finished runs and --resume to continue).", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ResumeError as error:
        raise _resume_error(args.out, error) from None
    except DealDriftError as error:
        if writer is None or not (writer.rows or done):
            raise
        raise DealDriftError(f"{error} The finished rows are kept in {args.out}: run the same command with "
                             "--resume to continue.") from None
    finally:
        bar.clear()
        if writer is not None:
            writer.close()
    _report(summaries, as_json=args.json)
    if args.plot:
        from sim.batch.plots import plot_batches

        print(f"Plot written to {plot_batches(summaries, args.plot)}", file=sys.stderr)
    return EXIT_FAILURE if any(summary.failed for summary in summaries) else EXIT_OK


def _resume_error(path: str, error: ResumeError) -> DealDriftError:
    return DealDriftError(f"cannot resume from {path}: {error} Use another --out file, or --force to start afresh.")


def _report(summaries: Sequence[BatchSummary], *, as_json: bool) -> None:
    """The summary on stdout (tables or one JSON object) and failed runs on stderr."""
    from sim.batch.output import failures_text, summary_text

    if as_json:
        document = summaries[0].to_dict() if len(summaries) == 1 else {
            "scenarios": [summary.to_dict() for summary in summaries]}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(summary_text(summary) for summary in summaries))
    for summary in summaries:
        text = failures_text(summary)
        if text:
            print(text, file=sys.stderr)
