"""The class report as one self-contained HTML page with inline SVG charts, readable on a projector."""

from __future__ import annotations

from html import escape

from sim.classroom.formats import MISSES_INTRO, UNREPLAYABLE_INTRO, Section, forecast, headline, money, share, status
from sim.classroom.figures import FORECAST_HEADING
from sim.classroom.report import ClassReport
from sim.stages import ENDING_KEYS, ENDING_LABELS

CHART_WIDTH = 900
LABEL_WIDTH = 220
ROW_HEIGHT = 26
MAX_LABEL = 26
ENDING_COLOURS = {"won": "#2e7d32", "lost": "#c62828", "no_decision": "#ef6c00", "rejected": "#6a1b9a", "open": "#9e9e9e"}
BOOKINGS_COLOUR = "#1565c0"
ADVISOR_COLOUR = "#2e7d32"
TYPICAL_COLOUR = "#ef6c00"

_STYLE = """
body { font-family: system-ui, sans-serif; font-size: 20px; max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem;
       line-height: 1.45; color: #111; background: #fff; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; }
.headline { font-size: 1.25rem; font-weight: bold; }
table { border-collapse: collapse; font-size: .85rem; } th, td { padding: .25rem .6rem; text-align: right; }
th:nth-child(2), td:nth-child(2), th:nth-child(3), td:nth-child(3) { text-align: left; }
td:nth-child(2), td:nth-child(3) { white-space: nowrap; }
tr:nth-child(even) td { background: #f2f4f7; } th { border-bottom: 2px solid #333; }
svg { max-width: 100%; height: auto; } svg text { font-family: system-ui, sans-serif; }
.legend span { display: inline-block; margin-right: 1.2rem; } .swatch { display: inline-block; width: .9em; height: .9em;
  vertical-align: -.1em; margin-right: .3rem; }
"""


def _label(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def _svg_open(rows: int, title: str) -> list[str]:
    height = rows * ROW_HEIGHT + 40
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
            f'height="{height}" role="img" aria-label="{escape(title)}">']


def _name_cell(y: float, name: str) -> str:
    return (f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW_HEIGHT * 0.68:.1f}" text-anchor="end" font-size="15">'
            f"<title>{escape(name)}</title>{escape(_label(name))}</text>")


def bookings_chart(report: ClassReport) -> str:
    """Each player's bookings as a bar, the quota as a line, and the bots on the same world as marks."""
    lines = report.players
    top = max([report.quota, *(l.figures.bookings for l in lines), *(l.advisor_same_world for l in lines),
               *(l.typical_same_world for l in lines)]) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 20

    def x(value: int) -> float:
        return LABEL_WIDTH + span * value / top

    out = _svg_open(len(lines), "Bookings per player against quota and the bots")
    for index, line in enumerate(lines):
        y = 10 + index * ROW_HEIGHT
        bookings = line.figures.bookings
        out.append(_name_cell(y, line.name))
        out.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{x(bookings) - LABEL_WIDTH:.1f}" height="{ROW_HEIGHT - 8}" '
                   f'fill="{BOOKINGS_COLOUR}"><title>{escape(line.name)}: {money(bookings)}</title></rect>')
        if x(bookings) - LABEL_WIDTH >= 80:
            out.append(f'<text x="{x(bookings) - 6:.1f}" y="{y + ROW_HEIGHT * 0.68:.1f}" text-anchor="end" '
                       f'font-size="13" fill="#fff">{money(bookings)}</text>')
        middle = y + ROW_HEIGHT / 2
        ax, tx = x(line.advisor_same_world), x(line.typical_same_world)
        out.append(f'<path d="M{ax:.1f} {middle - 7:.1f} l7 7 l-7 7 l-7 -7 z" fill="{ADVISOR_COLOUR}" stroke="#fff">'
                   f"<title>advisor on the same world: {money(line.advisor_same_world)}</title></path>")
        out.append(f'<circle cx="{tx:.1f}" cy="{middle:.1f}" r="6" fill="{TYPICAL_COLOUR}" stroke="#fff">'
                   f"<title>typical on the same world: {money(line.typical_same_world)}</title></circle>")
    bottom = 10 + len(lines) * ROW_HEIGHT
    quota_x = x(report.quota)
    out.append(f'<line x1="{quota_x:.1f}" y1="4" x2="{quota_x:.1f}" y2="{bottom + 4}" stroke="#111" stroke-width="2" '
               'stroke-dasharray="6 4"/>')
    anchor = "end" if quota_x > CHART_WIDTH - 90 else "middle"
    out.append(f'<text x="{quota_x:.1f}" y="{bottom + 22}" text-anchor="{anchor}" font-size="14">'
               f"quota {money(report.quota)}</text>")
    out.append("</svg>")
    return "\n".join(out)


