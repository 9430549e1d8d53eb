"""Judge-side plot checks over two figure descriptions (schema: docs/plot-checks.md).

Every `check_*` returns a short message (what differs: expected vs got) or None; its
`assert_*` twin calls pytest.fail(message, pytrace=False). A hidden test reads like the
catalog's list of properties:

    got, exp = captures("stacked_bar", t)            # grader.checks.plots.pairs
    assert_no_problems(got, what=what)
    g, e = main_axes(got["figure"])[0], main_axes(exp["figure"])[0]
    assert_bars(g, e, what=what)
    assert_legend(g, e, what=what)

The package, by concern:
    _frame, _artists, _marks   the checks (figure and axes frame; bars, lines, scatters;
                               annotations, reference lines, spans, images)
    points                     point sets however drawn (scatter or marker-only lines)
    _util                      selecting axes, tolerances, colour names, formatting
    _registry                  `@plot_check`: registers a check and makes its assert_* twin
    images                     the image check (PNG distance with text masked, diff image)
    pairs                      the suites' plumbing: the `captures` fixture, `call`, `need`, ...

Adding a check: write `check_x` in the module of its concern, decorated with `@plot_check`;
`check_x` and `assert_x` are then exported here (a new module: add it to the import below).
"""

from __future__ import annotations

from grader.checks.plots import _artists, _frame, _marks, points  # noqa: F401 (register checks)
from grader.checks.plots._frame import LOC_NAMES, cell, visual_labels
from grader.checks.plots._marks import hline_values, spans, vline_values
from grader.checks.plots._registry import ASSERTS, CHECKS
from grader.checks.plots._util import (axes_with_role, color_name, colorbar_axes, insets_of,
                                       main_axes, same_color, twin_of)

globals().update(CHECKS)
globals().update(ASSERTS)

__all__ = sorted(CHECKS) + sorted(ASSERTS) + [
    "LOC_NAMES", "axes_with_role", "cell", "color_name", "colorbar_axes", "hline_values",
    "insets_of", "main_axes", "same_color", "spans", "twin_of", "visual_labels", "vline_values",
]
