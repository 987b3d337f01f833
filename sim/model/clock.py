"""The world's clock: SimPy's environment, which keeps the events the engine books (`sim.model.events`) in order.

A deal's next threshold is booked with its place in the order of events at once, and
may come up on a look-again day first and then again later at that same place (see
`World.reschedule`). This module stays Python source: its class extends SimPy's.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import EmptySchedule, Infinity
from simpy.events import NORMAL

from sim.model.events import Booked, Scheduled


class Clock(simpy.Environment):
    """SimPy's environment, whose queue holds the engine's events themselves, each keeping its place in the order.

    Events on the same day happen in the order they were booked (SimPy's event id).
    A threshold booked now but solved for later (`World.reschedule`) takes its place
    when booked and keeps it, so events happen in the same order as if it had been
    solved at once. SimPy's own events (`timeout`, `process`, `run`) work as in any
    environment: each is booked in a `Scheduled` and processed as SimPy does.
    """

    def __init__(self) -> None:
        super().__init__(initial_time=0.0)  # days are floats from the start, as the model declares them

    def hold(self, event: Booked) -> None:
        """Book `event` on its day (not before now) at the next place in the order."""
        event.order = next(self._eid)
        heappush(self._queue, event)

    def move(self, event: Booked, day: float) -> None:
        """Book an event that has just come up again on a later `day`, at its old place in the order."""
        event.day = max(day, self._now)
        heappush(self._queue, event)

    def schedule(self, event: Any, priority: int = NORMAL, delay: float = 0) -> None:  # noqa: ANN401 - SimPy's
        """Book one of SimPy's own events `delay` days from now, as SimPy does."""
        self.hold(Scheduled(self._now + delay, priority, event))

    def peek(self) -> float:
        """The day of the next event; infinity if none is booked."""
        return self._queue[0].day if self._queue else Infinity

    def step(self) -> None:
        """Process the next event; raises SimPy's `EmptySchedule` if none is booked."""
        try:
            event = heappop(self._queue)
        except IndexError:
            raise EmptySchedule from None
        self._now = event.day
        event.happen()

    def run_before(self, day: float) -> None:
        """Process the events before `day`, in order, and set the clock to `day`.

        What `run(until=day)` does for events like ours, without its per-event method
        call and its stop event: the world runs this every week.
        """
        queue = self._queue
        while queue and queue[0].day < day:
            event = heappop(queue)
            self._now = event.day
            event.happen()
        self._now = float(day)

    def clear(self) -> None:
        """Drop every event still booked."""
        self._queue.clear()


__all__ = ["Clock"]
