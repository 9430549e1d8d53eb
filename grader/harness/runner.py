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
from grader.scan import scan_submission

SUITES = ("hidden", "public")


class _Capture:
    """A pytest plugin object that keeps the grading state when the run ends."""

    state = None
    interrupted = False

    def pytest_keyboard_interrupt(self, excinfo):
        self.interrupted = True

    def pytest_unconfigure(self, config):
        from grader.harness.state import STATE

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


def _task_filter(course, topics, tasks) -> list[str]:
    """--exercise options: none when only whole topics are named, else every named task id
    plus every exercise of the topics named whole."""
    if not tasks:
        return []
    whole = {t for t in topics}
    ids = [f"{t.name}.{e.name}" for t in course.topics if t.name in whole for e in t.exercises]
    return [f"--exercise={i}" for i in dict.fromkeys([*ids, *tasks])]


def _pytest_args(submission: Path, hide, require_isolation: bool) -> list[str]:
    """Our plugin, no ini file, no cache, no terminal output."""
    return ["-c", os.devnull, "--rootdir", str(course_root()), "-p", "grader.harness.plugin",
            "--import-mode=importlib", "-p", "no:cacheprovider", "-p", "no:terminal",
            # no:unraisableexception: its five gc.collect() at the end cost a second with torch loaded
            "-p", "no:unraisableexception",
            "--submission", str(submission.resolve()), *[f"--hide={h}" for h in hide],
            *(["--require-isolation"] if require_isolation else [])]


def grade(submission: Path, topic_names=(), suite: str = "hidden", extra_args=(), hide=(),
          require_isolation: bool = False, split: bool = False) -> SubmissionResult:
    """Run `suite` for the chosen topics or task ids ("convolution", "convolution.conv2d";
    default: all) against the modules in `submission`; `hide`: folders the student's code
    must not see (other students', the batch output); `require_isolation`: fail rather than
    run student code without the sandbox; `split`: several whole topics are graded in two
    forked judges at once (grader.harness.split). A run interrupted (Ctrl-C) returns a
    result with status "incomplete": every selected exercise listed, the tests that did not
    run with kind "not run"."""
    submission = Path(submission)
    if not submission.is_dir():
        raise GradeError(f"submission folder {submission} does not exist")
    if suite not in SUITES:
        raise GradeError(f"unknown suite {suite!r}")
    course = load_course()
    _, tasks = course.split_names(topic_names)
    topics = course.select(topic_names)
    if not suite_files(topics, suite):
        raise GradeError(f"no {suite} tests for topics: {', '.join(t.name for t in topics)}")

    def session(names) -> SubmissionResult:
        return _session(submission, course, names, suite, extra_args, hide, require_isolation)

    start = time.monotonic()
    if split and not tasks and not extra_args:
        from grader.harness.split import grade_split

        result = grade_split(session, [t for t in topics if suite_files([t], suite)])
        result.execution_time = round(time.monotonic() - start, 3)
    else:
        result = session(topic_names)
    result.suspicious = [str(f) for f in scan_submission(submission, [t.name for t in topics])]
    return result


def _session(submission: Path, course, topic_names, suite: str, extra_args, hide,
             require_isolation: bool) -> SubmissionResult:
    """One pytest session over the suites of the chosen topics or task ids."""
    import pytest

    named_topics, tasks = course.split_names(topic_names)
    topics = course.select(topic_names)
    args = [*_pytest_args(submission, hide, require_isolation), *_task_filter(course, named_topics, tasks),
            *extra_args, *map(str, suite_files(topics, suite))]
    capture = _Capture()
    start = time.monotonic()
    with _no_plugin_autoload():
        code = pytest.main(args, plugins=[capture])
    if capture.state is None or int(code) in (3, 4):
        return catastrophic(f"the grader could not run the {suite} tests (pytest exit code {int(code)})",
                            sum(t.points for t in topics))
    capture.state.interrupted = capture.interrupted  # exit code 2 alone may be collection errors
    result = capture.state.result()
    result.execution_time = round(time.monotonic() - start, 3)
    return result
