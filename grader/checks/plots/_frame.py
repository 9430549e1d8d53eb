"""Checks of a figure's frame: layout, sharing, titles, labels, limits, ticks, spines, grid,
legend, colorbar. Each returns a message (str) or None; `what` names the call being graded."""

from __future__ import annotations

from collections import Counter

from grader.checks.plots._registry import plot_check
from grader.checks.plots._util import (arrays_close, close, colorbar_axes, fmt, fmt_list,
                                       main_axes, same_color, color_name)

LOC_NAMES = {0: "best", 1: "upper right", 2: "upper left", 3: "lower left", 4: "lower right",
             5: "right", 6: "center left", 7: "center right", 8: "lower center",
             9: "upper center", 10: "center"}


@plot_check
def check_no_problems(capture: dict, *, what: str) -> str | None:
    problems = list(capture.get("problems") or [])
    if capture.get("figure") is None and not problems:
        problems.append("no figure")
    return f"{what}: " + "; ".join(problems) if problems else None


@plot_check
def check_axes_count(got_fig, exp_fig, *, what, role="main") -> str | None:
    g = sum(a["role"] == role for a in got_fig["axes"])
    e = sum(a["role"] == role for a in exp_fig["axes"])
    return None if g == e else f"{what}: expected {e} {role} axes, got {g}"


def _span(start, stop, n) -> str:
    if (start, stop) == (0, n):
        return ":"
    return str(start) if stop == start + 1 else f"{start}:{stop}"


def cell(ax: dict) -> str:
    """'gs[0, :] of 3x3', or the position when the axes is not on a grid."""
    ss = ax["subplotspec"]
    if ss is None:
        return "at " + fmt_list([round(v, 2) for v in ax["position"]])
    r, c = _span(*ss["rows"], ss["nrows"]), _span(*ss["cols"], ss["ncols"])
    return f"gs[{r}, {c}] of {ss['nrows']}x{ss['ncols']}"


def _matches_position(g, e, atol=0.02) -> bool:
    return g["subplotspec"] is None and arrays_close(g["position"], e["position"], 0, atol)


@plot_check
def check_layout(got_fig, exp_fig, *, what) -> str | None:
    """Main axes: count and grid cells (nrows, ncols, row/col spans), order free."""
    g_axes, e_axes = main_axes(got_fig), main_axes(exp_fig)
    if len(g_axes) != len(e_axes):
        return f"{what}: expected {len(e_axes)} subplots, got {len(g_axes)}"
    g_cells = Counter(cell(a) for a in g_axes if a["subplotspec"] is not None)
    e_cells = Counter(cell(a) for a in e_axes if a["subplotspec"] is not None)
    if g_cells != e_cells:
        return (f"{what}: subplot layout expected {sorted(e_cells.elements())}, "
                f"got {sorted(g_cells.elements())}")
    free = [g for g in g_axes if g["subplotspec"] is None]
    for e in (a for a in e_axes if a["subplotspec"] is None):
        match = next((g for g in free if _matches_position(g, e)), None)
        if match is None:
            return f"{what}: expected an axes {cell(e)} (figure fraction), none there"
        free.remove(match)
    return None


def _groups(fig, which) -> set:
    mains = {a["index"]: cell(a) for a in main_axes(fig)}
    out = set()
    for group in fig["shared_" + which]:
        cells = frozenset(mains[i] for i in group if i in mains)
        if len(cells) > 1:
            out.add(cells)
    return out


@plot_check
def check_shared(got_fig, exp_fig, *, what, axis="y") -> str | None:
    """The same subplots share the axis (sharex/sharey) as in the reference."""
    g, e = _groups(got_fig, axis), _groups(exp_fig, axis)
    if g == e:
        return None
    show = lambda gs: "; ".join(", ".join(sorted(s)) for s in gs) or "none"  # noqa: E731
    return (f"{what}: expected shared {axis} axes (share{axis}=True) among: {show(e)}; "
            f"got: {show(g)}")


@plot_check
def check_shared_x(got_fig, exp_fig, *, what) -> str | None:
    return check_shared(got_fig, exp_fig, what=what, axis="x")


@plot_check
def check_shared_y(got_fig, exp_fig, *, what) -> str | None:
    return check_shared(got_fig, exp_fig, what=what, axis="y")


@plot_check
def check_suptitle(got_fig, exp_fig, *, what) -> str | None:
    g, e = got_fig["suptitle"], exp_fig["suptitle"]
    if e is None or g == e:
        return None
    return f"{what}: figure suptitle expected {e!r}, got {g!r}" + (
        " (fig.suptitle sets it; ax.set_title is the Axes title)" if g is None else "")


