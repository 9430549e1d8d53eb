"""Hidden tests for bar_plots: the student's figure description against the reference's.

Each test captures the student's figure and the reference's from the same call, compares the
properties the catalog asks for, and names the known mistake when the description shows it.
Free choices (figure size, layout, colours not named, legend and title positions, building
bars from category strings or from numbers plus tick labels, one bar() call per bar or per
series, pandas plotting) are not compared; the semantic tests leave bar widths free where the
catalog names none. The image checks leave every text out (legend box, titles, tick labels),
compare figures whose free properties are normalised (bar widths unless named, category-axis
limits, tick-label rotation: grader.figure.normalise) and use the default tolerance.
"""

import numpy as np
import pytest

from grader.checks import fail
from grader.checks.plots.pairs import (call, captures, left_to_right, need,  # noqa: F401
                                      one_axes, titles)
from grader.checks.plots import (assert_legend, assert_no_problems, check_bars, check_grid_below,
                                 check_layout, check_limits, check_shared_y, check_spines,
                                 check_ticks)
from grader.data import load_students

SUBJECTS = {"math score": "math", "reading score": "reading", "writing score": "writing"}

# ---------------------------------------------------------------- inputs from course/data
def _math_by_gender():
    """Mean math score, index race/ethnicity (group A..E), columns female, male."""
    df = load_students()
    return df.pivot_table(index="race/ethnicity", columns="gender", values="math score",
                          aggfunc="mean").round(1)


def _subjects_by_group():
    """Mean score per subject: index race/ethnicity, columns math, reading, writing."""
    df = load_students()
    return df.groupby("race/ethnicity")[list(SUBJECTS)].mean().round(1).rename(columns=SUBJECTS)


def _lunch_by_group():
    """Head counts: index race/ethnicity, columns the lunch types."""
    df = load_students()
    table = df.groupby(["race/ethnicity", "lunch"]).size().unstack(fill_value=0)
    return table.iloc[[2, 0, 4, 1, 3]]  # an index order that is not sorted


def _math_by_education():
    """Mean math score per parental level of education, in an order neither ascending nor
    descending (not rounded, so that no two are tied and the sorted order is unique)."""
    df = load_students()
    means = df.groupby("parental level of education")["math score"].mean()
    order = np.argsort(means.to_numpy(), kind="stable")
    n = len(order)
    return means.iloc[[order[1], order[-1], order[0], order[-2]] + list(order[2:n - 2])]


# The call of each exercise's image test (scripts/plot_calibration.py measures the fixtures on
# these); default tolerance, text masked: docs/plot-checks.md "Calibration".
IMAGE_CALLS = {
    "multiple_bar": lambda: call(_math_by_gender()),
    "stacked_bar": lambda: call(_subjects_by_group()),
    "percentage_stacked_barh": lambda: call(_lunch_by_group()),
    "overlapped_bar": lambda: call(_math_by_gender()),
    "grouped_bar": lambda: call(_subjects_by_group(), width=0.2),
    "sorted_clean_bar": lambda: call(_math_by_education()),
}
# Free properties an exercise fixes after all (grader.figure.normalise.FREE; read by the
# calibration too): grouped_bar names its bar width.
IMAGE_FIXED = {"grouped_bar": ("bar_width",)}


# ---------------------------------------------------------------- helpers
def _fail(message, mistake=None):
    """fail, naming the mistake (only when the test recognised it)."""
    need(message, mistake=mistake)


def _rects(container):
    return sorted(container["rects"], key=lambda r: r["center"])


def _close(a, b, tol=1e-6):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=tol))


def _category_rects(ax, axis):
    """[(category, rect)] of every bar, from any bar call; the category is the tick label at it."""
    labels = dict(zip(np.round(ax[axis]["ticks"], 6), ax[axis]["ticklabels"]))
    return [(labels.get(round(r["center"], 6)), r) for c in ax["bars"] for r in c["rects"]]


def _top_to_bottom(ax):
    """The y tick labels as seen from the top of the plot down."""
    pairs = sorted(zip(ax["y"]["ticks"], ax["y"]["ticklabels"]), reverse=not ax["y"]["inverted"])
    return [label for _, label in pairs]


# ---------------------------------------------------------------- multiple_bar
@pytest.mark.exercise("multiple_bar", weight=2)
def test_multiple_bar_one_subplot_per_column(captures):
    table, what = _math_by_gender(), "multiple_bar(table)"
    got, exp = captures("multiple_bar", table)
    assert_no_problems(got, what=what)
    need(check_layout(got["figure"], exp["figure"], what=what),
         f"one subplot per column, side by side: 1 row x {table.shape[1]} columns")
    for g, e, column in zip(left_to_right(got["figure"]), left_to_right(exp["figure"]),
                            table.columns):
        if titles(g) != [column]:
            fail(f"{what}: subplot {column!r}: title expected {column!r}, "
                 f"got {titles(g) or 'none'}")
        need(check_bars(g, e, what=f"{what}, subplot {column!r}", width=False, labels=False))


