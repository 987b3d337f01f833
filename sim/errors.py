"""Errors the engine raises for things a user did: each carries a message to show as is."""

from __future__ import annotations


class DealDriftError(Exception):
    """Base of every error a user can cause; the CLI prints its message, never a traceback."""


class ActionRefused(DealDriftError):
    """An action that cannot be taken now, with the reason (e.g. not enough hours left)."""


class GameOver(DealDriftError):
    """The game has ended; no more turns or actions."""


class SaveError(DealDriftError):
    """A save file that is damaged, foreign or from an incompatible version."""


class StrategyError(DealDriftError):
    """A coaching strategy that cannot be found or loaded."""