@plot_check
def check_titles(got_ax, exp_ax, *, what, locs=("left", "center", "right"),
                 fontweight=False) -> str | None:
    """Axes title text per loc (expected titles first, then unexpected ones); weight on request."""
    ordered = sorted(locs, key=lambda loc: exp_ax["title"][loc]["text"] == "")
    for loc in ordered:
        g, e = got_ax["title"][loc], exp_ax["title"][loc]
        if g["text"] != e["text"]:
            return f"{what}: {loc} title expected {e['text']!r}, got {g['text']!r}" + _title_hint(
                got_ax, e["text"], loc)
        if fontweight and (g["fontweight"] >= 600) != (e["fontweight"] >= 600):
            want = "bold" if e["fontweight"] >= 600 else "normal"
            return f"{what}: {loc} title {e['text']!r} should be {want} (fontweight)"
    return None


def _title_hint(got_ax, text, loc) -> str:
    elsewhere = [k for k, t in got_ax["title"].items() if text and t["text"] == text]
    return f" (it is the {elsewhere[0]} title: set_title(..., loc={loc!r}))" if elsewhere else ""


@plot_check
def check_labels(got_ax, exp_ax, *, what, axes="xy") -> str | None:
    for a in axes:
        g, e = got_ax[a]["label"], exp_ax[a]["label"]
        if g != e:
            return f"{what}: {a} axis label expected {e!r}, got {g!r}"
    return None


@plot_check
def check_limits(got_ax, exp_ax, *, what, axis="y", bound="both", rtol=1e-6, atol=None) -> str | None:
    g, e = got_ax[axis]["lim"], exp_ax[axis]["lim"]
    atol = 1e-6 * abs(e[1] - e[0]) if atol is None else atol
    idx = {"both": (0, 1), "lower": (0,), "upper": (1,)}[bound]
    if all(close(g[i], e[i], rtol, atol) for i in idx):
        return None
    if bound == "lower":
        return f"{what}: {axis} axis should start at {fmt(e[0])}, starts at {fmt(g[0])}"
    if bound == "upper":
        return f"{what}: {axis} axis should end at {fmt(e[1])}, ends at {fmt(g[1])}"
    return f"{what}: {axis} limits expected ({fmt(e[0])}, {fmt(e[1])}), got ({fmt(g[0])}, {fmt(g[1])})"


def _no_ticks(ax, axis) -> bool:
    a = ax[axis]
    return not ax["axison"] or not a["ticks"] or not (a["ticks_visible"] or a["labels_visible"])


def visual_labels(axis_desc: dict) -> list:
    """Tick labels from the low end of the screen axis to the high end (inversion undone)."""
    pairs = sorted(zip(axis_desc["ticks"], axis_desc["ticklabels"]))
    labels = [lab for _, lab in pairs]
    return labels[::-1] if axis_desc["inverted"] else labels


@plot_check
def check_ticks(got_ax, exp_ax, *, what, axis="x", locations=True, labels=True,
                locator=False) -> str | None:
    """Major ticks in view: locations, labels (in screen order), locator class and step."""
    g, e = got_ax[axis], exp_ax[axis]
    if _no_ticks(exp_ax, axis):
        if _no_ticks(got_ax, axis):
            return None
        return f"{what}: expected no {axis} ticks, got {fmt_list(g['ticks'])}"
    if locations and not arrays_close(g["ticks"], e["ticks"], 1e-6, 1e-9):
        return f"{what}: {axis} ticks expected at {fmt_list(e['ticks'])}, got {fmt_list(g['ticks'])}"
    if labels and visual_labels(g) != visual_labels(e):
        return (f"{what}: {axis} tick labels expected {fmt_list(visual_labels(e))}, "
                f"got {fmt_list(visual_labels(g))}")
    if locator and (g["locator"] != e["locator"] or not close(g["locator_step"], e["locator_step"])):
        return (f"{what}: {axis} major locator expected {_locator(e)}, got {_locator(g)}")
    return None


def _locator(axis_desc) -> str:
    step = axis_desc["locator_step"]
    return axis_desc["locator"] + (f"({fmt(step)})" if step is not None else "")


@plot_check
def check_spines(got_ax, exp_ax, *, what, which=("left", "right", "top", "bottom")) -> str | None:
    for name in which:
        g, e = got_ax["spines"][name], exp_ax["spines"][name]
        if g["visible"] != e["visible"]:
            want, got = ("visible", "hidden") if e["visible"] else ("hidden", "visible")
            return f"{what}: the {name} spine should be {want}, but it is {got}"
        if e["visible"] and g["position"] != e["position"]:
            return f"{what}: the {name} spine position expected {e['position']}, got {g['position']}"
    return None


