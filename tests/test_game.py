"""The Game: turns, refusals, replay determinism, saves, and the clock's edges."""

from __future__ import annotations

import gc
import json
from collections.abc import Mapping

import pytest

from sim.errors import ActionRefused, GameOver, SaveError
from sim.forecast import FORECAST_CALLS
from sim.game import Game
from sim.scenario.loader import load_scenario
from sim.savefile import Turn
from sim.strategies import load_strategy, play, play_turn
from sim.model.world import FeedItem, World
from sim.observation import StakeholderReads, discovered_people

from worlds import played, scenario


def bot_log(name: str, seed: int, weeks: int | None = None,
            feed: list[FeedItem] | None = None) -> tuple[Game, list[Turn]]:
    """A bot's game (the first `weeks` weeks of it), played turn by turn as `play` does; each week's feed into `feed`."""
    game = Game(load_scenario("default"), seed)
    bot = load_strategy(name)(seed)
    if feed is not None:
        feed += game.observe().feed
    while not game.over and (weeks is None or game.week <= weeks):
        play_turn(game, bot)
        game.end_turn()
        if feed is not None:
            feed += game.observe().feed
    return game, game.log


def test_same_scenario_seed_and_log_give_an_identical_game() -> None:
    game, log = bot_log("advisor", 5)
    again = played(load_scenario("default"), 5, log)
    assert again.result("advisor") == game.result("advisor")
    assert again.observe() == game.observe()


def test_a_different_seed_gives_a_different_world() -> None:
    first = play(load_scenario("default"), "idle", 1)
    second = play(load_scenario("default"), "idle", 2)
    assert [d.stages for d in first.deals] != [d.stages for d in second.deals]


def test_the_world_is_the_same_whatever_the_player_does() -> None:
    feeds: dict[str, list[FeedItem]] = {name: [] for name in ("idle", "advisor", "pusher")}
    games = {name: bot_log(name, 9, feed=feed)[0] for name, feed in feeds.items()}
    until = min(game.world.now for game in games.values())  # a game ends early once every deal has ended

    def exogenous(name: str) -> list[tuple[float, str, str]]:
        return [(round(i.day, 3), i.kind, i.text) for i in feeds[name]
                if i.kind in ("crisis", "priority_shift", "turnover", "budget_freeze") and i.day < until]

    assert len(exogenous("idle")) > 3
    assert exogenous("idle") == exogenous("advisor") == exogenous("pusher")


def test_save_then_load_rebuilds_the_same_state(tmp_path) -> None:
    game, _ = bot_log("advisor", 3, weeks=6)
    path = game.save(tmp_path / "saves" / "game.json")
    loaded = Game.load(path)
    assert loaded.week == game.week == 7
    assert loaded.observe() == game.observe()
    # Both go on identically.
    for g in (game, loaded):
        g.act(g.observe().deals[1].id, "remind_impact")
    assert game.end_turn() == loaded.end_turn()
    assert loaded.result() == game.result()
    assert not list((tmp_path / "saves").glob(".save-*"))  # no temporary left behind


