"""The bar_plots suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight; the image check
weighs 1): multiple_bar 2 points over 4 units, stacked_bar 3 over 5, percentage_stacked_barh 3
over 4, overlapped_bar 2 over 3, grouped_bar 3 over 5, sorted_clean_bar 3 over 5.
"""

from tests.grader.helpers import alternative_test, graded_once, mistake_test

TOPIC = "bar_plots"


def _share(points, units_passed, units):
    return points * units_passed / units


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # fails both position tests (4 of 5 units with the image: width 0.8 is far from 0.2)
    "grouped_bar_default_width.py": ("grouped_bar", _share(3, 1, 5), ["default bar width"]),
    # fails both position tests; ticks, legend and picture pass (bars and ticks shift together:
    # with the tick labels masked only the tick marks differ, ink RMS 3.6)
    "grouped_bar_offset_not_centred.py": ("grouped_bar", _share(3, 2, 5), ["not centred", "i * width"]),
    "grouped_bar_tick_labels_missing.py": ("grouped_bar", _share(3, 4, 5), ["tick labels missing"]),
    # the legend test only (the picture leaves the legend box out)
    "stacked_bar_no_legend.py": ("stacked_bar", _share(3, 4, 5), ["no legend"]),
    # fails the stacking test (3 units) and the picture (bars overlap from 0: ink RMS 8.6)
    "stacked_bar_without_bottom.py": ("stacked_bar", _share(3, 1, 5), ["without bottom="]),
    # fails the stacking test (3 units); legend and picture pass (same ink, colours free)
    "stacked_bar_columns_reversed.py": ("stacked_bar", _share(3, 2, 5), ["columns stacked in reverse"]),
    # fails the shares test (2 units) and the picture
    "percentage_not_normalised.py": ("percentage_stacked_barh", _share(3, 1, 4), ["not normalised"]),
    "percentage_barh_categories_wrong_order.py": ("percentage_stacked_barh", _share(3, 3, 4),
                                                  ["categories in the wrong order"]),
    # fails the sharing test and the picture (no shared scale)
    "multiple_bar_sharey_missing.py": ("multiple_bar", _share(2, 2, 4), ["sharey missing"]),
    # fails the semantic test (2 units); the picture is colour-blind
    "overlapped_bar_alpha_ignored.py": ("overlapped_bar", _share(2, 1, 3), ["alpha ignored"]),
    # fails the order test (2 units) and the picture
    "sorted_bar_ascending.py": ("sorted_clean_bar", _share(3, 2, 5), ["sorted ascending"]),
    "sorted_bar_spines_left_on.py": ("sorted_clean_bar", _share(3, 3, 5), ["spines left on"]),
    # fails the spines test and the picture (no left and bottom lines: ink RMS 15); the
    # message says which spine was hidden and names no "spines left on"
    "sorted_bar_all_spines_hidden.py": ("sorted_clean_bar", _share(3, 3, 5),
                                        ["the left spine should be visible, but it is hidden"]),
    # the grid over the bars shows no ink difference: only the grid test fails
    "sorted_bar_grid_over_bars.py": ("sorted_clean_bar", _share(3, 4, 5), ["grid drawn over the bars"]),
}

# alt_pandas: DataFrame.plot.bar/barh(stacked=True, ax=ax), Series.plot.bar(ax=ax), grouped via
# pandas' group width (bars 0.5 wide, rotated labels, index-name axis label, own limits);
# alt_bar_width: other widths wherever none is named; alt_one_call_per_bar: one bar() per bar
ALTERNATIVES = ["alt_pyplot_state.py", "alt_add_subplot.py", "alt_linspace_div.py", "alt_free_choices.py",
                "alt_pandas.py", "alt_bar_width.py", "alt_one_call_per_bar.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


def test_a_mistake_is_named_only_when_recognised():
    """All four spines hidden: the message says the left spine was hidden; it is not the
    "spines left on" mistake, so no mistake is named (field empty)."""
    res = graded_once(TOPIC, "sorted_bar_all_spines_hidden.py")
    failed = {t.name: t for t in res.result.exercise("sorted_clean_bar").failures}
    spines = failed["test_sorted_clean_bar_spines_hidden"]
    assert spines.kind == "wrong" and spines.mistake == "" and "spines left on" not in spines.message
    left_on = graded_once(TOPIC, "sorted_bar_spines_left_on.py").result.exercise("sorted_clean_bar")
    assert [t.mistake for t in left_on.failures if "spines" in t.name] == [
        "spines left on: hide the top and right spines"]


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