def _data_zorder(ax) -> float | None:
    bars = [r["zorder"] for b in ax["bars"] for r in b["rects"]]
    others = [line["zorder"] for line in ax["lines"]] + [c["zorder"] for c in ax["collections"]]
    zs = bars or others
    return min(zs) if zs else None


@plot_check
def check_grid_below(got_ax, exp_ax, *, what, axis="y") -> str | None:
    """The axis' grid is on (or off) as expected, and drawn behind the data when expected so."""
    g, e = got_ax[axis], exp_ax[axis]
    if g["grid"] != e["grid"]:
        want, got = ("", "none") if e["grid"] else ("no ", "some")
        return f"{what}: expected {want}{axis} grid lines, got {got}"
    e_z, g_z = _data_zorder(exp_ax), _data_zorder(got_ax)
    if not e["grid"] or e_z is None or g_z is None:
        return None
    if e["zorder"] < e_z and not g["zorder"] < g_z:
        return (f"{what}: the {axis} grid is drawn over the data; draw it behind "
                "(ax.set_axisbelow(True))")
    return None


def _legends(desc: dict) -> list:
    if "axes" in desc:
        found = list(desc["legends"]) + [a["legend"] for a in desc["axes"]]
    else:
        found = [desc["legend"]]
    return [leg for leg in found if leg is not None and leg["visible"]]


@plot_check
def check_legend(got, exp, *, what, ordered=False, title=False, loc=False, colors=False) -> str | None:
    """Legend texts (order free unless ordered); got/exp: an axes or a whole figure."""
    e_legs, g_legs = _legends(exp), _legends(got)
    if not e_legs:
        return None
    e_texts = [t for leg in e_legs for t in leg["texts"]]
    if not g_legs:
        return f"{what}: expected a legend with {fmt_list(e_texts)}, got no legend"
    g_texts = [t for leg in g_legs for t in leg["texts"]]
    same = g_texts == e_texts if ordered else Counter(g_texts) == Counter(e_texts)
    if not same:
        return f"{what}: legend entries expected {fmt_list(e_texts)}, got {fmt_list(g_texts)}"
    g0, e0 = g_legs[0], e_legs[0]
    if title and (g0["title"] or None) != (e0["title"] or None):
        return f"{what}: legend title expected {e0['title']!r}, got {g0['title']!r}"
    if loc and g0["loc"] != e0["loc"]:
        name = lambda v: LOC_NAMES.get(v, v) if isinstance(v, int) else v  # noqa: E731
        return f"{what}: legend loc expected {name(e0['loc'])!r}, got {name(g0['loc'])!r}"
    if colors:
        g_col = {h["label"]: h["color"] for leg in g_legs for h in leg["handles"]}
        for h in (h for leg in e_legs for h in leg["handles"]):
            if not same_color(g_col.get(h["label"]), h["color"]):
                return (f"{what}: legend entry {h['label']!r} colour expected "
                        f"{color_name(h['color'])}, got {color_name(g_col.get(h['label']))}")
    return None


def _norm_text(cb) -> str:
    n = cb["norm"] or {}
    parts = [f"{k}={fmt(n.get(k))}" for k in ("vmin", "vcenter", "vmax") if n.get(k) is not None]
    return f"{n.get('type')}({', '.join(parts)})"


@plot_check
def check_colorbar(got_fig, exp_fig, *, what) -> str | None:
    """Colorbars: count; per colorbar the mappable kind, cmap, norm and limits, orientation."""
    g_cbs = [a["colorbar"] for a in colorbar_axes(got_fig)]
    e_cbs = [a["colorbar"] for a in colorbar_axes(exp_fig)]
    if len(g_cbs) != len(e_cbs):
        return f"{what}: expected {len(e_cbs)} colorbar(s), got {len(g_cbs)}"
    for g, e in zip(g_cbs, e_cbs):
        if g["cmap"] != e["cmap"]:
            return f"{what}: colorbar colormap expected {e['cmap']!r}, got {g['cmap']!r}"
        gn, en = g["norm"] or {}, e["norm"] or {}
        if gn.get("type") != en.get("type") or not all(
                close(gn.get(k), en.get(k), 1e-6, 1e-9) for k in ("vmin", "vmax", "vcenter")):
            return f"{what}: colorbar norm expected {_norm_text(e)}, got {_norm_text(g)}"
        if g["orientation"] != e["orientation"]:
            return f"{what}: colorbar orientation expected {e['orientation']}, got {g['orientation']}"
        if e["mappable_axes"] is not None and g["mappable_axes"] is None:
            return f"{what}: the colorbar is not attached to the plotted data (pass the mappable)"
    return None
