"""The events the engine books on the world's clock: each calls one function on its day (no processes).

Compiled with the rest of the engine (the clock itself extends SimPy's environment and
stays Python source); SimPy's loop and the clock's `run_before` read of an event only
`callbacks`, `_ok` and `_value`.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.model.clock import Clock


def _call(event: Call) -> None:
    event.function(*event.args)


def _look_again(event: Call) -> None:
    event.function(event, *event.args)


# The callbacks of every event of a kind, shared: the loop only reads them, and a tuple
# cannot be appended to by mistake (a list per event would be one more object to collect).
_CALL = (_call,)
_LOOK_AGAIN = (_look_again,)


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

    def call_later(self, function: Callable[..., object], args: tuple[object, ...]) -> None:
        """When it comes up again: call `function(*args)` instead."""
        self.callbacks = _CALL
        self.function = function
        self.args = args


class LookAgain(Call):
    """A deal's booked threshold, on its look-again day: `function(event, *args)`, and the event's place in order."""

    __slots__ = ("order",)
    order: int

    def __init__(self, env: Clock, day: float, function: Callable[..., object], args: tuple[object, ...]) -> None:
        self._ready(env, _LOOK_AGAIN, function, args)
        self.order = env.hold(self, day)


__all__ = ["Call", "LookAgain"]
