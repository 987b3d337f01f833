"""The world's random streams: one per purpose (an account's crises, a deal's decisions), each seeded from the run's seed.

Python's `random.Random` keeps 2.5 KiB of state, and a world keeps a stream for each
kind of event at each account and for each deal's decisions, plans and actions: about
8,000 in a world of 5,000 deals, most drawn a handful of times a game. Kept whole they
were a third of such a world's memory (19 of 57 MiB at its traced peak). A `Draws`
therefore takes its first few numbers at once and lets the state go;
a stream that needs more is seeded again, passes over those, and is kept. The numbers
are those `random.Random` gives for the same seed, in the same order.
"""

from __future__ import annotations

import math
import random
from array import array
from typing import Final

FIRST_DRAWS: Final = 16  # numbers taken when a stream is first drawn from: in a year, few streams need more than 15


def stream(seed: int, *names: str) -> random.Random:
    """An independent random stream for one purpose, derived from the run's seed, with all of `random.Random`."""
    return random.Random(":".join((str(seed), *names)))


class Draws:
    """An independent stream of draws for one purpose, seeded as `stream(seed, *names)` is, and as small as its use.

    It offers the draws the model makes (`random`, `uniform`, `expovariate`), each as
    `random.Random` computes it from `random()`, so every number is the one a whole
    `random.Random` would give.
    """

    def __init__(self, seed: int, *names: str) -> None:
        self.seed = ":".join((str(seed), *names))
        self._first: array[float] | None = None  # the first FIRST_DRAWS numbers, once drawn from
        self._taken = 0  # of those
        self._generator: random.Random | None = None  # only for a stream that needed more

    def random(self) -> float:
        """The next number in [0, 1)."""
        generator = self._generator
        if generator is not None:
            return generator.random()
        first = self._first
        if first is None:
            seeded = random.Random(self.seed)
            first = self._first = array("d", [seeded.random() for _ in range(FIRST_DRAWS)])
        taken = self._taken
        if taken < FIRST_DRAWS:
            self._taken = taken + 1
            return first[taken]
        # A busy stream: seed it again, pass over the first numbers (64 bits each, as `random()`
        # takes them) and keep it.
        generator = self._generator = random.Random(self.seed)
        generator.getrandbits(64 * FIRST_DRAWS)
        self._first = None
        return generator.random()

    def uniform(self, low: float, high: float) -> float:
        """A number between `low` and `high`, as `random.Random.uniform` draws it."""
        return low + (high - low) * self.random()

    def expovariate(self, rate: float) -> float:
        """An exponential wait at `rate`, as `random.Random.expovariate` draws it."""
        return -math.log(1.0 - self.random()) / rate


class Streams(dict[str, Draws]):
    """The streams of one purpose, one per deal: each made on first use."""

    def __init__(self, seed: int, purpose: str) -> None:
        super().__init__()
        self.seed = seed
        self.purpose = purpose

    def __missing__(self, key: str) -> Draws:
        draws = self[key] = Draws(self.seed, self.purpose, key)
        return draws


__all__ = ["FIRST_DRAWS", "Draws", "Streams", "stream"]
