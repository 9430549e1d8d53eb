"""The text_color suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight; the image check
weighs 1). Every exercise has 2 points: titled_scatter over 5 units (groups 2, title 1,
legend 1, image 1), annotate_points, colormap_scatter, diverging_scatter and highlight_bars
over 4, discrete_cmap over 6 (four maps, the default map, the ValueError).
"""

from tests.grader.helpers import alternative_test, charged_test, mistake_test

TOPIC = "text_color"


def _share(units_passed, units, points=2):
    return points * units_passed / units


# fixture -> (the exercise it breaks, its score there, words the feedback must contain).
# Titles, legends, annotation texts and arrows are masked in the picture: only their tests fail.
MISTAKES = {
    "titled_title_centered.py": ("titled_scatter", _share(4, 5), ["title not left-aligned"]),
    "titled_title_not_bold.py": ("titled_scatter", _share(4, 5), ["title not bold"]),
    "titled_legend_untitled.py": ("titled_scatter", _share(4, 5), ["legend title wrong"]),
    "titled_legend_wrong_loc.py": ("titled_scatter", _share(4, 5), ["legend location wrong"]),
    "titled_no_legend.py": ("titled_scatter", _share(4, 5), ["legend missing"]),
    "annotate_no_bbox.py": ("annotate_points", _share(3, 4), ["without bbox"]),
    "annotate_square_box.py": ("annotate_points", _share(3, 4), ["'round'", "'square'"]),
    # ax.text has no target point, so the placement test fails with the box test
    "annotate_no_arrow.py": ("annotate_points", _share(1, 4), ["without arrow"]),
    "annotate_wrong_point.py": ("annotate_points", _share(2, 4), ["wrong point"]),
    # colours differ in both semantic tests; the rgb picture differs by 4.9 only (passes)
    "colormap_vmin_vmax_ignored.py": ("colormap_scatter", _share(1, 4), ["vmin/vmax ignored"]),
    "colormap_no_colorbar.py": ("colormap_scatter", _share(2, 4), ["colorbar missing"]),
    # only the call with cmap="plasma" shows it
    "colormap_cmap_ignored.py": ("colormap_scatter", _share(2, 4), ["cmap ignored"]),
    "diverging_plain_normalize.py": ("diverging_scatter", _share(1, 4),
                                     ["plain Normalize where TwoSlopeNorm is asked"]),
    "diverging_wrong_vcenter.py": ("diverging_scatter", _share(1, 4), ["wrong vcenter"]),
    "diverging_no_colorbar.py": ("diverging_scatter", _share(2, 4), ["colorbar missing"]),
    "highlight_inverted.py": ("highlight_bars", _share(0, 4), ["highlight colours inverted"]),
    # Set2 has 8 colours: resampling 8 of 8 gives the same ones; the ValueError test passes
    "discrete_resampled.py": ("discrete_cmap", _share(2, 6), ["resampled colormap"]),
    "discrete_no_valueerror.py": ("discrete_cmap", _share(5, 6), ["ValueError"]),
}

ALTERNATIVES = ["alt_pyplot_state.py", "alt_manual_colors.py", "alt_free_choices.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)

# Correct submissions whose free choices the current image check still charges (measured by
# scripts/plot_calibration.py text_color): they lose at most their image points, and must get
# full marks once the image check absorbs those choices (until then the test xfails).
CHARGED_BY_THE_IMAGE_CHECK = {
    "free_colorbar_below_pandas_bars.py": "a horizontal colorbar under the plot, pandas' bar "
                                          "width 0.5",
}


test_free_choice_loses_at_most_its_image_points = charged_test(TOPIC, CHARGED_BY_THE_IMAGE_CHECK)
