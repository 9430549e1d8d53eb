"""Checks of the data artists of an Axes: bars, lines, scatters (annotations, spans, images and
reference lines: _marks). Each returns a message (str) or None; `what` names the call graded."""

from __future__ import annotations

import numpy as np

from grader.checks.plots._registry import plot_check
from grader.checks.plots._util import (ATOL, RTOL, arrays_close, as_array, close, color_name,
                                       compare_positions, first_difference, fmt, fmt_list,
                                       name_of, pair_up, same_color)

_BAR_WORDS = {
    "vertical": {"center": "x position", "base": "bottom", "value": "height", "thickness": "width"},
    "horizontal": {"center": "y position", "base": "left", "value": "width", "thickness": "height"},
}


def _category_of(ax: dict, orientation: str):
    """center -> the tick label nearest the bar (the category axis is x for vertical bars)."""
    axis = ax["x" if orientation == "vertical" else "y"]
    ticks, labels = axis["ticks"], axis["ticklabels"]

    def category(center):
        if not ticks:
            return fmt(center)
        i = int(np.argmin([abs(t - center) for t in ticks]))
        return labels[i]

    return category


def _pooled(ax: dict) -> list:
    """Every bar of the Axes, from whichever bar() call drew it: the rect with its series
    label ("series") and orientation."""
    return [{**r, "series": c["label"], "orientation": c["orientation"]}
            for c in ax["bars"] for r in c["rects"]]


def _sorted_rects(rects: list, ax: dict, orientation: str, by: str) -> list:
    if by == "category":
        category = _category_of(ax, orientation)
        return sorted(rects, key=lambda r: (category(r["center"]), r["center"], r["base"], r["value"]))
    return sorted(rects, key=lambda r: (r["center"], r["base"], r["value"]))


def _series_name(rect: dict) -> str:
    return f"bar series {rect['series']!r}" if rect["series"] else "bars"


def _compare_rects(g_rects, e_rects, words, fields, what, rtol, atol, category) -> str | None:
    for g, e in zip(g_rects, e_rects):
        for field in fields:
            if not close(g[field], e[field], rtol, atol):
                where = f"{words['center']} {fmt(e['center'])}"
                cat = category(e["center"])
                where = f"{cat!r} ({where})" if cat != fmt(e["center"]) else where
                return (f"{what}: {_series_name(e)}, bar at {where}: {words[field]} expected "
                        f"{fmt(e[field])}, got {fmt(g[field])}")
    return None


def _compare_rect_style(g_rects, e_rects, what, colors, alpha) -> str | None:
    for i, (g, e) in enumerate(zip(g_rects, e_rects)):
        if colors and not same_color(g["facecolor"], e["facecolor"]):
            return (f"{what}: {_series_name(e)}, bar {i}: colour expected {color_name(e['facecolor'])}, "
                    f"got {color_name(g['facecolor'])}")
        if alpha and not close(g["alpha"] or 1.0, e["alpha"] or 1.0, 1e-6, 1e-6):
            return (f"{what}: {_series_name(e)}, bar {i}: alpha expected {fmt(e['alpha'])}, "
                    f"got {fmt(g['alpha'])}")
    return None


def _labels_in_order(ax: dict) -> list:
    return list(dict.fromkeys(c["label"] for c in ax["bars"] if c["label"]))


def _compare_series(g_rects, e_rects, got_ax, exp_ax, ordered) -> str | None:
    """Each expected series' bars carry its label (a bar drawn without one, as in one bar()
    call per bar labelled once, counts as that series when its series' label is there)."""
    g_labels, e_labels = _labels_in_order(got_ax), _labels_in_order(exp_ax)
    if sorted(map(str, g_labels)) != sorted(map(str, e_labels)):
        return f"bar series labels expected {e_labels}, got {g_labels}"
    if ordered and g_labels != e_labels:
        return f"bar series in another order: expected {e_labels}, got {g_labels}"
    found: dict = {}
    for g, e in zip(g_rects, e_rects):
        if g["series"] and g["series"] != e["series"]:
            return (f"{_series_name(e)}: a bar at {fmt(e['center'])} is labelled "
                    f"{g['series']!r}")
        found.setdefault(e["series"], set()).add(g["series"])
    missing = [lab for lab, got in found.items() if lab and lab not in got]
    return f"bar series {missing[0]!r}: none of its bars carries that label" if missing else None


