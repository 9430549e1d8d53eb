"""Facets and layout: grids of subplots, GridSpec dashboards, inset Axes, colorbars in an
appended Axes, reference lines and spans, and styles applied without leaking.

Every function builds and returns a new Figure without touching pyplot's global state:
`Figure()` makes a figure that pyplot does not track, and rcParams are changed only inside a
`matplotlib.rc_context`.
"""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure
from mpl_toolkits.axes_grid1 import make_axes_locatable

DASHBOARD = ("gs[0, :]", "gs[1, :-1]", "gs[1:, -1]", "gs[-1, 0]", "gs[-1, -2]")


def titled_grid(n, m):
    """n x m subplots (also when n or m is 1), titled "0", "1", ... row by row, no ticks."""
    # BEGIN SOLUTION
    fig = Figure()
    axes = fig.subplots(n, m, squeeze=False)  # always a 2-D array (n, m), even for 1 x 1
    for k, ax in enumerate(axes.flat):  # .flat walks row by row
        ax.set_title(str(k))
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
    # END SOLUTION


def gridspec_dashboard():
    """A 3 x 3 GridSpec with five Axes at gs[0, :], gs[1, :-1], gs[1:, -1], gs[-1, 0] and
    gs[-1, -2], each titled with its slice, e.g. "gs[0, :]"."""
    # BEGIN SOLUTION
    fig = Figure()
    gs = fig.add_gridspec(3, 3)
    cells = (gs[0, :], gs[1, :-1], gs[1:, -1], gs[-1, 0], gs[-1, -2])
    for spec, title in zip(cells, DASHBOARD):
        fig.add_subplot(spec).set_title(title)
    return fig
    # END SOLUTION


def inset_zoom(x, y, bounds=(0.8, 0.8, 0.2, 0.2)):
    """A line plot of y against x with an inset Axes at bounds = (x0, y0, width, height), in
    fractions of the main Axes, showing the same line."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x, y)
    inset = ax.inset_axes(bounds)  # axes-fraction coordinates of ax
    inset.plot(x, y)
    return fig
    # END SOLUTION


def image_with_colorbar(data, size="7%", pad="2%"):
    """imshow(data) with its colorbar in an Axes appended to the right of the image by
    make_axes_locatable (width `size`, gap `pad`, both fractions of the image Axes' width)."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    image = ax.imshow(data)
    cax = make_axes_locatable(ax).append_axes("right", size=size, pad=pad)
    fig.colorbar(image, cax=cax)
    return fig
    # END SOLUTION


def reference_lines(x, y, threshold, span):
    """A line plot with a horizontal line across the Axes at y = threshold (axhline), a shaded
    vertical band over span = (start, end) (axvspan), and the top and right spines hidden."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x, y)
    ax.axhline(threshold, color="gray")
    ax.axvspan(*span, facecolor="gold", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
    # END SOLUTION


def styled_plot(x, y, rc):
    """A line plot created under the rcParams in `rc`; the global rcParams are left unchanged."""
    # BEGIN SOLUTION
    with matplotlib.rc_context(rc):  # rc applies inside the block only
        fig = Figure()
        ax = fig.subplots()
        ax.plot(x, y)
    return fig
    # END SOLUTION
