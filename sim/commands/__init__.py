"""Subcommands of the engine's CLI: each module has `register(subparsers)`; COMMANDS lists them."""

from __future__ import annotations

from collections.abc import Callable

from sim.commands import batch, history, run, scenario

Register = Callable[..., None]  # register(subparsers): add one subcommand and set its handler
COMMANDS: tuple[Register, ...] = (run.register, scenario.register, batch.register, history.register)
