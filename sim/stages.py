"""Names of the buying stages, stakeholder roles and event kinds (the scenario contract)."""

from __future__ import annotations

from typing import Final

# The active stages a customer moves through, in order, before a decision.
ACTIVE_STAGES: Final[tuple[str, ...]] = (
    "status_quo",
    "dissatisfied",
    "organizing",
    "requirements",
    "evaluating",
    "business_case",
    "approval",
)
STALLED: Final = "stalled"
ENDINGS: Final[tuple[str, ...]] = ("won", "lost", "no_decision", "rejected")
STAGES: Final[tuple[str, ...]] = (*ACTIVE_STAGES, STALLED, *ENDINGS)

ROLES: Final[tuple[str, ...]] = ("champion", "economic_buyer", "user", "technical", "procurement", "blocker")
EVENT_KINDS: Final[tuple[str, ...]] = ("crisis", "priority_shift", "stakeholder_leaves", "budget_freeze")

STAGE_LABELS: Final[dict[str, str]] = {
    "status_quo": "status quo",
    "dissatisfied": "dissatisfied",
    "organizing": "organizing",
    "requirements": "requirements",
    "evaluating": "evaluating",
    "business_case": "business case",
    "approval": "approval",
    "stalled": "stalled",
    "won": "won",
    "lost": "lost",
    "no_decision": "no decision",
    "rejected": "rejected",
}


# How a game can leave a deal: one of the endings, or still open when the game ends.
OPEN: Final = "open"
ENDING_KEYS: Final[tuple[str, ...]] = (*ENDINGS, OPEN)
ENDING_LABELS: Final[dict[str, str]] = {**{ending: STAGE_LABELS[ending] for ending in ENDINGS}, OPEN: "still open"}
ENDING_SHORT_LABELS: Final[dict[str, str]] = {**ENDING_LABELS, "no_decision": "no dec.", OPEN: "open"}

_STAGE_INDEX: Final[dict[str, int]] = {stage: index for index, stage in enumerate(ACTIVE_STAGES)}


def stage_index(stage: str) -> int:
    """Position of an active stage in the buying process (endings sort after approval)."""
    return _STAGE_INDEX.get(stage, len(ACTIVE_STAGES))
