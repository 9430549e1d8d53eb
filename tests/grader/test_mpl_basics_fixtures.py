"""The mpl_basics suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight; the image check
weighs 1): stacked_subplots 2 points over 5 units, colored_lines 2 over 4, custom_ticks 2 over 4,
annotate_max 2 over 3.
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "mpl_basics"


def _share(points, units_passed, units):
    return points * units_passed / units


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # fails the layout test (2 units) and the picture; each row still holds its series
    "stacked_subplots_in_a_row.py": ("stacked_subplots", _share(2, 2, 5),
                                     ["subplots in a row instead of a column"]),
    # fails the suptitle test only: the picture leaves text out (only the title's place differs)
    "custom_ticks_title_not_suptitle.py": ("custom_ticks", _share(2, 3, 4),
                                           ["ax.set_title used where a figure suptitle was asked"]),
    # fails the annotation test (2 units); the picture passes (annotation text and arrow
    # are not compared: their place and style are free)
    "annotate_max_no_arrow.py": ("annotate_max", _share(2, 1, 3), ["annotation without an arrow"]),
    # the figure is right; the leak fails the first test (2 units) with the capture's message
    "colored_lines_rcparams_leak.py": ("colored_lines", _share(2, 2, 4),
                                       ["left global rcParams changed", "axes.unicode_minus"]),
}

# alt_sharex: stacked_subplots with sharex=True (free: hidden upper tick labels are masked, and
# the image test's series have equal lengths, so no x range changes)
# alt_pandas: the lines drawn with Series.plot(ax=ax)
ALTERNATIVES = ["alt_pyplot_state.py", "alt_add_subplot.py", "alt_linspace_div.py",
                "alt_free_choices.py", "alt_sharex.py", "alt_pandas.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
