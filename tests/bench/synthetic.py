"""A synthetic large scenario for the engine's benchmarks."""

from __future__ import annotations

from sim.scenario.models import Scenario
from sim.stages import ACTIVE_STAGES

ROLES = ("champion", "economic_buyer", "user", "technical", "procurement", "blocker")


def synthetic(deals: int, weeks: int = 52, deals_per_account: int = 5) -> Scenario:
    """`deals` deals over deals / 5 accounts, at every stage, with the usual exogenous rates."""
    accounts = max(1, deals // deals_per_account)
    return Scenario.model_validate({
        "scenario": {"id": f"synthetic-{deals}", "title": "Synthetic", "weeks": weeks, "seed": 1},
        "seller": {"hours_per_week": 40, "quota": deals * 50_000},
        "accounts": [{
            "id": f"a{a}", "name": f"Account {a}", "buying_maturity": 0.2 + 0.6 * (a % 5) / 4,
            "initiatives": ["cost", "growth", "risk"], "crisis_rate": 0.06, "priority_shift_rate": 0.04,
            "turnover_rate": 0.02, "budget_freeze_rate": 0.01,
            "stakeholders": [{"id": f"p{i}", "name": f"P{i}", "role": ROLES[i % 6], "influence": 0.5}
                             for i in range(2 + a % 6)],
        } for a in range(accounts)],
        "deals": [{
            "id": f"d{d}", "account": f"a{d % accounts}", "title": f"Deal {d}", "value": 100_000,
            "stage": ACTIVE_STAGES[d % 6], "business_impact": 400_000 + 10_000 * (d % 50),
            "criticality": 0.2 + 0.6 * (d % 7) / 6, "initiative": ("cost", "growth", "risk", "other")[d % 4],
        } for d in range(deals)],
    })
