"""Hidden tests for mpl_basics: the student's figure description against the reference's.

Each test captures the student's figure and the reference's from the same call, compares the
properties the catalog asks for, and names the known mistake when the description shows it.
Free choices (figure size, layout, colours not named, text positions, arrow style, title
location, sharex, x given explicitly as 0..n-1 or left implicit) are not compared; the image
checks leave every text out (legend, titles, suptitle, tick labels, annotation text and arrow)
and use the default tolerance.
"""

import re

import numpy as np
import pytest

from grader.checks import fail
from grader.checks.plots.pairs import call, captures, need, one_axes, titles, top_down  # noqa: F401
from grader.checks.plots import (assert_legend, assert_no_problems, check_layout, check_lines,
                                 check_suptitle, check_ticks, main_axes)
from grader.data import load_students

EDUCATION = ["some high school", "high school", "some college", "associate's degree",
             "bachelor's degree", "master's degree"]


# ---------------------------------------------------------------- inputs
def _series(lengths=(12, 20, 8)):
    """Three 1-D arrays (first students' math, reading, writing scores), of different lengths
    unless asked: the picture uses equal lengths, so that sharex (free) changes no x limits."""
    df = load_students()
    return [df[f"{subject} score"].to_numpy(float)[:n]
            for subject, n in zip(("math", "reading", "writing"), lengths)]


def _named_series():
    """{subject: mean score per parental education level} in a fixed order, and their colours."""
    df = load_students()
    subjects = ["writing score", "math score", "reading score"]
    means = df.groupby("parental level of education")[subjects].mean().reindex(EDUCATION).round(1)
    series = {column.split()[0]: means[column].to_numpy() for column in means.columns}
    colors = {"math": "crimson", "reading": "#4b0082", "writing": "seagreen"}  # not in series order
    return series, colors


def _education_means():
    """Mean math score per parental level of education, from "some high school" up."""
    means = load_students().groupby("parental level of education")["math score"].mean()
    return means.reindex(EDUCATION).round(1).to_numpy()


def _peaked():
    """A series with one maximum away from both ends (floats with one decimal)."""
    df = load_students()
    y = df["math score"].to_numpy(float)[:15].copy()
    y[9] = y.max() + 7.5
    return y


_LEVELS = ["some HS", "HS", "college", "assoc.", "BA", "MA"]
_SUPTITLE = "Math score by parental education"

# The call of each exercise's image test (scripts/plot_calibration.py measures the fixtures on
# these); default tolerance, text masked: docs/plot-checks.md "Calibration".
IMAGE_CALLS = {
    "stacked_subplots": lambda: call(_series(lengths=(15, 15, 15))),
    "colored_lines": lambda: call(*_named_series(), "Scores by education"),
    "custom_ticks": lambda: call(_education_means(), _LEVELS, _SUPTITLE),
    "annotate_max": lambda: call(_peaked()),
}


# ---------------------------------------------------------------- stacked_subplots
@pytest.mark.exercise("stacked_subplots", weight=2)
def test_stacked_subplots_one_column(captures):
    series, what = _series(), "stacked_subplots(series)"
    got, exp = captures("stacked_subplots", series)
    assert_no_problems(got, what=what)
    axes = main_axes(got["figure"])
    in_a_row = len(axes) > 1 and len({round(ax["position"][1], 6) for ax in axes}) == 1
    need(check_layout(got["figure"], exp["figure"], what=what), "len(series) rows, 1 column",
         mistake="subplots in a row instead of a column" if in_a_row else None)


@pytest.mark.exercise("stacked_subplots", weight=2)
def test_stacked_subplots_series_i_in_row_i(captures):
    series, what = _series(), "stacked_subplots(series)"
    got, exp = captures("stacked_subplots", series)
    g_axes, e_axes = top_down(got["figure"]), top_down(exp["figure"])
    if len(g_axes) != len(e_axes):
        fail(f"{what}: expected {len(e_axes)} Axes, got {len(g_axes)}")
    for row, (g, e) in enumerate(zip(g_axes, e_axes)):
        need(check_lines(g, e, what=f"{what}, row {row}", labels=False))


@pytest.mark.exercise("stacked_subplots", weight=1)
def test_stacked_subplots_image(captures):
    captures.image("stacked_subplots", IMAGE_CALLS["stacked_subplots"]())


