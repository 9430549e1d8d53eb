"""The judge's side of the worker: start it, send requests with deadlines, restart it after
a crash. `Session` adds what grading needs on top: per-topic imports, time budgets and the
exercise in flight. Student code never runs in this process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import wire
from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.paths import course_root

STARTUP_TIMEOUT = 90.0  # seconds for the worker to import torch and answer a ping
IMPORT_TIMEOUT = 30.0  # seconds to import one student module
DEFAULT_MEMORY_MB = int(os.environ.get("GRADE_WORKER_MEMORY_MB", "2048"))
PASS_ENV = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MPLCONFIGDIR", "TMPDIR")
SIGNALS = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "being killed (SIGKILL; out of memory?)",
           signal.SIGABRT: "an abort", signal.SIGBUS: "a bus error", signal.SIGFPE: "a floating-point exception"}


def _worker_env(home: str) -> dict:
    env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
    package_parent = str(Path(__file__).resolve().parents[1])
    env.update(HOME=home, PYTHONPATH=package_parent, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    env.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "dlviz-grader-mpl"))
    return env


def _death(code: int | None) -> str:
    if code is None:
        return "stopped answering"
    if code < 0:
        return f"crashed with {SIGNALS.get(-code, f'signal {-code}')}"
    return f"exited with code {code} (sys.exit or os._exit in student code?)"


class WorkerProcess:
    """One worker process for one submission folder."""

    def __init__(self, root: Path, forbidden: tuple[str, ...] = (), memory_mb: int = DEFAULT_MEMORY_MB,
                 hide: tuple[Path, ...] = ()):
        self.root, self.forbidden, self.memory_mb = Path(root), tuple(forbidden), memory_mb
        self.hide = tuple(str(Path(h).resolve()) for h in hide)
        self.proc: subprocess.Popen | None = None
        self.home: str | None = None
        self.seq = 0

    def spawn(self) -> None:
        """Start the process without waiting for it (it imports torch meanwhile)."""
        if self.proc is not None:
            return
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        self.home = tempfile.mkdtemp(prefix="grade-worker-")
        config = {"req_fd": req_r, "rep_fd": rep_w, "root": str(self.root.resolve()), "home": self.home,
                  "memory_mb": self.memory_mb, "forbidden": list(self.forbidden), "hide": list(self.hide)}
        cmd = [sys.executable, "-s", "-m", "grader.worker", json.dumps(config)]
        self.proc = subprocess.Popen(cmd, pass_fds=(req_r, rep_w), cwd=self.home, env=_worker_env(self.home),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        os.close(req_r)
        os.close(rep_w)
        self.req_fd, self.reader, self.ready = req_w, wire.FrameReader(rep_r), False
        os.set_blocking(self.proc.stderr.fileno(), False)

    def _wait_ready(self) -> None:
        self.ready = True
        try:
            self._roundtrip({"op": "ping"}, STARTUP_TIMEOUT, "starting the worker")
        except StudentError as exc:
            tail = getattr(self, "last_stderr", "").strip().splitlines()[-3:]
            raise StudentError(f"the grader's worker could not start ({exc}): {' | '.join(tail)}", "crash") from None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def request(self, msg: dict, timeout: float, what: str) -> dict:
        """Send one request and wait for its reply; StudentError if the worker hangs or dies."""
        if self.proc is None:
            self.spawn()
        if not self.ready:
            self._wait_ready()
        return self._roundtrip(msg, timeout, what)

    def _roundtrip(self, msg: dict, timeout: float, what: str) -> dict:
        self.seq += 1
        deadline = time.monotonic() + timeout
        try:
            wire.write_frame(self.req_fd, wire.encode({**msg, "id": self.seq}), deadline)
            while True:
                reply = self.reader.read(deadline)
                if reply.get("id") == self.seq:
                    return reply
        except TimeoutError:
            self.kill()
            raise StudentError(f"{what} did not finish within {timeout:g} s (infinite loop, or too slow?)", "timeout") from None
        except (EOFError, BrokenPipeError, OSError, wire.ProtocolError) as exc:
            code = self._reap()
            detail = f" ({exc})" if isinstance(exc, wire.ProtocolError) else ""
            raise StudentError(f"the worker {_death(code)} while running {what}{detail}", "crash") from None

    def stderr_tail(self) -> str:
        try:
            data = self.proc.stderr.read(4096) if self.proc and self.proc.stderr else b""
        except (OSError, ValueError):
            data = b""
        return (data or b"").decode(errors="replace")

    def _reap(self) -> int | None:
        proc = self.proc
        try:
            code = proc.wait(timeout=2) if proc else None
        except subprocess.TimeoutExpired:
            code = None
        self.last_stderr = self.stderr_tail()
        self.kill()
        return code

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for f in (proc.stderr,):
            if f:
                f.close()
        for fd in (self.req_fd, self.reader.fd):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.home:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None


class Session:
    """Grading one submission folder: one worker (restarted on crashes), imports, budgets."""

    def __init__(self, root: Path, course: Course, memory_mb: int = DEFAULT_MEMORY_MB, hide=()):
        self.root, self.course = Path(root), course
        forbidden = tuple(dict.fromkeys(f for t in course.topics for f in t.forbidden))
        hidden = (course_root() / "solutions", course_root() / "tests", *hide)
        self.worker = WorkerProcess(self.root, forbidden, memory_mb, hidden)
        self.generation = 0
        self.imports: dict[str, StudentError | None] = {}
        self.used: dict[str, float] = {}
        self.timeouts: dict[tuple[str, str], int] = {}

    def prestart(self) -> None:
        """Start the worker now so that its start-up overlaps the judge's."""
        self.worker.spawn()

    def close(self) -> None:
        self.worker.kill()

    def _send(self, msg: dict, timeout: float, what: str) -> dict:
        try:
            return self.worker.request(msg, timeout, what)
        except StudentError:
            if not self.worker.alive:
                self.generation += 1
                self.imports = {k: v for k, v in self.imports.items() if v is not None}
            raise

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
            raise StudentError(f"not run: the time budget of {topic.budget:g} s for {topic.name} is used up", "timeout")
        if self.timeouts.get((topic.name, exercise.name), 0) >= 2:
            raise StudentError(f"not run: {exercise.name} already timed out twice", "timeout")

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


def _error(reply: dict) -> StudentError:
    kind = str(reply.get("kind", "raised"))
    message = str(reply.get("message", "failed"))[:2000]
    types = tuple(str(t) for t in reply.get("exc_types", ()) or ())
    return StudentError(message, kind, types)
