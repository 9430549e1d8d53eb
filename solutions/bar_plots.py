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
    # BEGIN SOLUTION
    fig = Figure()
    axes = fig.subplots(1, table.shape[1], sharey=True, squeeze=False)[0]
    for ax, column in zip(axes, table.columns):
        ax.bar(table.index, table[column])
        ax.set_title(column)
    return fig
    # END SOLUTION


def stacked_bar(table):
    """Vertical bars, columns stacked in column order (bottom = sum of the earlier ones); legend."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    bottom = np.zeros(len(table))
    for column in table.columns:
        ax.bar(table.index, table[column], bottom=bottom, label=column)
        bottom += table[column].to_numpy()
    ax.legend()
    return fig
    # END SOLUTION


def percentage_stacked_barh(table):
    """Horizontal stacked shares (each row / its total) with left=; the first category on top; legend."""
    # BEGIN SOLUTION
    values = table.to_numpy(dtype=float)[::-1]  # (categories, series), last category first
    shares = values / values.sum(axis=1, keepdims=True)  # each row sums to 1
    categories = table.index[::-1]  # barh draws the first category at the bottom
    fig = Figure()
    ax = fig.subplots()
    left = np.zeros(len(categories))
    for j, column in enumerate(table.columns):
        ax.barh(categories, shares[:, j], left=left, label=column)
        left += shares[:, j]
    ax.legend()
    return fig
    # END SOLUTION


def overlapped_bar(table, alpha=0.5):
    """Every column drawn at the same x positions with transparency `alpha`; legend."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    for column in table.columns:
        ax.bar(table.index, table[column], alpha=alpha, label=column)
    ax.legend()
    return fig
    # END SOLUTION


def grouped_bar(table, width=0.12):
    """Grouped bars: the columns side by side around each category's x (x = 0..len-1), every
    bar `width` wide, the group centred on x; x ticks at x labelled with the index; legend.
    Hint: with n columns, find the offset of column i that centres the group."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    x = np.arange(len(table))
    n = table.shape[1]
    for i, column in enumerate(table.columns):
        ax.bar(x + (-n + 1 + 2 * i) * width / 2, table[column], width=width, label=column)
    ax.set_xticks(x)
    ax.set_xticklabels(table.index)
    ax.legend()
    return fig
    # END SOLUTION


def sorted_clean_bar(values):
    """Bars sorted in descending order; top and right spines hidden; y grid behind the bars; y from 0."""
    # BEGIN SOLUTION
    ordered = values.sort_values(ascending=False)
    fig = Figure()
    ax = fig.subplots()
    ax.bar(ordered.index, ordered)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)  # grid lines under the bars
    ax.grid(axis="y")
    ax.set_ylim(bottom=0)
    return fig
    # END SOLUTION
