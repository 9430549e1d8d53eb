"""The grading pytest plugin.

Loaded with `-p grader.harness.plugin` (pyproject's addopts does it for plain `pytest`).
Tests marked `@pytest.mark.exercise(name, weight=1)` in `test_<topic>.py` get fixtures:
`student` (the submission's module, through the worker), `reference` (solutions/ through a
worker of its own), `solution` (solutions/<topic>.py imported here: trusted) and `artifacts`.
`--submission DIR` picks the submission (default: solutions/).
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
import time
from pathlib import Path

import pytest

from grader.errors import StudentError
from grader.harness.scoring import Outcome, not_run, score
from grader.results import Artifact, SubmissionResult

STATE = pytest.StashKey["GradingState"]()
_REFERENCE_SESSIONS: dict[tuple, object] = {}  # (root, hide, course) -> Session, for the process


def pytest_addoption(parser):
    group = parser.getgroup("grade")
    group.addoption("--submission", default=None, help="folder with the student's modules (default: solutions/)")
    group.addoption("--hide", action="append", default=[], metavar="DIR",
                    help="a folder student code must not see (repeatable), e.g. other students' folders")
    group.addoption("--exercise", action="append", default=[], metavar="TOPIC.NAME",
                    help="run only this exercise's tests (repeatable)")
    group.addoption("--require-isolation", action="store_true", default=False,
                    help="refuse to run student code where the sandbox cannot be set up")


def pytest_configure(config):
    config.addinivalue_line("markers", "exercise(name, weight=1): the catalog exercise a grading test counts for")
    config.stash[STATE] = GradingState(config.getoption("--submission"), config.getoption("--hide"),
                                       config.getoption("--exercise"), config.getoption("--require-isolation"))


def pytest_unconfigure(config):
    state = config.stash.get(STATE, None)
    if state is not None:
        state.close()


class GradingState:
    """Sessions (one worker per submission folder) and the outcomes of one pytest run."""

    def __init__(self, submission: str | None, hide=(), exercises=(), require_isolation: bool = False):
        from grader.paths import solutions_dir

        self.solutions = solutions_dir()
        self.submission = Path(submission).resolve() if submission else self.solutions
        self.hide = tuple(Path(h) for h in hide)
        self.require_isolation = require_isolation
        self.closed_isolation: list[str] = []
        self.references_used: set[tuple] = set()
        self.sessions: dict[Path, object] = {}
        self.outcomes: list[Outcome] = []
        self.topic_errors: dict[str, str] = {}
        self.artifacts: list[Artifact] = []
        self.started = time.monotonic()
        self.only = set(exercises)  # task ids to run (empty: all)
        self.selected: set[str] = set()  # task ids the result must list, run or not
        self.pending: set[tuple[str, str]] = set()  # (topic, test) collected and not reported yet
        self.interrupted = False  # Ctrl-C (KeyboardInterrupt) stopped the run

    @property
    def course(self):
        from grader.manifest import load_course

        return load_course()

    def session(self, root: Path, topic=None):
        """The session for a folder: the submission's is this run's own; the reference's
        (solutions/, trusted and deterministic) is kept for the whole process, so that a judge
        grading many students renders each reference plot once. A reference worker is
        sandboxed like a student's and gets only its topic's solution file."""
        from grader.client import Session

        if root == self.solutions and root != self.submission:
            name = topic.name if topic is not None else None
            key = (root, self.hide, self.course, name)
            if key not in _REFERENCE_SESSIONS:
                only = (f"{name}.py",) if name else None
                _REFERENCE_SESSIONS[key] = Session(root, self.course, hide=self.hide, only=only,
                                                   require_isolation=self.require_isolation)
            if key not in self.references_used:  # first use in this run: a fresh time budget
                _REFERENCE_SESSIONS[key].reset_budget()
                self.references_used.add(key)
            return _REFERENCE_SESSIONS[key]
        if root not in self.sessions:
            self.sessions[root] = Session(root, self.course, hide=self.hide, require_isolation=self.require_isolation)
        return self.sessions[root]

    @property
    def isolation(self) -> list[str]:
        """What the sandbox of the submission's worker achieved (empty if it never started)."""
        session = self.sessions.get(self.submission)
        return session.isolation if session is not None else self.closed_isolation

    def close(self) -> None:
        self.closed_isolation = self.isolation
        for s in self.sessions.values():
            s.close()
        self.sessions.clear()

    def result(self) -> SubmissionResult:
        exercises = score(self.course, self.outcomes, self.topic_errors, self.selected)
        return SubmissionResult(
            score=round(sum(e.score for e in exercises), 4),
            max_score=round(sum(e.max_score for e in exercises), 4),
            exercises=exercises,
            execution_time=round(time.monotonic() - self.started, 3),
            artifacts=list(self.artifacts),
            status="incomplete" if self.pending or self.interrupted else "ok",
            error=self._incomplete_reason(),
            isolation=self.isolation,
        )

    def _incomplete_reason(self) -> str:
        if not (self.pending or self.interrupted):
            return ""
        names = sorted(f"{topic}: {name}" for topic, name in self.pending)
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        why = "grading was interrupted" if self.interrupted else "grading stopped early"
        return f"{why}: {len(names)} test(s) did not run ({shown})" if names else why

    def plan(self, items) -> list:
        """Keep the items of the selected exercises; each is "not run" until it reports. A
        hidden suite selects every exercise of its topic, tested or not (all are graded)."""
        kept = []
        for item in items:
            task = _task(item)
            if task is None:
                kept.append(item)
                continue
            task_id = f"{task[0]}.{task[1]}"
            if self.only and task_id not in self.only:
                continue
            kept.append(item)
            self.pending.add((task[0], item.name))
            self.outcomes.append(not_run(item.name, *task))
            if item.path.parent.name == "hidden" and not self.only:
                self.selected |= {f"{task[0]}.{e.name}" for e in self.course.topic(task[0]).exercises}
        self.selected |= self.only
        return kept


