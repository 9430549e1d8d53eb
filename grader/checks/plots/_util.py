"""Shared helpers of the plot checks: selectors, number and colour comparison, formatting."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colors as mcolors

RTOL, ATOL = 1e-5, 1e-8
COLOR_TOL = 0.01

# ---- selectors over a figure description --------------------------------------------------


def main_axes(fig: dict) -> list:
    """The main Axes (not twin, inset or colorbar), in figure order."""
    return axes_with_role(fig, "main")


def axes_with_role(fig: dict, role: str) -> list:
    return [ax for ax in fig["axes"] if ax["role"] == role]


def twin_of(fig: dict, ax: dict) -> dict | None:
    """The twinx/twiny Axes of ax, or None."""
    return next((a for a in fig["axes"] if a["role"] == "twin" and a["parent"] == ax["index"]),
                None)


def insets_of(fig: dict, ax: dict) -> list:
    return [a for a in fig["axes"] if a["role"] == "inset" and a["parent"] == ax["index"]]


def colorbar_axes(fig: dict) -> list:
    return axes_with_role(fig, "colorbar")


# ---- numbers -----------------------------------------------------------------------------


def close(got, exp, rtol=RTOL, atol=ATOL) -> bool:
    """Scalars (None = nan) within tolerance; None only matches None."""
    if got is None or exp is None:
        return got is None and exp is None
    return math.isclose(got, exp, rel_tol=rtol, abs_tol=atol)


def arrays_close(got, exp, rtol=RTOL, atol=ATOL) -> bool:
    g, e = as_array(got), as_array(exp)
    return g.shape == e.shape and bool(np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True))


def as_array(values) -> np.ndarray:
    """A float array from description lists (None -> nan)."""
    if values is None:
        return np.zeros(0)
    arr = np.array(values, dtype=object)
    arr[arr == None] = np.nan  # noqa: E711  (element-wise)
    return arr.astype(float)


def fmt(x) -> str:
    if x is None:
        return "none"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def fmt_list(values, limit=8) -> str:
    items = [fmt(v) for v in values[:limit]]
    return "[" + ", ".join(items) + (", ...]" if len(values) > limit else "]")


def first_difference(got, exp, rtol=RTOL, atol=ATOL) -> str:
    """'at index i: expected e, got g' for two equal-length sequences."""
    g, e = as_array(got), as_array(exp)
    bad = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    i = int(np.argmax(bad.reshape(len(bad), -1).any(axis=1))) if bad.any() else 0
    show = lambda a: fmt_list(list(a[i].ravel()))[1:-1]  # noqa: E731
    return f"at index {i}: expected {show(e)}, got {show(g)}"


# ---- colours -----------------------------------------------------------------------------


def compare_positions(got_xy, exp_xy, rtol=RTOL, atol=ATOL) -> str | None:
    """The same number of points at the same positions (both in one order), or what differs."""
    if got_xy.shape != exp_xy.shape:
        return f"expected {len(exp_xy)} points, got {len(got_xy)}"
    if not arrays_close(got_xy, exp_xy, rtol, atol):
        return f"point positions differ {first_difference(got_xy, exp_xy, rtol, atol)}"
    return None


def same_color(got, exp, tol=COLOR_TOL) -> bool:
    if got is None or exp is None:
        return got is None and exp is None
    return bool(np.allclose(mcolors.to_rgba(got), mcolors.to_rgba(exp), atol=tol))


def _names() -> dict:
    names = {}
    for table in (mcolors.CSS4_COLORS, mcolors.TABLEAU_COLORS, mcolors.BASE_COLORS):
        for name, value in table.items():
            names.setdefault(mcolors.to_hex(value), name)
    return names


_COLOR_NAMES = _names()


def color_name(rgba) -> str:
    """'tomato', 'tab:blue', or '#aabbcc' (with ' alpha 0.5' when translucent)."""
    if rgba is None:
        return "none"
    hexa = mcolors.to_hex(rgba)
    name = _COLOR_NAMES.get(hexa, hexa)
    alpha = mcolors.to_rgba(rgba)[3]
    return name if alpha >= 0.999 else f"{name} alpha {alpha:.2g}"


# ---- pairing artists ---------------------------------------------------------------------


def pair_up(got: list, exp: list, *, ordered: bool, noun: str, key="label"):
    """(pairs, message): got and exp items paired in order, or by label when not ordered."""
    if len(got) != len(exp):
        return [], f"expected {len(exp)} {noun}, got {len(got)}"
    labels_e = [e.get(key) for e in exp]
    if ordered or None in labels_e or len(set(labels_e)) != len(labels_e):
        return list(zip(got, exp)), None
    by_label = {g.get(key): g for g in got}
    missing = [lab for lab in labels_e if lab not in by_label]
    if missing:
        got_labels = [g.get(key) for g in got]
        return [], f"{noun}: expected labels {sorted(labels_e)}, got {got_labels}"
    return [(by_label[lab], e) for lab, e in zip(labels_e, exp)], None


def name_of(item: dict, i: int, noun: str) -> str:
    lab = item.get("label")
    return f"{noun} {lab!r}" if lab else f"{noun} {i}"
