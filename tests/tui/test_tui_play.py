"""Pilot tests: play Deal Drift by keys and check what the screens show."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from textual.widgets import OptionList
from tui_support import choose_action, finished_session, picker_checked, screen_text

from sim.model.actions import ACTIONS
from sim.scenario import loader
from sim.scenario.loader import Problem, ScenarioError, load_scenario
from sim.stages import STAGE_LABELS
from tui import saves
from tui.app import DealDriftApp
from tui.format import money
from tui.screens.actions import ActionScreen, Choice
from tui.screens.briefing import BriefingScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.deal import DealScreen
from tui.screens.debrief import DebriefScreen
from tui.screens.end_week import EndWeekScreen
from tui.screens.legend import LegendScreen
from tui.screens.help import HelpScreen, help_text, key_names, sections
from tui.screens import picker as picker_module
from tui.screens.picker import PickerScreen
from tui.screens.pipeline import PipelineScreen
from tui.session import Session
from tui.widgets.deal_table import DealTable

SIZE = (100, 30)


def _notifications(app: DealDriftApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_the_picker_lists_the_tutorial_first_and_highlights_it_for_a_first_timer() -> None:
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(index).id for index in range(options.option_count)]
        assert ids[:3] == ["tutorial", "default", "enterprise"]  # easy, medium, hard
        assert options.get_option_at_index(options.highlighted).id == "tutorial"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario.scenario.id == "tutorial"


@pytest.fixture
def held_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The picker's check waits until the test sets the returned event (before its app closes)."""
    gate = threading.Event()
    check = picker_module.check_bundled

    def held() -> picker_module.Findings:
        assert gate.wait(10), "the test did not let the check run"
        return check()

    monkeypatch.setattr(picker_module, "check_bundled", held)
    yield gate
    gate.set()


def _entries(options: OptionList) -> list[tuple[str | None, str, bool]]:
    return [(option.id, str(option.prompt), option.disabled)
            for option in (options.get_option_at_index(index) for index in range(options.option_count))]


async def test_the_picker_takes_keys_before_its_check_and_the_check_leaves_the_list_as_it_was(
    held_check: threading.Event,
) -> None:
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen) and picker.findings is None
        options = picker.query_one(OptionList)
        before = _entries(options)
        assert [entry[0] for entry in before] == ["tutorial", "default", "enterprise"]
        assert not any(entry[2] for entry in before)
        await pilot.press("down")
        assert options.highlighted == 1
        held_check.set()
        await picker_checked(pilot)
        assert picker.findings is not None and picker.findings.problems == {}
        assert _entries(options) == before and options.highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario == load_scenario("default")


async def test_a_scenario_chosen_before_the_check_is_loaded_then(held_check: threading.Event) -> None:
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.findings is None
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario == load_scenario("enterprise")
        held_check.set()  # before the app closes, so that closing does not wait for the held check


