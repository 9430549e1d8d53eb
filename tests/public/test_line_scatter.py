"""Public sanity checks for line_scatter: each plotting function returns a Figure with the right
Axes and artists, moving_average has the right length. Run them with `grade check line_scatter`;
passing them does not mean full marks."""

import numpy as np
import pandas as pd
import pytest

X = np.arange(6.0)
Y = np.array([3.0, 5.0, 4.0, 6.0, 8.0, 7.0])


def _figure(capture, what):
    assert capture["figure"] is not None, f"{what}: {'; '.join(capture['problems'])}"
    assert not capture["problems"], f"{what}: {'; '.join(capture['problems'])}"
    return capture["figure"]


def _one_axes(fig, what):
    mains = [ax for ax in fig["axes"] if ax["role"] == "main"]
    assert len(mains) == 1, f"{what}: expected 1 Axes, got {len(mains)}"
    return mains[0]


@pytest.mark.exercise("line_with_markers")
def test_line_with_markers_draws_one_line_with_markers(student):
    ax = _one_axes(_figure(student.plot("line_with_markers", X, Y), "line_with_markers"),
                   "line_with_markers")
    assert len(ax["lines"]) == 1, f"line_with_markers: expected 1 line, got {len(ax['lines'])}"
    assert ax["lines"][0]["marker"] == "o", "line_with_markers: the default marker is 'o'"


@pytest.mark.exercise("moving_average")
def test_moving_average_length_and_first_value(student):
    got = student.moving_average(Y, 3)
    assert isinstance(got, np.ndarray), f"moving_average: expected an np.ndarray, got {type(got)}"
    assert got.shape == (4,), \
        f"moving_average(y, 3) with len(y) = 6: expected 4 values, got {got.shape}"
    assert np.isclose(got[0], 4.0), f"moving_average: the first window's mean is 4.0, got {got[0]}"


@pytest.mark.exercise("trend_plot")
def test_trend_plot_draws_two_lines(student):
    ax = _one_axes(_figure(student.plot("trend_plot", X, Y, 3), "trend_plot"), "trend_plot")
    assert len(ax["lines"]) == 2, f"trend_plot: expected 2 lines, got {len(ax['lines'])}"


@pytest.mark.exercise("twin_axis")
def test_twin_axis_has_a_twin(student):
    fig = _figure(student.plot("twin_axis", X, Y, Y * 100, "a", "b"), "twin_axis")
    assert len(fig["axes"]) == 2, f"twin_axis: expected 2 Axes (one twin), got {len(fig['axes'])}"


@pytest.mark.exercise("scatter_by_group")
def test_scatter_by_group_has_a_legend(student):
    df = pd.DataFrame({"a": X, "b": Y, "g": ["q", "p", "q", "p", "r", "r"]})
    ax = _one_axes(_figure(student.plot("scatter_by_group", df, "a", "b", "g"),
                           "scatter_by_group"), "scatter_by_group")
    assert ax["legend"] is not None, "scatter_by_group: expected a legend"
    assert ax["legend"]["texts"] == ["p", "q", "r"], \
        f"scatter_by_group: legend expected ['p', 'q', 'r'], got {ax['legend']['texts']}"


@pytest.mark.exercise("bubble_scatter")
def test_bubble_scatter_draws_every_point(student):
    fig = _figure(student.plot("bubble_scatter", X, Y, X * 50 + 20, ["red"] * 6), "bubble_scatter")
    ax = _one_axes(fig, "bubble_scatter")
    points = sum(len(c["offsets"]) for c in ax["collections"]) + sum(
        len(line["xdata"]) for line in ax["lines"])
    assert points == 6, f"bubble_scatter: expected 6 markers, got {points}"
