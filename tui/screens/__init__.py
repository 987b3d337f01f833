"""The screens of Deal Drift, one per module."""
