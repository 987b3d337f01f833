"""How hard a scenario is: the balance report of a batch played by the built-in bots."""

from __future__ import annotations

from sim.batch.output import interval, money, share, table
from sim.batch.statistics import BatchSummary
from sim.debrief import LESSONS
from sim.stages import ENDING_KEYS, ENDING_SHORT_LABELS


def lesson_counts(summary: BatchSummary) -> dict[str, dict[str, int]]:
    """How many deals illustrate each lesson, per strategy and over all of them ('all')."""
    counts: dict[str, dict[str, int]] = {}
    for key in [*LESSONS, *sorted({k for s in summary.strategies.values() for k in s.lessons} - set(LESSONS))]:
        row = {name: result.lessons.get(key, 0) for name, result in summary.strategies.items()}
        row["all"] = sum(row.values())
        counts[key] = row
    return counts


def verdict(summary: BatchSummary) -> str:
    """One line: each strategy's quota attainment, best first."""
    results = list(summary.strategies.values())
    # Best first; on a tie the more skilled bot (listed later) comes first.
    ranked = sorted(results, key=lambda result: (-(result.quota_share or 0.0), -results.index(result)))
    parts = []
    for position, result in enumerate(ranked):
        attained = "no finished runs" if result.quota_share is None else share(result.quota_share)
        parts.append(f"{result.strategy} reaches quota in {attained} of runs" if position == 0
                     else f"{result.strategy} in {attained}")
    return ", ".join(parts)


def _notes(summary: BatchSummary, lessons: dict[str, dict[str, int]]) -> list[str]:
    """Warnings a trainer would want before handing the scenario out."""
    results = summary.strategies
    notes = []
    idle, advisor, pusher = results.get("idle"), results.get("advisor"), results.get("pusher")
    if idle is not None and (idle.quota_share or 0) >= 0.25:
        notes.append(f"Doing nothing reaches quota in {share(idle.quota_share)} of runs: the scenario may be too "
                     "easy (raise the quota, or lower the deals' starting stages).")
    if advisor is not None and (advisor.quota_share or 0) < 0.2:
        notes.append(f"Even the advisor reaches quota in only {share(advisor.quota_share)} of runs: the scenario "
                     "may be too hard (lower the quota, or add weeks or deals).")
    if pusher is not None and advisor is not None and (pusher.bookings_mean or 0) >= (advisor.bookings_mean or 0):
        notes.append("Pushing books as much as advising: this scenario does not teach 'don't push'.")
    if summary.runs < 30:
        notes.append(f"With {summary.runs} runs these shares are rough: use --runs 100 or more.")
    unused = [key for key in LESSONS if lessons.get(key, {}).get("all", 0) == 0]
    if unused:
        notes.append(f"No deal illustrates: {', '.join(unused)}.")
    return notes


def balance_text(summary: BatchSummary) -> str:
    """The balance report: attainment and endings per strategy, lessons exercised, notes and the verdict."""
    head = (f"Balance of {summary.title} ({summary.source}): {summary.runs} runs per strategy, "
            f"seed {summary.seed}, quota {money(summary.quota)}")
    parts = [head, ""]
    rows = [["strategy", "quota met", "bookings mean", "95% CI", *ENDING_SHORT_LABELS.values()]]
    for name, result in summary.strategies.items():
        rows.append([name, share(result.quota_share), money(result.bookings_mean), interval(result.bookings_ci95),
                     *(share(result.rates[key]) for key in ENDING_KEYS)])
    parts += [table(rows, right=set(range(1, len(rows[0])))), "(won ... open: share of deals by ending)", ""]
    lessons = lesson_counts(summary)
    deals = {name: sum(result.lessons.values()) for name, result in summary.strategies.items()}
    deals["all"] = sum(deals.values())
    names = [*summary.strategies, "all"]
    lesson_rows = [["lesson", *names]]
    for key, row in lessons.items():
        lesson_rows.append([key, *(share(row[name] / deals[name]) if deals[name] else "-" for name in names)])
    parts += ["Lessons the deals illustrate (share of deals whose debrief points to each):",
              table(lesson_rows, right=set(range(1, len(names) + 1)))]
    notes = _notes(summary, lessons)
    if notes:
        parts += ["", *(f"Note: {note}" for note in notes)]
    parts += ["", f"Verdict: {verdict(summary)}."]
    return "\n".join(parts)
