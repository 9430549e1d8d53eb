"""Report hooks: each grading test's verdict (message, kind, mistake) becomes an Outcome;
a test module that cannot be collected costs its topic, with the reason."""

from __future__ import annotations

import pytest

from grader.errors import StudentError
from grader.harness.scoring import Outcome
from grader.harness.state import STATE, task_of, topic_of


# StudentError kinds -> TestResult kinds (see grader.results.TestResult)
_STUDENT_KINDS = {"raised": "raised", "import": "raised", "missing": "raised", "timeout": "timeout",
                  "crash": "crash", "protocol": "crash", "memory": "memory", "forbidden": "forbidden",
                  "budget": "budget", "shape": "wrong"}


def _verdict(excinfo) -> tuple[str, str, str]:
    """(message, kind, mistake) of a test that did not pass."""
    exc = excinfo.value
    if isinstance(exc, StudentError):
        return str(exc), _STUDENT_KINDS.get(exc.kind, "raised"), ""
    if isinstance(exc, pytest.fail.Exception):
        return str(exc.msg), "wrong", str(getattr(exc, "mistake", "") or "")
    if isinstance(exc, pytest.skip.Exception):
        return f"not run: {exc.msg}", "not run", ""
    if isinstance(exc, AssertionError):
        return str(exc).split("\nassert ")[0] or "an assertion failed", "wrong", ""
    return f"internal error in the grading test (please report it): {type(exc).__name__}: {exc}", "crash", ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    task = task_of(item)
    if task is None or call.when == "teardown" and report.passed:
        return
    if call.when == "call" or (report.failed or report.skipped):
        message, kind, mistake = _verdict(call.excinfo) if call.excinfo else ("", "passed", "")
        if call.excinfo and isinstance(call.excinfo.value, StudentError):
            report.longrepr = message
        passed = report.passed and call.when == "call"
        if not passed and kind == "passed":  # e.g. an xfail-style report without an exception
            kind = "wrong"
        state = item.config.stash[STATE]
        state.outcomes = [o for o in state.outcomes if o.name != item.name or o.topic != task[0]]
        state.outcomes.append(Outcome(item.name, task[0], task[1], task[2], passed, message, call.duration,
                                      kind, mistake))
        state.pending.discard((task[0], item.name))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    path = getattr(collector, "path", None)
    if report.failed and isinstance(collector, pytest.Module) and path is not None:
        lines = str(report.longrepr).strip().splitlines()
        reason = lines[-1] if lines else "collection failed"
        state = collector.config.stash[STATE]
        state.topic_errors[topic_of(path)] = f"the tests for this topic could not run: {reason}"
