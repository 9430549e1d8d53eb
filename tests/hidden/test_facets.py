"""Hidden tests for facets: the student's figure description against the reference's.

Each test captures the student's figure and the reference's from the same call, compares the
properties the catalog asks for, and names the known mistake when the description shows it.
Free choices (figure size, layout engines, fig.subplots or add_subplot or subplot_mosaic,
ax.inset_axes or an equivalent Axes at the same place, the inset's limits and ticks, the
image's colormap, aspect and interpolation, colours and line styles of the reference marks,
drawing inside rc_context or restoring rcParams by hand) are not compared. The image checks
leave every text out and use the default tolerance.
"""

import numpy as np
import pytest

from grader.checks import fail
from grader.checks.plots.pairs import call, captures, need, one_axes  # noqa: F401
from grader.checks.plots import (assert_no_problems, cell, check_layout, check_lines,
                                 check_spans, check_spines, main_axes, spans)
from grader.data import load_students
from grader.errors import StudentError

DASHBOARD = {((0, 1), (0, 3)): "gs[0, :]", ((1, 2), (0, 2)): "gs[1, :-1]",
             ((1, 3), (2, 3)): "gs[1:, -1]", ((2, 3), (0, 1)): "gs[-1, 0]",
             ((2, 3), (1, 2)): "gs[-1, -2]"}


# ---------------------------------------------------------------- inputs from course/data
def _curve(n=80):
    """A smooth curve with a narrow peak (the part an inset zooms into)."""
    x = np.linspace(0, 10, n)
    return x, np.sin(x) + 2.5 * np.exp(-((x - 7.0) ** 2) / 0.1)


def _heatmap():
    """Mean math score by race/ethnicity (5 rows) x parental education (6 columns)."""
    df = load_students()
    table = df.pivot_table(index="race/ethnicity", columns="parental level of education",
                           values="math score", aggfunc="mean")
    return table.to_numpy()


def _scores(n=30):
    return np.arange(n, dtype=float), load_students()["math score"].to_numpy(float)[:n]


_RC = {"lines.linewidth": 4.0, "lines.linestyle": "--", "axes.grid": True}

IMAGE_CALLS = {
    "titled_grid": lambda: call(2, 3),
    "gridspec_dashboard": lambda: call(),
    "inset_zoom": lambda: call(*_curve(), bounds=(0.55, 0.5, 0.4, 0.4)),
    "image_with_colorbar": lambda: call(_heatmap()),
    "reference_lines": lambda: call(*_scores(), 70, (8, 15)),
    "styled_plot": lambda: call(*_scores(), _RC),
}


# ---------------------------------------------------------------- titled_grid
def _grid_titles(fig):
    """{(row, col): title} of the main axes, from their GridSpec cells."""
    out = {}
    for ax in main_axes(fig):
        ss = ax["subplotspec"]
        if ss is not None:
            texts = [t["text"] for t in ax["title"].values() if t["text"]]
            out[(ss["rows"][0], ss["cols"][0])] = texts[0] if texts else ""
    return out


def _grid(captures, n, m):
    what = f"titled_grid({n}, {m})"
    try:
        got, exp = captures("titled_grid", n, m)
    except StudentError as exc:
        hint = (" (squeeze left on: with n or m == 1 plt.subplots returns a 1-D array or a "
                "single Axes; pass squeeze=False)" if 1 in (n, m) else "")
        fail(f"{what}: {exc}{hint}")
    assert_no_problems(got, what=what)
    need(check_layout(got["figure"], exp["figure"], what=what), f"{n} rows x {m} columns")
    return what, got, exp


@pytest.mark.exercise("titled_grid", weight=2)
@pytest.mark.parametrize("n, m", [(2, 3), (3, 2)])
def test_titled_grid_titles_row_major(captures, n, m):
    what, got, _ = _grid(captures, n, m)
    titles = _grid_titles(got["figure"])
    want = {(r, c): str(r * m + c) for r in range(n) for c in range(m)}
    if titles != want:
        column_major = {(r, c): str(c * n + r) for r in range(n) for c in range(m)}
        hint = (" (titles numbered column-major: count along each row first, "
                "k = row * m + col)" if titles == column_major else "")
        show = lambda t: [t.get((r, c)) for r in range(n) for c in range(m)]  # noqa: E731
        fail(f"{what}: titles row by row expected {show(want)}, got {show(titles)}{hint}")


@pytest.mark.exercise("titled_grid", weight=2)
@pytest.mark.parametrize("n, m", [(1, 4), (3, 1), (1, 1)])
def test_titled_grid_one_row_or_column(captures, n, m):
    what, got, _ = _grid(captures, n, m)
    titles = _grid_titles(got["figure"])
    want = {(r, c): str(r * m + c) for r in range(n) for c in range(m)}
    if titles != want:
        fail(f"{what}: titles expected {sorted(want.values())}, got {sorted(titles.values())}")


