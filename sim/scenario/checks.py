"""Rules that span several keys of a scenario: cross-reference errors and trainer warnings.

`reference_errors` reads the raw TOML document defensively, so it reports broken
references even when other keys fail validation. `scenario_warnings` reads a validated
`Scenario` and flags things that are allowed but probably not what the trainer
meant. Both return findings with a key path; the loader adds file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from sim.scenario.models import Event, Scenario
from sim.scenario.messages import Loc, format_path, one_of, show_value, suggestion
from sim.stages import ENDINGS, EVENT_KINDS


class Finding(NamedTuple):
    """One rule broken at one key path."""

    loc: Loc
    message: str


# -- errors on the raw document ---------------------------------------------


def _tables(document: Mapping[str, object], key: str) -> Iterator[tuple[int, Mapping[str, object]]]:
    """The (index, table) pairs of an array of tables, skipping anything malformed."""
    items = document.get(key)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                yield index, item


def _ids(tables: Iterator[tuple[int, Mapping[str, object]]]) -> dict[str, int]:
    """First index of each string id."""
    first: dict[str, int] = {}
    for index, table in tables:
        identifier = table.get("id")
        if isinstance(identifier, str):
            first.setdefault(identifier, index)
    return first


def _duplicate_ids(prefix: Loc, noun: str, tables: list[tuple[int, Mapping[str, object]]]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for index, table in tables:
        identifier = table.get("id")
        if not isinstance(identifier, str):
            continue
        if identifier in seen:
            first = format_path((*prefix, seen[identifier]))
            findings.append(
                Finding(
                    (*prefix, index, "id"),
                    f"duplicate {noun} id {show_value(identifier)} (first used by {first}), expected each {noun} "
                    "to have its own id",
                )
            )
        else:
            seen[identifier] = index
    return findings


def _duplicate_entries(loc: Loc, values: object) -> list[Finding]:
    findings: list[Finding] = []
    if not isinstance(values, list):
        return findings
    seen: set[str] = set()
    for index, value in enumerate(values):
        if isinstance(value, str) and value in seen:
            message = f"{show_value(value)} is listed twice, expected each initiative once in the ranking"
            findings.append(Finding((*loc, index), message))
        elif isinstance(value, str):
            seen.add(value)
    return findings


def _unresolved(value: str, noun: str, known: list[str]) -> str:
    if not known:
        return f"no {noun} has id {show_value(value)}: there are none to refer to"
    return f"no {noun} has id {show_value(value)}, expected one of: {one_of(known)}{suggestion(value, known)}"


def reference_errors(document: object, limit: int = 1000) -> list[Finding]:
    """Broken ids and references in a raw TOML document, whatever else is wrong with it (at most `limit`)."""
    if not isinstance(document, Mapping):
        return []
    accounts = list(_tables(document, "accounts"))
    deals = list(_tables(document, "deals"))
    events = list(_tables(document, "events"))
    findings = _duplicate_ids(("accounts",), "account", accounts)
    findings += _duplicate_ids(("deals",), "deal", deals)

    account_index = _ids(iter(accounts))
    stakeholders_of: dict[str, list[str]] = {}
    for index, account in accounts:
        people = list(_tables(account, "stakeholders"))
        findings += _duplicate_ids(("accounts", index, "stakeholders"), "stakeholder", people)
        findings += _duplicate_entries(("accounts", index, "initiatives"), account.get("initiatives"))
        identifier = account.get("id")
        if isinstance(identifier, str) and account_index.get(identifier) == index:
            stakeholders_of[identifier] = list(_ids(iter(people)))

    known_accounts = list(account_index)
    for index, deal in deals:
        if len(findings) >= limit:
            return findings
        account = deal.get("account")
        if isinstance(account, str) and account not in account_index:
            findings.append(Finding(("deals", index, "account"), _unresolved(account, "account", known_accounts)))

    for index, event in events:
        if len(findings) >= limit:
            return findings
        findings += _event_errors(document, index, event, known_accounts, stakeholders_of)
    for index, note in _tables(document, "tutorial"):
        if len(findings) >= limit:
            return findings
        findings += _coach_note_errors(document, index, note)
    return findings


def _coach_note_errors(document: Mapping[str, object], index: int, note: Mapping[str, object]) -> list[Finding]:
    """A coach note's `week` goes with trigger = "week" (and only there), within the scenario."""
    loc: Loc = ("tutorial", index)
    trigger, week = note.get("trigger"), _whole(note.get("week"))
    if trigger == "week" and "week" not in note:
        return [Finding((*loc, "week"), 'missing: a note with trigger = "week" says which week it shows in')]
    if "week" in note and isinstance(trigger, str) and trigger != "week":
        return [Finding((*loc, "week"), f'only a note with trigger = "week" has a week, this one shows on '
                        f'{trigger}: remove the key or set trigger = "week"')]
    info = document.get("scenario")
    weeks = _whole(info.get("weeks")) if isinstance(info, Mapping) else None
    if week is not None and weeks is not None and 1 <= weeks < week <= 520:
        return [Finding((*loc, "week"), f"week {week} is after the end of the scenario, expected 1 to {weeks} "
                        "(scenario.weeks)")]
    return []


