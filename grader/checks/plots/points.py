"""Point sets of an Axes, however they were drawn: `ax.scatter` (a PathCollection) or
`ax.plot` with a marker and no line (a Line2D), one call for all points or one per point.

The catalog calls both "a scatter" and leaves the split into calls free, so the checks here
compare *what is drawn*: the labelled sets of points with their sizes (scatter's s, points^2;
a Line2D's markersize squared) and colours, never how many artists drew them.

    sets = point_sets(ax)                       # [{"label", "xy", "sizes", "face", "edge"}, ...]
    check_point_sets(g, e, what=what)           # labelled sets paired by label, points as sets
    check_point_sets(g, e, what=what, pooled=True, sizes=True, colors=True)   # bubble charts
"""

from __future__ import annotations

import numpy as np

from grader.checks.plots._registry import plot_check
from grader.checks.plots._util import (arrays_close, as_array, color_name, compare_positions,
                                       first_difference, fmt_list)


def _line_set(line: dict) -> dict | None:
    if line["marker"] is None or line["linestyle"] is not None or line["coords"] != "data":
        return None
    xy = np.column_stack([as_array(line["xdata"]), as_array(line["ydata"])]).reshape(-1, 2)
    n = len(xy)
    size = (line["markersize"] or 0.0) ** 2
    face = line["markerfacecolor"] or [np.nan] * 4
    edge = line["markeredgecolor"] or [np.nan] * 4
    return {"label": line["label"], "xy": xy, "sizes": np.full(n, size),
            "face": np.tile(face, (n, 1)), "edge": np.tile(edge, (n, 1)), "kind": "line"}


def _broadcast(values, n: int, width: int | None = None) -> np.ndarray:
    arr = as_array(values)
    arr = arr.reshape(-1, width) if width else arr.reshape(-1)
    if len(arr) == 1 and n > 1:
        arr = np.repeat(arr, n, axis=0)
    if len(arr) == 0:  # no face/edge colour ("none")
        arr = np.full((n, width) if width else n, np.nan)
    return arr


def _collection_set(c: dict) -> dict | None:
    if c["type"] != "PathCollection":
        return None
    xy = as_array(c["offsets"]).reshape(-1, 2)
    n = len(xy)
    return {"label": c["label"], "xy": xy, "sizes": _broadcast(c["sizes"], n),
            "face": _broadcast(c["facecolors"], n, 4), "edge": _broadcast(c["edgecolors"], n, 4),
            "kind": "scatter"}


def point_sets(ax: dict) -> list:
    """Every set of markers without connecting lines: scatters, then marker-only lines.
    Each: label (None if hidden), xy (N, 2), sizes (N,) in points^2, face/edge (N, 4) RGBA."""
    found = [_collection_set(c) for c in ax["collections"]]
    found += [_line_set(line) for line in ax["lines"]]
    return [s for s in found if s is not None]


def _sorted(s: dict) -> dict:
    """The same set with its points in a canonical order (point order is free)."""
    xy = s["xy"]
    order = np.lexsort((xy[:, 1], xy[:, 0])) if len(xy) else np.arange(0)
    return {**s, "xy": xy[order], "sizes": s["sizes"][order], "face": s["face"][order],
            "edge": s["edge"][order]}


def pooled(sets: list, label=None) -> dict:
    """All the sets as one (a scatter drawn with one call or one per point)."""
    if not sets:
        empty = np.zeros((0, 4))
        return {"label": label, "xy": np.zeros((0, 2)), "sizes": np.zeros(0), "face": empty,
                "edge": empty, "kind": "none"}
    return {"label": label, "xy": np.concatenate([s["xy"] for s in sets]),
            "sizes": np.concatenate([s["sizes"] for s in sets]),
            "face": np.concatenate([s["face"] for s in sets]),
            "edge": np.concatenate([s["edge"] for s in sets]), "kind": "pooled"}


def by_label(sets: list) -> dict:
    """{label: the pooled set of every artist with that label} (two calls for one group count
    as one set)."""
    labels = list(dict.fromkeys(s["label"] for s in sets))
    return {lab: pooled([s for s in sets if s["label"] == lab], lab) for lab in labels}


def _rgb_close(got, exp, alpha: bool) -> np.ndarray:
    """Per point: the colours match (RGB, and alpha when asked)."""
    cols = slice(0, 4) if alpha else slice(0, 3)
    g, e = got[:, cols], exp[:, cols]
    return np.isclose(g, e, atol=0.01, equal_nan=True).all(axis=1)


def compare_sets(g: dict, e: dict, *, what: str, name: str, sizes=False, colors=False,
                 edgecolors=False, alpha=False, rtol=1e-5, atol=1e-8) -> str | None:
    """Two point sets: the same points (order free), and sizes/colours at each when asked."""
    g, e = _sorted(g), _sorted(e)
    msg = compare_positions(g["xy"], e["xy"], rtol, atol)
    if msg:
        return f"{what}: {name}: {msg}"
    if sizes and not arrays_close(g["sizes"], e["sizes"], 1e-4, 1e-6):
        return (f"{what}: {name}: marker sizes (points^2) differ "
                f"{first_difference(g['sizes'], e['sizes'], 1e-4, 1e-6)}")
    for flag, key, noun in ((colors, "face", "face colour"), (edgecolors, "edge", "edge colour")):
        if not flag:
            continue
        ok = _rgb_close(g[key], e[key], alpha)
        if not ok.all():
            i = int(np.argmin(ok))
            at = fmt_list([float(v) for v in e["xy"][i]])
            return (f"{what}: {name}: {noun} of the point at {at} expected "
                    f"{_color(e[key][i])}, got {_color(g[key][i])}")
    return None


def _color(rgba) -> str:
    return "none" if np.isnan(rgba).any() else color_name([float(v) for v in rgba])


@plot_check
def check_point_sets(got_ax, exp_ax, *, what, pooled_sets=False, sizes=False, colors=False,
                     edgecolors=False, alpha=False, labels=True) -> str | None:
    """The reference's point sets are drawn: paired by label (artists with the same label
    pooled), or all pooled into one (pooled_sets=True: one call or one per point)."""
    g_sets, e_sets = point_sets(got_ax), point_sets(exp_ax)
    if not g_sets and e_sets:
        return f"{what}: expected a scatter (markers without lines), got none"
    if pooled_sets or not labels:
        return compare_sets(pooled(g_sets), pooled(e_sets), what=what, name="scatter",
                            sizes=sizes, colors=colors, edgecolors=edgecolors, alpha=alpha)
    g_map, e_map = by_label(g_sets), by_label(e_sets)
    if sorted(map(str, g_map)) != sorted(map(str, e_map)):
        return (f"{what}: expected one labelled scatter per group {fmt_list(list(e_map))}, "
                f"got labels {fmt_list(list(g_map))}")
    for lab, e in e_map.items():
        msg = compare_sets(g_map[lab], e, what=what, name=f"group {lab!r}", sizes=sizes,
                           colors=colors, edgecolors=edgecolors, alpha=alpha)
        if msg:
            return msg
    return None


__all__ = ["by_label", "check_point_sets", "compare_sets", "point_sets", "pooled"]
