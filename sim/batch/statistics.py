"""Confidence intervals for batch statistics: Student's t from the standard library alone.

The t critical value is computed, not looked up: for up to 1,000 degrees of freedom
by bisection on the exact finite series for P(|T| < t) (Abramowitz & Stegun 26.7.3-4),
above that by the Cornish-Fisher expansion around the normal quantile (A&S 26.7.5),
whose error there is far below the precision anyone reads from a table.
Sums are kept exact (integers and fractions), so a mean or interval does not depend
on the order in which runs finished.
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from sim.batch.rows import BatchRow, RunFailure
from sim.stages import ENDING_KEYS
from sim.scenario.models import Scenario

EXACT_SERIES_MAX_DF = 1000
MAX_FAILURES_KEPT = 100  # per strategy: past this, failures are counted, not listed


def _two_sided_mass(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with `df` degrees of freedom (t >= 0)."""
    theta = math.atan(t / math.sqrt(df))
    sin, cos = math.sin(theta), math.cos(theta)
    cos2 = cos * cos
    if df % 2 == 0:
        term = total = 1.0
        for k in range(1, (df - 2) // 2 + 1):
            term *= (2 * k - 1) / (2 * k) * cos2
            total += term
        return sin * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = 1.0
    for k in range(1, (df - 3) // 2 + 1):
        term *= (2 * k) / (2 * k + 1) * cos2
        total += term
    return 2 / math.pi * (theta + sin * cos * total)


def _cornish_fisher(df: int, probability: float) -> float:
    """The t quantile from the normal quantile, by its expansion in 1/df."""
    z = statistics.NormalDist().inv_cdf(probability)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@lru_cache(maxsize=256)
def t_critical(df: int, confidence: float = 0.95) -> float:
    """The two-sided Student t critical value: P(|T| < value) = confidence."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    if df > EXACT_SERIES_MAX_DF:
        return _cornish_fisher(df, (1 + confidence) / 2)
    low, high = 0.0, 1.0
    while _two_sided_mass(high, df) < confidence:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _two_sided_mass(middle, df) < confidence:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def mean_ci(values: Sequence[float], confidence: float = 0.95) -> tuple[float, tuple[float, float] | None]:
    """The mean of `values` and its t confidence interval (None with fewer than two values)."""
    moments = Moments()
    for value in values:
        moments.add(value)
    mean = moments.mean
    if mean is None:
        raise ValueError("mean_ci needs at least one value")
    return mean, moments.ci(confidence)


class Moments:
    """Count, exact sum and exact sum of squares of numbers, for a mean and its confidence interval."""

    # Every int and float is a whole number over a power of two, so the sums are kept exactly as
    # whole numbers over 2**scale: adding is a shift and an integer sum (a Fraction would divide
    # by a gcd at every step, which is most of what a batch's own process spends per game).
    __slots__ = ("count", "_sum", "_sum_squares", "_scale")

    def __init__(self) -> None:
        self.count = 0
        self._sum = 0  # the sum of the values times 2**_scale
        self._sum_squares = 0  # the sum of their squares times 2**(2 * _scale)
        self._scale = 0

    def add(self, value: float) -> None:
        """Count one value (an int or float; floats are taken exactly)."""
        numerator, denominator = value.as_integer_ratio()
        scale = denominator.bit_length() - 1  # denominator == 2**scale
        if scale > self._scale:
            grow = scale - self._scale
            self._sum <<= grow
            self._sum_squares <<= 2 * grow
            self._scale = scale
        else:
            numerator <<= self._scale - scale
        self.count += 1
        self._sum += numerator
        self._sum_squares += numerator * numerator

    @property
    def total(self) -> Fraction:
        """The exact sum of the values."""
        return Fraction(self._sum, 1 << self._scale)

    @property
    def total_squares(self) -> Fraction:
        """The exact sum of the squares of the values."""
        return Fraction(self._sum_squares, 1 << (2 * self._scale))

    def extend(self, values: Iterable[float]) -> None:
        """Count each of `values`."""
        for value in values:
            self.add(value)

    @property
    def mean(self) -> float | None:
        """The mean, or None when nothing was counted."""
        return float(self.total / self.count) if self.count else None

    @property
    def variance(self) -> float | None:
        """The sample variance (n - 1 in the denominator), or None with fewer than two values."""
        if self.count < 2:
            return None
        spread = self.total_squares - self.total * self.total / self.count
        return float(spread / (self.count - 1))

    @property
    def stdev(self) -> float | None:
        """The sample standard deviation, or None with fewer than two values."""
        variance = self.variance
        return None if variance is None else math.sqrt(variance)

    def ci(self, confidence: float = 0.95) -> tuple[float, float] | None:
        """The t confidence interval of the mean, or None with fewer than two values."""
        mean, variance = self.mean, self.variance
        if mean is None or variance is None:
            return None
        half = t_critical(self.count - 1, confidence) * math.sqrt(variance / self.count)
        return (mean - half, mean + half)


# -- batch summaries -----------------------------------------------------------------------


@dataclass(frozen=True)
class StrategySummary:
    """What one strategy achieved over a batch's runs."""

    strategy: str
    runs: int
    failed: int
    bookings_mean: float | None
    bookings_ci95: tuple[float, float] | None
    bookings_sd: float | None
    quota_share: float | None
    rates: dict[str, float | None]
    cycle_days_mean: float | None
    forecast_error_mean: float | None  # share of quota (see sim.forecast)
    trust_mean: float | None
    status_quo_share: float | None  # of all deals, those that ended in no decision for the status quo
    lessons: dict[str, int]
    bookings: tuple[int, ...] = field(default=(), repr=False)  # per run, in run order (when kept)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (without the per-run bookings)."""
        return {
            "runs": self.runs, "failed": self.failed, "bookings_mean": self.bookings_mean,
            "bookings_ci95": None if self.bookings_ci95 is None else list(self.bookings_ci95),
            "bookings_sd": self.bookings_sd, "quota_share": self.quota_share, "rates": dict(self.rates),
            "cycle_days_mean": self.cycle_days_mean, "forecast_error_mean": self.forecast_error_mean,
            "trust_mean": self.trust_mean, "status_quo_share": self.status_quo_share, "lessons": dict(self.lessons),
        }


# What is compared run by run: each run's value of these for a strategy, minus the baseline's.
PAIRED_METRICS: dict[str, str] = {
    "bookings": "bookings",
    "no_decision_share": "share of deals ending in no decision",
    "rejected_share": "share of deals rejected by senior management",
    "forecast_error": "forecast error",
    "trust": "trust",
}


def paired_values(row: BatchRow) -> dict[str, float | None]:
    """One run's values of the paired metrics."""
    deals = sum(row.counts.values()) or 1
    return {"bookings": row.bookings, "no_decision_share": row.no_decision / deals,
            "rejected_share": row.rejected / deals, "forecast_error": row.forecast_error, "trust": row.trust}


@dataclass(frozen=True)
class PairedMetric:
    """One metric's run-by-run difference against the baseline: its mean and 95% interval."""

    runs: int
    diff_mean: float | None
    ci95: tuple[float, float] | None

    @property
    def excludes_zero(self) -> bool:
        """True when the 95% interval lies wholly above or below zero."""
        return self.ci95 is not None and (self.ci95[0] > 0 or self.ci95[1] < 0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"runs": self.runs, "diff_mean": self.diff_mean,
                "ci95": None if self.ci95 is None else list(self.ci95), "excludes_zero": self.excludes_zero}


@dataclass(frozen=True)
class PairedSummary:
    """A strategy minus the baseline, run by run on the same worlds: bookings, and every paired metric."""

    strategy: str
    baseline: str
    metrics: dict[str, PairedMetric]

    @property
    def runs(self) -> int:
        """Runs paired on bookings."""
        return self.metrics["bookings"].runs

    @property
    def bookings_diff_mean(self) -> float | None:
        """The mean difference in bookings."""
        return self.metrics["bookings"].diff_mean

    @property
    def ci95(self) -> tuple[float, float] | None:
        """The 95% interval of the difference in bookings."""
        return self.metrics["bookings"].ci95

    @property
    def excludes_zero(self) -> bool:
        """True when the bookings interval lies wholly above or below zero."""
        return self.metrics["bookings"].excludes_zero

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the bookings difference at the top, every metric under `metrics`."""
        return {"strategy": self.strategy, "baseline": self.baseline, "runs": self.runs,
                "bookings_diff_mean": self.bookings_diff_mean,
                "ci95": None if self.ci95 is None else list(self.ci95), "excludes_zero": self.excludes_zero,
                "metrics": {name: metric.to_dict() for name, metric in self.metrics.items()}}


@dataclass(frozen=True)
class BatchSummary:
    """The statistics of one scenario's batch: per strategy, and paired against the first strategy."""

    scenario: str
    title: str
    source: str
    runs: int
    seed: int
    quota: int
    strategies: dict[str, StrategySummary]
    paired: dict[str, PairedSummary]
    failed: int
    failures: tuple[RunFailure, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: scenario, runs, seed, strategies, paired ('B-A' keys), failures."""
        return {
            "scenario": self.scenario, "title": self.title, "runs": self.runs, "seed": self.seed,
            "quota": self.quota,
            "strategies": {name: summary.to_dict() for name, summary in self.strategies.items()},
            "paired": {key: pair.to_dict() for key, pair in self.paired.items()},
            "failed": self.failed, "failures": [failure.to_dict() for failure in self.failures],
        }


class StrategyTally:
    """Exact running sums for one strategy, so memory stays flat however many runs there are."""

    def __init__(self, label: str, keep_bookings: bool) -> None:
        """Start empty; with `keep_bookings`, also keep each run's bookings (for plots)."""
        self.label = label
        self.bookings = Moments()
        self.quota_hits = 0
        self.endings: Counter[str] = Counter()
        self.cycle = Moments()
        self.forecast = Moments()
        self.trust = Moments()
        self.status_quo = 0
        self.lessons: Counter[str] = Counter()
        self.kept: tuple[array[int], array[int]] | None = (array("q"), array("q")) if keep_bookings else None
        self.failed = 0
        self.failures: list[RunFailure] = []

    def add(self, row: BatchRow) -> None:
        """Count a finished run."""
        self.bookings.add(row.bookings)
        self.quota_hits += row.quota_reached
        for key in ENDING_KEYS:
            self.endings[key] += getattr(row, key)
        if row.cycle_days_mean is not None:
            self.cycle.add(row.cycle_days_mean)
        if row.forecast_error is not None:
            self.forecast.add(row.forecast_error)
        self.trust.add(row.trust)
        self.status_quo += row.status_quo
        self.lessons.update(dict(row.lessons))
        if self.kept is not None:
            self.kept[0].append(row.run)
            self.kept[1].append(row.bookings)

    def fail(self, failure: RunFailure) -> None:
        """Count a failed run (the earliest runs' failures are listed)."""
        self.failed += 1
        self.failures.append(failure)
        if len(self.failures) >= 2 * MAX_FAILURES_KEPT:
            self._trim()

    def _trim(self) -> None:
        """Keep the failures of the earliest runs, whatever order they finished in."""
        self.failures.sort(key=lambda failure: failure.run)
        del self.failures[MAX_FAILURES_KEPT:]

    def _bookings_by_run(self) -> tuple[int, ...]:
        if self.kept is None:
            return ()
        runs, bookings = self.kept
        return tuple(value for _run, value in sorted(zip(runs, bookings)))

    def summary(self) -> StrategySummary:
        """The strategy's statistics so far."""
        self._trim()
        runs = self.bookings.count
        deals = sum(self.endings.values())
        return StrategySummary(
            strategy=self.label, runs=runs, failed=self.failed, bookings_mean=self.bookings.mean,
            bookings_ci95=self.bookings.ci(), bookings_sd=self.bookings.stdev,
            quota_share=self.quota_hits / runs if runs else None,
            rates={key: (self.endings[key] / deals if deals else None) for key in ENDING_KEYS},
            cycle_days_mean=self.cycle.mean, forecast_error_mean=self.forecast.mean,
            trust_mean=self.trust.mean, status_quo_share=self.status_quo / deals if deals else None,
            lessons=dict(sorted(self.lessons.items())),
            bookings=self._bookings_by_run(),
        )


class ScenarioTally:
    """The tallies of one scenario: per strategy, and paired differences as runs complete."""

    def __init__(self, scenario: Scenario, source: str, labels: Sequence[str], runs: int, seed: int,
                 keep_bookings: bool) -> None:
        """Start empty for `labels` (the first is the baseline of the paired differences)."""
        self.scenario = scenario
        self.source = source
        self.labels = list(labels)
        self.runs = runs
        self.seed = seed
        self.strategies = {label: StrategyTally(label, keep_bookings) for label in labels}
        self.paired = {label: {metric: Moments() for metric in PAIRED_METRICS} for label in labels[1:]}
        self._open_runs: dict[int, dict[str, dict[str, float | None] | None]] = {}

    def add(self, outcome: BatchRow | RunFailure) -> None:
        """Count a finished or failed game; once every strategy has played a run, pair its bookings."""
        tally = self.strategies[outcome.strategy]
        values: dict[str, float | None] | None
        if isinstance(outcome, BatchRow):
            tally.add(outcome)
            values = paired_values(outcome)
        else:
            tally.fail(outcome)
            values = None
        finished = self._open_runs.setdefault(outcome.run, {})
        finished[outcome.strategy] = values
        if len(finished) == len(self.labels):
            del self._open_runs[outcome.run]
            baseline = finished[self.labels[0]]
            for label in self.labels[1:]:
                other = finished[label]
                if baseline is None or other is None:
                    continue
                for metric, moments in self.paired[label].items():
                    mine, theirs = other[metric], baseline[metric]
                    if mine is not None and theirs is not None:
                        moments.add(mine - theirs)

    @property
    def failed(self) -> int:
        """Failed runs over every strategy."""
        return sum(tally.failed for tally in self.strategies.values())

    def summary(self) -> BatchSummary:
        """The scenario's statistics so far."""
        info = self.scenario.scenario
        baseline = self.labels[0]
        paired = {
            f"{label}-{baseline}": PairedSummary(label, baseline, {
                metric: PairedMetric(diffs.count, diffs.mean, diffs.ci()) for metric, diffs in metrics.items()
            })
            for label, metrics in self.paired.items()
        }
        failures = tuple(sorted((failure for tally in self.strategies.values() for failure in tally.failures),
                                key=lambda failure: (failure.run, self.labels.index(failure.strategy))))
        return BatchSummary(
            scenario=info.id, title=info.title, source=self.source, runs=self.runs, seed=self.seed,
            quota=self.scenario.seller.quota,
            strategies={label: tally.summary() for label, tally in self.strategies.items()}, paired=paired,
            failed=self.failed, failures=failures,
        )
