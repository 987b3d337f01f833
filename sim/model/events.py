"""The events the engine books on the world's clock: each calls one function on its day (no processes).

Compiled with the rest of the engine (the clock itself extends SimPy's environment and
stays Python source); SimPy's loop and the clock's `run_before` read of an event only
`callbacks`, `_ok` and `_value`.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.model.clock import Clock
from sim.model.deal import Deal


def _call(event: Call) -> None:
    event.function(*event.args)


def _with_event(event: Call) -> None:
    event.function(event)


# The callbacks of every event of a kind, shared: the loop only reads them, and a tuple
# cannot be appended to by mistake (a list per event would be one more object to collect).
_CALL = (_call,)
_WITH_EVENT = (_with_event,)


class Call:
    """An event on SimPy's clock that calls `function(*args)` on its day: a timeout and its one callback, made in one go.

    The engine books hundreds of these a game (actions, thresholds, world events), so
    it does in one step what `env.timeout(delay)` plus a callback closure would do. It
    carries what SimPy's loop reads of an event (`env`, `callbacks`, `_ok`, `_value`) as
    fixed attributes: `simpy.Event` keeps them in a dictionary of each instance, which a
    world of thousands of deals would make and throw away hundreds of thousands of times.
    """

    __slots__ = ("env", "callbacks", "_value", "_ok", "function", "args")
    callbacks: tuple[Callable[[Call], None]] | None  # None once it has happened, as SimPy marks an event processed

    def __init__(self, env: Clock, delay: float, function: Callable[..., object], args: tuple[object, ...]) -> None:
        self._ready(env, _CALL, function, args)
        env.hold(self, env.now + delay)  # as SimPy's `schedule` books a timeout: now + delay, at the next place

    def _ready(self, env: Clock, callbacks: tuple[Callable[[Call], None]],
               function: Callable[..., object], args: tuple[object, ...]) -> None:
        """Set the event up as triggered (a timeout is), with its callback and what it calls."""
        self.env = env
        self.callbacks = callbacks
        self._value = None
        self._ok = True
        self.function = function
        self.args = args


class Threshold(Call):
    """A deal's next threshold (its stage done, a stall, a recovery, withering): `function(event)` on its day.

    What the world needs to act on it is kept in the event's own fields, not in a tuple
    of arguments: the world books one at nearly every change to a deal, and a tuple with
    its numbers were five more objects to make, read days later and free each time.
    An active deal's threshold first comes up on a look-again day, carrying the pace it
    was booked at (`booked`, `speed`, `work`, `lost`); once solved it is `due`, keeping
    its place in the order of events (`order`).
    """

    __slots__ = ("order", "deal", "version", "kind", "booked", "speed", "work", "lost")
    order: int
    deal: Deal
    version: int
    kind: str
    booked: float
    speed: float
    work: float
    lost: float

    def __init__(self, env: Clock, day: float, function: Callable[[Threshold], object], deal: Deal, version: int,
                 kind: str = "", booked: float = 0.0, speed: float = 0.0, work: float = 0.0,
                 lost: float = 0.0) -> None:
        self._ready(env, _WITH_EVENT, function, ())
        self.deal = deal
        self.version = version
        self.kind = kind
        self.booked = booked
        self.speed = speed
        self.work = work
        self.lost = lost
        self.order = env.hold(self, day)

    def due(self, function: Callable[[Threshold], object], kind: str) -> None:
        """When it comes up again: `function(event)`, for a threshold of `kind`."""
        self.callbacks = _WITH_EVENT  # SimPy's loop cleared them when the event came up
        self.function = function
        self.kind = kind


__all__ = ["Call", "Threshold"]
