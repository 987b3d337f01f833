"""Subcommands of the `dealdrift` CLI; each module has `register(subparsers)`."""

from __future__ import annotations

from . import batch, debrief, play, run, scenario

COMMANDS = (play, run, scenario, batch, debrief)
