"""The README's calibration command runs and prints its tables."""

from __future__ import annotations

from sim.batch.calibration import main


def test_calibration_prints_the_field_comparison(capsys) -> None:
    assert main(["--runs", "20"]) == 0
    out = capsys.readouterr().out
    assert "typical, deals in the forecast:" in out and "indecision" in out
    assert "6 people:" in out
    for strategy in ("idle", "random", "pusher", "typical", "advisor"):
        assert f"\n{strategy}" in out
