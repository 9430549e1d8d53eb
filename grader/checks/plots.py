"""Judge-side plot checks over two figure descriptions (schema: docs/plot-checks.md).

Every `check_*` returns a short message (what differs: expected vs got) or None; its
`assert_*` twin calls pytest.fail(message, pytrace=False). A hidden test reads like the
catalog's list of properties:

    got, exp = student.plot("stacked_bar", t), reference.plot("stacked_bar", t)
    assert_no_problems(got, what=what)
    g, e = main_axes(got["figure"])[0], main_axes(exp["figure"])[0]
    assert_bars(g, e, what=what)
    assert_legend(g, e, what=what)

The suites' shared plumbing (the `captures` fixture pairing student.plot with reference.plot, the
image test of a call, `need`, `one_axes`, ...) is in grader.checks.plot_pairs.
"""

from __future__ import annotations

import pytest

from grader.checks._plot_artists import check_bars, check_lines, check_scatter
from grader.checks._plot_frame import (LOC_NAMES, cell, check_axes_count, check_colorbar,
                                       check_grid_below, check_labels, check_layout,
                                       check_legend, check_limits, check_no_problems,
                                       check_shared, check_shared_x, check_shared_y,
                                       check_spines, check_suptitle, check_ticks, check_titles,
                                       visual_labels)
from grader.checks._plot_marks import (check_annotations, check_images, check_reference_lines,
                                       check_spans, hline_values, spans, vline_values)
from grader.checks._plot_util import (axes_with_role, color_name, colorbar_axes, insets_of,
                                      main_axes, same_color, twin_of)


def _asserting(check):
    def assert_(*args, **kwargs) -> None:
        message = check(*args, **kwargs)
        if message:
            pytest.fail(message, pytrace=False)

    assert_.__name__ = check.__name__.replace("check_", "assert_", 1)
    assert_.__doc__ = f"pytest.fail with the message of {check.__name__}, if any."
    return assert_


assert_no_problems = _asserting(check_no_problems)
assert_axes_count = _asserting(check_axes_count)
assert_layout = _asserting(check_layout)
assert_shared = _asserting(check_shared)
assert_shared_x = _asserting(check_shared_x)
assert_shared_y = _asserting(check_shared_y)
assert_suptitle = _asserting(check_suptitle)
assert_titles = _asserting(check_titles)
assert_labels = _asserting(check_labels)
assert_limits = _asserting(check_limits)
assert_ticks = _asserting(check_ticks)
assert_spines = _asserting(check_spines)
assert_grid_below = _asserting(check_grid_below)
assert_legend = _asserting(check_legend)
assert_colorbar = _asserting(check_colorbar)
assert_bars = _asserting(check_bars)
assert_lines = _asserting(check_lines)
assert_scatter = _asserting(check_scatter)
assert_annotations = _asserting(check_annotations)
assert_reference_lines = _asserting(check_reference_lines)
assert_spans = _asserting(check_spans)
assert_images = _asserting(check_images)

__all__ = [name for name in dir() if name.startswith(("check_", "assert_"))] + [
    "LOC_NAMES", "axes_with_role", "cell", "color_name", "colorbar_axes", "hline_values",
    "insets_of", "main_axes", "same_color", "spans", "twin_of", "visual_labels", "vline_values",
]
