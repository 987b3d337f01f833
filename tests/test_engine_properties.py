"""Properties of any game: whatever the world and whatever the player does, the books add up."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model.actions import ACTIONS
from sim.errors import ActionRefused
from sim.debrief import LESSONS
from sim.game import Game
from sim.stages import ACTIVE_STAGES, ENDINGS, STAGES, stage_index

from worlds import played, scenario

PROPERTIES = settings(max_examples=40, deadline=2000, suppress_health_check=[HealthCheck.too_slow],
                      derandomize=bool(os.environ.get("CI")))

WORLDS = st.builds(
    scenario,
    deals=st.integers(1, 6),
    stage=st.sampled_from(STAGES),
    weeks=st.integers(1, 20),
    maturity=st.floats(0, 1),
    group=st.integers(1, 8),
    criticality=st.floats(0, 1),
    crisis_rate=st.floats(0, 2),
    shift_rate=st.floats(0, 2),
    hours=st.integers(1, 40),
    competitor_strength=st.floats(0, 1),
    attention=st.floats(0, 1),
)
CHOICES = st.lists(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(sorted(ACTIONS))), max_size=8), max_size=20)


@PROPERTIES
@given(WORLDS, st.integers(0, 2**32), CHOICES)
def test_any_game_adds_up_and_replays_identically(world, seed, choices) -> None:
    game = Game(world, seed)
    queued = 0
    for turn in choices:
        if game.over:
            break
        for index, action in turn:
            deal_id = f"d{index}"
            try:
                game.act(deal_id, action)
            except ActionRefused as refused:
                assert str(refused)  # every refusal says why
        assert 0 <= game.hours_left
        queued += sum(q.hours for q in game.queued)
        game.end_turn()
        # Hours above the weekly budget can only be refunds of actions queued earlier.
        assert game.over or game.hours_left <= world.seller.hours_per_week + queued
    result = game.result()
    assert sum(result.counts.values()) == len(result.deals) == len(world.deals)
    assert result.bookings == sum(deal.value for deal in result.deals if deal.ending == "won"
                                  and deal.stages[0][1] != "won")
    for deal in result.deals:
        assert (deal.closed_day is None) == (deal.ending == "open")
        days = [day for day, _ in deal.stages]
        assert days == sorted(days)
        assert all(stage in STAGES for _, stage in deal.stages)
        assert deal.explanation and (deal.ending == "open" or deal.ending == deal.stages[-1][1])
        active = [stage for _, stage in deal.stages if stage in ACTIVE_STAGES]
        assert active == sorted(active, key=stage_index)
        assert deal.lesson_key is None or deal.lesson_key in LESSONS
        assert set(deal.lesson_keys) <= set(LESSONS) and (deal.lesson_key is None) == (not deal.lesson_keys)
        if deal.ending in ENDINGS:
            assert deal.ending_reason in ("signed", "competitor", "status_quo", "withered", "senior_management")
    assert 0.0 <= result.trust <= 1.0
    assert played(world, seed, game.log).result() == result
