"""Hidden tests for text_color: the student's figure description against the reference's.

Each plotting test captures the student's figure and the reference's from the same call,
compares the properties the catalog asks for, and names the known mistake when the description
shows it. Free choices (figure size, layout, hue order, colours not named, text positions and
arrow styles, a scatter drawn with ax.scatter or plot(marker, linestyle=""), one call or one per
point, colours mapped by scatter(c=...) or computed with cmap(norm(values)), the colorbar's
place and orientation, bar widths and tick rotation) are not compared. The image checks leave
every text out and use the default tolerance; where the catalog names the colours (colormaps,
highlight colours) they compare colour too (mode="rgb"). discrete_cmap returns a colormap: its
colours are checked, not a picture.
"""

import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import to_rgba_array

from grader.checks import assert_close, assert_raises, fail
from grader.checks.plots.pairs import call, captures, need, one_axes  # noqa: F401
from grader.checks.plots.points import check_point_sets
from grader.checks.plots import (LOC_NAMES, assert_no_problems, check_annotations, check_bars,
                                 check_ticks, check_titles, colorbar_axes, same_color)
from grader.data import load_iris, load_students
from grader.errors import StudentError
from grader.student import Remote


# ---------------------------------------------------------------- inputs from course/data
def _iris():
    return load_iris()


_TITLE = "Iris: petal size by species"


def _scores(n=40, start=0):
    df = load_students().iloc[start:start + n]
    return (df["math score"].to_numpy(float), df["reading score"].to_numpy(float),
            df["writing score"].to_numpy(float))


def _marked():
    """15 students, three of them (not the first three) annotated."""
    x, y, _ = _scores(15, 100)
    return x, y, [9, 2, 13], ["top reader", "median", "outlier"]


def _mean_math():
    """Mean math score per parental education level (a Series, 6 bars)."""
    return load_students().groupby("parental level of education")["math score"].mean().round(1)


_HIGHLIGHT = ["master's degree", "high school"]

IMAGE_CALLS = {
    "titled_scatter": lambda: call(_iris(), "petal_length", "petal_width", "Species", _TITLE),
    "annotate_points": lambda: call(*_marked()),
    "colormap_scatter": lambda: call(*_scores()),
    "diverging_scatter": lambda: call(*_scores(), 70, 20, 100),
    "highlight_bars": lambda: call(_mean_math(), _HIGHLIGHT),
}
# The image tests that compare colour (the catalog names it); the others compare ink.
IMAGE_MODES = {"colormap_scatter": "rgb", "diverging_scatter": "rgb", "highlight_bars": "rgb"}


# ---------------------------------------------------------------- titled_scatter
def _titled(captures):
    what = f'titled_scatter(iris, "petal_length", "petal_width", "Species", {_TITLE!r})'
    got, exp = captures("titled_scatter", _iris(), "petal_length", "petal_width", "Species",
                        _TITLE)
    return what, got, exp


@pytest.mark.exercise("titled_scatter", weight=2)
def test_titled_scatter_one_labelled_set_per_hue(captures):
    what, got, exp = _titled(captures)
    assert_no_problems(got, what=what)
    need(check_point_sets(one_axes(got, what), one_axes(exp, what), what=what),
         "one scatter per hue value, label = the value")


@pytest.mark.exercise("titled_scatter", weight=1)
def test_titled_scatter_bold_left_title(captures):
    what, got, exp = _titled(captures)
    g = one_axes(got, what)
    message = check_titles(g, one_axes(exp, what), what=what, fontweight=True)
    hint = None
    if message and g["title"]["center"]["text"] == _TITLE:
        hint = "title not left-aligned: ax.set_title(title, loc='left')"
    elif message and g["title"]["left"]["text"] == _TITLE:
        hint = "title not bold: pass fontweight='bold'"
    need(message, hint)


@pytest.mark.exercise("titled_scatter", weight=1)
def test_titled_scatter_legend_titled_hue_lower_right(captures):
    what, got, _ = _titled(captures)
    legend = one_axes(got, what)["legend"]
    if legend is None or not legend["visible"]:
        fail(f"{what}: legend missing: ax.legend(title=hue, loc='lower right')")
    if legend["title"] != "Species":
        fail(f"{what}: legend title expected 'Species' (the hue column), got "
             f"{legend['title']!r} (legend title wrong: ax.legend(title=hue, ...))")
    if legend["loc"] != 4:
        where = LOC_NAMES.get(legend["loc"], legend["loc"])
        fail(f"{what}: legend location expected 'lower right', got {where!r} (legend location "
             "wrong: ax.legend(..., loc='lower right'))")


