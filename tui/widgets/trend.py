"""A sparkline of attention on a fixed 0..1 scale, each week coloured by how healthy it is."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Sparkline

from ..format import level_tone, style_of

_LEVELS = " ▁▂▃▄▅▆▇█"


class TrendLine(Sparkline):
    """A Sparkline whose bars keep a fixed 0..1 scale (an auto-scaled line makes a small dip look like a crash)."""

    DEFAULT_CSS = """
    TrendLine {
        height: 2;
    }
    """

    def render(self) -> Content:
        """Bars from the bottom up, a few cells per week, coloured red, amber or green by level."""
        values = [min(1.0, max(0.0, float(value))) for value in (self.data or [])]
        height = max(1, self.size.height)
        if not values:
            return Content("")
        cells = max(1, min(4, self.size.width // len(values)))
        values = values[-max(1, self.size.width // cells):]
        rows = []
        for row in reversed(range(height)):
            parts = []
            for value in values:
                fill = min(8, max(0, round(value * 8 * height) - 8 * row))
                parts.append((_LEVELS[fill] * cells, style_of(level_tone(value))))
            rows.append(Content.assemble(*parts))
        return Content("\n").join(rows)
