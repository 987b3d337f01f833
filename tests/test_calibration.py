"""Calibration against the field: the README's command runs, and `typical` stays inside the field ranges."""

from __future__ import annotations

import pytest

from sim.batch.calibration import FIELD, main, purchase_likelihood, typical_figures
from sim.scenario.loader import load_scenario
from sim.strategies import play


def test_calibration_prints_the_field_comparison(capsys) -> None:
    code = main(["--runs", "20", "--scenario", "tutorial"])
    out = capsys.readouterr().out
    assert code in (0, 1)  # 20 games of the tutorial are not a calibration, only a run of the command
    assert "forecast_won" in out and "indecision_share" in out and "group_fall" in out
    assert "6 people:" in out
    for strategy in ("idle", "random", "pusher", "typical", "advisor"):
        assert f"\n  {strategy}" in out


@pytest.mark.parametrize("name", ["default", "enterprise"])
def test_typical_stays_inside_the_field_ranges(name: str) -> None:
    scenario = load_scenario(name)
    figures = typical_figures([play(scenario, "typical", seed) for seed in range(200)])
    outside = {key: round(value, 3) for key, value in figures.items() if not FIELD[key].holds(value)}
    assert not outside


def test_purchase_likelihood_falls_with_the_buying_group_as_the_field_finds() -> None:
    fall = purchase_likelihood(6, 60) / purchase_likelihood(1, 60)
    assert FIELD["group_fall"].holds(fall)
