"""Conversions from matplotlib values to plain JSON-able data (lists, floats, str, bool, None)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colors as mcolors
from matplotlib import font_manager

MAX_ITEMS = 10000  # larger arrays are summarised, never sent in full


def num(x) -> float | None:
    """A finite float, or None (nan, inf, masked, not a number)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def nums(values) -> list | float | None:
    """A (nested) list of floats; non-finite, masked or non-numeric entries become None."""
    arr = np.ma.asarray(values)
    try:
        arr = arr.astype(float)
    except (TypeError, ValueError):
        return np.full(arr.shape, None, dtype=object).tolist()
    filled = np.ma.filled(arr, np.nan)
    out = filled.astype(object)
    out[~np.isfinite(filled)] = None
    return out.tolist()


def rgba(color) -> list | None:
    """An RGBA float list, or None for 'none' / unset / unparsable."""
    if color is None:
        return None
    if isinstance(color, str) and color.lower() == "none":
        return None
    try:
        return [float(c) for c in mcolors.to_rgba(color)]
    except (TypeError, ValueError):
        return None


def rgba_list(colors) -> list:
    """An (N, 4) colour array as a list of RGBA lists."""
    arr = np.asarray(colors, dtype=float).reshape(-1, 4) if len(colors) else np.zeros((0, 4))
    return [[float(c) for c in row] for row in arr]


def label(text) -> str | None:
    """An artist label; None for matplotlib's hidden labels ('', '_nolegend_', '_child0')."""
    if text is None:
        return None
    text = str(text)
    return None if text == "" or text.startswith("_") else text


def weight(value) -> int:
    """A font weight as a number: normal 400, bold 700."""
    if isinstance(value, (int, float)):
        return int(value)
    return int(font_manager.weight_dict.get(str(value), 400))


def norm_of(norm) -> dict | None:
    """The type and limits of a colour norm."""
    if norm is None:
        return None
    return {
        "type": type(norm).__name__,
        "vmin": num(getattr(norm, "vmin", None)),
        "vmax": num(getattr(norm, "vmax", None)),
        "vcenter": num(getattr(norm, "vcenter", None)),
    }


def cmap_name(mappable) -> str | None:
    cmap = getattr(mappable, "get_cmap", lambda: None)()
    return None if cmap is None else str(cmap.name)


def coords_of(transform, ax) -> str:
    """Which coordinate system an artist transform is: data, xaxis, yaxis, axes, or other."""
    if ax is None:
        return "other"
    known = {
        "data": ax.transData,
        "xaxis": ax.get_xaxis_transform(),
        "yaxis": ax.get_yaxis_transform(),
        "axes": ax.transAxes,
    }
    for name, t in known.items():
        if transform is t or transform == t:
            return name
    return "other"
