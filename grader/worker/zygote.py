"""The zygote: a process that has imported torch, numpy and matplotlib once and forks a fresh
worker for each submission (and after each crash) in milliseconds.

The judge talks to it over a SOCK_SEQPACKET socket (fd given in argv): {"op": "spawn",
"config": {...}} with the worker's two pipe ends attached (SCM_RIGHTS) -> {"pid": n};
{"op": "status", "pid": n, "wait": seconds} -> {"code": exit code, -signal, or None (running)},
with "unknown": true for a pid it never forked or already reported.
The zygote never runs student code; its children sandbox themselves before they do
(grader.worker.launch).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time

MAX_MESSAGE = 1 << 16


def _preload(plots: bool) -> None:
    import numpy  # noqa: F401
    import torch  # noqa: F401

    from grader.worker import sandbox

    sandbox.one_thread_torch()
    import torch._dynamo  # noqa: F401 - Optimizer.__init__ imports it on first use: once here, not per worker
    if plots:
        sandbox.preload_matplotlib()
        import pandas  # noqa: F401

    from grader import wire  # noqa: F401
    from grader.worker import (build_ops, grad_ops, guards, launch, module_ops, ops, plot_ops, rootfs,  # noqa: F401
                               seccomp, serve, supervisor)


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Be killed when the zygote exits (it exits when the judge does): no orphan keeps running
    a student's loop after its judge is gone."""
    import ctypes
    import signal

    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the zygote died before prctl took effect
        os._exit(1)


class Zygote:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.codes: dict[int, int] = {}
        self.children: set[int] = set()  # forked and not yet reported finished

    def reap(self) -> None:
        """Collect every finished child's exit status (no zombies)."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.codes[pid] = os.waitstatus_to_exitcode(status)

    def status(self, pid: int, wait: float) -> dict:
        """{"code": exit code} once pid has finished (reported once), {"code": None} while it
        runs, {"code": None, "unknown": True} for a pid this zygote never forked or already
        reported: never "alive" for a process that is not its running child."""
        deadline = time.monotonic() + wait
        while True:
            self.reap()
            if pid in self.codes:
                self.children.discard(pid)
                return {"code": self.codes.pop(pid)}
            if pid not in self.children:
                return {"code": None, "unknown": True}
            if time.monotonic() >= deadline:
                return {"code": None}
            time.sleep(0.01)

    def spawn(self, config: dict, fds: list[int]) -> int:
        zygote = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                self.sock.close()
                _die_with(zygote)
                os.setsid()
                from grader.worker.launch import launch

                code = launch(config, fds[0], fds[1])
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        self.children.add(pid)
        return pid

    def serve(self) -> int:
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self.sock, MAX_MESSAGE, 2)
            except OSError:
                return 0
            if not data:
                return 0
            msg = json.loads(data)
            if msg.get("op") == "spawn":
                reply = {"pid": self.spawn(msg["config"], fds)}
            else:
                reply = self.status(int(msg["pid"]), float(msg.get("wait", 0)))
            self.sock.send(json.dumps(reply).encode())


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[0]))
    _preload(plots=len(argv) < 2 or argv[1] == "plots")
    sock.send(b'{"ready": true}')
    return Zygote(sock).serve()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # no interpreter shutdown: tearing down torch and matplotlib takes seconds
