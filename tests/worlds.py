"""Small scenarios built in code for the model's tests, and a way to play them with a policy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sim.game import Game
from sim.observation import Observation
from sim.results import RunResult
from sim.savefile import Turn
from sim.scenario.models import Scenario
from sim.strategies import Strategy, play

Policy = Callable[[Observation], Iterable[tuple[str, str]]]


def scenario(
    *,
    deals: int = 6,
    stage: str = "dissatisfied",
    weeks: int = 13,
    maturity: float = 0.5,
    group: int = 3,
    criticality: float = 0.4,
    crisis_rate: float = 0.0,
    shift_rate: float = 0.0,
    initiative: str = "cost",
    initiatives: tuple[str, ...] = ("cost", "safety", "growth"),
    events: list[dict[str, Any]] | None = None,
    hours: int = 40,
    **deal_fields: Any,
) -> Scenario:
    """One account with `deals` alike deals."""
    roles = ["champion", "economic_buyer", "user", "technical", "procurement", "user", "technical", "blocker"]
    people = [
        {"id": f"p{i}", "name": f"Person {i}", "role": roles[i % len(roles)], "influence": 0.5, "support": 0.5}
        for i in range(group)
    ]
    return Scenario.model_validate({
        "scenario": {"id": "test", "title": "Test", "weeks": weeks, "seed": 1},
        "seller": {"hours_per_week": hours, "quota": 100_000},
        "accounts": [{
            "id": "acme", "name": "Acme", "buying_maturity": maturity, "initiatives": list(initiatives),
            "crisis_rate": crisis_rate, "priority_shift_rate": shift_rate, "turnover_rate": 0.0,
            "budget_freeze_rate": 0.0, "stakeholders": people,
        }],
        "deals": [{
            "id": f"d{i}", "account": "acme", "title": f"Deal {i}", "value": 100_000, "stage": stage,
            "business_impact": 500_000, "criticality": criticality, "initiative": initiative,
            **deal_fields,
        } for i in range(deals)],
        "events": events or [],
    })


class PolicyStrategy(Strategy):
    """A strategy from a plain function of the Observation."""

    name = "policy"

    def __init__(self, policy: Policy, calls: Callable[[Observation], Iterable[tuple[str, str]]] | None = None
                 ) -> None:
        super().__init__(0)
        self.policy = policy
        self.calls = calls

    def choose(self, observation: Observation) -> Iterable[tuple[str, str]]:
        return self.policy(observation)

    def forecast(self, observation: Observation) -> Iterable[tuple[str, str]]:
        return self.calls(observation) if self.calls is not None else ()


def each_open(*actions: str, when: Callable[..., bool] = lambda deal: True) -> Policy:
    """A policy that tries `actions` on every open deal for which `when(deal)` holds."""

    def policy(observation: Observation) -> list[tuple[str, str]]:
        return [(deal.id, action) for deal in observation.deals if deal.open and when(deal) for action in actions]

    return policy


def runs(world: Scenario, policy: Policy | str, seeds: int,
         calls: Callable[[Observation], Iterable[tuple[str, str]]] | None = None) -> list[RunResult]:
    """Play `seeds` games (seeds 0..n-1) with a policy (and forecast calls) or a built-in strategy name."""
    results = []
    for seed in range(seeds):
        strategy = policy if isinstance(policy, str) else PolicyStrategy(policy, calls)
        results.append(play(world, strategy, seed))
    return results


def share(results: list[RunResult], ending: str) -> float:
    """The share of all deals in `results` that ended `ending`."""
    total = sum(len(result.deals) for result in results)
    return sum(result.counts[ending] for result in results) / total


def played(world: Scenario, seed: int, log: list[Turn]) -> Game:
    """A game replayed from an action log."""
    return Game.replay(world, seed, log)
