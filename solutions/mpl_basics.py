"""Matplotlib basics: Figure, Axes, color, legend, ticks and text with the object-oriented API.

Every function builds and returns a new Figure (a Figure, not an Axes) without touching
pyplot's global state: no extra figures left open, no rcParams left changed (use
matplotlib.rc_context for temporary styles); `Figure()` makes a figure pyplot does not track.
Graded: what is drawn (lines, ticks, titles, legend, annotations) and the picture; free: figure
size, layout, colours not named, text positions, pandas plotting (Series.plot(ax=ax)).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def stacked_subplots(series):
    """len(series) rows x 1 column of Axes; series[i] drawn as a line in row i."""
    # BEGIN SOLUTION
    fig = Figure()
    axes = fig.subplots(len(series), 1, squeeze=False)[:, 0]  # one Axes per row
    for ax, y in zip(axes, series):
        ax.plot(y)
    return fig
    # END SOLUTION


def colored_lines(series, colors, title):
    """One Axes: a line per series entry (label = key, color = colors[key]), a legend and a title."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    for name, y in series.items():
        ax.plot(y, color=colors[name], label=name)
    ax.legend()
    ax.set_title(title)
    return fig
    # END SOLUTION


def custom_ticks(values, labels, suptitle):
    """A line plot with x ticks at 0..n-1 labelled `labels`, and a figure suptitle."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    x = np.arange(len(values))
    ax.plot(x, values)
    ax.set_xticks(x)
    ax.set_xticklabels(labels)
    fig.suptitle(suptitle)
    return fig
    # END SOLUTION


def annotate_max(y):
    """A line plot of y with its maximum annotated "max: {value}" and an arrow to the point."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.plot(y)
    i = int(np.argmax(y))  # first index of the maximum
    ax.annotate(f"max: {y[i]}", xy=(i, y[i]), xytext=(30, -30), textcoords="offset points",
                arrowprops=dict(arrowstyle="->"))
    return fig
    # END SOLUTION
