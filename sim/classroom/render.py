"""The class report in every format, built from one list of sections.

A section of the report is one entry in SECTIONS, with its Markdown and HTML bodies; JSON carries
the same data (players, what the class missed), CSV and xAPI the per-player figures.
"""

from __future__ import annotations

from sim.classroom import formats, html
from sim.classroom.formats import FORMATS, Section
from sim.classroom.report import ClassReport


def _nothing(report: ClassReport) -> list[str]:
    return []


SECTIONS: tuple[Section, ...] = (
    Section("charts", "Charts", _nothing, html.charts_section),
    Section("leaderboard", "Leaderboard", formats.leaderboard_section, html.leaderboard_section),
    Section("missed", "What the class missed", formats.misses_section, html.misses_section),
    Section("waiting", "Joined, not started", formats.waiting_section, html.waiting_section),
    Section("unreplayable", "Games that no longer replay", formats.unreplayable_section, html.unreplayable_section),
)


def render(report: ClassReport, file_format: str, *, homepage: str | None = None) -> str:
    """The report in one of FORMATS (md, html, csv, json, xapi); `homepage` is the xAPI accounts' home page."""
    if file_format == "html":
        return html.to_html(report, SECTIONS)
    if file_format == "md":
        return formats.to_markdown(report, SECTIONS)
    if file_format == "csv":
        return formats.to_csv(report)
    if file_format == "json":
        return formats.to_json(report)
    if file_format == "xapi":
        return formats.to_xapi(report, homepage)
    raise ValueError(f"unknown report format {file_format!r}; expected one of {', '.join(FORMATS)}")