def _event_errors(
    document: Mapping[str, object],
    index: int,
    event: Mapping[str, object],
    known_accounts: list[str],
    stakeholders_of: dict[str, list[str]],
) -> list[Finding]:
    loc: Loc = ("events", index)
    account = event.get("account")
    findings: list[Finding] = []
    if isinstance(account, str) and account not in stakeholders_of:
        findings.append(Finding((*loc, "account"), _unresolved(account, "account", known_accounts)))
    findings += _kind_specific_keys(loc, event)
    person = event.get("stakeholder")
    if (event.get("kind") == "stakeholder_leaves" and isinstance(person, str) and isinstance(account, str)
            and account in stakeholders_of):
        people = stakeholders_of[account]
        if person not in people:
            listed = f"one of: {one_of(people)}{suggestion(person, people)}" if people else "none are listed"
            message = f"{show_value(person)} is not a stakeholder of account {show_value(account)}, expected {listed}"
            findings.append(Finding((*loc, "stakeholder"), message))
    findings += _duplicate_entries((*loc, "initiatives"), event.get("initiatives"))

    week = _whole(event.get("week"))
    info = document.get("scenario")
    weeks = _whole(info.get("weeks")) if isinstance(info, Mapping) else None
    if week is not None and weeks is not None and 1 <= weeks < week <= 520:
        message = f"week {week} is after the end of the scenario, expected 1 to {weeks} (scenario.weeks)"
        findings.append(Finding((*loc, "week"), message))
    return findings


def _kind_specific_keys(loc: Loc, event: Mapping[str, object]) -> list[Finding]:
    """`stakeholder` only on stakeholder_leaves, `initiatives` only on priority_shift: elsewhere they do nothing."""
    kind = event.get("kind")
    if kind not in EVENT_KINDS:
        return []  # an unknown kind is reported on its own
    findings: list[Finding] = []
    if "stakeholder" in event and kind != "stakeholder_leaves":
        findings.append(
            Finding(
                (*loc, "stakeholder"),
                f"only a stakeholder_leaves event names a stakeholder, this event is a {kind}: "
                'remove the key or set kind = "stakeholder_leaves"',
            )
        )
    if "initiatives" in event and kind != "priority_shift":
        findings.append(
            Finding(
                (*loc, "initiatives"),
                f"only a priority_shift event gives a new ranking, this event is a {kind}: "
                'remove the key or set kind = "priority_shift"',
            )
        )
    elif event.get("initiatives") == []:
        findings.append(
            Finding(
                (*loc, "initiatives"),
                "empty ranking, expected the new ranking of initiatives, top first (or no key for a random shift)",
            )
        )
    return findings


