"""Text and colour: titles, legends and annotations that explain a plot, colormaps and norms that
turn values into colours, and colour contrast that points the reader at what matters.

Every plotting function builds and returns a new Figure without touching pyplot's global
state: `Figure()` makes a figure that pyplot does not track. A scatter is markers without
connecting lines (ax.scatter, or ax.plot with a marker and linestyle="").
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import ListedColormap, TwoSlopeNorm
from matplotlib.figure import Figure


def titled_scatter(df, x, y, hue, title):
    """One scatter of df[x] against df[y] per value of df[hue], labelled with the value; a bold
    Axes title at the left; a legend titled `hue` in the lower right corner."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    for value, rows in df.groupby(hue):
        ax.scatter(rows[x], rows[y], label=value)
    ax.set_title(title, loc="left", fontweight="bold")
    ax.legend(title=hue, loc="lower right")
    return fig
    # END SOLUTION


def annotate_points(x, y, indices, labels):
    """A scatter of (x, y); labels[k] annotates point indices[k] in a rounded box
    (boxstyle "round") with an arrow to the point."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    ax.scatter(x, y)
    for i, text in zip(indices, labels):
        ax.annotate(text, xy=(x[i], y[i]), xytext=(15, 15), textcoords="offset points",
                    bbox=dict(boxstyle="round", facecolor="lightyellow"),
                    arrowprops=dict(arrowstyle="->"))
    return fig
    # END SOLUTION


def colormap_scatter(x, y, values, cmap="viridis", vmin=0, vmax=100):
    """A scatter whose colours are `values` through `cmap`, vmin at the bottom of the map and
    vmax at the top (not the data's own range); a colorbar."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    points = ax.scatter(x, y, c=values, cmap=cmap, vmin=vmin, vmax=vmax)
    fig.colorbar(points, ax=ax)
    return fig
    # END SOLUTION


def diverging_scatter(x, y, values, vcenter, vmin, vmax, cmap="RdBu"):
    """A scatter coloured by `values` through a diverging `cmap` whose centre colour sits at
    vcenter (a TwoSlopeNorm from vmin through vcenter to vmax); a colorbar."""
    # BEGIN SOLUTION
    fig = Figure()
    ax = fig.subplots()
    norm = TwoSlopeNorm(vcenter=vcenter, vmin=vmin, vmax=vmax)  # each side stretched on its own
    points = ax.scatter(x, y, c=values, cmap=cmap, norm=norm)
    fig.colorbar(points, ax=ax)
    return fig
    # END SOLUTION


def highlight_bars(values, highlight, base_color="lightgray", highlight_color="tomato"):
    """Vertical bars of a Series at 0..n-1 labelled with its index: bars whose index is in
    `highlight` in highlight_color, the others in base_color."""
    # BEGIN SOLUTION
    colors = [highlight_color if key in highlight else base_color for key in values.index]
    fig = Figure()
    ax = fig.subplots()
    ax.bar(np.arange(len(values)), values.to_numpy(), color=colors)
    ax.set_xticks(np.arange(len(values)), [str(key) for key in values.index])
    return fig
    # END SOLUTION


def discrete_cmap(n, name="tab10"):
    """A ListedColormap of the first n colours of the qualitative colormap `name` (its .colors).

    Raises ValueError when the map has fewer than n colours."""
    # BEGIN SOLUTION
    colors = matplotlib.colormaps[name].colors  # every colour of a qualitative map
    if n > len(colors):
        raise ValueError(f"{name} has {len(colors)} colours, {n} asked for")
    return ListedColormap(colors[:n], name=f"{name}_{n}")
    # END SOLUTION
