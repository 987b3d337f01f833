"""One deal up close: buying group, buying plan, what is known of impact and alignment, history and attention."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import Footer, Static

from sim.errors import DealDriftError
from sim.observation import DealView, Observation

from sim.forecast import CALL_LABELS
from sim.stages import ENDING_LABELS

from ..format import bar, level_tone, money, plan_tone, role_label, stage_label, stage_tone, style_of, week_of
from ..widgets.event_feed import feed_line
from ..widgets.status_bar import StatusBar
from ..widgets.trend import TrendLine
from .actions import ActionScreen, Choice, queue_or_cancel
from .base import GameScreen
from .forecast import ForecastScreen

NARROW_BELOW = 90


def _day(day: float) -> str:
    return f"day {day:.0f} (wk {week_of(day)})"


def heading(deal: DealView, observation: Observation) -> Content:
    """Two lines: who and what, then stage, time in stage, forecast and the reads."""
    stage = stage_label(deal.stage)
    if deal.stalled_from:
        stage += f" (from {stage_label(deal.stalled_from)})"
    first = Content.assemble((deal.account, "bold"), " · ", (deal.title, "bold"), f"   {money(deal.value)}")
    if not deal.open:
        when = f" on {_day(deal.closed_day)}" if deal.closed_day is not None else ""
        second = Content.assemble(
            (ENDING_LABELS.get(deal.ending or "", stage), style_of(stage_tone(deal.stage), bold=True)), when
        )
        lines = [first, second]
        if deal.explanation:
            lines.append(Content.styled(deal.explanation, "$text-muted"))
        return Content("\n").join(lines)
    forecast = "no forecast" if deal.forecast_close_day is None else f"forecast close {_day(deal.forecast_close_day)}"
    late = deal.forecast_close_day is not None and week_of(deal.forecast_close_day) > observation.weeks
    if late:
        forecast += ", after the game ends"
    call = CALL_LABELS.get(deal.forecast_call or "", "")
    second = Content.assemble(
        (stage, style_of(stage_tone(deal.stage), bold=True)),
        f" for {deal.days_in_stage} days  ·  ",
        (forecast, "$text-warning" if late else ""),
        ("  ·  called ", "$text-muted"), (call, "bold $text-accent"),
    )
    return Content("\n").join([first, second])


def stakeholders(deal: DealView) -> Content:
    """The buying group as discovered: role, influence and support."""
    if not deal.stakeholders:
        return Content.styled("Nobody discovered yet.", "$text-muted")
    lines = []
    for person in deal.stakeholders:
        stance, tone = ("for", "text-success") if person.support >= 0.6 else (
            ("against", "text-error") if person.support < 0.4 else ("neutral", ""))
        gone = "" if person.present else " (left)"
        marks = [mark for known, mark in ((person.met, "✓ met"), (person.coached, "✓ coached"),
                                          (person.newcomer, "new")) if known]
        lines.append(Content.assemble(
            (f"{person.name}{gone}", "bold" if person.present else "$text-muted"),
            (f", {role_label(person.role)}", "$text-muted"),
            (f"  {' '.join(marks)}" if marks else "", "$text-success"),
            "\n  influence ", (bar(person.influence, 5), "$text-primary"),
            "  support ≈", (f"{person.support:.1f} {stance}", style_of(tone)),
        ))
    if not deal.open:
        lines.append(Content.styled("Support as last estimated (≈).", "$text-muted"))
    elif deal.group_mapped:
        lines.append(Content.styled("Everyone in the group is known. Support is an estimate (≈), rough until met.",
                                    "$text-muted"))
    else:
        lines.append(Content.styled("Map the buying group to find who else decides. Support is an estimate (≈).",
                                    "$text-muted"))
    return Content("\n").join(lines)


def buying_plan(deal: DealView) -> Content:
    """The joint buying plan, its target date and its milestones."""
    plan = deal.plan
    if plan is None:
        return Content.styled("No buying plan agreed with the customer.", "$text-muted")
    if plan.status in ("done", "ended"):
        outcome = "signed" if plan.status == "done" else "the deal ended first"
        lines = [Content.assemble("Agreed close ", (_day(plan.close_day), "bold"), "  ",
                                  (outcome, style_of(plan_tone(plan.status), bold=True)))]
    else:
        lines = [Content.assemble("Target close ≈ ", (_day(plan.close_day), "bold"), "  ",
                                  (plan.status, style_of(plan_tone(plan.status), bold=True)))]
    for milestone in plan.milestones:
        mark = {"done": "✓", "slipping": "!", "not reached": "✗"}.get(milestone.status, "·")
        lines.append(Content.assemble(
            (f"{mark} ", style_of(plan_tone(milestone.status))),
            f"{stage_label(milestone.stage):<14}", (f"by {_day(milestone.target_day)}", "$text-muted"),
            "  ", (milestone.status, style_of(plan_tone(milestone.status))),
        ))
    return Content("\n").join(lines)


def knowledge(deal: DealView) -> Content:
    """What is known of the business impact and of the account's strategic initiatives."""
    if deal.impact is None:
        impact = Content.assemble("Impact     ", ("not quantified yet", "$text-muted"))
    else:
        impact = Content.assemble("Impact     ", (f"{money(deal.impact)} a year", "bold"))
    serves = Content.assemble("Serves     ", (deal.initiative, "bold"))
    if deal.known_initiatives is None:
        ranking = Content.assemble("Priorities ", ("not learned yet", "$text-muted"))
        aligned = Content.assemble("Aligned    ", ("unknown", "$text-muted"))
    else:
        ranked = ", ".join(f"#{rank} {name}" for rank, name in enumerate(deal.known_initiatives, start=1))
        ranking = Content.assemble("Priorities ", ranked)
        verdict = ("yes, with a top priority", "bold $text-success")
        if not deal.aligned:
            verdict = ("no, not a top priority", "bold $text-error")
        aligned = Content.assemble("Aligned    ", verdict)
    return Content("\n").join([impact, serves, ranking, aligned])