def _whole(value: object) -> int | None:
    """`value` when it is a TOML integer (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- warnings on a validated scenario ----------------------------------------


def scenario_warnings(scenario: Scenario) -> list[Finding]:
    """Things that are allowed but probably unintended, each with the reason."""
    return [
        *_quota_warnings(scenario),
        *_account_warnings(scenario),
        *_deal_warnings(scenario),
        *_event_warnings(scenario),
    ]


def _quota_warnings(scenario: Scenario) -> list[Finding]:
    total = sum(deal.value for deal in scenario.deals)
    if scenario.seller.quota <= total:
        return []
    return [
        Finding(
            ("seller", "quota"),
            f"quota {show_value(scenario.seller.quota)} is more than the value of all deals together "
            f"({show_value(total)}): nobody can reach it, expected at most {show_value(total)}",
        )
    ]


def _account_warnings(scenario: Scenario) -> list[Finding]:
    findings: list[Finding] = []
    for index, account in enumerate(scenario.accounts):
        if not any(person.role == "economic_buyer" for person in account.stakeholders):
            findings.append(
                Finding(
                    ("accounts", index, "stakeholders"),
                    f"account {show_value(account.id)} has no economic_buyer: nobody owns the budget, "
                    'expected a stakeholder with role = "economic_buyer"',
                )
            )
    return findings


def _deal_warnings(scenario: Scenario) -> list[Finding]:
    findings: list[Finding] = []
    initiatives: dict[str, list[str]] = {}
    for account in scenario.accounts:
        initiatives.setdefault(account.id, account.initiatives)
    for index, deal in enumerate(scenario.deals):
        ranking = initiatives.get(deal.account)
        if ranking is not None and deal.initiative not in ranking:
            findings.append(
                Finding(
                    ("deals", index, "initiative"),
                    f"{show_value(deal.initiative)} is not one of account {show_value(deal.account)}'s initiatives "
                    f"({', '.join(ranking)}): fine for a misaligned deal on purpose, but senior management will "
                    "likely reject it",
                )
            )
        if deal.stage in ENDINGS:
            findings.append(
                Finding(
                    ("deals", index, "stage"),
                    f'deal starts already ended ("{deal.stage}"): the trainee cannot work on it, '
                    "expected an active stage such as status_quo",
                )
            )
    return findings


def _event_warnings(scenario: Scenario) -> list[Finding]:
    # Events happen in week order; within a week, in file order.
    timeline = sorted(enumerate(scenario.events), key=lambda pair: (pair[1].week, pair[0]))
    return _departure_warnings(timeline) + _shift_warnings(scenario, timeline)


def _departure_warnings(timeline: list[tuple[int, Event]]) -> list[Finding]:
    findings: list[Finding] = []
    departed: dict[tuple[str, str], tuple[int, int]] = {}  # (account, person) -> (week, event index)
    for index, event in timeline:
        if event.kind != "stakeholder_leaves" or event.stakeholder is None:
            continue
        left = departed.setdefault((event.account, event.stakeholder), (event.week, index))
        if left[1] != index:
            earlier = format_path(("events", left[1]))
            message = (
                f"{show_value(event.stakeholder)} already left in week {left[0]} ({earlier}): "
                "this event will find nobody to act on"
            )
            findings.append(Finding(("events", index, "stakeholder"), message))
    return findings


def _shift_warnings(scenario: Scenario, timeline: list[tuple[int, Event]]) -> list[Finding]:
    findings: list[Finding] = []
    rankings: dict[str, list[str]] = {}
    for account in scenario.accounts:
        rankings.setdefault(account.id, list(account.initiatives))
    first_shift: dict[tuple[str, int], int] = {}  # (account, week) -> index of its first priority shift
    for index, event in timeline:
        if event.kind != "priority_shift":
            continue
        earlier = first_shift.setdefault((event.account, event.week), index)
        if earlier != index:
            message = (
                f"a second priority_shift for account {show_value(event.account)} in week {event.week} "
                f"replaces the ranking {format_path(('events', earlier))} set that same week: they cancel out"
            )
            findings.append(Finding(("events", index, "week"), message))
        if event.initiatives is not None and event.account in rankings:
            if list(event.initiatives) == rankings[event.account]:
                message = "the new ranking is the same as the current one: this priority shift changes nothing"
                findings.append(Finding(("events", index, "initiatives"), message))
            rankings[event.account] = list(event.initiatives)
    return findings
