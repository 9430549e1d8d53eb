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
    raise NotImplementedError("mpl_basics.stacked_subplots: fill in this part")


def colored_lines(series, colors, title):
    """One Axes: a line per series entry (label = key, color = colors[key]), a legend and a title."""
    raise NotImplementedError("mpl_basics.colored_lines: fill in this part")


def custom_ticks(values, labels, suptitle):
    """A line plot with x ticks at 0..n-1 labelled `labels`, and a figure suptitle."""
    raise NotImplementedError("mpl_basics.custom_ticks: fill in this part")


def annotate_max(y):
    """A line plot of y with its maximum annotated "max: {value}" and an arrow to the point."""
    raise NotImplementedError("mpl_basics.annotate_max: fill in this part")