@pytest.mark.exercise("titled_grid", weight=1)
def test_titled_grid_no_ticks(captures):
    what, got, _ = _grid(captures, 2, 3)
    for ax in main_axes(got["figure"]):
        for axis in ("x", "y"):
            a = ax[axis]
            if ax["axison"] and a["ticks"] and (a["ticks_visible"] or a["labels_visible"]):
                fail(f"{what}: subplot {cell(ax)} shows {axis} ticks {a['ticks'][:4]} (ticks "
                     "left on: ax.set_xticks([]) and ax.set_yticks([]))")


@pytest.mark.exercise("titled_grid", weight=1)
def test_titled_grid_image(captures):
    captures.image("titled_grid", IMAGE_CALLS["titled_grid"]())


# ---------------------------------------------------------------- gridspec_dashboard
@pytest.mark.exercise("gridspec_dashboard", weight=2)
def test_gridspec_dashboard_cells(captures):
    what = "gridspec_dashboard()"
    got, exp = captures("gridspec_dashboard")
    assert_no_problems(got, what=what)
    need(check_layout(got["figure"], exp["figure"], what=what),
         "GridSpec slices wrong: gs = fig.add_gridspec(3, 3); gs[0, :], gs[1, :-1], "
         "gs[1:, -1], gs[-1, 0], gs[-1, -2]")


@pytest.mark.exercise("gridspec_dashboard", weight=1)
def test_gridspec_dashboard_titles_name_the_slices(captures):
    what = "gridspec_dashboard()"
    got, _ = captures("gridspec_dashboard")
    for ax in main_axes(got["figure"]):
        ss = ax["subplotspec"]
        key = (tuple(ss["rows"]), tuple(ss["cols"])) if ss else None
        texts = [t["text"] for t in ax["title"].values() if t["text"]]
        if key in DASHBOARD and texts != [DASHBOARD[key]]:
            fail(f"{what}: the Axes at {cell(ax)} should be titled {DASHBOARD[key]!r}, got "
                 f"{texts or 'no title'} (titles wrong: each names its own slice)")


@pytest.mark.exercise("gridspec_dashboard", weight=1)
def test_gridspec_dashboard_image(captures):
    captures.image("gridspec_dashboard", IMAGE_CALLS["gridspec_dashboard"]())


# ---------------------------------------------------------------- inset_zoom
def _main_and_inset(fig, what):
    """(the main Axes, its inset): ax.inset_axes, the toolkit's inset_axes, or a second Axes
    added with fig.add_axes (the larger Axes is the main one)."""
    axes = [a for a in fig["axes"] if a["role"] in ("main", "inset")]
    mains = [a for a in axes if a["role"] == "main"]
    big = max(mains, key=lambda a: a["position"][2] * a["position"][3], default=None)
    insets = [a for a in axes if a is not big]  # inside big, or misplaced (named below)
    if big is None or len(insets) != 1:
        fail(f"{what}: expected one Axes with one inset Axes inside it, got {len(mains)} main "
             f"Axes and {len(insets)} inset(s)")
    return big, insets[0]


def _fraction(inset, main):
    """The inset's (x0, y0, width, height) in fractions of the main Axes."""
    x0, y0, w, h = inset["position"]
    X0, Y0, W, H = main["position"]
    return np.array([(x0 - X0) / W, (y0 - Y0) / H, w / W, h / H])


@pytest.mark.exercise("inset_zoom", weight=2)
@pytest.mark.parametrize("bounds", [(0.55, 0.5, 0.4, 0.4), None])
def test_inset_zoom_at_bounds_in_axes_fraction(captures, bounds):
    x, y = _curve()
    kwargs = {} if bounds is None else {"bounds": bounds}
    bounds = bounds or (0.8, 0.8, 0.2, 0.2)
    what = f"inset_zoom(x, y{'' if not kwargs else f', bounds={bounds}'})"
    got, exp = captures("inset_zoom", x, y, **kwargs)
    assert_no_problems(got, what=what)
    main, inset = _main_and_inset(got["figure"], what)
    e_main, _ = _main_and_inset(exp["figure"], what)
    need(check_lines(main, e_main, what=f"{what}, main Axes", labels=False))
    where = _fraction(inset, main)
    if not np.allclose(where, bounds, atol=2e-3):
        in_figure = np.allclose(inset["position"], bounds, atol=2e-3)
        hint = (" (inset at the wrong bounds: bounds are fractions of the main Axes, "
                "ax.inset_axes(bounds), not of the figure)" if in_figure else
                " (inset at the wrong bounds)")
        fail(f"{what}: the inset should sit at {bounds} of the main Axes, sits at "
             f"{tuple(np.round(where, 3))}{hint}")


