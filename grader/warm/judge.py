"""One run in a fork of the warm judge: become the client's command, then run it as `grade` would.

The fork takes the client's terminal (its stdin, stdout and stderr, passed as descriptors), its
working folder, environment and umask, and its own connection to the warm zygote; then it calls
the same Click command a cold `grade` calls, and exits with its exit code.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import sys
import tempfile


def _take_terminal(fds: list[int]) -> None:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=sys.stdin.encoding,
                                 errors=sys.stdin.errors)
    sys.stdout = _writer(1, sys.stdout)
    sys.stderr = _writer(2, sys.stderr)


def _writer(fd: int, old) -> io.TextIOWrapper:
    tty = os.isatty(fd)
    return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding=old.encoding, errors=old.errors,
                            line_buffering=tty, write_through=not tty and fd == 2)


def _become(request: dict) -> None:
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    os.chdir(request["cwd"])
    os.umask(int(request.get("umask", 0o022)))
    tempfile.tempdir = None  # $TMPDIR is the client's now
    sys.argv = ["grade", *request["argv"]]
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, forwarded by the client
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)


def _exit_code(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run(request: dict, fds: list[int], zygote: socket.socket) -> int:
    """Run the client's `grade ...` here; return its exit code."""
    from grader.spawner import spawner

    spawner().adopt(zygote)
    _take_terminal(fds)
    _become(request)
    from grader.cli import main

    try:
        main.main(args=list(request["argv"]), prog_name="grade")
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    except KeyboardInterrupt:  # between Click's own handlers: as a cold `grade` would end
        code = 130
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        spawner().close()
    return code
