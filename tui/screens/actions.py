"""The action picker: the catalog for one deal, with hours, explanations and why some are not possible now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sim.model.actions import ActionSpec

from .base import ListKeys
from .person import PersonScreen

if TYPE_CHECKING:
    from ..session import Session

CHROME_ROWS = 6  # the dialog's border, heading, its margin and the hint: what the list must leave room for


@dataclass(frozen=True, slots=True)
class Choice:
    """An action chosen for a deal, and the person it is aimed at (None: the action's default, or nobody)."""

    action: str
    target: str | None = None


def queue_or_cancel(session: Session, deal_id: str, choice: Choice) -> None:
    """Queue the chosen action on the deal, or cancel it if it is already queued (raises ActionRefused)."""
    for queued in session.observe().queued:
        if queued.deal_id == deal_id and queued.action == choice.action:
            session.cancel(queued.index)
            return
    session.act(deal_id, choice.action, choice.target)


def _lead(days: int) -> str:
    if days == 0:
        return "at once"
    return "next day" if days == 1 else f"in {days} days"


class ActionScreen(ListKeys, ModalScreen[Choice | None]):
    """Choose an action for a deal; dismisses with the Choice, or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", tooltip="close without choosing"),
        Binding("g", "toggle_guidance", "Guidance", tooltip="show or hide why an action is unlikely to help now"),
        Binding("j", "move(1)", "Next action", show=False, tooltip="next action"),
        Binding("k", "move(-1)", "Previous action", show=False, tooltip="previous action"),
    ]
    HELP = [
        ("↑ ↓", "move through the actions (greyed ones too: Enter says why they can't be taken)"),
        ("Enter", "queue the action (for an action aimed at a person, choose whom), or cancel it if it is queued"),
    ]

    def __init__(self, session: Session, deal_id: str) -> None:
        """The picker for `deal_id` in `session`."""
        super().__init__()
        self._session = session
        self._deal_id = deal_id
        self._refusals: dict[str, str] = {}

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
            yield Static(id="action-hint")

    def _hint(self) -> Content:
        guidance = "hide" if self._session.guidance_shown else "show"
        return Content.from_markup(
            f"[b]Enter[/b] queues (or cancels)  ·  [b]g[/b] {guidance} guidance  ·  [b]Esc[/b] closes"
        )

    def _who(self, target: str | None) -> str:
        deal = self._session.observe().deal(self._deal_id)
        return next((person.name for person in deal.stakeholders if person.id == target), "")

    def _refusal(self, spec: ActionSpec) -> str | None:
        """Why the action can't be taken now; an action aimed at a person is possible if anyone known can take it."""
        reason = self._session.refusal(self._deal_id, spec.name)
        if reason is None or spec.target_role is None:
            return reason
        deal = self._session.observe().deal(self._deal_id)
        if any(self._session.refusal(self._deal_id, spec.name, person.id) is None for person in deal.stakeholders):
            return None
        return reason

    def _options(self) -> list[Option]:
        observation = self._session.observe()
        queued = {q.action: q for q in observation.queued if q.deal_id == self._deal_id}
        guidance = self._session.guidance(self._deal_id) if self._session.guidance_shown else {}
        self._refusals = {}
        options = []
        for spec in self._session.catalog:
            reason = None if spec.name in queued else self._refusal(spec)
            muted = reason is not None
            head = Content.assemble(
                (spec.label, "bold $text-muted" if muted else "bold"), ("  ", ""),
                (f"{spec.hours} h", "$text-muted" if muted else "bold $text-accent"),
                (f" · {_lead(spec.lead_days)}", "$text-muted"),
            )
            if spec.name in queued:
                whom = self._who(queued[spec.name].target)
                lines = [Content.styled(f"✓ Queued this week{f' with {whom}' if whom else ''}. Enter cancels it.",
                                        "$text-success")]
            elif reason is not None:
                self._refusals[spec.name] = reason
                lines = [Content.styled(f"✗ {reason}", "$text-muted")]
            else:
                whom = self._who(self._session.game.default_target(self._deal_id, spec.name))
                lines = [Content.assemble((spec.explanation, "$text-muted"),
                                          (f" Enter: choose whom ({whom} by default)." if whom else "",
                                           "$text-accent"))]
                if spec.name in guidance:
                    lines.append(Content.styled(f"⚠ Unlikely to help now: {guidance[spec.name]}", "$text-warning"))
            # Never disabled: the cursor stops on every action, so the same keys reach the same one every week.
            options.append(Option(Content("\n").join([head, *lines]), id=spec.name))
        return options

    def on_mount(self) -> None:
        """Start on the first action that can be taken."""
        self.query_one("#action-hint", Static).update(self._hint())
        options = self.query_one(OptionList)
        for index in range(options.option_count):
            if options.get_option_at_index(index).id not in self._refusals:
                options.highlighted = index
                break
        options.focus()

    def on_resize(self, event: Resize) -> None:
        """Keep the list short enough that its cursor and the hint stay on screen."""
        self.query_one(OptionList).styles.max_height = max(3, event.size.height - CHROME_ROWS)

    def action_toggle_guidance(self) -> None:
        """Show or hide why each action is unlikely to help now."""
        self._session.guidance_shown = not self._session.guidance_shown
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = highlighted
        self.query_one("#action-hint", Static).update(self._hint())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen action; for one aimed at a person, ask whom first; say why a greyed one can't be."""
        event.stop()
        name = event.option.id
        if name is None:
            return
        if name in self._refusals:
            self.notify(self._refusals[name], title="Not possible now", severity="warning", timeout=6, markup=False)
            return
        spec = next(spec for spec in self._session.catalog if spec.name == name)
        queued = any(q.deal_id == self._deal_id and q.action == name for q in self._session.observe().queued)
        if spec.target_role is None or queued:
            self.dismiss(Choice(name))
            return

        def chosen(person: str | None) -> None:
            if person is not None:
                self.dismiss(Choice(name, person))

        self.app.push_screen(PersonScreen(self._session, self._deal_id, spec), chosen)

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
