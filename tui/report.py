"""The debrief: one record built from a game's results, shown on screen and written as Markdown or HTML."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.game import Game
from sim.results import DealResult, RunResult
from sim.stages import ENDING_KEYS, ENDING_LABELS

from .format import bar, money, percent, spark, stage_label, week_of

ENDING_TONES: dict[str, str] = {
    "won": "text-success",
    "lost": "text-error",
    "no_decision": "text-error",
    "rejected": "text-error",
    "open": "text-warning",
}
FORMATS = ("md", "html")
CHART_WIDTH = 30
MAX_CHART_ROWS = 26
MAX_SPARK = 52


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One line of the score card, with the theme colour that marks it good or worrying."""

    label: str
    value: str
    tone: str


@dataclass(frozen=True, slots=True)
class DealEnding:
    """How one deal ended, why, and the lesson it illustrates."""

    name: str
    value: str
    ending: str
    ending_label: str
    when: str
    explanation: str
    lesson: str


@dataclass(frozen=True, slots=True)
class Advice:
    """A lesson that would have saved deals, and the deals it would have saved."""

    lesson: str
    deals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the debrief says, ready to show on screen or write to a file."""

    title: str
    scenario: str
    seed: int
    status: str
    headline: str
    reached: bool
    score: tuple[ScoreItem, ...]
    deals: tuple[DealEnding, ...]
    bookings_chart: tuple[str, ...]
    attention_chart: tuple[str, ...]
    advice: tuple[Advice, ...]


def debrief_for(game: Game) -> Debrief:
    """The debrief of a game as it stands (finished or not)."""
    observation = game.observe()
    return build_debrief(
        game.result(),
        title=observation.title,
        finished=observation.over,
        week=observation.week,
        start_trust=game.scenario.seller.trust,
    )


def build_debrief(
    result: RunResult, *, title: str, finished: bool, week: int, start_trust: float | None = None
) -> Debrief:
    """The debrief of `result`: score card, endings, charts and what would have helped."""
    share = percent(result.bookings, result.quota)
    if finished:
        status = f"Finished after {len(result.bookings_by_week) - 1} of {result.weeks} weeks."
    else:
        status = f"Still in progress: week {week} of {result.weeks}."
    so_far = "" if finished else "So far: "
    if result.quota_reached:
        headline = f"{so_far}Quota reached: {money(result.bookings)} booked against {money(result.quota)} ({share})."
    else:
        headline = f"{so_far}Below quota: {money(result.bookings)} booked against {money(result.quota)} ({share})."
    return Debrief(
        title=title,
        scenario=result.scenario,
        seed=result.seed,
        status=status,
        headline=headline,
        reached=result.quota_reached,
        score=_score(result, start_trust),
        deals=tuple(_ending(deal) for deal in result.deals),
        bookings_chart=bookings_chart(result.bookings_by_week, result.quota),
        attention_chart=attention_chart(result),
        advice=_advice(result),
    )


def _score(result: RunResult, start_trust: float | None) -> tuple[ScoreItem, ...]:
    counts = result.counts
    deals = " · ".join(f"{counts.get(key, 0)} {'open' if key == 'open' else ENDING_LABELS[key]}" for key in ENDING_KEYS)
    if result.cycle_days_mean is None:
        cycle = ScoreItem("Cycle time", "none: no deal was won from an open stage", "text-muted")
    else:
        cycle = ScoreItem("Cycle time", f"{result.cycle_days_mean:.0f} days on average to a signature", "")
    if result.forecast_error is None:
        forecast = ScoreItem("Forecast accuracy", "not measured: no week was played", "text-muted")
    else:
        error = result.forecast_error
        tone = "text-success" if error <= 0.1 else "text-warning" if error <= 0.3 else "text-error"
        hits = "" if result.commit_hit_rate is None else f"; {result.commit_hit_rate:.0%} of your commit calls closed"
        forecast = ScoreItem("Forecast accuracy", f"your weekly forecast (booked + commit) was off by "
                             f"{error:.0%} of quota on average{hits}", tone)
    if start_trust is None:
        trust = ScoreItem("Trust", f"{result.trust:.2f} (0 to 1)", "")
    else:
        tone = "text-success" if result.trust >= start_trust else "text-warning"
        trust = ScoreItem("Trust", f"{result.trust:.2f} at the end, {start_trust:.2f} at the start", tone)
    pressure = result.pressure_hours
    return (
        ScoreItem(
            "Bookings",
            f"{money(result.bookings)} of {money(result.quota)} quota ({percent(result.bookings, result.quota)})",
            "text-success" if result.quota_reached else "text-warning",
        ),
        ScoreItem("Deals", deals, ""),
        cycle,
        forecast,
        trust,
        ScoreItem(
            "Hours",
            f"{result.hours_spent} h spent, {pressure} h of them on pressure and discounts",
            "text-warning" if pressure else "",
        ),
    )


def closing_day(deal: DealResult) -> float | None:
    """The exact day a deal ended, from the fact the engine recorded at that moment.

    `closed_day` is rounded to a tenth; rounding that again to a whole day can differ
    from the day the explanation names (8.46 says day 8, 8.5 says day 8, 8.54 says 9).
    """
    closed = deal.closed_day
    if closed is None:
        return None
    return next((cause.day for cause in reversed(deal.causes) if abs(cause.day - closed) <= 0.051), closed)


def _ending(deal: DealResult) -> DealEnding:
    closed = closing_day(deal)
    when = "" if closed is None else f"day {closed:.0f}, week {week_of(closed)}"
    return DealEnding(
        name=f"{deal.account} · {deal.title}",
        value=money(deal.value),
        ending=deal.ending,
        ending_label=ENDING_LABELS.get(deal.ending, stage_label(deal.ending)),
        when=when,
        explanation=deal.explanation,
        lesson=deal.lesson,
    )


def _advice(result: RunResult) -> tuple[Advice, ...]:
    """The lessons of the deals that were lost, withered, rejected, left open or won by pushing."""
    grouped: dict[str, tuple[str, list[str]]] = {}
    for deal in result.deals:
        missed = deal.ending != "won" or deal.lesson_key == "dont_push"
        if not missed or not deal.lesson:
            continue
        _, names = grouped.setdefault(deal.lesson_key, (deal.lesson, []))
        names.append(f"{deal.account} · {deal.title}")
    ranked = sorted(grouped.values(), key=lambda entry: -len(entry[1]))
    return tuple(Advice(lesson, tuple(names)) for lesson, names in ranked)


def _sample(count: int) -> list[int]:
    """Which of `count` rows to draw so a long game's chart stays short (the last row always)."""
    step = max(1, math.ceil(count / MAX_CHART_ROWS))
    rows = list(range(step - 1, count, step))
    if rows and rows[-1] != count - 1:
        rows.append(count - 1)
    return rows


