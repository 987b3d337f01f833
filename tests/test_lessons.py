"""The five lessons, measured over many seeded runs of small worlds (no lesson is special-cased)."""

from __future__ import annotations

from sim.scenario.loader import load_scenario
from sim.stages import stage_index

from worlds import each_open, runs, scenario, share

SEEDS = 80


def left_status_quo(results) -> float:
    deals = [deal for result in results for deal in result.deals]
    return sum(any(stage != "status_quo" for _, stage in deal.stages) for deal in deals) / len(deals)


def test_create_the_need_pitching_to_a_satisfied_customer_moves_nothing() -> None:
    world = scenario(stage="status_quo", weeks=10)
    pitched = runs(world, each_open("pitch_demo", "remind_impact"), SEEDS)
    taught = runs(world, each_open("share_insight", "remind_impact"), SEEDS)
    assert left_status_quo(pitched) == 0.0
    assert left_status_quo(taught) > 0.8
    assert sum(r.bookings for r in pitched) == 0
    assert sum(r.bookings for r in taught) > 0


def test_treat_buying_as_a_project_a_plan_keeps_immature_buyers_moving() -> None:
    world = scenario(stage="dissatisfied", maturity=0.15, group=7, weeks=16, criticality=0.5)
    reminded = runs(world, each_open("remind_impact"), SEEDS)
    planned = runs(world, each_open("co_create_plan", "remind_impact"), SEEDS)
    assert share(planned, "won") > share(reminded, "won") + 0.1
    stuck_reminded = sum("did not know how to take the next step" in d.explanation
                         for r in reminded for d in r.deals)
    stuck_planned = sum("did not know how to take the next step" in d.explanation for r in planned for d in r.deals)
    assert stuck_planned < stuck_reminded


def test_the_plan_date_is_an_honest_forecast() -> None:
    world = scenario(stage="dissatisfied", maturity=0.5, weeks=16, criticality=0.7)
    reminded = runs(world, each_open("remind_impact"), SEEDS)
    planned = runs(world, each_open("co_create_plan", "remind_impact"), SEEDS)

    def error(results):
        errors = [d.forecast_error_days for r in results for d in r.deals if d.forecast_error_days is not None]
        assert len(errors) > 20
        return sum(errors) / len(errors)

    assert error(planned) < error(reminded) * 0.7


def test_keep_urgency_alive_unless_the_problem_is_critical() -> None:
    drifting = scenario(stage="organizing", criticality=0.2, crisis_rate=0.3, weeks=16)
    left_alone = runs(drifting, each_open(), SEEDS)
    low_attention = lambda deal: deal.stage == "stalled" or deal.attention < 0.35  # noqa: E731
    reminded = runs(drifting, _quantify_then_remind(low_attention), SEEDS)
    assert share(left_alone, "no_decision") > 0.4
    assert share(reminded, "no_decision") < share(left_alone, "no_decision") / 2
    critical = runs(scenario(stage="organizing", criticality=0.95, crisis_rate=0.3, weeks=16), each_open(), SEEDS)
    assert share(critical, "no_decision") < share(left_alone, "no_decision") / 2


def _quantify_then_remind(low_attention):
    def policy(observation):
        choices = []
        for deal in observation.deals:
            if not deal.open:
                continue
            if deal.impact is None:
                choices.append((deal.id, "quantify_impact"))
            elif low_attention(deal):
                choices.append((deal.id, "remind_impact"))
        return choices

    return policy


def test_align_with_strategy_and_coach_the_champion_or_be_rejected() -> None:
    misaligned = scenario(stage="approval", initiative="side-project", weeks=8)
    neglected = runs(misaligned, each_open(), SEEDS)
    helped = runs(misaligned, each_open("align_initiatives", "coach_champion",
                                        when=lambda d: d.done.get("coach_champion", 0) < 2), SEEDS)
    assert share(neglected, "rejected") > 0.3
    assert share(helped, "rejected") < share(neglected, "rejected") / 2


def test_a_priority_shift_turns_an_aligned_deal_into_a_rejection() -> None:
    steady = scenario(stage="business_case", initiative="cost", weeks=10)
    shifted = scenario(stage="business_case", initiative="cost", weeks=10, events=[
        {"week": 1, "account": "acme", "kind": "priority_shift", "initiatives": ["growth", "safety", "cost"]},
    ])
    keep_going = _quantify_then_remind(lambda deal: deal.stage == "stalled" or deal.attention < 0.35)
    assert share(runs(shifted, keep_going, SEEDS), "rejected") > share(runs(steady, keep_going, SEEDS),
                                                                        "rejected") + 0.2


def test_dont_push_pressure_costs_trust_and_does_not_win_more() -> None:
    world = scenario(stage="evaluating", weeks=10)
    calm = runs(world, each_open("pitch_demo", "remind_impact"), SEEDS)
    pushed = runs(world, each_open("pitch_demo", "remind_impact", "pressure_close"), SEEDS)
    assert sum(r.trust for r in pushed) / SEEDS < sum(r.trust for r in calm) / SEEDS - 0.15
    assert share(pushed, "won") <= share(calm, "won")
    assert share(pushed, "lost") > share(calm, "lost")


def test_strategies_rank_as_the_field_does_on_the_default_scenario() -> None:
    default = load_scenario("default")
    results = {name: runs(default, name, 60) for name in ("idle", "typical", "advisor", "pusher")}
    bookings = {name: sum(r.bookings for r in rs) / len(rs) for name, rs in results.items()}
    trust = {name: sum(r.trust for r in rs) / len(rs) for name, rs in results.items()}
    assert bookings["advisor"] > 1.5 * bookings["typical"]
    assert bookings["typical"] > 1.5 * bookings["idle"]
    assert trust["pusher"] < trust["advisor"] - 0.2


def test_stage_histories_only_move_forward_through_the_process() -> None:
    for result in runs(load_scenario("default"), "random", 20):
        for deal in result.deals:
            active = [stage for _, stage in deal.stages if stage_index(stage) < 7]
            assert active == sorted(active, key=stage_index)
