"""The five lessons, measured over seeded runs of small worlds; no lesson is special-cased in the model.

Each lesson is checked where it could break: in games of 8, 26 and 52 weeks, and with
buying groups of 1, 4 and 8 people. Each is also shown by a batch: the paired 95%
interval of the measure the lesson is about (bookings, no-decision share, forecast
error, rejection, trust) excludes zero.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from sim.batch.run import run_batch
from sim.game import Game
from sim.observation import DealView, Observation
from sim.scenario.models import Scenario
from sim.stages import ACTIVE_STAGES, stage_index
from sim.strategies import Strategy

from worlds import Policy, each_open, runs, scenario, share

SEEDS = 24
GRID = [(weeks, group) for weeks in (8, 26, 52) for group in (1, 4, 8)]
BEYOND_STATUS_QUO = frozenset(ACTIVE_STAGES[1:]) | {"won"}


def left_status_quo(results) -> float:
    """The share of deals that ever reached a buying stage past the status quo."""
    deals = [deal for result in results for deal in result.deals]
    return sum(any(stage in BEYOND_STATUS_QUO for _, stage in deal.stages) for deal in deals) / len(deals)


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values)


def quantify_then_remind(observation: Observation) -> list[tuple[str, str]]:
    """Quantify the impact once, then remind whenever attention is low or the deal stalled."""
    choices = []
    for deal in observation.deals:
        if not deal.open:
            continue
        if deal.impact is None:
            choices.append((deal.id, "quantify_impact"))
        elif deal.stage == "stalled" or deal.attention < 0.35:
            choices.append((deal.id, "remind_impact"))
    return choices


def stage_calls(observation: Observation) -> list[tuple[str, str]]:
    """A seller without a plan guesses from the stage: late-stage deals are commits."""
    return [(deal.id, "commit" if stage_index(deal.stalled_from or deal.stage) >= stage_index("business_case")
             else "pipeline") for deal in observation.deals if deal.open]


def plan_calls(observation: Observation) -> list[tuple[str, str]]:
    """A seller with the customer's plan commits what the plan, as it now stands, closes in time."""
    end = observation.weeks * 7

    def call(deal: DealView) -> str:
        if deal.plan is None or deal.stage == "stalled" or deal.forecast_close_day is None:
            return "pipeline"
        return "commit" if deal.plan_status == "on track" and deal.forecast_close_day <= end else "pipeline"

    return [(deal.id, call(deal)) for deal in observation.deals if deal.open]


# -- 1. create the need ----------------------------------------------------------------------

@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_create_the_need_only_insight_moves_a_customer_out_of_the_status_quo(weeks: int, group: int) -> None:
    world = scenario(stage="status_quo", weeks=weeks, group=group)
    reminded = runs(world, each_open("remind_impact"), SEEDS)
    pitched = runs(world, each_open("pitch_demo", "remind_impact"), SEEDS)
    taught = runs(world, each_open("share_insight", "remind_impact"), SEEDS)
    # However long the game, check-ins and pitches to a customer that feels no problem move nothing.
    assert left_status_quo(reminded) == left_status_quo(pitched) == 0.0
    assert sum(r.bookings for r in reminded + pitched) == 0
    assert left_status_quo(taught) > 0.9
    assert mean(r.bookings for r in taught) > 100_000


@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_a_quantified_impact_also_creates_the_need(weeks: int, group: int) -> None:
    world = scenario(stage="status_quo", weeks=weeks, group=group)
    quantified = runs(world, each_open("quantify_impact", "remind_impact"), SEEDS)
    assert left_status_quo(quantified) > 0.9


# -- 2. treat buying as a project ------------------------------------------------------------

@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_treat_buying_as_a_project_a_plan_keeps_immature_buyers_moving(weeks: int, group: int) -> None:
    world = scenario(stage="dissatisfied", maturity=0.15, group=group, weeks=weeks, criticality=0.5)
    reminded = runs(world, each_open("remind_impact"), SEEDS)
    planned = runs(world, each_open("co_create_plan", "remind_impact"), SEEDS)
    assert share(planned, "won") > share(reminded, "won") + 0.15

    def lost_their_way(results) -> int:
        return sum(any(cause.kind == "lost_way" for cause in d.causes) and d.ending != "won"
                   for r in results for d in r.deals)

    assert lost_their_way(planned) <= lost_their_way(reminded)
    if group > 1:  # one person rarely loses their way; a group without a plan does
        assert lost_their_way(planned) < lost_their_way(reminded)


