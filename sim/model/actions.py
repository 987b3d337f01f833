"""The seller's actions: the catalog, and what each does to a deal and its people depending on their state.

Each action whose effect depends on the moment has a `why not` rule: the reason it
will do little now, or None. The effect itself checks that rule, and the game's
guidance shows the same sentence, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sim.model.curves import clamp, rounded
from sim.model.deal import Deal
from sim.model.decisions import initiative_score, sponsor_view
from sim.model.group import FEELS_THE_PROBLEM, Member
from sim.model.streams import Draws
from sim.model.world import RESUME_LEVEL, World
from sim.stages import stage_index


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One entry of the action catalog."""

    name: str
    label: str
    hours: int
    lead_days: int
    explanation: str
    target_role: str | None = None  # the person it is aimed at by default; None: the whole deal
    falls_back: bool = False  # if that person is not known yet, the best-placed person the seller knows


CATALOG: Final[tuple[ActionSpec, ...]] = (
    ActionSpec("share_insight", "Share insight", 4, 2,
               "Teach them something about their business that makes the status quo look costly."),
    ActionSpec("quantify_impact", "Quantify business impact", 6, 3,
               "Work out with them what the problem costs per year; urgency they own follows the size of it."),
    ActionSpec("map_buying_group", "Map the buying group", 3, 1,
               "Find out who is involved in the decision and where each one stands."),
    ActionSpec("co_create_plan", "Co-create a buying plan", 6, 3,
               "Agree the steps, owners and a target date with them; a plan keeps buying on track."),
    ActionSpec("define_requirements", "Help define requirements", 4, 2,
               "Help them work out what they need; criteria you shaped favour you in the evaluation."),
    ActionSpec("remind_impact", "Remind of impact / check in", 1, 1,
               "A short call that brings the problem back to mind; works through the impact they already feel."),
    ActionSpec("align_initiatives", "Align to strategic initiatives", 4, 3,
               "Learn from the sponsor the account's current top initiatives and frame the deal as serving them.",
               target_role="economic_buyer", falls_back=True),
    ActionSpec("coach_champion", "Coach the champion", 3, 2,
               "Prepare someone who backs the deal to sell it internally to senior management.",
               target_role="champion"),
    ActionSpec("meet_sponsor", "Meet the executive sponsor", 5, 7,
               "Meet one person one-to-one (by default the economic buyer): win them over, hear what matters to them.",
               target_role="economic_buyer"),
    ActionSpec("pitch_demo", "Pitch / demo the solution", 3, 2,
               "Present your solution; it only lands once they are looking for one."),
    ActionSpec("pressure_close", "Pressure to close", 1, 0,
               "Push for a signature now. Customers rarely like it."),
    ActionSpec("offer_discount", "Offer a discount", 1, 0,
               "Cut the price by 10% to get them moving."),
)
ACTIONS: Final[dict[str, ActionSpec]] = {spec.name: spec for spec in CATALOG}
MAX_DISCOUNTS: Final = 3
PRESSURE_ACTIONS: Final = frozenset({"pressure_close", "offer_discount"})
PROCESS_HELP: Final = frozenset({"map_buying_group", "co_create_plan", "define_requirements", "meet_sponsor"})

Effect = Callable[[World, Deal, Member | None, Draws], str]


# -- why an action will do little now (the same rules the effects follow) -------------------

def _no_problem_felt(deal: Deal) -> str | None:
    if deal.working_stage == "status_quo" and deal.felt < 0.05:
        return "they don't feel a problem yet"
    return None


def why_not_insight(world: World, deal: Deal) -> str | None:
    """Insight works best before they feel the problem; later it is a fresh perspective at most."""
    if deal.working_stage != "status_quo" and deal.felt >= 0.9:
        return "they already feel the problem; insight adds little now"
    return None


def why_not_quantify(world: World, deal: Deal) -> str | None:
    """Once quantified, the impact is known."""
    return "the impact is already quantified" if deal.work.impact_quantified else None


def why_not_map(world: World, deal: Deal) -> str | None:
    """A mapped group stays mapped until someone leaves."""
    return "you already know everyone in the buying group" if deal.work.group_mapped else None


