"""The debrief's lessons never contradict the causes the engine recorded.

The rule checked, deal by deal, for every lesson the debrief names:

- create_need: the customer came to feel the problem only through you, or never did. Either
  the deal is in (or withered in) the status quo with no insight and no quantified impact,
  or the group kept the status quo at a business case whose impact was never quantified,
  or it was won after starting in the status quo with an insight or a quantified impact.
- buying_project: the group lost its way (a `lost_way` fact) and the deal was not won, or
  the competitor won on requirements it shaped, or the deal was won with a joint plan.
- urgency: attention or a freeze stalled the deal (a `stalled` fact for drift, crisis or
  freeze) before it withered or ended the game stalled, or the case was weighed with
  urgency below 0.2, or it was won with reminders of a quantified impact at low attention.
- align: senior management weighed it unaligned, with an uncoached champion or an unmet
  sponsor (and rejected it), or the economic buyer or a blocker objected at the business
  case, or it was won after being re-framed or with a coached champion.
- dont_push: at least two pushes or discounts were recorded.

A competitor that was simply stronger names no lesson at all.
"""

from __future__ import annotations

import pytest

from sim.debrief import LESSONS
from sim.model.causes import Cause
from sim.results import DealResult
from sim.scenario.loader import bundled_names, load_scenario
from sim.strategies import BUILT_IN, play

STRATEGIES = sorted(BUILT_IN)


def kinds(deal: DealResult, kind: str) -> list[Cause]:
    return [cause for cause in deal.causes if cause.kind == kind]


def supported(deal: DealResult, lesson: str) -> bool:
    """True when the deal's recorded causes back `lesson` (the rule in the module docstring)."""
    felt = bool(kinds(deal, "insight") or kinds(deal, "impact_quantified"))
    cases = kinds(deal, "case_weighed")
    kept_status_quo = [case for case in cases if not case.value("go")]
    stalls = kinds(deal, "stalled")
    approvals = kinds(deal, "approval")
    if lesson == "create_need":
        in_status_quo = bool(stalls) and stalls[-1].value("stage") == "status_quo" or (
            deal.ending == "open" and deal.stages[-1][1] == "status_quo")
        return ((in_status_quo and not felt)
                or any(not case.value("quantified") for case in kept_status_quo)
                or (deal.ending == "won" and deal.stages[0][1] == "status_quo" and felt))
    if lesson == "buying_project":
        selection = kinds(deal, "vendor_selection")
        return ((bool(kinds(deal, "lost_way")) and deal.ending != "won")
                or (deal.ending == "lost" and bool(selection) and selection[-1].value("shaped_by") == "the competitor")
                or (deal.ending == "won" and bool(kinds(deal, "plan_agreed"))))
    if lesson == "urgency":
        drifted = bool(stalls) and stalls[-1].value("cause") in ("drift", "crisis", "freeze")
        reminded = [c for c in kinds(deal, "reminder") if c.value("attention", 1.0) < 0.35]
        return ((drifted and (deal.ending_reason in ("withered", "stalled")))
                or any(case.value("urgency", 1.0) < 0.2 for case in kept_status_quo)
                or (deal.ending == "won" and bool(reminded) and bool(kinds(deal, "impact_quantified"))))
    if lesson == "align":
        weak = [a for a in approvals if not a.value("approved") and (
            not a.value("alignment") or a.value("champion_skill", 0.0) < 0.3 or not a.value("sponsor_met"))]
        objected = [case for case in kept_status_quo if case.value("buyer_objected") or case.value("blockers")]
        won_aligned = deal.ending == "won" and (bool(kinds(deal, "reframed")) or any(
            a.value("champion_skill", 0.0) >= 0.3 for a in approvals))
        return bool(weak) or bool(objected) or won_aligned
    if lesson == "dont_push":
        return len(kinds(deal, "pressure")) + len(kinds(deal, "discount")) >= 2
    raise AssertionError(f"unknown lesson {lesson}")


@pytest.mark.parametrize("name", bundled_names())
def test_no_lesson_contradicts_the_recorded_causes(name: str) -> None:
    scenario = load_scenario(name)
    checked = 0
    for seed in range(200):
        result = play(scenario, STRATEGIES[seed % len(STRATEGIES)], seed)
        for deal in result.deals:
            assert set(deal.lesson_keys) <= set(LESSONS)
            for lesson in deal.lesson_keys:
                assert supported(deal, lesson), (name, seed, deal.id, lesson, deal.explanation,
                                                 [cause.fact for cause in deal.causes])
                checked += 1
            if "simply stronger" in deal.explanation:
                assert deal.ending == "lost" and deal.lesson_key is None
    assert checked > 200


def test_every_ending_is_explained_from_its_facts_not_its_label() -> None:
    result = play(load_scenario("default"), "typical", 3)
    for deal in result.deals:
        assert deal.explanation
        if deal.ending == "rejected":
            assert kinds(deal, "approval")
        if deal.ending == "lost":
            assert kinds(deal, "vendor_selection")
        if deal.ending_reason == "status_quo":
            assert kinds(deal, "case_weighed")
        if deal.ending_reason == "withered":
            assert kinds(deal, "withered") and kinds(deal, "stalled")


def test_reminders_that_came_too_late_are_said_so() -> None:
    from worlds import scenario

    world = scenario(stage="organizing", criticality=0.2, crisis_rate=0.5, weeks=20, deals=4)

    def late(observation):  # noqa: ANN001, ANN202 - remind only deals that already stalled
        return [(deal.id, "remind_impact") for deal in observation.deals if deal.open and deal.stage == "stalled"]

    from worlds import runs

    found = [deal.explanation for result in runs(world, late, 20) for deal in result.deals
             if deal.ending_reason == "withered" and deal.stages[-2][1] == "stalled"]
    assert any("reminders came too late" in text for text in found)
