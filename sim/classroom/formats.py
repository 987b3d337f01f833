"""The class report as Markdown, CSV, JSON and xAPI statements (HTML is in `sim.classroom.html`).

Markdown and HTML are built from the report's sections (`sim.classroom.render.SECTIONS`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sim.classroom.figures import FORECAST_HEADING
from sim.classroom.report import ClassReport, PlayerLine
from sim.stages import ENDING_KEYS, ENDING_LABELS

FORMATS = ("md", "html", "csv", "json", "xapi")
REPORT_FORMAT = "dealdrift-class-report"
REPORT_VERSION = 1
XAPI_VERSION = "1.0.3"
XAPI_COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
XAPI_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
_STATEMENT_NAMESPACE = uuid.UUID("6f1d2a3c-5b8e-4c1f-9a7d-2e4b6c8d0f13")


# -- shared wording -------------------------------------------------------------------------------


def money(value: int) -> str:
    """Whole currency units with thousands separators."""
    return f"{value:,}"


def share(value: float) -> str:
    """A share as a whole percentage."""
    return f"{value:.0%}"


def forecast(value: float | None) -> str:
    """The forecast figure, or a dash when there is none."""
    return "–" if value is None else f"{value:.0%}"


def status(line: PlayerLine) -> str:
    """Finished, or the week the player is in."""
    return "finished" if line.finished else f"week {line.week} of {line.weeks}"


def headline(report: ClassReport) -> str:
    """One sentence on how far the class is."""
    players = len(report.players)
    reached = sum(1 for line in report.players if line.figures.bookings >= report.quota)
    text = (f"{players} player{'s' if players != 1 else ''} with a game, {report.finished} finished; "
            f"{reached} reached the quota of {money(report.quota)}.")
    if report.waiting:
        text += f" {len(report.waiting)} joined but have not started."
    return text


# -- Markdown -----------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_text(text: str) -> str:
    """Text (a player's name) that Markdown shows as typed: every markup character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def leaderboard_section(report: ClassReport) -> list[str]:
    if not report.players:
        return ["No player has started a game yet."]
    header = ("| # | Player | Progress | Bookings | Quota | " + " | ".join(ENDING_LABELS[key].capitalize() for key in ENDING_KEYS)
              + f" | {FORECAST_HEADING} | Trust | advisor, same world | typical, same world |")
    out = [header, "|" + "---|" * (header.count("|") - 1)]
    for line in report.players:
        figures = line.figures
        endings = " | ".join(str(figures.endings[key]) for key in ENDING_KEYS)
        out.append(
            f"| {line.rank} | {md_text(line.name)} | {status(line)} | {money(figures.bookings)} | "
            f"{share(figures.quota_share)} | {endings} | {forecast(figures.forecast_accuracy)} | {figures.trust:.2f} | "
            f"{money(line.advisor_same_world)} | {money(line.typical_same_world)} |"
        )
    return out


def waiting_section(report: ClassReport) -> list[str]:
    return [", ".join(md_text(name) for name in report.waiting)] if report.waiting else []


MISSES_INTRO = ("Counted from the causes the engine recorded in each player's game (a player counts once "
                "however many of their deals show it):")


def misses_section(report: ClassReport) -> list[str]:
    shown = [miss for miss in report.misses if miss.players]
    if not report.misses:
        return []
    if not shown:
        return ["No player's game shows any of the five lessons missed."]
    return [MISSES_INTRO, "", *(f"- **{miss.sentence}** — {miss.lesson_text}" for miss in shown)]


UNREPLAYABLE_INTRO = ("These players' actions no longer replay on the class's scenario with this version of "
                      "Deal Drift, so they are left out of the figures:")


def unreplayable_section(report: ClassReport) -> list[str]:
    if not report.unreplayable:
        return []
    return [UNREPLAYABLE_INTRO, "", *(f"- {md_text(name)}: {md_text(why)}" for name, why in report.unreplayable)]


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the report: a title and its Markdown and HTML bodies (an empty body leaves it out)."""

    key: str
    title: str
    markdown: Callable[[ClassReport], list[str]]
    html: Callable[[ClassReport], list[str]]


def to_markdown(report: ClassReport, sections: tuple[Section, ...]) -> str:
    """The report as a Markdown document."""
    out = [
        f"# Class {md_text(report.class_name)}: {md_text(report.title)}",
        "",
        f"Scenario `{report.scenario_id}`, seed {report.seed}, {report.weeks} weeks, quota {money(report.quota)}. "
        "Every figure comes from replaying each player's actions on this scenario and seed.",
        "",
        f"**{headline(report)}**",
    ]
    for section in sections:
        body = section.markdown(report)
        if body:
            out += ["", f"## {section.title}", "", *body]
    out += ["", "## What the figures mean", ""]
    out += [f"- **{key}**: {meaning}" for key, meaning in report.measures.items()]
    return "\n".join(out) + "\n"


# -- CSV and JSON ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "rank", "player", "week", "weeks", "finished", "bookings", "quota", "quota_share", *ENDING_KEYS,
    "forecast_accuracy", "trust", "advisor_same_world", "typical_same_world",
)


def player_data(line: PlayerLine) -> dict[str, Any]:
    """One player as plain data (the JSON report's entries, and the CSV's rows)."""
    figures = line.figures
    return {
        "rank": line.rank, "player": line.name, "week": line.week, "weeks": line.weeks,
        "finished": line.finished, "seed": line.seed, "bookings": figures.bookings, "quota": figures.quota,
        "quota_share": round(figures.quota_share, 4), "endings": dict(figures.endings),
        "forecast_accuracy": figures.forecast_accuracy, "trust": figures.trust,
        "advisor_same_world": line.advisor_same_world, "typical_same_world": line.typical_same_world,
        "missed": list(line.missed),
    }


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(report: ClassReport) -> str:
    """One row per player, best bookings first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in report.players:
        data = player_data(line)
        data["player"] = _spreadsheet_safe(line.name)
        data.update(data.pop("endings"))
        data["finished"] = "true" if line.finished else "false"
        data["forecast_accuracy"] = "" if data["forecast_accuracy"] is None else data["forecast_accuracy"]
        writer.writerow([data[column] for column in CSV_COLUMNS])
    return buffer.getvalue()


def to_data(report: ClassReport) -> dict[str, Any]:
    """The report as JSON data with a top-level `players` list."""
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "class": {
            "name": report.class_name, "scenario": report.scenario_id, "title": report.title, "seed": report.seed,
            "scenario_digest": report.scenario_digest, "weeks": report.weeks, "quota": report.quota,
        },
        "measures": report.measures,
        "players": [player_data(line) for line in report.players],
        "waiting": list(report.waiting),
        "unreplayable": [{"player": name, "reason": why} for name, why in report.unreplayable],
        "lessons_missed": [{"key": miss.key, "lesson": miss.lesson, "habit": miss.habit, "players": miss.players,
                            "of": miss.of} for miss in report.misses],
    }


