"""Describe an Axes' frame: titles, axis labels, limits, ticks, locators, grid, spines."""

from __future__ import annotations

import numpy as np

from grader.figure._data import num, nums, rgba, weight

_TITLE_ATTRS = {"left": "_left_title", "center": "title", "right": "_right_title"}


def describe_titles(ax) -> dict:
    """The three Axes titles with their weight, size and colour."""
    out = {}
    for loc, attr in _TITLE_ATTRS.items():
        text = getattr(ax, attr, None)
        if text is None:
            out[loc] = {"text": ax.get_title(loc=loc), "fontweight": 400, "fontsize": None,
                        "color": None}
            continue
        out[loc] = {
            "text": text.get_text(),
            "fontweight": weight(text.get_fontweight()),
            "fontsize": num(text.get_fontsize()),
            "color": rgba(text.get_color()),
        }
    return out


def ticks_in_view(axis, minor: bool = False) -> list:
    """(location, tick) pairs of the major (or minor) ticks inside the view interval (as drawn)."""
    locs = np.asarray(axis.get_minorticklocs() if minor else axis.get_majorticklocs(), dtype=float)
    ticks = (axis.get_minor_ticks if minor else axis.get_major_ticks)(len(locs))
    lo, hi = sorted(axis.get_view_interval())
    eps = 1e-10 * (abs(hi - lo) or 1.0)
    return [(float(loc), t) for loc, t in zip(locs, ticks) if lo - eps <= loc <= hi + eps]


def _tick_label(tick) -> str:
    if tick.label1.get_visible():
        return tick.label1.get_text()
    if tick.label2.get_visible():
        return tick.label2.get_text()
    return tick.label1.get_text()


def _label_shown(tick) -> bool:
    return any(lab.get_visible() and lab.get_text() != "" for lab in (tick.label1, tick.label2))


def _mark_shown(tick) -> bool:
    marks = (tick.tick1line, tick.tick2line)
    return any(m.get_visible() and (m.get_markersize() or 0) > 0 for m in marks)


def describe_axis(ax, which: str) -> dict:
    """One axis ("x" or "y"): label, limits, scale, ticks in view with labels, locators, grid."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    lim = ax.get_xlim() if which == "x" else ax.get_ylim()
    in_view = ticks_in_view(axis)
    locator = axis.get_major_locator()
    step = getattr(locator, "_edge", None)
    return {
        "label": axis.get_label().get_text(),
        "lim": nums(list(lim)),
        "scale": axis.get_scale(),
        "inverted": bool(lim[0] > lim[1]),
        "ticks": [loc for loc, _ in in_view],
        "ticklabels": [_tick_label(t) for _, t in in_view],
        "ticks_visible": any(_mark_shown(t) for _, t in in_view),
        "labels_visible": any(_label_shown(t) for _, t in in_view),
        "locator": type(locator).__name__,
        "minor_locator": type(axis.get_minor_locator()).__name__,
        "formatter": type(axis.get_major_formatter()).__name__,
        "locator_step": num(step.step) if step is not None else None,
        "grid": any(t.gridline.get_visible() for _, t in in_view),
        "zorder": num(axis.get_zorder()),
        "label_position": axis.get_label_position(),
    }


def describe_spines(ax) -> dict:
    """Each spine: visible, and its position ("center", "zero" or [kind, amount])."""
    out = {}
    for name, spine in ax.spines.items():
        try:
            pos = spine.get_position()
        except ValueError:  # the colorbar outline has no position
            pos = None
        if pos is not None and not isinstance(pos, str):
            pos = [str(pos[0]), num(pos[1])]
        out[str(name)] = {"visible": bool(spine.get_visible()), "position": pos}
    return out


def axisbelow(ax):
    value = ax.get_axisbelow()
    return value if value == "line" else bool(value)
