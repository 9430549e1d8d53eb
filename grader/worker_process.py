"""The worker process seen from the judge: have the zygote fork it, send it requests with
deadlines, kill and reap it. What grading needs on top (imports, budgets) is grader.client.Session.
Student code never runs in this process.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

from grader import wire
from grader.errors import StudentError
from grader.spawner import UNKNOWN, SpawnError, spawner

STARTUP_TIMEOUT = 90.0  # seconds for a new worker to answer its first ping
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
        self.lock = threading.Lock()

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
        """Send one request and wait for its reply; StudentError if the worker hangs or dies.
        One request at a time: two threads (a plot test renders the student's and the
        reference's figure at once) may share a worker when the submission is solutions/."""
        with self.lock:
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
            code = self.kill()  # the worker died: reap it (and its group), keep its exit code
            detail = f" ({exc})" if isinstance(exc, wire.ProtocolError) else ""
            raise StudentError(f"the worker {_death(code)} while running {what}{detail}", "crash") from None

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
