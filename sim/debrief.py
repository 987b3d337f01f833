"""Why each deal ended, derived from the causal facts the engine recorded as they happened.

Nothing here is looked up by ending: every clause comes from a recorded fact (a stall
and its cause, a decision and what it weighed, what the seller did and when). A deal
may illustrate several of the five lessons, or none: a competitor that was simply
stronger is said so plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sim.model.causes import Cause
from sim.stages import STAGE_LABELS

if TYPE_CHECKING:
    from sim.model.deal import Deal

LESSONS: Final[dict[str, str]] = {
    "create_need": "Create the need: until the customer owns the problem, talking about solutions is wasted effort.",
    "buying_project": "Treat buying as a project: help them involve the right people, define requirements and "
    "follow a joint plan.",
    "urgency": "Keep urgency alive: attention drifts unless you keep reminding them what the problem costs.",
    "align": "Align with strategy and help them sell internally: senior management backs only its top priorities.",
    "dont_push": "Don't push: pressure lowers trust and does not make them buy.",
}
LOW_ATTENTION: Final = 0.35  # a reminder given below this attention came when the deal was already slipping
REMINDER_WINDOW: Final = 14.0  # days before a stall in which a reminder counts as in time
PUSHES_THAT_COUNT: Final = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """One clause of an explanation: the lesson it illustrates (or None), said in full and briefly."""

    lesson: str | None
    full: str
    brief: str


@dataclass(frozen=True, slots=True)
class Story:
    """A deal's explanation: the reason it ended, the sentence, and the lessons it illustrates."""

    reason: str
    text: str
    brief: str
    lesson_keys: tuple[str, ...]

    @property
    def lesson_key(self) -> str | None:
        """The main lesson, or None."""
        return self.lesson_keys[0] if self.lesson_keys else None

    @property
    def lesson(self) -> str:
        """The main lesson's text ("" for none)."""
        return LESSONS[self.lesson_keys[0]] if self.lesson_keys else ""


class Facts:
    """A deal's recorded causes, with the questions the debrief asks of them."""

    def __init__(self, causes: Sequence[Cause]) -> None:
        self.causes = causes
        self._by_kind: dict[str, list[Cause]] = {}  # the questions ask by kind: sorted once
        for cause in causes:
            self._by_kind.setdefault(cause.kind, []).append(cause)

    def of(self, kind: str) -> list[Cause]:
        """Every fact of one kind, oldest first."""
        return list(self._by_kind.get(kind, ()))

    def last(self, kind: str) -> Cause | None:
        """The latest fact of one kind."""
        found = self._by_kind.get(kind)
        return found[-1] if found else None

    def felt_the_problem(self) -> bool:
        """Insight landed or the impact was quantified: the customer came to own the problem."""
        return bool(self.of("insight") or self.of("impact_quantified"))

    def pushes(self) -> int:
        """Pressure and discounts."""
        return len(self.of("pressure")) + len(self.of("discount"))

    def met(self, role: str) -> bool:
        """Someone in `role` was met one-to-one."""
        return any(cause.value("role") == role for cause in self.of("met"))


def _weeks(days: float) -> str:
    weeks = round(days / 7)
    return "one week" if weeks == 1 else f"{weeks} weeks"


def _stage(stage: object) -> str:
    return STAGE_LABELS.get(str(stage), str(stage))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def explain(deal: Deal, end_day: float) -> Story:
    """The story of a deal as it stands, from its recorded causes."""
    facts = Facts(deal.causes)
    ending = deal.state if deal.ended else "open"
    if ending == "won":
        reason, opening, findings = "signed", f"Won on day {deal.closed_day or 0.0:.0f}", _won(deal, facts)
    elif ending == "lost":
        reason, opening, findings = "competitor", "Lost to the competitor", _lost(facts)
    elif ending == "rejected":
        reason, opening, findings = "senior_management", "Rejected by senior management", _rejected(deal, facts)
    elif ending == "no_decision" and _kept_status_quo(facts):
        reason, opening, findings = "status_quo", "No decision: they kept the status quo", _status_quo(facts)
    elif ending == "no_decision":
        stall = facts.last("stalled")
        stage = stall.value("stage") if stall else deal.working_stage
        reason, opening = "withered", f"No decision: withered in {_stage(stage)}"
        findings = _stalled(deal, facts, deal.closed_day or end_day)
    elif deal.stalled:
        reason, opening = "stalled", f"Still stalled in {_stage(deal.working_stage)} at the end"
        findings = _stalled(deal, facts, end_day)
    else:
        reason, opening = "moving", f"Still open in {_stage(deal.working_stage)} at the end"
        findings = _open(deal, facts)
    if ending != "won" and facts.pushes() >= PUSHES_THAT_COUNT:
        findings.append(Finding("dont_push", f"your {facts.pushes()} pushes and discounts cost trust",
                                "pushing cost trust"))
    keys: list[str] = []
    for finding in findings:
        if finding.lesson is not None and finding.lesson not in keys:
            keys.append(finding.lesson)
    full = opening + (": " + "; ".join(f.full for f in findings) if findings else "") + "."
    briefs = [finding.brief for finding in findings if finding.brief][:2]
    brief = opening + (": " + "; ".join(briefs) if briefs else "") + "."
    return Story(reason, full, brief, tuple(keys))