@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_the_plan_is_where_an_honest_forecast_comes_from(weeks: int, group: int) -> None:
    world = scenario(stage="dissatisfied", maturity=0.5, group=group, weeks=weeks, criticality=0.7)
    guessed = runs(world, each_open("co_create_plan", "remind_impact"), SEEDS, calls=stage_calls)
    planned = runs(world, each_open("co_create_plan", "remind_impact"), SEEDS, calls=plan_calls)
    # The same actions, so the same deals close: only the calls differ.
    assert [r.bookings for r in guessed] == [r.bookings for r in planned]
    assert mean(r.forecast_error for r in planned) < mean(r.forecast_error for r in guessed) * 0.8


def test_plan_dates_are_the_customers_optimistic_estimates_and_slip_visibly() -> None:
    world = scenario(stage="dissatisfied", maturity=0.3, group=4, weeks=26, criticality=0.4, crisis_rate=0.2)
    early = late = slipping = replanned = 0
    for seed in range(SEEDS):
        game = Game(world, seed)
        game.act("d0", "co_create_plan")
        while game.observe().deal("d0").plan is None and not game.over:  # a crisis may postpone the meeting
            game.end_turn()
        plan = game.observe().deal("d0").plan
        assert plan is not None
        agreed = plan.close_day
        while not game.over:
            view = game.observe().deal("d0")
            if view.plan_status == "slipping":
                slipping += 1
                if game.refusal("d0", "co_create_plan") is None:
                    game.act("d0", "co_create_plan")
                    replanned += 1
            game.end_turn()
        deal = game.result().deals[0]
        if deal.ending == "won":
            early += agreed < deal.closed_day
            late += agreed >= deal.closed_day
    assert early > late  # the customer's own dates are optimistic
    assert slipping and replanned  # missed milestones show, and re-planning is possible


# -- 3. keep urgency alive -------------------------------------------------------------------

@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_keep_urgency_alive_unless_the_problem_is_critical(weeks: int, group: int) -> None:
    drifting = scenario(stage="organizing", criticality=0.2, crisis_rate=0.3, weeks=weeks, group=group)
    left_alone = runs(drifting, each_open(), SEEDS)
    reminded = runs(drifting, quantify_then_remind, SEEDS)
    assert share(left_alone, "no_decision") > 0.4
    assert share(reminded, "no_decision") < share(left_alone, "no_decision") / 2


def test_a_critical_problem_keeps_attention_by_itself() -> None:
    mild = runs(scenario(stage="organizing", criticality=0.2, crisis_rate=0.3, weeks=16), each_open(), SEEDS)
    critical = runs(scenario(stage="organizing", criticality=0.95, crisis_rate=0.3, weeks=16), each_open(), SEEDS)
    assert share(critical, "no_decision") < share(mild, "no_decision") / 2


# -- 4. align with strategy and help them sell internally -------------------------------------

@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_a_misaligned_deal_is_rejected_most_of_the_time_unless_realigned(weeks: int, group: int) -> None:
    misaligned = scenario(stage="approval", initiative="side-project", weeks=weeks, group=group)
    neglected = runs(misaligned, each_open(), SEEDS)
    realigned = runs(misaligned, each_open("align_initiatives", "coach_champion",
                                           when=lambda d: d.done.get("coach_champion", 0) < 2), SEEDS)
    assert share(neglected, "rejected") > 0.6
    assert share(realigned, "rejected") < share(neglected, "rejected") / 2