@plot_check
def check_bars(got_ax, exp_ax, *, what, ordered=True, series=True, width=True, labels=True,
               colors=False, alpha=False, by="position", rtol=RTOL, atol=ATOL) -> str | None:
    """The bars as drawn, however many bar()/barh() calls drew them: orientation, count, each
    bar's position, base (bottom/left), value and thickness (width=False: free), matched by
    position (by="position") or by the category tick label under it (by="category": position
    free, e.g. reversed order vs invert_yaxis); with labels (and series) each bar's series
    label, in the reference's series order when ordered."""
    g_all, e_all = _pooled(got_ax), _pooled(exp_ax)
    if not e_all:
        return None if not g_all else f"{what}: expected no bars, got {len(g_all)}"
    orientation = e_all[0]["orientation"]
    wrong = [r["orientation"] for r in g_all if r["orientation"] != orientation]
    if wrong:
        return f"{what}: expected {orientation} bars, got {wrong[0]} ones"
    if len(g_all) != len(e_all):
        return f"{what}: expected {len(e_all)} bars, got {len(g_all)}"
    g_r = _sorted_rects(g_all, got_ax, orientation, by)
    e_r = _sorted_rects(e_all, exp_ax, orientation, by)
    fields = ["base", "value"] + (["thickness"] if width else []) + (["center"] if by == "position" else [])
    words = _BAR_WORDS[orientation]
    msg = (_compare_rects(g_r, e_r, words, fields, what, rtol, atol, _category_of(exp_ax, orientation))
           or _compare_rect_style(g_r, e_r, what, colors, alpha))
    if msg:
        return msg
    if labels and series:
        msg = _compare_series(g_r, e_r, got_ax, exp_ax, ordered)
        return f"{what}: {msg}" if msg else None
    return None


def _paired(got: list, exp: list, *, what, ordered, labels, noun, name, compare) -> str | None:
    """Pair the artists (pair_up), then for each pair the label (when `labels`) and
    `compare(g, e, label)`: the first message, or None."""
    pairs, msg = pair_up(got, exp, ordered=ordered, noun=noun)
    if msg:
        return f"{what}: {msg}"
    for i, (g, e) in enumerate(pairs):
        label = name_of(e, i, name)
        if labels and g["label"] != e["label"]:
            return f"{what}: {label}: label expected {e['label']!r}, got {g['label']!r}"
        msg = compare(g, e, label)
        if msg:
            return msg
    return None


def _lines(ax, coords):
    return [line for line in ax["lines"] if coords is None or line["coords"] in coords]


def _compare_line(g, e, label, what, colors, style, alpha, rtol, atol) -> str | None:
    for key in ("xdata", "ydata"):
        if len(g[key]) != len(e[key]):
            return f"{what}: {label}: expected {len(e[key])} points, got {len(g[key])}"
        if not arrays_close(g[key], e[key], rtol, atol):
            diff = first_difference(g[key], e[key], rtol, atol)
            return f"{what}: {label}: {key[0]} data differ {diff}"
    if colors and not same_color(g["color"], e["color"]):
        return (f"{what}: {label}: colour expected {color_name(e['color'])}, "
                f"got {color_name(g['color'])}")
    if style:
        for key in ("marker", "linestyle"):
            if g[key] != e[key]:
                return f"{what}: {label}: {key} expected {e[key]!r}, got {g[key]!r}"
    if alpha and not close(g["alpha"] or 1.0, e["alpha"] or 1.0, 1e-6, 1e-6):
        return f"{what}: {label}: alpha expected {fmt(e['alpha'])}, got {fmt(g['alpha'])}"
    return None


