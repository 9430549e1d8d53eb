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
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x, y, marker=marker, linestyle=linestyle)
    ax.xaxis.set_major_locator(MultipleLocator(major_step))
    return fig
    # END SOLUTION


def moving_average(y, window):
    """The mean of each full window: out[i] = mean(y[i : i + window]), i = 0..len(y) - window.

    Returns a float np.ndarray of length len(y) - window + 1; accepts lists.
    Raises ValueError when window is not between 1 and len(y)."""
    # BEGIN SOLUTION
    y = np.asarray(y, dtype=float)  # (n,)
    if not 1 <= window <= len(y):
        raise ValueError(f"window must be between 1 and len(y) = {len(y)}, got {window}")
    kernel = np.full(window, 1.0 / window)  # (window,)
    return np.convolve(y, kernel, mode="valid")  # (n - window + 1,)
    # END SOLUTION


def trend_plot(x, y, window):
    """The raw line (alpha 0.3) and its moving average drawn on top of it, each average placed
    at the x of its window's last point."""
    # BEGIN SOLUTION
    x = np.asarray(x)
    smooth = moving_average(y, window)  # (n - window + 1,)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x, y, alpha=0.3, label="raw")
    start = len(x) - len(smooth)  # = window - 1: where the first full window ends
    ax.plot(x[start:], smooth, label=f"moving average ({window})")  # drawn last: on top
    ax.legend()
    return fig
    # END SOLUTION


def twin_axis(x, y1, y2, label1, label2):
    """y1 against the left y axis (labelled label1), y2 against a second y axis on the right
    that shares x (twinx, labelled label2)."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x, y1, color="tab:blue")
    ax.set_ylabel(label1, color="tab:blue")
    right = ax.twinx()  # same x axis, y axis on the right
    right.plot(x, y2, color="tab:orange")
    right.set_ylabel(label2, color="tab:orange")
    return fig
    # END SOLUTION


def scatter_by_group(df, x, y, group):
    """One scatter of df[x] against df[y] per value of df[group], in sorted order, each
    labelled with its value; a legend."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    for value in sorted(df[group].unique()):
        rows = df[df[group] == value]
        ax.scatter(rows[x], rows[y], label=value)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.legend(title=group)
    return fig
    # END SOLUTION


def bubble_scatter(x, y, sizes, colors):
    """A scatter with marker area sizes[i] (points^2, scatter's s) and face colour colors[i] at
    point i, every marker edged in black."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.scatter(x, y, s=sizes, c=colors, edgecolors="black")
    return fig
    # END SOLUTION
