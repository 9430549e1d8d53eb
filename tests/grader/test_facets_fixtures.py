"""The facets suite against known submissions: each mistake loses exactly the points it should
and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight, each
parametrized case counting its weight; the image check weighs 1). Every exercise has 2 points:
titled_grid over 12 units (row-major 2 x 2, one row or column 2 x 3, ticks 1, image 1),
gridspec_dashboard over 4, inset_zoom over 6 (bounds 2 x 2, line 1, image 1),
image_with_colorbar over 5 (image and colorbar 2, size and pad 1 x 2, image 1),
reference_lines over 4, styled_plot over 5 (two rc dicts 2 x 2, image 1).
"""

from tests.grader.helpers import alternative_test, charged_test, mistake_test

TOPIC = "facets"


def _share(units_passed, units, points=2):
    return points * units_passed / units


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # raises for 1 x 4, 3 x 1 and 1 x 1 only
    "grid_squeeze_left_on.py": ("titled_grid", _share(6, 12), ["squeeze left on"]),
    # with one row or one column both orders agree; titles are masked in the picture
    "grid_column_major.py": ("titled_grid", _share(8, 12), ["column-major"]),
    "grid_ticks_left_on.py": ("titled_grid", _share(10, 12), ["ticks left on"]),
    "dashboard_wrong_slices.py": ("gridspec_dashboard", _share(1, 4), ["GridSpec slices wrong"]),
    "dashboard_titles_numbered.py": ("gridspec_dashboard", _share(3, 4), ["titles wrong"]),
    "inset_in_figure_fraction.py": ("inset_zoom", _share(1, 6),
                                    ["inset at the wrong bounds", "not of the figure"]),
    "inset_without_line.py": ("inset_zoom", _share(4, 6), ["inset without the line"]),
    "colorbar_missing.py": ("image_with_colorbar", _share(0, 5), ["colorbar missing"]),
    "colorbar_in_main_axes.py": ("image_with_colorbar", _share(0, 5),
                                 ["colorbar drawn in the main Axes"]),
    # the defaults 7% and 2% come out right; the call with 12% and 6% does not
    "colorbar_size_pad_ignored.py": ("image_with_colorbar", _share(4, 5), ["size or pad ignored"]),
    "reference_spines_left_on.py": ("reference_lines", _share(2, 4), ["spines left on"]),
    # the line ends at the data, 5% short of each side: the picture passes (4.7)
    "reference_hline_over_data_only.py": ("reference_lines", _share(2, 4),
                                          ["stops at the data"]),
    "reference_axhspan.py": ("reference_lines", _share(1, 4), ["axhspan where axvspan"]),
    # the capture resets the leaked rcParams before rendering: the picture is the same
    "styled_rcparams_leaked.py": ("styled_plot", _share(1, 5), ["rcParams leaked"]),
    "styled_rc_ignored.py": ("styled_plot", _share(0, 5), ["rc not applied"]),
}

ALTERNATIVES = ["alt_pyplot_state.py", "alt_mosaic_toolkit.py", "alt_free_choices.py"]

# Correct submissions whose free choices the current image check still charges (measured by
# scripts/plot_calibration.py facets): they lose at most their image points, and must get full
# marks once the image check absorbs those choices (until then the test xfails).
CHARGED_BY_THE_IMAGE_CHECK = {
    "free_inset_aspect_widths.py": "the inset's own limits and ticks (20.9), imshow "
                                   "aspect='auto' (41.4), reference-line style and a span "
                                   "edge (14.4)",
}


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)


test_free_choice_loses_at_most_its_image_points = charged_test(TOPIC, CHARGED_BY_THE_IMAGE_CHECK)