@plot_check
def check_lines(got_ax, exp_ax, *, what, ordered=True, labels=True, colors=False, style=False,
                alpha=False, coords=None, rtol=RTOL, atol=ATOL) -> str | None:
    """Line2D artists: count, x/y data, label; colour, marker/linestyle, alpha on request.
    coords=("data",) leaves out axhline/axvline (coords "yaxis"/"xaxis")."""
    return _paired(_lines(got_ax, coords), _lines(exp_ax, coords), what=what, ordered=ordered,
                   labels=labels, noun="lines", name="line",
                   compare=lambda g, e, label: _compare_line(g, e, label, what, colors, style,
                                                            alpha, rtol, atol))


def _scatters(ax):
    return [c for c in ax["collections"] if c["type"] == "PathCollection"]


def _points(c) -> dict:
    """Per-point arrays (sizes and colours broadcast), sorted by offset (point order free)."""
    xy = as_array(c["offsets"]).reshape(-1, 2)
    n = len(xy)
    order = np.lexsort((xy[:, 1], xy[:, 0]))

    def per_point(values, width=None):
        arr = as_array(values)
        arr = arr.reshape(-1, width) if width else arr.reshape(-1)
        if len(arr) == 1 and n > 1:
            arr = np.repeat(arr, n, axis=0)
        return arr[order] if len(arr) == n else arr

    return {"xy": xy[order], "sizes": per_point(c["sizes"]), "face": per_point(c["facecolors"], 4),
            "edge": per_point(c["edgecolors"], 4),
            "array": per_point(c["array"]) if c["array"] is not None else None}


def _compare_points(g, e, label, what, sizes, colors, edgecolors, rtol, atol) -> str | None:
    gp, ep = _points(g), _points(e)
    msg = compare_positions(gp["xy"], ep["xy"], rtol, atol)
    if msg:
        return f"{what}: {label}: {msg}"
    if sizes and not arrays_close(gp["sizes"], ep["sizes"], 1e-6, 1e-9):
        return f"{what}: {label}: marker sizes differ {first_difference(gp['sizes'], ep['sizes'])}"
    for flag, key, noun in ((colors, "face", "face colours"), (edgecolors, "edge", "edge colours")):
        if flag and not arrays_close(gp[key], ep[key], 0, 0.01):
            same_shape = gp[key].shape == ep[key].shape
            i = int(np.argmax(np.abs(gp[key] - ep[key]).max(axis=1))) if same_shape else 0
            got = color_name(gp[key][i]) if len(gp[key]) > i else "none"
            return (f"{what}: {label}: {noun} differ, e.g. point at {fmt_list(list(ep['xy'][i]))}: "
                    f"expected {color_name(ep[key][i])}, got {got}")
    return None


def _compare_mapping(g, e, label, what) -> str | None:
    if e["array"] is None:
        return None
    if g["array"] is None:
        return f"{what}: {label}: colours should come from values through a colormap (c=values)"
    if not arrays_close(_points(g)["array"], _points(e)["array"], 1e-6, 1e-9):
        return f"{what}: {label}: mapped values (c=) differ"
    if g["cmap"] != e["cmap"]:
        return f"{what}: {label}: colormap expected {e['cmap']!r}, got {g['cmap']!r}"
    gn, en = g["norm"], e["norm"]
    limits = ("vmin", "vmax", "vcenter")
    if gn["type"] != en["type"] or not all(close(gn[k], en[k], 1e-6, 1e-9) for k in limits):
        return f"{what}: {label}: norm expected {en}, got {gn}"
    return None


@plot_check
def check_scatter(got_ax, exp_ax, *, what, ordered=True, labels=True, sizes=True, colors=False,
                  edgecolors=False, mapped=False, rtol=RTOL, atol=ATOL) -> str | None:
    """Scatter collections: count, labels, point sets (order free), sizes, colours, mapping."""
    def compare(g, e, label):
        msg = _compare_points(g, e, label, what, sizes, colors, edgecolors, rtol, atol)
        return msg or (_compare_mapping(g, e, label, what) if mapped else None)

    return _paired(_scatters(got_ax), _scatters(exp_ax), what=what, ordered=ordered, labels=labels,
                   noun="scatter groups (scatter calls)", name="scatter", compare=compare)
