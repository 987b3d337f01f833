"""The world's clock: the engine's events and SimPy's own, in SimPy's order, on a queue of the events themselves."""

from __future__ import annotations

from collections.abc import Generator

import pytest
import simpy
from simpy.core import StopSimulation

from sim.model.clock import Clock
from sim.model.events import Call


def _simpy_script(env: simpy.Environment) -> list[object]:
    """Processes, timeouts, a stop in the middle of an event's callbacks, and a failure: what happened, in order."""
    log: list[object] = []

    def process(name: str, delays: list[float]) -> Generator[simpy.Event, None, None]:
        for delay in delays:
            yield env.timeout(delay)
            log.append((env.now, name))

    env.process(process("a", [1, 1, 0.5, 0]))
    env.process(process("b", [0.5, 1.5, 0, 2]))
    env.timeout(2).callbacks.append(lambda _event: log.append((env.now, "timeout")))
    stop = env.timeout(3, value="stopped")
    stop.callbacks.extend([lambda _event: log.append((env.now, "before the stop")), StopSimulation.callback,
                           lambda _event: log.append((env.now, "after the stop"))])
    log.append(("run returned", env.run()))
    log.append(("peek", env.peek()))
    log.append(("run returned", env.run(until=10)))
    log.append(("now", env.now))
    failing = env.event()
    failing.fail(ValueError("boom"))
    with pytest.raises(ValueError, match="boom"):
        env.run()
    log.append(("now", env.now))
    with pytest.raises(simpy.core.EmptySchedule):
        env.step()
    log.append(("peek", env.peek()))
    return log


def test_simpys_own_events_run_on_the_clock_as_on_simpys_environment() -> None:
    expected = _simpy_script(simpy.Environment())
    assert ("run returned", "stopped") in expected and (3, "after the stop") in expected
    assert _simpy_script(Clock()) == expected


def test_events_on_one_day_happen_in_the_order_booked_whoever_booked_them() -> None:
    clock = Clock()
    log: list[str] = []
    Call(clock, 1.0, log.append, ("first",))
    clock.timeout(1.0).callbacks.append(lambda _event: log.append("second"))
    Call(clock, 0.5, log.append, ("earlier day",))
    Call(clock, 1.0, log.append, ("third",))
    clock.run_before(1.0)
    assert log == ["earlier day"] and clock.now == 1.0  # events on the day itself wait for the next call
    clock.run_before(2.0)
    assert log == ["earlier day", "first", "second", "third"]


def test_an_event_booked_again_keeps_its_place_in_the_order() -> None:
    clock = Clock()
    log: list[str] = []
    looked_again = Call(clock, 1.0, log.append, ("looked again",))
    Call(clock, 3.0, log.append, ("booked second",))
    clock.run_before(2.0)
    clock.move(looked_again, 3.0)  # it came up on day 1 and is due on day 3, at the place it was first booked in
    clock.run_before(4.0)
    assert log == ["looked again", "looked again", "booked second"]


def test_a_process_starts_before_the_events_of_its_day() -> None:
    clock = Clock()
    log: list[str] = []
    Call(clock, 0.0, log.append, ("event",))

    def process() -> Generator[simpy.Event, None, None]:
        log.append("process")
        yield clock.timeout(0)

    clock.process(process())  # SimPy starts a process URGENT: before the NORMAL events of its day
    clock.run_before(1.0)
    assert log == ["process", "event"]