@pytest.mark.exercise("titled_scatter", weight=1)
def test_titled_scatter_image(captures):
    captures.image("titled_scatter", IMAGE_CALLS["titled_scatter"]())


# ---------------------------------------------------------------- annotate_points
def _annotation_mistake(g, x, y, indices, labels):
    notes = {t["text"]: t for t in g["texts"] if t["type"] == "Annotation"}
    for k, (i, text) in enumerate(zip(indices, labels)):
        note = notes.get(text)
        if note is None or note["xy"] is None:
            continue
        if np.allclose(note["xy"], (x[k], y[k])) and k != i:
            return (f"label at the wrong point: labels[k] annotates point indices[k] "
                    f"({text!r} belongs at point {i}, not {k})")
    return None


@pytest.mark.exercise("annotate_points", weight=2)
def test_annotate_points_labels_point_at_their_points(captures):
    x, y, indices, labels = _marked()
    what = f"annotate_points(x, y, {indices}, {labels})"
    got, exp = captures("annotate_points", x, y, indices, labels)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_point_sets(g, e, what=what, labels=False), "a scatter of every point")
    message = check_annotations(g, e, what=what, xy=True, arrow=False)
    need(message, message and _annotation_mistake(g, x, y, indices, labels))


@pytest.mark.exercise("annotate_points", weight=1)
def test_annotate_points_round_box_and_arrow(captures):
    x, y, indices, labels = _marked()
    what = f"annotate_points(x, y, {indices}, {labels})"
    got, exp = captures("annotate_points", x, y, indices, labels)
    g, e = one_axes(got, what), one_axes(exp, what)
    for t in (t for t in g["texts"] if t["text"] in labels):
        if t["bbox"] is None:
            fail(f"{what}: annotation {t['text']!r} without bbox: pass "
                 "bbox=dict(boxstyle='round')")
        if t["type"] != "Annotation" or not t["arrow"]:
            fail(f"{what}: annotation {t['text']!r} without arrow: use ax.annotate(..., "
                 "arrowprops=dict(arrowstyle='->'))")
    need(check_annotations(g, e, what=what, xy=False, arrow=True, bbox=True),
         "a rounded box: bbox=dict(boxstyle='round')")


@pytest.mark.exercise("annotate_points", weight=1)
def test_annotate_points_image(captures):
    captures.image("annotate_points", IMAGE_CALLS["annotate_points"]())


# ---------------------------------------------------------------- colormap and diverging
def _norm_text(norm):
    if norm is None:
        return "none"
    parts = [f"{k}={norm[k]:g}" for k in ("vmin", "vcenter", "vmax") if norm.get(k) is not None]
    return f"{norm['type']}({', '.join(parts)})"


def _colorbars(fig):
    return [a["colorbar"] for a in colorbar_axes(fig)]


def _check_colorbar(got, exp, what, hint=None):
    """A colorbar with the reference's colormap and norm (type and limits); its place,
    orientation and mappable (the scatter or a ScalarMappable) are free."""
    g_cbs, e_cb = _colorbars(got["figure"]), _colorbars(exp["figure"])[0]
    if not g_cbs:
        fail(f"{what}: colorbar missing: fig.colorbar(points, ax=ax)")
    cb = g_cbs[0]
    if cb["cmap"] != e_cb["cmap"]:
        fail(f"{what}: colorbar colormap expected {e_cb['cmap']!r}, got {cb['cmap']!r}")
    if not _same_norm(cb["norm"], e_cb["norm"]):
        need(f"{what}: colorbar norm expected {_norm_text(e_cb['norm'])}, got "
             f"{_norm_text(cb['norm'])}", hint)


def _same_norm(g, e):
    if g is None or g["type"] != e["type"]:
        return False
    return all((g[k] is None) == (e[k] is None) and (g[k] is None or np.isclose(g[k], e[k]))
               for k in ("vmin", "vmax", "vcenter"))


