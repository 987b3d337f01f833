"""The buying process as data: stages, triggers, the rules that decide each step, and its diagram.

A transitions Machine reads TRANSITIONS once, at import, into STEPS: for each trigger
and stage, the transitions to try in order. Each run binds the names to its rules
(`sim.model.process.StageRules`) in a `BuyingProcess` and fires triggers through that
table. When a stage's work is done the deal fires `finish`; the process tries the
transitions from that stage in order and takes the first whose conditions hold, so
the process rules (losing their way, vendor selection, the budget, the status-quo
check, approval) live here and nowhere else. The diagram is drawn from the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Protocol

from transitions import Machine, MachineError

from sim.stages import ACTIVE_STAGES, ENDINGS, STAGES, STALLED


class Staged(Protocol):
    """What the process needs of a deal: its stage, and to be told when the stage changed."""

    state: str

    def on_stage_changed(self) -> None:
        """The stage has just changed."""

# Where an immature organisation can lose its way: once more than one person is involved.
PROCESS_STAGES: Final[tuple[str, ...]] = ACTIVE_STAGES[ACTIVE_STAGES.index("organizing"):]

TRANSITIONS: Final[tuple[dict[str, Any], ...]] = (
    # A stage's work is done: the first rule that holds decides where the deal goes.
    {"trigger": "finish", "source": list(PROCESS_STAGES), "dest": STALLED, "conditions": "loses_its_way",
     "after": "stalled"},
    {"trigger": "finish", "source": "evaluating", "dest": "lost", "conditions": "picks_competitor",
     "after": "lost_to_competitor"},
    {"trigger": "finish", "source": "business_case", "dest": STALLED, "conditions": "budget_frozen",
     "after": "stalled"},
    {"trigger": "finish", "source": "business_case", "dest": "no_decision", "conditions": "keeps_status_quo",
     "after": "kept_status_quo"},
    {"trigger": "finish", "source": "approval", "dest": "rejected", "conditions": "management_rejects",
     "after": "rejected"},
    {"trigger": "finish", "source": "approval", "dest": "won", "after": "booked"},
    *[
        {"trigger": "finish", "source": stage, "dest": following, "after": "moved_on"}
        for stage, following in zip(ACTIVE_STAGES[:-1], ACTIVE_STAGES[1:])
    ],
    # Between stages: attention lost, a crisis, a freeze; the seller or the customer re-engages; time runs out.
    {"trigger": "stall", "source": list(ACTIVE_STAGES), "dest": STALLED, "after": "stalled"},
    *[{"trigger": f"resume_{stage}", "source": STALLED, "dest": stage, "after": "resumed"}
      for stage in ACTIVE_STAGES],
    {"trigger": "wither", "source": STALLED, "dest": "no_decision", "after": "withered"},
)

TRIGGER_LABELS: Final[dict[str, str]] = {
    "finish": "stage done",
    "stall": "attention lost / crisis / freeze",
    "wither": "stalled too long",
}
CONDITION_LABELS: Final[dict[str, str]] = {
    "loses_its_way": "they lose their way",
    "picks_competitor": "the group picks the competitor",
    "budget_frozen": "budgets frozen",
    "keeps_status_quo": "someone objects: status quo",
    "management_rejects": "senior management says no",
}
CALLBACK_NAMES: Final[tuple[str, ...]] = tuple(sorted(
    {str(t["after"]) for t in TRANSITIONS if "after" in t} | {str(t["conditions"]) for t in TRANSITIONS
                                                              if "conditions" in t}
))


@dataclass(frozen=True, slots=True)
class Step:
    """One transition a trigger may take from a stage: where to, the conditions that must all hold, what follows."""

    dest: str
    conditions: tuple[str, ...]
    after: tuple[str, ...]


def _steps() -> dict[str, dict[str, tuple[Step, ...]]]:
    """Each trigger's steps from each stage, in the order transitions tries them.

    Read off the one transitions Machine built from TRANSITIONS (names unresolved, no
    model), so the library validates the definition and decides the order.
    """
    machine = Machine(model=None, states=list(STAGES), transitions=list(TRANSITIONS), initial=None,
                      auto_transitions=False)
    return {
        trigger: {
            source: tuple(Step(str(transition.dest), tuple(str(condition.func) for condition in transition.conditions),
                               tuple(str(name) for name in transition.after)) for transition in found)
            for source, found in event.transitions.items()
        }
        for trigger, event in machine.events.items()
    }


STEPS: Final[dict[str, dict[str, tuple[Step, ...]]]] = _steps()


class BuyingProcess:
    """The buying process of one run: STEPS, with the conditions and callbacks of the run's rules.

    Firing a trigger does what transitions does with the same definition: from the
    deal's stage, the first step whose conditions all hold (each called with the deal
    and the trigger's details, in order, stopping at the first that fails) is taken:
    the stage changes, the step's callbacks run, then `Deal.on_stage_changed`. It costs
    a dictionary lookup instead of a transitions event, and deals need no `add_model`.
    """

    __slots__ = ("_rules", "_steps")

    def __init__(self, rules: object) -> None:
        self._rules = rules
        self._steps = _functions(type(rules))  # type: ignore[arg-type]  # a class of rules is hashable

    def fire(self, deal: Staged, trigger: str, *details: object) -> bool:
        """Fire `trigger` on `deal`; True if a step was taken. Raises MachineError if none leaves its stage."""
        steps = self._steps[trigger].get(deal.state)
        if steps is None:
            raise MachineError(f"Can't trigger event {trigger} from state {deal.state}!")
        rules = self._rules
        for dest, conditions, after in steps:
            for condition in conditions:
                if not condition(rules, deal, *details):
                    break
            else:
                deal.state = dest
                for callback in after:
                    callback(rules, deal, *details)
                deal.on_stage_changed()
                return True
        return False


Functions = tuple[Callable[..., Any], ...]


@cache
def _functions(rules: type) -> dict[str, dict[str, tuple[tuple[str, Functions, Functions], ...]]]:
    """STEPS with each name resolved to the function of that name in a class of rules (once per class)."""

    def resolved(names: tuple[str, ...]) -> Functions:
        return tuple(getattr(rules, name) for name in names)

    return {
        trigger: {source: tuple((step.dest, resolved(step.conditions), resolved(step.after)) for step in steps)
                  for source, steps in by_source.items()}
        for trigger, by_source in STEPS.items()
    }


def mermaid() -> str:
    """The buying process as a Mermaid state diagram, drawn from TRANSITIONS."""
    lines = ["stateDiagram-v2", f"    [*] --> {ACTIVE_STAGES[0]}"]
    resumed = False
    for transition in TRANSITIONS:
        trigger = str(transition["trigger"])
        sources = transition["source"]
        dest = str(transition["dest"])
        if trigger.startswith("resume_"):
            if not resumed:
                lines.append(f"    {STALLED} --> {STALLED}_resume: resume (re-engaged)")
                resumed = True
            lines.append(f"    {STALLED}_resume --> {dest}")
            continue
        label = TRIGGER_LABELS.get(trigger, trigger)
        condition = transition.get("conditions")
        if condition:
            label += f" [{CONDITION_LABELS.get(condition, condition)}]"
        for source in sources if isinstance(sources, list) else [sources]:
            lines.append(f"    {source} --> {dest}: {label}")
    if resumed:
        lines.insert(2, f"    state {STALLED}_resume <<choice>>")
    for ending in ENDINGS:
        lines.append(f"    {ending} --> [*]")
    return "\n".join(lines) + "\n"
