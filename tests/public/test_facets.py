"""Public sanity checks for facets: each function returns a Figure with the right Axes.
Run them with `grade check facets`; passing them does not mean full marks."""

import numpy as np
import pytest

X = np.arange(6.0)
Y = np.array([3.0, 5.0, 4.0, 6.0, 8.0, 7.0])


def _figure(capture, what):
    assert capture["figure"] is not None, f"{what}: {'; '.join(capture['problems'])}"
    assert not capture["problems"], f"{what}: {'; '.join(capture['problems'])}"
    return capture["figure"]


def _roles(fig):
    return sorted(ax["role"] for ax in fig["axes"])


@pytest.mark.exercise("titled_grid")
def test_titled_grid_has_n_times_m_axes(student):
    fig = _figure(student.plot("titled_grid", 2, 3), "titled_grid")
    assert len(fig["axes"]) == 6, f"titled_grid(2, 3): expected 6 Axes, got {len(fig['axes'])}"


@pytest.mark.exercise("gridspec_dashboard")
def test_gridspec_dashboard_has_five_axes(student):
    fig = _figure(student.plot("gridspec_dashboard"), "gridspec_dashboard")
    assert len(fig["axes"]) == 5, f"gridspec_dashboard: expected 5 Axes, got {len(fig['axes'])}"


@pytest.mark.exercise("inset_zoom")
def test_inset_zoom_has_two_axes(student):
    fig = _figure(student.plot("inset_zoom", X, Y), "inset_zoom")
    assert len(fig["axes"]) == 2, f"inset_zoom: expected 2 Axes (one inset), got {len(fig['axes'])}"


@pytest.mark.exercise("image_with_colorbar")
def test_image_with_colorbar_has_a_colorbar(student):
    fig = _figure(student.plot("image_with_colorbar", np.arange(12.0).reshape(3, 4)),
                  "image_with_colorbar")
    assert "colorbar" in _roles(fig), "image_with_colorbar: expected a colorbar"


@pytest.mark.exercise("reference_lines")
def test_reference_lines_has_a_span(student):
    fig = _figure(student.plot("reference_lines", X, Y, 5.0, (1, 2)), "reference_lines")
    assert len(fig["axes"][0]["patches"]) == 1, "reference_lines: expected one shaded span"


@pytest.mark.exercise("styled_plot")
def test_styled_plot_uses_the_line_width(student):
    fig = _figure(student.plot("styled_plot", X, Y, {"lines.linewidth": 5.0}), "styled_plot")
    width = fig["axes"][0]["lines"][0]["linewidth"]
    assert width == 5.0, f"styled_plot: expected line width 5 from rc, got {width}"
