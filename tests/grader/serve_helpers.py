"""A real grading server process on 127.0.0.1 for the tests: started, waited for, killed."""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tokens(data: Path) -> dict[str, str]:
    with open(data / "tokens.csv", newline="", encoding="utf-8") as fh:
        return {r["student"]: r["token"] for r in csv.DictReader(fh)}


def init(tmp: Path, students) -> Path:
    roster = tmp / "roster.csv"
    roster.write_text("student\n" + "\n".join(students) + "\n")
    data = tmp / "data"
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "serve", "init", str(data), "--roster", str(roster)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return data


class Server:
    """`grade serve DATA --port P --jobs N` as a child process (in its own session)."""

    def __init__(self, data: Path, jobs: int = 1, rate: int = 100, wrap=(), extra=()):
        """wrap: a command to run the server under; extra: more `grade serve` options."""
        self.data, self.jobs, self.rate, self.wrap, self.extra = data, jobs, rate, list(wrap), list(extra)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, ready: float = 180.0) -> "Server":
        cmd = [*self.wrap, sys.executable, "-m", "grader.cli", "serve", str(self.data), "--port", str(self.port),
               "--jobs", str(self.jobs), "--rate", str(self.rate), *self.extra]
        self.log = open(self.data.parent / f"server-{self.port}-{time.monotonic_ns()}.out", "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + ready
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, Path(self.log.name).read_text()
            try:
                if httpx.get(f"{self.url}/docs", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError("the server did not start: " + Path(self.log.name).read_text())

    def kill(self, sig=signal.SIGKILL) -> None:
        """kill -9 the server process; then clean up whatever of its group is left."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)  # the server alone: its judges must follow by themselves
            self.proc.wait(60)
        time.sleep(0.5)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything of its group still alive
        except ProcessLookupError:
            pass

    def output(self) -> str:
        return Path(self.log.name).read_text()


def client(server: Server, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=60)


def upload(c: httpx.Client, files: dict[str, bytes], topics: str = "") -> httpx.Response:
    return c.post("/api/submissions", files=[("files", (n, d, "text/plain")) for n, d in files.items()],
                  data={"topics": topics})


def wait_done(c: httpx.Client, sid: str, limit: float = 600) -> dict:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        doc = c.get(f"/api/submissions/{sid}").json()
        if doc["status"] in ("done", "failed", "superseded"):
            return doc
        time.sleep(0.5)
    raise AssertionError(f"{sid} was not graded in {limit} s: {doc}")
