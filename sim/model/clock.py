"""The world's clock: SimPy's environment, and the events the engine books on it.

Every event calls one function on its day (no processes). A deal's next threshold is
booked with its place in the order of events at once, and may come up on a look-again
day first and then again later at that same place (see `World.reschedule`).
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush

import simpy
from simpy.events import NORMAL


def _call(event: Call) -> None:
    event.function(*event.args)


def _look_again(event: Call) -> None:
    event.function(event, *event.args)


# The callbacks of every event of a kind, shared: the loop only reads them, and a tuple
# cannot be appended to by mistake (a list per event would be one more object to collect).
_CALL = (_call,)
_LOOK_AGAIN = (_look_again,)


class Call(simpy.Event):
    """A SimPy event that calls `function(*args)` on its day: a timeout and its one callback, made in one go.

    The engine books hundreds of these a game (actions, thresholds, world events), so
    it does in one step what `env.timeout(delay)` plus a callback closure would do.
    """

    __slots__ = ("function", "args")

    def __init__(self, env: simpy.Environment, delay: float, function: Callable[..., object],
                 args: tuple[object, ...]) -> None:
        self._ready(env, _CALL, function, args)
        env.schedule(self, NORMAL, delay)

    def _ready(self, env: simpy.Environment, callbacks: tuple[Callable[[Call], None]],
               function: Callable[..., object], args: tuple[object, ...]) -> None:
        """Set the event up as triggered (a timeout is), with its callback and what it calls."""
        self.env = env
        self.callbacks = callbacks
        self._value = None
        self._ok = True
        self.function = function
        self.args = args

    def call_later(self, function: Callable[..., object], args: tuple[object, ...]) -> None:
        """When it comes up again: call `function(*args)` instead."""
        self.callbacks = _CALL
        self.function = function
        self.args = args


class LookAgain(Call):
    """A deal's booked threshold, on its look-again day: `function(event, *args)`, and the event's place in order."""

    __slots__ = ("order",)

    def __init__(self, env: Clock, day: float, function: Callable[..., object], args: tuple[object, ...]) -> None:
        self._ready(env, _LOOK_AGAIN, function, args)
        self.order = env.hold(self, day)


class Clock(simpy.Environment):
    """SimPy's environment, where an event can keep its place in the order of events when it comes up again later.

    Events on the same day happen in the order they were booked (SimPy's event id).
    A threshold booked now but solved for later (`World.reschedule`) takes its place
    when booked and keeps it, so events happen in the same order as if it had been
    solved at once.
    """

    def __init__(self) -> None:
        super().__init__(initial_time=0.0)  # days are floats from the start, as the model declares them

    def hold(self, event: simpy.Event, day: float) -> int:
        """Schedule `event` on `day` (not before now) at the next place in the order; returns the place."""
        order = next(self._eid)
        heappush(self._queue, (day, NORMAL, order, event))
        return order

    def move(self, event: simpy.Event, day: float, order: int) -> None:
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


__all__ = ["Call", "Clock", "LookAgain"]