def history(deal: DealView, observation: Observation, labels: dict[str, str]) -> Content:
    """The stage history, actions queued this week, meetings booked and the actions carried out."""
    lines = [
        Content.assemble((f"{_day(day):<16}", "$text-muted"), (stage_label(stage), style_of(stage_tone(stage))))
        for day, stage in deal.history
    ]
    people = {person.id: person.name for person in deal.stakeholders}
    for queued in observation.queued:
        if queued.deal_id == deal.id:
            label = labels.get(queued.action, queued.action)
            whom = f" with {people[queued.target]}" if queued.target in people else ""
            lines.append(Content.assemble(("queued  ", "$text-accent"), f"{label}{whom} this week"))
    for action, day in deal.pending:
        lines.append(Content.assemble(("booked  ", "$text-accent"), f"{labels.get(action, action)} on {_day(day)}"))
    if deal.done:
        done = ", ".join(f"{labels.get(action, action)} ×{count}" for action, count in sorted(deal.done.items()))
        lines.append(Content.assemble(("done    ", "$text-muted"), done))
    return Content("\n").join(lines)


def readings(deal: DealView) -> Content:
    """The latest noisy reads of attention, urgency and trust."""
    trend = deal.attention_trend
    low = f"  low {min(trend):.2f}  high {max(trend):.2f}" if len(trend) > 1 else ""
    return Content.assemble(
        "Attention ≈",
        (f"{deal.attention:.2f}", style_of(level_tone(deal.attention), bold=True)),
        (low, "$text-muted"),
        "\nUrgency   ≈", (f"{deal.urgency:.2f}", "bold"), "   Trust ≈", (f"{deal.trust:.2f}", "bold"),
        ("\n≈ estimates: noisy reads, not exact", "$text-muted"),
    )


