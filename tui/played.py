"""What was played on a game's world, for the debrief: you against the bots, and what would have helped.

Sentences and tables built from `sim.review`: every figure comes from a game that
was played on the same scenario and seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.counterfactual import DealCounterfactual
from sim.model.actions import ACTIONS
from sim.results import DealResult, RunResult
from sim.review import Review
from sim.stages import ENDING_KEYS, ENDING_LABELS, ENDING_SHORT_LABELS

from .format import money, percent

YOU = "you"
SEARCHING = "Single changes to your play are being played…"


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


def _rival(player: str, result: RunResult) -> Rival:
    return Rival(player, result.bookings, dict(result.counts), {deal.id: deal.ending for deal in result.deals},
                 result.bookings_by_week)


def players(result: RunResult, review: Review) -> tuple[Rival, ...]:
    """You first, then each bot on the same world."""
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


def _choices(choices: Sequence[tuple[str, str, str | None]], names: dict[str, str], most: int = 3) -> str:
    shown = [f"{_actions([action])} on {names.get(deal_id, deal_id)}" for deal_id, action, _ in choices[:most]]
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


def helped_deals(result: RunResult, review: Review) -> tuple[Helped, ...]:
    """What was played for each deal that did not close, in the order of the game's deals."""
    names = {deal.id: f"{deal.account} · {deal.title}" for deal in result.deals}
    return tuple(
        _helped_deal(deal, review.counterfactuals[deal.id], names)
        for deal in result.deals if deal.id in review.counterfactuals
    )


def helped_summary(helped: tuple[Helped, ...], finished: bool) -> str:
    """One sentence on what was played: how many missed deals advisor's take-overs and single changes won."""
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


def same_world_lines(rivals: Sequence[Rival], quota: int) -> tuple[str, ...]:
    """You and the bots on the same world: bookings and endings, one line each."""
    if not rivals:
        return ()
    width = max(len(rival.player) for rival in rivals)
    booked = [f"{money(rival.bookings)} ({percent(rival.bookings, quota)})" for rival in rivals]
    booked_width = max(len(text) for text in booked)
    lines = []
    for rival, text in zip(rivals, booked, strict=True):
        counts = " · ".join(f"{rival.counts[key]} {ENDING_SHORT_LABELS[key]}" for key in ENDING_KEYS
                            if rival.counts.get(key))
        lines.append(f"{rival.player:<{width}}  {text:>{booked_width}}  {counts}")
    return tuple(lines)


def same_world_endings(rivals: Sequence[Rival], deals: Sequence[tuple[str, str]],
                       name_width: int = 34) -> tuple[str, ...]:
    """Each deal's ending for you and for each bot, as aligned text lines; `deals` are (id, name) pairs."""
    if not rivals:
        return ()
    width = min(name_width, max(len(name) for _, name in deals))
    head = f"{'':<{width}}" + "".join(f"  {rival.player:<11}" for rival in rivals)
    lines = [head.rstrip()]
    for deal_id, full_name in deals:
        name = full_name if len(full_name) <= width else full_name[: width - 1] + "…"
        cells = "".join(
            f"  {ENDING_SHORT_LABELS.get(rival.endings.get(deal_id, ''), '-'):<11}" for rival in rivals)
        lines.append(f"{name:<{width}}{cells}".rstrip())
    return tuple(lines)
