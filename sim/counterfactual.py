"""Counterfactuals that were played: the same world, the trainee's actions up to a week, then a bot or one change.

For each deal that did not close:

- **Turning point.** The first week, among the weeks the deal was open, in which the
  set of actions the trainee took on it differs from the set `advisor` would have
  queued on it. What `advisor` would have queued is its full week, chosen from the
  trainee's own observation at the start of that week (the same game, the same hours),
  queued the way every bot's week is queued (most wanted first, refused choices
  skipped, until the hours run out), then cancelled before the trainee's actions are
  replayed.
- **Take-over.** The trainee's weeks 1..K-1 replayed, `advisor` plays week K (the
  turning point) to the end: the deal's actual ending in that game.
  `dealdrift run --from SAVE --week K --strategy advisor` plays the very same game.
- **One change.** A bounded search of single edits to the trainee's log, each played
  on the same seed: in a week from the turning point on, add one action `advisor`
  would have taken on the deal (queued first; what no longer fits in the week's hours
  is dropped and reported), or drop one action on it that `advisor` would not have
  taken. The rest of the log is replayed as it was; actions the changed game refuses
  are skipped and counted, and weeks after the log (a game that ended early) pass with
  no action. At most MAX_CHANGES_PER_DEAL edits are played per deal and MAX_CHANGES per
  game; the first, in week order, under which the deal is won is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from sim.game import Game
from sim.replay import play_on, play_week, queue_choices, replay, take_over
from sim.results import RunResult
from sim.savefile import Entry, Turn
from sim.strategies import Advisor, Idle, play

SHADOW = Advisor.name  # the strategy the trainee's weeks are compared with, and that takes over
SAME_WORLD = ("advisor", "typical")  # the bots the debrief compares the trainee with
MAX_CHANGES_PER_DEAL = 2  # single changes tried for one deal
MAX_CHANGES = 10  # single changes tried for a whole game (keeps a default game's review well within 1 s)
NOT_CLOSED = ("lost", "no_decision", "rejected", "open")


@dataclass(frozen=True, slots=True)
class TurningPoint:
    """The first week the trainee's actions on a deal differed from what `advisor` would have done."""

    week: int
    yours: tuple[str, ...]  # the actions the trainee took on the deal that week
    advisor: tuple[str, ...]  # the actions advisor would have taken on it, from the same observation


@dataclass(frozen=True, slots=True)
class TakeOver:
    """A bot played the trainee's game from a week on: how the deal ended there."""

    from_week: int
    strategy: str
    ending: str
    closed_day: float | None


@dataclass(frozen=True, slots=True)
class Change:
    """One edit to the trainee's log that was played, and how the deal ended in that game."""

    week: int
    kind: str  # "add" or "drop"
    action: str
    dropped: tuple[Entry, ...]  # the trainee's actions that week that no longer fitted (for an add)
    skipped_later: int  # the trainee's later actions the changed game refused, until the deal ended
    ending: str
    closed_day: float | None


@dataclass(frozen=True, slots=True)
class WeekActions:
    """One week of a deal: the actions the trainee took on it, and those advisor would have taken."""

    week: int
    yours: tuple[str, ...]
    advisor: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DealCounterfactual:
    """What was played for one deal that did not close."""

    deal_id: str
    ending: str  # how it ended in the trainee's game
    value: int
    weeks: tuple[WeekActions, ...]  # every week it was open
    turning_point: TurningPoint | None  # None: the trainee did what advisor would have done every week
    take_over: TakeOver | None
    change: Change | None = None  # the single change that won it, if one was found
    changes_tried: int = 0  # how many single changes were played
    searched: bool = False  # whether the search of single changes has been made yet


def _by_deal(choices: Sequence[Entry]) -> dict[str, tuple[str, ...]]:
    """The actions of a week grouped by deal, in the order they were queued."""
    grouped: dict[str, list[str]] = {}
    for deal_id, action, _target in choices:
        grouped.setdefault(deal_id, []).append(action)
    return {deal_id: tuple(actions) for deal_id, actions in grouped.items()}


