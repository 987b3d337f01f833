"""The table the engine fires triggers through does exactly what a transitions Machine does with TRANSITIONS."""

from __future__ import annotations

import itertools

import pytest
from transitions import Machine, MachineError

from sim.model.buying import STEPS, TRANSITIONS, BuyingProcess
from sim.stages import STAGES

CONDITIONS = sorted({str(t["conditions"]) for t in TRANSITIONS if "conditions" in t})
CALLBACKS = sorted({str(t["after"]) for t in TRANSITIONS if "after" in t})


class Rules:
    """Stand-in rules: each condition answers as told, and every call is written down in order."""

    def __init__(self, answers: dict[str, bool], calls: list[tuple[object, ...]]) -> None:
        self.answers = answers
        self.calls = calls

    def _called(self, name: str, deal: Model, details: tuple[object, ...]) -> bool | None:
        self.calls.append((name, deal.state, *details))
        return self.answers.get(name)


for _name in CONDITIONS + CALLBACKS:
    setattr(Rules, _name, lambda self, deal, *details, name=_name: self._called(name, deal, details))


class Model:
    """A deal as far as the buying process is concerned: a stage, and the hook after each change."""

    def __init__(self, state: str, calls: list[tuple[object, ...]]) -> None:
        self.state = state
        self.calls = calls

    def on_stage_changed(self, *_args: object) -> None:
        self.calls.append(("on_stage_changed", self.state))


def _by_transitions(trigger: str, stage: str, answers: dict[str, bool], details: tuple[object, ...]):  # noqa: ANN202
    calls: list[tuple[object, ...]] = []
    rules = Rules(answers, calls)
    bound = [{key: getattr(rules, value) if key in ("conditions", "after") else value
              for key, value in transition.items()} for transition in TRANSITIONS]
    machine = Machine(model=None, states=list(STAGES), transitions=bound, initial=None, auto_transitions=False,
                      after_state_change="on_stage_changed", model_override=True)
    model = Model(stage, calls)
    machine.add_model(model, initial=stage)
    try:
        outcome: object = machine.events[trigger].trigger(model, model, *details)
    except MachineError:
        outcome = MachineError
    return outcome, model.state, calls


def _by_table(trigger: str, stage: str, answers: dict[str, bool], details: tuple[object, ...]):  # noqa: ANN202
    calls: list[tuple[object, ...]] = []
    process = BuyingProcess(Rules(answers, calls))
    model = Model(stage, calls)
    try:
        outcome: object = process.fire(model, trigger, *details)  # type: ignore[arg-type]
    except MachineError:
        outcome = MachineError
    return outcome, model.state, calls


@pytest.mark.parametrize("trigger", sorted(STEPS))
def test_every_trigger_from_every_stage_with_every_answer_matches_transitions(trigger: str) -> None:
    details = ("you re-engaged them",) if trigger.startswith("resume_") else ()
    compared = 0
    for stage in STAGES:
        for answers in itertools.product((False, True), repeat=len(CONDITIONS)):
            told = dict(zip(CONDITIONS, answers))
            expected = _by_transitions(trigger, stage, told, details)
            assert _by_table(trigger, stage, told, details) == expected, (trigger, stage, told)
            compared += expected[0] is not MachineError
    assert compared  # the trigger leaves at least one stage


def test_a_finished_evaluation_tries_its_rules_in_order() -> None:
    answers = dict.fromkeys(CONDITIONS, False) | {"picks_competitor": True}
    outcome, stage, calls = _by_table("finish", "evaluating", answers, ())
    assert (outcome, stage) == (True, "lost")
    assert [call[0] for call in calls] == ["loses_its_way", "picks_competitor", "lost_to_competitor",
                                           "on_stage_changed"]
