"""Grade one submission folder in this process: run the chosen suites under the plugin.

Student code still runs only in the worker; this process runs the tests and decides.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from grader.errors import GradeError
from grader.manifest import load_course
from grader.paths import course_root
from grader.results import SubmissionResult, catastrophic

SUITES = ("hidden", "public")


class _Capture:
    """A pytest plugin object that keeps the grading state when the run ends."""

    state = None

    def pytest_unconfigure(self, config):
        from grader.harness.plugin import STATE

        self.state = config.stash.get(STATE, None)


@contextlib.contextmanager
def _no_plugin_autoload():
    """Grade with our plugin only: installed pytest plugins (randomisers, hypothesis, ...)
    must neither reorder nor slow down grading."""
    old = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = old


def suite_files(topics, suite: str) -> list[Path]:
    root = course_root() / "tests" / suite
    return [root / f"test_{t.name}.py" for t in topics if (root / f"test_{t.name}.py").is_file()]


def grade(submission: Path, topic_names=(), suite: str = "hidden", extra_args=(), hide=(),
          require_isolation: bool = False) -> SubmissionResult:
    """Run `suite` for the chosen topics (default: all) against the modules in `submission`;
    `hide`: folders the student's code must not see (other students', the batch output);
    `require_isolation`: fail rather than run student code without the sandbox."""
    import pytest

    submission = Path(submission)
    if not submission.is_dir():
        raise GradeError(f"submission folder {submission} does not exist")
    if suite not in SUITES:
        raise GradeError(f"unknown suite {suite!r}")
    course = load_course()
    topics = course.select(topic_names)
    files = suite_files(topics, suite)
    if not files:
        raise GradeError(f"no {suite} tests for topics: {', '.join(t.name for t in topics)}")
    args = ["-c", os.devnull, "--rootdir", str(course_root()), "-p", "grader.harness.plugin",
            "--import-mode=importlib", "-p", "no:cacheprovider", "-p", "no:terminal",
            "--submission", str(submission.resolve()), *[f"--hide={h}" for h in hide],
            *(["--require-isolation"] if require_isolation else []),
            *extra_args, *map(str, files)]
    capture = _Capture()
    start = time.monotonic()
    with _no_plugin_autoload():
        code = pytest.main(args, plugins=[capture])
    if capture.state is None or int(code) in (3, 4):
        return catastrophic(f"the grader could not run the {suite} tests (pytest exit code {int(code)})",
                            sum(t.points for t in topics))
    result = capture.state.result()
    result.execution_time = round(time.monotonic() - start, 3)
    return result
