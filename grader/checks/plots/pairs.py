"""What every hidden plot suite needs beside the checks: the student's and the reference's
capture of the same call, side by side, and a few small helpers.

    from grader.checks.plots.pairs import call, captures, need, one_axes  # captures: a fixture

    IMAGE_CALLS = {"stacked_bar": lambda: call(_subjects_by_group())}

    @pytest.mark.exercise("stacked_bar", weight=3)
    def test_stacked_bar_columns_in_order(captures):
        got, exp = captures("stacked_bar", table)          # (student's, reference's) capture
        g, e = one_axes(got, what), one_axes(exp, what)
        need(check_bars(g, e, what=what), "stacked without bottom=")

    @pytest.mark.exercise("stacked_bar", weight=1)
    def test_stacked_bar_image(captures):
        captures.image("stacked_bar", IMAGE_CALLS["stacked_bar"]())

`captures` is a pytest fixture: import it into the suite module and pytest finds it there.
`IMAGE_CALLS` (one call per exercise's image test) is read by scripts/plot_calibration.py too,
so the calibration measures exactly what the suite grades.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from grader.checks import fail
from grader.checks.plots._util import main_axes
from grader.checks.plots.images import assert_image_close
from grader.figure.normalise import FREE


@dataclass(frozen=True)
class Call:
    """The arguments of one call of a plotting function."""

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def call(*args, **kwargs) -> Call:
    """call(table, width=0.2): the arguments, kept for a later student.plot/reference.plot."""
    return Call(args, kwargs)


class PlotPairs:
    """The value of the `captures` fixture.

    `captures(name, *args, **kwargs)` -> (the student's capture, the reference's capture) of
    the same call (student.plot caches per run and input: the tests of one exercise share one
    rendering). `captures.image(name, call(...))` is the image check of that call."""

    def __init__(self, student, reference, artifacts=None):
        self.student, self.reference, self.artifacts = student, reference, artifacts

    def __call__(self, name: str, *args, **kwargs) -> tuple[dict, dict]:
        return _both(lambda: self.student.plot(name, *args, **kwargs),
                     lambda: self.reference.plot(name, *args, **kwargs))

    def normalised(self, name: str, the_call: Call = Call(), fixed=()) -> tuple[dict, dict]:
        """(student's, reference's) capture of the_call for the image check: every free
        property of grader.figure.normalise.FREE except those in `fixed` brought to its
        canonical form on both figures."""
        free = tuple(f for f in FREE if f not in set(fixed))
        return _both(lambda: self.student.plot_normalised(name, the_call.args, the_call.kwargs, free),
                     lambda: self.reference.plot_normalised(name, the_call.args, the_call.kwargs, free))

    def image(self, name: str, the_call: Call = Call(), *, mode: str = "ink",
              tolerance: float | None = None, mask_text: bool = True, fixed=()) -> None:
        """assert_image_close on the two normalised captures of the_call (default tolerance,
        text of both figures masked); the diff image is recorded as feedback, pass or fail.
        fixed: free properties the exercise fixes after all, e.g. ("bar_width",) where the
        catalog names the width (docs/plot-checks.md "What the image check normalises")."""
        unknown = set(fixed) - set(FREE)
        if unknown:
            raise ValueError(f"unknown fixed properties {sorted(unknown)}; known: {FREE}")
        got, exp = self.normalised(name, the_call, fixed)
        assert_image_close(got, exp, mode=mode, tolerance=tolerance, mask_text=mask_text,
                           artifacts=self.artifacts, name=name)


def _both(student, reference) -> tuple[dict, dict]:
    """(student(), reference()), the two renderings at once: they run in two workers, so the
    reference's (in a thread; the judge only waits on its pipe) takes no extra wall time. As
    before, the student's failure is raised first."""
    box: dict = {}

    def run_reference():
        try:
            box["value"] = reference()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=run_reference, daemon=True)
    thread.start()
    try:
        got = student()
    finally:
        thread.join()
    if "error" in box:
        raise box["error"]
    return got, box["value"]


@pytest.fixture
def captures(student, reference, artifacts) -> PlotPairs:
    """PlotPairs of this test's student and reference (see PlotPairs)."""
    return PlotPairs(student, reference, artifacts)


def need(message: str | None, hint: str | None = None, *, mistake: str | None = None) -> None:
    """Fail with a check's message (if any). hint: guidance added in parentheses (what to do;
    not a diagnosis). mistake: the misconception the test recognised in the student's figure
    (pass it only when recognised): named in the message and kept in the result's `mistake`."""
    if message:
        text = f"{message} ({hint})" if hint else message
        if mistake:
            text += f"\n  This is what you get with this mistake: {mistake}."
        fail(text, mistake=mistake)


def one_axes(capture: dict, what: str) -> dict:
    """The only main Axes of the captured figure; fails when there are none or several."""
    axes = main_axes(capture["figure"] or {"axes": []})
    if len(axes) != 1:
        fail(f"{what}: expected one Axes, got {len(axes)}")
    return axes[0]


def titles(ax: dict) -> list:
    """The Axes' non-empty title texts (left, center, right)."""
    return [t["text"] for t in ax["title"].values() if t["text"]]


def top_down(fig: dict) -> list:
    """Main axes from the top row down, left to right within a row."""
    return sorted(main_axes(fig), key=lambda ax: (-round(ax["position"][1], 6), ax["position"][0]))


def left_to_right(fig: dict) -> list:
    """Main axes from left to right (then top down)."""
    return sorted(main_axes(fig), key=lambda ax: (ax["position"][0], -round(ax["position"][1], 6)))


__all__ = ["Call", "PlotPairs", "call", "captures", "left_to_right", "need", "one_axes",
           "titles", "top_down"]
