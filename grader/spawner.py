"""The judge's handle on the zygote (grader.worker.zygote): one per judge process, started
once, asked to fork a fresh worker in milliseconds whenever one is needed."""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from grader.paths import package_parent

STARTUP_TIMEOUT = 120.0  # seconds for the zygote to import torch, numpy, matplotlib
PASS_ENV = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MPLCONFIGDIR")


UNKNOWN = -1000  # status() of a pid that is not (or no longer) a worker of this zygote


class SpawnError(Exception):
    """The zygote could not start or answer; the message includes its last words."""


def worker_env(home: str) -> dict:
    """A small, fixed environment: no secrets of the judge, one thread, Agg, fixed hash seed."""
    env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
    env.update(HOME=home, TMPDIR=home, PYTHONPATH=str(package_parent()),
               PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    env.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "dlviz-grader-mpl"))
    return env


class Spawner:
    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.ready = False
        self.plots = False
        self.lock = threading.RLock()  # the judge may ask from two threads (checks/plots/pairs._both)
        self.shared: socket.socket | None = None  # adopted connection to another judge's zygote

    def start(self, plots: bool = True) -> None:
        """Start the zygote without waiting for it; `plots` preloads matplotlib and pandas."""
        with self.lock:
            if self.shared is not None:  # a warm judge's fork: the zygote is its template's
                return
            if self.proc is not None and self.proc.poll() is None and (self.plots or not plots):
                return
            self.close()
            self.plots = plots
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            self.home = tempfile.mkdtemp(prefix="grade-zygote-")
            self.log = open(Path(self.home) / "zygote.log", "w+b")
            self.proc = subprocess.Popen([sys.executable, "-s", "-m", "grader.worker.zygote", str(theirs.fileno()),
                                          "plots" if plots else "numeric"],
                                         pass_fds=(theirs.fileno(),), cwd=self.home, env=worker_env(self.home),
                                         stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
            theirs.close()
            self.sock, self.ready = ours, False

    def connection(self) -> socket.socket:
        """A new connection to this (ready) zygote for another judge, e.g. a fork of this
        process (grader.warm): the workers it spawns are its own, killed when it closes."""
        with self.lock:
            self.start(self.plots if self.proc is not None else True)
            if not self.ready:
                self._wait_ready()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                self._ask({"op": "attach"}, [theirs.fileno()])
            finally:
                theirs.close()
            return ours

    def adopt(self, sock: socket.socket) -> None:
        """Use a connection made by `connection()` (in a fork) instead of a zygote of our own."""
        with self.lock:
            if self.sock is not None:
                self.sock.close()
            self.proc, self.sock, self.ready, self.shared, self.plots = None, sock, True, sock, True

    def _ask(self, msg: dict, fds=(), timeout: float = 30.0) -> dict:
        with self.lock:
            return self._ask_locked(msg, fds, timeout)

    def _ask_locked(self, msg: dict, fds, timeout: float) -> dict:
        if self.sock is None:
            raise SpawnError("the grader's zygote is not running")
        self.sock.settimeout(timeout)
        try:
            if fds:
                socket.send_fds(self.sock, [json.dumps(msg).encode()], list(fds))
            else:
                self.sock.send(json.dumps(msg).encode())
            data = self.sock.recv(1 << 16)
        except OSError as exc:
            raise SpawnError(f"the grader's zygote stopped answering ({exc}){self._last_words()}") from None
        if not data:
            raise SpawnError(f"the grader's zygote exited{self._last_words()}")
        return json.loads(data)

    def _last_words(self) -> str:
        try:
            self.log.seek(0)
            lines = self.log.read().decode(errors="replace").strip().splitlines()[-3:]
        except (OSError, ValueError, AttributeError):  # AttributeError: adopted, no log of ours
            lines = []
        return (": " + " | ".join(lines)) if lines else ""

    def _wait_ready(self) -> None:
        self.sock.settimeout(STARTUP_TIMEOUT)
        try:
            data = self.sock.recv(1 << 16)
        except OSError:
            data = b""
        if not data:
            raise SpawnError(f"the grader's zygote could not start{self._last_words()}")
        self.ready = True

    def spawn(self, config: dict, fds) -> int:
        """Fork a worker with this config and pipe ends; return its pid."""
        with self.lock:
            self.start(self.plots if self.proc is not None else True)
            if not self.ready:
                self._wait_ready()
            return int(self._ask({"op": "spawn", "config": config}, fds)["pid"])

    def status(self, pid: int, wait: float = 0.0) -> int | None:
        """A finished worker's exit code (negative: killed by that signal), None while it
        runs, UNKNOWN for a pid the zygote never forked or already reported, or when there is
        no zygote to ask (its workers die with it): never "running" for a process that is not."""
        if self.sock is None:
            return UNKNOWN
        try:
            reply = self._ask({"op": "status", "pid": pid, "wait": wait}, timeout=wait + 10)
        except SpawnError:
            return UNKNOWN
        return UNKNOWN if reply.get("unknown") else reply.get("code")

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = self.shared = None
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            self.log.close()


_SPAWNER: Spawner | None = None


def spawner() -> Spawner:
    """This process's spawner (started lazily, stopped at exit)."""
    global _SPAWNER
    if _SPAWNER is None:
        _SPAWNER = Spawner()
        atexit.register(_SPAWNER.close)
    return _SPAWNER