def _suite_topics(args) -> set[str] | None:
    """Topics whose grading suites this run will collect (None: it runs no suite)."""
    topics = set()
    for arg in args:
        path = Path(str(arg).split("::")[0]).resolve()
        files = [path] if path.is_file() else path.rglob("test_*.py") if path.is_dir() else []
        topics |= {topic_of(f) for f in files if f.parent.name in ("hidden", "public")}
    return topics or None


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """Start the zygote before collection, so that its start-up overlaps the judge's."""
    config = session.config
    topics = _suite_topics(config.args)
    if topics is None or config.option.collectonly:
        return
    from grader.spawner import spawner

    state = config.stash[STATE]
    kinds = {t.kind for t in state.course.topics if t.name in topics}
    spawner().start(plots="plot" in kinds)
    if kinds - {"plot"}:
        import torch

        # One thread: the worker needs the other core, and OpenMP threads spinning beside it
        # slow both down; one thread also keeps the oracles' reductions in a fixed order.
        torch.set_num_threads(1)
        # torch.optim (an oracle) imports torch._dynamo on first use, ~3 s: start it now, in
        # the background, while collection runs and the first test waits for the worker.
        threading.Thread(target=importlib.import_module, args=("torch._dynamo",), daemon=True).start()


def topic_of(path: Path) -> str:
    """test_<topic>.py -> <topic>."""
    return Path(path).stem.removeprefix("test_")


def _task(item) -> tuple[str, str, float] | None:
    mark = item.get_closest_marker("exercise")
    if mark is None:
        return None
    weight = float(mark.kwargs.get("weight", 1.0))
    return topic_of(item.path), str(mark.args[0]), weight


def _exercise_for(request):
    task = _task(request.node)
    if task is None:
        pytest.fail(f"{request.node.name} has no @pytest.mark.exercise(...) marker", pytrace=False)
    state = request.config.stash[STATE]
    topic = state.course.topic(task[0])
    return state, topic, topic.exercise(task[1])


@pytest.fixture
def student(request):
    """The submission's module for this test's topic, run in the worker."""
    from grader.student import Student

    state, topic, exercise = _exercise_for(request)
    return Student(state.session(state.submission), topic, exercise)


@pytest.fixture
def reference(request):
    """The reference solution's module, run in a worker exactly like the student's."""
    from grader.student import Student

    state, topic, exercise = _exercise_for(request)
    return Student(state.session(state.solutions, topic), topic, exercise)


@pytest.fixture
def solution(request):
    """solutions/<topic>.py imported in the judge (trusted code): an oracle."""
    state, topic, _ = _exercise_for(request)
    path = state.solutions / f"{topic.name}.py"
    spec = importlib.util.spec_from_file_location(f"_solution_{topic.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Artifacts:
    def __init__(self, state: GradingState, item):
        self.state, self.item = state, item

    def add(self, name: str, data: bytes, caption: str = "") -> None:
        """Keep a file (a PNG) for the feedback of this test."""
        task = _task(self.item) or (topic_of(self.item.path), "", 1.0)
        suffix = ".png" if data.startswith(b"\x89PNG") and not Path(name).suffix else ""
        filename = f"{task[0]}.{task[1]}.{self.item.name}.{name}{suffix}".replace("/", "_")
        self.state.artifacts.append(Artifact(filename, caption, self.item.name, task[0], task[1], data))


@pytest.fixture
def artifacts(request):
    """`artifacts.add(name, png_bytes, caption)`: images shown in the feedback."""
    return Artifacts(request.config.stash[STATE], request.node)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    state = config.stash[STATE]
    kept = state.plan(items)
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


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
    task = _task(item)
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
