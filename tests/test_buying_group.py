"""The buying group: people, their support, whom actions reach, turnover, and the machine that decides."""

from __future__ import annotations

from sim.game import Game
from sim.model.buying import CALLBACK_NAMES, TRANSITIONS, mermaid
from sim.model.process import StageRules
from sim.scenario.models import Scenario
from sim.stages import STALLED

from worlds import each_open, runs, scenario, share


def test_mapping_reveals_who_is_in_the_group() -> None:
    game = Game(scenario(deals=1, group=5), 0)
    assert [p.role for p in game.observe().deal("d0").stakeholders] == ["champion"]  # the seller's contact
    game.act("d0", "map_buying_group")
    game.end_turn()
    view = game.observe().deal("d0")
    assert view.group_mapped and len(view.stakeholders) == 5
    assert all(0.0 <= person.support <= 1.0 for person in view.stakeholders)


def test_actions_aimed_at_a_person_reach_that_person() -> None:
    game = Game(scenario(deals=1, group=4), 0)
    refusal = game.refusal("d0", "meet_sponsor")
    assert refusal is not None and "map the buying group first" in refusal  # the sponsor is not known yet
    assert "not in this deal's buying group" in game.refusal("d0", "coach_champion", "nobody")
    assert "not aimed at one person" in game.refusal("d0", "share_insight", "p0")
    game.act("d0", "map_buying_group")
    game.end_turn()
    queued = game.act("d0", "meet_sponsor")
    assert queued.target == "p1"  # by default, the economic buyer
    game.act("d0", "coach_champion", "p2")  # anyone the seller knows can be coached
    game.end_turn()
    game.end_turn()
    deal = game.world.deal_by_id["d0"]
    assert deal.group.member("p1").met and not deal.group.member("p0").met
    assert deal.group.member("p2").coached > 0 and deal.group.member("p0").coached == 0
    met = game.observe().deal("d0").stakeholders
    assert {person.id for person in met if person.met} == {"p1"}
    assert {person.id for person in met if person.coached} == {"p2"}


def test_a_target_is_kept_in_the_save_and_replayed(tmp_path) -> None:
    game = Game(scenario(deals=1, group=4), 3)
    game.act("d0", "map_buying_group")
    game.end_turn()
    game.act("d0", "coach_champion", "p3")
    loaded = Game.load(game.save(tmp_path / "save.json"))
    assert loaded.queued == game.queued and loaded.queued[0].target == "p3"


def test_turnover_brings_a_neutral_unknown_newcomer_and_the_coaching_leaves_with_the_champion() -> None:
    world = scenario(deals=1, group=3, weeks=6, events=[
        {"week": 3, "account": "acme", "kind": "stakeholder_leaves", "stakeholder": "p0"},
    ])
    game = Game(world, 0)
    game.act("d0", "coach_champion")
    game.end_turn()
    game.act("d0", "coach_champion")
    game.end_turn()
    deal = game.world.deal_by_id["d0"]
    assert deal.group.member("p0").coached > 0
    game.end_turn()  # week 3: the champion leaves
    assert deal.group.member("p0") is None
    newcomer = next(member for member in deal.group if member.person.newcomer)
    assert newcomer.role == "champion" and newcomer.support == 0.5 and newcomer.coached == 0.0
    assert not newcomer.person.discovered and not deal.work.group_mapped
    turnover = [cause for cause in deal.causes if cause.kind == "turnover"]
    assert turnover and turnover[0].value("coaching_lost") > 0
    assert all(person.id != newcomer.id for person in game.observe().deal("d0").stakeholders)


def _priorities(priorities: list[str]) -> Scenario:
    data = scenario(stage="business_case", group=4, weeks=13).model_dump()
    for person in data["accounts"][0]["stakeholders"]:
        person["priorities"] = priorities
    return Scenario.model_validate(data)


def test_a_persons_priorities_change_their_support_and_so_the_decisions() -> None:
    keep_going = each_open("remind_impact", when=lambda d: d.attention < 0.4)
    served = runs(_priorities(["cost"]), keep_going, 40)  # the deals serve "cost"
    elsewhere = runs(_priorities(["growth"]), keep_going, 40)
    game = Game(_priorities(["growth"]), 0)
    assert all(member.support == 0.4 for member in game.world.deal_by_id["d0"].group)
    assert share(served, "won") > share(elsewhere, "won") + 0.05


def test_the_process_rules_live_in_the_machine_and_its_diagram() -> None:
    rules = StageRules.__dict__
    assert all(name in rules for name in CALLBACK_NAMES)  # every condition and callback the data names
    conditions = {t["conditions"] for t in TRANSITIONS if "conditions" in t}
    assert conditions == {"loses_its_way", "picks_competitor", "budget_frozen", "keeps_status_quo",
                          "management_rejects"}
    diagram = mermaid()
    assert "approval --> rejected: stage done [senior management says no]" in diagram
    assert f"business_case --> {STALLED}: stage done [budgets frozen]" in diagram
    assert "business_case --> no_decision: stage done [someone objects: status quo]" in diagram


def test_choosing_the_status_quo_is_no_decision_with_its_reason_everywhere() -> None:
    world = scenario(stage="business_case", group=8, weeks=8, criticality=0.2)
    for seed in range(40):
        game = Game(world, seed)
        while not game.over:
            feed = game.end_turn()
            if any("status quo is good enough" in line for line in feed):
                result = game.result()
                deal = next(d for d in result.deals if d.ending_reason == "status_quo")
                assert deal.ending == "no_decision"
                assert deal.explanation.startswith("No decision: they kept the status quo")
                assert any(cause.kind == "case_weighed" and not cause.value("go") for cause in deal.causes)
                return
    raise AssertionError("no deal chose the status quo in 40 games")


def test_the_observation_carries_no_hidden_state() -> None:
    world = scenario(stage="approval", initiative="side-project", weeks=8, group=4)
    for seed in range(10):
        game = Game(world, seed)
        while not game.over:
            game.end_turn()
        for view in game.observe().deals:
            if view.ending is None:
                continue
            truth = game.world.deal_by_id[view.id]
            assert f"{truth.trust:.2f}" not in view.explanation
            for initiative in truth.account.initiatives:  # the seller never learned the ranking
                assert initiative not in view.explanation
            assert view.known_initiatives is None
            assert view.plan_status in ("none", "done", "ended")
            assert view.forecast_call is None and view.forecast_close_day is None