def why_not_plan(world: World, deal: Deal) -> str | None:
    """Nobody owns a plan to buy something they don't need yet."""
    if deal.working_stage == "status_quo":
        return "nobody will own a plan to buy something they don't need yet"
    return None


def why_not_requirements(world: World, deal: Deal) -> str | None:
    """Requirements are shaped while they are written."""
    stage = deal.working_stage
    if stage in ("organizing", "requirements", "evaluating"):
        return None
    if stage_index(stage) < stage_index("organizing"):
        return "they are not writing requirements yet"
    return "their requirements are settled"


def why_not_remind(world: World, deal: Deal) -> str | None:
    """A reminder works through the impact they already feel."""
    return _no_problem_felt(deal)


def why_not_align(world: World, deal: Deal) -> str | None:
    """Alignment matters once the deal heads for senior management."""
    known = deal.work.known_initiatives
    if known is not None and known == tuple(deal.account.initiatives) and (
            initiative_score(known, deal.initiative, deal.work.framed_initiative) > 0):
        return "it already fits their top initiatives as you know them"
    return None


def why_not_coach(world: World, deal: Deal) -> str | None:
    """Coaching pays once the deal must be sold internally."""
    if deal.working_stage == "status_quo":
        return "there is nothing to sell internally yet"
    return None


def why_not_meet(world: World, deal: Deal) -> str | None:
    """A sponsor meeting needs a reason to meet."""
    return _no_problem_felt(deal)


def why_not_pitch(world: World, deal: Deal) -> str | None:
    """A pitch lands only while they choose a solution."""
    stage = deal.working_stage
    if stage == "status_quo":
        return "they don't feel a problem yet"
    if stage_index(stage) < stage_index("evaluating"):
        return "they are not choosing a solution yet"
    if stage_index(stage) > stage_index("evaluating"):
        return "they have chosen already"
    return None


def why_not_pressure(world: World, deal: Deal) -> str | None:
    """Pressure costs trust; it only nudges a deal that is nearly done."""
    if deal.stalled or deal.working_stage not in ("business_case", "approval"):
        return "pressure before they are nearly done only pushes them away"
    return None


def why_not_discount(world: World, deal: Deal) -> str | None:
    """A discount only weighs in a vendor choice."""
    if stage_index(deal.working_stage) > stage_index("evaluating"):
        return "they have chosen already; a discount only costs margin"
    if deal.working_stage == "status_quo":
        return "a lower price does not create a need"
    return None


# -- effects ------------------------------------------------------------------------------

def _engage(world: World, deal: Deal, attention: float, urgency: float = 0.0, *, guides: bool = False) -> bool:
    """Lift attention and urgency; a stalled deal lifted above the resume level moves again.

    A customer stuck because it does not know how to buy is only moved by help
    with the buying process itself (`guides`), not by more attention.
    """
    curves = deal.curves
    curves.attention0 = clamp(curves.attention0 + attention)
    curves.urgency0 = clamp(curves.urgency0 + urgency)
    deal.work.last_touch_day = world.now
    stuck = deal.stall_cause == "stuck"
    if deal.stalled and deal.engagement(world.now) >= RESUME_LEVEL and (guides or not stuck):
        return world.resume(deal, "you helped them take the next step" if stuck else "you re-engaged them")
    return False


def roi(deal: Deal) -> float:
    """Yearly business impact per unit of price."""
    return deal.business_impact / max(1, deal.value)


def impact_urgency(deal: Deal) -> float:
    """Urgency a fully felt impact creates: larger impacts relative to price create more."""
    return min(0.9, 0.3 + 0.1 * roi(deal))


