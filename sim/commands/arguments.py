"""argparse types shared by the commands: each refuses a bad value with a message saying what was expected."""

from __future__ import annotations

import argparse


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def seed_number(text: str) -> int:
    """A random seed: a whole number from 0."""
    value = _whole(text)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is out of range, expected 0 to {2**63 - 1}")
    return value


def positive_number(text: str) -> int:
    """A whole number from 1."""
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    value = _whole(text)
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (1 to 65535)")
    return value
