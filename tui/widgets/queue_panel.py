"""The actions queued this week, each cancellable until the week ends."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sim.observation import Observation


class QueuePanel(OptionList):
    """Queued actions; choosing one (Enter or click) asks to cancel it."""

    DEFAULT_CSS = """
    QueuePanel {
        border: round $border-blurred;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
        height: 1fr;
        width: 32%;
        min-width: 26;
        max-width: 40;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    QueuePanel:focus {
        border: round $border;
    }
    """

    @dataclass
    class CancelRequested(Message):
        """The player asked to cancel the queued action at `index`."""

        index: int

    def show(self, observation: Observation, labels: dict[str, str]) -> None:
        """List the queued actions of `observation`; `labels` names each action."""
        titles = {deal.id: deal.title for deal in observation.deals}
        people = {(deal.id, person.id): person.name for deal in observation.deals for person in deal.stakeholders}
        highlighted = self.highlighted
        self.clear_options()
        hours = sum(queued.hours for queued in observation.queued)
        self.border_title = f"Queued: {hours} h" if observation.queued else "Queued"
        self.border_subtitle = "Enter cancels" if observation.queued else ""
        if not observation.queued:
            self.add_option(Option(Content.from_markup("[$text-muted]Nothing queued yet.[/]"), disabled=True))
            return
        for queued in observation.queued:
            # Hours first, so a long label is cut with an ellipsis rather than wrapping "3" and "h" apart.
            whom = people.get((queued.deal_id, queued.target or ""))
            prompt = Content.assemble(
                (f"{queued.hours:>2} h ", "$text-muted"),
                (labels.get(queued.action, queued.action), "bold"),
                "\n   ",
                titles.get(queued.deal_id, queued.deal_id),
                (f" → {whom}" if whom else "", "$text-muted"),
            )
            self.add_option(Option(prompt, id=str(queued.index)))
        self.highlighted = min(highlighted or 0, len(observation.queued) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Ask to cancel the chosen action."""
        event.stop()
        if event.option.id is not None:
            self.post_message(self.CancelRequested(int(event.option.id)))
