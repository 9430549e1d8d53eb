"""Bring what the catalog leaves free to one canonical form before the compared image is drawn
(worker side; used by capture_call(normalise=...) for the image check only).

The semantic checks read the figure as the student drew it; the image check must see only what
is fixed. Each free property below is set the same way on the student's and on the reference's
figure, so a free choice cannot move a pixel, while everything fixed (bar positions, heights,
bottoms, value-axis limits, line data, spines, grids, layering) stays as drawn:

- "bar_width": every bar (BarContainer) gets thickness BAR_THICKNESS data units, centred where
  it was (omit it where the exercise names a width, e.g. grouped_bar(width=...)).
- "category_limits": the category axis of an Axes with bars (x for vertical bars, y for
  horizontal) is autoscaled again from what is drawn (pandas and students set it freely).
- "tick_rotation": tick labels upright (pandas rotates them by 90 degrees).

Free choices that need no normalisation here: figure size and layout (capture_call resets
them), unnamed colours (ink mode is colour-blind), text (its boxes are masked: legend and
title positions, axis labels nobody asked for, pandas' index-name label), the split into calls
(the same bars give the same pixels).
"""

from __future__ import annotations

from matplotlib.container import BarContainer

FREE = ("bar_width", "category_limits", "tick_rotation")
BAR_THICKNESS = 0.8  # matplotlib's default bar width


def _bars(ax) -> list:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def _vertical(container) -> bool:
    return getattr(container, "orientation", "vertical") != "horizontal"


def _set_thickness(container) -> None:
    half = BAR_THICKNESS / 2
    for rect in container.patches:
        if _vertical(container):
            centre = rect.get_x() + rect.get_width() / 2
            rect.set_x(centre - half)
            rect.set_width(BAR_THICKNESS)
        else:
            centre = rect.get_y() + rect.get_height() / 2
            rect.set_y(centre - half)
            rect.set_height(BAR_THICKNESS)


def _autoscale_category(ax, vertical: bool) -> None:
    """Autoscale the category axis from the artists (inversion kept); the other axis as is."""
    inverted = ax.xaxis_inverted() if vertical else ax.yaxis_inverted()
    other = ax.get_ylim() if vertical else ax.get_xlim()
    ax.relim()
    if vertical:
        ax.set_autoscalex_on(True)
        ax.autoscale_view(scalex=True, scaley=False)
        ax.set_ylim(other)
        if inverted != ax.xaxis_inverted():
            ax.invert_xaxis()
    else:
        ax.set_autoscaley_on(True)
        ax.autoscale_view(scalex=False, scaley=True)
        ax.set_xlim(other)
        if inverted != ax.yaxis_inverted():
            ax.invert_yaxis()


def normalise_figure(fig, free=FREE) -> None:
    """Set the `free` properties of every Axes of fig to their canonical form (see module doc)."""
    unknown = set(free) - set(FREE)
    if unknown:
        raise ValueError(f"unknown free properties {sorted(unknown)}; known: {FREE}")
    for ax in fig.axes:
        bars = _bars(ax)
        if bars and "bar_width" in free:
            for container in bars:
                _set_thickness(container)
        if bars and "category_limits" in free:
            _autoscale_category(ax, _vertical(bars[0]))
        if "tick_rotation" in free:
            ax.tick_params(axis="both", which="both", labelrotation=0)
