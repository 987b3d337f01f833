"""What a batch does when not told otherwise: its strategies, runs and jobs (standard library only, cheap to import)."""

from __future__ import annotations

import os

DEFAULT_STRATEGIES: tuple[str, ...] = ("typical", "advisor")
DEFAULT_RUNS = 100


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1
