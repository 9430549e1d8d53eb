"""Bar plots of a table: multiple, stacked, percentage-stacked, overlapped, grouped and sorted.

A table is a pandas DataFrame: index = categories (one bar position each), columns = series.
Every function builds and returns a new Figure without touching pyplot's global state (no
extra figures left open, no rcParams left changed). Graded: the bars as drawn (positions,
heights, bottoms/lefts, series labels), ticks, legend, titles, spines, grid, and the picture.
Free: bar widths unless a function names one, colours not named, figure size, layout, text
positions, tick-label rotation, axis labels not asked for, one bar() call per bar or per series,
and pandas plotting (DataFrame.plot.bar(ax=ax), Series.plot.bar(ax=ax)).
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
    """Grouped bars: the columns side by side around each category's x (x = 0..len-1), every
    bar `width` wide, the group centred on x; x ticks at x labelled with the index; legend.
    Hint: with n columns, find the offset of column i that centres the group."""
    raise NotImplementedError("bar_plots.grouped_bar: fill in this part")


def sorted_clean_bar(values):
    """Bars sorted in descending order; top and right spines hidden; y grid behind the bars; y from 0."""
    raise NotImplementedError("bar_plots.sorted_clean_bar: fill in this part")