class DealScreen(GameScreen[str]):
    """The detail of one deal; dismisses with the id of the deal last shown."""

    BINDINGS = [
        Binding("a", "act", "Act", tooltip="choose an action for this deal"),
        Binding("f", "forecast", "Call", tooltip="call this deal commit, best case or pipeline"),
        Binding("left,h", "step(-1)", "Previous", key_display="←", tooltip="show the previous deal"),
        Binding("right,l", "step(1)", "Next", key_display="→", tooltip="show the next deal"),
        Binding("escape,backspace", "back", "Back", key_display="Esc", tooltip="back to the pipeline"),
        Binding("q", "quit_game", "Quit", tooltip="save and quit (asks first)"),
    ]
    HELP = [("↑ ↓", "scroll the deal")]

    def __init__(self, deal_id: str) -> None:
        """The screen of `deal_id`."""
        super().__init__()
        self.deal_id = deal_id

    def compose(self) -> ComposeResult:
        """Status line, heading, four panels and the footer."""
        yield StatusBar()
        yield Static(id="deal-heading")
        with VerticalScroll(id="deal-body"):
            with Grid(id="deal-grid"):
                with Vertical(classes="panel", id="panel-group") as panel:
                    panel.border_title = "Buying group"
                    yield Static(id="deal-group")
                with Vertical(classes="panel", id="panel-plan") as panel:
                    panel.border_title = "Buying plan"
                    yield Static(id="deal-plan")
                with Vertical(classes="panel", id="panel-known") as panel:
                    panel.border_title = "Impact and alignment"
                    yield Static(id="deal-known")
                with Vertical(classes="panel", id="panel-attention") as panel:
                    panel.border_title = "Attention by week"
                    yield TrendLine([], id="deal-trend")
                    yield Static(id="deal-readings")
                with Vertical(classes="panel", id="panel-history") as panel:
                    panel.border_title = "History"
                    yield Static(id="deal-history")
                with Vertical(classes="panel", id="panel-week") as panel:
                    panel.border_title = "This deal last week"
                    yield Static(id="deal-week")
        yield Footer()

    def on_mount(self) -> None:
        """Draw the deal and focus the scrolling body."""
        self.query_one("#deal-body").focus()
        self.refresh_view()

    def on_resize(self, event: Resize) -> None:
        """One column of panels on narrow terminals, two otherwise."""
        self.set_class(event.size.width < NARROW_BELOW, "narrow")

    def refresh_view(self) -> None:
        """Show the deal as it is now."""
        observation = self.session.observe()
        deal = observation.deal(self.deal_id)
        labels = {spec.name: spec.label for spec in self.session.catalog}
        self.query_one(StatusBar).observation = observation
        self.query_one("#deal-heading", Static).update(heading(deal, observation))
        self.query_one("#deal-group", Static).update(stakeholders(deal))
        self.query_one("#deal-plan", Static).update(buying_plan(deal))
        self.query_one("#deal-known", Static).update(knowledge(deal))
        self.query_one("#deal-trend", TrendLine).data = list(deal.attention_trend)
        self.query_one("#deal-readings", Static).update(readings(deal) if deal.open else Content(""))
        self.query_one("#deal-history", Static).update(history(deal, observation, labels))
        self.query_one("#deal-week", Static).update(self._week(deal, observation))
        self.refresh_bindings()

    @staticmethod
    def _week(deal: DealView, observation: Observation) -> Content:
        lines = [feed_line(item) for item in observation.feed if item.deal == deal.id]
        if deal.explanation:
            lines.append(Content.styled(deal.explanation, "bold"))
        return Content("\n").join(lines) if lines else Content.styled("Nothing happened on this deal.", "$text-muted")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Acting is offered only while the deal is open."""
        if action in ("act", "forecast"):
            return self.session.observe().deal(self.deal_id).open or None
        return True

    def action_act(self) -> None:
        """Open the action picker for this deal."""
        self.app.push_screen(ActionScreen(self.session, self.deal_id), self._chosen)

    def _chosen(self, choice: Choice | None) -> None:
        if choice is None:
            return
        try:
            queue_or_cancel(self.session, self.deal_id, choice)
        except DealDriftError as error:
            self.refused(error)
        self.refresh_view()

    def action_forecast(self) -> None:
        """Call this deal commit, best case or pipeline."""
        deal = self.session.observe().deal(self.deal_id)
        if not deal.open or deal.forecast_call is None:
            return
        deal_id = self.deal_id

        def called(call: str | None) -> None:
            if call is not None:
                try:
                    self.session.call_forecast(deal_id, call)
                except DealDriftError as error:
                    self.refused(error)
            self.refresh_view()

        self.app.push_screen(ForecastScreen(deal.title, deal.forecast_call), called)

    def action_step(self, step: int) -> None:
        """Show the previous or next deal."""
        deals = self.session.observe().deals
        ids = [deal.id for deal in deals]
        self.deal_id = ids[(ids.index(self.deal_id) + step) % len(ids)]
        self.refresh_view()
        self.query_one("#deal-body").scroll_home(animate=False)

    def action_back(self) -> None:
        """Back to the pipeline."""
        self.dismiss(self.deal_id)

    def action_quit_game(self) -> None:
        """Quit after asking (the game is saved first)."""
        self.deal_drift.request_quit()