def test_coaching_the_champion_and_meeting_the_sponsor_also_rescue_a_misaligned_deal() -> None:
    misaligned = scenario(stage="business_case", initiative="side-project", weeks=13, group=4)

    def rescue(observation: Observation) -> list[tuple[str, str]]:
        choices = []
        for deal in observation.deals:
            if deal.open:
                if not deal.group_mapped:
                    choices.append((deal.id, "map_buying_group"))
                if deal.done.get("coach_champion", 0) < 2:
                    choices.append((deal.id, "coach_champion"))
                if deal.done.get("meet_sponsor", 0) < 2:
                    choices.append((deal.id, "meet_sponsor"))
                if deal.attention < 0.4:
                    choices.append((deal.id, "remind_impact"))
        return choices

    def rejected_at_approval(results) -> float:
        reached = [d for r in results for d in r.deals if any(stage == "approval" for _, stage in d.stages)]
        return sum(d.ending == "rejected" for d in reached) / len(reached)

    neglected = runs(misaligned, each_open("remind_impact", when=lambda d: d.attention < 0.4), 40)
    rescued = runs(misaligned, rescue, 40)
    assert rejected_at_approval(neglected) > 0.6
    assert rejected_at_approval(rescued) < rejected_at_approval(neglected) - 0.15


def test_a_priority_shift_turns_an_aligned_deal_into_a_rejection() -> None:
    steady = scenario(stage="business_case", initiative="cost", weeks=10)
    shifted = scenario(stage="business_case", initiative="cost", weeks=10, events=[
        {"week": 1, "account": "acme", "kind": "priority_shift", "initiatives": ["growth", "safety", "cost"]},
    ])
    assert share(runs(shifted, quantify_then_remind, SEEDS), "rejected") > share(
        runs(steady, quantify_then_remind, SEEDS), "rejected") + 0.2


# -- 5. don't push ---------------------------------------------------------------------------

@pytest.mark.parametrize(("weeks", "group"), GRID)
def test_dont_push_pressure_costs_trust_and_does_not_win_more(weeks: int, group: int) -> None:
    world = scenario(stage="evaluating", weeks=weeks, group=group)
    calm = runs(world, each_open("pitch_demo", "remind_impact"), SEEDS)
    pushed = runs(world, each_open("pitch_demo", "remind_impact", "pressure_close"), SEEDS)
    assert mean(r.trust for r in pushed) < mean(r.trust for r in calm) - 0.15
    assert share(pushed, "won") < share(calm, "won")


# -- the buying group decides ----------------------------------------------------------------

def _with_buyer(world: Scenario, support: float) -> Scenario:
    """The world with an economic buyer who holds the budget (influence 0.9) and this support."""
    data = world.model_dump()
    for person in data["accounts"][0]["stakeholders"]:
        if person["role"] == "economic_buyer":
            person.update(support=support, influence=0.9)
    return Scenario.model_validate(data)


def test_an_opposed_economic_buyer_costs_typical_at_least_15_points_of_wins() -> None:
    world = scenario(stage="evaluating", group=4, weeks=13)
    opposed = runs(_with_buyer(world, 0.1), "typical", 60)
    backing = runs(_with_buyer(world, 0.9), "typical", 60)
    assert share(backing, "won") >= share(opposed, "won") + 0.15


def test_an_opposed_economic_buyer_must_be_worked_on() -> None:
    world = _with_buyer(scenario(stage="evaluating", group=4, weeks=13), 0.1)

    def win_over(observation: Observation) -> list[tuple[str, str]]:
        choices = []
        for deal in observation.deals:
            if deal.open:
                if not deal.group_mapped:
                    choices.append((deal.id, "map_buying_group"))
                elif deal.done.get("meet_sponsor", 0) < 2:
                    choices.append((deal.id, "meet_sponsor"))
                if deal.attention < 0.4:
                    choices.append((deal.id, "remind_impact"))
        return choices

    ignored = runs(world, each_open("remind_impact", when=lambda d: d.attention < 0.4), 40)
    worked_on = runs(world, win_over, 40)
    assert share(worked_on, "won") > share(ignored, "won") + 0.1


