"""The buying process as data: stages, triggers, the rules that decide each step, and its diagram.

The engine builds one transitions Machine per run from TRANSITIONS, resolving each
condition and callback name against the run's rules (`sim.model.process.StageRules`).
When a stage's work is done the deal fires `finish`; the machine tries the
transitions from that stage in order and takes the first whose conditions hold, so
the process rules (losing their way, vendor selection, the budget, the status-quo
check, approval) live here and nowhere else. The diagram is drawn from the same data.
"""

from __future__ import annotations

import logging
from typing import Any

from transitions import Machine

from sim.stages import ACTIVE_STAGES, ENDINGS, STAGES, STALLED

# Ignored or invalid triggers would otherwise build a WARNING record each time.
logging.getLogger("transitions").setLevel(logging.ERROR)

# Where an immature organisation can lose its way: once more than one person is involved.
PROCESS_STAGES: tuple[str, ...] = ACTIVE_STAGES[ACTIVE_STAGES.index("organizing"):]

TRANSITIONS: tuple[dict[str, Any], ...] = (
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
    *(
        {"trigger": "finish", "source": stage, "dest": following, "after": "moved_on"}
        for stage, following in zip(ACTIVE_STAGES[:-1], ACTIVE_STAGES[1:])
    ),
    # Between stages: attention lost, a crisis, a freeze; the seller or the customer re-engages; time runs out.
    {"trigger": "stall", "source": list(ACTIVE_STAGES), "dest": STALLED, "after": "stalled"},
    *({"trigger": f"resume_{stage}", "source": STALLED, "dest": stage, "after": "resumed"}
      for stage in ACTIVE_STAGES),
    {"trigger": "wither", "source": STALLED, "dest": "no_decision", "after": "withered"},
)

TRIGGER_LABELS: dict[str, str] = {
    "finish": "stage done",
    "stall": "attention lost / crisis / freeze",
    "wither": "stalled too long",
}
CONDITION_LABELS: dict[str, str] = {
    "loses_its_way": "they lose their way",
    "picks_competitor": "the group picks the competitor",
    "budget_frozen": "budgets frozen",
    "keeps_status_quo": "someone objects: status quo",
    "management_rejects": "senior management says no",
}
CALLBACK_NAMES: tuple[str, ...] = tuple(sorted(
    {str(t["after"]) for t in TRANSITIONS if "after" in t} | {str(t["conditions"]) for t in TRANSITIONS
                                                              if "conditions" in t}
))


def new_machine(rules: object) -> Machine:
    """A fresh buying-process machine for one run, its conditions and callbacks bound to `rules`.

    Deals join it with `add_model`; triggers are fired as `machine.events[name].trigger(deal, deal)`
    so that every condition and callback receives the deal.
    """
    transitions = []
    for transition in TRANSITIONS:
        bound = dict(transition)
        for key in ("conditions", "after"):
            if key in bound:
                bound[key] = getattr(rules, bound[key])
        transitions.append(bound)
    return Machine(
        model=None,
        states=list(STAGES),
        transitions=transitions,
        initial=None,
        auto_transitions=False,
        after_state_change="on_stage_changed",
        # Bind no convenience methods to each deal (about 40 per deal otherwise):
        # the world fires triggers through the machine's events instead.
        model_override=True,
    )


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
