"""The buying process's rules: the conditions and callbacks the machine in `sim.model.buying` is built with.

Each condition draws from the deal's own outcome stream and records what was weighed
as a causal fact, so the debrief can say why without guessing.
"""

from __future__ import annotations

from typing import Final, Protocol

from sim.model.curves import rounded
from sim.model.deal import Deal
from sim.model.decisions import (
    approval_chance,
    case_strength,
    group_lean,
    initiative_score,
    lost_way_chance,
    objection_chance,
    supports,
    vendor_preference,
)
from sim.model.streams import Draws
from sim.stages import STAGE_LABELS



class ProcessWorld(Protocol):
    """What the rules need of the world (`sim.model.world.World`): its clock, streams, feed and books."""

    outcomes: dict[str, Draws]
    wither_days: int
    bookings: int

    @property
    def now(self) -> float:
        """The current day."""

    def note(self, account: str, deal: Deal | None, kind: str, text: str) -> None:
        """Add a sentence to the event feed."""

    def record(self, deal: Deal, kind: str, fact: str, **values: float | str | bool) -> None:
        """Record a causal fact about a deal."""

    def label(self, deal: Deal) -> str:
        """How the feed names a deal."""

STALL_REASONS: Final[dict[str, str]] = {
    "drift": "attention drifted to other things",
    "crisis": "a crisis pulled them away",
    "stuck": "they don't know how to take the next step",
    "freeze": "budgets are frozen",
}
# Where a stall leaves the stage's work: a group that lost its way must redo the last steps.
STALL_PROGRESS: Final = {"stuck": 0.8, "freeze": 0.9}
CHAMPION_CARRIES: Final = 0.06  # support a fully coached champion wins from each other member at every step


def _names(members: list) -> str:  # noqa: ANN001 - Members
    return ", ".join(f"{member.person.name} ({member.role.replace('_', ' ')})" for member in members)