def bookings_chart(bookings_by_week: Sequence[int], quota: int) -> tuple[str, ...]:
    """Bookings at the end of each week as bars, with a line at the quota; bookings above it go past the line."""
    ends = list(bookings_by_week[1:])
    if not ends:
        return ("No week has been played yet.",)
    top = max(max(ends), quota)
    width = len(money(top))
    label = len(f"Week {len(ends)}")
    at = max(1, round(quota / top * CHART_WIDTH)) if top else CHART_WIDTH  # the quota line's column
    lines = [f"{'':{label}}  {'quota ' + money(quota):>{at}}┐"]
    for index in _sample(len(ends)):
        booked = ends[index]
        filled = bar(booked / top if top else 0.0, CHART_WIDTH)
        lines.append(f"{'Week ' + str(index + 1):<{label}}  {filled[:at]}│{filled[at:]} {money(booked):>{width}}")
    return tuple(lines)


def _squeeze(values: Sequence[float]) -> list[float]:
    """At most MAX_SPARK values: the means of equal runs of weeks."""
    if len(values) <= MAX_SPARK:
        return list(values)
    size = len(values) / MAX_SPARK
    return [
        sum(chunk) / len(chunk)
        for index in range(MAX_SPARK)
        if (chunk := values[int(index * size): int((index + 1) * size)])
    ]


def attention_chart(result: RunResult) -> tuple[str, ...]:
    """Each deal's attention week by week on a fixed 0..1 scale, with how it ended."""
    names = [f"{deal.account} · {deal.title}" for deal in result.deals]
    width = min(44, max(len(name) for name in names))
    trends = [spark(_squeeze(deal.attention_by_week)) or "·" for deal in result.deals]
    longest = max(len(trend) for trend in trends)
    lines = []
    for name, trend, deal in zip(names, trends, result.deals, strict=True):
        shown = name if len(name) <= width else name[: width - 1] + "…"
        lines.append(f"{shown:<{width}}  {trend:<{longest}}  {ENDING_LABELS.get(deal.ending, deal.ending)}")
    return tuple(lines)


