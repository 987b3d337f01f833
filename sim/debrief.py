"""Why each deal ended: a sentence from the deal's own trajectory, and the lesson it illustrates."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sim.model.decisions import case_strength
from sim.stages import STAGE_LABELS

if TYPE_CHECKING:
    from sim.model.deal import Deal
    from sim.model.world import World

LESSONS: dict[str, str] = {
    "create_need": "Create the need: until the customer owns the problem, talking about solutions is wasted effort.",
    "buying_project": "Treat buying as a project: help them involve the right people, define requirements and "
    "follow a joint plan.",
    "urgency": "Keep urgency alive: attention drifts unless you keep reminding them what the problem costs.",
    "align": "Align with strategy and help them sell internally: senior management backs only its top priorities.",
    "dont_push": "Don't push: pressure lowers trust and does not make them buy.",
}


def _weeks(days: float) -> str:
    weeks = round(days / 7)
    return "one week" if weeks == 1 else f"{weeks} weeks"


def _stage(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def explain(world: World, deal: Deal, done: Counter[str]) -> tuple[str, str, str]:
    """The explanation, the lesson's text and the lesson's key for a deal as it stands."""
    key, text = _explain(world, deal, done)
    return text, LESSONS.get(key, ""), key


def _explain(world: World, deal: Deal, done: Counter[str]) -> tuple[str, str]:
    ending = deal.state if deal.ended else "open"
    pushed = deal.pressure_count + deal.discounts
    if ending == "won":
        return _won(world, deal, done)
    if ending == "no_decision" or (ending == "open" and deal.stalled):
        return _withered(world, deal, done, ending)
    if ending == "lost":
        return _lost(deal, pushed)
    if ending == "rejected":
        return _rejected(world, deal)
    return _still_open(world, deal, done)


def _won(world: World, deal: Deal, done: Counter[str]) -> tuple[str, str]:
    drivers = []
    if deal.plan is not None:
        drivers.append("a joint buying plan")
    if deal.impact_quantified:
        drivers.append("a quantified impact")
    if deal.decision.get("alignment", 0.0):
        drivers.append("alignment with their top initiatives")
    if deal.champion_skill >= 0.3:
        drivers.append("a coached champion")
    closed = deal.closed_day or 0.0
    reason = f" on the strength of {', '.join(drivers)}" if drivers else " mostly on its own momentum"
    text = f"Won on day {closed:.0f}{reason}."
    if deal.pressure_count + deal.discounts >= 2:
        return "dont_push", text + f" The {deal.discounts} discounts and {deal.pressure_count} pushes cost trust and margin."
    if deal.plan is not None:
        return "buying_project", text
    if deal.decision.get("alignment", 0.0) and deal.champion_skill >= 0.3:
        return "align", text
    return "urgency", text


def _withered(world: World, deal: Deal, done: Counter[str], ending: str) -> tuple[str, str]:
    day, stage, cause = deal.stall_causes[-1] if deal.stall_causes else (0.0, deal.working_stage, "drift")
    until = deal.closed_day if deal.closed_day is not None else world.now
    stalled_for = _weeks(until - day)
    verb = "Withered" if ending == "no_decision" else "Still stalled"
    if stage == "status_quo" and deal.insights == 0:
        pitches = done.get("pitch_demo", 0)
        pitched = f"; {pitches} pitches fell on people who saw no problem" if pitches else ""
        return "create_need", (
            f"{verb} in status quo: nobody there ever felt the problem was costly enough to act on{pitched}."
        )
    if cause == "stuck":
        planned = "even with a plan" if deal.plan is not None else "and had no buying plan to follow"
        return "buying_project", (
            f"{verb} in {_stage(stage)}: they did not know how to take the next step {planned}; "
            f"stalled for {stalled_for}."
        )
    if cause == "freeze":
        return "urgency", (
            f"{verb} in {_stage(stage)}: a budget freeze stopped it and nobody made the case again "
            f"once it lifted; stalled for {stalled_for}."
        )
    why = "after a crisis pulled them away" if cause == "crisis" else "as other things took their time"
    reminded = "nobody reminded them of the impact" if deal.reminders == 0 else (
        f"{deal.reminders} check-ins never made the impact feel urgent" if not deal.impact_quantified
        else f"{deal.reminders} reminders came too late")
    return "urgency", f"{verb} in {_stage(stage)}: attention stayed low for {stalled_for} {why} and {reminded}."


def _lost(deal: Deal, pushed: int) -> tuple[str, str]:
    if deal.decision.get("lost_to") == "status_quo":
        case = "the impact was never quantified, so the change looked optional" if not deal.impact_quantified else (
            "even the quantified impact did not outweigh the cost and effort of change")
        return "urgency", f"Lost to the status quo at the business case: {case}."
    reasons = []
    if deal.trust < 0.45:
        reasons.append(f"their trust in you was low ({deal.trust:.2f})")
    if deal.requirements_shaped < 0.3:
        reasons.append("the requirements were written without you")
    if deal.demo_strength < 0.3:
        reasons.append("they never saw your solution at work")
    detail = "; ".join(reasons) if reasons else "the competitor was simply stronger this time"
    if pushed and deal.trust < 0.45:
        return "dont_push", f"Lost to a competitor in evaluation: {detail}, after {pushed} pushes and discounts."
    # Requirements written without the seller decide most evaluations: a buying-process lesson.
    return "buying_project", f"Lost to a competitor in evaluation: {detail}."


def _rejected(world: World, deal: Deal) -> tuple[str, str]:
    alignment = float(deal.decision.get("alignment", 0.0))
    top = str(deal.decision.get("top_initiatives", ""))
    original = world.scenario.account(deal.account_id).initiatives[:2]
    reasons = []
    if alignment == 0.0:
        shifted = " after their priorities shifted" if deal.initiative in original else ""
        reasons.append(f"it served '{deal.initiative}', not their top priorities ({top}){shifted}")
    if deal.champion_skill < 0.3:
        reasons.append("your champion was never coached to sell it upward")
    if case_strength(deal) < 0.5:
        reasons.append("the business case was thin")
    if not reasons:
        reasons.append("the decision went against you despite a sound deal")
    return "align", f"Rejected by senior management: {'; '.join(reasons)}."


def _still_open(world: World, deal: Deal, done: Counter[str]) -> tuple[str, str]:
    stage = _stage(deal.working_stage)
    if deal.working_stage == "status_quo" and deal.insights == 0:
        return "create_need", f"Still in status quo at the end: they never saw a reason to change."
    if deal.plan is None:
        return "buying_project", f"Still open in {stage} at the end, with no plan or date the customer owns."
    return "urgency", f"Still open in {stage} at the end: the plan slipped as attention wandered."
