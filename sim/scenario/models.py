"""The scenario file contract: pydantic models that validate a TOML document.

These models are the single definition of the format: the loader validates
against them and `dealdrift scenario schema` prints their JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sim.stages import EVENT_KINDS, ROLES, STAGES

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=64),
]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[int, Field(ge=0, le=10**15)]
Rate = Annotated[float, Field(ge=0.0, le=50.0)]
Text = Annotated[str, StringConstraints(max_length=2000)]
# The allowed names come from sim.stages, the one list the engine uses too.
Stage = Literal[STAGES]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]
EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]
Difficulty = Literal["easy", "medium", "hard"]
# When a coach note of the guided tutorial shows, and what on the screen it points at.
COACH_TRIGGERS: tuple[str, ...] = (
    "start", "status_quo", "stalled", "plan", "forecast_stage", "forecast_call", "ended", "won", "week",
)
COACH_TARGETS: tuple[str, ...] = (
    "status", "deals", "stage", "attention", "urgency", "plan", "days", "close", "call", "feed", "queue",
)
CoachTrigger = Literal[COACH_TRIGGERS]  # type: ignore[valid-type]
CoachTarget = Literal[COACH_TARGETS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ScenarioInfo(_Strict):
    """The `[scenario]` table: what the scenario is and how long it lasts."""

    id: Identifier = Field(description="Short identifier, lowercase letters, digits, '-' and '_'.")
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="Title shown in the scenario picker."
    )
    weeks: Annotated[int, Field(ge=1, le=520)] = Field(description="Length of the game in weeks (one turn a week).")
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = Field(
        default=0, description="Default random seed; `--seed` overrides it."
    )
    difficulty: Difficulty = Field(default="medium", description="Difficulty label shown in the picker.")
    story: Text = Field(default="", description="The briefing: the situation the trainee walks into.")
    practise: list[Text] = Field(default=[], description="What this scenario lets a trainee practise.")
    wither_weeks: Annotated[int, Field(ge=1, le=52)] = Field(
        default=5, description="Weeks a stalled deal waits before it withers into no decision."
    )


class Seller(_Strict):
    """The `[seller]` table: the trainee's weekly hours and quota."""

    hours_per_week: Annotated[int, Field(ge=1, le=100)] = Field(description="Hours the seller can spend each week.")
    quota: Money = Field(description="Bookings target for the whole game.")
    trust: Share = Field(default=0.5, description="Customers' starting trust in the seller, 0..1.")


class Stakeholder(_Strict):
    """One person in an account's buying group."""

    id: Identifier = Field(description="Id, unique within the account; events name it.")
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="Full name shown to the trainee."
    )
    role: Role = Field(description="champion, economic_buyer, user, technical, procurement or blocker.")
    influence: Share = Field(description="How much this person sways the decision, 0..1.")
    support: Share = Field(
        default=0.5,
        description="How much this person favours deals at this account at the start, 0..1 (0.5 neutral).",
    )
    priorities: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default=[], max_length=12,
        description="Initiatives this person cares about: they back a deal serving one of them more (+0.1 support) "
        "and other deals less (-0.1). Empty: no preference.",
    )


class Account(_Strict):
    """One customer organisation: `[[accounts]]`."""

    id: Identifier = Field(description="Id, unique among accounts; deals and events name it.")
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="Company name shown to the trainee."
    )
    buying_maturity: Share = Field(description="How well the organisation knows how to buy, 0..1.")
    initiatives: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=64)]],
        Field(min_length=1, max_length=12),
    ] = Field(description="Strategic initiatives, ranked, top first.")
    crisis_rate: Rate = Field(default=0.05, description="Expected crises per week.")
    priority_shift_rate: Rate = Field(default=0.02, description="Expected priority shifts per week.")
    turnover_rate: Rate = Field(default=0.01, description="Expected stakeholder departures per week.")
    budget_freeze_rate: Rate = Field(default=0.005, description="Expected budget freezes per week.")
    stakeholders: list[Stakeholder] = Field(default=[], max_length=50)


class Deal(_Strict):
    """One opportunity with an account: `[[deals]]`."""

    id: Identifier = Field(description="Id, unique among deals.")
    account: Identifier = Field(description="Id of the account this deal is with.")
    title: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="What is being sold, as shown to the trainee."
    )
    value: Money = Field(description="Contract value booked when the deal is won.")
    stage: Stage = Field(default="status_quo", description="Buying stage at the start of the game.")
    business_impact: Money = Field(description="What the problem costs the customer per year.")
    criticality: Share = Field(description="How critical the problem is to the customer, 0..1.")
    initiative: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="The strategic initiative this deal serves."
    )
    attention: Share = Field(default=0.5, description="The customer's attention to the deal at the start, 0..1.")
    competitor_strength: Share = Field(default=0.3, description="How strong the competing offer is, 0..1.")


class Event(_Strict):
    """A scripted story beat: `[[events]]`."""

    week: Annotated[int, Field(ge=1, le=520)] = Field(description="Week it happens, from 1 to the scenario's weeks.")
    account: Identifier = Field(description="Id of the account it happens at.")
    kind: EventKind = Field(description="crisis, priority_shift, stakeholder_leaves or budget_freeze.")
    severity: Share = Field(default=0.5, description="How hard the event hits, 0..1.")
    text: Text = Field(default="", description="The sentence shown in the event feed.")
    initiatives: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] | None = Field(
        default=None, description="priority_shift only: the new ranking, top first."
    )
    stakeholder: Identifier | None = Field(default=None, description="stakeholder_leaves only: who leaves.")


class CoachNote(_Strict):
    """A coach note of the guided tutorial: `[[tutorial]]`, shown once when its trigger first holds."""

    trigger: CoachTrigger = Field(
        description="When the note shows: start (the first week), status_quo (a deal is in the status quo), "
        "stalled (a deal stalled), plan (a buying plan was agreed), forecast_stage (a deal reached a forecast "
        "stage), forecast_call (you made a forecast call), ended (a deal ended without a win), won (a deal was "
        "won) or week (at the start of `week`)."
    )
    week: Annotated[int, Field(ge=1, le=520)] | None = Field(
        default=None, description="trigger = \"week\" only: the week the note shows at the start of."
    )
    points_at: CoachTarget = Field(
        default="deals",
        description="The screen element the note describes, highlighted while it shows: status (the status line), "
        "deals (the pipeline), a pipeline column (stage, attention, urgency, plan, days, close, call), feed or queue.",
    )
    text: Annotated[str, StringConstraints(min_length=1, max_length=600)] = Field(
        description="What the coach says: a sentence or two."
    )


class Scenario(_Strict):
    """A whole scenario file."""

    scenario: ScenarioInfo
    seller: Seller
    accounts: Annotated[list[Account], Field(min_length=1, max_length=2000)]
    deals: Annotated[list[Deal], Field(min_length=1, max_length=10000)]
    events: list[Event] = Field(default=[], max_length=5000)
    tutorial: list[CoachNote] = Field(
        default=[], max_length=100, description="Coach notes of a guided first game, in the order they are written."
    )

    def account(self, account_id: str) -> Account:
        """The account with this id."""
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise KeyError(account_id)
