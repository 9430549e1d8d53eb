"""Checks of marks on an Axes: annotations, reference lines, spans, images."""

from __future__ import annotations

from grader.checks.plots._registry import plot_check
from grader.checks.plots._util import arrays_close, as_array, close, fmt, fmt_list


@plot_check
def check_annotations(got_ax, exp_ax, *, what, xy=True, arrow=True, bbox=False,
                      atol=1e-6) -> str | None:
    """Each expected annotation is there with the same text: target xy, arrow, bbox style."""
    g_all = [t for t in got_ax["texts"] if t["visible"]]
    for e in (t for t in exp_ax["texts"] if t["type"] == "Annotation"):
        g = next((t for t in g_all if t["text"] == e["text"] and t["type"] == "Annotation"), None)
        if g is None:
            g_texts = [t["text"] for t in g_all]
            return f"{what}: expected an annotation {e['text']!r}, got texts {fmt_list(g_texts)}"
        if xy and not arrays_close(g["xy"], e["xy"], 1e-6, atol):
            return (f"{what}: annotation {e['text']!r} should point at {fmt_list(e['xy'])}, "
                    f"points at {fmt_list(g['xy'])}")
        if arrow and g["arrow"] != e["arrow"]:
            want = "an arrow (arrowprops=...)" if e["arrow"] else "no arrow"
            return f"{what}: annotation {e['text']!r} should have {want}"
        if bbox and g["bbox"] != e["bbox"]:
            return (f"{what}: annotation {e['text']!r}: box style expected {e['bbox']!r} "
                    f"(bbox=dict(boxstyle=...)), got {g['bbox']!r}")
    return None


def _constant(values):
    arr = as_array(values)
    arr = arr[~(arr != arr)]  # drop nan
    return float(arr[0]) if len(arr) > 1 and (arr == arr[0]).all() else None


def _ref_values(ax: dict, axis: str) -> list:
    """Values of horizontal (axis "y") or vertical (axis "x") reference lines, sorted."""
    const_key, other_key = ("ydata", "xdata") if axis == "y" else ("xdata", "ydata")
    full = "yaxis" if axis == "y" else "xaxis"
    out = []
    for line in ax["lines"]:
        v = _constant(line[const_key])
        along = line["coords"] == "data" and _constant(line[other_key]) is None
        if v is not None and (line["coords"] == full or along):
            out.append(v)
    for c in ax["collections"]:
        for seg in c.get("segments") or []:
            pts = as_array(seg).reshape(-1, 2)
            col = 1 if axis == "y" else 0
            if len(pts) == 2 and pts[0, col] == pts[1, col] and pts[0, 1 - col] != pts[1, 1 - col]:
                out.append(float(pts[0, col]))
    return sorted(out)


def hline_values(ax: dict) -> list:
    """y of horizontal lines: axhline, hlines, or a line plotted at a constant y."""
    return _ref_values(ax, "y")


def vline_values(ax: dict) -> list:
    """x of vertical lines: axvline, vlines, or a line plotted at a constant x."""
    return _ref_values(ax, "x")


def spans(ax: dict, axis: str = "x") -> list:
    """[(start, end), ...] of axvspan (axis "x") or axhspan (axis "y") patches, sorted."""
    coords = "xaxis" if axis == "x" else "yaxis"
    out = []
    for p in ax["patches"]:
        if p["coords"] == coords:
            x0, y0, x1, y1 = p["extent"]
            out.append((x0, x1) if axis == "x" else (y0, y1))
    return sorted(out)


@plot_check
def check_reference_lines(got_ax, exp_ax, *, what, atol=1e-9) -> str | None:
    """Horizontal and vertical reference lines at the same values (any way of drawing them)."""
    for axis, fn, noun in (("y", hline_values, "horizontal"), ("x", vline_values, "vertical")):
        e, g = fn(exp_ax), fn(got_ax)
        missing = [v for v in e if not any(close(v, w, 1e-9, atol) for w in g)]
        if missing:
            return (f"{what}: expected a {noun} line at {axis}={fmt(missing[0])}, "
                    f"got {noun} lines at {fmt_list(g)}")
    return None


@plot_check
def check_spans(got_ax, exp_ax, *, what, atol=1e-9) -> str | None:
    """axvspan/axhspan shaded regions with the same extents."""
    for axis, fn_name in (("x", "axvspan"), ("y", "axhspan")):
        e, g = spans(exp_ax, axis), spans(got_ax, axis)
        if len(e) != len(g):
            return f"{what}: expected {len(e)} shaded {axis} span(s) ({fn_name}), got {len(g)}"
        for es, gs in zip(e, g):
            if not arrays_close(list(gs), list(es), 1e-9, atol):
                return f"{what}: shaded span expected {fmt_list(list(es))}, got {fmt_list(list(gs))}"
    return None


@plot_check
def check_images(got_ax, exp_ax, *, what, rtol=1e-6, atol=1e-9) -> str | None:
    """imshow images: count, shape, data, colormap, norm limits."""
    g_ims, e_ims = got_ax["images"], exp_ax["images"]
    if len(g_ims) != len(e_ims):
        return f"{what}: expected {len(e_ims)} image(s) (imshow), got {len(g_ims)}"
    for g, e in zip(g_ims, e_ims):
        if g["shape"] != e["shape"]:
            return f"{what}: image shape expected {tuple(e['shape'])}, got {tuple(g['shape'])}"
        if e["data"] is not None and not arrays_close(g["data"], e["data"], rtol, atol):
            return f"{what}: image data differ"
        if g["cmap"] != e["cmap"]:
            return f"{what}: image colormap expected {e['cmap']!r}, got {g['cmap']!r}"
        gn, en = g["norm"] or {}, e["norm"] or {}
        if gn.get("type") != en.get("type") or not all(
                close(gn.get(k), en.get(k), 1e-6, 1e-9) for k in ("vmin", "vmax")):
            return f"{what}: image norm expected {en}, got {gn}"
    return None