@pytest.mark.exercise("multiple_bar", weight=1)
def test_multiple_bar_shares_y(captures):
    table, what = _math_by_gender(), "multiple_bar(table)"
    got, exp = captures("multiple_bar", table)
    unshared = not got["figure"]["shared_y"]
    need(check_shared_y(got["figure"], exp["figure"], what=what),
         mistake="sharey missing: each subplot has its own y scale" if unshared else None)


@pytest.mark.exercise("multiple_bar", weight=1)
def test_multiple_bar_image(captures):
    captures.image("multiple_bar", IMAGE_CALLS["multiple_bar"]())


# ---------------------------------------------------------------- stacked_bar
def _stacking_mistake(ax, table):
    """Name a stacking mistake seen in the student's bars, or None."""
    bars = {c["label"]: _rects(c) for c in ax["bars"]}
    bases = [r["base"] for c in ax["bars"] for r in c["rects"]]  # every bar, from any call
    if bases and _close(bases, np.zeros(len(bases))):
        return "stacked without bottom=: every column starts at 0 and hides the ones drawn before"
    reverse_bottoms = table[table.columns[::-1]].cumsum(axis=1) - table[table.columns[::-1]]
    if all(c in bars and _close([r["base"] for r in bars[c]], reverse_bottoms[c])
           for c in table.columns):
        return "columns stacked in reverse: the first column belongs at the bottom of the stack"
    return None


@pytest.mark.exercise("stacked_bar", weight=3)
def test_stacked_bar_columns_in_order_with_bottom(captures):
    table, what = _subjects_by_group(), "stacked_bar(table)"
    got, exp = captures("stacked_bar", table)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    message = check_bars(g, e, what=what, ordered=False, width=False, labels=False)
    need(message, mistake=message and _stacking_mistake(g, table))


@pytest.mark.exercise("stacked_bar", weight=1)
def test_stacked_bar_legend(captures):
    table, what = _subjects_by_group(), "stacked_bar(table)"
    got, exp = captures("stacked_bar", table)
    assert_legend(one_axes(got, what), one_axes(exp, what), what=what, ordered=False)


@pytest.mark.exercise("stacked_bar", weight=1)
def test_stacked_bar_image(captures):
    captures.image("stacked_bar", IMAGE_CALLS["stacked_bar"]())


# ---------------------------------------------------------------- percentage_stacked_barh
@pytest.mark.exercise("percentage_stacked_barh", weight=2)
def test_percentage_barh_shares_stacked_with_left(captures):
    table, what = _lunch_by_group(), "percentage_stacked_barh(table)"
    got, exp = captures("percentage_stacked_barh", table)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    if any(c["orientation"] != "horizontal" for c in g["bars"]) or not g["bars"]:
        fail(f"{what}: expected horizontal bars (barh), "
             f"got {[c['orientation'] for c in g['bars']] or 'no bars'}")
    # the bars as drawn, matched by the category under them (the order of categories is the
    # next test's); any split into barh() calls
    message = check_bars(g, e, what=what, by="category", width=False, ordered=False)
    if message:
        totals, lefts = {}, []
        for category, rect in _category_rects(g, "y"):
            totals[category] = totals.get(category, 0.0) + rect["value"]
            lefts.append(rect["base"])
        mistake = None
        if not _close(list(totals.values()), np.ones(len(totals))):
            mistake = ("percentages not normalised: divide each category's values by its total so "
                       "that each bar ends at 1")
        elif _close(lefts, np.zeros(len(lefts))):
            mistake = "stacked without left=: every series starts at 0"
        need(message, mistake=mistake)
    assert_legend(g, e, what=what, ordered=False)


@pytest.mark.exercise("percentage_stacked_barh", weight=1)
def test_percentage_barh_first_category_on_top(captures):
    table, what = _lunch_by_group(), "percentage_stacked_barh(table)"
    got, exp = captures("percentage_stacked_barh", table)
    order, want = _top_to_bottom(one_axes(got, what)), _top_to_bottom(one_axes(exp, what))
    if order != want:
        reversed_ = sorted(order) == sorted(want) and order == want[::-1]
        _fail(f"{what}: categories from top to bottom expected {want}, got {order}",
              "categories in the wrong order: reverse the index so the first category is the "
              "top bar" if reversed_ else None)


@pytest.mark.exercise("percentage_stacked_barh", weight=1)
def test_percentage_barh_image(captures):
    captures.image("percentage_stacked_barh", IMAGE_CALLS["percentage_stacked_barh"]())


# ---------------------------------------------------------------- overlapped_bar
@pytest.mark.exercise("overlapped_bar", weight=2)
def test_overlapped_bar_same_positions_with_alpha(captures):
    table, what = _math_by_gender(), "overlapped_bar(table, alpha=0.3)"
    got, exp = captures("overlapped_bar", table, alpha=0.3)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_bars(g, e, what=what, ordered=False, width=False, labels=False),
         "every column at the same x positions, one bar series per column")
    alphas = sorted({round(r["facecolor"][3], 3) for c in g["bars"] for r in c["rects"]
                     if r["facecolor"]})
    if alphas != [0.3]:
        _fail(f"{what}: bar opacity expected 0.3, got {alphas or 'no fill'}",
              "alpha ignored: pass alpha=alpha" if alphas == [1.0] else None)
    assert_legend(g, e, what=what, ordered=False)


