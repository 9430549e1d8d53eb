"""A graded student's status in a batch (gradebook column, class report badge, feedback page).

"ok"; "time budget exceeded" (some tests were not run: kind "budget"); "incomplete" (grading
stopped early); "catastrophic" (the run failed); "timeout" (the wall-clock guard stopped the
judge); "no files" (nothing to grade); "not graded" (no record yet).
"""

from __future__ import annotations

from grader.results import SubmissionResult

OK = "ok"
BUDGET = "time budget exceeded"
INCOMPLETE = "incomplete"
CATASTROPHIC = "catastrophic"
TIMEOUT = "timeout"
NO_FILES = "no files"
NOT_GRADED = "not graded"

NOTHING_GRADED = (NO_FILES, CATASTROPHIC, TIMEOUT, INCOMPLETE)  # say nothing about misconceptions
_CSS = {OK: "good", BUDGET: "warn", INCOMPLETE: "warn"}


def css(status: str) -> str:
    """The badge class of a status on the HTML pages: good, warn or bad."""
    return _CSS.get(status, "bad")


def status_of(result: SubmissionResult) -> str:
    """"catastrophic", "incomplete" (grading stopped early), "time budget exceeded" (some
    tests were not run: kind "budget") or "ok"; read from the result's fields."""
    if result.status in (CATASTROPHIC, INCOMPLETE):
        return result.status
    if any(t.kind == "budget" for ex in result.exercises for t in ex.tests):
        return BUDGET
    return OK
