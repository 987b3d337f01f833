"""Errors of the class store and of importing games: each a message to show as is."""

from __future__ import annotations

from sim.errors import DealDriftError


class ClassError(DealDriftError):
    """Something a trainer or a player asked of a class that cannot be done (unknown class, name taken...)."""


class StoreError(DealDriftError):
    """The class store cannot be used: missing, damaged, locked, or from a newer Deal Drift."""


class StoreLocked(StoreError):
    """Another program holds the class store's write lock for too long; nothing was written."""


class ImportRefused(ClassError):
    """A save that cannot join a class: another scenario, another seed, a log that does not replay, a duplicate."""