@pytest.mark.exercise("overlapped_bar", weight=1)
def test_overlapped_bar_image(captures):
    captures.image("overlapped_bar", IMAGE_CALLS["overlapped_bar"]())


# ---------------------------------------------------------------- grouped_bar
def _grouping_mistake(ax, table, width):
    """Name a grouped-bar mistake seen in the student's bars, or None."""
    bars = {c["label"]: _rects(c) for c in ax["bars"]}
    thickness = {round(r["thickness"], 6) for rs in bars.values() for r in rs}
    if thickness == {0.8} and width != 0.8:
        return f"default bar width 0.8 used: pass width={width} to bar"
    x = np.arange(len(table))
    if all(c in bars and _close([r["center"] for r in bars[c]], x + i * width)
           for i, c in enumerate(table.columns)):
        return ("bars offset by i * width: the group is not centred on x; "
                "use (-n + 1 + 2i) * width / 2")
    return None


def _grouped(captures, what, table, **kwargs):
    got, exp = captures("grouped_bar", table, **kwargs)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    message = check_bars(g, e, what=what, ordered=False, width=True, labels=False)
    need(message, mistake=message and _grouping_mistake(g, table, kwargs.get("width", 0.12)))
    return g, e


@pytest.mark.exercise("grouped_bar", weight=2)
def test_grouped_bar_centred_offsets(captures):
    _grouped(captures, "grouped_bar(table, width=0.2)", _subjects_by_group(), width=0.2)


@pytest.mark.exercise("grouped_bar", weight=1)
def test_grouped_bar_default_width(captures):
    _grouped(captures, "grouped_bar(table)", _math_by_gender())


@pytest.mark.exercise("grouped_bar", weight=1)
def test_grouped_bar_ticks_and_legend(captures):
    table, what = _subjects_by_group(), "grouped_bar(table, width=0.2)"
    got, exp = captures("grouped_bar", table, width=0.2)
    g, e = one_axes(got, what), one_axes(exp, what)
    missing = not set(map(str, table.index)) <= set(g["x"]["ticklabels"])
    need(check_ticks(g, e, what=what, axis="x"), "x ticks at 0..n-1 labelled with the index",
         mistake="tick labels missing: label the ticks with the index, e.g. ax.set_xticks(x, "
                 "table.index)" if missing else None)
    assert_legend(g, e, what=what, ordered=False)


@pytest.mark.exercise("grouped_bar", weight=1)
def test_grouped_bar_image(captures):
    captures.image("grouped_bar", IMAGE_CALLS["grouped_bar"](), fixed=IMAGE_FIXED["grouped_bar"])


# ---------------------------------------------------------------- sorted_clean_bar
@pytest.mark.exercise("sorted_clean_bar", weight=2)
def test_sorted_clean_bar_descending_from_zero(captures):
    values, what = _math_by_education(), "sorted_clean_bar(values)"
    got, exp = captures("sorted_clean_bar", values)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    heights = [r["value"] for c in g["bars"] for r in _rects(c)]
    ascending = len(heights) > 1 and heights == sorted(heights)
    mistake = "sorted ascending: sort in descending order" if ascending else None
    need(check_bars(g, e, what=what, width=False, labels=False), mistake=mistake)
    need(check_ticks(g, e, what=what, axis="x"), mistake=mistake)
    need(check_limits(g, e, what=what, axis="y", bound="lower"))


@pytest.mark.exercise("sorted_clean_bar", weight=1)
def test_sorted_clean_bar_spines_hidden(captures):
    values, what = _math_by_education(), "sorted_clean_bar(values)"
    got, exp = captures("sorted_clean_bar", values)
    g, e = one_axes(got, what), one_axes(exp, what)
    left_on = any(g["spines"][side]["visible"] for side in ("top", "right"))
    need(check_spines(g, e, what=what),
         mistake="spines left on: hide the top and right spines" if left_on else None)


@pytest.mark.exercise("sorted_clean_bar", weight=1)
def test_sorted_clean_bar_grid_behind_bars(captures):
    values, what = _math_by_education(), "sorted_clean_bar(values)"
    got, exp = captures("sorted_clean_bar", values)
    g, e = one_axes(got, what), one_axes(exp, what)
    lowest_bar = min((r["zorder"] for c in g["bars"] for r in c["rects"]), default=np.inf)
    over = g["y"]["grid"] and g["y"]["zorder"] >= lowest_bar
    need(check_grid_below(g, e, what=what, axis="y"),
         mistake="grid drawn over the bars: ax.set_axisbelow(True)" if over else None)


@pytest.mark.exercise("sorted_clean_bar", weight=1)
def test_sorted_clean_bar_image(captures):
    captures.image("sorted_clean_bar", IMAGE_CALLS["sorted_clean_bar"]())
