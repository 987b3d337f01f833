"""The buying process as one transitions state machine per run, and its diagram."""

from __future__ import annotations

import logging

from transitions import Machine

from sim.stages import ACTIVE_STAGES, ENDINGS, STAGES, STALLED

# Ignored or invalid triggers would otherwise build a WARNING record each time.
logging.getLogger("transitions").setLevel(logging.ERROR)

# The buying process as data: the engine builds its Machine from this list and
# the diagram is drawn from it, so the two can never disagree.
TRANSITIONS: tuple[dict[str, object], ...] = (
    *(
        {"trigger": "advance", "source": stage, "dest": following, "conditions": "work_done"}
        for stage, following in zip(ACTIVE_STAGES[:-1], ACTIVE_STAGES[1:])
    ),
    {"trigger": "approve", "source": "approval", "dest": "won"},
    {"trigger": "reject", "source": "approval", "dest": "rejected"},
    {"trigger": "lose", "source": ["evaluating", "business_case"], "dest": "lost"},
    {"trigger": "stall", "source": list(ACTIVE_STAGES), "dest": STALLED},
    *({"trigger": f"resume_{stage}", "source": STALLED, "dest": stage} for stage in ACTIVE_STAGES),
    {"trigger": "wither", "source": STALLED, "dest": "no_decision"},
)

TRIGGER_LABELS: dict[str, str] = {
    "advance": "work done",
    "approve": "senior management approves",
    "reject": "senior management rejects",
    "lose": "competitor or status quo chosen",
    "stall": "attention lost / stuck",
    "wither": "stalled too long",
}


def new_machine() -> Machine:
    """A fresh buying-process machine for one run; deals join it with `add_model`."""
    return Machine(
        model=None,
        states=list(STAGES),
        transitions=[dict(transition) for transition in TRANSITIONS],
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
                lines.append(f"    {STALLED} --> {STALLED}_resume: resume (seller re-engages)")
                resumed = True
            lines.append(f"    {STALLED}_resume --> {dest}")
            continue
        label = TRIGGER_LABELS.get(trigger, trigger)
        for source in sources if isinstance(sources, list) else [sources]:
            lines.append(f"    {source} --> {dest}: {label}")
    if resumed:
        lines.insert(2, f"    state {STALLED}_resume <<choice>>")
    for ending in ENDINGS:
        lines.append(f"    {ending} --> [*]")
    return "\n".join(lines) + "\n"