def test_an_influential_blocker_can_stop_deals_unless_won_over() -> None:
    data = scenario(stage="business_case", group=8, weeks=13).model_dump()
    blocker = next(p for p in data["accounts"][0]["stakeholders"] if p["role"] == "blocker")
    calm_blocker = Scenario.model_validate(data)
    blocker.update(influence=0.9, support=0.05)
    hostile = Scenario.model_validate(data)
    keep_going = each_open("remind_impact", when=lambda d: d.attention < 0.4)

    def meet_the_blocker(observation: Observation) -> list[tuple[str, str] | tuple[str, str, str]]:
        choices: list[tuple[str, str] | tuple[str, str, str]] = list(keep_going(observation))
        for deal in observation.deals:
            if deal.open and not deal.group_mapped:
                choices.append((deal.id, "map_buying_group"))
            for person in deal.stakeholders if deal.open else ():
                if person.role == "blocker" and deal.done.get("meet_sponsor", 0) < 2:
                    choices.append((deal.id, "meet_sponsor", person.id))
        return choices

    hostile_left = share(runs(hostile, keep_going, 40), "no_decision")
    assert hostile_left > share(runs(calm_blocker, keep_going, 40), "no_decision") + 0.15
    assert share(runs(hostile, meet_the_blocker, 40), "no_decision") < hostile_left - 0.1


def test_a_bigger_group_is_harder_to_bring_to_yes_without_a_size_penalty_written_in() -> None:
    won = {size: share(runs(scenario(stage="organizing", group=size, weeks=16), "typical", 40), "won")
           for size in (1, 4, 8)}
    assert won[1] > won[4] > won[8]


# -- each lesson as a paired batch --------------------------------------------------------------

def policy_strategy(name: str, policy: Policy, calls=None) -> type[Strategy]:
    """A Strategy class for a batch (batches take classes, built per run)."""

    def choose(self, observation: Observation):  # noqa: ANN202
        return policy(observation)

    def forecast(self, observation: Observation):  # noqa: ANN202
        return calls(observation) if calls is not None else ()

    return type(name, (Strategy,), {"name": name, "choose": choose, "forecast": forecast})


LESSON_BATCHES = {
    "create_need": (scenario(stage="status_quo", weeks=13, group=4),
                    each_open("pitch_demo", "remind_impact"), each_open("share_insight", "remind_impact"),
                    None, None, {"bookings": 1, "no_decision_share": -1}),
    "buying_project": (scenario(stage="dissatisfied", maturity=0.15, group=4, weeks=16, criticality=0.5),
                       each_open("remind_impact"), each_open("co_create_plan", "remind_impact"),
                       None, None, {"bookings": 1, "no_decision_share": -1}),
    "plan_forecast": (scenario(stage="dissatisfied", maturity=0.5, group=4, weeks=16, criticality=0.7),
                      each_open("co_create_plan", "remind_impact"), each_open("co_create_plan", "remind_impact"),
                      stage_calls, plan_calls, {"forecast_error": -1}),
    "urgency": (scenario(stage="organizing", criticality=0.2, crisis_rate=0.3, weeks=16, group=4),
                each_open(), quantify_then_remind, None, None, {"no_decision_share": -1}),
    "align": (scenario(stage="approval", initiative="side-project", weeks=8, group=4),
              each_open(), each_open("align_initiatives", "coach_champion",
                                     when=lambda d: d.done.get("coach_champion", 0) < 2),
              None, None, {"rejected_share": -1, "bookings": 1}),
    "dont_push": (scenario(stage="evaluating", weeks=13, group=4),
                  each_open("pitch_demo", "remind_impact", "pressure_close"), each_open("pitch_demo", "remind_impact"),
                  None, None, {"trust": 1, "bookings": 1}),
}


@pytest.mark.parametrize("lesson", sorted(LESSON_BATCHES))
def test_each_lesson_shows_in_a_paired_batch(lesson: str) -> None:
    world, without, with_habit, calls_without, calls_with, expected = LESSON_BATCHES[lesson]
    summary = run_batch(world, [policy_strategy("without", without, calls_without),
                                policy_strategy("with", with_habit, calls_with)], runs=40, seed=1)
    pair = next(iter(summary.paired.values()))
    for metric, sign in expected.items():
        result = pair.metrics[metric]
        assert result.excludes_zero, (lesson, metric, result)
        assert (result.diff_mean or 0) * sign > 0, (lesson, metric, result)
