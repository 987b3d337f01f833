"""The table the engine fires triggers through does exactly what a transitions Machine does with TRANSITIONS."""

from __future__ import annotations

import itertools
import logging

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


def _machine(rules: Rules) -> Machine:
    """A transitions Machine built from TRANSITIONS with `rules` bound, as the engine once built one per run."""
    bound = [{key: getattr(rules, value) if key in ("conditions", "after") else value
              for key, value in transition.items()} for transition in TRANSITIONS]
    return Machine(model=None, states=list(STAGES), transitions=bound, initial=None, auto_transitions=False,
                   after_state_change="on_stage_changed", model_override=True)


def _fired(fire, model: Model, trigger: str, details: tuple[object, ...]) -> tuple[object, str, list]:  # noqa: ANN001
    """What firing `trigger` does: its outcome (or MachineError), the stage after, and every call made in order."""
    del model.calls[:]
    try:
        outcome: object = fire(model, trigger, *details)
    except MachineError:
        outcome = MachineError
    return outcome, model.state, list(model.calls)


def _by_table(trigger: str, stage: str, answers: dict[str, bool], details: tuple[object, ...]):  # noqa: ANN202
    calls: list[tuple[object, ...]] = []
    process = BuyingProcess(Rules(answers, calls))
    return _fired(process.fire, Model(stage, calls), trigger, details)


def test_every_trigger_from_every_stage_with_every_answer_matches_transitions(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="transitions")  # add_model warns for every method it does not bind
    compared = 0
    for answers in itertools.product((False, True), repeat=len(CONDITIONS)):
        calls: list[tuple[object, ...]] = []
        rules = Rules(dict(zip(CONDITIONS, answers)), calls)
        machine, process = _machine(rules), BuyingProcess(rules)
        for trigger in STEPS:
            details = ("you re-engaged them",) if trigger.startswith("resume_") else ()
            for stage in STAGES:
                model = Model(stage, calls)
                machine.add_model(model, initial=stage)
                expected = _fired(lambda deal, name, *more: machine.events[name].trigger(deal, deal, *more),
                                  model, trigger, details)
                assert _fired(process.fire, Model(stage, calls), trigger, details) == expected, (
                    trigger, stage, answers)
                compared += expected[0] is not MachineError
                machine.remove_model(model)
    assert compared  # some triggers leave some stages


def test_a_finished_evaluation_tries_its_rules_in_order() -> None:
    answers = dict.fromkeys(CONDITIONS, False) | {"picks_competitor": True}
    outcome, stage, calls = _by_table("finish", "evaluating", answers, ())
    assert (outcome, stage) == (True, "lost")
    assert [call[0] for call in calls] == ["loses_its_way", "picks_competitor", "lost_to_competitor",
                                           "on_stage_changed"]