def in_game_line(deal: Deal) -> str:
    """An ended deal's explanation as the seller can know it during the game (no hidden values)."""
    return explain(deal, deal.closed_day or 0.0).brief


def _kept_status_quo(facts: Facts) -> bool:
    case = facts.last("case_weighed")
    return case is not None and not case.value("go") and facts.last("withered") is None


def _won(deal: Deal, facts: Facts) -> list[Finding]:
    findings = []
    pushes = facts.pushes()
    if pushes >= PUSHES_THAT_COUNT:
        findings.append(Finding("dont_push", f"the {pushes} pushes and discounts cost trust and margin on the way",
                                "the pushes cost trust and margin"))
    if deal.start_stage == "status_quo" and facts.felt_the_problem():
        findings.append(Finding("create_need", "it started in the status quo and you created the need",
                                "you created the need"))
    plan = facts.last("plan_agreed")
    if plan is not None:
        lost = len(facts.of("lost_way"))
        findings.append(Finding(
            "buying_project", f"a joint buying plan (agreed on day {plan.day:.0f}) kept it on track"
            + (f" through {_plural(lost, 'moment')} they lost their way" if lost else ""),
            "a joint plan kept it on track"))
    reminded = [c for c in facts.of("reminder") if float(c.value("attention", 1.0)) < LOW_ATTENTION]  # type: ignore[arg-type]
    if reminded and facts.of("impact_quantified"):
        findings.append(Finding("urgency", f"{_plural(len(reminded), 'reminder')} of the quantified impact caught "
                                "attention as it dropped", "reminders kept attention up"))
    approval = facts.last("approval")
    if approval is not None and (facts.of("reframed") or float(approval.value("champion_skill", 0.0)) >= 0.3):  # type: ignore[arg-type]
        how = [text for present, text in ((facts.of("reframed"), "re-framed to their top initiative"),
                                          (float(approval.value("champion_skill", 0.0)) >= 0.3,  # type: ignore[arg-type]
                                           "a coached champion sold it upward")) if present]
        findings.append(Finding("align", " and ".join(how) + " at approval", "it was aligned and sold upward"))
    if not findings:
        findings.append(Finding(None, "mostly on its own momentum", "mostly on its own momentum"))
    return findings


def _lost(facts: Facts) -> list[Finding]:
    selection = facts.last("vendor_selection")
    if selection is None:
        return []
    chance = float(selection.value("chance", 0.0))  # type: ignore[arg-type]
    findings = []
    if selection.value("shaped_by") == "the competitor":
        findings.append(Finding("buying_project", "the requirements were written without you, on the "
                                "competitor's terms", "the requirements were written without you"))
    if not selection.value("demos"):
        findings.append(Finding(None, "they never saw your solution at work", "they never saw a demo"))
    if float(selection.value("trust", 0.5)) < 0.45:  # type: ignore[arg-type]
        findings.append(Finding(None, f"their trust in you was low ({float(selection.value('trust', 0.0)):.2f})",  # type: ignore[arg-type]
                                "their trust in you was low"))
    if not findings and facts.pushes() >= PUSHES_THAT_COUNT:
        findings.append(Finding(None, f"the competitor was stronger this time (our chance was {chance:.0%})",
                                "the competitor was stronger this time"))
    elif not findings:  # nothing the seller did or left undone shows in the facts
        findings.append(Finding(None, f"the competitor was simply stronger this time (our chance was {chance:.0%})",
                                "the competitor was simply stronger this time"))
    return findings


