"""The state of one grading run inside pytest: the sessions (one worker per submission
folder, and the reference's, kept for the process) and the outcomes and artifacts collected
so far, turned into a SubmissionResult at the end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grader.harness.scoring import Outcome, not_run, score
from grader.results import Artifact, SubmissionResult

STATE = pytest.StashKey["GradingState"]()
_REFERENCE_SESSIONS: dict[tuple, object] = {}  # (root, hide, course, topic) -> Session, for the process


def topic_of(path: Path) -> str:
    """test_<topic>.py -> <topic>."""
    return Path(path).stem.removeprefix("test_")


def task_of(item) -> tuple[str, str, float] | None:
    """(topic, exercise, weight) of a test marked `@pytest.mark.exercise(name, weight=1)`, else None."""
    mark = item.get_closest_marker("exercise")
    if mark is None:
        return None
    weight = float(mark.kwargs.get("weight", 1.0))
    return topic_of(item.path), str(mark.args[0]), weight


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
            task = task_of(item)
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
