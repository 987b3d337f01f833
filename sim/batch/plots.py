"""Charts of a batch: bookings per strategy and how deals ended, side by side (needs matplotlib)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sim.errors import DealDriftError
from sim.stages import ENDING_KEYS, ENDING_SHORT_LABELS
from sim.batch.statistics import BatchSummary

PLOT_FORMATS = (".png", ".svg", ".pdf")
ENDING_COLOURS = {
    "won": "#2e7d32",
    "lost": "#c62828",
    "no_decision": "#ef8f00",
    "rejected": "#6a1b9a",
    "open": "#b0bec5",
}


def check_plot_target(path: str | os.PathLike[str]) -> None:
    """Refuse a plot file name matplotlib cannot write, or a missing matplotlib, before any run."""
    if Path(path).suffix.lower() not in PLOT_FORMATS:
        raise DealDriftError(f"--plot {path}: expected a .png, .svg or .pdf file name.")
    _figure_class()


def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise DealDriftError(
            "--plot needs matplotlib, which is not installed: pip install 'dealdrift[plot]'"
        ) from None
    return Figure


def plot_batches(summaries: list[BatchSummary], path: str | os.PathLike[str]) -> Path:
    """Draw one row per scenario: bookings per strategy (left) and the share of deals by ending (right)."""
    check_plot_target(path)
    figure_class = _figure_class()
    names = list(summaries[0].strategies) if summaries else []
    height = max(2.6, 0.55 * len(names) + 1.6)
    figure = figure_class(figsize=(12, height * len(summaries)), layout="constrained")
    axes = figure.subplots(len(summaries), 2, squeeze=False, gridspec_kw={"width_ratios": [3, 2]})
    for (left, right), summary in zip(axes, summaries):
        _bookings(left, summary)
        _endings(right, summary)
    handles = [_patch(ENDING_COLOURS[key], ENDING_SHORT_LABELS[key]) for key in ENDING_KEYS]
    figure.legend(handles=handles, loc="outside lower right", ncols=len(handles), frameon=False)
    target = Path(path)
    try:
        figure.savefig(target, dpi=150)
    except OSError as error:
        raise DealDriftError(f"Cannot write {target}: {error.strerror or error}.") from None
    return target


def _patch(colour: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label)


def _bookings(axis: Any, summary: BatchSummary) -> None:
    """Box plots of bookings per run, the mean with its 95% interval, and the quota line."""
    names = list(summary.strategies)
    positions = list(range(len(names), 0, -1))  # first strategy on top
    data = [list(summary.strategies[name].bookings) or [0] for name in names]
    axis.boxplot(data, positions=positions, orientation="horizontal", widths=0.55, showfliers=True,
                 patch_artist=True, boxprops={"facecolor": "#e3f2fd", "edgecolor": "#1565c0"},
                 medianprops={"color": "#1565c0"}, flierprops={"markersize": 3, "alpha": 0.4})
    for name, position in zip(names, positions):
        result = summary.strategies[name]
        if result.bookings_mean is None:
            continue
        low, high = result.bookings_ci95 or (result.bookings_mean, result.bookings_mean)
        spread = [[result.bookings_mean - low], [high - result.bookings_mean]]
        axis.errorbar(result.bookings_mean, position, xerr=spread, fmt="D", color="#d84315", markersize=5, capsize=4,
                      zorder=3)
    axis.axvline(summary.quota, color="#2e7d32", linestyle="--", linewidth=1)
    axis.annotate("quota", (summary.quota, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12),
                  textcoords="offset points", color="#2e7d32", fontsize=8)
    axis.set_yticks(positions, [_label(summary, name) for name in names], fontsize=9)
    axis.set_xlim(left=0)
    axis.xaxis.set_major_formatter(_thousands())
    axis.set_xlabel("bookings per run (box: quartiles; diamond: mean with 95% CI)")
    axis.set_title(f"{summary.title}: bookings over {summary.runs} runs", loc="left", fontsize=11)
    axis.grid(axis="x", alpha=0.3)


def _label(summary: BatchSummary, name: str) -> str:
    """A strategy's name with its mean bookings and quota attainment beneath."""
    result = summary.strategies[name]
    if result.bookings_mean is None:
        return f"{name}\n(no finished runs)"
    return f"{name}\nmean {result.bookings_mean:,.0f}\nquota met {result.quota_share:.0%}"


def _endings(axis: Any, summary: BatchSummary) -> None:
    """Stacked bars: the share of deals that were won, lost, withered, rejected or left open."""
    names = list(summary.strategies)
    positions = list(range(len(names), 0, -1))
    starts = [0.0] * len(names)
    for key in ENDING_KEYS:
        shares = [summary.strategies[name].rates[key] or 0.0 for name in names]
        axis.barh(positions, shares, left=starts, height=0.55, color=ENDING_COLOURS[key])
        for position, start, value in zip(positions, starts, shares):
            if value >= 0.07:
                text_colour = "#263238" if key == "open" else "white"
                axis.text(start + value / 2, position, f"{value:.0%}", ha="center", va="center", fontsize=8,
                          color=text_colour)
        starts = [start + value for start, value in zip(starts, shares)]
    axis.set_yticks(positions, names)
    axis.set_xlim(0, 1)
    axis.xaxis.set_major_formatter(_percent())
    axis.set_xlabel("share of deals by ending")
    axis.set_title("How the deals ended", loc="left", fontsize=11)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: f"{value:,.0f}")


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)
