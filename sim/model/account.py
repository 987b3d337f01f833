"""A customer organisation during a run: the account a deal is sold to."""

from __future__ import annotations

import math

from sim.model.curves import clamp
from sim.model.group import Person


class AccountState:
    """A customer organisation during a run: its people, priorities, trust in the seller and events."""

    __slots__ = ("id", "name", "maturity", "initiatives", "people", "crisis_until", "frozen_until",
                 "last_crisis_text", "hires", "trust", "discoveries")

    def __init__(self, id: str, name: str, maturity: float, initiatives: list[str], people: list[Person],
                 trust: float) -> None:
        self.id = id
        self.name = name
        self.maturity = maturity
        self.initiatives = initiatives
        self.people = people
        self.crisis_until = -math.inf
        self.frozen_until = -math.inf
        self.last_crisis_text = ""
        self.hires = 0
        self.trust = trust
        self.discoveries = 0  # how many times the seller discovered someone here (see `discover`)

    def discover(self, person: Person) -> None:
        """The seller now knows this person: every deal here shows them, so this is counted."""
        if not person.discovered:
            person.discovered = True
            self.discoveries += 1

    def present(self) -> list[Person]:
        """The people at the account now."""
        return [person for person in self.people if person.present]

    def adjust_trust(self, amount: float) -> None:
        """Move the account's trust in the seller, kept within 0..1."""
        self.trust = clamp(self.trust + amount)


__all__ = ["AccountState"]
