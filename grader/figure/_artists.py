"""Describe the data artists of an Axes by role: bars, lines, collections, patches, images."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.container import BarContainer

from grader.figure._data import (MAX_ITEMS, cmap_name, coords_of, label, norm_of, num, nums,
                                rgba, rgba_list)


def _rect(rect, vertical: bool) -> dict:
    x, y, w, h = rect.get_x(), rect.get_y(), rect.get_width(), rect.get_height()
    return {
        "x": num(x), "y": num(y), "width": num(w), "height": num(h),
        "center": num(x + w / 2 if vertical else y + h / 2),
        "base": num(y if vertical else x),
        "value": num(h if vertical else w),
        "thickness": num(w if vertical else h),
        "facecolor": rgba(rect.get_facecolor()),
        "edgecolor": rgba(rect.get_edgecolor()),
        "alpha": num(rect.get_alpha()),
        "zorder": num(rect.get_zorder()),
        "hatch": rect.get_hatch(),
        "linewidth": num(rect.get_linewidth()),
    }


def describe_bars(ax) -> list:
    """Every BarContainer of the Axes (bar, barh, hist, pandas .plot.bar), in order."""
    out = []
    for c in ax.containers:
        if not isinstance(c, BarContainer):
            continue
        vertical = getattr(c, "orientation", "vertical") != "horizontal"
        values = getattr(c, "datavalues", None)
        out.append({
            "orientation": "vertical" if vertical else "horizontal",
            "label": label(c.get_label()),
            "datavalues": nums(values) if values is not None else None,
            "rects": [_rect(r, vertical) for r in c.patches],
        })
    return out


def other_containers(ax) -> list:
    return [type(c).__name__ for c in ax.containers if not isinstance(c, BarContainer)]


def _linestyle(line):
    ls = line.get_linestyle()
    return None if ls in ("None", "none", " ", "", None) else str(ls)


def _marker(line):
    m = line.get_marker()
    return None if m in ("None", "none", " ", "", None) else str(m)


def describe_line(line, ax) -> dict:
    return {
        "xdata": nums(line.get_xdata(orig=False)),
        "ydata": nums(line.get_ydata(orig=False)),
        "label": label(line.get_label()),
        "color": rgba(line.get_color()),
        "marker": _marker(line),
        "linestyle": _linestyle(line),
        "linewidth": num(line.get_linewidth()),
        "markersize": num(line.get_markersize()),
        "markerfacecolor": rgba(line.get_markerfacecolor()),
        "markeredgecolor": rgba(line.get_markeredgecolor()),
        "alpha": num(line.get_alpha()),
        "zorder": num(line.get_zorder()),
        "visible": bool(line.get_visible()),
        "coords": coords_of(line.get_transform(), ax),
    }


def _extents(coll) -> list | None:
    paths = coll.get_paths()
    if isinstance(coll, PathCollection) or len(paths) > MAX_ITEMS:
        return None
    out = []
    for p in paths:
        b = p.get_extents()
        out.append(nums([b.x0, b.y0, b.x1, b.y1]))
    return out


def describe_collection(coll, ax) -> dict:
    """A collection (scatter, fill_between, hlines, ...) with its points, sizes, colours, mapping."""
    offsets = np.asarray(coll.get_offsets(), dtype=float).reshape(-1, 2)
    array = coll.get_array()
    mapped = array is not None
    out = {
        "type": type(coll).__name__,
        "offsets": nums(offsets[:MAX_ITEMS]),
        "sizes": nums(np.asarray(getattr(coll, "get_sizes", list)())[:MAX_ITEMS]),
        "facecolors": rgba_list(coll.get_facecolors()[:MAX_ITEMS]),
        "edgecolors": rgba_list(coll.get_edgecolors()[:MAX_ITEMS]),
        "linewidths": nums(np.asarray(coll.get_linewidths())[:MAX_ITEMS]),
        "array": nums(np.ravel(array)[:MAX_ITEMS]) if mapped else None,
        "cmap": cmap_name(coll) if mapped else None,
        "norm": norm_of(coll.norm) if mapped else None,
        "label": label(coll.get_label()),
        "alpha": num(coll.get_alpha()),
        "zorder": num(coll.get_zorder()),
        "extents": _extents(coll),
    }
    if isinstance(coll, LineCollection):
        out["segments"] = [nums(seg) for seg in coll.get_segments()[:MAX_ITEMS]]
    return out


def describe_patches(ax) -> list:
    """Patches not in a bar container (axvspan, axhspan, add_patch), extents in their own coords."""
    in_bars = {id(p) for c in ax.containers for p in getattr(c, "patches", [])}
    out = []
    for p in ax.patches:
        if id(p) in in_bars:
            continue
        verts = p.get_patch_transform().transform(p.get_path().vertices)
        x0, y0 = np.nanmin(verts, axis=0)
        x1, y1 = np.nanmax(verts, axis=0)
        out.append({
            "type": type(p).__name__,
            "coords": coords_of(p.get_data_transform(), ax),
            "extent": nums([x0, y0, x1, y1]),
            "facecolor": rgba(p.get_facecolor()),
            "edgecolor": rgba(p.get_edgecolor()),
            "alpha": num(p.get_alpha()),
            "zorder": num(p.get_zorder()),
            "label": label(p.get_label()),
        })
    return out


def describe_image(im) -> dict:
    arr = np.ma.asarray(im.get_array())
    small = arr.size <= MAX_ITEMS
    numeric = arr.dtype.kind in "biuf"
    return {
        "shape": [int(n) for n in arr.shape],
        "cmap": cmap_name(im),
        "norm": norm_of(im.norm),
        "extent": nums(list(im.get_extent())),
        "origin": str(getattr(im, "origin", "upper")),
        "data": nums(arr) if small and numeric else None,
        "min": num(arr.min()) if numeric and arr.size else None,
        "max": num(arr.max()) if numeric and arr.size else None,
        "mean": num(arr.mean()) if numeric and arr.size else None,
    }