def endings_chart(report: ClassReport) -> str:
    """How each player's deals ended, as one stacked bar per player."""
    lines = report.players
    most = max((sum(l.figures.endings.values()) for l in lines), default=1) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 20
    out = _svg_open(len(lines), "How each player's deals ended")
    for index, line in enumerate(lines):
        y = 10 + index * ROW_HEIGHT
        out.append(_name_cell(y, line.name))
        left = float(LABEL_WIDTH)
        for key in ENDING_KEYS:
            count = line.figures.endings[key]
            if not count:
                continue
            width = span * count / most
            out.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{width:.1f}" height="{ROW_HEIGHT - 8}" '
                       f'fill="{ENDING_COLOURS[key]}" stroke="#fff"><title>{escape(line.name)}: {count} '
                       f"{escape(ENDING_LABELS[key])}</title></rect>")
            if width >= 18:
                out.append(f'<text x="{left + width / 2:.1f}" y="{y + ROW_HEIGHT * 0.68:.1f}" text-anchor="middle" '
                           f'font-size="13" fill="#fff">{count}</text>')
            left += width
    out.append("</svg>")
    return "\n".join(out)


def _legend(items: list[tuple[str, str]]) -> str:
    spans = "".join(f'<span><i class="swatch" style="background:{colour}"></i>{escape(label)}</span>' for label, colour in items)
    return f'<p class="legend">{spans}</p>'


def charts_section(report: ClassReport) -> list[str]:
    if not report.players:
        return []
    return [
        "<h3>Bookings against quota</h3>",
        _legend([("player's bookings", BOOKINGS_COLOUR), ("advisor, same world (◆)", ADVISOR_COLOUR),
                 ("typical, same world (●)", TYPICAL_COLOUR)]),
        bookings_chart(report),
        "<h3>How their deals ended</h3>",
        _legend([(ENDING_LABELS[key], ENDING_COLOURS[key]) for key in ENDING_KEYS]),
        endings_chart(report),
    ]


def leaderboard_section(report: ClassReport) -> list[str]:
    if not report.players:
        return ["<p>No player has started a game yet.</p>"]
    heads = ["#", "Player", "Progress", "Bookings", "Quota", *(ENDING_LABELS[key].capitalize() for key in ENDING_KEYS),
             FORECAST_HEADING, "Trust", "advisor, same world", "typical, same world"]
    out = ["<table>", "<tr>" + "".join(f"<th>{escape(head)}</th>" for head in heads) + "</tr>"]
    for line in report.players:
        figures = line.figures
        cells = [str(line.rank), escape(line.name), escape(status(line)), money(figures.bookings),
                 share(figures.quota_share), *(str(figures.endings[key]) for key in ENDING_KEYS),
                 forecast(figures.forecast_accuracy), f"{figures.trust:.2f}", money(line.advisor_same_world),
                 money(line.typical_same_world)]
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    out.append("</table>")
    return out


def misses_section(report: ClassReport) -> list[str]:
    shown = [miss for miss in report.misses if miss.players]
    if not report.misses:
        return []
    if not shown:
        return ["<p>No player's game shows any of the five lessons missed.</p>"]
    items = "".join(f"<li><strong>{escape(miss.sentence)}</strong> — {escape(miss.lesson_text)}</li>" for miss in shown)
    return [f"<p>{escape(MISSES_INTRO)}</p>", f"<ul>{items}</ul>"]


def waiting_section(report: ClassReport) -> list[str]:
    return [f"<p>{escape(', '.join(report.waiting))}</p>"] if report.waiting else []


def unreplayable_section(report: ClassReport) -> list[str]:
    if not report.unreplayable:
        return []
    items = "".join(f"<li>{escape(name)}: {escape(why)}</li>" for name, why in report.unreplayable)
    return [f"<p>{escape(UNREPLAYABLE_INTRO)}</p>", f"<ul>{items}</ul>"]


def to_html(report: ClassReport, sections: tuple[Section, ...]) -> str:
    """The report as one HTML file: no scripts, no fonts or images fetched, charts drawn inline."""
    title = f"Class {report.class_name}: {report.title}"
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>Scenario <code>{escape(report.scenario_id)}</code>, seed {report.seed}, {report.weeks} weeks, quota "
        f"{money(report.quota)}. Every figure comes from replaying each player's actions on this scenario and seed.</p>",
        f'<p class="headline">{escape(headline(report))}</p>',
    ]
    for section in sections:
        body = section.html(report)
        if body:
            out += [f'<section id="{escape(section.key)}">', f"<h2>{escape(section.title)}</h2>", *body, "</section>"]
    out += ["<h2>What the figures mean</h2>", "<ul>"]
    out += [f"<li><strong>{escape(key)}</strong>: {escape(meaning)}</li>" for key, meaning in report.measures.items()]
    out += ["</ul>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
