"""The buying group: the people at an account, and each one's part in a deal (support, met, coached)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sim.model.curves import clamp

# Who feels the problem day to day: insight and a quantified impact win these people over first.
FEELS_THE_PROBLEM: Final = frozenset({"champion", "user", "technical"})
NEWCOMER_SUPPORT: Final = 0.5  # a newcomer after turnover starts neutral
PRIORITY_SUPPORT: Final = 0.1  # a person backs a deal serving one of their own priorities more (and less otherwise)


@dataclass(slots=True, eq=False)
class Person:
    """A stakeholder at an account: present or gone, discovered by the seller or not."""

    id: str
    name: str
    role: str
    influence: float
    support: float  # their starting stance towards deals at this account, 0..1
    priorities: tuple[str, ...] = ()  # initiatives this person cares about (empty: no preference)
    present: bool = True
    discovered: bool = False  # set through AccountState.discover, which counts it
    newcomer: bool = False


@dataclass(slots=True, eq=False)
class Member:
    """One person's part in one deal: how much they support it, and what the seller did with them."""

    person: Person
    support: float
    met: bool = False  # the seller has worked with them one-to-one on this deal
    coached: float = 0.0  # how well they can sell the deal internally, 0..1

    @property
    def id(self) -> str:
        """The person's id."""
        return self.person.id

    @property
    def role(self) -> str:
        """The person's role in the buying group."""
        return self.person.role

    @property
    def influence(self) -> float:
        """How much the person sways the group's decisions."""
        return self.person.influence

    def shift(self, amount: float) -> None:
        """Move this person's support, kept within 0..1."""
        self.support = clamp(self.support + amount)


def starting_support(person: Person, initiative: str) -> float:
    """A person's support for a deal at the start: their stance, moved by whether it serves their own priorities."""
    if not person.priorities:
        return person.support
    return clamp(person.support + (PRIORITY_SUPPORT if initiative in person.priorities else -PRIORITY_SUPPORT))


class BuyingGroup:
    """The people deciding one deal; only present people are members."""

    __slots__ = ("members",)

    def __init__(self, members: list[Member]) -> None:
        self.members = members

    def __len__(self) -> int:
        return len(self.members)

    def __iter__(self):  # noqa: ANN204 - an iterator of Members
        return iter(self.members)

    def member(self, person_id: str) -> Member | None:
        """The member who is this person, if present."""
        for member in self.members:
            if member.id == person_id:
                return member
        return None

    def in_role(self, role: str) -> Member | None:
        """The most influential member in `role`, if any."""
        found = None
        for member in self.members:
            if member.role == role and (found is None or member.influence > found.influence):
                found = member
        return found

    def champion(self) -> Member | None:
        """The champion, if the group has one."""
        return self.in_role("champion")

    def economic_buyer(self) -> Member | None:
        """The economic buyer, or failing one the most influential member (who holds the budget in practice)."""
        buyer = self.in_role("economic_buyer")
        if buyer is None and self.members:
            buyer = max(self.members, key=lambda member: member.influence)
        return buyer

    def consensus(self) -> float:
        """The influence-weighted support of the group (0.5 for an empty group)."""
        weight = sum(member.influence for member in self.members)
        if weight <= 0:
            return 0.5
        return sum(member.influence * member.support for member in self.members) / weight

    def shift(self, amount: float, roles: frozenset[str] | None = None) -> None:
        """Move the support of every member (or of those in `roles`)."""
        for member in self.members:
            if roles is None or member.role in roles:
                member.shift(amount)

    def leave(self, person: Person) -> Member | None:
        """Remove a person who left the account; returns their membership (with its coaching) if they had one."""
        for index, member in enumerate(self.members):
            if member.person is person:
                return self.members.pop(index)
        return None

    def join(self, person: Person, support: float) -> Member:
        """Add a person to the group with a starting support."""
        member = Member(person, support)
        self.members.append(member)
        return member
