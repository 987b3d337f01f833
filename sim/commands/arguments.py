"""Argument types shared by the commands: whole numbers within bounds, seeds and ports.

Each refuses a bad value with a message that says what was expected.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

MAX_SEED = 2**63 - 1  # the largest seed a scenario file may give


def whole(low: int = 0, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` (to `high`, when given)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if high is None and value < low:
            raise argparse.ArgumentTypeError(f"{value} is too small, expected at least {low}")
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range, expected {low} to {high}")
        return value

    return parse


seed = whole(0, MAX_SEED)
"""An argparse type: a random seed, a whole number from 0 to 2**63 - 1."""
seed_number = seed
positive_number = whole(1)
port_number = whole(1, 65535)
