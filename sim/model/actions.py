"""The seller's actions: the catalog, and what each does to a deal depending on its state."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sim.model.deal import Deal, clamp
from sim.model.decisions import initiative_score, return_on_investment
from sim.stages import stage_index
from sim.model.world import RESUME_LEVEL, World


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One entry of the action catalog."""

    name: str
    label: str
    hours: int
    lead_days: int
    explanation: str


CATALOG: tuple[ActionSpec, ...] = (
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
               "A short call that brings the problem back to mind; works through the size of the impact."),
    ActionSpec("align_initiatives", "Align to strategic initiatives", 4, 3,
               "Learn the account's current top initiatives and frame the deal as serving them."),
    ActionSpec("coach_champion", "Coach the champion", 3, 2,
               "Prepare your champion to sell the deal internally to senior management."),
    ActionSpec("meet_sponsor", "Meet the executive sponsor", 5, 7,
               "Meet the senior sponsor: attention from the top, and a view of what matters to them."),
    ActionSpec("pitch_demo", "Pitch / demo the solution", 3, 2,
               "Present your solution; it only lands once they are looking for one."),
    ActionSpec("pressure_close", "Pressure to close", 1, 0,
               "Push for a signature now. Customers rarely like it."),
    ActionSpec("offer_discount", "Offer a discount", 1, 0,
               "Cut the price by 10% to get them moving."),
)
ACTIONS: dict[str, ActionSpec] = {spec.name: spec for spec in CATALOG}
MAX_DISCOUNTS = 3
PRESSURE_ACTIONS = frozenset({"pressure_close", "offer_discount"})


def _engage(world: World, deal: Deal, attention: float, urgency: float = 0.0, *, guides: bool = False) -> bool:
    """Lift attention and urgency; a stalled deal lifted above the resume level moves again.

    A customer stuck because it does not know how to buy is only moved by help
    with the buying process itself (`guides`), not by more attention.
    """
    deal.attention0 = clamp(deal.attention0 + attention)
    deal.urgency0 = clamp(deal.urgency0 + urgency)
    deal.last_touch_day = world.now
    stuck = bool(deal.stall_causes) and deal.stall_causes[-1][2] == "stuck"
    if deal.stalled and deal.engagement(world.now) >= RESUME_LEVEL and (guides or not stuck):
        return world.resume(deal, "you helped them take the next step" if stuck else "you re-engaged them")
    return False


def impact_urgency(deal: Deal) -> float:
    """Urgency a quantified impact creates: larger impacts relative to price create more."""
    return min(0.9, 0.3 + 0.1 * return_on_investment(deal))


def share_insight(world: World, deal: Deal, rng: random.Random) -> str:
    """Teach them what the status quo costs: creates dissatisfaction and urgency before anything else."""
    quality = rng.uniform(0.6, 1.0) * (0.5 + deal.trust)
    deal.insights += 1
    deal.trust = clamp(deal.trust + 0.02)
    if deal.working_stage == "status_quo":
        size = min(1.0, 0.4 + 0.12 * return_on_investment(deal))
        deal.progress0 += 1.0 * quality
        _engage(world, deal, 0.15, 0.35 * quality * size)
        return "your insight landed: they start to see what the status quo costs them."
    _engage(world, deal, 0.08, 0.1 * quality)
    return "they appreciated the fresh perspective."


def quantify_impact(world: World, deal: Deal, rng: random.Random) -> str:
    """Put a number on the problem with them; urgency they own follows its size."""
    if deal.working_stage == "status_quo":
        _engage(world, deal, 0.05)
        return "they would not spend time on numbers for a problem they don't feel yet."
    deal.impact_quantified = True
    deal.trust = clamp(deal.trust + 0.02)
    deal.urgency0 = max(deal.urgency0, impact_urgency(deal) * rng.uniform(0.9, 1.1))
    if deal.working_stage == "business_case":
        deal.progress0 += 0.75
    _engage(world, deal, 0.1)
    return f"together you put the impact at {deal.business_impact:,} a year; they own that number now."


def map_buying_group(world: World, deal: Deal, rng: random.Random) -> str:
    """Discover everyone in the buying group; a mapped group gets stuck less often."""
    account = world.accounts[deal.account_id]
    present = [person for person in account.people if person.present]
    for person in present:
        person.discovered = True
    deal.group_mapped = 1.0
    if deal.working_stage == "organizing":
        deal.progress0 += 0.5
    _engage(world, deal, 0.05, guides=True)
    return f"you mapped a buying group of {len(present)}."


def co_create_plan(world: World, deal: Deal, rng: random.Random) -> str:
    """Agree a buying plan with milestones and a close date; it lends an immature buyer structure."""
    if deal.working_stage == "status_quo":
        _engage(world, deal, 0.05)
        return "they agreed politely, but nobody will own a plan to buy something they don't need yet."
    plan = world.make_plan(deal)
    deal.trust = clamp(deal.trust + 0.03)
    _engage(world, deal, 0.15, 0.05, guides=True)
    return f"you agreed a buying plan with them: target close on day {plan.close_day:.0f}."


def define_requirements(world: World, deal: Deal, rng: random.Random) -> str:
    """Shape their requirements while they are written; shaped criteria win evaluations."""
    stage = deal.working_stage
    if stage in ("organizing", "requirements"):
        deal.requirements_shaped = clamp(deal.requirements_shaped + 0.5)
        if stage == "requirements":
            deal.progress0 += 0.5
        _engage(world, deal, 0.08, guides=True)
        return "you helped them write requirements that fit what you do well."
    if stage == "evaluating":
        deal.requirements_shaped = clamp(deal.requirements_shaped + 0.2)
        _engage(world, deal, 0.05)
        return "their criteria were mostly set already; you tuned a few."
    _engage(world, deal, 0.03)
    return "it was not the moment: they are not writing requirements now."


