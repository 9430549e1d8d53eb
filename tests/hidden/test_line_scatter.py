"""Hidden tests for line_scatter: the student's figure description against the reference's.

Each plotting test captures the student's figure and the reference's from the same call,
compares the properties the catalog asks for, and names the known mistake when the description
shows it. Free choices (figure size, layout, colours not named, line widths, legends and labels
not asked for, ticks placed by a MultipleLocator or set explicitly, a scatter drawn with
ax.scatter or with plot(marker, linestyle=""), one call for all points or one per point or per
group, pandas plotting) are not compared; the image checks leave every text out and use the
default tolerance. moving_average returns numbers: its values are checked, not a picture.
"""

import numpy as np
import pytest

from grader.checks import assert_close, assert_raises, fail
from grader.checks.plots.pairs import call, captures, need, one_axes  # noqa: F401
from grader.checks.plots.points import by_label, check_point_sets, point_sets
from grader.checks.plots import (assert_no_problems, check_lines, main_axes, twin_of)
from grader.data import load_iris, load_students
from grader.errors import StudentError


# ---------------------------------------------------------------- inputs from course/data
def _scores(n, start=0, subject="math"):
    return load_students()[f"{subject} score"].to_numpy(float)[start:start + n]


def _grid_x():
    """x = 0, 0.5, ..., 10: both ends are multiples of 2.5, so the explicit ticks a student
    would write (np.arange(0, 10 + 2.5, 2.5)) change no limits."""
    return np.arange(0, 10.5, 0.5)


def _off_grid_x():
    """x from 1.2 to 4.4: the view starts between multiples of the step."""
    return np.linspace(1.2, 4.4, 9)


def _noisy(n=60):
    """A trend with noise: day index and a smooth score plus seeded noise (floats)."""
    g = np.random.default_rng(12)
    x = np.arange(n, dtype=float)
    return x, 60 + 10 * np.sin(x / 9) + g.normal(0, 4, n)


def _twin_data():
    """Per education level index: mean math score (tens) and head count (hundreds)."""
    df = load_students()
    means = df.groupby("parental level of education")["math score"].mean()
    counts = df.groupby("parental level of education").size()
    return np.arange(len(means), dtype=float), means.to_numpy(), counts.to_numpy(float)


def _students_subset():
    """150 students; race/ethnicity first appears in the order D, E, ... (not sorted)."""
    return load_students().iloc[:150][["race/ethnicity", "math score", "reading score"]]


def _iris_shuffled():
    """The iris data in a seeded random row order (virginica first appears before setosa)."""
    df = load_iris()
    return df.iloc[np.random.default_rng(3).permutation(len(df))].reset_index(drop=True)


_BUBBLE_COLORS = ["tomato", "steelblue", "seagreen", "gold", "purple", "orange"] * 2


def _bubbles():
    """12 points: math vs reading score, size from writing score, named colours."""
    df = load_students().iloc[:12]
    sizes = (df["writing score"].to_numpy(float) - 20) * 5  # 100 .. 400 points^2
    return (df["math score"].to_numpy(float), df["reading score"].to_numpy(float), sizes,
            _BUBBLE_COLORS)


def _bubbles_apart():
    """The same sizes and colours on a 4 x 3 grid: no two bubbles overlap, so the drawing order
    and alpha (both free) change no ink in the picture."""
    _, _, sizes, colors = _bubbles()
    x, y = np.meshgrid(np.arange(4.0), np.arange(3.0))
    return x.ravel(), y.ravel() * 10, sizes, colors


# The call of each exercise's image test (scripts/plot_calibration.py measures the fixtures on
# these); default tolerance, text masked: docs/plot-checks.md "Calibration".
IMAGE_CALLS = {
    "line_with_markers": lambda: call(_grid_x(), _scores(21), marker="s", linestyle=":",
                                      major_step=2.5),
    "trend_plot": lambda: call(*_noisy(), 7),
    "twin_axis": lambda: call(*_twin_data(), "mean math score", "students"),
    "scatter_by_group": lambda: call(_iris_shuffled(), "sepal_length", "petal_length", "Species"),
    "bubble_scatter": lambda: call(*_bubbles_apart()),
}


# ---------------------------------------------------------------- line_with_markers
def _data_lines(ax):
    return [line for line in ax["lines"] if line["coords"] == "data"]


