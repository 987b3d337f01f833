"""Whether the engine runs compiled or as Python source.

The install compiles the engine's hot modules with mypyc (setup.py); each compiled
module sits beside its source. The compiled engine is used only when every compiled
module is at least as new as its source. When a source has changed since the build (a
developer's edit, a `git pull`), or when DEALDRIFT_PURE_PYTHON is set, every compiled
module is passed over and the engine loads from its source: never old code, and never
a mix of the two. Both play the same games (tests/test_same_results.py checks both).
"""

from __future__ import annotations

import os
import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path

_PACKAGES = {"sim": Path(__file__).parent, "sim.model": Path(__file__).parent / "model"}
_SETTLE_SECONDS = 2.0  # an install may write a module's source just after its compiled build


def _compiled_modules() -> dict[str, tuple[Path, Path]]:
    """Each module built by the install: its name -> (its source, its compiled build)."""
    found: dict[str, tuple[Path, Path]] = {}
    for package, folder in _PACKAGES.items():
        for entry in os.scandir(folder):
            suffix = next((suffix for suffix in EXTENSION_SUFFIXES if entry.name.endswith(suffix)), None)
            if suffix is None:
                continue
            source = folder / (entry.name[: -len(suffix)] + ".py")
            if source.exists():
                found[f"{package}.{source.stem}"] = (source, Path(entry.path))
    return found


def _changed_since_built(modules: dict[str, tuple[Path, Path]]) -> list[Path]:
    """The sources edited after their module was compiled."""
    return [source for source, built in modules.values()
            if source.stat().st_mtime > built.stat().st_mtime + _SETTLE_SECONDS]


class _FromSource(MetaPathFinder):
    """Loads the given modules from their Python source, passing over their compiled builds."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        source = self.sources.get(fullname)
        return None if source is None else spec_from_file_location(fullname, source)


def _decide() -> str:
    """Load the engine compiled or from source (see the module's docstring); returns which, and why."""
    modules = _compiled_modules()
    if not modules:
        return "Python source (not compiled at install)"
    if os.environ.get("DEALDRIFT_PURE_PYTHON"):
        reason = "DEALDRIFT_PURE_PYTHON is set"
    else:
        changed = _changed_since_built(modules)
        if not changed:
            return f"compiled ({len(modules)} modules)"
        shown = ", ".join(str(path.relative_to(_PACKAGES['sim'].parent)) for path in changed[:3])
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        reason = f"{shown}{more} changed since the engine was compiled"
        print(f"Deal Drift: {reason}; running the engine from its Python source (slower, the same games). "
              "`pip install -e .` compiles it again.", file=sys.stderr)
    sys.meta_path.insert(0, _FromSource({name: source for name, (source, _) in modules.items()}))
    return f"Python source ({reason})"


ENGINE = _decide()  # how the engine runs in this process, e.g. "compiled (18 modules)"

__all__ = ["ENGINE"]
