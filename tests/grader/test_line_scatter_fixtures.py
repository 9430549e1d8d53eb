"""The line_scatter suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight; the image check
weighs 1). Every exercise has 2 points: line_with_markers over 5 units (style 2, ticks 2,
image 1); moving_average, trend_plot, twin_axis, scatter_by_group and bubble_scatter over 4.
"""

from tests.grader.helpers import alternative_test, charged_test, mistake_test

TOPIC = "line_scatter"


def _share(units_passed, units, points=2):
    return points * units_passed / units


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # the style test fails; ticks and picture pass (a circle and a square differ by little ink)
    "line_markers_marker_ignored.py": ("line_with_markers", _share(3, 5), ["marker ignored"]),
    # both calls show the solid line, and so does the picture
    "line_markers_linestyle_ignored.py": ("line_with_markers", _share(0, 5), ["line style ignored"]),
    # the ticks test fails; the tick marks alone differ in the picture (3.0, labels masked)
    "line_markers_locator_ignored.py": ("line_with_markers", _share(3, 5),
                                        ["major_step ignored", "MultipleLocator"]),
    "moving_average_same_length.py": ("moving_average", _share(1, 4), ["wrong length", "same"]),
    "moving_average_last_window_missing.py": ("moving_average", _share(1, 4),
                                              ["wrong length", "last full window"]),
    "moving_average_window_not_checked.py": ("moving_average", _share(3, 4), ["ValueError"]),
    # the alignment test and the picture fail
    "trend_plot_aligned_to_start.py": ("trend_plot", _share(1, 4), ["aligned to the window's start"]),
    "trend_plot_raw_not_faded.py": ("trend_plot", _share(3, 4), ["raw line not faded"]),
    "trend_plot_average_under_raw.py": ("trend_plot", _share(3, 4), ["drawn under the raw line"]),
    "twin_axis_one_axis.py": ("twin_axis", _share(0, 4), ["both series on one axis"]),
    # the labels are text: the picture passes
    "twin_axis_labels_swapped.py": ("twin_axis", _share(3, 4), ["y labels swapped"]),
    # the series test and the picture (each line scaled to the other axis: 5.9) fail
    "twin_axis_series_swapped.py": ("twin_axis", _share(1, 4), ["y1 and y2 swapped"]),
    # colours follow the order, and the picture is colour-blind: only the order test fails
    "scatter_by_group_unsorted.py": ("scatter_by_group", _share(3, 4), ["groups not sorted"]),
    "scatter_by_group_no_legend.py": ("scatter_by_group", _share(3, 4), ["legend missing"]),
    "scatter_by_group_joined_by_lines.py": ("scatter_by_group", _share(1, 4),
                                            ["joined by lines"]),
    "bubble_sizes_ignored.py": ("bubble_scatter", _share(1, 4), ["sizes ignored"]),
    "bubble_markersize_is_s.py": ("bubble_scatter", _share(1, 4), ["sizes squared", "sqrt(s)"]),
    # the edges are black or not: colour, which the ink picture does not see
    "bubble_no_black_edge.py": ("bubble_scatter", _share(3, 4), ["edges not black"]),
}

ALTERNATIVES = ["alt_pyplot_state.py", "alt_explicit_ticks.py", "alt_free_choices.py"]

# Correct submissions whose free choices the current image check still charges (measured by
# scripts/plot_calibration.py line_scatter): they must get full marks once the image check
# absorbs those choices (until then the test xfails; it passes when they get full marks).
CHARGED_BY_THE_IMAGE_CHECK = {
    "free_split_calls.py": "one scatter per point moves the bubble edges by a pixel (10.8)",
    "free_widths_pandas_sizes.py": "line widths (29.6, 14.7), pandas' scatter size 20 (28.1), "
                                   "plot per point (10.8)",
}


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)


test_free_choice_loses_at_most_its_image_points = charged_test(TOPIC, CHARGED_BY_THE_IMAGE_CHECK)