def _status_quo(facts: Facts) -> list[Finding]:
    case = facts.last("case_weighed")
    assert case is not None
    strength = float(case.value("strength", 0.0))  # type: ignore[arg-type]
    urgency = float(case.value("urgency", 0.0))  # type: ignore[arg-type]
    findings = []
    if not case.value("quantified"):
        findings.append(Finding("create_need", "the impact was never quantified, so the change looked optional",
                                "the impact was never quantified"))
    if urgency < 0.2:
        findings.append(Finding("urgency", "by then the urgency they felt had faded", "their urgency had faded"))
    if case.value("buyer_objected") and not facts.met("economic_buyer"):
        findings.append(Finding("align", "the economic buyer objected and you had never met them",
                                "the economic buyer objected"))
    if case.value("blockers") and not facts.met("blocker"):
        findings.append(Finding("align", "a blocker objected and nobody had won them over", "a blocker objected"))
    if not findings:
        objections = int(case.value("objections", 1))  # type: ignore[arg-type]
        findings.append(Finding(None, f"{_plural(objections, 'objection')} in a group that had heard a sound case",
                                "someone in the group still objected"))
    findings.insert(0, Finding(None, f"the case was weighed at strength {strength:.2f} against urgency "
                               f"{urgency:.2f}", ""))
    return findings


def _rejected(deal: Deal, facts: Facts) -> list[Finding]:
    approval = facts.last("approval")
    if approval is None:
        return []
    findings = []
    if not approval.value("alignment"):
        shifted = any(float(c.value("alignment_before", 0.0)) > 0 for c in facts.of("priority_shift"))  # type: ignore[arg-type]
        findings.append(Finding(
            "align", f"it served '{deal.initiative}', not their top priorities"
            + (" after their priorities shifted" if shifted else ""), "it did not serve their top priorities"))
    if float(approval.value("champion_skill", 0.0)) < 0.3:  # type: ignore[arg-type]
        findings.append(Finding("align", "nobody was coached to sell it upward", "nobody sold it upward"))
    if not approval.value("sponsor_met"):
        findings.append(Finding("align", "you never met the economic buyer", "no sponsor stood behind it"))
    if not findings:
        findings.append(Finding(None, f"the decision went against a sound deal (it was "
                                f"{float(approval.value('chance', 0.0)):.0%} likely to pass)",  # type: ignore[arg-type]
                                "the decision went against a sound deal"))
    return findings


def _stalled(deal: Deal, facts: Facts, until: float) -> list[Finding]:
    stall = facts.last("stalled")
    if stall is None:
        return []
    stage, cause = stall.value("stage"), stall.value("cause")
    stalled_for = _weeks(until - stall.day)
    if stage == "status_quo" and not facts.felt_the_problem():
        pitches = len(facts.of("pitched_in_status_quo"))
        return [Finding("create_need", "nobody there ever felt the problem was costly enough to act on"
                        + (f"; {_plural(pitches, 'pitch')} fell on people who saw no problem" if pitches else ""),
                        "nobody there felt the problem")]
    if cause == "stuck":
        planned = "even with a plan" if facts.of("plan_agreed") else "and had no buying plan to follow"
        return [Finding("buying_project", f"they did not know how to take the next step {planned}; stalled for "
                        f"{stalled_for}", "they did not know how to take the next step")]
    if cause == "freeze":
        return [Finding("urgency", f"a budget freeze stopped it and nobody made the case again once it lifted; "
                        f"stalled for {stalled_for}", "a budget freeze stopped it")]
    why = "after a crisis pulled them away" if cause == "crisis" else "as other things took their time"
    return [Finding("urgency", f"attention stayed low for {stalled_for} {why}, and {_reminders(facts, stall)}",
                    f"attention drifted {why}")]


def _reminders(facts: Facts, stall: Cause) -> str:
    """What the reminders did around a stall, from when they were given."""
    reminders = facts.of("reminder")
    if not reminders:
        return "nobody reminded them of the impact"
    before = [c for c in reminders if stall.day - REMINDER_WINDOW <= c.day <= stall.day]
    after = [c for c in reminders if c.day > stall.day]
    if not before and after:
        late = after[0].day - stall.day
        return f"reminders came too late: the first came {late:.0f} days after it stalled"
    if not facts.of("impact_quantified"):
        return f"{_plural(len(reminders), 'check-in')} never made the impact feel urgent (it was never quantified)"
    return f"{_plural(len(reminders), 'reminder')} could not hold their attention"


def _open(deal: Deal, facts: Facts) -> list[Finding]:
    if deal.working_stage == "status_quo" and not facts.felt_the_problem():
        return [Finding("create_need", "they never saw a reason to change", "they never saw a reason to change")]
    return []
