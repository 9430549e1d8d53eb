"""Public sanity checks for mpl_basics: each function returns a Figure with the right Axes.
Run them with `grade check mpl_basics`; passing them does not mean full marks."""

import numpy as np
import pytest


def _figure(capture, what):
    assert capture["figure"] is not None, f"{what}: {'; '.join(capture['problems'])}"
    assert not capture["problems"], f"{what}: {'; '.join(capture['problems'])}"
    return capture["figure"]


@pytest.mark.exercise("stacked_subplots")
def test_stacked_subplots_returns_three_axes(student):
    series = [np.arange(5.0), np.ones(3), np.arange(4.0) ** 2]
    fig = _figure(student.plot("stacked_subplots", series), "stacked_subplots")
    assert len(fig["axes"]) == 3, f"stacked_subplots: expected 3 Axes, got {len(fig['axes'])}"


@pytest.mark.exercise("colored_lines")
def test_colored_lines_returns_one_axes_with_two_lines(student):
    series, colors = {"a": np.arange(4.0), "b": np.ones(4)}, {"a": "red", "b": "blue"}
    cap = student.plot("colored_lines", series, colors, "t")
    fig = _figure(cap, "colored_lines")
    assert len(fig["axes"]) == 1, f"colored_lines: expected 1 Axes, got {len(fig['axes'])}"
    assert len(fig["axes"][0]["lines"]) == 2, "colored_lines: expected 2 lines"


@pytest.mark.exercise("custom_ticks")
def test_custom_ticks_returns_one_axes(student):
    cap = student.plot("custom_ticks", [3.0, 1.0, 2.0], ["a", "b", "c"], "title")
    fig = _figure(cap, "custom_ticks")
    assert len(fig["axes"]) == 1, f"custom_ticks: expected 1 Axes, got {len(fig['axes'])}"


@pytest.mark.exercise("annotate_max")
def test_annotate_max_returns_one_axes_with_a_text(student):
    fig = _figure(student.plot("annotate_max", np.array([1.0, 4.0, 2.0])), "annotate_max")
    assert len(fig["axes"]) == 1, f"annotate_max: expected 1 Axes, got {len(fig['axes'])}"
    assert fig["axes"][0]["texts"], "annotate_max: expected an annotation"
