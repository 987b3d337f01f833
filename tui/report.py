"""The debrief: one record built from a game's results, shown on screen and written as Markdown or HTML.

What was played on the game's world (the bots from week 1, the counterfactuals) comes
from `sim.review`; the record can be built without it first and completed when it is
ready, as the debrief screen does.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.game import Game
from sim.results import DealResult, RunResult
from sim.review import Review
from sim.stages import ENDING_KEYS, ENDING_LABELS

from . import svg
from .format import bar, money, percent, spark, stage_label, week_of
from .played import YOU, Helped, Rival, helped_deals, helped_summary, players

ENDING_TONES: dict[str, str] = {
    "won": "text-success",
    "lost": "text-error",
    "no_decision": "text-error",
    "rejected": "text-error",
    "open": "text-warning",
}
FORMATS = ("md", "html", "json")
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

    deal_id: str
    name: str
    value: str
    ending: str
    ending_label: str
    when: str
    explanation: str
    lesson: str
    attention_by_week: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the debrief says, ready to show on screen or write to a file."""

    title: str
    scenario: str
    seed: int
    status: str
    headline: str
    reached: bool
    quota: int
    weeks: int
    bookings_by_week: tuple[int, ...]  # yours, at the start of each week and at the end
    score: tuple[ScoreItem, ...]
    deals: tuple[DealEnding, ...]
    bookings_chart: tuple[str, ...]
    attention_chart: tuple[str, ...]
    same_world: tuple[Rival, ...] | None  # you first, then the bots; None until they have been played
    helped: tuple[Helped, ...] | None  # None until the counterfactuals have been played
    helped_summary: str


def debrief_for(game: Game, review: Review | None = None) -> Debrief:
    """The debrief of a game as it stands (finished or not), with what was played on its world if given."""
    observation = game.observe()
    return build_debrief(
        game.result() if review is None else review.result,
        title=observation.title,
        finished=observation.over,
        week=observation.week,
        start_trust=game.scenario.seller.trust,
        review=review,
    )


def build_debrief(
    result: RunResult, *, title: str, finished: bool, week: int, start_trust: float | None = None,
    review: Review | None = None,
) -> Debrief:
    """The debrief of `result`: score card, endings, charts, and (with `review`) the same world and what was played."""
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
    played = None if review is None else helped_deals(result, review)
    return Debrief(
        title=title,
        scenario=result.scenario,
        seed=result.seed,
        status=status,
        headline=headline,
        reached=result.quota_reached,
        quota=result.quota,
        weeks=result.weeks,
        bookings_by_week=result.bookings_by_week,
        score=_score(result, start_trust),
        deals=tuple(_ending(deal) for deal in result.deals),
        bookings_chart=bookings_chart(result.bookings_by_week, result.quota),
        attention_chart=attention_chart(result),
        same_world=None if review is None else players(result, review),
        helped=played,
        helped_summary=helped_summary(played, finished) if played is not None else "",
    )


def _score(result: RunResult, start_trust: float | None) -> tuple[ScoreItem, ...]:
    counts = result.counts
    deals = " · ".join(f"{counts.get(key, 0)} {'open' if key == 'open' else ENDING_LABELS[key]}" for key in ENDING_KEYS)
    if result.cycle_days_mean is None:
        cycle = ScoreItem("Cycle time", "none: no deal was won from an open stage", "text-muted")
    else:
        cycle = ScoreItem("Cycle time", f"{result.cycle_days_mean:.0f} days on average to a signature", "")
    if result.forecast_error is None:
        forecast = ScoreItem("Forecast accuracy", "not measured: no deal reached a forecast stage", "text-muted")
    else:
        error = result.forecast_error
        tone = "text-success" if error <= 0.2 else "text-warning" if error <= 0.4 else "text-error"
        hits = "" if result.commit_hit_rate is None else f"; {result.commit_hit_rate:.0%} of your commit calls closed"
        forecast = ScoreItem("Forecast accuracy", f"your calls got {error:.0%} of the value in forecast stages "
                             f"wrong{hits}", tone)
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
        deal_id=deal.id,
        name=f"{deal.account} · {deal.title}",
        value=money(deal.value),
        ending=deal.ending,
        ending_label=ENDING_LABELS.get(deal.ending, stage_label(deal.ending)),
        when=when,
        explanation=deal.explanation,
        lesson=deal.lesson,
        attention_by_week=deal.attention_by_week,
    )


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
    if debrief.same_world is not None:
        out += ["", "## You and the bots on the same world", "",
                "The same scenario and seed, played from week 1 by the built-in bots.", ""]
        out += ["| player | bookings | " + " | ".join(ENDING_LABELS[key] for key in ENDING_KEYS) + " |",
                "|---|---:|" + "---:|" * len(ENDING_KEYS)]
        for rival in debrief.same_world:
            share = percent(rival.bookings, debrief.quota)
            counts = " | ".join(str(rival.counts.get(key, 0)) for key in ENDING_KEYS)
            out.append(f"| {_cell(rival.player)} | {money(rival.bookings)} ({share}) | {counts} |")
        out += ["", "| deal | " + " | ".join(_cell(rival.player) for rival in debrief.same_world) + " |",
                "|---|" + "---|" * len(debrief.same_world)]
        for deal in debrief.deals:
            cells = " | ".join(ENDING_LABELS.get(rival.endings.get(deal.deal_id, ""), "-") for rival in debrief.same_world)
            out.append(f"| {_cell(deal.name)} | {cells} |")
    out += ["", "## How each deal ended", ""]
    for deal in debrief.deals:
        when = f", {deal.when}" if deal.when else ""
        out += [f"### {deal.name}: {deal.ending_label} ({deal.value}{when})", "", deal.explanation, ""]
        if deal.lesson:
            out += [f"*Lesson:* {deal.lesson}", ""]
    out += ["## Charts", "", "### Bookings against quota", "", "```text", *debrief.bookings_chart, "```", ""]
    out += ["### Attention per deal (0 to 1, one mark a week)", "", "```text", *debrief.attention_chart, "```", ""]
    out += ["## What would have helped", ""]
    if debrief.helped is None:
        out.append("Not played yet.")
    else:
        out += [debrief.helped_summary, ""]
        for item in debrief.helped:
            out += [f"- **{item.name}** ({item.ending_label}). " + " ".join(
                sentence for sentence in (item.turning, item.take_over, item.change) if sentence)]
    return "\n".join(out) + "\n"