def remind_impact(world: World, deal: Deal, rng: random.Random) -> str:
    """Bring the problem back to mind; works through the size of the impact, quantified or not."""
    size = min(1.0, return_on_investment(deal) / 5.0) * (1.0 if deal.impact_quantified else 0.15)
    recently = world.now - deal.last_touch_day < 6 and deal.reminders > 0
    factor = 0.5 if recently else 1.0
    deal.reminders += 1
    urgency = max(0.0, 0.8 * impact_urgency(deal) - deal.urgency(world.now)) if deal.impact_quantified else 0.03
    if deal.working_stage == "status_quo":
        factor *= 0.3  # a customer who sees no problem has nothing to be reminded of
    resumed = _engage(world, deal, factor * (0.05 + 0.3 * size), factor * urgency)
    if resumed:
        return "your check-in got them moving again."
    return "you reminded them what the problem costs." if deal.impact_quantified else "a friendly check-in."


def align_initiatives(world: World, deal: Deal, rng: random.Random) -> str:
    """Learn their current top initiatives and frame the deal around them."""
    account = world.accounts[deal.account_id]
    deal.known_initiatives = list(account.initiatives)
    native = initiative_score(account.initiatives, deal.initiative)
    deal.trust = clamp(deal.trust + 0.01)
    if native > 0:
        deal.framed_initiative = None
        _engage(world, deal, 0.05)
        return f"it already serves their #{account.initiatives.index(deal.initiative) + 1} initiative."
    deal.framed_initiative = account.initiatives[0]
    _engage(world, deal, 0.08)
    return f"you re-framed the deal around their top initiative, '{account.initiatives[0]}'."


def coach_champion(world: World, deal: Deal, rng: random.Random) -> str:
    """Prepare the champion to sell the deal upward."""
    champion = world.accounts[deal.account_id].champion()
    if champion is None:
        deal.champion_skill = clamp(deal.champion_skill + 0.1)
        _engage(world, deal, 0.02)
        return "there is no champion to coach; you briefed whoever would listen."
    deal.champion_skill = clamp(deal.champion_skill + 0.4 * (0.5 + deal.trust) * rng.uniform(0.8, 1.2))
    _engage(world, deal, 0.05)
    return f"you coached {champion.name} on selling it internally."


def meet_sponsor(world: World, deal: Deal, rng: random.Random) -> str:
    """Meet the executive sponsor: attention from the top and a view of what matters now."""
    account = world.accounts[deal.account_id]
    deal.sponsor_met = True
    deal.known_initiatives = list(account.initiatives)
    aligned = initiative_score(account.initiatives, deal.initiative, deal.framed_initiative) > 0
    _engage(world, deal, 0.2, 0.1 if aligned else 0.0, guides=True)
    return "the sponsor is backing it." if aligned else "the sponsor listened, but asked how this fits their priorities."


def pitch_demo(world: World, deal: Deal, rng: random.Random) -> str:
    """Present the solution; it only lands when they are looking for one."""
    stage = deal.working_stage
    if stage == "status_quo":
        return "they listened politely; nobody there thinks anything needs to change."
    if stage == "evaluating":
        deal.demo_strength = clamp(deal.demo_strength + 0.5 * rng.uniform(0.8, 1.2))
        deal.progress0 += 0.5
        _engage(world, deal, 0.1)
        return "the demo went well with the evaluation team."
    if stage_index(stage) < stage_index("evaluating"):
        deal.demo_strength = clamp(deal.demo_strength + 0.1)
        _engage(world, deal, 0.05)
        return "they liked it, but they are not choosing a solution yet."
    _engage(world, deal, 0.02)
    return "they have seen it already."


def pressure_close(world: World, deal: Deal, rng: random.Random) -> str:
    """Push for the signature: costs trust, and only nudges a deal that is nearly done."""
    deal.pressure_count += 1
    deal.trust = clamp(deal.trust - 0.07)
    deal.last_touch_day = world.now
    if deal.working_stage in ("business_case", "approval") and deal.trust >= 0.45 and not deal.stalled:
        deal.progress0 += 0.3
        return "they said they would try to speed things up."
    deal.attention0 = clamp(deal.attention0 - 0.06)
    return "they felt pushed and pulled back."


def offer_discount(world: World, deal: Deal, rng: random.Random) -> str:
    """Cut the price by 10%: helps a little against a competitor, costs margin and some trust."""
    deal.discounts += 1
    deal.value = int(round(deal.value * 0.9))
    deal.trust = clamp(deal.trust - 0.03)
    deal.last_touch_day = world.now
    return f"the price is now {deal.value:,}; they wonder what else is negotiable."


EFFECTS: dict[str, Callable[[World, Deal, random.Random], str]] = {
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
assert set(EFFECTS) == set(ACTIONS)


def perform(world: World, deal: Deal, action: str, rng: random.Random) -> None:
    """Carry out an action on its day: settle the deal, apply the effect, note it, reschedule."""
    if deal.ended:
        return
    deal.settle(world.now)
    text = EFFECTS[action](world, deal, rng)
    deal.floor = world.attention_floor(deal)
    world.note(deal.account_id, deal, "action", f"{world.label(deal)} — {ACTIONS[action].label}: {text}")
    world.reschedule(deal)


__all__ = ["ACTIONS", "CATALOG", "MAX_DISCOUNTS", "PRESSURE_ACTIONS", "ActionSpec", "perform"]
