"""The one place a class report reads a game's results: every figure it shows comes from `figures`."""

from __future__ import annotations

from dataclasses import dataclass

from sim.results import RunResult
from sim.stages import ENDING_KEYS

# What `forecast_accuracy` measures today, shown beside it in every format, and its column's heading.
FORECAST_ACCURACY = ("forecast error: the share of the value in forecast stages that the weekly calls got wrong "
                     "(lower is better)")
FORECAST_HEADING = "Forecast error"


@dataclass(frozen=True, slots=True)
class Figures:
    """A game's score card, as the class report shows it."""

    bookings: int
    quota: int
    endings: dict[str, int]
    forecast_accuracy: float | None  # see FORECAST_ACCURACY; None when no deal was ever in a forecast stage
    trust: float

    @property
    def quota_share(self) -> float:
        """Bookings as a share of quota (1.0 is quota reached)."""
        return self.bookings / self.quota if self.quota else 1.0


def figures(result: RunResult) -> Figures:
    """The figures of one game, read from its RunResult."""
    return Figures(
        bookings=result.bookings,
        quota=result.quota,
        endings={key: result.counts.get(key, 0) for key in ENDING_KEYS},
        forecast_accuracy=result.forecast_error,
        trust=result.trust,
    )