def _student_norms(got):
    """The norms of the student's mapped scatters and colorbars."""
    fig = got["figure"]
    norms = [c["norm"] for ax in fig["axes"] for c in ax["collections"] if c["norm"]]
    return norms + [cb["norm"] for cb in _colorbars(fig) if cb["norm"]]


def _mapping_mistake(got, values, vmin, vmax, cmap, vcenter=None):
    """Name what the student's norms or colormap show, or None."""
    fig = got["figure"]
    cmaps = [c["cmap"] for ax in fig["axes"] for c in ax["collections"] if c["cmap"]]
    if cmaps and cmap not in cmaps:
        return f"cmap ignored: colours through {cmaps[0]!r} where {cmap!r} was asked"
    for norm in _student_norms(got):
        lo, hi = norm["vmin"], norm["vmax"]
        if lo is not None and hi is not None and np.isclose(lo, np.min(values)) \
                and np.isclose(hi, np.max(values)):
            return ("vmin/vmax ignored: the colours span the data's own range; pass "
                    f"vmin={vmin}, vmax={vmax}")
        if vcenter is not None and norm["type"] in ("Normalize", "CenteredNorm"):
            return (f"a plain {norm['type']} where TwoSlopeNorm is asked: the centre colour "
                    f"must sit at vcenter={vcenter}")
        if vcenter is not None and norm["type"] == "TwoSlopeNorm" and norm["vcenter"] is not None \
                and not np.isclose(norm["vcenter"], vcenter):
            return f"wrong vcenter: {norm['vcenter']:g} where vcenter={vcenter} was asked"
    return None


@pytest.mark.exercise("colormap_scatter", weight=2)
def test_colormap_scatter_colors_through_cmap_with_limits(captures):
    x, y, values = _scores()
    what = 'colormap_scatter(x, y, values, cmap="plasma", vmin=20, vmax=110)'
    got, exp = captures("colormap_scatter", x, y, values, cmap="plasma", vmin=20, vmax=110)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    message = check_point_sets(g, e, what=what, pooled_sets=True, colors=True, alpha=False)
    need(message, message and _mapping_mistake(got, values, 20, 110, "plasma"))


@pytest.mark.exercise("colormap_scatter", weight=1)
def test_colormap_scatter_default_limits_and_colorbar(captures):
    x, y, values = _scores()
    what = "colormap_scatter(x, y, values)  (viridis, vmin=0, vmax=100)"
    got, exp = captures("colormap_scatter", x, y, values)
    message = check_point_sets(one_axes(got, what), one_axes(exp, what), what=what,
                               pooled_sets=True, colors=True)
    need(message, message and _mapping_mistake(got, values, 0, 100, "viridis"))
    _check_colorbar(got, exp, what, _mapping_mistake(got, values, 0, 100, "viridis"))


@pytest.mark.exercise("colormap_scatter", weight=1)
def test_colormap_scatter_image(captures):
    captures.image("colormap_scatter", IMAGE_CALLS["colormap_scatter"](),
                   mode=IMAGE_MODES["colormap_scatter"])


@pytest.mark.exercise("diverging_scatter", weight=2)
def test_diverging_scatter_two_slope_norm_at_vcenter(captures):
    x, y, values = _scores()
    what = "diverging_scatter(x, y, values, vcenter=70, vmin=20, vmax=100)"
    got, exp = captures("diverging_scatter", x, y, values, 70, 20, 100)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    message = check_point_sets(g, e, what=what, pooled_sets=True, colors=True)
    need(message, message and _mapping_mistake(got, values, 20, 100, "RdBu", vcenter=70))


@pytest.mark.exercise("diverging_scatter", weight=1)
def test_diverging_scatter_colorbar(captures):
    x, y, values = _scores()
    what = 'diverging_scatter(x, y, values, vcenter=60, vmin=0, vmax=100, cmap="PiYG")'
    got, exp = captures("diverging_scatter", x, y, values, 60, 0, 100, cmap="PiYG")
    _check_colorbar(got, exp, what, _mapping_mistake(got, values, 0, 100, "PiYG", vcenter=60))


@pytest.mark.exercise("diverging_scatter", weight=1)
def test_diverging_scatter_image(captures):
    captures.image("diverging_scatter", IMAGE_CALLS["diverging_scatter"](),
                   mode=IMAGE_MODES["diverging_scatter"])


