"""Matplotlib basics: Figure, Axes, color, legend, ticks and text with the object-oriented API.

Every function builds and returns a new Figure without touching pyplot's global state
(no current figure, no rcParams changes): `Figure()` makes a figure that pyplot does not track.
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
