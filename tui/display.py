"""Whether a Textual screen can be shown here: an interactive terminal, or a driver that needs none."""

from __future__ import annotations

import os
import sys


def has_display() -> bool:
    """Whether the game can be shown: an interactive terminal, or a Textual driver that needs none.

    Under 'dealdrift serve', textual-serve sets $TEXTUAL_DRIVER to Textual's web driver, which speaks
    to the browser over standard input and output pipes.
    """
    if os.environ.get("TEXTUAL_DRIVER", "").strip():
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()