# -- writers ----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(debrief: Debrief) -> str:
    """The debrief as a Markdown document."""
    out = [
        f"# Debrief: {debrief.title}",
        "",
        f"{debrief.status} Scenario `{debrief.scenario}`, seed {debrief.seed}.",
        "",
        f"**{debrief.headline}**",
        "",
        "## Score card",
        "",
        "| | |",
        "|---|---|",
    ]
    out += [f"| {item.label} | {_cell(item.value)} |" for item in debrief.score]
    out += ["", "## How each deal ended", ""]
    for deal in debrief.deals:
        when = f", {deal.when}" if deal.when else ""
        out += [f"### {deal.name}: {deal.ending_label} ({deal.value}{when})", "", deal.explanation, ""]
        if deal.lesson:
            out += [f"*Lesson:* {deal.lesson}", ""]
    out += ["## Charts", "", "### Bookings against quota", "", "```text", *debrief.bookings_chart, "```", ""]
    out += ["### Attention per deal (0 to 1, one mark a week)", "", "```text", *debrief.attention_chart, "```", ""]
    out += ["## What would have helped", ""]
    if debrief.advice:
        out += [f"- **{advice.lesson}** ({'; '.join(advice.deals)})" for advice in debrief.advice]
    else:
        out.append("Every deal was won without pushing: keep doing what you did.")
    return "\n".join(out) + "\n"


_HTML_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1f1f1f; background: #fafafa; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem .2rem 0; text-align: left; vertical-align: top; }
pre { background: #eee; padding: .8rem; overflow-x: auto; line-height: 1.2; }
.won { color: #2e7d32; } .lost, .no_decision, .rejected { color: #b3261e; } .open { color: #9a6700; }
.headline { font-size: 1.15rem; font-weight: bold; }
@media (prefers-color-scheme: dark) {
  body { color: #e0e0e0; background: #121212; } pre { background: #1e1e1e; }
  .won { color: #8ad4a1; } .lost, .no_decision, .rejected { color: #e8889c; } .open { color: #ffc473; }
}
"""


def _lines(lines: tuple[str, ...]) -> str:
    return "\n".join(lines)


def to_html(debrief: Debrief) -> str:
    """The debrief as a self-contained HTML page."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Debrief: {e(debrief.title)}</title>",
        f"<style>{_HTML_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>Debrief: {e(debrief.title)}</h1>",
        f"<p>{e(debrief.status)} Scenario <code>{e(debrief.scenario)}</code>, seed {debrief.seed}.</p>",
        f'<p class="headline">{e(debrief.headline)}</p>',
        "<h2>Score card</h2>",
        "<table>",
    ]
    out += [f"<tr><th>{e(item.label)}</th><td>{e(item.value)}</td></tr>" for item in debrief.score]
    out += ["</table>", "<h2>How each deal ended</h2>"]
    for deal in debrief.deals:
        when = f", {e(deal.when)}" if deal.when else ""
        ending = f'<span class="{e(deal.ending)}">{e(deal.ending_label)}</span>'
        out.append(f"<h3>{e(deal.name)}: {ending} ({e(deal.value)}{when})</h3>")
        out.append(f"<p>{e(deal.explanation)}</p>")
        if deal.lesson:
            out.append(f"<p><em>Lesson:</em> {e(deal.lesson)}</p>")
    out += ["<h2>Charts</h2>", "<h3>Bookings against quota</h3>", f"<pre>{e(_lines(debrief.bookings_chart))}</pre>"]
    out += ["<h3>Attention per deal (0 to 1, one mark a week)</h3>", f"<pre>{e(_lines(debrief.attention_chart))}</pre>"]
    out.append("<h2>What would have helped</h2>")
    if debrief.advice:
        out.append("<ul>")
        out += [
            f"<li><strong>{e(advice.lesson)}</strong> ({e('; '.join(advice.deals))})</li>" for advice in debrief.advice
        ]
        out.append("</ul>")
    else:
        out.append("<p>Every deal was won without pushing: keep doing what you did.</p>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(debrief: Debrief, file_format: str) -> str:
    """The debrief in `file_format` ("md" or "html")."""
    return to_html(debrief) if file_format == "html" else to_markdown(debrief)