class StageRules:
    """What happens when a deal finishes a stage, stalls, resumes or withers, for one run."""

    __deletable__ = ("world",)  # let go of when the game is over (`World.close`); compiled classes must say so

    def __init__(self, world: ProcessWorld) -> None:
        self.world = world

    # -- conditions: each decides one step and records what it weighed ------------------
    def loses_its_way(self, deal: Deal) -> bool:
        """An immature organisation, more likely with every member, does not know the next step."""
        world = self.world
        chance = lost_way_chance(deal.effective_maturity(), len(deal.group), deal.work.group_mapped)
        if world.outcomes[deal.id].random() >= chance:
            return False
        deal.stalled_from = deal.state
        deal.stall_cause = "stuck"
        deal.stalled_since = world.now
        world.record(deal, "lost_way", f"At the end of {STAGE_LABELS[deal.state]} the group of {len(deal.group)} "
                     f"did not know how to take the next step ({chance:.0%} likely: buying maturity "
                     f"{deal.effective_maturity():.2f}, {'a' if deal.plan else 'no'} plan, group "
                     f"{'mapped' if deal.work.group_mapped else 'not mapped'}).",
                     stage=deal.state, chance=rounded(chance, 3), group=len(deal.group),
                     maturity=rounded(deal.effective_maturity(), 3), plan=deal.plan is not None,
                     mapped=deal.work.group_mapped)
        return True

    def picks_competitor(self, deal: Deal) -> bool:
        """Vendor selection: each member leans to us or the competitor; the group follows its influence."""
        world, work = self.world, deal.work
        alignment = self._alignment(deal)
        leanings = [
            (member, vendor_preference(support, deal.trust, work.requirements_shaped, work.demo_strength,
                                       deal.competitor_strength, work.discounts))
            for member, support in supports(deal.group, deal.group.economic_buyer(), alignment)
        ]
        chance = group_lean(leanings)
        chosen = world.outcomes[deal.id].random() < chance
        against = [member for member, lean in leanings if lean < 0.5]
        shaped_by = "you" if work.requirements_shaped >= 0.5 else ("the competitor" if work.requirements_shaped < 0.3
                                                                  else "both sides")
        world.record(deal, "vendor_selection",
                     f"Vendor selection: {'they chose us' if chosen else 'they chose the competitor'} "
                     f"(our chance {chance:.0%}; requirements shaped by {shaped_by}; "
                     f"{'a demo' if work.demos else 'no demo'}; trust {deal.trust:.2f}; "
                     f"competitor strength {deal.competitor_strength:.2f}"
                     + (f"; leaning to the competitor: {_names(against)}" if against else "") + ").",
                     chance=rounded(chance, 3), chosen="us" if chosen else "competitor",
                     shaped=rounded(work.requirements_shaped, 3), shaped_by=shaped_by, demos=work.demos,
                     demo_strength=rounded(work.demo_strength, 3), trust=rounded(deal.trust, 3),
                     competitor=deal.competitor_strength, against=len(against))
        return not chosen

    def budget_frozen(self, deal: Deal) -> bool:
        """Budgets are frozen: the business case waits until they thaw."""
        world = self.world
        if deal.account.frozen_until <= world.now:
            return False
        deal.stalled_from = deal.state
        deal.stall_cause = "freeze"
        deal.stalled_since = world.now
        return True

    def keeps_status_quo(self, deal: Deal) -> bool:
        """The status-quo check: every member weighs the case and the urgency; one objection keeps things as they are."""
        world = self.world
        rng = world.outcomes[deal.id]
        case = case_strength(deal.business_impact, deal.value, deal.work.impact_quantified)
        urgency = deal.urgency(world.now)
        go_chance = 1.0
        objectors = []
        for member, support in supports(deal.group, deal.group.economic_buyer(), self._alignment(deal)):
            chance = objection_chance(member, support, case, urgency)
            go_chance *= 1.0 - chance
            if rng.random() < chance:
                objectors.append(member)
        blockers = [member for member in objectors if member.role == "blocker"]
        world.record(deal, "case_weighed",
                     f"The business case was weighed at strength {case:.2f} against urgency {urgency:.2f} by a "
                     f"group of {len(deal.group)} ({go_chance:.0%} likely to go ahead): "
                     + (f"kept the status quo, objections from {_names(objectors)}." if objectors
                        else "they decided to change."),
                     strength=rounded(case, 3), urgency=rounded(urgency, 3), chance=rounded(go_chance, 3),
                     go=not objectors, objections=len(objectors), blockers=len(blockers),
                     quantified=deal.work.impact_quantified,
                     buyer_objected=any(member is deal.group.economic_buyer() for member in objectors))
        return bool(objectors)

    def management_rejects(self, deal: Deal) -> bool:
        """Senior management funds what serves its top initiatives, sold by a champion, backed by a sponsor."""
        world = self.world
        alignment = self._alignment(deal)
        skill = max((member.coached for member in deal.group), default=0.0)
        buyer = deal.group.economic_buyer()
        sponsor = dict(supports([buyer], buyer, alignment))[buyer] if buyer is not None else 0.5
        case = case_strength(deal.business_impact, deal.value, deal.work.impact_quantified)
        chance = approval_chance(alignment, skill, sponsor, case, deal.trust)
        approved = world.outcomes[deal.id].random() < chance
        top = deal.account.initiatives[:2]
        world.record(deal, "approval",
                     f"Senior management {'approved' if approved else 'rejected'} it ({chance:.0%} likely): it "
                     + (f"served their top initiatives ({alignment:.2f})" if alignment > 0 else
                        f"served '{deal.initiative}', not their top two ({', '.join(top)})")
                     + f"; the best internal seller was coached to {skill:.2f}; the sponsor's support "
                     f"{sponsor:.2f}{'' if buyer is not None and buyer.met else ' (never met)'}; "
                     f"the case {case:.2f}.",
                     chance=rounded(chance, 3), approved=approved, alignment=rounded(alignment, 3),
                     champion_skill=rounded(skill, 3), sponsor=rounded(sponsor, 3),
                     sponsor_met=bool(buyer is not None and buyer.met), case=rounded(case, 3),
                     framed=deal.work.framed_initiative is not None)
        return not approved

    def _alignment(self, deal: Deal) -> float:
        return initiative_score(deal.account.initiatives, deal.initiative, deal.work.framed_initiative)

    # -- callbacks: what follows each step ---------------------------------------------
    def moved_on(self, deal: Deal, *_details: object) -> None:
        """The next stage starts from scratch; a coached champion carries the case to the others."""
        world = self.world
        deal.curves.progress0 = 0.0
        champion = max(deal.group, key=lambda member: member.coached, default=None)
        if champion is not None and champion.coached > 0:
            for member in deal.group:
                if member is not champion:
                    member.shift(CHAMPION_CARRIES * champion.coached)
        world.note(deal.account_id, deal, "moved", f"{world.label(deal)} moved to {STAGE_LABELS[deal.state]}.")

    def stalled(self, deal: Deal, *_details: object) -> None:
        """Note where and why the deal stalled."""
        world = self.world
        stage, cause = deal.stalled_from or deal.state, deal.stall_cause
        if cause in STALL_PROGRESS:
            deal.curves.progress0 = deal.stage_work(stage) * STALL_PROGRESS[cause]
        world.note(deal.account_id, deal, "stalled",
                   f"{world.label(deal)} stalled in {STAGE_LABELS[stage]}: {STALL_REASONS[cause]}.")
        world.record(deal, "stalled", f"Stalled in {STAGE_LABELS[stage]}: {STALL_REASONS[cause]} (attention "
                     f"{deal.attention(world.now):.2f}, urgency {deal.urgency(world.now):.2f}).",
                     stage=stage, cause=cause, attention=rounded(deal.attention(world.now), 3),
                     urgency=rounded(deal.urgency(world.now), 3))

    def resumed(self, deal: Deal, reason: str = "", *_details: object) -> None:
        """Note that the deal moves again."""
        world = self.world
        deal.stalled_from = None
        world.note(deal.account_id, deal, "resumed", f"{world.label(deal)} is moving again ({reason}).")
        world.record(deal, "resumed", f"Moving again in {STAGE_LABELS[deal.state]}: {reason}.", stage=deal.state,
                     reason=reason)

    def withered(self, deal: Deal, *_details: object) -> None:
        """A deal stalled too long ends in no decision."""
        world = self.world
        weeks = world.wither_days // 7
        world.note(deal.account_id, deal, "ended",
                   f"{world.label(deal)} withered into no decision after {weeks} weeks stalled.")
        world.record(deal, "withered", f"Withered into no decision after {weeks} weeks stalled in "
                     f"{STAGE_LABELS[deal.stalled_from or 'status_quo']}.", weeks=weeks,
                     stage=deal.stalled_from or "status_quo", cause=deal.stall_cause)

    def lost_to_competitor(self, deal: Deal, *_details: object) -> None:
        """The group chose the competitor."""
        world = self.world
        world.note(deal.account_id, deal, "ended", f"{world.label(deal)} chose a competitor.")

    def kept_status_quo(self, deal: Deal, *_details: object) -> None:
        """The group decided not to change: no decision, for the status quo."""
        world = self.world
        world.note(deal.account_id, deal, "ended",
                   f"{world.label(deal)}: they decided the status quo is good enough (no decision).")

    def rejected(self, deal: Deal, *_details: object) -> None:
        """Senior management said no, and the feed says why as far as the seller can tell."""
        world = self.world
        fact = deal.causes[-1]
        reasons = []
        if not fact.value("alignment"):
            reasons.append("it does not serve their top priorities")
        if float(fact.value("champion_skill", 0.0)) < 0.3:  # type: ignore[arg-type]
            reasons.append("nobody sold it upward")
        if not fact.value("sponsor_met"):
            reasons.append("no sponsor stood behind it")
        why = "; ".join(reasons) or "the numbers did not convince them"
        world.note(deal.account_id, deal, "ended", f"{world.label(deal)} was rejected by senior management: {why}.")

    def booked(self, deal: Deal, *_details: object) -> None:
        """Signed: the value is booked."""
        world = self.world
        world.bookings += deal.value
        world.note(deal.account_id, deal, "won", f"{world.label(deal)} signed: {deal.value:,} booked.")