# ---------------------------------------------------------------- colored_lines
@pytest.mark.exercise("colored_lines", weight=2)
def test_colored_lines_labels_and_colors_in_order(captures):
    (series, colors), what = _named_series(), "colored_lines(series, colors, title)"
    got, exp = captures("colored_lines", series, colors, "Scores by education")
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_lines(g, e, what=what, ordered=True, labels=True, colors=True),
         "one line per entry, in order, label = key, color = colors[key]")


@pytest.mark.exercise("colored_lines", weight=1)
def test_colored_lines_legend_and_title(captures):
    (series, colors), what = _named_series(), "colored_lines(series, colors, title)"
    got, exp = captures("colored_lines", series, colors, "Scores by education")
    g, e = one_axes(got, what), one_axes(exp, what)
    assert_legend(g, e, what=what, ordered=True)
    if titles(g) != ["Scores by education"]:
        mistake = "a figure suptitle was used where an Axes title was asked" \
            if got["figure"]["suptitle"] == "Scores by education" else None
        need(f"{what}: Axes title expected 'Scores by education', got {titles(g) or 'none'}",
             mistake=mistake)


@pytest.mark.exercise("colored_lines", weight=1)
def test_colored_lines_image(captures):
    captures.image("colored_lines", IMAGE_CALLS["colored_lines"]())


# ---------------------------------------------------------------- custom_ticks
@pytest.mark.exercise("custom_ticks", weight=2)
def test_custom_ticks_line_and_labelled_ticks(captures):
    what = "custom_ticks(values, labels, suptitle)"
    got, exp = captures("custom_ticks", _education_means(), _LEVELS, _SUPTITLE)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_lines(g, e, what=what, labels=False))
    need(check_ticks(g, e, what=what, axis="x"), "x ticks at 0..n-1 labelled with labels")


@pytest.mark.exercise("custom_ticks", weight=1)
def test_custom_ticks_suptitle(captures):
    what = "custom_ticks(values, labels, suptitle)"
    got, exp = captures("custom_ticks", _education_means(), _LEVELS, _SUPTITLE)
    on_axes = any(_SUPTITLE in titles(ax) for ax in main_axes(got["figure"]))
    need(check_suptitle(got["figure"], exp["figure"], what=what),
         mistake="ax.set_title used where a figure suptitle was asked" if on_axes else None)


@pytest.mark.exercise("custom_ticks", weight=1)
def test_custom_ticks_image(captures):
    captures.image("custom_ticks", IMAGE_CALLS["custom_ticks"]())


# ---------------------------------------------------------------- annotate_max
def _max_annotation(ax, what, top):
    """The annotation whose text reads "max: <value>" with value == top."""
    found = []
    for t in ax["texts"]:
        m = re.fullmatch(r"\s*max:\s*(\S+)\s*", t["text"], flags=re.IGNORECASE)
        if m:
            found.append(t["text"])
            try:
                if np.isclose(float(m.group(1)), top, rtol=1e-6):
                    return t
            except ValueError:
                pass
    texts = found or [t["text"] for t in ax["texts"]] or "none"
    fail(f"{what}: expected an annotation 'max: {top}', got {texts}")


@pytest.mark.exercise("annotate_max", weight=2)
def test_annotate_max_arrow_to_the_maximum(captures):
    y, what = _peaked(), "annotate_max(y)"
    got, exp = captures("annotate_max", y)
    assert_no_problems(got, what=what)
    g, e = one_axes(got, what), one_axes(exp, what)
    need(check_lines(g, e, what=what, labels=False))
    note = _max_annotation(g, what, float(y.max()))
    target = (float(np.argmax(y)), float(y.max()))
    if note["type"] != "Annotation" or note["xycoords"] != "data" \
            or not np.allclose(note["xy"], target):
        fail(f"{what}: the annotation must point at the maximum {target} in data coordinates, "
             f"got xy={note['xy']} ({note['xycoords']})")
    if not note["arrow"]:
        need(f"{what}: the annotation has no arrow", mistake="annotation without an arrow: "
             "pass arrowprops to annotate")


@pytest.mark.exercise("annotate_max", weight=1)
def test_annotate_max_image(captures):
    captures.image("annotate_max", IMAGE_CALLS["annotate_max"]())
