"""The pipeline table: one row per deal, coloured by stage and risk, re-laid to fit its width."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

from sim.forecast import CALL_LABELS, COMMIT, PIPELINE
from sim.observation import DealView, Observation

from ..format import bar, level_tone, money, plan_tone, short_money, stage_label, stage_tone, week_of

NARROW_BELOW = 96  # table widths under this get compact columns
SLOW_STAGE_DAYS = 21  # days in one stage after which the count is shown as a warning
SHORT_STAGES = {"business_case": "bus. case"}  # stage names too long for a narrow column
SHORT_CALLS = {"best_case": "best", "pipeline": "pipe"}  # forecast calls in a narrow column
DAYS_CELL = 7  # where the Days cell is in a row (left out on narrow tables)
AFTER_THE_END = "after"  # the Close of a deal forecast to close after the game's last week


@dataclass(frozen=True, slots=True)
class Columns:
    """Column widths for one table width (each includes a one-cell gap)."""

    account: int
    deal: int
    value: int
    stage: int
    attention: int
    urgency: int
    plan: int
    days: int
    close: int
    call: int
    narrow: bool


def layout(width: int, accounts: int, titles: int, values: int) -> Columns:
    """Column widths that fit `width` cells, given the longest account name, deal title and value."""
    narrow = width < NARROW_BELOW
    fixed = dict(
        value=6 if narrow else max(6, values + 1),
        stage=13 if narrow else 14,
        attention=6 if narrow else 8,
        urgency=5 if narrow else 6,
        plan=9,
        days=0 if narrow else 5,  # days in stage: on the deal screen when the terminal is narrow
        close=6,
        call=7 if narrow else 10,
    )
    rest = max(16, width - sum(fixed.values()))
    want_account, want_deal = accounts + 1, titles + 1
    if want_account + want_deal <= rest:
        account, deal = want_account, rest - want_account
    else:
        # The deal title tells deals apart (accounts repeat), so it keeps its length first.
        deal = max(8, min(want_deal, rest - max(8, rest * 2 // 5)))
        account = max(8, rest - deal)
    return Columns(account=account, deal=deal, narrow=narrow, **fixed)


def _clip(text: str, width: int) -> str:
    """Text cut to `width - 1` cells (keeping the gap), with an ellipsis when cut."""
    room = width - 1
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


class DealTable(DataTable):
    """The deals of an Observation as rows; Enter or a click posts DealChosen."""

    DEFAULT_CSS = """
    DealTable {
        height: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    @dataclass
    class DealChosen(Message):
        """The player chose a deal to open."""

        deal_id: str

    def __init__(self, *, id: str | None = None) -> None:
        """An empty table; call `show` with an Observation to fill it."""
        super().__init__(id=id, cursor_type="row", cell_padding=0, zebra_stripes=False)
        self._observation: Observation | None = None
        self._columns: Columns | None = None
        self._colours: dict[str, str] = {}

    # The column a coach note points at (its header is highlighted), or "".
    pointed_at: reactive[str] = reactive("", init=False)

    def watch_pointed_at(self, _column: str) -> None:
        """Redraw the headers with the column pointed at highlighted."""
        self._columns = None
        self._fill()

    def on_mount(self) -> None:
        """Redraw when the theme changes, so colours stay readable in light and dark themes."""
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme: str) -> None:
        self._colours = {}
        self._fill()

    @property
    def deal_id(self) -> str | None:
        """The id of the deal under the cursor."""
        if self._observation is None or not self._observation.deals or self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), len(self._observation.deals) - 1)
        return self._observation.deals[row].id

    def show(self, observation: Observation) -> None:
        """Fill the table from `observation`, keeping the cursor on the same deal."""
        self._observation = observation
        self._fill()

    def select_deal(self, deal_id: str) -> None:
        """Put the cursor on `deal_id`."""
        if self._observation is None:
            return
        for row, deal in enumerate(self._observation.deals):
            if deal.id == deal_id:
                self.move_cursor(row=row, animate=False)
                return

    def on_resize(self, event: Resize) -> None:
        """Re-lay the columns for the new width."""
        if self._observation is not None and (self.row_count == 0 or self._layout() != self._columns):
            self._fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Turn the table's selection into a DealChosen message."""
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.DealChosen(str(event.row_key.value)))

    # -- drawing ------------------------------------------------------------------------
    def _layout(self) -> Columns:
        deals = self._observation.deals if self._observation else ()
        accounts = max((len(deal.account) for deal in deals), default=8)
        titles = max((len(deal.title) for deal in deals), default=8)
        values = max((len(money(deal.value)) for deal in deals), default=7)
        return layout(self.scrollable_content_region.width, accounts, titles, values)

    def _fill(self) -> None:
        if self._observation is None:
            return
        if not self.scrollable_content_region.width:
            return  # not laid out yet: on_resize fills it once the width is known
        keep = self.deal_id
        columns = self._layout()
        if columns != self._columns:
            self.clear(columns=True)
            self._columns = columns
            # ≈ marks the columns that are estimates (noisy reads of the customer).
            headers = (
                ("account", "Account", columns.account), ("deal", "Deal", columns.deal),
                ("value", "Value", columns.value), ("stage", "Stage", columns.stage),
                ("attention", "Attn≈", columns.attention),
                ("urgency", "Urg≈", columns.urgency), ("plan", "Plan", columns.plan),
                ("days", "Days", columns.days), ("close", "Close", columns.close), ("call", "Call", columns.call),
            )
            headers = tuple(header for header in headers if header[2])
            pointed = self._style("accent", bold=True)
            for key, label, width in headers:
                text = Text(f"{label:>{width - 1}}" if key == "value" else label)
                if key == self.pointed_at:
                    text = Text(f"{label}◂"[: width], style=f"reverse {pointed}")
                self.add_column(text, width=width, key=key)
        else:
            self.clear()
        for deal in self._observation.deals:
            cells = self._cells(deal, columns)
            if not columns.days:
                del cells[DAYS_CELL]
            self.add_row(*cells, key=deal.id)
        # One line per deal and the header: `height: auto` would also keep a line for a scrollbar.
        self.styles.height = len(self._observation.deals) + 1 + self.styles.gutter.height
        if keep is not None:
            self.select_deal(keep)

    def _style(self, tone: str, bold: bool = False) -> str:
        """A Rich style for a theme tone, taken from the current theme's colours."""
        if not self._colours:
            self._colours = dict(self.app.get_css_variables())
        colour = "dim" if tone == "text-muted" else self._colours.get(tone, "")
        return f"bold {colour}".strip() if bold else colour

    def _cells(self, deal: DealView, columns: Columns) -> list[Text]:
        """The row of one deal."""
        muted = self._style("text-muted")
        value = short_money(deal.value) if columns.narrow else money(deal.value)
        label = stage_label(deal.stage)
        if columns.narrow:
            label = SHORT_STAGES.get(deal.stage, label)
        stage = Text(_clip(label, columns.stage), style=self._style(stage_tone(deal.stage)))
        account = Text(_clip(deal.account, columns.account), style=muted if not deal.open else "")
        title = Text(_clip(deal.title, columns.deal), style=muted if not deal.open else "")
        value_cell = Text(f"{value:>{columns.value - 1}} ", style=muted if not deal.open else "")
        if not deal.open:
            closed = "" if deal.closed_day is None else f"wk {week_of(deal.closed_day)}"
            blank = Text("")
            return [account, title, value_cell, stage, blank, blank, blank, blank, Text(closed, style=muted), blank]
        attention = Text(bar(deal.attention, columns.attention - 1), style=self._style(level_tone(deal.attention)))
        urgency_tone = "text-success" if deal.urgency >= 0.5 else "text-muted" if deal.urgency < 0.2 else ""
        urgency = Text(f"{deal.urgency:.2f}", style=self._style(urgency_tone))
        plan = Text(deal.plan_status, style=self._style(plan_tone(deal.plan_status)))
        days_tone = "text-warning" if deal.days_in_stage >= SLOW_STAGE_DAYS else ""
        days = Text(f"{deal.days_in_stage:>3} ", style=self._style(days_tone))
        close = Text("")
        if deal.forecast_close_day is not None:
            week = week_of(deal.forecast_close_day)
            weeks = self._observation.weeks if self._observation else week
            close = Text(AFTER_THE_END, style=self._style("text-warning")) if week > weeks else Text(f"wk {week}")
        call_name = deal.forecast_call or PIPELINE
        call_label = SHORT_CALLS.get(call_name, call_name) if columns.narrow else CALL_LABELS[call_name]
        call_tone = "text-success" if call_name == COMMIT else "text-muted" if call_name == PIPELINE else "text-accent"
        call = Text(call_label, style=self._style(call_tone, bold=call_name == COMMIT))
        return [account, title, value_cell, stage, attention, urgency, plan, days, close, call]
