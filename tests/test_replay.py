"""Replaying an action log: to a week, on from there with a strategy, and week by week."""

from __future__ import annotations

import pytest

from sim.game import Game
from sim.replay import ReplayError, Timeline, play_on, replay, rewind, take_over, timeline, weeks_reached
from sim.savefile import Turn
from sim.scenario.loader import load_scenario
from sim.strategies import BUILT_IN, load_strategy, play

DEFAULT = load_scenario("default")


def _played(strategy: str, seed: int, scenario=DEFAULT) -> Game:
    return play_on(Game(scenario, seed), load_strategy(strategy)(seed))


@pytest.mark.parametrize("strategy", sorted(BUILT_IN))
def test_playing_on_a_game_is_what_play_does(strategy: str) -> None:
    """Take-overs play a week exactly as `sim.play` does; if `play` changes, this says so."""
    for seed in (1, 2):
        ours = _played(strategy, seed).result(strategy=strategy)
        assert ours == play(DEFAULT, strategy, seed)


def test_a_rewound_game_replayed_with_the_same_actions_ends_identically() -> None:
    game = _played("typical", 4)
    expected = game.result()
    for week in (1, 2, 7, weeks_reached(game)):
        rewound = rewind(game, week)
        assert rewound.week == week and rewound.queued == () and len(rewound.log) == week - 1
        for turn in game.log[week - 1:]:
            for deal_id, call in turn.calls.items():
                rewound.call_forecast(deal_id, call)
            for deal_id, action, target in turn.actions:
                rewound.act(deal_id, action, target)
            rewound.end_turn()
        assert rewound.result() == expected


def test_a_take_over_from_week_1_by_the_same_stateless_strategy_is_the_same_game() -> None:
    game = _played("advisor", 6)
    again, label = take_over(game, 1, "advisor")
    assert label == "advisor"
    assert again.result() == game.result()
    assert again.log == game.log


def test_a_take_over_keeps_the_weeks_before_it() -> None:
    game = _played("pusher", 3)
    taken, _ = take_over(game, 4, "advisor")
    assert taken.log[:3] == game.log[:3]
    assert taken.log[3] != game.log[3]
    assert taken.over


def test_rewinding_to_a_week_the_game_never_reached_is_refused() -> None:
    game = _played("pusher", 3)
    last = weeks_reached(game)
    with pytest.raises(ReplayError, match=f"choose a week from 1 to {last}"):
        rewind(game, last + 1)
    with pytest.raises(ReplayError):
        rewind(game, 0)
    running = Game(DEFAULT, 3)
    running.end_turn()
    assert weeks_reached(running) == 2
    assert rewind(running, 2).week == 2


def test_a_strict_replay_refuses_an_impossible_log_and_a_lenient_one_skips_it() -> None:
    deal = DEFAULT.deals[0].id
    impossible = [Turn([(deal, "share_insight", None), (deal, "share_insight", None)])]
    with pytest.raises(ReplayError, match="already queued"):
        replay(DEFAULT, 1, impossible)
    game, skipped = replay(DEFAULT, 1, impossible, lenient=True)
    assert skipped == 1 and game.log == [Turn([(deal, "share_insight", None)])]


def _live(strategy: str, seed: int) -> tuple[Game, list[list[str]], list[object]]:
    """Play a game and keep, week by week, the observation at its start and the feed it produced."""
    game = Game(DEFAULT, seed)
    bot = load_strategy(strategy)(seed)
    observations, feeds = [], []
    from sim.replay import queue_choices

    while not game.over:
        observation = game.observe()
        observations.append(observation)
        queue_choices(game, bot)
        feeds.append(game.end_turn())
    return game, feeds, observations


def test_the_timeline_shows_each_week_as_it_was_played() -> None:
    game, feeds, observations = _live("typical", 9)
    line: Timeline = timeline(game)
    assert line.over and len(line.weeks) == len(game.log)
    for record, turn, feed, observation in zip(line.weeks, game.log, feeds, observations, strict=True):
        assert record.played
        assert list(record.actions) == turn.actions and record.calls == turn.calls
        assert [item.text for item in record.feed] == feed
        assert record.observation == observation
    assert line.final == game.observe()


def test_the_timeline_of_a_running_game_ends_with_the_week_being_played() -> None:
    game = Game(DEFAULT, 2)
    deal = game.observe().deals[0].id
    game.act(deal, "share_insight")
    game.end_turn()
    game.act(deal, "quantify_impact")
    line = timeline(game)
    assert not line.over
    assert [record.played for record in line.weeks] == [True, False]
    current = line.weeks[-1]
    assert current.week == 2 and current.actions == ((deal, "quantify_impact", None),) and current.feed == ()