def shadow(game: Game, deal_ids: Sequence[str]) -> dict[str, list[WeekActions]]:
    """Replay `game`'s log; each week, ask advisor what it would queue from the trainee's observation."""
    replayed = Game(game.scenario, game.seed)
    advisor = Advisor(game.seed)
    weeks: dict[str, list[WeekActions]] = {deal_id: [] for deal_id in deal_ids}
    for number, turn in enumerate(game.log, start=1):
        observation = replayed.observe()
        would = queue_choices(replayed, advisor, calls=False)  # what it would do, not what it would forecast
        for index in reversed(range(len(replayed.queued))):
            replayed.cancel(index)
        open_ids = {deal.id for deal in observation.open_deals}
        yours, theirs = _by_deal(turn.actions), _by_deal(would)
        for deal_id in deal_ids:
            if deal_id in open_ids:
                weeks[deal_id].append(WeekActions(number, yours.get(deal_id, ()), theirs.get(deal_id, ())))
        play_week(replayed, turn)
    return weeks


def turning_point(weeks: Sequence[WeekActions]) -> TurningPoint | None:
    """The first week whose actions differ as sets (the order within a week does not count)."""
    for week in weeks:
        if set(week.yours) != set(week.advisor):
            return TurningPoint(week.week, week.yours, week.advisor)
    return None


def _ended(deal_ids: Sequence[str]) -> Callable[[Game], bool]:
    """A predicate for `play_on`: true once every one of `deal_ids` has ended."""

    def stop(game: Game) -> bool:
        still_open = {deal.id for deal in game.observe().open_deals}
        return not any(deal_id in still_open for deal_id in deal_ids)

    return stop


def _ending(game: Game, deal_id: str) -> tuple[str, float | None]:
    view = game.observe().deal(deal_id)
    return (view.ending or "open"), None if view.closed_day is None else round(view.closed_day, 1)


def _candidates(deal_id: str, weeks: Sequence[WeekActions], start: int) -> Iterator[tuple[int, str, str]]:
    """Single changes in week order from `start`: advisor's actions the trainee left out, then the trainee's extras."""
    for week in weeks:
        if week.week < start:
            continue
        yours = set(week.yours)
        theirs = set(week.advisor)
        for action in week.advisor:
            if action not in yours:
                yield week.week, "add", action
        for action in week.yours:
            if action not in theirs:
                yield week.week, "drop", action


def _changed_log(log: Sequence[Turn], deal_id: str, week: int, kind: str, action: str) -> list[Turn]:
    turns = [Turn(list(turn.actions), dict(turn.calls)) for turn in log]
    actions = turns[week - 1].actions
    if kind == "add":
        actions.insert(0, (deal_id, action, None))  # aimed, if at anyone, at the action's default person
    else:
        actions.remove(next(entry for entry in actions if entry[:2] == (deal_id, action)))
    return turns


def play_change(game: Game, deal_id: str, week: int, kind: str, action: str) -> Change:
    """Play the trainee's log with one change on `deal_id` in `week`, until the deal ends.

    Weeks after the log (a game that ended early) pass with no action.
    """
    turns = _changed_log(game.log, deal_id, week, kind, action)
    changed, _ = replay(game.scenario, game.seed, turns[: week - 1])
    dropped = play_week(changed, turns[week - 1], lenient=True)
    stop = _ended([deal_id])
    skipped = 0
    for turn in turns[week:]:
        if changed.over or stop(changed):
            break
        skipped += len(play_week(changed, turn, lenient=True))
    play_on(changed, Idle(game.seed), stop)
    ending, closed = _ending(changed, deal_id)
    return Change(week, kind, action, tuple(dropped), skipped, ending, closed)


