"""Pilot tests of the trainee's first hour: coach notes, safer turns, forecast calls, whom to act on, text as data."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from textual.widgets import OptionList
from textual.widgets._toast import Toast
from tui_support import choose_action, rendered, screen_text

from sim.forecast import CALL_LABELS
from sim.game import Game
from sim.model.actions import ACTIONS
from sim.scenario.loader import load_scenario
from tui import saves, settings
from tui.app import DealDriftApp
from tui.screens.actions import ActionScreen
from tui.screens.deal import DealScreen
from tui.screens.end_week import EndWeekScreen
from tui.screens.forecast import ForecastScreen
from tui.screens.legend import LegendScreen
from tui.screens.person import PersonScreen
from tui.screens.pipeline import PipelineScreen
from tui.session import Session
from tui.widgets.coach_note import CoachNote
from tui.widgets.deal_table import DealTable
from tui.widgets.event_feed import EventFeed

SIZE = (100, 30)


def _notifications(app: DealDriftApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def _start(pilot) -> None:  # noqa: ANN001
    await pilot.press("enter")
    await pilot.pause()


# -- coach notes ----------------------------------------------------------------------------

async def test_coach_notes_show_in_order_point_at_their_element_and_can_be_dismissed_and_turned_off() -> None:
    notes = load_scenario("tutorial").tutorial
    starting = [note for note in notes if note.trigger in ("start", "status_quo")]
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        note = app.screen.query_one(CoachNote)
        table = app.screen.query_one(DealTable)
        # The first note describes the pipeline, which is highlighted.
        assert note.note == starting[0] and note.display
        assert starting[0].text[:60] in " ".join(rendered(pilot).split())
        assert table.has_class("-pointed")
        await pilot.press("c")
        await pilot.pause()
        # The next one points at the Stage column: its header is marked, the table no longer highlighted.
        assert note.note == starting[1] and starting[1].points_at == "stage"
        assert table.pointed_at == "stage" and not table.has_class("-pointed")
        assert "Stage◂" in rendered(pilot)
        await pilot.press("C")  # notes off, remembered
        await pilot.pause()
        assert note.note is None and not note.display and not settings.load().coach_notes
        assert "Stage◂" not in rendered(pilot)
        await pilot.press("C")  # and on again, at the same note
        await pilot.pause()
        assert note.note == starting[1] and settings.load().coach_notes
        save = app.session.save_path

    # A continued game does not repeat a dismissed note.
    app = DealDriftApp(session=Session.load(save))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(CoachNote).note == starting[1]


async def test_a_coach_note_is_triggered_by_the_state_of_the_game() -> None:
    tutorial = load_scenario("tutorial")
    plan_note = next(note for note in tutorial.tutorial if note.trigger == "plan")
    app = DealDriftApp(scenario=tutorial, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        coach = app.session.coach
        for _ in range(len(tutorial.tutorial)):  # read every note due at the start
            await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one(CoachNote).note is None
        assert all(plan_note is not note for _index, note in [coach.current() or (0, None)])
        await pilot.press("j", "a")
        await pilot.pause()
        await choose_action(pilot, "co_create_plan")
        await pilot.press("space")
        await pilot.pause()
        shown = app.screen.query_one(CoachNote).note
        assert app.session.observe().deal("warehouse-scanners").plan is not None
        assert shown is not None and shown.trigger in ("plan", "week")
        while shown is not None and shown is not plan_note:
            await pilot.press("c")
            await pilot.pause()
            shown = app.screen.query_one(CoachNote).note
        assert shown is plan_note
        assert app.screen.query_one(DealTable).pointed_at == "plan"


async def test_a_scenario_without_notes_has_no_coach_and_no_coach_keys() -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        assert app.screen.query_one(CoachNote).note is None
        assert "Got it" not in rendered(pilot)


# -- the first run: the legend, and the unspent-hours question --------------------------------

async def test_a_first_game_explains_the_columns_once(first_timer: Path) -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        assert isinstance(app.screen, LegendScreen)
        text = rendered(pilot)
        for column in ("Stage", "Attn≈", "Urg≈", "Plan", "Close", "Call", "an estimate"):
            assert column in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        assert isinstance(app.screen, PipelineScreen)  # not a second time


async def test_ending_a_week_with_hours_unspent_asks_first_and_can_stop_asking(first_timer: Path) -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape")  # start, close the legend
        await pilot.pause()
        hours = app.session.observe().hours_per_week
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, EndWeekScreen)
        assert f"End week 1 with {hours} h unspent?" in rendered(pilot)
        await pilot.press("n")  # keep planning
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen) and app.session.observe().week == 1
        await pilot.press("space", "d", "y")  # don't ask again, end the week
        await pilot.pause()
        assert app.session.observe().week == 2
        assert settings.load().ask_before_unspent_hours is False
        stored = json.loads(settings.settings_path().read_text(encoding="utf-8"))
        assert stored["ask_before_unspent_hours"] is False
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen) and app.session.observe().week == 3


async def test_a_week_with_every_hour_spent_ends_without_a_question(first_timer: Path) -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape")
        await pilot.pause()
        session = app.session
        deals = [deal.id for deal in session.observe().deals]
        for deal_id in deals:  # spend every hour, on whatever can be queued
            for spec in ACTIONS.values():
                if session.observe().hours_left and session.refusal(deal_id, spec.name) is None:
                    session.act(deal_id, spec.name)
        assert session.observe().hours_left == 0
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen) and session.observe().week == 2


# -- undo of the week just played --------------------------------------------------------------

async def test_undo_takes_back_the_week_just_played_in_the_same_world() -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        await choose_action(pilot, "share_insight")
        await pilot.press("f", "c")  # and a forecast call
        await pilot.pause()
        queued = app.session.observe().queued
        await pilot.press("space")
        await pilot.pause()
        first = app.session.observe()
        assert first.week == 2 and "Undo week" in rendered(pilot)
        await pilot.press("u")
        await pilot.pause()
        again = app.session.observe()
        assert again.week == 1 and again.queued == queued  # the week's actions are queued again
        assert again.deals[0].forecast_call == "commit"
        assert json.loads(app.session.save_path.read_text())["turns"] == []
        assert any(message.startswith("Week 1 is to play again") for message in _notifications(app))
        assert "Undo week" not in rendered(pilot)
        await pilot.press("u")  # only once: there is no week before to undo now
        await pilot.pause()
        assert app.session.observe().week == 1
        await pilot.press("space")
        await pilot.pause()
        replayed = app.session.observe()
        # The same world and the same actions give the same week.
        assert replayed.feed == first.feed and replayed.deals == first.deals


# -- refunds --------------------------------------------------------------------------------

def _deal_ending_in_a_week(seed: int) -> tuple[str, int]:
    """A deal that ends on its own, and the week it ends in, in an idle game (computed from the engine)."""
    game = Game(load_scenario("default"), seed)
    while not game.over:
        game.end_turn()
    for deal in game.world.deals:
        if deal.ended and deal.closed_day is not None and deal.history[0][1] != deal.state:
            week = int(deal.closed_day // 7) + 1
            if 2 <= week < game.weeks - 1:
                return deal.id, week
    raise AssertionError("no deal ended on its own")


async def test_an_action_on_a_deal_that_ended_first_is_refunded_and_the_feed_says_so() -> None:
    deal_id, week = _deal_ending_in_a_week(7)
    meeting = ACTIONS["meet_sponsor"]  # happens a week after it is queued: after the deal has ended
    app = DealDriftApp(scenario=load_scenario("default"), seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        for _ in range(week - 1):
            await pilot.press("space")
            await pilot.pause()
        assert app.session.observe().week == week
        app.screen.query_one(DealTable).select_deal(deal_id)
        await pilot.press("a")
        await pilot.pause()
        await choose_action(pilot, "meet_sponsor")
        if isinstance(app.screen, PersonScreen):
            await pilot.press("enter")
            await pilot.pause()
        assert [q.action for q in app.session.observe().queued] == ["meet_sponsor"]
        await pilot.press("space")  # the deal ends this week
        await pilot.pause()
        assert not app.session.observe().deal(deal_id).open
        await pilot.press("space")  # the meeting's day comes: it does not happen
        await pilot.pause()
        observation = app.session.observe()
        hours = observation.hours_per_week
        assert observation.hours_refunded == meeting.hours and observation.hours_left == hours + meeting.hours
        text = " ".join(rendered(pilot).split())
        assert f"{hours + meeting.hours} h of {hours} h left (+{meeting.hours} h refunded)" in text
        feed = app.screen.query_one(EventFeed)
        refunds = [item for item in observation.feed if item.kind == "refunded"]
        assert len(refunds) == 1 and f"{meeting.hours} h refunded" in refunds[0].text
        summary = screen_text(pilot).split("All that happened")[0]
        assert f"↺ {refunds[0].text}" in summary and feed.border_title.startswith(f"Week {week + 1}")
    assert app.session.result().hours_spent == 0


# -- the week's summary ----------------------------------------------------------------------

async def test_the_feed_opens_with_the_weeks_outcomes_and_the_engines_reasons() -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=7)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        seen = 0
        while not app.session.over and seen < 3:
            await pilot.press("space")
            await pilot.pause()
            if app.session.over:
                break
            observation = app.session.observe()
            ended = [item for item in observation.feed if item.kind == "ended"]
            text = screen_text(pilot)
            if not ended:
                continue
            seen += 1
            summary, details = text.split("All that happened")
            for item in ended:
                deal = observation.deal(item.deal)
                assert deal.explanation and f"✗ {deal.account} · {deal.title}: {deal.explanation}" in summary
                assert item.text in details
        assert seen


# -- forecast calls ----------------------------------------------------------------------------

async def test_f_calls_the_selected_deal_and_the_call_can_be_changed_back() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "f")
        await pilot.pause()
        assert isinstance(app.screen, ForecastScreen)
        assert "called pipeline now" in rendered(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.session.game.forecast_call("warehouse-scanners") == "commit"
        row = app.screen.query_one(DealTable).get_row("warehouse-scanners")
        assert str(row[-1]) == CALL_LABELS["commit"]
        saved = json.loads(app.session.save_path.read_text())
        assert saved["queued"]["calls"] == {"warehouse-scanners": "commit"}
        await pilot.press("f", "down", "enter")  # best case, by the arrows
        await pilot.pause()
        assert app.session.game.forecast_call("warehouse-scanners") == "best_case"
        await pilot.press("enter", "f", "p")  # from the deal screen, back to pipeline
        await pilot.pause()
        assert isinstance(app.screen, DealScreen) and "called pipeline" in rendered(pilot)
        assert app.session.game.forecast_call("warehouse-scanners") == "pipeline"
        await pilot.press("f", "escape")  # Esc leaves the call as it is
        await pilot.pause()
        assert app.session.game.forecast_call("warehouse-scanners") == "pipeline"


# -- whom an action is for --------------------------------------------------------------------

async def test_an_action_aimed_at_a_person_asks_whom_with_the_default_first() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "a")
        await pilot.pause()
        # Before mapping, only the champion is known: the sponsor meeting can only be with her.
        await choose_action(pilot, "meet_sponsor")
        assert isinstance(app.screen, PersonScreen)
        text = rendered(pilot)
        assert "Maya Chen" in text and "Tom Reyes" not in text and "map the buying group" in text
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await choose_action(pilot, "map_buying_group")
        await pilot.press("space")
        await pilot.pause()
        observation = app.session.observe()
        assert observation.deal("warehouse-scanners").group_mapped
        await pilot.press("a")
        await pilot.pause()
        await choose_action(pilot, "meet_sponsor")
        options = app.screen.query_one(OptionList)
        assert isinstance(app.screen, PersonScreen)
        ids = [options.get_option_at_index(index).id for index in range(options.option_count)]
        assert set(ids) == {"maya", "tom"}
        assert ids[options.highlighted] == "tom"  # the economic buyer, the action's default
        assert "(default)" in str(options.get_option("tom").prompt)
        options.highlighted = ids.index("maya")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        queued = app.session.observe().queued
        assert [(q.action, q.target) for q in queued] == [("meet_sponsor", "maya")]
        assert "Meet the executive sponsor" in screen_text(pilot) and "→ Maya Chen" in screen_text(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(pilot)
        assert "Meet the executive sponsor with Maya Chen this week" in text
        assert "support ≈" in text and "Everyone in the group is known" in text


async def test_guidance_says_why_an_action_is_unlikely_to_help_and_is_off_outside_the_tutorial() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        assert isinstance(app.screen, ActionScreen)
        expected = app.session.guidance("dispatch-planning")
        assert expected  # a deal in the status quo: several actions will not help yet
        options = app.screen.query_one(OptionList)
        for action, why in expected.items():
            prompt = str(options.get_option(action).prompt)
            if "✗" not in prompt:
                assert f"Unlikely to help now: {why}" in prompt
        await pilot.press("g")
        await pilot.pause()
        assert not any("Unlikely to help now" in str(options.get_option(action).prompt) for action in expected)
    app = DealDriftApp(scenario=load_scenario("default"), seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert not any("Unlikely to help now" in str(options.get_option_at_index(index).prompt)
                       for index in range(options.option_count))


async def test_the_action_cursor_stops_on_greyed_actions_so_the_same_keys_pick_the_same_action() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        catalog = [spec.name for spec in app.session.catalog]
        options.highlighted = 0
        for index in range(1, len(catalog)):
            await pilot.press("down")
            assert options.highlighted == index
        # At 80x24 the last action and the hint are on screen with the cursor.
        text = rendered(pilot)
        assert ACTIONS[catalog[-1]].label in text and "Esc closes" in text


# -- text is data ------------------------------------------------------------------------------

TRICKY = textwrap.dedent('''
    [scenario]
    id = "tricky"
    title = "[Draft] Q3 [b]push[/b] plan"
    weeks = 4
    story = "The [i]story[/i] of [Acme] and [bold red]you[/]."
    practise = ["Read [b]this[/b] as text."]

    [seller]
    hours_per_week = 20
    quota = 100_000

    [[accounts]]
    id = "acme"
    name = "Acme [Holdings]"
    buying_maturity = 0.5
    initiatives = ["[growth]"]
    crisis_rate = 0.0

      [[accounts.stakeholders]]
      id = "dana"
      name = "Dana [CFO] Ortiz"
      role = "champion"
      influence = 0.6

    [[deals]]
    id = "big"
    account = "acme"
    title = "[b]Big[/b] deal [x]"
    value = 90_000
    business_impact = 400_000
    criticality = 0.5
    initiative = "[growth]"

    [[events]]
    week = 1
    account = "acme"
    kind = "crisis"
    text = "A [red]crisis[/red] at [Acme]."

    [[tutorial]]
    trigger = "start"
    text = "Press [b]a[/b] on [Big]."
''')


async def test_every_scenario_string_is_shown_as_written(tmp_path: Path) -> None:
    source = tmp_path / "tricky.toml"
    source.write_text(TRICKY, encoding="utf-8")
    scenario = load_scenario(str(source))
    app = DealDriftApp(scenario=scenario, seed=1)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        briefing = rendered(pilot)
        for text in ("[Draft] Q3 [b]push[/b] plan", "The [i]story[/i] of [Acme] and [bold red]you[/].",
                     "Read [b]this[/b] as text."):
            assert text in briefing
        await pilot.press("enter")
        await pilot.pause()
        pipeline = rendered(pilot)
        for text in ("[Draft] Q3 [b]push[/b] plan", "Acme [Holdings]", "[b]Big[/b] deal [x]", "Press [b]a[/b] on [Big]."):
            assert text in pipeline
        await pilot.press("space")
        await pilot.pause()
        assert "A [red]crisis[/red] at [Acme]." in rendered(pilot)
        await pilot.press("enter")
        await pilot.pause()
        deal = rendered(pilot)
        for text in ("Acme [Holdings] · [b]Big[/b] deal [x]", "Dana [CFO] Ortiz", "Serves     [growth]"):
            assert text in deal
        await pilot.press("a")
        await pilot.pause()
        assert "[b]Big[/b] deal [x] at Acme [Holdings]" in rendered(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause()
        # A refusal that names the deal is shown as written too.
        app.screen.refused(ValueError(f"{scenario.deals[0].title} [red]refused[/red]"))
        await pilot.pause()
        await pilot.pause()
        assert "[b]Big[/b] deal [x] [red]refused[/red]" in _notifications(app)
        await pilot.pause(0.3)
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any("[b]Big[/b] deal [x] [red]refused[/red]" in toast for toast in toasts), toasts
        while not app.session.over:
            await pilot.press("space")
            await pilot.pause()
        debrief = screen_text(pilot)
        assert "Debrief: [Draft] Q3 [b]push[/b] plan" in debrief and "Acme [Holdings] · [b]Big[/b] deal [x]" in debrief
    assert saves.latest_save() is not None


def test_damaged_or_foreign_settings_fall_back_to_the_defaults() -> None:
    path = settings.settings_path()
    for text in ("{not json", "[1, 2]", '{"coach_notes": "yes", "unknown": true}'):
        path.write_text(text, encoding="utf-8")
        assert settings.load() == settings.Settings()
    path.write_text('{"coach_notes": false}', encoding="utf-8")
    assert settings.load() == settings.Settings(coach_notes=False)
    assert settings.change(legend_seen=True) == settings.Settings(coach_notes=False, legend_seen=True)
    assert json.loads(path.read_text(encoding="utf-8"))["legend_seen"] is True
