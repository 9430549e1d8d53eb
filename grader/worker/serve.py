"""The worker's main loop: read a request frame, run it, write a reply frame; forever.

Forked by the supervisor (grader.worker.launch) as PID 1 of fresh namespaces, with a config
(root: the submission folder, only: the file names to copy from it, hide, memory_mb,
forbidden: dotted names, require: refuse to serve unsandboxed) and three pipe ends: requests
from the supervisor, replies to it, and the guard channel (grader.worker.channel). It builds
its file tree and gives up its ids, capabilities and system calls before any student code is
imported. The protocol uses its own pipes, never stdout:
a student's prints cannot forge a message. Python-level output of student code is captured
per call.
"""

from __future__ import annotations

import os
import resource
import select
import signal
import tempfile
from pathlib import Path

MAX_PROCESSES = 64  # processes and threads the worker (with everything it starts) may have


def _reply(worker, req: dict) -> dict:
    from grader.worker.loader import LoadError
    from grader.worker.ops import OPS, OpFailure

    op = OPS.get(req.get("op"))
    if op is None:
        return {"ok": False, "kind": "protocol", "message": f"unknown operation {req.get('op')!r}"}
    worker.last_output = ""
    try:
        value = op(worker, req)
    except (OpFailure, LoadError) as exc:
        return {"ok": False, **exc.reply}
    return {"ok": True, "value": value, "output": worker.last_output}


def _encode(worker, req: dict, reply: dict) -> bytes:
    from grader import wire

    strict = req.get("op") in ("fetch", "step")  # values the judge reads as data: never handles
    try:
        return wire.encode(reply, store_handle=None if strict else worker.store)
    except wire.FrameTooLarge as exc:
        what = req.get("label") or "the call"
        return wire.encode({"ok": False, "kind": "too_large", "message": f"{what} failed: {exc}", "id": reply.get("id")})
    except BaseException as exc:  # noqa: BLE001 - student objects may misbehave while encoded
        msg = f"the result could not be sent back as data: {type(exc).__name__}: {exc}"[:500]
        return wire.encode({"ok": False, "kind": "protocol", "message": msg, "id": reply.get("id")})


def _silence_fds() -> None:
    """Send output written below Python (C code, os.write) to /dev/null: it is never read,
    so it must not fill a pipe and block. Python-level output is captured per call."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def confine(owner: tuple[int, int] | None, isolated: bool) -> list[str]:
    """Give up root (as root: to `owner`), every capability and the dangerous system calls."""
    from grader.worker import namespaces as ns
    from grader.worker import seccomp

    done = []
    if isolated:  # the count is per uid: without a uid of its own it would count the judge's
        resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
        done.append(f"at most {MAX_PROCESSES} processes")
    if owner is not None:
        ns.drop_bounding()
        os.setgroups([])
        os.setresgid(owner[1], owner[1], owner[1])
        os.setresuid(owner[0], owner[0], owner[0])
        ns.prctl(ns.PR_SET_PDEATHSIG, signal.SIGKILL)  # a change of uid clears it: set it again
    if ns.drop_capabilities() and isolated:
        done.append("no capabilities")
    if ns.no_new_privs():
        done.append("no_new_privs")
    if seccomp.install():
        done.append("seccomp: no Unix sockets, mounts, new namespaces, ptrace, io_uring")
    return done


def _file_tree(config: dict, plan) -> tuple[bool, list[str], Path, str]:
    """Build the sandbox's file tree: (isolated, what holds, submission folder, home)."""
    from grader.paths import package_parent
    from grader.worker import rootfs

    root, holds = Path(config["root"]), list(plan.holds)
    if plan.mode != "none":
        try:
            hidden = [Path(h) for h in config.get("hide", [])]
            holds += rootfs.build(root, config.get("only"), package_parent(), plan.owner, hidden)
            return True, holds, Path(rootfs.HOME) / "submission", rootfs.HOME
        except (rootfs.SetupError, OSError) as exc:
            plan.reason = f"the sandbox's file tree could not be built ({exc})"
    return False, [f"NOT ISOLATED: {plan.reason}"], root, tempfile.mkdtemp(prefix="grade-worker-")


def _orphaned(req_fd: int) -> bool:
    """True when nobody holds the request pipe's other end any more."""
    poller = select.poll()
    poller.register(req_fd, select.POLLIN)
    return any(ev & (select.POLLHUP | select.POLLERR) for _, ev in poller.poll(0))


def serve(config: dict, req_fd: int, rep_fd: int, guard_fd: int, plan) -> int:
    """Sandbox this (freshly forked) process, then serve until the supervisor closes the pipe."""
    from grader import wire
    from grader.worker import channel, guards, ops, sandbox

    channel.open_channel(guard_fd)
    isolated, holds, root, home = _file_tree(config, plan)
    if not isolated and config.get("require"):
        channel.ready({"holds": holds, "isolated": False, "refuse": plan.reason})
        return 3
    sandbox.apply_limits(int(config["memory_mb"]))
    holds += confine(plan.owner if isolated else None, isolated)
    if _orphaned(req_fd):  # the supervisor died before PDEATHSIG was set again
        return 1
    os.chdir(home)
    os.environ.update(HOME=home, TMPDIR="/tmp" if isolated else home, USER="student", LOGNAME="student",
                      MPLCONFIGDIR=os.path.join(home, ".matplotlib"))
    _silence_fds()
    channel.ready({"holds": holds, "isolated": isolated, "home": None if isolated else home})
    guards.install(config.get("forbidden", []))
    worker = ops.Worker(root)
    reader = wire.FrameReader(req_fd)
    while True:
        try:
            req = reader.read(as_tensor=True)
        except EOFError:
            return 0
        reply = _reply(worker, req)
        channel.done(req.get("id"))
        wire.write_frame(rep_fd, _encode(worker, req, reply))
