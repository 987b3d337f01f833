"""Attention, urgency and stage progress in closed form, and the days they cross a threshold.

They are never ticked day by day. A deal keeps an anchor (the day of its last change
and the values then) and evaluates the curves at any later day:

    attention(t) = floor + (attention0 - floor) * exp(-ATTENTION_DECAY * (t - t0))
    urgency(t)   = urgency0 * exp(-URGENCY_DECAY * (t - t0))

Stage progress is the integral of the customer's drive (a weighted sum of the two
curves) times the deal's speed, so it has a closed form too, and the day a stage is
finished or the deal stalls is solved for, not searched day by day.
"""

from __future__ import annotations

import math
from typing import Final

ATTENTION_DECAY: Final = math.log(2) / 10.0  # attention halves its distance to the floor in ten days
URGENCY_DECAY: Final = math.log(2) / 28.0  # customer-owned urgency halves in four weeks
STALL_LEVEL: Final = 0.2  # below this engagement the customer stops working on the purchase
_HORIZON: Final = 1e6


def clamp(value: float) -> float:
    """`value` kept within 0..1."""
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


_SCALES: Final[tuple[float, ...]] = (1.0, 10.0, 100.0, 1000.0, 10000.0)
_EXACT_BELOW: Final = 4294967296.0  # 2**32: below it, value * scale is off by less than 2**-21
_TIE_MARGIN: Final = 0.4999


def rounded(value: float, digits: int) -> float:
    """`round(value, digits)` for 0 to 4 digits: the same float, without the decimal conversion `round` makes.

    `round` writes the number out in decimal and reads it back, about a thousand
    machine instructions; the engine rounds every read and every number it records.
    Away from a tie, the integer nearest to `value * 10**digits` is the one `round`
    takes, and that integer divided by `10**digits` is the float nearest to the decimal
    it writes, which is what `round` returns. Near a tie, or for a huge value or one
    that is not a number, `round` itself answers.
    """
    scale = _SCALES[digits]
    scaled = value * scale
    if -_EXACT_BELOW < scaled < _EXACT_BELOW:
        whole = math.floor(scaled + 0.5)
        gap = scaled - whole
        if -_TIE_MARGIN < gap < _TIE_MARGIN:
            if whole != 0:
                return whole / scale
            return math.copysign(0.0, value)  # as `round` keeps the sign of a value that rounds to zero
    return round(value, digits)


