"""Starting one sandboxed worker, in two processes (forked from the zygote, no exec):

- the supervisor (the zygote's child; grader.worker.supervisor) creates the namespaces: as
  real root a new mount, PID, network, IPC and UTS namespace; as any other user the same
  inside a new user namespace that maps one uid (INNER_ID) onto the judge's. It forks the
  worker, relays the judge's requests, and exits with the worker's exit status (so the judge
  sees a segfault as one). It stays outside the worker's PID namespace: the worker cannot
  name it, signal it or open its /proc files.
- the worker (grader.worker.serve), PID 1 of the new PID namespace, builds its file tree
  (grader.worker.rootfs), gives up its ids, capabilities and system calls, then serves
  requests; student code runs only here. When it ends, the kernel ends every process left in
  its namespace, setsid or not.

Where the kernel refuses the namespaces the worker runs unconfined and says so in its first
reply; with `require` in the config it refuses to serve instead.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from grader.worker import namespaces as ns

INNER_ID = 1000  # the worker's uid and gid inside its user namespace (ordinary user)
UID_BASE = 1_000_000_000  # as root: the worker runs as UID_BASE + the launcher's pid
NAMESPACES = ns.CLONE_NEWNS | ns.CLONE_NEWPID | ns.CLONE_NEWNET | ns.CLONE_NEWIPC | ns.CLONE_NEWUTS


@dataclass
class Plan:
    """What the launcher achieved: mode "root", "userns" or "none"; the worker's ids (root)."""

    mode: str
    owner: tuple[int, int] | None = None
    holds: list[str] = field(default_factory=list)
    reason: str = ""


def enter_namespaces() -> Plan:
    """Create the worker's namespaces in this (single-threaded) process."""
    if os.geteuid() == 0 and ns.in_initial_user_namespace():
        if ns.unshare(NAMESPACES):
            uid = UID_BASE + os.getpid()
            return Plan("root", (uid, uid), ["own PID namespace", "no network", f"uid {uid} (not the judge's)"])
        why = f"unshare as root: {ns.errno_text()}"
    else:
        why = ""
    uid, gid = os.getuid(), os.getgid()
    if not ns.unshare(ns.CLONE_NEWUSER | NAMESPACES):
        return Plan("none", reason=why or f"the kernel refused user namespaces ({ns.errno_text()})")
    if not ns.write_id_maps(INNER_ID, uid, gid):
        return Plan("none", reason=f"the user namespace's id map could not be written ({ns.errno_text()})")
    return Plan("userns", None, ["own PID namespace", "no network",
                                 "own user namespace (one uid, mapped to the judge's outside)"])


def probe() -> str:
    """"" when this machine can sandbox workers, else the reason: the namespaces and the file
    tree are made for real, in throw-away child processes."""
    import shutil
    import tempfile

    empty = tempfile.mkdtemp(prefix="grade-probe-")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os._exit(_probe_child(w, Path(empty)))
    os.close(w)
    reason = b""
    while chunk := os.read(r, 1000):
        reason += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(empty, ignore_errors=True)
    if not reason and status != 0:
        return f"the sandbox test process failed (status {status})"
    return reason.decode(errors="replace")[:500]


def _probe_child(w: int, empty: Path) -> int:
    try:
        plan = enter_namespaces()
        if plan.mode == "none":
            os.write(w, plan.reason.encode())
            return 0
        pid = os.fork()
        if pid == 0:  # PID 1 of the new namespace, as a worker would be
            from grader.paths import package_parent
            from grader.worker import rootfs

            code = 0
            try:
                rootfs.build(empty, None, package_parent(), plan.owner)
            except (rootfs.SetupError, OSError) as exc:
                os.write(w, f"the sandbox's file tree could not be built ({exc})".encode())
            except BaseException:  # noqa: BLE001
                code = 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        return 0 if status == 0 else 1
    except BaseException:  # noqa: BLE001
        return 1


def _exit_like(status: int) -> int:
    """Exit as the worker did: by the same signal, or with the same code."""
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(-code, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [-code])
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def launch(config: dict, judge_in: int, judge_out: int) -> int:
    """The supervisor: namespaces, then the worker; relays until the end; returns the exit
    code to leave with (the worker's)."""
    from grader.worker.supervisor import Supervisor

    zygote = os.getppid()
    plan = enter_namespaces()
    if not ns.die_with(zygote):  # a new user namespace cleared it: set again
        return 1
    ns.prctl(ns.PR_SET_DUMPABLE, 0)  # no /proc/<pid>/fd, no ptrace, should the worker ever see it
    from_s, to_w = os.pipe()  # (read end, write end)
    from_w, to_s = os.pipe()
    guard_r, guard_w = os.pipe()
    supervisor = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            keep = {0, 1, 2, from_s, to_s, guard_w}
            for fd in _open_fds():
                if fd not in keep:
                    _close(fd)
            ns.die_with(supervisor)
            os.setsid()  # kill(0, ...) then reaches the worker's own group only
            from grader.worker.serve import serve

            code = serve(config, from_s, to_s, guard_w, plan)
        except BaseException:  # noqa: BLE001 - the judge reads the zygote's log
            traceback.print_exc()
        finally:
            os._exit(code)
    for fd in (from_s, to_s, guard_w):
        _close(fd)
    status = Supervisor(judge_in, judge_out, pid, to_w, from_w, guard_r).run()
    return 0 if status is None else _exit_like(status)


def _open_fds() -> list[int]:
    try:
        return [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return list(range(3, 256))


def _close(fd: int) -> None:
    if fd < 0:
        return
    try:
        os.close(fd)
    except OSError:
        pass


if __name__ == "__main__":  # pragma: no cover - `python -m grader.worker.launch`: can this machine sandbox?
    print(probe() or "ok: workers run in their own namespaces")
    sys.exit(0)