def _style_mistake(g_ax, marker, linestyle):
    lines = _data_lines(g_ax)
    if len(lines) != 1:
        return None
    got = lines[0]
    if got["marker"] != marker:
        return f"marker ignored: pass marker=marker to plot (got {got['marker']!r})"
    if got["linestyle"] != linestyle:
        return f"line style ignored: pass linestyle=linestyle to plot (got {got['linestyle']!r})"
    return None


@pytest.mark.exercise("line_with_markers", weight=2)
def test_line_with_markers_marker_and_line_style(captures):
    x, y = _grid_x(), _scores(21)
    what = 'line_with_markers(x, y, marker="s", linestyle=":", major_step=2.5)'
    got, exp = captures("line_with_markers", x, y, marker="s", linestyle=":", major_step=2.5)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    message = check_lines(g, e, what=what, labels=False, style=True, coords=("data",))
    need(message, message and _style_mistake(g, "s", ":"))


def _multiples_in_view(lim, step):
    lo, hi = sorted(lim)
    eps = 1e-9 * max(1.0, abs(hi - lo))
    first, last = np.ceil((lo - eps) / step), np.floor((hi + eps) / step)
    return np.arange(first, last + 1) * step


def _numbers(values):
    return "[" + ", ".join(f"{float(v) + 0.0:g}" for v in np.round(values, 6)) + "]"


def _check_major_step(g, what, step):
    """Major x ticks at every multiple of step in the student's own view, and nowhere else."""
    ticks = np.asarray(g["x"]["ticks"], dtype=float)
    want = _multiples_in_view(g["x"]["lim"], step)
    if ticks.shape == want.shape and np.allclose(ticks, want, atol=1e-9 * max(1.0, step)):
        return
    hint = ""
    if g["x"]["locator"] != "MultipleLocator":
        hint = (f" (major_step ignored: the default {g['x']['locator']} chose the ticks; set "
                "ax.xaxis.set_major_locator(MultipleLocator(major_step)))")
    elif g["x"]["locator_step"] is not None and not np.isclose(g["x"]["locator_step"], step):
        hint = f" (MultipleLocator({g['x']['locator_step']:g}) where major_step is {step:g})"
    fail(f"{what}: major x ticks expected at every multiple of {step:g} in view, "
         f"{_numbers(want)}, got {_numbers(ticks)}{hint}")


@pytest.mark.exercise("line_with_markers", weight=2)
def test_line_with_markers_major_ticks_every_step(captures):
    what = 'line_with_markers(x, y, marker="s", linestyle=":", major_step=2.5)'
    got, _ = captures("line_with_markers", _grid_x(), _scores(21), marker="s", linestyle=":",
                      major_step=2.5)
    _check_major_step(one_axes(got, what), what, 2.5)
    what = "line_with_markers(x, y)  (x from 1.2 to 4.4, default major_step=1.0)"
    got, exp = captures("line_with_markers", _off_grid_x(), _scores(9, 40))
    g = one_axes(got, what)
    _check_major_step(g, what, 1.0)
    message = check_lines(g, one_axes(exp, what), what=what, labels=False, style=True,
                          coords=("data",))
    need(message, message and _style_mistake(g, "o", "--") and
         "the defaults are marker='o', linestyle='--'")


@pytest.mark.exercise("line_with_markers", weight=1)
def test_line_with_markers_image(captures):
    captures.image("line_with_markers", IMAGE_CALLS["line_with_markers"]())


# ---------------------------------------------------------------- moving_average
def _valid_means(y, window):
    y = np.asarray(y, dtype=float)
    return np.array([y[i:i + window].mean() for i in range(len(y) - window + 1)])


def _average_mistakes(y, window):
    """{mistake: the values it gives}, computed only when the check fails."""
    y = np.asarray(y, dtype=float)
    kernel = np.ones(window) / window

    def mistakes():
        found = {
            "wrong length: mode='same' pads the ends; keep only the full windows "
            "(length len(y) - window + 1)": np.convolve(y, kernel, mode="same"),
            "wrong length: mode='full' keeps partial windows; keep only the full windows":
                np.convolve(y, kernel),
            "wrong length: the last full window is missing (range(len(y) - window) instead "
            "of range(len(y) - window + 1))": _valid_means(y, window)[:-1],
            "wrong length: rolling(window).mean() keeps window - 1 leading NaN; drop them":
                np.concatenate([np.full(window - 1, np.nan), _valid_means(y, window)]),
            "the sum of each window, not its mean": _valid_means(y, window) * window,
        }
        if window < len(y):
            found[f"window of the wrong length ({window + 1} used)"] = _valid_means(y, window + 1)
        if window > 1:
            found[f"window of the wrong length ({window - 1} used)"] = _valid_means(y, window - 1)
        return found

    return mistakes


