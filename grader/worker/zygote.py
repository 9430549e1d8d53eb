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
import select
import signal
import socket
import sys
import time

from grader.worker.namespaces import die_with, reaped

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


class Zygote:
    """Forks workers for its connections: the first (the judge that started it) and any
    attached later (forks of a warm judge, grader.warm). Each connection sees only the
    workers it spawned; when one closes, its workers still running are killed; when the
    first closes, the zygote exits (and every worker with it)."""

    def __init__(self, sock: socket.socket):
        self.control = sock
        self.conns: dict[socket.socket, set[int]] = {sock: set()}  # forked, not yet reported
        self.codes: dict[int, int] = {}

    def reap(self) -> None:
        """Collect every finished child's exit status (no zombies)."""
        for pid, status in reaped():
            self.codes[pid] = os.waitstatus_to_exitcode(status)

    def status(self, children: set[int], pid: int, wait: float) -> dict:
        """{"code": exit code} once pid has finished (reported once), {"code": None} while it
        runs, {"code": None, "unknown": True} for a pid this connection never forked or already
        had reported: never "alive" for a process that is not its running child."""
        deadline = time.monotonic() + wait
        while True:
            self.reap()
            if pid not in children:
                return {"code": None, "unknown": True}
            if pid in self.codes:
                children.discard(pid)
                return {"code": self.codes.pop(pid)}
            if time.monotonic() >= deadline:
                return {"code": None}
            time.sleep(0.01)

    def spawn(self, config: dict, fds: list[int]) -> int:
        zygote = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                for conn in self.conns:
                    conn.close()
                if not die_with(zygote):  # the zygote died before prctl took effect
                    os._exit(1)
                os.setsid()
                from grader.worker.launch import launch

                code = launch(config, fds[0], fds[1])
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        return pid

    def handle(self, conn: socket.socket) -> bool:
        """Answer one message on conn; False once conn is closed."""
        try:
            data, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE, 2)
        except OSError:
            data, fds = b"", []
        if not data:
            for fd in fds:
                os.close(fd)
            return False
        msg, children = json.loads(data), self.conns[conn]
        if msg.get("op") == "spawn":
            pid = self.spawn(msg["config"], fds)
            children.add(pid)
            reply = {"pid": pid}
        elif msg.get("op") == "attach" and fds:
            self.conns[socket.socket(fileno=fds[0])] = set()
            reply = {"attached": True}
        else:
            reply = self.status(children, int(msg["pid"]), float(msg.get("wait", 0)))
        conn.send(json.dumps(reply).encode())
        return True

    def detach(self, conn: socket.socket) -> None:
        """A connection closed: kill the workers it left running."""
        for pid in self.conns.pop(conn):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        conn.close()
        self.reap()

    def serve(self) -> int:
        while True:
            ready, _, _ = select.select(list(self.conns), [], [])
            for conn in ready:
                if not self.handle(conn):
                    if conn is self.control:
                        return 0
                    self.detach(conn)


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[0]))
    _preload(plots=len(argv) < 2 or argv[1] == "plots")
    sock.send(b'{"ready": true}')
    return Zygote(sock).serve()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # no interpreter shutdown: tearing down torch and matplotlib takes seconds