async def test_a_scenario_that_fails_its_check_cannot_be_chosen(
    held_check: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = loader.load_scenario

    def load(source: str) -> object:
        if source == "enterprise":
            raise ScenarioError([Problem("enterprise.toml", 5, "scenario.weeks", "must be at least 1")])
        return real(source)

    monkeypatch.setattr(loader, "load_scenario", load)
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # before the check: loaded on the spot, and refused
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any("enterprise.toml:5: error: scenario.weeks: must be at least 1" == message
                   for message in _notifications(app))
        held_check.set()
        await picker_checked(pilot)
        options = app.screen.query_one(OptionList)
        entries = _entries(options)
        assert [(entry[0], entry[2]) for entry in entries] == [("tutorial", False), ("default", False),
                                                               ("enterprise", True)]
        assert entries[2][1] == "enterprise\n  cannot be loaded: enterprise.toml:5: error: scenario.weeks: must be at least 1"
        assert options.highlighted == 0  # it was on enterprise, which can no longer be chosen


async def test_a_scenario_whose_card_cannot_be_read_waits_for_its_check(
    held_check: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_card = picker_module.read_card
    monkeypatch.setattr(picker_module, "read_card", lambda name: None if name == "default" else read_card(name))
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert _entries(options)[-1] == ("default", "default\n  checking…", True)
        held_check.set()
        await picker_checked(pilot)
        assert [(entry[0], entry[2]) for entry in _entries(options)] == [("tutorial", False), ("default", False),
                                                                        ("enterprise", False)]
        assert "First Quarter at Northwind Region  13 weeks · 10 deals · medium" in _entries(options)[1][1]


async def test_picker_highlights_default_once_a_game_was_played_and_enter_opens_its_briefing() -> None:
    Session.new(load_scenario("tutorial"), 1)
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == "default"
        text = screen_text(pilot)
        for title in ("First Quarter at Northwind Region", "Tutorial: Two Deals at Brightwater"):
            assert title in text
        assert "13 weeks · 10 deals · medium" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.scenario.scenario.id == "default"


async def test_a_whole_tutorial_game_played_by_keys(home: Path) -> None:
    tutorial = load_scenario("tutorial")
    weeks, hours, quota = tutorial.scenario.weeks, tutorial.seller.hours_per_week, money(tutorial.seller.quota)
    insight, plan = ACTIONS["share_insight"].hours, ACTIONS["co_create_plan"].hours
    app = DealDriftApp(seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        while options.get_option_at_index(options.highlighted).id != "tutorial":
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, BriefingScreen)
        briefing = screen_text(pilot)
        assert "Brightwater Logistics" in briefing
        assert f"{quota} in bookings" in briefing
        assert f"{weeks} weeks, one turn a week" in briefing
        assert f"{hours} h a week" in briefing
        assert "What to practise" in briefing
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, PipelineScreen)
        text = screen_text(pilot)
        assert f"Week 1 of {weeks}" in text and f"{hours} h of {hours} h left" in text
        assert f"Booked 0 of {quota}" in text
        assert "Dispatch planning" in text and "status quo" in text and "Warehouse scanners" in text
        assert "Nothing has happened yet" in text

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionScreen)
        await choose_action(pilot, "share_insight")
        assert isinstance(app.screen, PipelineScreen)
        text = screen_text(pilot)
        assert f"{hours - insight} h of {hours} h left" in text
        assert f"{insight} h Share insight\n   Dispatch planning" in text

        await pilot.press("j", "a")
        await pilot.pause()
        await choose_action(pilot, "co_create_plan")
        assert f"{hours - insight - plan} h of {hours} h left" in screen_text(pilot)

        await pilot.press("space")
        await pilot.pause()
        text = screen_text(pilot)
        assert f"Week 2 of {weeks}" in text and f"{hours} h of {hours} h left" in text
        assert "Week 1: what happened" in text
        assert "Share insight: your insight landed" in text
        assert "Co-create a buying plan" in text
        assert "Nothing queued yet." in text

        for _week in range(2, weeks + 1):
            assert isinstance(app.screen, PipelineScreen)
            await pilot.press("k", "a")
            await pilot.pause()
            await choose_action(pilot, "remind_impact")
            await pilot.press("space")
            await pilot.pause()

        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(pilot)
        assert "Debrief: Tutorial: Two Deals at Brightwater" in text
        assert f"Finished after {weeks} of {weeks} weeks." in text
        for heading in ("Score card", "How each deal ended", "Bookings against quota", "Attention per deal",
                        "What would have helped"):
            assert heading in text
        for label in ("Bookings", "Deals", "Cycle time", "Forecast accuracy", "Trust"):
            assert label in text
        assert "Brightwater Logistics · Dispatch planning: " in text
        assert "Brightwater Logistics · Warehouse scanners: " in text
        assert "Lesson: " in text

    save = saves.latest_save()
    assert save is not None and save.parent == home / "saves"
    data = json.loads(save.read_text())
    assert len(data["turns"]) == weeks
    assert data["turns"][0]["actions"] == [["dispatch-planning", "share_insight"],
                                           ["warehouse-scanners", "co_create_plan"]]