_HTML_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1f1f1f; background: #fafafa; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem .2rem 0; text-align: left; vertical-align: top; }
td.number { text-align: right; }
.won { color: #2e7d32; } .lost, .no_decision, .rejected { color: #b3261e; } .open { color: #9a6700; }
.headline { font-size: 1.15rem; font-weight: bold; }
@media (prefers-color-scheme: dark) {
  body { color: #e0e0e0; background: #121212; }
  .won { color: #8ad4a1; } .lost, .no_decision, .rejected { color: #e8889c; } .open { color: #ffc473; }
}
""" + svg.SVG_STYLE

_CSS_CLASSES = {YOU: "you", "advisor": "advisor", "typical": "typical"}


def _html_same_world(debrief: Debrief) -> list[str]:
    e = html.escape
    rivals = debrief.same_world or ()
    out = ["<h2>You and the bots on the same world</h2>",
           "<p>The same scenario and seed, played from week 1 by the built-in bots.</p>",
           svg.rivals_chart([(rival.player, rival.bookings, _CSS_CLASSES.get(rival.player, "")) for rival in rivals],
                            debrief.quota),
           "<table>", "<tr><th>deal</th>" + "".join(f"<th>{e(rival.player)}</th>" for rival in rivals) + "</tr>"]
    for deal in debrief.deals:
        cells = []
        for rival in rivals:
            ending = rival.endings.get(deal.deal_id, "")
            cells.append(f'<td class="{e(ending)}">{e(ENDING_LABELS.get(ending, "-"))}</td>')
        out.append(f"<tr><td>{e(deal.name)}</td>{''.join(cells)}</tr>")
    out.append("</table>")
    return out


def to_html(debrief: Debrief) -> str:
    """The debrief as a self-contained HTML page, its charts drawn as inline SVG."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
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
    out.append("</table>")
    if debrief.same_world is not None:
        out += _html_same_world(debrief)
    out.append("<h2>How each deal ended</h2>")
    for deal in debrief.deals:
        when = f", {e(deal.when)}" if deal.when else ""
        ending = f'<span class="{e(deal.ending)}">{e(deal.ending_label)}</span>'
        out.append(f"<h3>{e(deal.name)}: {ending} ({e(deal.value)}{when})</h3>")
        out.append(f"<p>{e(deal.explanation)}</p>")
        if deal.lesson:
            out.append(f"<p><em>Lesson:</em> {e(deal.lesson)}</p>")
    series = [svg.Series(rival.player, rival.bookings_by_week, _CSS_CLASSES.get(rival.player, ""))
              for rival in (debrief.same_world or ())]
    if not series:
        series = [svg.Series(YOU, debrief.bookings_by_week, "you")]
    out += ["<h2>Charts</h2>", "<h3>Bookings over time against quota</h3>",
            svg.bookings_chart(series, debrief.quota, debrief.weeks)]
    out += ["<h3>Attention per deal (0 to 1, week by week)</h3>",
            svg.attention_chart([(deal.name, deal.attention_by_week, deal.ending_label, deal.ending)
                                 for deal in debrief.deals], debrief.weeks)]
    out.append("<h2>What would have helped</h2>")
    if debrief.helped is None:
        out.append("<p>Not played yet.</p>")
    else:
        out.append(f"<p>{e(debrief.helped_summary)}</p>")
        if debrief.helped:
            out.append("<ul>")
            for item in debrief.helped:
                sentences = " ".join(e(text) for text in (item.turning, item.take_over, item.change) if text)
                out.append(f"<li><strong>{e(item.name)}</strong> ({e(item.ending_label)}). {sentences}</li>")
            out.append("</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(debrief: Debrief, file_format: str) -> str:
    """The debrief in `file_format` ("md" or "html"; JSON is written from the Review itself)."""
    return to_html(debrief) if file_format == "html" else to_markdown(debrief)
