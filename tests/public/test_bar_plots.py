"""Public sanity checks for bar_plots: each function returns a Figure with the right Axes and
bars. Run them with `grade check bar_plots`; passing them does not mean full marks."""

import pandas as pd
import pytest

TABLE = pd.DataFrame({"female": [3.0, 5.0, 4.0], "male": [2.0, 6.0, 1.0]}, index=["A", "B", "C"])


def _figure(capture, what):
    assert capture["figure"] is not None, f"{what}: {'; '.join(capture['problems'])}"
    assert not capture["problems"], f"{what}: {'; '.join(capture['problems'])}"
    return capture["figure"]


def _bar_count(ax):
    return sum(len(c["rects"]) for c in ax["bars"])


@pytest.mark.exercise("multiple_bar")
def test_multiple_bar_returns_one_axes_per_column(student):
    fig = _figure(student.plot("multiple_bar", TABLE), "multiple_bar")
    assert len(fig["axes"]) == 2, f"multiple_bar: expected 2 Axes, got {len(fig['axes'])}"


@pytest.mark.parametrize("name", [
    pytest.param("stacked_bar", marks=pytest.mark.exercise("stacked_bar")),
    pytest.param("percentage_stacked_barh", marks=pytest.mark.exercise("percentage_stacked_barh")),
    pytest.param("overlapped_bar", marks=pytest.mark.exercise("overlapped_bar")),
    pytest.param("grouped_bar", marks=pytest.mark.exercise("grouped_bar")),
])
def test_table_plot_returns_one_axes_with_six_bars(student, name):
    fig = _figure(student.plot(name, TABLE), name)
    assert len(fig["axes"]) == 1, f"{name}: expected 1 Axes, got {len(fig['axes'])}"
    count = _bar_count(fig["axes"][0])
    assert count == 6, f"{name}: expected 6 bars (3 categories x 2 columns), got {count}"


@pytest.mark.exercise("sorted_clean_bar")
def test_sorted_clean_bar_returns_one_axes_with_three_bars(student):
    fig = _figure(student.plot("sorted_clean_bar", TABLE["male"]), "sorted_clean_bar")
    assert len(fig["axes"]) == 1, f"sorted_clean_bar: expected 1 Axes, got {len(fig['axes'])}"
    assert _bar_count(fig["axes"][0]) == 3, "sorted_clean_bar: expected 3 bars"
