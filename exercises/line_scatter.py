"""Line and scatter plots: markers and line styles, tick locators, a moving average, twin axes,
scatter plots by group and bubble charts.

Every plotting function builds and returns a new Figure without touching pyplot's global
state: `Figure()` makes a figure that pyplot does not track. x and y are 1-D sequences of the
same length (lists or numpy arrays). A scatter is markers without connecting lines
(ax.scatter, or ax.plot with a marker and linestyle="").
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator


def line_with_markers(x, y, marker="o", linestyle="--", major_step=1.0):
    """A line of y against x with `marker` at each point and `linestyle` between them; major x
    ticks at every multiple of major_step (a MultipleLocator)."""
    raise NotImplementedError("line_scatter.line_with_markers: fill in this part")


def moving_average(y, window):
    """The mean of each full window: out[i] = mean(y[i : i + window]), i = 0..len(y) - window.

    Returns a float np.ndarray of length len(y) - window + 1; accepts lists.
    Raises ValueError when window is not between 1 and len(y)."""
    raise NotImplementedError("line_scatter.moving_average: fill in this part")


def trend_plot(x, y, window):
    """The raw line (alpha 0.3) and its moving average drawn on top of it, each average placed
    at the x of its window's last point."""
    raise NotImplementedError("line_scatter.trend_plot: fill in this part")


def twin_axis(x, y1, y2, label1, label2):
    """y1 against the left y axis (labelled label1), y2 against a second y axis on the right
    that shares x (twinx, labelled label2)."""
    raise NotImplementedError("line_scatter.twin_axis: fill in this part")


def scatter_by_group(df, x, y, group):
    """One scatter of df[x] against df[y] per value of df[group], in sorted order, each
    labelled with its value; a legend."""
    raise NotImplementedError("line_scatter.scatter_by_group: fill in this part")


def bubble_scatter(x, y, sizes, colors):
    """A scatter with marker area sizes[i] (points^2, scatter's s) and face colour colors[i] at
    point i, every marker edged in black."""
    raise NotImplementedError("line_scatter.bubble_scatter: fill in this part")
