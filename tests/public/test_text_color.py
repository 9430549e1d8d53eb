"""Public sanity checks for text_color: each plotting function returns a Figure with the right
Axes and artists, discrete_cmap a colormap with n colours. Run them with `grade check
text_color`; passing them does not mean full marks."""

import numpy as np
import pandas as pd
import pytest

X = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
Y = np.array([2.0, 4.0, 3.0, 5.0, 1.0])
V = np.array([10.0, 40.0, 55.0, 70.0, 95.0])


def _figure(capture, what):
    assert capture["figure"] is not None, f"{what}: {'; '.join(capture['problems'])}"
    assert not capture["problems"], f"{what}: {'; '.join(capture['problems'])}"
    return capture["figure"]


def _main(fig):
    return [ax for ax in fig["axes"] if ax["role"] == "main"]


@pytest.mark.exercise("titled_scatter")
def test_titled_scatter_has_a_left_title(student):
    df = pd.DataFrame({"a": X, "b": Y, "g": ["p", "q", "p", "q", "p"]})
    ax = _main(_figure(student.plot("titled_scatter", df, "a", "b", "g", "T"), "titled_scatter"))[0]
    assert ax["title"]["left"]["text"] == "T", "titled_scatter: expected the title 'T' at the left"


@pytest.mark.exercise("annotate_points")
def test_annotate_points_adds_two_annotations(student):
    ax = _main(_figure(student.plot("annotate_points", X, Y, [1, 3], ["b", "d"]),
                       "annotate_points"))[0]
    texts = sorted(t["text"] for t in ax["texts"])
    assert texts == ["b", "d"], f"annotate_points: expected annotations ['b', 'd'], got {texts}"


@pytest.mark.parametrize("name, args", [
    pytest.param("colormap_scatter", (X, Y, V), marks=pytest.mark.exercise("colormap_scatter")),
    pytest.param("diverging_scatter", (X, Y, V, 50, 0, 100),
                 marks=pytest.mark.exercise("diverging_scatter")),
])
def test_mapped_scatter_has_a_colorbar(student, name, args):
    fig = _figure(student.plot(name, *args), name)
    assert any(ax["role"] == "colorbar" for ax in fig["axes"]), f"{name}: expected a colorbar"


@pytest.mark.exercise("highlight_bars")
def test_highlight_bars_draws_one_bar_per_value(student):
    values = pd.Series([3.0, 5.0, 4.0], index=["a", "b", "c"])
    ax = _main(_figure(student.plot("highlight_bars", values, ["b"]), "highlight_bars"))[0]
    bars = sum(len(c["rects"]) for c in ax["bars"])
    assert bars == 3, f"highlight_bars: expected 3 bars, got {bars}"


@pytest.mark.exercise("discrete_cmap")
def test_discrete_cmap_has_n_colors(student):
    cmap = student.discrete_cmap(3)
    assert cmap.N == 3, f"discrete_cmap(3): expected N = 3, got {cmap.N}"
