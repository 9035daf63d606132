"""What-if controls: headless, one call with the sliders' starting values."""

import pytest

from costing.whatif import HEADLESS_ENV, controls, headless


def test_headless_calls_the_function_once_with_the_starting_values(monkeypatch):
    monkeypatch.setenv(HEADLESS_ENV, "1")
    calls = []

    def draw(percent: float, per_hour: float) -> float:
        calls.append((percent, per_hour))
        return percent + per_hour  # 3.0 + 0.25 = 3.25

    got = controls(draw, percent={"value": 3.0, "min": 0, "max": 20}, per_hour={"value": 0.25, "min": 0, "max": 5})
    assert got == 3.25 and calls == [(3.0, 0.25)]


def test_headless_reads_the_environment(monkeypatch):
    monkeypatch.delenv(HEADLESS_ENV, raising=False)
    assert not headless()
    monkeypatch.setenv(HEADLESS_ENV, "0")
    assert not headless()
    monkeypatch.setenv(HEADLESS_ENV, "1")
    assert headless()


def test_a_slider_needs_a_starting_value(monkeypatch):
    monkeypatch.setenv(HEADLESS_ENV, "1")
    with pytest.raises(ValueError, match="slider 'percent' needs a starting value"):
        controls(lambda percent: percent, percent={"min": 0, "max": 20})
