"""Inline SVG charts for the HTML debrief: bookings over time, attention per deal, you against the bots.

Hand-written SVG keeps the page one self-contained file with no script and no
dependency; colours come from CSS classes the page defines for its light and dark
themes. Every label is escaped: deal titles and scenario text are data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .format import money, short_money

WIDTH = 640
PLOT_LEFT = 64
PLOT_RIGHT = 110
PLOT_TOP = 16
PLOT_BOTTOM = 36


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the bookings chart: who played, their bookings at the start of each week and at the end."""

    player: str
    bookings_by_week: tuple[int, ...]
    css: str  # the class that colours it: you, advisor, typical


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(height: int, label: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]


def bookings_chart(series: Sequence[Series], quota: int, weeks: int) -> str:
    """Bookings week by week for each player, against the quota line."""
    height = 260
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = height - PLOT_TOP - PLOT_BOTTOM
    top = max([quota, 1, *(max(line.bookings_by_week, default=0) for line in series)]) * 1.08
    span = max(1, weeks)

    def x(week: float) -> float:
        return PLOT_LEFT + plot_width * week / span

    def y(value: float) -> float:
        return PLOT_TOP + plot_height * (1 - value / top)

    out = _open(height, f"Bookings over {weeks} weeks against the quota of {money(quota)}")
    out.append(f'<line class="axis" x1="{PLOT_LEFT}" y1="{_number(y(0))}" x2="{_number(x(span))}" '
               f'y2="{_number(y(0))}"/>')
    for step in range(0, span + 1, max(1, span // 13)):
        out.append(f'<text class="tick" x="{_number(x(step))}" y="{height - 18}" text-anchor="middle">{step}</text>')
    out.append(f'<text class="tick" x="{_number(x(span / 2))}" y="{height - 3}" text-anchor="middle">'
               "weeks played</text>")
    for value in (0, quota / 2):
        out.append(f'<text class="tick" x="{PLOT_LEFT - 6}" y="{_number(y(value) + 4)}" text-anchor="end">'
                   f"{escape(short_money(value))}</text>")
    out.append(f'<line class="quota" x1="{PLOT_LEFT}" y1="{_number(y(quota))}" x2="{_number(x(span))}" '
               f'y2="{_number(y(quota))}"/>')
    out.append(f'<text class="tick" x="{PLOT_LEFT - 6}" y="{_number(y(quota) + 4)}" text-anchor="end">'
               f"{escape(short_money(quota))}</text>")
    out.append(f'<text class="label" x="{_number(x(span) + 6)}" y="{_number(y(quota) + 4)}">quota</text>')
    for line in series:
        points = " ".join(f"{_number(x(week))},{_number(y(value))}" for week, value in enumerate(line.bookings_by_week))
        if not points:
            continue
        out.append(f'<polyline class="line {escape(line.css)}" points="{points}"/>')
        last_week = len(line.bookings_by_week) - 1
        last = line.bookings_by_week[-1]
        out.append(f'<text class="label {escape(line.css)}" x="{_number(x(last_week) + 6)}" '
                   f'y="{_number(y(last) + 4)}">{escape(line.player)} {escape(short_money(last))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def rivals_chart(rows: Sequence[tuple[str, int, str]], quota: int) -> str:
    """Bookings of each player (you and the bots) as horizontal bars, with the quota marked."""
    bar_height, gap = 26, 10
    height = PLOT_TOP + len(rows) * (bar_height + gap) + 24
    left, right = 90, 150
    plot_width = WIDTH - left - right
    top = max([quota, 1, *(bookings for _, bookings, _ in rows)])

    def x(value: float) -> float:
        return left + plot_width * value / top

    out = _open(height, "Bookings on the same world: you and the bots")
    for index, (player, bookings, css) in enumerate(rows):
        y = PLOT_TOP + index * (bar_height + gap)
        share = f" ({bookings / quota:.0%})" if quota else ""
        out.append(f'<text class="label" x="{left - 8}" y="{y + bar_height * 0.68:.0f}" text-anchor="end">'
                   f"{escape(player)}</text>")
        out.append(f'<rect class="bar {escape(css)}" x="{left}" y="{y}" width="{_number(x(bookings) - left)}" '
                   f'height="{bar_height}"/>')
        out.append(f'<text class="label" x="{_number(x(bookings) + 6)}" y="{y + bar_height * 0.68:.0f}">'
                   f"{escape(money(bookings))}{share}</text>")
    bottom = PLOT_TOP + len(rows) * (bar_height + gap)
    out.append(f'<line class="quota" x1="{_number(x(quota))}" y1="{PLOT_TOP - 6}" x2="{_number(x(quota))}" '
               f'y2="{bottom - gap + 4}"/>')
    out.append(f'<text class="tick" x="{_number(x(quota))}" y="{bottom + 12}" text-anchor="middle">'
               f"quota {escape(money(quota))}</text>")
    out.append("</svg>")
    return "\n".join(out)


def attention_chart(deals: Sequence[tuple[str, Sequence[float], str, str]], weeks: int) -> str:
    """Each deal's attention week by week (0 to 1), one small chart per row, with how it ended."""
    row_height, gap = 30, 8
    left, right = 250, 120
    plot_width = WIDTH - left - right
    height = PLOT_TOP + len(deals) * (row_height + gap) + 12
    span = max(1, weeks - 1)
    out = _open(height, "Attention per deal, week by week, on a scale of 0 to 1")
    for index, (name, values, ending, css) in enumerate(deals):
        top = PLOT_TOP + index * (row_height + gap)
        shown = name if len(name) <= 38 else name[:37] + "…"
        out.append(f'<text class="label" x="{left - 8}" y="{top + row_height * 0.6:.0f}" text-anchor="end">'
                   f"{escape(shown)}</text>")
        out.append(f'<rect class="frame" x="{left}" y="{top}" width="{plot_width}" height="{row_height}"/>')
        points = " ".join(
            f"{_number(left + plot_width * week / span)},{_number(top + row_height * (1 - min(1.0, max(0.0, value))))}"
            for week, value in enumerate(values)
        )
        if len(values) == 1:
            out.append(f'<circle class="dot" cx="{left}" cy="{_number(top + row_height * (1 - values[0]))}" r="2"/>')
        elif points:
            out.append(f'<polyline class="line attention" points="{points}"/>')
        out.append(f'<text class="label {escape(css)}" x="{left + plot_width + 8}" '
                   f'y="{top + row_height * 0.6:.0f}">{escape(ending)}</text>')
    out.append("</svg>")
    return "\n".join(out)


SVG_STYLE = """
svg.chart { max-width: 44rem; height: auto; display: block; margin: .5rem 0 1rem; }
svg.chart text { font: 12px system-ui, sans-serif; fill: currentColor; }
svg.chart .tick { fill: #666; }
svg.chart .axis { stroke: #999; }
svg.chart .frame { fill: none; stroke: #ccc; }
svg.chart .quota { stroke: #9a6700; stroke-dasharray: 5 4; stroke-width: 1.5; }
svg.chart .line { fill: none; stroke-width: 2.2; stroke-linejoin: round; }
svg.chart .line.you { stroke: #1f5fbf; } svg.chart .bar.you { fill: #1f5fbf; } svg.chart text.you { fill: #1f5fbf; }
svg.chart .line.advisor { stroke: #2e7d32; } svg.chart .bar.advisor { fill: #2e7d32; }
svg.chart text.advisor { fill: #2e7d32; }
svg.chart .line.typical { stroke: #8e5ba8; } svg.chart .bar.typical { fill: #8e5ba8; }
svg.chart text.typical { fill: #8e5ba8; }
svg.chart .line.attention { stroke: #1f5fbf; stroke-width: 1.6; } svg.chart .dot { fill: #1f5fbf; }
svg.chart text.won { fill: #2e7d32; } svg.chart text.lost, svg.chart text.no_decision,
svg.chart text.rejected { fill: #b3261e; } svg.chart text.open { fill: #9a6700; }
@media (prefers-color-scheme: dark) {
  svg.chart .tick { fill: #aaa; } svg.chart .frame { stroke: #444; }
  svg.chart .line.you, svg.chart .line.attention { stroke: #8ab4f8; } svg.chart .bar.you { fill: #8ab4f8; }
  svg.chart text.you { fill: #8ab4f8; } svg.chart .dot { fill: #8ab4f8; }
  svg.chart .line.advisor { stroke: #8ad4a1; } svg.chart .bar.advisor { fill: #8ad4a1; }
  svg.chart text.advisor, svg.chart text.won { fill: #8ad4a1; }
  svg.chart .line.typical { stroke: #d0a3e8; } svg.chart .bar.typical { fill: #d0a3e8; }
  svg.chart text.typical { fill: #d0a3e8; }
  svg.chart text.lost, svg.chart text.no_decision, svg.chart text.rejected { fill: #e8889c; }
  svg.chart text.open { fill: #ffc473; }
}
"""