def to_json(report: ClassReport) -> str:
    """The report as a JSON document."""
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"


# -- xAPI ---------------------------------------------------------------------------------------------


def default_homepage(report: ClassReport) -> str:
    """The IRI that players' xAPI accounts belong to when none is given: one per class."""
    return "urn:dealdrift:class:" + quote(report.class_name, safe="")


def statements(report: ClassReport, homepage: str | None = None) -> list[dict[str, Any]]:
    """xAPI statements, one `completed` per finished game, scored by bookings over quota (capped at 1).

    Statement ids are derived from the class and the player, so sending the same report twice to a
    learning record store does not count a game twice.
    """
    home = homepage or default_homepage(report)
    activity = f"urn:dealdrift:scenario:{quote(report.scenario_id, safe='')}:{report.scenario_digest[:16]}"
    out = []
    for line in report.players:
        if not line.finished:
            continue
        figures = line.figures
        statement_id = uuid.uuid5(_STATEMENT_NAMESPACE, f"{report.scenario_digest}\n{report.class_name}\n{line.name}")
        out.append({
            "id": str(statement_id),
            "actor": {"objectType": "Agent", "name": line.name, "account": {"homePage": home, "name": line.name}},
            "verb": XAPI_COMPLETED,
            "object": {
                "objectType": "Activity", "id": activity,
                "definition": {
                    "type": XAPI_SIMULATION,
                    "name": {"en-US": report.title},
                    "description": {"en-US": f"Deal Drift scenario '{report.scenario_id}', seed {report.seed}: "
                                             f"book {money(report.quota)} in {report.weeks} weeks."},
                },
            },
            "result": {
                "score": {"scaled": round(min(1.0, figures.quota_share), 4), "raw": figures.bookings, "min": 0},
                "success": figures.bookings >= figures.quota,
                "completion": True,
                "extensions": {
                    "urn:dealdrift:quota": figures.quota,
                    "urn:dealdrift:endings": dict(figures.endings),
                    "urn:dealdrift:trust": figures.trust,
                    "urn:dealdrift:advisor-same-world": line.advisor_same_world,
                    "urn:dealdrift:typical-same-world": line.typical_same_world,
                },
            },
            "context": {
                "platform": "Deal Drift",
                "extensions": {"urn:dealdrift:class": report.class_name, "urn:dealdrift:seed": report.seed},
            },
            "version": XAPI_VERSION,
        })
    return out


def to_xapi(report: ClassReport, homepage: str | None = None) -> str:
    """The statements as one JSON array, as an LRS's statements resource takes them."""
    return json.dumps(statements(report, homepage), indent=2, ensure_ascii=False) + "\n"
