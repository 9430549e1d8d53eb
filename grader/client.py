"""The judge's side of the worker: start it, send requests with deadlines, restart it after
a crash. `Session` adds what grading needs on top: per-topic imports, time budgets and the
exercise in flight. Student code never runs in this process.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

from grader import wire
from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.paths import course_root
from grader.spawner import UNKNOWN, SpawnError, spawner

STARTUP_TIMEOUT = 90.0  # seconds for a new worker to answer its first ping
IMPORT_TIMEOUT = 20.0  # seconds to import one student module
DEFAULT_MEMORY_MB = int(os.environ.get("GRADE_WORKER_MEMORY_MB", "2048"))
SIGNALS = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "being killed (SIGKILL; out of memory?)",
           signal.SIGABRT: "an abort", signal.SIGBUS: "a bus error", signal.SIGFPE: "a floating-point exception"}


def _death(code: int | None) -> str:
    if code is None or code == UNKNOWN:
        return "stopped answering"
    if code < 0:
        return f"crashed with {SIGNALS.get(-code, f'signal {-code}')}"
    return f"exited with code {code} (sys.exit or os._exit in student code?)"


class WorkerProcess:
    """One worker process for one submission folder."""

    def __init__(self, root: Path, forbidden: tuple[str, ...] = (), memory_mb: int = DEFAULT_MEMORY_MB,
                 hide: tuple[Path, ...] = (), only: tuple[str, ...] | None = None, require: bool = False):
        self.root, self.forbidden, self.memory_mb = Path(root), tuple(forbidden), memory_mb
        self.hide = tuple(str(Path(h).resolve()) for h in hide)
        self.only, self.require = (list(only) if only is not None else None), require
        self.pid: int | None = None
        self.home: str | None = None  # the worker's home on disk (only when it is not sandboxed)
        self.isolation: list[str] = []  # what the sandbox achieved, from the worker's first reply
        self.seq = 0

    def spawn(self) -> None:
        """Have the zygote fork a worker; it answers once the first request arrives."""
        if self.pid is not None:
            return
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        config = {"root": str(self.root.resolve()), "memory_mb": self.memory_mb, "forbidden": list(self.forbidden),
                  "hide": list(self.hide), "only": self.only, "require": self.require}
        try:
            self.pid = spawner().spawn(config, (req_r, rep_w))
        except SpawnError as exc:
            _close(req_w)
            _close(rep_r)
            raise StudentError(str(exc), "crash") from None
        finally:
            for fd in (req_r, rep_w):
                _close(fd)
        self.req_fd, self.reader, self.ready = req_w, wire.FrameReader(rep_r), False

    def _wait_ready(self) -> None:
        self.ready = True
        try:
            reply = self._roundtrip({"op": "ping"}, STARTUP_TIMEOUT, "starting the worker")
        except StudentError as exc:
            raise StudentError(f"the grader's worker could not start ({exc})", "crash") from None
        if not reply.get("ok"):
            raise StudentError(str(reply.get("message", "the grader's worker could not start")), "crash")
        self.isolation = [str(x) for x in reply.get("isolation") or []]
        if not reply.get("isolated"):
            self.home = next((x.removeprefix("home ") for x in self.isolation if x.startswith("home /")), None)

    @property
    def alive(self) -> bool:
        return self.pid is not None and spawner().status(self.pid) is None

    def request(self, msg: dict, timeout: float, what: str) -> dict:
        """Send one request and wait for its reply; StudentError if the worker hangs or dies."""
        if self.pid is None:
            self.spawn()
        if not self.ready:
            self._wait_ready()
        return self._roundtrip(msg, timeout, what)

    def _roundtrip(self, msg: dict, timeout: float, what: str) -> dict:
        self.seq += 1
        deadline = time.monotonic() + timeout
        try:
            wire.write_frame(self.req_fd, wire.encode({**msg, "id": self.seq}), deadline)
            reply = self.reader.read(deadline)  # the supervisor sends exactly one reply per request
            if reply.get("id") != self.seq:
                raise wire.ProtocolError("a reply out of order")
            if reply.get("fatal"):  # the supervisor gave up on this worker: start afresh next time
                self.kill()
            return reply
        except TimeoutError:
            self.kill()
            raise StudentError(f"{what} did not finish within {timeout:g} s (infinite loop, or too slow?)", "timeout") from None
        except wire.FrameTooLarge as exc:
            self.kill()  # the rest of the frame is never read: the pipe cannot be reused
            raise StudentError(f"{what} failed: {exc}", "too_large") from None
        except (EOFError, BrokenPipeError, OSError, wire.ProtocolError) as exc:
            code = self._reap()
            detail = f" ({exc})" if isinstance(exc, wire.ProtocolError) else ""
            raise StudentError(f"the worker {_death(code)} while running {what}{detail}", "crash") from None

    def _reap(self) -> int | None:
        """The exit code of a worker that died (its group is killed too)."""
        return self.kill()

    def kill(self) -> int | None:
        """Stop the worker (and anything it started), forget it; return its exit code."""
        pid, self.pid = self.pid, None
        if pid is None:
            return None
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        code = spawner().status(pid, wait=2.0)
        for fd in (self.req_fd, self.reader.fd):
            _close(fd)
        if self.home:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None
        return code


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


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