@pytest.mark.parametrize(("content", "message"), [
    (b"", "not valid JSON"),
    (b"\x89PNG\r\n\x1a\n\x00", "not valid JSON"),
    (b'{"format": "something-else"}', "not a Deal Drift save"),
    (b'[1, 2, 3]', "not a Deal Drift save"),
    (b'{"format": "dealdrift-save", "version": 99}', "version 99"),
    (b'{"format": "dealdrift-save", "version": 1, "seed": 1, "turns": [], "scenario": {"x": 1}}',
     "scenario is invalid"),
])
def test_damaged_or_foreign_saves_are_refused_clearly(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "save.json"
    path.write_bytes(content)
    with pytest.raises(SaveError, match=message):
        Game.load(path)


def test_a_save_keeps_the_actions_queued_this_week(tmp_path) -> None:
    game, _ = bot_log("typical", 4, weeks=2)
    deal_id = next(view.id for view in game.observe().deals if view.open)
    game.act(deal_id, "remind_impact")
    loaded = Game.load(game.save(tmp_path / "game.json"))
    assert loaded.queued == game.queued and loaded.hours_left == game.hours_left
    assert loaded.end_turn() == game.end_turn()


def test_a_tampered_action_log_is_refused(tmp_path) -> None:
    game, _ = bot_log("typical", 2, weeks=3)
    data = game.to_save()
    data["turns"][1]["actions"].append(["no-such-deal", "pitch_demo"])
    path = tmp_path / "save.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="turn 2: No deal 'no-such-deal'"):
        Game.load(path)


def test_a_missing_save_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(SaveError, match="Cannot read save file"):
        Game.load(tmp_path / "nope.json")


def test_refusals_say_why() -> None:
    game = Game(scenario(deals=2, hours=5), 0)
    assert game.refusal("d0", "nope").startswith("Unknown action")
    assert game.refusal("zz", "pitch_demo") == "No deal 'zz' in this game."
    game.act("d0", "share_insight")  # 4 of 5 hours
    with pytest.raises(ActionRefused, match="already queued"):
        game.act("d0", "share_insight")
    with pytest.raises(ActionRefused, match="Not enough hours left this week: Pitch / demo the solution takes 3 h"):
        game.act("d1", "pitch_demo")
    assert game.hours_left == 1
    game.cancel(0)
    assert game.hours_left == 5
    with pytest.raises(ActionRefused, match="no queued action number 1"):
        game.cancel(0)
    game.act("d1", "pitch_demo")
    game.end_turn()
    assert game.hours_left == 5


def test_a_booked_meeting_cannot_be_booked_twice() -> None:
    game = Game(scenario(deals=1), 0)
    game.act("d0", "meet_sponsor", "p0")  # a week's lead time, with the champion the seller knows
    game.end_turn()
    assert "already booked" in game.refusal("d0", "meet_sponsor")
    assert game.observe().deal("d0").pending[0][0] == "meet_sponsor"


def test_actions_on_an_ended_deal_are_refused() -> None:
    game = Game(scenario(deals=1, stage="won"), 0)
    assert game.over  # every deal has ended at the start
    with pytest.raises(GameOver):
        game.end_turn()
    assert game.refusal("d0", "pitch_demo") == "The game is over."


def test_the_game_ends_at_the_last_week() -> None:
    game = Game(scenario(deals=2, weeks=3, criticality=0.95), 0)
    for _ in range(3):
        game.end_turn()
    assert game.over
    assert game.observe().week == 3
    with pytest.raises(GameOver):
        game.act("d0", "pitch_demo")


def test_events_exactly_on_a_turn_boundary_happen_in_the_next_turn() -> None:
    world = World(scenario(deals=1), 0)
    fired: list[float] = []
    world.env.timeout(7).callbacks.append(lambda _e: fired.append(world.now))
    world.run_until(7)
    assert fired == [] and world.now == 7
    world.run_until(14)
    assert fired == [7]


def test_a_scripted_event_appears_in_its_own_week() -> None:
    game = Game(scenario(deals=1, events=[{"week": 2, "account": "acme", "kind": "crisis", "text": "Flood."}]), 0)
    assert "Flood." not in game.end_turn()
    assert "Flood." in game.end_turn()


def test_a_crisis_postpones_meetings() -> None:
    game = Game(scenario(deals=1, events=[{"week": 1, "account": "acme", "kind": "crisis", "severity": 1.0,
                                           "text": "Flood."}]), 0)
    game.act("d0", "co_create_plan")
    feed = game.end_turn()
    assert any("postponed" in line for line in feed)


def test_games_played_side_by_side_share_no_state() -> None:
    world = load_scenario("default")
    first, second = Game(world, 0), Game(world, 0)
    assert first.world.process is not second.world.process
    bots = {id(game): load_strategy("typical")(0) for game in (first, second)}
    while not first.over:
        for game in (first, second):
            play_turn(game, bots[id(game)])
            game.end_turn()
    alone = play(world, "typical", 0)
    assert first.result("typical").to_dict() == second.result("typical").to_dict() == alone.to_dict()


def test_cost_grows_with_events_not_deals_times_days() -> None:
    quiet = scenario(deals=200, weeks=52, criticality=0.95, attention=0.9)
    game = Game(quiet, 0)
    while not game.over:
        game.end_turn()
    # A daily tick would need 200 deals x 364 days = 72,800 events.
    assert next(game.world.env._eid) < 200 * 10


def test_result_json_is_plain_data() -> None:
    tutorial = load_scenario("tutorial")
    result = play(tutorial, "advisor", 1)
    data = json.loads(json.dumps(result.to_dict()))
    assert [deal["stages"][0] for deal in data["deals"]] == [[0.0, deal.stage] for deal in tutorial.deals]
    assert data == result.to_dict() and data["seed"] == 1


def test_a_deal_view_carries_each_field_in_its_place() -> None:
    game = Game(load_scenario("default"), 3)
    for _ in range(3):
        play_turn(game, load_strategy("advisor")(3))
        game.end_turn()
    for view in game.observe().deals:
        deal = game.world.deal_by_id[view.id]
        assert (view.title, view.account_id, view.account) == (deal.title, deal.account.id, deal.account.name)
        assert (view.value, view.stage, view.initiative) == (deal.value, deal.state, deal.initiative)
        assert view.history == tuple(deal.history) and view.closed_day == deal.closed_day
        assert view.group_mapped is deal.work.group_mapped and view.known_initiatives == deal.work.known_initiatives
        assert view.impact == (deal.business_impact if deal.work.impact_quantified else None)
        assert isinstance(view.days_in_stage, int) and isinstance(view.done, Mapping)
        assert 0.0 <= view.attention <= 1.0 and 0.0 <= view.urgency <= 1.0 and 0.0 <= view.trust <= 1.0
        assert view.attention_trend[-1] == view.attention and len(view.attention_trend) >= 1 or not view.open
        if view.open:
            assert view.ending is None and view.explanation == "" and view.forecast_call in FORECAST_CALLS
            assert view.forecast_close_day is not None and view.forecast_close_day >= game.day
            assert all(isinstance(action, str) and day >= game.day for action, day in view.pending)
        else:
            assert view.ending == deal.state and view.explanation and view.forecast_call is None
        assert view.plan_status in ("none", "on track", "slipping", "done", "ended")
        assert (view.plan is None) == (deal.plan is None)


def test_a_view_stays_as_it_was_when_the_game_moves_on() -> None:
    """Views share the deal's history and the game's array of reads: nothing a later week does may show in an earlier view."""
    game = Game(load_scenario("default"), 5)
    bot = load_strategy("advisor")(5)
    for _ in range(2):
        play_turn(game, bot)
        game.end_turn()
    earlier = play_turn(game, bot)
    def seen(view):  # copied, so that what is kept cannot change with the view
        return (tuple(view.history), tuple(view.attention_trend), dict(view.done), tuple(view.pending),
                tuple(view.stakeholders))
    before = {view.id: seen(view) for view in earlier.deals}
    for _ in range(4):
        game.end_turn()
        play_turn(game, bot)
    later = {view.id: seen(view) for view in game.observe().deals}
    assert {view.id: seen(view) for view in earlier.deals} == before
    assert any(later[deal_id] != before[deal_id] for deal_id in before)  # the game did move on


def test_an_attention_trend_reads_like_the_tuple_of_its_weeks() -> None:
    game = Game(load_scenario("default"), 2)
    for _ in range(3):
        game.end_turn()
    view = next(view for view in game.observe().deals if view.open)
    trend = view.attention_trend
    weeks = tuple(trend)
    assert len(weeks) == len(trend) == 4 and trend == weeks and weeks == trend.values and hash(trend) == hash(weeks)
    assert trend[0] == weeks[0] and trend[-1] == weeks[-1] == view.attention and trend[1:3] == weeks[1:3]
    assert (min(trend), max(trend)) == (min(weeks), max(weeks)) and repr(trend) == repr(weeks)
    for outside in (4, -5):
        with pytest.raises(IndexError):
            trend[outside]
    with pytest.raises(TypeError):
        view.done["share_insight"] = 1  # type: ignore[index]


@pytest.mark.parametrize(("name", "strategy"), [("default", "advisor"), ("enterprise", "random"), ("tutorial", "idle")])
def test_a_turns_deal_views_read_like_the_tuple_of_every_deal_as_it_was(name: str, strategy: str) -> None:
    """Every turn's views share one list of the ended deals' views, which fills as deals end: none may show a later turn."""
    game = Game(load_scenario(name), 4)
    bot = load_strategy(strategy)(4)
    kept = []
    while not game.over:
        observation = play_turn(game, bot)
        copy = tuple(observation.deals)
        # What each deal was at this turn, from the world itself rather than from the views.
        assert [(view.id, view.ending) for view in copy] == [
            (deal.id, deal.state if deal.ended else None) for deal in game.world.deals]
        kept.append((observation, copy))
        game.end_turn()
    assert len(kept) > 2
    ended_since = {view.id for view in kept[0][1] if view.open} - {view.id for view in kept[-1][0].open_deals}
    assert ended_since  # deals did end after the first turn, so the shared list did fill
    for observation, copy in kept:
        deals = observation.deals
        assert deals == copy and copy == deals and tuple(deals) == copy
        assert len(deals) == len(copy) and repr(deals) == repr(copy)
        assert all(deals[at] is copy[at] and deals[-1 - at] is copy[-1 - at] for at in range(len(copy)))
        assert deals[1:4] == copy[1:4] and deals[::-1] == copy[::-1] and tuple(reversed(deals)) == copy[::-1]
        assert observation.open_deals == tuple(view for view in copy if view.open)
        assert observation._replace(deals=copy).open_deals == observation.open_deals
        assert observation.deal(copy[-1].id) is copy[-1]
        for outside in (len(copy), -len(copy) - 1):
            with pytest.raises(IndexError):
                deals[outside]


@pytest.mark.parametrize("name", ["default", "tutorial", "enterprise"])
def test_the_people_a_view_shows_are_the_buying_group_as_it_is_now(name: str) -> None:
    """A deal's people are noted again only when it or its account's discoveries changed: never stale."""
    for strategy in ("advisor", "typical", "random"):
        game = Game(load_scenario(name), 7)
        bot = load_strategy(strategy)(7)
        shown = 0
        while not game.over:
            for view in play_turn(game, bot).deals:
                if view.open:
                    deal = game.world.deal_by_id[view.id]
                    as_now = StakeholderReads(game.seed, game.week, view.id, discovered_people(deal.group.members))
                    assert view.stakeholders == as_now, (strategy, game.week, view.id)
                    shown += len(as_now)
            game.end_turn()
        assert shown > 0


@pytest.mark.parametrize(("weeks", "group"), [(8, 1), (26, 3), (52, 8)])
def test_deals_at_one_account_show_their_people_as_they_are_now(weeks: int, group: int) -> None:
    # One account, six deals: mapping one deal's group discovers people the others show too.
    game = Game(scenario(deals=6, weeks=weeks, group=group, crisis_rate=0.2, shift_rate=0.2), 3)
    bot = load_strategy("advisor")(3)
    while not game.over:
        for view in play_turn(game, bot).deals:
            if view.open:
                deal = game.world.deal_by_id[view.id]
                assert view.stakeholders == StakeholderReads(game.seed, game.week, view.id,
                                                             discovered_people(deal.group.members))
        game.end_turn()


def _alive(identity: int) -> bool:
    """Whether an object the collector tracks is still alive (a compiled World cannot be weakly referenced)."""
    return any(id(thing) == identity for thing in gc.get_objects())


def test_a_finished_game_is_freed_without_the_garbage_collector() -> None:
    gc.collect()
    gc.disable()
    try:
        game = Game(load_scenario("default"), 5)
        bot = load_strategy("advisor")(5)
        while not game.over:
            play_turn(game, bot)
            game.end_turn()
        game.result("advisor")
        world, env = id(game.world), id(game.world.env)
        assert _alive(world) and _alive(env)
        del game, bot
        assert not _alive(world) and not _alive(env)
    finally:
        gc.enable()


@pytest.mark.parametrize("name", ["default", "tutorial", "enterprise"])
def test_no_bot_leaves_a_reference_cycle_behind(name: str) -> None:
    # `play` pauses the cycle collector for a game on this ground: all a game leaves is freed as it goes.
    world = load_scenario(name)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for strategy in ("idle", "random", "pusher", "typical", "advisor"):
            play(world, strategy, 7)
        gc.collect()
        left = [type(thing).__name__ for thing in gc.garbage]
        assert left == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_play_resumes_the_cycle_collector_as_it_was() -> None:
    assert gc.isenabled()
    play(scenario(deals=1), "advisor", 0)
    assert gc.isenabled()
    gc.disable()
    try:
        play(scenario(deals=1), "advisor", 0)
        assert not gc.isenabled()
    finally:
        gc.enable()
