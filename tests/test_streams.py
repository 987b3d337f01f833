"""The world's random streams: the numbers `random.Random` gives, without keeping its state for every stream."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from sim.model.streams import FIRST_DRAWS, Draws, Streams


@pytest.mark.parametrize("count", [1, FIRST_DRAWS - 1, FIRST_DRAWS, FIRST_DRAWS + 1, 5 * FIRST_DRAWS])
def test_draws_are_the_numbers_random_gives_in_the_same_order(count: int) -> None:
    draws, whole = Draws(7, "world", "acme", "crisis"), random.Random("7:world:acme:crisis")
    for index in range(count):
        kind = index % 3
        if kind == 0:
            assert draws.random() == whole.random()
        elif kind == 1:
            assert draws.uniform(0.3, 1.0) == whole.uniform(0.3, 1.0)
        else:
            assert draws.expovariate(0.06 / 7) == whole.expovariate(0.06 / 7)


def test_streams_make_one_stream_per_key_seeded_by_purpose_and_key() -> None:
    streams = Streams(3, "outcomes")
    first = streams["d1"].random()
    assert streams["d1"] is streams["d1"]
    assert first == random.Random("3:outcomes:d1").random()
    assert streams["d2"].random() == random.Random("3:outcomes:d2").random() != first


def test_a_stream_drawn_a_few_times_keeps_a_few_numbers_not_a_generator() -> None:
    """A whole `random.Random` keeps 2.5 KiB; a world has thousands of streams drawn a handful of times."""
    tracemalloc.start()
    streams = [Draws(1, "outcomes", str(index)) for index in range(1_000)]
    for stream in streams:
        stream.random()
        stream.uniform(0.0, 1.0)
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert kept / len(streams) < 600