@pytest.mark.exercise("moving_average", weight=2)
def test_moving_average_means_of_full_windows(student):
    y = _noisy(23)[1]
    got = student.moving_average(y, 5)
    assert_close(got, _valid_means(y, 5), what="moving_average(y, 5) with len(y) = 23",
                 mistakes=_average_mistakes(y, 5))


@pytest.mark.exercise("moving_average", weight=1)
def test_moving_average_accepts_lists_and_extreme_windows(student):
    y = [int(v) for v in _scores(8)]
    for window in (1, 3, 8):
        got = student.moving_average(y, window)
        assert_close(got, _valid_means(y, window),
                     what=f"moving_average({y}, {window}) (a list of ints)",
                     mistakes=_average_mistakes(y, window))


@pytest.mark.exercise("moving_average", weight=1)
def test_moving_average_rejects_windows_out_of_range(student):
    y = _scores(6)
    for window in (0, 7):
        assert_raises("ValueError", student.moving_average, y, window)


# ---------------------------------------------------------------- trend_plot
def _finite(line):
    """(x, y) of a line without its nan points (pandas' rolling mean starts with nan)."""
    x = np.array([np.nan if v is None else v for v in line["xdata"]], dtype=float)
    y = np.array([np.nan if v is None else v for v in line["ydata"]], dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def _own_average(student, y, window):
    """The student's own moving_average(y, window), or None: trend_plot is graded on its own,
    so a wrong moving_average does not cost it points twice."""
    try:
        values = student.moving_average(y, window)
        return np.asarray(values, dtype=float).ravel()
    except (StudentError, TypeError, ValueError):
        return None


def _same(a, b):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _alignment_mistake(mx, my, x, averages, window):
    for smooth in averages:
        k = len(smooth)
        if not _same(my, smooth):
            continue
        if _same(mx, x[:k]):
            return ("moving average aligned to the window's start: each mean belongs at the x "
                    "of its window's last point, x[window - 1:]")
        half = (len(x) - k) // 2
        if _same(mx, x[half:half + k]):
            return "moving average centred on its window: place each mean at its window's last x"
    if averages and len(my) == len(x):
        return "moving average of the wrong length: only full windows have a mean"
    return None


def _trend_lines(g, x, y, what):
    """(raw line, average line) of the student's trend plot."""
    lines = _data_lines(g)
    raw = [line for line in lines if _same(_finite(line)[0], x) and _same(_finite(line)[1], y)]
    if len(lines) != 2 or not raw:
        fail(f"{what}: expected two lines, the raw data and its moving average; got "
             f"{len(lines)} line(s){'' if raw else ', none of them the raw data'}")
    return raw[0], next(line for line in lines if line is not raw[0])


@pytest.mark.exercise("trend_plot", weight=2)
def test_trend_plot_average_at_window_end(captures, student):
    (x, y), window = _noisy(), 7
    what = "trend_plot(x, y, 7) with len(y) = 60"
    got, _ = captures("trend_plot", x, y, window)
    assert_no_problems(got, what=what)
    _, average = _trend_lines(one_axes(got, what), x, y, what)
    mx, my = _finite(average)
    right = _valid_means(y, window)
    accepted = [(x[window - 1:], right)]
    own = _own_average(student, y, window)
    if own is not None and 0 < len(own) <= len(x) and not _same(own, right):
        accepted.append((x[len(x) - len(own):], own))  # the student's own average, end-aligned
    if any(_same(mx, ax_) and _same(my, ay) for ax_, ay in accepted):
        return
    hint = _alignment_mistake(mx, my, x, [right] + ([own] if own is not None else []), window)
    fail(f"{what}: the moving-average line should have {len(right)} points at x[{window - 1}:] "
         f"({x[window - 1]:g} .. {x[-1]:g}) with the means of the full windows; got "
         f"{len(mx)} points at x = {mx[0] if len(mx) else 'none'} .. "
         f"{mx[-1] if len(mx) else 'none'}" + (f" ({hint})" if hint else ""))


@pytest.mark.exercise("trend_plot", weight=1)
def test_trend_plot_faded_raw_line_under_the_average(captures):
    (x, y), what = _noisy(), "trend_plot(x, y, 7)"
    got, _ = captures("trend_plot", x, y, 7)
    g = one_axes(got, what)
    raw, average = _trend_lines(g, x, y, what)
    alpha = raw["alpha"] if raw["alpha"] is not None else (raw["color"] or [0, 0, 0, 1])[3]
    if not np.isclose(alpha, 0.3):
        fail(f"{what}: the raw line should be faded with alpha 0.3, got alpha {alpha:g} "
             "(raw line not faded: plot it with alpha=0.3)")
    lines = g["lines"]
    above = (average["zorder"], lines.index(average)) > (raw["zorder"], lines.index(raw))
    if not above:
        fail(f"{what}: the moving average is drawn under the raw line; draw it after the raw "
             "line (or with a higher zorder)")


@pytest.mark.exercise("trend_plot", weight=1)
def test_trend_plot_image(captures, student):
    image_call = IMAGE_CALLS["trend_plot"]()
    _, y, window = image_call.args
    own = _own_average(student, y, window)
    if own is not None and not _same(own, _valid_means(y, window)):
        return  # the picture of another average is not the reference's: moving_average's tests
        # grade the average, test_trend_plot_average_at_window_end grades how it is drawn
    captures.image("trend_plot", image_call)


# ---------------------------------------------------------------- twin_axis
def _same_place(a, b):
    return np.allclose(a["position"], b["position"], atol=1e-6)


def _twin_pair(fig):
    """(left axes, right axes) or None: a twinx, or an equivalent second Axes in the same place
    sharing x."""
    mains = main_axes(fig)
    if len(mains) == 1 and twin_of(fig, mains[0]) is not None:
        return mains[0], twin_of(fig, mains[0])
    if len(mains) == 2 and _same_place(*mains):
        shared = any(mains[0]["index"] in grp and mains[1]["index"] in grp
                     for grp in fig["shared_x"])
        right = [a for a in mains if a["y"]["label_position"] == "right"]
        if shared and len(right) == 1:
            return next(a for a in mains if a is not right[0]), right[0]
    return None


def _twin(got, what):
    pair = _twin_pair(got["figure"])
    if pair is not None:
        return pair
    mains = main_axes(got["figure"])
    if len(mains) == 1 and len(_data_lines(mains[0])) == 2:
        fail(f"{what}: both series on one axis instead of a twin: draw y2 on ax.twinx()")
    fail(f"{what}: expected one Axes with a twinx() partner (y axis on the right, sharing x), "
         f"got {len(mains)} main Axes and {sum(a['role'] == 'twin' for a in got['figure']['axes'])}"
         " twin(s)")


@pytest.mark.exercise("twin_axis", weight=2)
def test_twin_axis_second_y_axis_on_the_right(captures):
    args, what = _twin_data(), 'twin_axis(x, y1, y2, "mean math score", "students")'
    got, exp = captures("twin_axis", *args, "mean math score", "students")
    assert_no_problems(got, what=what)
    left, right = _twin(got, what)
    e_left, e_right = _twin(exp, what)
    if right["y"]["label_position"] != "right":
        fail(f"{what}: the second y axis should be on the right (twinx), its label is on the "
             f"{right['y']['label_position']}")
    for g, e, side, name in ((left, e_left, "left", "y1"), (right, e_right, "right", "y2")):
        message = check_lines(g, e, what=f"{what}, {side} axis", labels=False, coords=("data",))
        swapped = (check_lines(g, e_right if side == "left" else e_left, what=what, labels=False,
                               coords=("data",)) is None)
        need(message, f"y1 and y2 swapped: {name} belongs on the {side} axis" if swapped else
             f"{name} belongs on the {side} axis")


@pytest.mark.exercise("twin_axis", weight=1)
def test_twin_axis_y_labels(captures):
    args, what = _twin_data(), 'twin_axis(x, y1, y2, "mean math score", "students")'
    got, _ = captures("twin_axis", *args, "mean math score", "students")
    left, right = _twin(got, what)
    labels = (left["y"]["label"], right["y"]["label"])
    if labels == ("students", "mean math score"):
        fail(f"{what}: y labels swapped: label1 names the left axis (y1), label2 the right (y2)")
    if labels != ("mean math score", "students"):
        fail(f"{what}: y labels expected 'mean math score' (left) and 'students' (right), "
             f"got {labels[0]!r} and {labels[1]!r}")


@pytest.mark.exercise("twin_axis", weight=1)
def test_twin_axis_image(captures):
    captures.image("twin_axis", IMAGE_CALLS["twin_axis"]())


# ---------------------------------------------------------------- scatter_by_group
_GROUP_CALL = ("math score", "reading score", "race/ethnicity")


@pytest.mark.exercise("scatter_by_group", weight=2)
def test_scatter_by_group_one_labelled_set_per_group(captures):
    df, what = _students_subset(), 'scatter_by_group(df, "math score", "reading score", ' \
                                   '"race/ethnicity")'
    got, exp = captures("scatter_by_group", df, *_GROUP_CALL)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    connected = [line for line in _data_lines(g) if line["linestyle"] is not None]
    if connected and not point_sets(g):
        fail(f"{what}: the points are joined by lines; a scatter has markers only "
             "(ax.scatter, or plot with a marker and linestyle='')")
    need(check_point_sets(g, e, what=what), "one scatter per group value, label = the value")


@pytest.mark.exercise("scatter_by_group", weight=1)
def test_scatter_by_group_sorted_groups_in_the_legend(captures):
    df, what = _students_subset(), 'scatter_by_group(df, "math score", "reading score", ' \
                                   '"race/ethnicity")'
    got, _ = captures("scatter_by_group", df, *_GROUP_CALL)
    g = one_axes(got, what)
    want = sorted(df["race/ethnicity"].unique())
    legend = g["legend"]
    if legend is None or not legend["visible"]:
        fail(f"{what}: legend missing: call ax.legend() (expected entries {want})")
    drawn = [lab for lab in by_label(point_sets(g)) if lab is not None]
    checks = [(legend["texts"], "legend entries")] + ([(drawn, "groups drawn")] if drawn else [])
    for order, noun in checks:
        if order != want:
            hint = (" (groups not sorted: loop over sorted(df[group].unique()))"
                    if sorted(order) == want else "")
            fail(f"{what}: {noun} expected in sorted order {want}, got {order}{hint}")


@pytest.mark.exercise("scatter_by_group", weight=1)
def test_scatter_by_group_image(captures):
    captures.image("scatter_by_group", IMAGE_CALLS["scatter_by_group"]())


# ---------------------------------------------------------------- bubble_scatter
def _size_mistake(g_ax, sizes):
    got = np.sort(np.concatenate([s["sizes"] for s in point_sets(g_ax)] or [np.zeros(0)]))
    want = np.sort(np.asarray(sizes, float))
    if got.shape != want.shape:
        return None
    if np.allclose(got, got[0]):
        return "sizes ignored: pass s=sizes (one size for every marker)"
    if np.allclose(got, want ** 2, rtol=1e-4):
        return ("sizes squared: s is already the marker area in points^2 (plot's markersize "
                "is a diameter: sqrt(s))")
    if np.allclose(got, np.sqrt(want), rtol=1e-4):
        return "square root taken: sizes are scatter's s (points^2); plot's markersize is sqrt(s)"
    return None


@pytest.mark.exercise("bubble_scatter", weight=2)
def test_bubble_scatter_sizes_and_colors_per_point(captures):
    args, what = _bubbles(), "bubble_scatter(x, y, sizes, colors)"
    got, exp = captures("bubble_scatter", *args)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_point_sets(g, e, what=what, pooled_sets=True))
    message = check_point_sets(g, e, what=what, pooled_sets=True, sizes=True)
    need(message, message and _size_mistake(g, args[2]))
    need(check_point_sets(g, e, what=what, pooled_sets=True, colors=True),
         "colors ignored: pass c=colors (or color=colors)")


@pytest.mark.exercise("bubble_scatter", weight=1)
def test_bubble_scatter_black_edges(captures):
    args, what = _bubbles(), "bubble_scatter(x, y, sizes, colors)"
    got, exp = captures("bubble_scatter", *args)
    need(check_point_sets(one_axes(got, what), one_axes(exp, what), what=what, pooled_sets=True,
                          edgecolors=True), "marker edges not black: pass edgecolors='black'")


@pytest.mark.exercise("bubble_scatter", weight=1)
def test_bubble_scatter_image(captures):
    captures.image("bubble_scatter", IMAGE_CALLS["bubble_scatter"]())
