"""What each column of the pipeline means: shown in the help and, once, at the start of a first game."""

from __future__ import annotations

LEGEND: tuple[tuple[str, str], ...] = (
    ("Account, Deal", "the customer, and what you are selling them"),
    ("Value", "what the deal books when it is signed (k thousand, M million)"),
    ("Stage", "where the customer is in buying: status quo (no problem felt yet), dissatisfied, organizing, "
              "requirements, evaluating, business case, approval; stalled when they stopped moving"),
    ("Attn≈", "attention: how much of the customer's mind the deal has; green is healthy, amber drifting, "
              "red about to stall"),
    ("Urg≈", "urgency: how urgent the customer itself feels the problem is, 0 to 1"),
    ("≈", "an estimate: a noisy read of the customer, not the exact value; it moves a little from week to week"),
    ("Plan", "the joint buying plan: none, on track, or slipping (a milestone is late)"),
    ("Days", "days in the current stage, amber after three weeks (on the deal screen when the terminal is narrow)"),
    ("Close", "the forecast close week: the plan's date, or a guess by stage without a plan; "
              "after: after the game's last week, so it would not count"),
    ("Call", "your forecast call (f): commit (it will close in time), best case (it might), pipeline (not yet)"),
)
