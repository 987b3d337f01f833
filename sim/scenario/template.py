"""A starter scenario for trainers to edit: accounts, buying groups, deals and two story beats."""

from __future__ import annotations

import re

from sim.scenario.models import Account, Deal, Event, Scenario, ScenarioInfo, Seller, Stakeholder

# (id, name, ranked initiatives): fictional customers to start from.
_COMPANIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("acme", "Acme Manufacturing", ("cost-reduction", "safety", "growth")),
    ("northwind", "Northwind Logistics", ("on-time-delivery", "cost-reduction", "expansion")),
    ("globex", "Globex Energy", ("safety", "decarbonisation", "cost-reduction")),
    ("initech", "Initech Software", ("growth", "customer-retention", "efficiency")),
    ("umbra", "Umbra Health", ("patient-safety", "compliance", "efficiency")),
    ("vandelay", "Vandelay Imports", ("margin", "expansion", "compliance")),
)
# (role, influence, support): a buying group with someone to sell through and someone who signs.
_BUYING_GROUP: tuple[tuple[str, float, float], ...] = (
    ("champion", 0.5, 0.7),
    ("economic_buyer", 0.9, 0.5),
    ("technical", 0.4, 0.5),
)
_PEOPLE = (
    "Dana Ortiz", "Raj Patel", "Lee Chen", "Maria Rossi", "Sam Okafor", "Ines Moreau",
    "Tom Becker", "Aiko Tanaka", "Omar Haddad", "Priya Nair", "Jonas Berg", "Lucia Alves",
)  # fmt: skip
# (id suffix, title): what the deals are about.
_DEAL_IDEAS = (
    ("analytics", "Operations analytics"),
    ("planning", "Demand planning"),
    ("quality", "Quality inspection"),
    ("portal", "Customer portal"),
    ("maintenance", "Predictive maintenance"),
)
_START_STAGES = ("status_quo", "dissatisfied", "organizing")


def slug(text: str, fallback: str = "my-scenario") -> str:
    """An id made from free text: `My Quarter.toml` gives `my-quarter-toml`."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")[:64].strip("-_")
    return cleaned or fallback


def starter_scenario(scenario_id: str, accounts: int = 2, deals: int = 3) -> Scenario:
    """A complete scenario that loads without errors or warnings, ready to edit."""
    customers = [_account(index) for index in range(accounts)]
    opportunities: list[Deal] = []
    for index in range(deals):
        opportunities.append(_deal(index, customers[index % accounts], {deal.id for deal in opportunities}))
    total = sum(deal.value for deal in opportunities)
    weeks = 13
    first, second = customers[0], customers[min(1, accounts - 1)]
    events = [
        Event(
            week=6,
            account=first.id,
            kind="crisis",
            severity=0.6,
            text=f"A supplier recall pulls {first.name}'s leadership away for weeks.",
        ),
        Event(
            week=9,
            account=second.id,
            kind="priority_shift",
            text=f"{second.name}'s board reorders its priorities.",
            initiatives=[second.initiatives[1], second.initiatives[0], *second.initiatives[2:]],
        ),
    ]
    return Scenario(
        scenario=ScenarioInfo(
            id=scenario_id,
            title="My first quarter",
            weeks=weeks,
            seed=7,
            difficulty="medium",
            story=(
                f"You own {deals} {'deal' if deals == 1 else 'deals'} at {accounts} "
                f"{'customer' if accounts == 1 else 'customers'}. None of them is in a hurry to buy."
            ),
            practise=["Create the need before pitching", "Agree a buying plan with the customer"],
        ),
        seller=Seller(hours_per_week=30, quota=max(10_000, total * 6 // 10 // 10_000 * 10_000)),
        accounts=customers,
        deals=opportunities,
        events=events,
    )


def _account(index: int) -> Account:
    base_id, name, initiatives = _COMPANIES[index % len(_COMPANIES)]
    round_number = index // len(_COMPANIES)
    suffix = f"-{round_number + 1}" if round_number else ""
    account_id = base_id + suffix
    people = [
        Stakeholder(
            id=slug(_PEOPLE[(index * len(_BUYING_GROUP) + number) % len(_PEOPLE)].split()[0]),
            name=_PEOPLE[(index * len(_BUYING_GROUP) + number) % len(_PEOPLE)],
            role=role,  # type: ignore[arg-type]
            influence=influence,
            support=support,
        )
        for number, (role, influence, support) in enumerate(_BUYING_GROUP)
    ]
    return Account(
        id=account_id,
        name=name + (f" {round_number + 1}" if round_number else ""),
        buying_maturity=(0.3, 0.5, 0.7)[index % 3],
        initiatives=list(initiatives),
        crisis_rate=0.05,
        priority_shift_rate=0.02,
        stakeholders=people,
    )


def _deal(index: int, account: Account, taken: set[str]) -> Deal:
    suffix, title = _DEAL_IDEAS[index % len(_DEAL_IDEAS)]
    value = 100_000 + 50_000 * (index % 5)
    deal_id = f"{account.id}-{suffix}"
    if deal_id in taken:
        deal_id = f"{deal_id}-{index + 1}"
    return Deal(
        id=deal_id,
        account=account.id,
        title=title,
        value=value,
        stage=_START_STAGES[index % len(_START_STAGES)],  # type: ignore[arg-type]
        business_impact=value * 4,
        criticality=(0.4, 0.6, 0.3, 0.7)[index % 4],
        initiative=account.initiatives[index % 2],
    )
