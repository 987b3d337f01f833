"""Plain-text formatting shared by the screens and the debrief writer: money, bars, sparklines, weeks."""

from __future__ import annotations

from collections.abc import Sequence

from sim.stages import STAGE_LABELS
from sim.model.world import DAYS_PER_WEEK

SPARK = "▁▂▃▄▅▆▇█"
_EIGHTHS = " ▏▎▍▌▋▊▉"

ROLE_LABELS: dict[str, str] = {
    "champion": "champion",
    "economic_buyer": "economic buyer",
    "user": "user",
    "technical": "technical",
    "procurement": "procurement",
    "blocker": "blocker",
}


def money(value: int | float) -> str:
    """A whole amount with thousands separators: 1,200,000."""
    return f"{round(value):,}"


def short_money(value: int | float) -> str:
    """A compact amount for narrow columns: 950, 80k, 1.2M."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return str(round(value))


def percent(part: float, whole: float) -> str:
    """`part` as a whole percentage of `whole` (0% when whole is 0)."""
    return f"{(part / whole * 100) if whole else 0:.0f}%"


def bar(share: float, width: int) -> str:
    """A horizontal bar `width` cells wide filled to `share` (0..1), in eighths of a cell."""
    share = min(1.0, max(0.0, share))
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part and full < width else "")
    return text + "░" * (width - len(text))


def spark(values: Sequence[float], low: float = 0.0, high: float = 1.0) -> str:
    """A sparkline on a fixed scale (unlike an auto-scaled one, a flat low line reads as low)."""
    span = (high - low) or 1.0
    steps = len(SPARK) - 1
    return "".join(SPARK[round(min(1.0, max(0.0, (value - low) / span)) * steps)] for value in values)


def week_of(day: float) -> int:
    """The week (from 1) a day falls in."""
    return int(day // DAYS_PER_WEEK) + 1


def stage_label(stage: str) -> str:
    """A stage or ending as a trainee reads it (business case, no decision)."""
    return STAGE_LABELS.get(stage, stage.replace("_", " "))


def role_label(role: str) -> str:
    """A stakeholder role as a trainee reads it."""
    return ROLE_LABELS.get(role, role.replace("_", " "))


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, on one line."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


def stage_tone(stage: str) -> str:
    """The theme colour for a stage: muted before the need, then progress, late stages, risk, endings."""
    if stage == "won":
        return "text-success"
    if stage in ("lost", "no_decision", "rejected"):
        return "text-error"
    if stage == "stalled":
        return "text-warning"
    if stage == "status_quo":
        return "text-muted"
    if stage in ("evaluating", "business_case", "approval"):
        return "text-accent"
    return "text-primary"


def level_tone(share: float) -> str:
    """The theme colour for attention: red when low, amber when drifting, green when healthy."""
    if share < 0.3:
        return "text-error"
    if share < 0.5:
        return "text-warning"
    return "text-success"


def plan_tone(status: str) -> str:
    """The theme colour for a plan status."""
    return {"on track": "text-success", "slipping": "text-warning", "done": "text-muted"}.get(status, "text-muted")


def style_of(tone: str, bold: bool = False) -> str:
    """A Textual content style for a theme tone ("" is the plain text colour)."""
    parts = (["bold"] if bold else []) + ([f"${tone}"] if tone else [])
    return " ".join(parts)
