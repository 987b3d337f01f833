"""The events the engine books on the world's clock: each calls one function on its day (no processes).

Compiled with the rest of the engine (the clock itself extends SimPy's environment and
stays Python source). The clock's queue holds the events themselves, ordered as SimPy
orders its own: by day, then priority, then the order they were booked in.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any, Protocol

from simpy.core import StopSimulation
from simpy.events import NORMAL

from sim.model.deal import Deal


class EventQueue(Protocol):
    """What an event needs of the world's clock (`sim.model.clock.Clock`, which imports this module)."""

    @property
    def now(self) -> float: ...

    def hold(self, event: Booked) -> None: ...


class Booked:
    """A place in the clock's order of events: the day, the priority within the day (SimPy's), and the place booked.

    The queue holds these themselves, where SimPy's holds a tuple of (day, priority,
    place, event) for each: comparing two reads one object each, where a tuple and its
    day were two, and booking makes no tuple, day or place beside the event. A world of
    thousands of deals keeps thousands of events booked and books tens of thousands.
    """

    __slots__ = ("day", "priority", "order")
    day: float
    priority: int
    order: int

    def __lt__(self, other: Booked) -> bool:
        if self.day != other.day:
            return self.day < other.day
        if self.priority != other.priority:
            return self.priority < other.priority
        return self.order < other.order

    @abstractmethod
    def happen(self) -> None:
        """Its day has come: each kind of event says what then happens (a bare `Booked` is never booked)."""


class Scheduled(Booked):
    """One of SimPy's own events on the clock (a timeout, a process starting), processed as SimPy's `step` does."""

    __slots__ = ("event",)

    def __init__(self, day: float, priority: int, event: Any) -> None:
        self.day = day
        self.priority = priority
        self.event = event

    def happen(self) -> None:
        event = self.event
        # Its callbacks set to None at once, as SimPy marks an event processed.
        callbacks, event.callbacks = event.callbacks, None
        done = 0
        try:
            for callback in callbacks:
                done += 1
                callback(event)
        except StopSimulation:
            # As SimPy does: the callbacks not yet called wait for the simulation to resume.
            event.callbacks = callbacks[done:]
            event.env.schedule(event, -1)
            raise
        if not event._ok and not hasattr(event, "_defused"):
            # A failed event nobody defused stops the simulation, with a copy of its exception.
            failure = event._value
            raised = type(failure)(*failure.args)
            raised.__cause__ = failure
            raise raised


class Call(Booked):
    """An event that calls `function(*args)` `delay` days from now: a timeout and its one callback, made in one go.

    The engine books hundreds of these a game (actions, world events, plan reviews), so
    it does in one object what `env.timeout(delay)` plus a callback closure would do.
    """

    __slots__ = ("function", "args")

    def __init__(self, env: EventQueue, delay: float, function: Callable[..., object], args: tuple[object, ...]) -> None:
        self.function = function
        self.args = args
        self.day = env.now + delay  # as SimPy books a timeout: now + delay, at the next place
        self.priority = NORMAL
        env.hold(self)

    def happen(self) -> None:
        self.function(*self.args)


class Threshold(Booked):
    """A deal's next threshold (its stage done, a stall, a recovery, withering): `function(event)` on its day.

    What the world needs to act on it is kept in the event's own fields, not in a tuple
    of arguments: the world books one at nearly every change to a deal. An active deal's
    threshold first comes up on a look-again day, carrying the pace it was booked at
    (`booked`, `speed`, `work`, `lost`); once solved it is `due`, and is booked again at
    its old place in the order of events (`Clock.move`).
    """

    __slots__ = ("function", "deal", "version", "kind", "booked", "speed", "work", "lost")
    function: Callable[[Threshold], object]
    deal: Deal
    version: int
    kind: str
    booked: float
    speed: float
    work: float
    lost: float

    def __init__(self, env: EventQueue, day: float, function: Callable[[Threshold], object], deal: Deal, version: int,
                 kind: str = "", booked: float = 0.0, speed: float = 0.0, work: float = 0.0,
                 lost: float = 0.0) -> None:
        self.function = function
        self.deal = deal
        self.version = version
        self.kind = kind
        self.booked = booked
        self.speed = speed
        self.work = work
        self.lost = lost
        self.day = day
        self.priority = NORMAL
        env.hold(self)

    def happen(self) -> None:
        self.function(self)

    def due(self, function: Callable[[Threshold], object], kind: str) -> None:
        """When it comes up again: `function(event)`, for a threshold of `kind`."""
        self.function = function
        self.kind = kind


__all__ = ["Booked", "Call", "Scheduled", "Threshold"]
