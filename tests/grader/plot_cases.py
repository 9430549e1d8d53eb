"""Plotting functions for calibrating and testing the plot engine: reference grouped, stacked and
percentage-stacked bars (as in the catalog; more cases in plot_cases_text.py), correct
alternatives written differently, correct submissions with free choices (colours, layout,
figure size, legend place, pandas' .plot.bar: the default check, on normalised captures, must
pass them), picture mistakes (the default check must fail them)
and mistakes the masked picture cannot show ("semantic only": only text differs, or less than
the tolerance; the semantic checks catch them).

Used by tests/grader/test_plot_engine.py and scripts/plot_calibration.py."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.data import load_students
from tests.grader.plot_cases_text import TEXT_CASES


def students_table(columns="gender", values="math score"):
    df = load_students()
    return df.pivot_table(index="race/ethnicity", columns=columns, values=values, aggfunc="mean")


# ---- grouped_bar(table, width=0.12): column i at x + (-n + 1 + 2i) * width / 2 ----------------


def grouped_ref(table, width=0.12):
    fig, ax = plt.subplots()
    x = np.arange(len(table.index))
    n = len(table.columns)
    for i, col in enumerate(table.columns):
        ax.bar(x + (-n + 1 + 2 * i) * width / 2, table[col], width=width, label=col)
    ax.set_xticks(x)
    ax.set_xticklabels(table.index)
    ax.legend()
    return fig


def grouped_alt_pyplot(table, width=0.12):
    plt.figure()
    n = len(table.columns)
    for i, col in enumerate(table.columns):
        plt.bar([k + (-n + 1 + 2 * i) * width / 2 for k in range(len(table))], table[col].values,
                width, label=col)
    plt.xticks(range(len(table)), table.index)
    plt.legend()
    return plt.gcf()


def grouped_alt_add_subplot_linspace(table, width=0.12):
    fig = plt.figure()
    ax = fig.add_subplot(1, 1, 1)
    n = len(table.columns)
    offsets = np.linspace(-(n - 1) * width / 2, (n - 1) * width / 2, n)
    x = np.arange(len(table))
    for off, (name, col) in zip(offsets, table.items()):
        ax.bar(x + off, col, width=width, label=name)
    ax.set_xticks(x, labels=list(table.index))
    ax.legend()
    return fig


def grouped_alt_figure_object(table, width=0.12):
    fig = Figure(figsize=(10, 6))          # no pyplot at all; size is overridden by the capture
    ax = fig.subplots()
    x = np.arange(len(table))
    n = len(table.columns)
    for i in range(n):
        ax.bar(x - (n - 1) * width / 2 + i * width, table.iloc[:, i], width, label=table.columns[i])
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


def grouped_wrong_offsets(table, width=0.12):
    """Mistake: offsets i * width (group not centred on the tick)."""
    fig, ax = plt.subplots()
    x = np.arange(len(table.index))
    for i, col in enumerate(table.columns):
        ax.bar(x + i * width, table[col], width=width, label=col)
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


def grouped_wrong_overlap(table, width=0.12):
    """Mistake: every column at the same x (bars hide each other)."""
    fig, ax = plt.subplots()
    x = np.arange(len(table.index))
    for col in table.columns:
        ax.bar(x, table[col], width=width, label=col)
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


def grouped_wrong_no_ticks(table, width=0.12):
    """Mistake: x ticks left numeric (no category labels)."""
    fig, ax = plt.subplots()
    x = np.arange(len(table.index))
    n = len(table.columns)
    for i, col in enumerate(table.columns):
        ax.bar(x + (-n + 1 + 2 * i) * width / 2, table[col], width=width, label=col)
    ax.legend()
    return fig


def grouped_wrong_no_legend(table, width=0.12):
    fig = grouped_ref(table, width)
    fig.axes[0].get_legend().remove()
    return fig


def grouped_wrong_width(table, width=0.12):
    """Mistake: default bar width 0.8 instead of width (bars overlap)."""
    fig, ax = plt.subplots()
    x = np.arange(len(table.index))
    n = len(table.columns)
    for i, col in enumerate(table.columns):
        ax.bar(x + (-n + 1 + 2 * i) * width / 2, table[col], label=col)
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


def grouped_free_colors(table, width=0.12):
    """Correct, with colours of its own (the catalog does not name colours)."""
    fig, ax = plt.subplots()
    x = np.arange(len(table.index))
    n = len(table.columns)
    colors = plt.cm.Set2(np.arange(n))
    for i, col in enumerate(table.columns):
        ax.bar(x + (-n + 1 + 2 * i) * width / 2, table[col], width=width, label=col,
               color=colors[i])
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


def grouped_free_tight_layout(table, width=0.12):
    """Correct, with fig.tight_layout() (layout is free: the capture resets it)."""
    fig = grouped_ref(table, width)
    fig.tight_layout()
    return fig


def grouped_free_legend_outside(table, width=0.12):
    """Correct, with the legend outside the Axes (legend placement is free)."""
    fig = grouped_ref(table, width)
    fig.axes[0].legend(loc="upper left", bbox_to_anchor=(1, 1))
    return fig


def grouped_free_constrained_figsize(table, width=0.12):
    """Correct, with layout="constrained" and a figure size of its own."""
    fig, ax = plt.subplots(figsize=(12, 5), layout="constrained")
    x = np.arange(len(table.index))
    n = len(table.columns)
    for i, col in enumerate(table.columns):
        ax.bar(x + (-n + 1 + 2 * i) * width / 2, table[col], width=width, label=col)
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


# ---- percentage_stacked_barh(table) --------------------------------------------------------


def pct_ref(table):
    fig, ax = plt.subplots()
    t = table.iloc[::-1]
    share = t.div(t.sum(axis=1), axis=0)
    left = np.zeros(len(t))
    for col in share.columns:
        ax.barh(share.index, share[col], left=left, label=col)
        left += share[col].to_numpy()
    ax.legend()
    return fig


def pct_alt_numpy_invert(table):
    """Same picture: categories in index order, y axis inverted; numpy normalisation."""
    fig, ax = plt.subplots()
    values = table.to_numpy()
    share = values / values.sum(axis=1, keepdims=True)
    left = np.zeros(len(table))
    y = np.arange(len(table))
    for j, col in enumerate(table.columns):
        ax.barh(y, share[:, j], left=left, label=col)
        left = left + share[:, j]
    ax.set_yticks(y, table.index)
    ax.invert_yaxis()
    ax.legend()
    return fig


def pct_free_legend_and_title(table):
    """Correct, with the legend at the lower left and a left-aligned title of its own."""
    fig = pct_ref(table)
    fig.axes[0].legend(loc="lower left")
    fig.axes[0].set_title("shares", loc="left")
    return fig


def pct_wrong_not_normalised(table):
    fig, ax = plt.subplots()
    t = table.iloc[::-1]
    left = np.zeros(len(t))
    for col in t.columns:
        ax.barh(t.index, t[col], left=left, label=col)
        left += t[col].to_numpy()
    ax.legend()
    return fig


def pct_wrong_not_reversed(table):
    fig, ax = plt.subplots()
    share = table.div(table.sum(axis=1), axis=0)
    left = np.zeros(len(share))
    for col in share.columns:
        ax.barh(share.index, share[col], left=left, label=col)
        left += share[col].to_numpy()
    ax.legend()
    return fig


# ---- stacked_bar(table) ----------------------------------------------------------------------


def stacked_ref(table):
    fig, ax = plt.subplots()
    bottom = np.zeros(len(table))
    for col in table.columns:
        ax.bar(table.index, table[col], bottom=bottom, label=col)
        bottom += table[col].to_numpy()
    ax.legend()
    return fig


def stacked_alt_cumsum(table):
    fig, ax = plt.subplots()
    cum = table.cumsum(axis=1)
    x = range(len(table))
    for i, col in enumerate(table.columns):
        ax.bar(x, table[col], bottom=cum.iloc[:, i - 1] if i else 0, label=col)
    ax.set_xticks(x, table.index)
    ax.legend()
    return fig


def stacked_free_legend_loc(table):
    """Correct, with the legend at the lower right over the bars."""
    fig = stacked_ref(table)
    fig.axes[0].legend(loc="lower right")
    return fig


def stacked_pandas(table):
    """The same bars drawn by pandas: width 0.5, rotated labels, axis label, own x limits (all
    free: the image check normalises them)."""
    return table.plot.bar(stacked=True).figure


def stacked_wrong_order(table):
    return stacked_ref(table[table.columns[::-1]])


def stacked_wrong_no_bottom(table):
    fig, ax = plt.subplots()
    for col in table.columns:
        ax.bar(table.index, table[col], label=col)
    ax.legend()
    return fig


# Free properties a case fixes after all (grader.figure.normalise.FREE), as a suite's IMAGE_FIXED:
# the image check normalises every other one on both figures.
FIXED = {"grouped": ("bar_width",)}


def free_for(case: str) -> tuple:
    from grader.figure.normalise import FREE

    return tuple(f for f in FREE if f not in FIXED.get(case, ()))


CASES = {
    "grouped": (grouped_ref, {
        "alternative": [grouped_alt_pyplot, grouped_alt_add_subplot_linspace,
                        grouped_alt_figure_object],
        "free choice": [grouped_free_colors, grouped_free_tight_layout,
                        grouped_free_constrained_figsize, grouped_free_legend_outside],
        "wrong": [grouped_wrong_overlap, grouped_wrong_width],
        # tick labels / legend only, or bars and ticks shifted together (3.6 < 5)
        "semantic only": [grouped_wrong_offsets, grouped_wrong_no_ticks, grouped_wrong_no_legend],
    }),
    "stacked": (stacked_ref, {
        "alternative": [stacked_alt_cumsum],
        # pandas: bars 0.5 wide, rotated labels, index-name label, its own x limits: all free
        "free choice": [stacked_free_legend_loc, stacked_pandas],
        "wrong": [stacked_wrong_no_bottom],
        "semantic only": [stacked_wrong_order],   # same ink; only the legend order differs
    }),
    "pct_barh": (pct_ref, {
        "alternative": [pct_alt_numpy_invert],
        "free choice": [pct_free_legend_and_title],
        "wrong": [pct_wrong_not_normalised],
        "semantic only": [pct_wrong_not_reversed],  # full-width bars: only tick labels move
    }),
    **TEXT_CASES,
}
