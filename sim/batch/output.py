"""What a batch prints: summary tables, failures and a progress bar."""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any, TextIO

from sim.stages import ENDING_KEYS, ENDING_SHORT_LABELS
from sim.batch.statistics import PAIRED_METRICS, BatchSummary, PairedMetric


# -- tables ---------------------------------------------------------------------------------


def table(rows: list[list[str]], right: set[int]) -> str:
    """Rows of cells as aligned text columns; columns in `right` are right-aligned."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(width) if column in right else cell.ljust(width)
                 for column, (cell, width) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def money(value: float | None, sign: bool = False) -> str:
    """A whole amount with thousands separators ('-' when there is none)."""
    if value is None:
        return "-"
    return f"{value:+,.0f}" if sign else f"{value:,.0f}"


def share(value: float | None) -> str:
    """A share as a whole percentage ('-' when there is none)."""
    return "-" if value is None else f"{value:.0%}"


def interval(bounds: tuple[float, float] | None, sign: bool = False) -> str:
    """A confidence interval as [low, high] ('-' with fewer than two runs)."""
    return "-" if bounds is None else f"[{money(bounds[0], sign)}, {money(bounds[1], sign)}]"


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_text(summary: BatchSummary) -> str:
    """The batch's summary: a table per strategy, then paired differences against the first strategy."""
    head = (f"{summary.title} ({summary.scenario}): {_plural(summary.runs, 'run')} per strategy, "
            f"seed {summary.seed}, quota {money(summary.quota)}")
    failures = summary.failed > 0
    rows = [["strategy", *(["failed"] if failures else []), "bookings mean", "95% CI", "quota met",
             *ENDING_SHORT_LABELS.values(), "status quo", "cycle d", "fcst err", "trust"]]
    for name, result in summary.strategies.items():
        rows.append([
            name, *([str(result.failed)] if failures else []), money(result.bookings_mean),
            interval(result.bookings_ci95), share(result.quota_share),
            *(share(result.rates[key]) for key in ENDING_KEYS), share(result.status_quo_share),
            _days(result.cycle_days_mean), share(result.forecast_error_mean),
            "-" if result.trust_mean is None else f"{result.trust_mean:.2f}",
        ])
    legend = ("(won ... open: share of all deals by ending; status quo: share ending in no decision for the "
              "status quo; cycle d: days to win, over runs that won a deal; fcst err: the share of the value in "
              "forecast stages called wrong, see the README)")
    parts = [head, "", table(rows, right=set(range(1, len(rows[0])))), legend]
    if summary.paired:
        baseline = next(iter(summary.strategies))
        parts += ["", f"Paired difference in bookings, run by run on the same worlds (each strategy - {baseline}):"]
        pair_rows = [["", "mean difference", "95% CI", "runs", ""]]
        for pair in summary.paired.values():
            if pair.ci95 is None:
                verdict = "too few runs for an interval"
            elif pair.excludes_zero:
                verdict = f"{'higher' if pair.ci95[0] > 0 else 'lower'}: the interval excludes 0"
            else:
                verdict = "no clear difference: the interval includes 0"
            pair_rows.append([f"{pair.strategy} - {pair.baseline}", money(pair.bookings_diff_mean, sign=True),
                              interval(pair.ci95, sign=True), str(pair.runs), verdict])
        parts.append(table(pair_rows, right={1, 2, 3}))
        parts += ["", "Paired differences in the other measures (each strategy - "
                  f"{baseline}; * the 95% interval excludes 0):"]
        metric_rows = [["", *(PAIRED_METRICS[name] for name in PAIRED_METRICS if name != "bookings")]]
        for pair in summary.paired.values():
            metric_rows.append([f"{pair.strategy} - {pair.baseline}", *(
                _paired_cell(pair.metrics[name], name) for name in PAIRED_METRICS if name != "bookings")])
        parts.append(table(metric_rows, right=set(range(1, len(metric_rows[0])))))
    return "\n".join(parts)


def _paired_cell(metric: PairedMetric, name: str) -> str:
    """A paired difference and its interval, e.g. '-0.12 [-0.15, -0.09]*'."""
    if metric.diff_mean is None:
        return "-"
    scale, digits = (100.0, 1) if name != "trust" else (1.0, 2)
    unit = " pts" if name != "trust" else ""
    text = f"{metric.diff_mean * scale:+.{digits}f}{unit}"
    if metric.ci95 is not None:
        low, high = metric.ci95
        text += f" [{low * scale:+.{digits}f}, {high * scale:+.{digits}f}]" + ("*" if metric.excludes_zero else "")
    return text


def failures_text(summary: BatchSummary, limit: int = 10) -> str:
    """The failed runs, each with the command that replays it ('' when none failed)."""
    if not summary.failed:
        return ""
    lines = [f"{summary.scenario}: {_plural(summary.failed, 'run')} failed:"]
    for failure in summary.failures[:limit]:
        lines.append(f"  run {failure.run}, {failure.strategy}, seed {failure.seed}: {failure.error}")
        lines.append(f"    replay: {failure.replay(summary.source)}")
    if summary.failed > limit:
        lines.append(f"  ... and {summary.failed - limit} more (--json lists up to 100 per strategy)")
    return "\n".join(lines)


# -- progress -------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ProgressBar:
    """A one-line progress bar with rate and ETA on a terminal; silent when the stream is not one."""

    def __init__(self, label: str = "", stream: TextIO | None = None, enabled: bool | None = None,
                 interval: float = 0.1) -> None:
        """Draw on `stream` (stderr by default), only if it is a terminal unless `enabled` says otherwise."""
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.label = label
        self.interval = interval
        self._last = 0.0
        self._shown = False

    def __call__(self, progress: Any) -> None:
        """Redraw for a BatchProgress (at most every `interval` seconds, and always at the end)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if progress.done < progress.total and now - self._last < self.interval:
            return
        self._last = now
        width = shutil.get_terminal_size((80, 24)).columns
        eta = progress.eta
        done = f"{progress.done:>{len(str(progress.total))}}/{progress.total}"
        text = (f"{done} games  {progress.done / max(progress.total, 1):4.0%}  "
                f"{progress.rate:5.0f}/s  ETA {'--:--' if eta is None else _clock(eta)}")
        if progress.failed:
            text += f"  {progress.failed} failed"
        prefix = f"{self.label}  " if self.label else ""
        bar_width = max(10, min(40, width - len(prefix) - len(text) - 5))
        filled = int(bar_width * progress.done / max(progress.total, 1))
        line = f"{prefix}[{'#' * filled}{'.' * (bar_width - filled)}] {text}"
        self.stream.write("\r" + line[: width - 1] + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def note(self, text: str) -> None:
        """Say `text` on a line of its own, where the bar would be drawn (so only on a terminal)."""
        if self.enabled:
            self.clear()
            prefix = f"{self.label}: " if self.label else ""
            self.stream.write(f"{prefix}{text}\n")
            self.stream.flush()

    def clear(self) -> None:
        """Erase the bar, so what follows starts on a clean line."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
