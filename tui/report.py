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

from sim.counterfactual import DealCounterfactual
from sim.game import Game
from sim.model.actions import ACTIONS
from sim.results import DealResult, RunResult
from sim.review import Review
from sim.stages import ENDING_KEYS, ENDING_LABELS, ENDING_SHORT_LABELS

from . import svg
from .format import bar, money, percent, spark, stage_label, week_of

ENDING_TONES: dict[str, str] = {
    "won": "text-success",
    "lost": "text-error",
    "no_decision": "text-error",
    "rejected": "text-error",
    "open": "text-warning",
}
FORMATS = ("md", "html", "json")
YOU = "you"
SEARCHING = "Single changes to your play are being played…"
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
class Rival:
    """One player of the same world (you or a bot): bookings, endings, and bookings week by week."""

    player: str
    bookings: int
    counts: dict[str, int]
    endings: dict[str, str]  # deal id -> ending
    bookings_by_week: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Helped:
    """What was played for one deal that did not close, in sentences."""

    deal_id: str
    name: str
    ending_label: str
    turning: str  # the turning point, or why there is none
    take_over: str  # how the deal ended when advisor took over there ("" without a turning point)
    change: str  # the single change that won it, or how many were tried
    saved: bool  # advisor's take-over won it
    changed: bool  # a single change won it


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
    helped = None if review is None else _helped(result, review)
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
        same_world=None if review is None else _rivals(result, review),
        helped=helped,
        helped_summary=_helped_summary(helped, finished) if helped is not None else "",
    )


def _score(result: RunResult, start_trust: float | None) -> tuple[ScoreItem, ...]:
    counts = result.counts
    deals = " · ".join(f"{counts.get(key, 0)} {'open' if key == 'open' else ENDING_LABELS[key]}" for key in ENDING_KEYS)
    if result.cycle_days_mean is None:
        cycle = ScoreItem("Cycle time", "none: no deal was won from an open stage", "text-muted")
    else:
        cycle = ScoreItem("Cycle time", f"{result.cycle_days_mean:.0f} days on average to a signature", "")
    if result.forecast_error_days_mean is None:
        forecast = ScoreItem("Forecast accuracy", "not measured: it needs a won deal", "text-muted")
    else:
        error = result.forecast_error_days_mean
        tone = "text-success" if error <= 7 else "text-warning" if error <= 21 else "text-error"
        forecast = ScoreItem("Forecast accuracy", f"your forecast close was off by {error:.0f} days on average", tone)
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


def _ending(deal: DealResult) -> DealEnding:
    closed = deal.closed_day
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


def _rival(player: str, result: RunResult) -> Rival:
    return Rival(player, result.bookings, dict(result.counts), {deal.id: deal.ending for deal in result.deals},
                 result.bookings_by_week)


def _rivals(result: RunResult, review: Review) -> tuple[Rival, ...]:
    return (_rival(YOU, result), *(_rival(name, played) for name, played in review.same_world.items()))


def _actions(actions: Sequence[str]) -> str:
    return ", ".join(ACTIONS[action].label.lower() if action in ACTIONS else action for action in actions)


def _ended(ending: str, closed_day: float | None) -> str:
    """How a deal ended, as the end of a sentence starting 'it ...': 'was won on day 61', 'ended in no decision'."""
    if ending == "won":
        return "was won" if closed_day is None else f"was won on day {closed_day:.0f}"
    if ending == "open":
        return "was still open at the end"
    if ending == "no_decision":
        return "ended in no decision"
    return f"was {ENDING_LABELS.get(ending, ending)}"


def _choices(choices: Sequence[tuple[str, str]], names: dict[str, str], most: int = 3) -> str:
    shown = [f"{_actions([action])} on {names.get(deal_id, deal_id)}" for deal_id, action in choices[:most]]
    more = len(choices) - most
    return "; ".join(shown) + (f" and {more} more" if more > 0 else "")


