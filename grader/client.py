"""Grading policy on top of one worker process (grader.worker_process.WorkerProcess):
`Session` imports each topic's module once, keeps per-topic time budgets and per-exercise
timeouts, and forgets what a crashed worker had imported (the next request starts a fresh
one). Student code never runs in this process.
"""

from __future__ import annotations

import time
from pathlib import Path

from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.paths import course_root
from grader.worker_process import DEFAULT_MEMORY_MB, WorkerProcess

__all__ = ["Session", "WorkerProcess"]  # WorkerProcess lives in grader.worker_process

IMPORT_TIMEOUT = 20.0  # seconds to import one student module


class Session:
    """Grading one submission folder: one worker (restarted on crashes), imports, budgets."""

    def __init__(self, root: Path, course: Course, memory_mb: int = DEFAULT_MEMORY_MB, hide=(),
                 only: tuple[str, ...] | None = None, require_isolation: bool = False):
        """`only`: the file names of `root` the worker gets (default: all); `require_isolation`:
        refuse to run student code where the sandbox cannot be set up."""
        self.root, self.course = Path(root), course
        forbidden = tuple(dict.fromkeys(f for t in course.topics for f in t.forbidden))
        hidden = (course_root() / "solutions", course_root() / "tests", course_root() / ".git", *hide)
        self.worker = WorkerProcess(self.root, forbidden, memory_mb, hidden, only, require_isolation)
        self.generation = 0
        self.imports: dict[str, StudentError | None] = {}
        self.used: dict[str, float] = {}
        self.timeouts: dict[tuple[str, str], int] = {}
        self.plot_cache: dict[tuple, object] = {}

    def reset_budget(self) -> None:
        """Forget the time used so far (a session reused for another submission's run)."""
        self.used.clear()
        self.timeouts.clear()

    def close(self) -> None:
        self.worker.kill()

    @property
    def isolation(self) -> list[str]:
        """What the sandbox of this session's last worker achieved (empty before it started)."""
        return list(self.worker.isolation)

    def _send(self, msg: dict, timeout: float, what: str) -> dict:
        try:
            reply = self.worker.request(msg, timeout, what)
        except StudentError:
            if not self.worker.alive:
                self._restarted()
            raise
        if reply.get("fatal"):
            self._restarted()
        return reply

    def _restarted(self) -> None:
        self.generation += 1
        self.imports = {k: v for k, v in self.imports.items() if v is not None}

    def _ensure_imported(self, topic: Topic) -> None:
        if topic.name not in self.imports:
            try:
                reply = self._send({"op": "import", "module": topic.name}, IMPORT_TIMEOUT, f"importing {topic.name}.py")
                self.imports[topic.name] = None if reply.get("ok") else _error(reply)
            except StudentError as exc:
                self.imports[topic.name] = exc
        err = self.imports[topic.name]
        if err is not None:
            raise StudentError(str(err), err.kind, err.exc_types)

    def _check_budget(self, topic: Topic, exercise: Exercise) -> None:
        if self.used.get(topic.name, 0.0) >= topic.budget:
            raise StudentError(f"not run: the time budget of {topic.budget:g} s for {topic.name} is used up", "budget")
        if self.timeouts.get((topic.name, exercise.name), 0) >= 2:
            raise StudentError(f"not run: {exercise.name} already timed out twice", "budget")

    def call(self, topic: Topic, exercise: Exercise, msg: dict, what: str):
        """Run one request for `exercise`; return the decoded value or raise StudentError."""
        self._check_budget(topic, exercise)
        self._ensure_imported(topic)
        msg = {**msg, "forbidden": list(exercise.forbidden), "label": what}
        start = time.monotonic()
        try:
            reply = self._send(msg, exercise.timeout, what)
        except StudentError as exc:
            if exc.kind == "timeout":
                key = (topic.name, exercise.name)
                self.timeouts[key] = self.timeouts.get(key, 0) + 1
            raise
        finally:
            self.used[topic.name] = self.used.get(topic.name, 0.0) + time.monotonic() - start
        if not reply.get("ok"):
            raise _error(reply)
        return reply.get("value")


OUTPUT_SHOWN = 600  # characters of a failed call's printed output quoted in its message


def _error(reply: dict) -> StudentError:
    """The StudentError for a failure reply; what the call printed is quoted (shortened)."""
    kind = str(reply.get("kind", "raised"))
    message = str(reply.get("message", "failed"))[:2000]
    output = str(reply.get("output") or "").strip()
    if output:
        shown = output if len(output) <= OUTPUT_SHOWN else output[:OUTPUT_SHOWN] + " ..."
        message += "\n  it printed: " + shown.replace("\n", "\n    ")
    types = tuple(str(t) for t in reply.get("exc_types", ()) or ())
    return StudentError(message, kind, types)
