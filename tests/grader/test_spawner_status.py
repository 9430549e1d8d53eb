"""The zygote reports a pid it never forked, or one it already reported finished, as unknown:
never as a running worker."""

from __future__ import annotations

import os

from grader.worker_process import WorkerProcess
from grader.paths import solutions_dir
from grader.spawner import UNKNOWN, spawner


def test_status_of_unknown_and_reaped_pids_is_unknown():
    sp = spawner()
    sp.start(plots=False)
    worker = WorkerProcess(solutions_dir())
    worker.request({"op": "ping"}, 120.0, "starting")  # forks and waits until it answers
    pid = worker.pid
    assert sp.status(pid) is None  # running
    assert sp.status(os.getpid()) == UNKNOWN  # not a child of the zygote
    assert sp.status(2**22 + 12345) == UNKNOWN  # no such process
    code = worker.kill()  # SIGKILL, then the exit code is reported once
    assert code is not None and code != UNKNOWN
    assert sp.status(pid) == UNKNOWN  # already reported: not alive
    assert not worker.alive