def _helped_deal(deal: DealResult, played: DealCounterfactual, names: dict[str, str]) -> Helped:
    point, take, change = played.turning_point, played.take_over, played.change
    if point is None:
        turning = "Your actions on it were the ones advisor would have taken, every week it was open."
        take_over = ""
    else:
        yours = _actions(point.yours) or "nothing on it"
        theirs = _actions(point.advisor) or "nothing on it"
        turning = f"Turning point, week {point.week}: you did {yours}; advisor would have done {theirs}."
        take_over = "" if take is None else (
            f"Played from week {take.from_week} by {take.strategy} on your world, it {_ended(take.ending, take.closed_day)}.")
    if change is not None:
        verb = "also " + _actions([change.action]) if change.kind == "add" else "not " + _actions([change.action])
        dropped = ""
        if change.dropped:
            dropped = f" ({_choices(change.dropped, names)} no longer fitted that week)"
        later = ""
        if change.skipped_later:
            count = change.skipped_later
            later = f" {count} of your later action{'s' if count != 1 else ''} could no longer be taken."
        changed = (f"One change that won it, played: in week {change.week}, {verb}{dropped}; "
                   f"it {_ended(change.ending, change.closed_day)}.{later}")
    elif point is None:
        changed = ""
    elif not played.searched:
        changed = SEARCHING
    elif played.changes_tried:
        tried = played.changes_tried
        changed = f"No single change won it among the {tried} played."
    else:
        changed = "No single change was played for it: the search is bounded per game."
    return Helped(deal.id, f"{deal.account} · {deal.title}", ENDING_LABELS.get(deal.ending, deal.ending), turning,
                  take_over, changed, take is not None and take.ending == "won", change is not None)


def _helped(result: RunResult, review: Review) -> tuple[Helped, ...]:
    names = {deal.id: f"{deal.account} · {deal.title}" for deal in result.deals}
    return tuple(
        _helped_deal(deal, review.counterfactuals[deal.id], names)
        for deal in result.deals if deal.id in review.counterfactuals
    )


def _helped_summary(helped: tuple[Helped, ...], finished: bool) -> str:
    if not helped:
        if not finished:
            return "No deal has been lost yet; what would have helped is played for deals that end without a win."
        return "Every deal closed: there is nothing to replay."
    saved = sum(item.saved for item in helped)
    changed = sum(item.changed for item in helped)
    missed = len(helped)
    deals = "deal" if missed == 1 else "deals"
    summary = (f"Played on your world (same seed): advisor, taking over at each deal's turning point, won {saved} "
               f"of the {missed} {deals} you did not close")
    if any(item.change == SEARCHING for item in helped):
        return summary + "."
    return summary + f"; a single change to your own play won {changed}."


def same_world_lines(debrief: Debrief) -> tuple[str, ...]:
    """You and the bots on the same world: bookings and endings, one line each."""
    if debrief.same_world is None:
        return ()
    width = max(len(rival.player) for rival in debrief.same_world)
    booked = [f"{money(rival.bookings)} ({percent(rival.bookings, debrief.quota)})" for rival in debrief.same_world]
    booked_width = max(len(text) for text in booked)
    lines = []
    for rival, text in zip(debrief.same_world, booked, strict=True):
        counts = " · ".join(f"{rival.counts[key]} {ENDING_SHORT_LABELS[key]}" for key in ENDING_KEYS
                            if rival.counts.get(key))
        lines.append(f"{rival.player:<{width}}  {text:>{booked_width}}  {counts}")
    return tuple(lines)


def same_world_endings(debrief: Debrief, name_width: int = 34) -> tuple[str, ...]:
    """Each deal's ending for you and for each bot, as aligned text lines."""
    if debrief.same_world is None:
        return ()
    players = debrief.same_world
    width = min(name_width, max(len(deal.name) for deal in debrief.deals))
    head = f"{'':<{width}}" + "".join(f"  {rival.player:<11}" for rival in players)
    lines = [head.rstrip()]
    for deal in debrief.deals:
        name = deal.name if len(deal.name) <= width else deal.name[: width - 1] + "…"
        cells = "".join(
            f"  {ENDING_SHORT_LABELS.get(rival.endings.get(deal.deal_id, ''), '-'):<11}" for rival in players)
        lines.append(f"{name:<{width}}{cells}".rstrip())
    return tuple(lines)


def _sample(count: int) -> list[int]:
    """Which of `count` rows to draw so a long game's chart stays short (the last row always)."""
    step = max(1, math.ceil(count / MAX_CHART_ROWS))
    rows = list(range(step - 1, count, step))
    if rows and rows[-1] != count - 1:
        rows.append(count - 1)
    return rows


def bookings_chart(bookings_by_week: Sequence[int], quota: int) -> tuple[str, ...]:
    """Bookings at the end of each week as bars against the quota (a full bar is the quota)."""
    ends = list(bookings_by_week[1:])
    if not ends:
        return ("No week has been played yet.",)
    width = len(money(max(max(ends), quota)))
    label = len(f"Week {len(ends)}")
    lines = [f"{'':{label}}  {'quota ' + money(quota):>{CHART_WIDTH}}┐"]
    for index in _sample(len(ends)):
        booked = ends[index]
        share = booked / quota if quota else 1.0
        mark = "┤" if share >= 1 else "│"
        lines.append(f"{'Week ' + str(index + 1):<{label}}  {bar(share, CHART_WIDTH)}{mark} {money(booked):>{width}}")
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