def take_overs(game: Game, *, advisor_from_week_1: RunResult | None = None) -> tuple[DealCounterfactual, ...]:
    """Turning points and take-overs of every deal that did not close (open deals only once the game is over).

    `advisor_from_week_1` is advisor's own game on the same world, if it has been played already: a take-over
    from week 1 replays nothing, so it is that very game. Single changes are searched by `search_changes`.
    """
    observation = game.observe()
    missed = [
        deal for deal in observation.deals
        if (deal.ending or "open") in NOT_CLOSED and (deal.ending is not None or game.over)
    ]
    if not missed:
        return ()
    ids = [deal.id for deal in missed]
    weeks = shadow(game, ids)
    points = {deal_id: turning_point(weeks[deal_id]) for deal_id in ids}
    # One take-over per distinct turning week serves every deal that turned that week.
    by_week: dict[int, list[str]] = {}
    for deal_id, point in points.items():
        if point is not None:
            by_week.setdefault(point.week, []).append(deal_id)
    taken: dict[str, TakeOver] = {}
    for week, deal_ids in sorted(by_week.items()):
        if week == 1 and advisor_from_week_1 is not None:
            results = {deal.id: deal for deal in advisor_from_week_1.deals}
            for deal_id in deal_ids:
                taken[deal_id] = TakeOver(1, SHADOW, results[deal_id].ending, results[deal_id].closed_day)
            continue
        played, label = take_over(game, week, SHADOW, stop=_ended(deal_ids))
        for deal_id in deal_ids:
            ending, closed = _ending(played, deal_id)
            taken[deal_id] = TakeOver(week, label, ending, closed)
    return tuple(
        DealCounterfactual(deal.id, deal.ending or "open", deal.value, tuple(weeks[deal.id]), points[deal.id],
                           taken.get(deal.id))
        for deal in missed
    )


def search_changes(game: Game, played: Sequence[DealCounterfactual], *, max_changes: int = MAX_CHANGES,
                   max_changes_per_deal: int = MAX_CHANGES_PER_DEAL) -> tuple[DealCounterfactual, ...]:
    """The bounded search of single changes, each played, for deals with a turning point.

    Deals advisor saved from their turning point come first (one change is likelier to save a deal that could
    still be saved), then the most valuable; each deal's changes in week order from its turning point.
    """
    budget = max_changes
    found: dict[str, DealCounterfactual] = {}

    def promise(deal: DealCounterfactual) -> tuple[bool, int, str]:
        return deal.take_over is None or deal.take_over.ending != "won", -deal.value, deal.deal_id

    for deal in sorted(played, key=promise):
        change, tried = None, 0
        if deal.turning_point is not None:
            for week, kind, action in _candidates(deal.deal_id, deal.weeks, deal.turning_point.week):
                if tried >= max_changes_per_deal or budget <= 0:
                    break
                tried += 1
                budget -= 1
                attempt = play_change(game, deal.deal_id, week, kind, action)
                if attempt.ending == "won":
                    change = attempt
                    break
        found[deal.deal_id] = replace(deal, change=change, changes_tried=tried, searched=True)
    return tuple(found[deal.deal_id] for deal in played)


def counterfactuals(game: Game, *, max_changes: int = MAX_CHANGES, max_changes_per_deal: int = MAX_CHANGES_PER_DEAL,
                    advisor_from_week_1: RunResult | None = None) -> tuple[DealCounterfactual, ...]:
    """Everything played for every deal that did not close: turning point, take-over, and the single change."""
    return search_changes(game, take_overs(game, advisor_from_week_1=advisor_from_week_1),
                          max_changes=max_changes, max_changes_per_deal=max_changes_per_deal)


def same_world(game: Game, strategies: Sequence[str] = SAME_WORLD) -> dict[str, RunResult]:
    """What each bot books on the very same scenario and seed as `game`, played from week 1."""
    return {name: play(game.scenario, name, game.seed) for name in strategies}