class Curves:
    """The anchor of a deal's continuous state and its closed forms."""

    __slots__ = ("t0", "attention0", "urgency0", "progress0", "floor")

    def __init__(self, attention: float, urgency: float, floor: float) -> None:
        self.t0 = 0.0
        self.attention0 = attention
        self.urgency0 = urgency
        self.progress0 = 0.0
        self.floor = floor

    def attention(self, day: float) -> float:
        """The customer's attention on `day`."""
        return _attention(self.floor, self.attention0, day - self.t0)

    def urgency(self, day: float) -> float:
        """The customer's own urgency on `day`."""
        return _urgency(self.urgency0, day - self.t0)

    def reads(self, day: float) -> tuple[float, float]:
        """Attention and urgency on `day`, together (as `attention` and `urgency` give them)."""
        since = day - self.t0
        return _attention(self.floor, self.attention0, since), _urgency(self.urgency0, since)

    def engagement(self, day: float) -> float:
        """What keeps the customer working: the larger of attention and urgency."""
        return max(self.attention(day), self.urgency(day))

    def drive_integral(self, weights: tuple[float, float], elapsed: float) -> float:
        """The integral of the drive (weighted attention and urgency) over `elapsed` days from the anchor."""
        return _drive_integral(self.floor, self.attention0, self.urgency0, weights[0], weights[1], elapsed)

    def progress(self, day: float, weights: tuple[float, float] | None, speed: float) -> float:
        """Work done in the current stage by `day` (no progress without drive weights: stalled or ended)."""
        if weights is None:
            return self.progress0
        return self.progress0 + speed * self.drive_integral(weights, day - self.t0)

    def settle(self, day: float, weights: tuple[float, float] | None, speed: float) -> None:
        """Move the anchor to `day`, keeping every curve where it is."""
        t0 = self.t0
        if day == t0:
            return
        # The closed forms written out: each exponential is taken once (this runs at every change).
        since = day - t0
        floor, attention0, urgency0 = self.floor, self.attention0, self.urgency0
        decay_a = math.exp(-ATTENTION_DECAY * since)
        decay_u = math.exp(-URGENCY_DECAY * since)
        if weights is not None and since > 0:
            attention_part = floor * since + (attention0 - floor) * (1.0 - decay_a) / ATTENTION_DECAY
            urgency_part = urgency0 * (1.0 - decay_u) / URGENCY_DECAY
            self.progress0 = self.progress0 + speed * (weights[0] * attention_part + weights[1] * urgency_part)
        self.attention0 = floor + (attention0 - floor) * decay_a
        self.urgency0 = urgency0 * decay_u
        self.t0 = day

    # -- solving for the next threshold ------------------------------------------------
    def day_work_done(self, weights: tuple[float, float], speed: float, work: float, until: float) -> float:
        """The day `work` is done at the present pace (inf if not before `until`)."""
        remaining = work - self.progress0
        t0 = self.t0
        if remaining <= 0:
            return t0
        target = remaining / speed
        horizon = min(until - t0, _HORIZON)
        # The solver runs often: the anchor's values are read once, and the closed forms called directly.
        floor, attention0, urgency0 = self.floor, self.attention0, self.urgency0
        weight_attention, weight_urgency = weights
        if horizon <= 0 or _drive_integral(floor, attention0, urgency0, weight_attention, weight_urgency,
                                           horizon) < target:
            return math.inf
        # Safeguarded Newton on the integral of the drive, which only grows with time; the closed
        # forms are written out, and an exponential is reused when the drive is read on the same day.
        low, high = 0.0, horizon
        drive_now = weight_attention * attention0 + weight_urgency * urgency0
        elapsed = min(horizon, target / drive_now) if drive_now > 1e-9 else 0.5 * horizon
        span = attention0 - floor
        for _ in range(60):
            if elapsed <= 0:
                decay_a = decay_u = 1.0
                error = 0.0 - target
            else:
                decay_a = math.exp(-ATTENTION_DECAY * elapsed)
                decay_u = math.exp(-URGENCY_DECAY * elapsed)
                error = (weight_attention * (floor * elapsed + span * (1.0 - decay_a) / ATTENTION_DECAY)
                         + weight_urgency * (urgency0 * (1.0 - decay_u) / URGENCY_DECAY)) - target
            if abs(error) < 1e-7:
                break
            if error < 0:
                low = elapsed
            else:
                high = elapsed
            if high - low < 1e-4:
                elapsed = high
                break
            since = (t0 + elapsed) - t0  # as the curves are read on that day
            if since != elapsed:
                decay_a = math.exp(-ATTENTION_DECAY * since)
                decay_u = math.exp(-URGENCY_DECAY * since)
            drive = weight_attention * (floor + span * decay_a) + weight_urgency * (urgency0 * decay_u)
            guess = elapsed - error / drive if drive > 1e-12 else -1.0
            elapsed = guess if low < guess < high else 0.5 * (low + high)
        return t0 + elapsed

    def day_engagement_lost(self) -> float:
        """The first day engagement (the larger of attention and urgency) is below the stall level."""
        urgency_below = _days_until_below(self.urgency0, URGENCY_DECAY, STALL_LEVEL)
        if self.attention0 < STALL_LEVEL:
            if self.floor <= STALL_LEVEL:
                return self.t0 + urgency_below
            # Attention is recovering: the deal stalls only if urgency drops first.
            recovered = _days_until_level(self.attention0, self.floor, ATTENTION_DECAY, STALL_LEVEL)
            return self.t0 + urgency_below if urgency_below < recovered else math.inf
        if self.floor >= STALL_LEVEL:
            return math.inf
        attention_below = _days_until_level(self.attention0, self.floor, ATTENTION_DECAY, STALL_LEVEL)
        return self.t0 + max(attention_below, urgency_below)

    def day_attention_recovers(self, level: float) -> float:
        """The day attention, recovering towards its floor, rises above `level` (inf if never)."""
        if self.attention0 >= level:
            return self.t0
        if self.floor <= level:
            return math.inf
        return self.t0 + _days_until_level(self.attention0, self.floor, ATTENTION_DECAY, level)


def _attention(floor: float, start: float, since: float) -> float:
    """Attention `since` days after the anchor: relaxing from `start` towards its floor."""
    return floor + (start - floor) * math.exp(-ATTENTION_DECAY * since)


def _urgency(start: float, since: float) -> float:
    """Urgency `since` days after the anchor: decaying from `start`."""
    return start * math.exp(-URGENCY_DECAY * since)


def _drive_integral(floor: float, attention: float, urgency: float, weight_attention: float, weight_urgency: float,
                    elapsed: float) -> float:
    """The integral of the drive over `elapsed` days from an anchor with these values."""
    if elapsed <= 0:
        return 0.0
    decay_a = 1.0 - math.exp(-ATTENTION_DECAY * elapsed)
    decay_u = 1.0 - math.exp(-URGENCY_DECAY * elapsed)
    attention_part = floor * elapsed + (attention - floor) * decay_a / ATTENTION_DECAY
    urgency_part = urgency * decay_u / URGENCY_DECAY
    return weight_attention * attention_part + weight_urgency * urgency_part


def _days_until_below(start: float, decay: float, level: float) -> float:
    """Days until start * e^(-decay t) is below `level` (0 if it already is)."""
    if start < level:
        return 0.0
    return math.log(start / level) / decay


def _days_until_level(start: float, floor: float, decay: float, level: float) -> float:
    """Days until floor + (start - floor) e^(-decay t) reaches `level`, which lies between start and floor."""
    return math.log((start - floor) / (level - floor)) / decay
