"""Build: the engine's hot modules compiled to C with mypyc, or left as Python when that cannot be done.

The package is described in pyproject.toml; this file only adds the compiled modules.
`DEALDRIFT_PURE_PYTHON=1 pip install ...` skips compiling. Without a C compiler, or if
mypyc fails, the install goes on with the Python source and says so. Either way the
engine plays the same games (tests/test_same_results.py checks both).
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The modules a game spends its time in: the model (but the clock, whose class extends SimPy's), the Game,
# the observation, the bots, and the debrief, forecast and results a game writes as it ends.
COMPILED = [
    "sim/stages.py",
    "sim/model/causes.py",
    "sim/model/streams.py",
    "sim/model/account.py",
    "sim/model/curves.py",
    "sim/model/plan.py",
    "sim/model/group.py",
    "sim/model/deal.py",
    "sim/model/events.py",
    "sim/model/decisions.py",
    "sim/model/buying.py",
    "sim/model/process.py",
    "sim/model/actions.py",
    "sim/model/world.py",
    "sim/observation.py",
    "sim/forecast.py",
    "sim/results.py",
    "sim/debrief.py",
    "sim/game.py",
    "sim/strategies.py",
]


def _keep_source(error: BaseException) -> None:
    """Say why the engine stays Python source (`pip install -v` shows it)."""
    print(f"Deal Drift: the engine could not be compiled ({error}); it stays Python source, "
          "slower but the same games", file=sys.stderr)


def compiled_modules() -> list:
    """The extension modules mypyc builds, or none (with a note why) if it cannot."""
    if os.environ.get("DEALDRIFT_PURE_PYTHON"):
        print("DEALDRIFT_PURE_PYTHON is set: the engine stays Python source", file=sys.stderr)
        return []
    try:
        from mypyc.build import mypycify

        # mypyc type-checks what it compiles; the modules they import are read for their types only.
        return mypycify(["--follow-imports=silent", *COMPILED], opt_level="3", verbose=False)
    except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure leaves a working pure-Python install
        _keep_source(error)
        return []


class BuildEngine(build_ext):
    """Compile the engine; if the C compiler fails, install the Python source and say so."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - no compiler, missing headers: the source still works
            for extension in self.extensions:  # no half-built engine is left to be installed
                for built in (self.get_ext_fullpath(extension.name), self.get_ext_filename(extension.name)):
                    if os.path.exists(built):
                        os.remove(built)
            _keep_source(error)


setup(ext_modules=compiled_modules(), cmdclass={"build_ext": BuildEngine})
