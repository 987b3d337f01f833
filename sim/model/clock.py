"""The world's clock: SimPy's environment, which keeps the events the engine books (`sim.model.events`) in order.

A deal's next threshold is booked with its place in the order of events at once, and
may come up on a look-again day first and then again later at that same place (see
`World.reschedule`). This module stays Python source: its class extends SimPy's.
"""

from __future__ import annotations

from heapq import heappop, heappush

import simpy
from simpy.events import NORMAL


class Clock(simpy.Environment):
    """SimPy's environment, where an event can keep its place in the order of events when it comes up again later.

    Events on the same day happen in the order they were booked (SimPy's event id).
    A threshold booked now but solved for later (`World.reschedule`) takes its place
    when booked and keeps it, so events happen in the same order as if it had been
    solved at once.
    """

    def __init__(self) -> None:
        super().__init__(initial_time=0.0)  # days are floats from the start, as the model declares them

    def hold(self, event: object, day: float) -> int:
        """Schedule `event` on `day` (not before now) at the next place in the order; returns the place."""
        order = next(self._eid)
        heappush(self._queue, (day, NORMAL, order, event))
        return order

    def move(self, event: object, day: float, order: int) -> None:
        """Schedule an event that has just come up again on a later `day`, at its old place in the order."""
        heappush(self._queue, (max(day, self._now), NORMAL, order, event))

    def run_before(self, day: float) -> None:
        """Process the events before `day`, in order, and set the clock to `day`.

        What `run(until=day)` does for events like ours (timeouts, no processes), without
        its per-event method call and its stop event: the world runs this every week.
        """
        queue = self._queue
        while queue and queue[0][0] < day:
            self._now, _, _, event = heappop(queue)
            callbacks, event.callbacks = event.callbacks, None
            for callback in callbacks:
                callback(event)
            if not event._ok:
                raise event._value
        self._now = float(day)

    def clear(self) -> None:
        """Drop every event still booked."""
        self._queue.clear()


__all__ = ["Clock"]