@pytest.mark.exercise("inset_zoom", weight=1)
def test_inset_zoom_shows_the_same_line(captures):
    x, y = _curve()
    what = "inset_zoom(x, y, bounds=(0.55, 0.5, 0.4, 0.4))"
    got, exp = captures("inset_zoom", x, y, bounds=(0.55, 0.5, 0.4, 0.4))
    _, inset = _main_and_inset(got["figure"], what)
    _, e_inset = _main_and_inset(exp["figure"], what)
    if not [line for line in inset["lines"] if line["coords"] == "data"]:
        fail(f"{what}: inset without the line: plot x, y on the inset Axes too")
    need(check_lines(inset, e_inset, what=f"{what}, inset", labels=False, coords=("data",)),
         "the inset shows the same line")


@pytest.mark.exercise("inset_zoom", weight=1)
def test_inset_zoom_image(captures):
    captures.image("inset_zoom", IMAGE_CALLS["inset_zoom"]())


# ---------------------------------------------------------------- image_with_colorbar
def _image_and_colorbar(got, what):
    fig = got["figure"]
    cbars = [a for a in fig["axes"] if a["role"] == "colorbar"]
    if any(a["images"] for a in cbars):
        fail(f"{what}: colorbar drawn in the main Axes (cax=ax): append an Axes for it with "
             "make_axes_locatable(ax).append_axes('right', size=size, pad=pad)")
    holders = [a for a in main_axes(fig) if a["images"]]
    if len(holders) != 1:
        fail(f"{what}: expected one Axes with the image (imshow), got {len(holders)}")
    if not cbars:
        fail(f"{what}: colorbar missing: fig.colorbar(image, cax=cax)")
    return holders[0], cbars[0]


@pytest.mark.exercise("image_with_colorbar", weight=2)
def test_image_with_colorbar_image_and_its_colorbar(captures):
    data, what = _heatmap(), "image_with_colorbar(data)"
    got, exp = captures("image_with_colorbar", data)
    assert_no_problems(got, what=what)
    ax, cbar = _image_and_colorbar(got, what)
    e_ax, _ = _image_and_colorbar(exp, what)
    image, e_image = ax["images"][0], e_ax["images"][0]
    if image["shape"] != e_image["shape"] or not np.allclose(
            np.asarray(image["data"], float), np.asarray(e_image["data"], float)):
        fail(f"{what}: the image should show data {tuple(e_image['shape'])}, got "
             f"{tuple(image['shape'])} with other values")
    info = cbar["colorbar"]
    if info["mappable_type"] != "AxesImage" or info["mappable_axes"] != ax["index"]:
        fail(f"{what}: the colorbar should belong to the image (fig.colorbar(image, cax=cax)), "
             f"it belongs to a {info['mappable_type']}")


def _appended(ax, cbar):
    """(size, pad) of the colorbar Axes as fractions of the image Axes' width, or None when it
    is not beside the image on the right, at its height."""
    x0, y0, w, h = ax["position"]
    cx, cy, cw, ch = cbar["position"]
    if cx < x0 + w - 1e-6 or not np.isclose(cy, y0, atol=2e-3) or not np.isclose(ch, h, atol=2e-3):
        return None
    return cw / w, (cx - (x0 + w)) / w


@pytest.mark.exercise("image_with_colorbar", weight=1)
@pytest.mark.parametrize("size, pad", [("7%", "2%"), ("12%", "6%")])
def test_image_with_colorbar_appended_right_with_size_and_pad(captures, size, pad):
    data = _heatmap()
    kwargs = {} if (size, pad) == ("7%", "2%") else {"size": size, "pad": pad}
    what = f"image_with_colorbar(data{''.join(f', {k}={v!r}' for k, v in kwargs.items())})"
    got, _ = captures("image_with_colorbar", data, **kwargs)
    ax, cbar = _image_and_colorbar(got, what)
    measured = _appended(ax, cbar)
    want = (float(size[:-1]) / 100, float(pad[:-1]) / 100)
    if measured is None:
        fail(f"{what}: the colorbar should be appended on the right of the image at its height "
             "(make_axes_locatable(ax).append_axes('right', ...))")
    if not np.allclose(measured, want, atol=4e-3):
        fail(f"{what}: the colorbar Axes should be {size} of the image's width wide with a gap "
             f"of {pad}, is {measured[0]:.1%} wide with a gap of {measured[1]:.1%} (size or "
             "pad ignored: append_axes('right', size=size, pad=pad))")


