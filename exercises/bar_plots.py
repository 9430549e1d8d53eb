"""Bar plots of a table: multiple, stacked, percentage-stacked, overlapped, grouped and sorted.

A table is a pandas DataFrame: index = categories (one bar position each), columns = series.
Every function builds and returns a new Figure without touching pyplot's global state.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def multiple_bar(table):
    """One bar subplot per column, side by side, sharing the y axis; each titled with its column."""
    raise NotImplementedError("bar_plots.multiple_bar: fill in this part")


def stacked_bar(table):
    """Vertical bars, columns stacked in column order (bottom = sum of the earlier ones); legend."""
    raise NotImplementedError("bar_plots.stacked_bar: fill in this part")


def percentage_stacked_barh(table):
    """Horizontal stacked shares (each row / its total) with left=; the first category on top; legend."""
    raise NotImplementedError("bar_plots.percentage_stacked_barh: fill in this part")


def overlapped_bar(table, alpha=0.5):
    """Every column drawn at the same x positions with transparency `alpha`; legend."""
    raise NotImplementedError("bar_plots.overlapped_bar: fill in this part")


def grouped_bar(table, width=0.12):
    """Column i at x + (-n + 1 + 2i) * width / 2, x = 0..len-1; x ticks labelled with the index; legend."""
    raise NotImplementedError("bar_plots.grouped_bar: fill in this part")


def sorted_clean_bar(values):
    """Bars sorted in descending order; top and right spines hidden; y grid behind the bars; y from 0."""
    raise NotImplementedError("bar_plots.sorted_clean_bar: fill in this part")
