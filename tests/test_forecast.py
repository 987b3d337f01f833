"""The forecast's scores: the share of value in forecast stages called wrong, and the commit hit rate."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sim.forecast import BEST_CASE, COMMIT, FORECAST_CALLS, PIPELINE, DealCalls, ForecastScore
from sim.stages import ACTIVE_STAGES

WEIGHT = {COMMIT: Fraction(1), BEST_CASE: Fraction(1, 2), PIPELINE: Fraction(0)}


def score_of(calls: list[tuple[str, str, int, str]]) -> ForecastScore:
    """The score of (deal id, call, value, stage) calls, each added to its deal's sums as a week adds it."""
    deals: dict[str, DealCalls] = {}
    for deal_id, call, value, stage in calls:
        deals.setdefault(deal_id, DealCalls()).add(call, value, stage)
    return ForecastScore(deals)


def test_error_and_commit_hit_rate_by_hand() -> None:
    score = score_of([
        ("won", COMMIT, 100, "approval"),  # right
        ("won", BEST_CASE, 100, "evaluating"),  # half wrong: 50
        ("lost", COMMIT, 300, "business_case"),  # wrong: 300
        ("lost", BEST_CASE, 300, "organizing"),  # not a forecast stage: not scored, but a week called
        ("early", COMMIT, 50, "requirements"),  # a commit call outside the forecast stages still counts
    ])
    assert score.error({"won"}) == 350 / 500
    assert score.commit_hit_rate({"won"}) == 1 / 3


def test_nothing_to_score() -> None:
    score = score_of([])
    assert score.error(set()) is None and score.commit_hit_rate(set()) is None
    score = score_of([("d", PIPELINE, 10, "dissatisfied")])
    assert score.error(set()) is None and score.commit_hit_rate(set()) is None


@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(FORECAST_CALLS), st.integers(1, 10**9),
                          st.sampled_from(ACTIVE_STAGES)), max_size=60),
       st.sets(st.sampled_from("abcd")))
def test_the_sums_per_deal_score_every_week_and_deal_exactly(calls, won) -> None:
    """The error is sum(value x |weight - outcome|) / sum(value) over every call in a forecast stage."""
    score = score_of(calls)
    scored = [(deal_id, call, value) for deal_id, call, value, stage in calls
              if ACTIVE_STAGES.index(stage) >= ACTIVE_STAGES.index("evaluating")]
    total = sum(value for _, _, value in scored)
    wrong = sum(value * abs(WEIGHT[call] - (deal_id in won)) for deal_id, call, value in scored)
    assert score.error(won) == (float(wrong / total) if total else None)
    commits = [deal_id for deal_id, call, _, _ in calls if call == COMMIT]
    assert score.commit_hit_rate(won) == (sum(d in won for d in commits) / len(commits) if commits else None)