@pytest.mark.exercise("image_with_colorbar", weight=1)
def test_image_with_colorbar_image(captures):
    captures.image("image_with_colorbar", IMAGE_CALLS["image_with_colorbar"]())


# ---------------------------------------------------------------- reference_lines
def _full_width_hlines(ax):
    """y of the lines across the whole Axes width (axhline: x from 0 to 1 in axes fraction)."""
    out = []
    for line in ax["lines"]:
        xs, ys = line["xdata"], line["ydata"]
        if line["coords"] != "yaxis" or len(xs) < 2 or None in xs or None in ys:
            continue
        if len(set(ys)) == 1 and np.isclose(min(xs), 0) and np.isclose(max(xs), 1):
            out.append(ys[0])
    return out


@pytest.mark.exercise("reference_lines", weight=2)
def test_reference_lines_threshold_and_span(captures):
    (x, y), what = _scores(), "reference_lines(x, y, 70, (8, 15))"
    got, exp = captures("reference_lines", x, y, 70, (8, 15))
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    curves = [line for line in g["lines"] if line["coords"] == "data"
              and len({v for v in line["ydata"] if v is not None}) > 1]  # not constant lines
    need(check_lines({**g, "lines": curves}, e, what=what, labels=False, coords=("data",)),
         "the line plot of y")
    levels = _full_width_hlines(g)
    if not any(np.isclose(v, 70) for v in levels):
        other = [line for line in g["lines"] if line["ydata"] and
                 np.allclose([v for v in line["ydata"] if v is not None], 70)]
        hint = (" (the threshold line stops at the data: axhline spans the whole width)"
                if other else " (threshold line missing: ax.axhline(threshold))")
        fail(f"{what}: expected a horizontal line across the Axes at y = 70, got "
             f"{levels or 'none'}{hint}")
    message = check_spans(g, e, what=what)
    hint = None
    if message and spans(g, "y"):
        hint = "axhspan where axvspan is asked: the span is along x"
    elif message and not spans(g, "x"):
        hint = "span missing: ax.axvspan(start, end)"
    need(message, hint)


@pytest.mark.exercise("reference_lines", weight=1)
def test_reference_lines_top_right_spines_hidden(captures):
    (x, y), what = _scores(), "reference_lines(x, y, 70, (8, 15))"
    got, exp = captures("reference_lines", x, y, 70, (8, 15))
    g = one_axes(got, what)
    hidden = [name for name in ("left", "bottom") if not g["spines"][name]["visible"]]
    need(check_spines(g, one_axes(exp, what), what=what),
         f"hide only the top and right spines ({', '.join(hidden)} hidden too)" if hidden else
         "spines left on: ax.spines[['top', 'right']].set_visible(False)")


@pytest.mark.exercise("reference_lines", weight=1)
def test_reference_lines_image(captures):
    captures.image("reference_lines", IMAGE_CALLS["reference_lines"]())


# ---------------------------------------------------------------- styled_plot
def _styled(captures, rc):
    (x, y), what = _scores(), f"styled_plot(x, y, {rc})"
    got, exp = captures("styled_plot", x, y, rc)
    leaked = [p for p in got["problems"] if "rcParams" in p]
    if leaked:
        fail(f"{what}: rcParams leaked after styled_plot: {leaked[0]} (draw inside "
             "`with matplotlib.rc_context(rc):`)")
    assert_no_problems(got, what=what)
    return what, one_axes(got, what), one_axes(exp, what)


@pytest.mark.exercise("styled_plot", weight=2)
@pytest.mark.parametrize("rc", [_RC, {"lines.marker": "o", "lines.linewidth": 0.5}])
def test_styled_plot_created_under_rc(captures, rc):
    what, g, e = _styled(captures, rc)
    need(check_lines(g, e, what=what, labels=False, style=True),
         "rc not applied: create the figure inside `with matplotlib.rc_context(rc):`")
    lines = [line for line in g["lines"] if line["coords"] == "data"]
    e_line = e["lines"][0]
    for line in lines[:1]:
        if not np.isclose(line["linewidth"], e_line["linewidth"]):
            fail(f"{what}: line width expected {e_line['linewidth']:g} (lines.linewidth), got "
                 f"{line['linewidth']:g} (rc not applied: create the figure inside "
                 "rc_context(rc))")
    for axis in ("x", "y"):
        if g[axis]["grid"] != e[axis]["grid"]:
            fail(f"{what}: {axis} grid expected {'on' if e[axis]['grid'] else 'off'} "
                 "(axes.grid) (rc not applied: create the Axes inside rc_context(rc))")


@pytest.mark.exercise("styled_plot", weight=1)
def test_styled_plot_image(captures):
    captures.image("styled_plot", IMAGE_CALLS["styled_plot"]())
