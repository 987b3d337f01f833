"""The action picker: the catalog for one deal, with hours, explanations and why some are not possible now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .base import ListKeys

if TYPE_CHECKING:
    from ..session import Session


def queue_or_cancel(session: Session, deal_id: str, action: str) -> None:
    """Queue `action` on the deal, or cancel it if it is already queued (raises ActionRefused)."""
    for queued in session.observe().queued:
        if queued.deal_id == deal_id and queued.action == action:
            session.cancel(queued.index)
            return
    session.act(deal_id, action)


def _lead(days: int) -> str:
    if days == 0:
        return "at once"
    return "next day" if days == 1 else f"in {days} days"


class ActionScreen(ListKeys, ModalScreen[str | None]):
    """Choose an action for a deal; dismisses with the action's name, or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", tooltip="close without choosing"),
        Binding("j", "move(1)", "Next action", show=False, tooltip="next action"),
        Binding("k", "move(-1)", "Previous action", show=False, tooltip="previous action"),
    ]
    HELP = [("↑ ↓", "move through the actions"), ("Enter", "queue the action, or cancel it if it is queued")]

    def __init__(self, session: Session, deal_id: str) -> None:
        """The picker for `deal_id` in `session`."""
        super().__init__()
        self._session = session
        self._deal_id = deal_id

    def compose(self) -> ComposeResult:
        """Title, hours left, the catalog and a hint."""
        observation = self._session.observe()
        deal = observation.deal(self._deal_id)
        with Vertical(id="action-dialog") as dialog:
            dialog.border_title = "Act on a deal"
            yield Static(
                Content.assemble((deal.title, "bold"), f" at {deal.account}", ("  ·  ", "$text-muted"),
                                 (f"{observation.hours_left} h", "bold"), " left this week"),
                id="action-heading",
            )
            yield OptionList(*self._options(), id="action-list")
            yield Static(
                Content.from_markup("[b]Enter[/b] queues (or cancels a queued one)  ·  [b]Esc[/b] closes"),
                id="action-hint",
            )

    def _options(self) -> list[Option]:
        queued = {q.action for q in self._session.observe().queued if q.deal_id == self._deal_id}
        options = []
        for spec in self._session.catalog:
            head = Content.assemble(
                (spec.label, "bold"), ("  ", ""), (f"{spec.hours} h", "bold $text-accent"),
                (f" · {_lead(spec.lead_days)}", "$text-muted"),
            )
            if spec.name in queued:
                line = Content.styled("✓ Queued this week. Enter cancels it.", "$text-success")
                options.append(Option(Content("\n").join([head, line]), id=spec.name))
                continue
            reason = self._session.refusal(self._deal_id, spec.name)
            if reason is None:
                line = Content.styled(spec.explanation, "$text-muted")
                options.append(Option(Content("\n").join([head, line]), id=spec.name))
            else:
                line = Content(f"✗ {reason}")
                options.append(Option(Content("\n").join([head, line]), id=spec.name, disabled=True))
        return options

    def on_mount(self) -> None:
        """Start on the first action that can be taken."""
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            if not options.get_option_at_index(index).disabled:
                options.highlighted = index
                break

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen action."""
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
