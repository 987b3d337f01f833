"""The engine's own rounding gives the very float Python's `round` gives, ties, signs and extremes included."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from sim.model.curves import rounded


@given(value=st.floats(allow_nan=True, allow_infinity=True), digits=st.integers(min_value=0, max_value=4))
@example(value=0.125, digits=2)  # a tie in binary: round goes to the even neighbour
@example(value=2.675, digits=2)  # looks like a tie in decimal, lies just below one in binary
@example(value=-0.004, digits=2)  # rounds to zero and keeps its sign
@example(value=1e300, digits=3)
def test_rounded_is_round(value: float, digits: int) -> None:
    assert repr(rounded(value, digits)) == repr(round(value, digits))


@given(whole=st.integers(min_value=-10**9, max_value=10**9), digits=st.integers(min_value=1, max_value=4),
       nudge=st.sampled_from([0.0, 5e-17, -5e-17, 1e-13, -1e-13]))
def test_rounded_is_round_at_and_beside_every_decimal_tie(whole: int, digits: int, nudge: float) -> None:
    value = (whole + 0.5) / 10**digits + nudge
    assert repr(rounded(value, digits)) == repr(round(value, digits))

