"""The `grade` entry point: `grade submit` and `grade check` go to the user's warm judge (started
on first use), everything else, and anything the warm judge cannot take, runs here as before.

Standard library only until it falls back to grader.cli: a warm command costs one small
interpreter start, one fingerprint and a fork in the warm judge.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time

from grader.warm import place

WARM_COMMANDS = ("submit", "check")
START_TIMEOUT = 180.0  # seconds for a new warm judge to import everything and start its zygote
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
MAX_REPLY = 1 << 12


class Unavailable(Exception):
    """No warm judge took the run (it did not start, or refused): run cold."""


def wants_warm(argv: list[str], env=None) -> bool:
    """A command worth a warm judge: submit or check, not help, not a submit to a server."""
    env = os.environ if env is None else env
    if env.get("GRADE_WARM", "1").strip().lower() in ("0", "no", "off", "false"):
        return False
    words = [a for a in argv if not a.startswith("-")]
    if not words or words[0] not in WARM_COMMANDS:
        return False
    if any(a in ("-h", "--help", "--version") or a == "--server" or a.startswith("--server=") for a in argv):
        return False
    return words[0] != "submit" or not place.student_bundle(env)


def _connect(path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def _start(path, key: str) -> subprocess.Popen:
    """Start a warm judge for `key` in the background (its own session: no terminal signals)."""
    log = open(path.with_suffix(".log"), "ab")
    try:
        return subprocess.Popen([sys.executable, "-m", "grader.warm.daemon", str(path), key],
                                cwd=str(place.PACKAGE.parent), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=log, start_new_session=True)
    finally:
        log.close()


def connect(key: str) -> socket.socket:
    """A connection to the warm judge for `key`, started first if none runs."""
    path = place.socket_path(key)
    sock = _connect(path)
    if sock is not None:
        return sock
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one starter at a time; the others then connect
        sock = _connect(path)
        if sock is not None:
            return sock
        proc = _start(path, key)
        if sys.stderr.isatty():
            print("grade: starting the warm judge (once; later commands take about a second) ...",
                  file=sys.stderr, flush=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            sock = _connect(path)
            if sock is not None:
                return sock
            if proc.poll() is not None:
                raise Unavailable(f"the warm judge exited at start (see {path.with_suffix('.log')})")
            time.sleep(0.02)
    raise Unavailable("the warm judge did not start in time")


def _request(argv: list[str]) -> bytes:
    return json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ),
                       "umask": _umask()}).encode()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _forward(sock: socket.socket):
    """Signals to the client go to the run (Ctrl-C: the run stops as a cold one would)."""
    def handler(signum, frame):
        try:
            sock.send(json.dumps({"signal": signum}).encode())
        except OSError:
            pass

    for sig in FORWARDED:
        signal.signal(sig, handler)


def run_warm(argv: list[str]) -> int:
    """Run `grade ARGV` in the warm judge; its exit code. Unavailable if it never started."""
    try:
        sock = connect(place.fingerprint())
    except place.PlaceError as exc:
        raise Unavailable(str(exc)) from None
    with sock:
        sock.settimeout(START_TIMEOUT)
        try:
            socket.send_fds(sock, [_request(argv)], [0, 1, 2])
            started = json.loads(sock.recv(MAX_REPLY) or b"{}")
        except (OSError, ValueError) as exc:
            raise Unavailable(f"the warm judge did not answer ({exc})") from None
        if "pid" not in started:
            raise Unavailable(str(started.get("error", "the warm judge refused the run")))
        _forward(sock)
        sock.settimeout(None)
        return _wait_exit(sock)


def _wait_exit(sock: socket.socket) -> int:
    while True:
        try:
            data = sock.recv(MAX_REPLY)
        except InterruptedError:
            continue
        except OSError as exc:
            print(f"grade: the warm judge stopped ({exc}); run the command again", file=sys.stderr)
            return 1
        if not data:
            print("grade: the warm judge stopped before the run ended; run the command again "
                  "(GRADE_WARM=0 runs without it)", file=sys.stderr)
            return 1
        reply = json.loads(data)
        if "exit" in reply:
            return int(reply["exit"])


def main() -> None:
    argv = sys.argv[1:]
    if wants_warm(argv):
        try:
            sys.exit(run_warm(argv))
        except Unavailable:
            pass  # run cold: exactly what `grade` did before the warm judge existed
    from grader.cli import main as cold

    sys.exit(cold())


if __name__ == "__main__":
    main()