# ---------------------------------------------------------------- highlight_bars
def _inverted(g, values, highlight, base, high):
    rects = sorted((r for c in g["bars"] for r in c["rects"]), key=lambda r: r["center"])
    if len(rects) != len(values):
        return None
    flipped = [base if key in highlight else high for key in values.index]
    return all(r["facecolor"] is not None and same_color(r["facecolor"][:3] + [1.0], c)
               for r, c in zip(rects, flipped))


@pytest.mark.exercise("highlight_bars", weight=2)
def test_highlight_bars_colors(captures):
    values = _mean_math()
    what = f'highlight_bars(values, {_HIGHLIGHT}, base_color="silver", highlight_color="navy")'
    got, exp = captures("highlight_bars", values, _HIGHLIGHT, base_color="silver",
                        highlight_color="navy")
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_bars(g, e, what=what, series=False, width=False, labels=False),
         "one bar per value at 0..n-1")
    message = check_bars(g, e, what=what, series=False, width=False, labels=False, colors=True)
    if message and _inverted(g, values, _HIGHLIGHT, "silver", "navy"):
        message += " (highlight colours inverted: highlighted bars get highlight_color)"
    need(message)


@pytest.mark.exercise("highlight_bars", weight=1)
def test_highlight_bars_default_colors_and_labels(captures):
    values = _mean_math()
    what = f"highlight_bars(values, {_HIGHLIGHT})  (lightgray and tomato)"
    got, exp = captures("highlight_bars", values, _HIGHLIGHT)
    g, e = one_axes(got, what), one_axes(exp, what)
    message = check_bars(g, e, what=what, series=False, width=False, labels=False, colors=True)
    if message and _inverted(g, values, _HIGHLIGHT, "lightgray", "tomato"):
        message += " (highlight colours inverted: highlighted bars get highlight_color)"
    need(message)
    need(check_ticks(g, e, what=what, axis="x"), "x ticks at 0..n-1 labelled with the index")


@pytest.mark.exercise("highlight_bars", weight=1)
def test_highlight_bars_image(captures):
    captures.image("highlight_bars", IMAGE_CALLS["highlight_bars"](),
                   mode=IMAGE_MODES["highlight_bars"])


# ---------------------------------------------------------------- discrete_cmap
def _colors_of(cmap, what):
    try:
        colors = cmap.colors
    except StudentError:
        fail(f"{what}: expected a ListedColormap (it has .colors), got {cmap!r}")
    try:
        return to_rgba_array(colors)
    except (TypeError, ValueError):
        fail(f"{what}: the colormap's .colors are not colours: {str(colors)[:80]}")


@pytest.mark.exercise("discrete_cmap", weight=1)
@pytest.mark.parametrize("n, name", [(4, "tab10"), (8, "Set2"), (3, "Pastel1"), (12, "tab20")])
def test_discrete_cmap_first_n_colors(student, n, name):
    what = f"discrete_cmap({n}, {name!r})"
    cmap = student.discrete_cmap(n, name)
    if not isinstance(cmap, Remote):
        fail(f"{what}: expected a ListedColormap, got {type(cmap).__name__}")
    full = colormaps[name]
    assert_close(_colors_of(cmap, what), to_rgba_array(full.colors[:n]),
                 what=f"{what}.colors (RGBA)", atol=1e-6, rtol=0, mistakes=lambda: {
                     "a resampled colormap instead of the first n colours: "
                     "plt.get_cmap(name, n) spreads n colours over the whole map; take "
                     "colormaps[name].colors[:n]": to_rgba_array(full.resampled(n).colors),
                     "the last n colours": to_rgba_array(full.colors[-n:])})
    if cmap.N != n:
        fail(f"{what}: the colormap should have N = {n} colours, has {cmap.N}")


@pytest.mark.exercise("discrete_cmap", weight=1)
def test_discrete_cmap_default_name(student):
    cmap = student.discrete_cmap(5)
    assert_close(_colors_of(cmap, "discrete_cmap(5)"), to_rgba_array(colormaps["tab10"].colors[:5]),
                 what="discrete_cmap(5).colors (the default map is tab10)", atol=1e-6, rtol=0)


@pytest.mark.exercise("discrete_cmap", weight=1)
def test_discrete_cmap_rejects_more_colors_than_the_map_has(student):
    assert_raises("ValueError", student.discrete_cmap, 11)
    assert_raises("ValueError", student.discrete_cmap, 9, "Set2")
