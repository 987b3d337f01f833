"""Helpers of the TUI tests: read what a screen shows, choose actions by keys, finish games."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static

from sim.game import Game
from sim.scenario.loader import load_scenario
from tui.session import Session


def shown(widget: Widget) -> str:
    """The plain text a widget shows (Static text, table cells, list options), with its border titles."""
    parts = [str(widget.border_title or ""), str(widget.border_subtitle or "")]
    if isinstance(widget, Static):
        parts.append(str(widget.render()))
    elif isinstance(widget, DataTable):
        parts += [" ".join(str(cell) for cell in widget.get_row_at(row)) for row in range(widget.row_count)]
    elif isinstance(widget, OptionList):
        parts += [str(widget.get_option_at_index(index).prompt) for index in range(widget.option_count)]
    return "\n".join(part for part in parts if part)


def screen_text(pilot: Pilot) -> str:
    """Everything the current screen shows, as plain text."""
    screen = pilot.app.screen
    return "\n".join(text for widget in screen.query("*") if (text := shown(widget)))


async def picker_checked(pilot: Pilot) -> None:
    """Wait until the picker on screen has checked the scenarios and read the last saved game."""
    from tui.screens.picker import PickerScreen

    picker = pilot.app.screen
    assert isinstance(picker, PickerScreen), picker
    for _ in range(200):
        if picker.findings is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the picker's check did not finish within 10 s")


async def choose_action(pilot: Pilot, action: str) -> None:
    """In the action picker, move to `action` with the arrow keys and press Enter."""
    options = pilot.app.screen.query_one(OptionList)
    ids = [options.get_option_at_index(index).id for index in range(options.option_count)]
    assert action in ids, f"{action} is not offered"
    for _ in range(len(ids)):
        if options.highlighted is not None and ids[options.highlighted] == action:
            break
        await pilot.press("down")
    assert ids[options.highlighted] == action, f"{action} cannot be highlighted (disabled?)"
    await pilot.press("enter")
    await pilot.pause()


def finished_session(seed: int = 5, scenario: str = "tutorial") -> Session:
    """A saved, finished game: a seller who creates the need, quantifies, plans and checks in."""
    game = Game(load_scenario(scenario), seed)
    plan = ("share_insight", "quantify_impact", "co_create_plan", "map_buying_group", "remind_impact")
    while not game.over:
        for deal in game.observe().deals:
            for action in plan:
                if deal.open and game.refusal(deal.id, action) is None and deal.done.get(action, 0) < 2:
                    game.act(deal.id, action)
                    break
        game.end_turn()
    from tui import saves

    session = Session(game, saves.new_save_path(scenario))
    session.save()
    return session


def rendered(pilot: Pilot) -> str:
    """What the terminal shows now, line by line (border titles and all), as plain text."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())