async def test_an_unaffordable_action_is_shown_disabled_with_the_reason() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    spent = ("share_insight", "quantify_impact", "co_create_plan", "remind_impact")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        hours = app.session.observe().hours_per_week
        for action in spent:
            await pilot.press("a")
            await pilot.pause()
            await choose_action(pilot, action)
        left = hours - sum(ACTIONS[action].hours for action in spent)
        assert f"{left} h of {hours} h left" in screen_text(pilot)
        too_long = next(spec for spec in ACTIONS.values()
                        if spec.hours > left and spec.name not in spent and spec.target_role is None)
        affordable = next(spec for spec in ACTIONS.values() if spec.hours <= left and spec.name not in spent)

        await pilot.press("a")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        refused = options.get_option(too_long.name)
        reason = f"Not enough hours left this week: {too_long.label} takes {too_long.hours} h, you have {left} h."
        assert f"✗ {reason}" in str(refused.prompt)
        # Greyed, not disabled: the cursor stops on it, and Enter says why it can't be taken.
        ids = [options.get_option_at_index(index).id for index in range(options.option_count)]
        options.highlighted = ids.index(too_long.name)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionScreen) and reason in _notifications(app)
        queued = options.get_option("share_insight")
        assert not queued.disabled and "Queued this week. Enter cancels it." in str(queued.prompt)
        assert not options.get_option(affordable.name).disabled

        # Choosing the queued one cancels it and gives its hours back.
        await choose_action(pilot, "share_insight")
        assert f"{left + ACTIONS['share_insight'].hours} h of {hours} h left" in screen_text(pilot)
        assert [queued.action for queued in app.session.observe().queued] == [
            "quantify_impact", "co_create_plan", "remind_impact"]


async def test_a_refused_action_becomes_a_notification_not_a_crash() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert "Nothing is queued this week." in _notifications(app)
        screen = app.screen
        assert isinstance(screen, PipelineScreen)
        # The engine refuses (the hours ran out since the list was drawn): the reason is shown.
        app.session.act("dispatch-planning", "quantify_impact")
        app.session.act("dispatch-planning", "co_create_plan")
        app.session.act("dispatch-planning", "share_insight")
        screen._chosen("warehouse-scanners", Choice("co_create_plan"))
        await pilot.pause()
        assert any(message.startswith("Not enough hours left this week") for message in _notifications(app))
        assert isinstance(app.screen, PipelineScreen)


async def test_the_queue_lists_actions_and_cancels_them() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        await choose_action(pilot, "share_insight")
        await pilot.press("j", "a")
        await pilot.pause()
        await choose_action(pilot, "pitch_demo")
        assert "Queued: 7 h" in screen_text(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert [q.action for q in app.session.observe().queued] == ["share_insight"]
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()
        assert app.session.observe().queued == ()
        assert "20 h of 20 h left" in screen_text(pilot)


async def test_the_deal_screen_shows_group_plan_knowledge_history_and_trend() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "a")
        await pilot.pause()
        await choose_action(pilot, "co_create_plan")
        await pilot.press("a")
        await pilot.pause()
        await choose_action(pilot, "map_buying_group")
        await pilot.press("space", "space")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DealScreen)
        assert app.screen.deal_id == "warehouse-scanners"
        text = screen_text(pilot)
        for heading in ("Buying group", "Buying plan", "Impact and alignment", "Attention by week", "History"):
            assert heading in text
        assert "Maya Chen, champion" in text and "Tom Reyes, economic buyer" in text
        assert "Target close ≈ day" in text
        assert "Impact     not quantified yet" in text and "Priorities not learned yet" in text
        start = next(d.stage for d in load_scenario("tutorial").deals if d.id == "warehouse-scanners")
        assert f"day 0 (wk 1)    {STAGE_LABELS[start]}" in text
        assert "Co-create a buying plan ×1" in text
        if not app.session.observe().deal("warehouse-scanners").open:
            await pilot.press("a")  # an ended deal offers no actions
            await pilot.pause()
            assert isinstance(app.screen, DealScreen)
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.deal_id == "dispatch-planning"
        assert "No buying plan agreed with the customer." in screen_text(pilot)
        await pilot.press("a")
        await pilot.pause()
        await choose_action(pilot, "remind_impact")
        assert "queued  Remind of impact / check in this week" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        assert app.screen.query_one(DealTable).deal_id == "dispatch-planning"


