"""Reusable widgets of the Deal Drift screens; each carries its own DEFAULT_CSS."""
