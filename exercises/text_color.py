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
    raise NotImplementedError("text_color.titled_scatter: fill in this part")


def annotate_points(x, y, indices, labels):
    """A scatter of (x, y); labels[k] annotates point indices[k] in a rounded box
    (boxstyle "round") with an arrow to the point."""
    raise NotImplementedError("text_color.annotate_points: fill in this part")


def colormap_scatter(x, y, values, cmap="viridis", vmin=0, vmax=100):
    """A scatter whose colours are `values` through `cmap`, vmin at the bottom of the map and
    vmax at the top (not the data's own range); a colorbar."""
    raise NotImplementedError("text_color.colormap_scatter: fill in this part")


def diverging_scatter(x, y, values, vcenter, vmin, vmax, cmap="RdBu"):
    """A scatter coloured by `values` through a diverging `cmap` whose centre colour sits at
    vcenter (a TwoSlopeNorm from vmin through vcenter to vmax); a colorbar."""
    raise NotImplementedError("text_color.diverging_scatter: fill in this part")


def highlight_bars(values, highlight, base_color="lightgray", highlight_color="tomato"):
    """Vertical bars of a Series at 0..n-1 labelled with its index: bars whose index is in
    `highlight` in highlight_color, the others in base_color."""
    raise NotImplementedError("text_color.highlight_bars: fill in this part")


def discrete_cmap(n, name="tab10"):
    """A ListedColormap of the first n colours of the qualitative colormap `name` (its .colors).

    Raises ValueError when the map has fewer than n colours."""
    raise NotImplementedError("text_color.discrete_cmap: fill in this part")
