"""Where a command's document goes: standard output, or a file."""

from __future__ import annotations

import sys
from pathlib import Path

from sim.errors import DealDriftError


def output_path(out: str | None) -> Path | None:
    """The file named by --out, or None for standard output (no --out, or '-')."""
    return None if out in (None, "-") else Path(out)


def emit(text: str, out: Path | None) -> bool:
    """Print `text`, or write it to `out` (replacing it); True when a file was written."""
    if out is None:
        sys.stdout.write(text)
        return False
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise DealDriftError(f"cannot write {out}: {error.strerror or error}") from None
    return True
