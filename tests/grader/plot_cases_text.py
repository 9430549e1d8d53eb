"""Calibration cases where text positions and sharing are the free choices (merged into
plot_cases.CASES): an annotated line with an Axes title and a suptitle, and one line per table
column in stacked rows. Each function takes the table (index = categories, columns = series)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

# ---- annotated(table): the first column as a line, its maximum annotated with an arrow ------


def _first(table):
    y = table.iloc[:, 0].to_numpy(float)
    return y, int(np.argmax(y))


def _annotated(table, target, xytext=(30, -30)):
    y, i = _first(table)
    fig, ax = plt.subplots()
    ax.plot(y)
    ax.annotate(f"max: {y[i]:.1f}", xy=(target, y[target]), xytext=xytext,
                textcoords="offset points", arrowprops={"arrowstyle": "->"})
    ax.set_title(table.columns[0])
    fig.suptitle("first column")
    return fig


def annotated_ref(table):
    return _annotated(table, _first(table)[1])


def annotated_free_text_places(table):
    """Correct: the annotation text elsewhere with another arrow style, a left title, a
    left-aligned suptitle, and a colour of its own."""
    y, i = _first(table)
    fig, ax = plt.subplots()
    ax.plot(y, color="gray")
    ax.annotate(f"max: {y[i]:.1f}", xy=(i, y[i]), xytext=(0.05, 0.1), textcoords="axes fraction",
                arrowprops={"facecolor": "black", "shrink": 0.05}, bbox={"boxstyle": "round"})
    ax.set_title(table.columns[0], loc="left")
    fig.suptitle("first column", x=0.125, ha="left")
    return fig


def annotated_wrong_target(table):
    """Mistake: the arrow points at the minimum (the arrow is masked: semantic checks only)."""
    y, _ = _first(table)
    return _annotated(table, int(np.argmin(y)), xytext=(30, 30))


def annotated_wrong_line(table):
    """Mistake: the last column drawn instead of the first."""
    return annotated_ref(table[table.columns[::-1]])


# ---- rows(table): one Axes per column, stacked in one column of rows --------------------------


def rows_ref(table):
    fig, axes = plt.subplots(table.shape[1], 1, squeeze=False)
    for ax, column in zip(axes[:, 0], table.columns):
        ax.plot(table[column].to_numpy())
    return fig


def rows_free_sharex(table):
    """Correct: sharex=True (the upper rows lose their x tick labels; the lines are the same)."""
    fig, axes = plt.subplots(table.shape[1], 1, sharex=True, squeeze=False)
    for ax, column in zip(axes[:, 0], table.columns):
        ax.plot(table[column].to_numpy())
    return fig


def rows_wrong_in_a_row(table):
    fig, axes = plt.subplots(1, table.shape[1], squeeze=False)
    for ax, column in zip(axes[0], table.columns):
        ax.plot(table[column].to_numpy())
    return fig


TEXT_CASES = {
    "annotated": (annotated_ref, {
        "alternative": [],
        "free choice": [annotated_free_text_places],
        "wrong": [annotated_wrong_line],
        "semantic only": [annotated_wrong_target],
    }),
    "rows": (rows_ref, {
        "alternative": [],
        "free choice": [rows_free_sharex],
        "wrong": [rows_wrong_in_a_row],
        "semantic only": [],
    }),
}