def share_insight(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Teach them what the status quo costs: the only way, with a quantified impact, to create the need."""
    quality = rng.uniform(0.6, 1.0) * (0.5 + deal.trust)
    deal.work.insights += 1
    deal.account.adjust_trust(0.02)
    if deal.working_stage == "status_quo":
        size = min(1.0, 0.4 + 0.12 * roi(deal))
        deal.felt = clamp(deal.felt + 0.35 * quality)
        deal.curves.progress0 += 1.0 * quality
        deal.group.shift(0.05 * quality, FEELS_THE_PROBLEM)
        _engage(world, deal, 0.15, 0.35 * quality * size)
        world.record(deal, "insight", "Your insight made them feel what the status quo costs.",
                     felt=rounded(deal.felt, 3))
        return "your insight landed: they start to see what the status quo costs them."
    deal.felt = clamp(deal.felt + 0.1 * quality)
    deal.group.shift(0.03 * quality, FEELS_THE_PROBLEM)
    _engage(world, deal, 0.08, 0.1 * quality * deal.felt)
    return "they appreciated the fresh perspective."


def quantify_impact(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Put a number on the problem with them; urgency they own follows its size."""
    in_status_quo = deal.working_stage == "status_quo"
    deal.work.impact_quantified = True
    deal.felt = max(deal.felt, 0.6 if in_status_quo else 1.0)
    deal.account.adjust_trust(0.02)
    deal.curves.urgency0 = max(deal.curves.urgency0, impact_urgency(deal) * deal.felt * rng.uniform(0.9, 1.1))
    deal.group.shift(0.04, FEELS_THE_PROBLEM)
    buyer = deal.group.economic_buyer()
    if buyer is not None:
        buyer.shift(0.08)
    if in_status_quo:
        deal.curves.progress0 += 0.8
    elif deal.working_stage == "business_case":
        deal.curves.progress0 += 0.75
    _engage(world, deal, 0.1)
    world.record(deal, "impact_quantified", f"You quantified the impact with them at {deal.business_impact:,} "
                 "a year.", in_status_quo=in_status_quo)
    return f"together you put the impact at {deal.business_impact:,} a year; they own that number now."


def map_buying_group(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Discover everyone in the buying group; a mapped group loses its way less often."""
    for member in deal.group:
        deal.account.discover(member.person)
    deal.work.group_mapped = True
    if deal.working_stage == "organizing":
        deal.curves.progress0 += 0.5
    _engage(world, deal, 0.05, guides=True)
    world.record(deal, "group_mapped", f"You mapped a buying group of {len(deal.group)}.", group=len(deal.group))
    return f"you mapped a buying group of {len(deal.group)}."


def co_create_plan(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Agree a buying plan with milestones and a close date; it lends an immature buyer structure."""
    reason = why_not_plan(world, deal)
    if reason:
        return f"they agreed politely, but {reason}."
    plan = world.make_plan(deal)
    deal.account.adjust_trust(0.03)
    champion = deal.group.champion()
    if champion is not None:
        champion.shift(0.03)
    _engage(world, deal, 0.15, 0.05 * deal.felt, guides=True)
    world.record(deal, "plan_agreed", f"You agreed buying plan {plan.version} with them: close on day "
                 f"{plan.close_day:.0f}.", version=plan.version, close_day=plan.close_day)
    return f"you agreed a buying plan with them: target close on day {plan.close_day:.0f}."


def define_requirements(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Shape their requirements while they are written; shaped criteria win evaluations."""
    reason = why_not_requirements(world, deal)
    if reason:
        return f"it was not the moment: {reason}."
    stage = deal.working_stage
    users = frozenset({"technical", "user"})
    if stage == "evaluating":
        deal.work.requirements_shaped = clamp(deal.work.requirements_shaped + 0.2)
        deal.group.shift(0.02, users)
        _engage(world, deal, 0.05)
        return "their criteria were mostly set already; you tuned a few."
    deal.work.requirements_shaped = clamp(deal.work.requirements_shaped + 0.5)
    deal.group.shift(0.05, users)
    if stage == "requirements":
        deal.curves.progress0 += 0.5
    _engage(world, deal, 0.08, guides=True)
    return "you helped them write requirements that fit what you do well."


def remind_impact(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Bring the problem back to mind; it works only through the impact they already feel."""
    work = deal.work
    recently = world.now - work.last_touch_day < 6 and work.reminders > 0
    factor = 0.5 if recently else 1.0
    work.reminders += 1
    felt = 1.0 if work.impact_quantified else deal.felt * 0.3
    size = min(1.0, roi(deal) / 5.0) * max(felt, 0.15)
    urgency = max(0.0, 0.8 * impact_urgency(deal) * felt - deal.urgency(world.now))
    attention_before = deal.attention(world.now)
    resumed = _engage(world, deal, factor * (0.05 + 0.3 * size), factor * urgency)
    world.record(deal, "reminder", f"You reminded them of the impact (attention was {attention_before:.2f}).",
                 attention=rounded(attention_before, 3), stalled=deal.stalled and not resumed, felt=rounded(felt, 3))
    if resumed:
        return "your check-in got them moving again."
    reason = why_not_remind(world, deal)
    if reason:
        return f"a friendly check-in, but {reason}."
    return "you reminded them what the problem costs." if work.impact_quantified else "a friendly check-in."


def align_initiatives(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Learn their current top initiatives from the sponsor and frame the deal around them."""
    account = deal.account
    deal.work.known_initiatives = tuple(account.initiatives)
    native = initiative_score(account.initiatives, deal.initiative)
    deal.account.adjust_trust(0.01)
    who = target.person.name if target is not None else "them"
    if native > 0:
        deal.work.framed_initiative = None
        _engage(world, deal, 0.05)
        return f"{who} confirmed it serves their #{account.initiatives.index(deal.initiative) + 1} initiative."
    deal.work.framed_initiative = account.initiatives[0]
    if target is not None:
        target.shift(0.1 if account.initiatives[0] in (target.person.priorities or account.initiatives[:1]) else 0.04)
    _engage(world, deal, 0.08)
    world.record(deal, "reframed", f"You re-framed the deal around their top initiative '{account.initiatives[0]}'.",
                 initiative=account.initiatives[0])
    return f"with {who} you re-framed the deal around their top initiative, '{account.initiatives[0]}'."


def coach_champion(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Prepare someone who backs the deal to sell it upward; coaching an opponent does little."""
    if target is None:
        _engage(world, deal, 0.02)
        return "there is nobody you know there to coach."
    gain = 0.4 * (0.5 + deal.trust) * rng.uniform(0.8, 1.2) * (0.5 + target.support)
    target.coached = clamp(target.coached + gain)
    _engage(world, deal, 0.05)
    world.record(deal, "coached", f"You coached {target.person.name} ({target.role.replace('_', ' ')}) to "
                 f"{target.coached:.2f}.", person=target.person.name, role=target.role,
                 skill=rounded(target.coached, 3))
    return f"you coached {target.person.name} on selling it internally."


def meet_sponsor(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Meet one person one-to-one: attention from the top, their support, and what matters to them."""
    if target is None:
        _engage(world, deal, 0.05)
        return "you could not get a meeting with anyone who decides."
    account = deal.account
    alignment = initiative_score(account.initiatives, deal.initiative, deal.work.framed_initiative)
    buyer = deal.group.economic_buyer()
    if target is buyer and not target.met:
        # Until now they judged the deal from afar; from here on by what they heard.
        target.support = sponsor_view(target, alignment)
        deal.work.known_initiatives = tuple(account.initiatives)
    target.met = True
    before = target.support
    # A deal that serves their priorities wins them over; otherwise a coached champion has to make its case.
    carried = 1.0 if alignment > 0 else 0.4 + 0.6 * max((member.coached for member in deal.group), default=0.0)
    target.shift(0.25 * (0.5 + deal.trust) * carried)
    _engage(world, deal, 0.2 if target is buyer else 0.1, 0.1 * deal.felt if alignment > 0 else 0.0, guides=True)
    world.record(deal, "met", f"You met {target.person.name} ({target.role.replace('_', ' ')}): support "
                 f"{before:.2f} to {target.support:.2f}.", person=target.person.name, role=target.role,
                 support=rounded(target.support, 3), aligned=alignment > 0)
    if alignment > 0:
        return f"{target.person.name} is backing it."
    return f"{target.person.name} listened, but asked how this fits their priorities."


def pitch_demo(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Present the solution; it only lands when they are looking for one."""
    reason = why_not_pitch(world, deal)
    stage = deal.working_stage
    if stage == "status_quo":
        deal.work.pitches_in_status_quo += 1
        world.record(deal, "pitched_in_status_quo", "You pitched to a customer in the status quo.")
        return "they listened politely; nobody there thinks anything needs to change."
    if reason is None:
        deal.work.demos += 1
        deal.work.demo_strength = clamp(deal.work.demo_strength + 0.5 * rng.uniform(0.8, 1.2))
        deal.group.shift(0.05, frozenset({"technical", "user"}))
        deal.curves.progress0 += 0.5
        _engage(world, deal, 0.1)
        return "the demo went well with the evaluation team."
    if stage_index(stage) < stage_index("evaluating"):
        deal.work.demo_strength = clamp(deal.work.demo_strength + 0.1)
        return f"they liked it, but {reason}."
    return f"{reason}: a demo changes nothing now."


def pressure_close(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Push for the signature: costs trust and goodwill, and only nudges a deal that is nearly done."""
    deal.work.pressure_count += 1
    deal.account.adjust_trust(-0.07)
    deal.group.shift(-0.03)
    deal.work.last_touch_day = world.now
    world.record(deal, "pressure", f"You pushed for the close; trust fell to {deal.trust:.2f}.",
                 trust=rounded(deal.trust, 3))
    if why_not_pressure(world, deal) is None and deal.trust >= 0.45:
        deal.curves.progress0 += 0.3
        return "they said they would try to speed things up."
    deal.curves.attention0 = clamp(deal.curves.attention0 - 0.06)
    return "they felt pushed and pulled back."


def offer_discount(world: World, deal: Deal, target: Member | None, rng: Draws) -> str:
    """Cut the price by 10%: weighs a little in a vendor choice, costs margin and some trust."""
    deal.work.discounts += 1
    deal.value = int(round(deal.value * 0.9))
    deal.account.adjust_trust(-0.03)
    deal.group.shift(0.1, frozenset({"procurement"}))
    deal.work.last_touch_day = world.now
    world.record(deal, "discount", f"You cut the price to {deal.value:,}.", value=deal.value)
    return f"the price is now {deal.value:,}; they wonder what else is negotiable."


EFFECTS: Final[dict[str, Effect]] = {
    "share_insight": share_insight,
    "quantify_impact": quantify_impact,
    "map_buying_group": map_buying_group,
    "co_create_plan": co_create_plan,
    "define_requirements": define_requirements,
    "remind_impact": remind_impact,
    "align_initiatives": align_initiatives,
    "coach_champion": coach_champion,
    "meet_sponsor": meet_sponsor,
    "pitch_demo": pitch_demo,
    "pressure_close": pressure_close,
    "offer_discount": offer_discount,
}
WHY_NOT: Final[dict[str, Callable[[World, Deal], str | None]]] = {
    "share_insight": why_not_insight,
    "quantify_impact": why_not_quantify,
    "map_buying_group": why_not_map,
    "co_create_plan": why_not_plan,
    "define_requirements": why_not_requirements,
    "remind_impact": why_not_remind,
    "align_initiatives": why_not_align,
    "coach_champion": why_not_coach,
    "meet_sponsor": why_not_meet,
    "pitch_demo": why_not_pitch,
    "pressure_close": why_not_pressure,
    "offer_discount": why_not_discount,
}
assert set(EFFECTS) == set(ACTIONS) == set(WHY_NOT)


def default_target(deal: Deal, action: str) -> Member | None:
    """Whom an action aimed at a person reaches when no one is named: the role's member, if the seller knows them."""
    spec = ACTIONS[action]
    role = spec.target_role
    if role is None:
        return None
    member = deal.group.economic_buyer() if role == "economic_buyer" else deal.group.in_role(role)
    if member is not None and member.person.discovered:
        return member
    known = [m for m in deal.group if m.person.discovered]
    if role == "champion":  # whoever backs the deal most can be coached to sell it
        return max(known, key=lambda m: m.support, default=None)
    if spec.falls_back:
        return max(known, key=lambda m: m.influence, default=None)
    return None


def perform(world: World, deal: Deal, action: str, target_id: str | None, rng: Draws) -> None:
    """Carry out an action on its day: apply its effect to the deal (and the person it aims at), and note it."""
    if deal.ended:
        return
    target = deal.group.member(target_id) if target_id else None
    with world.changing(deal):
        text = EFFECTS[action](world, deal, target, rng)
    world.note(deal.account_id, deal, "action", f"{world.label(deal)} — {ACTIONS[action].label}: {text}")


__all__ = ["ACTIONS", "CATALOG", "MAX_DISCOUNTS", "PRESSURE_ACTIONS", "WHY_NOT", "ActionSpec", "default_target",
           "perform"]
