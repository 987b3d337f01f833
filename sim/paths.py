"""Where Deal Drift keeps its data: $DEALDRIFT_HOME, or the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_VARIABLE = "DEALDRIFT_HOME"


def data_dir() -> Path:
    """The folder Deal Drift keeps its data in: $DEALDRIFT_HOME if set, else the platform's user data folder."""
    override = os.environ.get(HOME_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("dealdrift", appauthor=False))