async def test_resume_after_a_crash_continues_at_the_same_week_with_the_same_state() -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a")
        await pilot.pause()
        await choose_action(pilot, "share_insight")
        await pilot.press("space", "j", "j", "a")
        await pilot.pause()
        await choose_action(pilot, "quantify_impact")
        await pilot.press("space", "a")
        await pilot.pause()
        await choose_action(pilot, "remind_impact")
        before = app.session.observe()
        assert before.week == 3 and before.queued
    # The app is gone without quitting (as if the terminal was killed): only the autosave is left.

    resumed = Session.resume()
    app = DealDriftApp(session=resumed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        after = app.session.observe()
        # Even the action queued this week survived: the queue is saved as it changes.
        assert after.week == 3 and after.queued == before.queued
        assert after.hours_left == before.hours_left
        assert after.deals == before.deals
        assert after.feed == before.feed
        assert "Week 3 of 13" in screen_text(pilot)


async def test_quit_asks_first_then_saves(home: Path) -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "space", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        save = app.session.save_path
        save.unlink()
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 0
    assert json.loads(save.read_text())["turns"] == [{"actions": [], "calls": {}}]


async def test_a_finished_save_opens_on_its_debrief() -> None:
    session = finished_session()
    app = DealDriftApp(session=Session.load(session.save_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("w")
        await pilot.pause()
        report = session.save_path.with_suffix(".md")
        assert report.read_text().startswith("# Debrief: Tutorial")
        await pilot.press("n", "space")  # the end-of-week keys do nothing here: the debrief stays
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_the_picker_offers_to_continue_an_unfinished_game() -> None:
    session = Session.new(load_scenario("tutorial"), 1)
    session.game.end_turn()
    session.save()
    app = DealDriftApp()
    async with app.run_test(size=SIZE) as pilot:
        await picker_checked(pilot)
        assert "Continue your last game" in screen_text(pilot)
        assert "Tutorial: Two Deals at Brightwater, week 2 of" in screen_text(pilot)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.option_count - 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        assert app.session.save_path == session.save_path


async def test_help_lists_every_key_of_every_screen() -> None:
    text = str(help_text(app=DealDriftApp))
    for _title, screen, _rows in sections(DealDriftApp):
        for binding in screen.BINDINGS:
            assert key_names(binding.key) in text, f"{binding.key} of {screen.__name__} is not in the help"
    app = DealDriftApp(scenario=load_scenario("tutorial"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown_help = screen_text(pilot)
        assert shown_help.index("\nPipeline\n") < shown_help.index("\nDeal\n")
        assert "carry out the queued actions and play the week" in shown_help
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)


async def test_the_pipeline_re_lays_its_columns_when_the_terminal_shrinks() -> None:
    app = DealDriftApp(scenario=load_scenario("default"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(DealTable)
        assert "Days" in [str(column.label) for column in table.columns.values()]
        assert "250,000" in screen_text(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        labels = [str(column.label) for column in table.columns.values()]
        assert "Attn≈" in labels and "Days" not in labels  # days in stage move to the deal screen
        assert "250k" in screen_text(pilot)
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 80 - 2


async def test_the_mouse_selects_and_opens_deals_and_uses_footer_keys() -> None:
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(DealTable)
        second_row = (5, 3)  # below the border and the header
        await pilot.click(DealTable, offset=second_row)
        await pilot.pause()
        assert table.deal_id == "warehouse-scanners" and isinstance(app.screen, PipelineScreen)
        await pilot.click(DealTable, offset=second_row)
        await pilot.pause()
        assert isinstance(app.screen, DealScreen) and app.screen.deal_id == "warehouse-scanners"


async def test_a_save_folder_that_cannot_be_written_is_reported_and_the_game_goes_on(
    tmp_path: Path, monkeypatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("DEALDRIFT_HOME", str(blocker))
    app = DealDriftApp(scenario=load_scenario("tutorial"), seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        # No settings can be read or kept there, so the column legend is shown, as on a first game.
        assert isinstance(app.screen, LegendScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PipelineScreen)
        assert any(message.startswith("Could not save the game to ") for message in _notifications(app))
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, EndWeekScreen)  # nothing queued, and no "don't ask again" could be kept
        await pilot.press("y")
        await pilot.pause()
        assert app.session.observe().week == 2
        assert sum("Could not save the game" in message for message in _notifications(app)) == 2
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # "Quit without saving?"
        assert "Quit without saving?" in screen_text(pilot)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
