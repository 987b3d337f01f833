"""Scenarios bundled with Deal Drift (TOML files read with importlib.resources)."""
