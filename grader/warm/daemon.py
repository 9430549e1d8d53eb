"""The warm judge: imports the judge's modules and starts a zygote once, then forks a fresh judge
for each `grade submit`/`grade check` handed to it (grader.warm.client).

    python -m grader.warm.daemon SOCKET_PATH KEY      (started by the client, not by hand)

It never runs student code (its forks grade through sandboxed workers, as a cold judge does),
holds no run's state (each run is a fork of the state right after start-up), and takes
connections only from its own uid. It exits after GRADE_WARM_IDLE seconds without a request.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

from grader.batch.procs import send_signal

MAX_REQUEST = 1 << 20
DEFAULT_IDLE = 900.0
STALE_CHECK = 5.0  # seconds between looks at whether the grader or the course changed


class Daemon:
    def __init__(self, path: Path, key: str, env: dict, listener: socket.socket, idle: float):
        self.path, self.key, self.env, self.listener, self.idle = path, key, env, listener, idle
        self.broken, self.checked = "", time.monotonic()
        self.inode = os.stat(path).st_ino
        self.runs: dict[socket.socket, int] = {}  # client connection -> the pid of its forked judge
        self.last = time.monotonic()
        self.wake_r, wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that SIGCHLD wakes select
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    def serve(self) -> int:
        """Take runs until idle for `idle` seconds, or (when no run is left) until this judge is
        stale: another took its path, the grader or course changed, or it cannot grade."""
        while self.runs or not (time.monotonic() - self.last >= self.idle or self._stale()):
            timeout = min(STALE_CHECK, max(0.05, self.idle - (time.monotonic() - self.last)))
            ready, _, _ = select.select([self.listener, self.wake_r, *self.runs], [], [], timeout)
            for r in ready:
                if r is self.listener:
                    self._accept()
                elif r == self.wake_r:
                    _drain(self.wake_r)
                else:
                    self._from_client(r)
            self._reap()
        self._unlink()
        return 0

    def _stale(self) -> bool:
        from grader.warm.place import fingerprint

        if self.broken or not self._still_ours():
            print(f"retiring: {self.broken or 'another warm judge took the socket'}", flush=True)
            return True
        if time.monotonic() - self.checked < STALE_CHECK:
            return False
        self.checked = time.monotonic()
        if fingerprint(self.env) != self.key:
            print("retiring: the grader or the course changed", flush=True)
            return True
        return False

    def _still_ours(self) -> bool:
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    def _unlink(self) -> None:
        if self._still_ours():
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def _accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.last = time.monotonic()
        uid = _peer_uid(conn)
        try:
            data, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST, 3)
            request = json.loads(data) if uid == os.getuid() and len(fds) == 3 else None
        except (OSError, ValueError):
            data, fds, request = b"", [], None
        if not isinstance(request, dict):
            _close_all(fds)
            _send(conn, {"error": "refused: not a request of this user's"})
            conn.close()
            return
        try:
            pid = self._fork(request, fds, conn)
        except Exception as exc:  # noqa: BLE001 - e.g. the zygote died: the client runs cold, we leave
            self.broken = f"{type(exc).__name__}: {exc}"
            _send(conn, {"error": f"the warm judge cannot grade ({self.broken})"})
            conn.close()
            return
        finally:
            _close_all(fds)
        self.runs[conn] = pid
        _send(conn, {"pid": pid})

    def _fork(self, request: dict, fds: list[int], conn: socket.socket) -> int:
        from grader.spawner import spawner

        zygote = spawner().connection()  # the fork's own: its workers die with it
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                for sock in (self.listener, conn, *self.runs):
                    sock.close()
                os.close(self.wake_r)
                from grader.warm.judge import run

                code = run(request, fds, zygote)
            except BaseException:  # noqa: BLE001 - the run's own stderr shows it
                traceback.print_exc()
            finally:
                os._exit(code)
        zygote.close()
        return pid

    def _from_client(self, conn: socket.socket) -> None:
        pid = self.runs[conn]
        try:
            data = conn.recv(1 << 12)
        except OSError:
            data = b""
        if not data:  # the client is gone: so is its run
            send_signal(pid, signal.SIGKILL)
            return
        try:
            sig = int(json.loads(data).get("signal", 0))
        except (ValueError, AttributeError):
            return
        if sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            send_signal(pid, sig)

    def _reap(self) -> None:
        for conn, run in list(self.runs.items()):
            try:
                pid, status = os.waitpid(run, os.WNOHANG)
            except ChildProcessError:
                pid, status = run, 1 << 8
            if pid == 0:
                continue
            code = os.waitstatus_to_exitcode(status)
            _send(conn, {"exit": code if code >= 0 else 128 - code})
            conn.close()
            del self.runs[conn]
            self.last = time.monotonic()


def _peer_uid(conn: socket.socket) -> int:
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _send(conn: socket.socket, msg: dict) -> None:
    try:
        conn.send(json.dumps(msg).encode())
    except OSError:
        pass


def _close_all(fds) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except (BlockingIOError, OSError):
        pass


def listen(path: Path) -> socket.socket:
    """Listen at path (replacing a stale socket file atomically: bound under a temporary name)."""
    tmp = path.with_name(f".{os.getpid()}.tmp")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.bind(str(tmp))
    os.chmod(tmp, 0o600)
    sock.listen(16)
    os.replace(tmp, path)
    return sock


def main(argv: list[str]) -> int:
    path, env = Path(argv[0]), dict(os.environ)  # the client's: its fingerprint is our key (imports add
    # variables, e.g. torch's TORCHINDUCTOR_CACHE_DIR)
    idle = float(os.environ.get("GRADE_WARM_IDLE", DEFAULT_IDLE))
    os.chdir("/")
    from grader.warm.preload import preload

    started = time.monotonic()
    preload()
    listener = listen(path)  # only now: a client never waits on a half-started judge
    print(f"warm judge {argv[1]} ready in {time.monotonic() - started:.2f} s (pid {os.getpid()})", flush=True)
    return Daemon(path, argv[1], env, listener, idle).serve()


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
    finally:
        from grader.spawner import spawner

        spawner().close()
    os._exit(code)
