"""Whom an action aimed at a person is for: the discovered buying group, the action's default first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sim.model.actions import ActionSpec
from sim.observation import StakeholderView

from ..format import role_label
from .base import ListKeys

if TYPE_CHECKING:
    from ..session import Session


def person_line(person: StakeholderView) -> Content:
    """A person as the seller knows them: name, role, influence and an estimate of support, met or coached."""
    marks = [mark for known, mark in ((person.met, "met"), (person.coached, "coached"),
                                      (person.newcomer, "new")) if known]
    return Content.assemble(
        (person.name, "bold"), (f", {role_label(person.role)}", "$text-muted"),
        f"   influence {person.influence:.1f} · support ≈{person.support:.1f}",
        (f" · {', '.join(marks)}" if marks else "", "$text-success"),
    )


class PersonScreen(ListKeys, ModalScreen[str | None]):
    """Choose the person an action is aimed at; dismisses with their id, or None."""

    DEFAULT_CSS = """
    #person-dialog {
        width: 80;
    }
    #person-list {
        height: auto;
        max-height: 16;
        border: none;
        padding: 0;
    }
    #person-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss_none", "Back", tooltip="back to the actions"),
        Binding("j", "move(1)", "Next", show=False, tooltip="next person"),
        Binding("k", "move(-1)", "Previous", show=False, tooltip="previous person"),
    ]
    HELP = [("↑ ↓ Enter", "choose whom the action is for")]

    def __init__(self, session: Session, deal_id: str, spec: ActionSpec) -> None:
        """The people of `deal_id` whom `spec` can be aimed at."""
        super().__init__()
        self._session = session
        self._deal_id = deal_id
        self._spec = spec

    def compose(self) -> ComposeResult:
        """The action, the people and a hint."""
        deal = self._session.observe().deal(self._deal_id)
        default = self._session.game.default_target(self._deal_id, self._spec.name)
        with Vertical(id="person-dialog", classes="dialog") as dialog:
            dialog.border_title = f"{self._spec.label}: with whom?"
            dialog.border_subtitle = "Enter chooses · Esc back"
            yield Static(Content.assemble((deal.title, "bold"), f" at {deal.account}"))
            options = []
            for person in deal.stakeholders:
                reason = self._session.refusal(self._deal_id, self._spec.name, person.id)
                line = person_line(person)
                if person.id == default:
                    line = Content.assemble(line, ("  (default)", "$text-accent"))
                if reason is not None:
                    line = Content("\n").join([line, Content.styled(f"✗ {reason}", "$text-muted")])
                options.append(Option(line, id=person.id, disabled=reason is not None))
            yield OptionList(*options, id="person-list")
            if not deal.group_mapped:
                yield Static("Only the people you know are listed: map the buying group to find the others.",
                             id="person-hint", markup=False)

    def on_mount(self) -> None:
        """Start on the action's default person."""
        options = self.query_one(OptionList)
        default = self._session.game.default_target(self._deal_id, self._spec.name)
        ids = [options.get_option_at_index(index).id for index in range(options.option_count)]
        if default in ids:
            options.highlighted = ids.index(default)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen person."""
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        """Back without choosing."""
        self.dismiss(None)
