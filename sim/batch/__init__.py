"""Batches of seeded games: running them, their rows, statistics, plots and the calibration tables."""
