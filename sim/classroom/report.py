"""The trainer's class report: every player's game replayed from its log, ranked, and set against the bots."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sim.classroom.figures import FORECAST_ACCURACY, Figures, figures
from sim.classroom.lessons import ClassMiss, class_misses, missed
from sim.classroom.replay import replay
from sim.classroom.store import ClassRecord, ClassStore
from sim.errors import SaveError
from sim.strategies import play

SAME_WORLD_STRATEGIES = ("advisor", "typical")


@dataclass(frozen=True, slots=True)
class PlayerLine:
    """One player in the report: their rank, how far they got, their figures and the bots' on the same world."""

    rank: int
    id: int
    name: str
    source: str  # "played" (in the browser) or "imported" (a save)
    week: int
    weeks: int
    finished: bool
    seed: int
    figures: Figures
    advisor_same_world: int
    typical_same_world: int
    missed: tuple[str, ...] = ()  # the keys of the lessons' misses their game shows (sim.classroom.lessons)


@dataclass(frozen=True, slots=True)
class ClassReport:
    """A class's results: what it played and every player with a game, best bookings first."""

    class_name: str
    scenario_id: str
    title: str
    seed: int
    scenario_digest: str
    weeks: int
    quota: int
    players: tuple[PlayerLine, ...]
    waiting: tuple[str, ...]  # players who joined but have not started their game
    unreplayable: tuple[tuple[str, str], ...] = ()  # (player, why): logs this version of the engine refuses
    misses: tuple[ClassMiss, ...] = ()  # what the class missed, counted from each game's recorded causes

    @property
    def finished(self) -> int:
        """Players whose game is over."""
        return sum(1 for line in self.players if line.finished)

    @property
    def measures(self) -> dict[str, str]:
        """What the less obvious figures mean."""
        return {
            "quota_share": "bookings divided by quota",
            "forecast_accuracy": FORECAST_ACCURACY,
            "trust": "the customers' mean trust in the seller at the end, 0 to 1",
            "advisor_same_world": "bookings of the advisor bot on the player's own scenario and seed",
            "typical_same_world": "bookings of the typical bot on the player's own scenario and seed",
        }


def same_world(record: ClassRecord, seed: int, cache: dict[tuple[str, int], int]) -> tuple[int, int]:
    """Bookings of `advisor` and `typical` on the class's scenario with `seed` (each world played once per report)."""
    values = []
    for strategy in SAME_WORLD_STRATEGIES:
        key = (strategy, seed)
        if key not in cache:
            cache[key] = figures(play(record.scenario, strategy, seed)).bookings
        values.append(cache[key])
    return values[0], values[1]


def build_report(store: ClassStore, record: ClassRecord) -> ClassReport:
    """The report of a class, from its players' action logs replayed on the class's scenario and seed."""
    scenario = record.scenario
    cache: dict[tuple[str, int], int] = {}
    unranked = []
    waiting = []
    unreplayable = []
    for player in store.players(record):
        if player.log is None:
            waiting.append(player.name)
            continue
        try:
            game = replay(record.scenario_data, record.seed, player.log)
        except SaveError as error:
            unreplayable.append((player.name, str(error).removeprefix("The save file is damaged: ")))
            continue
        advisor, typical = same_world(record, game.seed, cache)
        observation = game.observe()
        result = game.result()
        unranked.append(PlayerLine(
            rank=0, id=player.id, name=player.name, source=player.source, week=observation.week,
            weeks=observation.weeks, finished=game.over, seed=game.seed, figures=figures(result),
            advisor_same_world=advisor, typical_same_world=typical, missed=missed(result.deals),
        ))
    return ClassReport(
        class_name=record.name, scenario_id=record.scenario_id, title=scenario.scenario.title, seed=record.seed,
        scenario_digest=record.scenario_digest, weeks=scenario.scenario.weeks, quota=scenario.seller.quota,
        players=ranked(unranked), waiting=tuple(sorted(waiting, key=str.casefold)),
        unreplayable=tuple(sorted(unreplayable, key=lambda item: item[0].casefold())),
        misses=class_misses([line.missed for line in unranked]) if unranked else (),
    )


def ranked(lines: list[PlayerLine]) -> tuple[PlayerLine, ...]:
    """Players by bookings, best first (ties share a rank and are listed by name)."""
    ordered = sorted(lines, key=lambda line: (-line.figures.bookings, line.name.casefold(), line.name, line.id))
    out: list[PlayerLine] = []
    for index, line in enumerate(ordered):
        tied = index > 0 and line.figures.bookings == ordered[index - 1].figures.bookings
        out.append(replace(line, rank=out[-1].rank if tied else index + 1))
    return tuple(out)
