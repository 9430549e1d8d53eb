"""A pool of long-lived judge processes, with a wall-clock guard per student.

Each judge grades one student at a time. A judge that dies while grading gives that student a
"crash" outcome; one that runs past the student's deadline is killed (with its workers) and
gives a "timeout" outcome; either way the judge is replaced and the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from grader.batch.judge import judge_main
from grader.batch.procs import descendants, kill_tree, process_parents
from grader.errors import GradeError

STARTUP_TIMEOUT = 180.0  # seconds for a judge to import pytest and torch
RECYCLE_AFTER = 100  # students per judge before it is replaced (bounds slow leaks)
MAX_START_FAILURES = 3
JUDGE_BYTES = 3 << 29  # 1.5 GiB: a judge, its zygote and two workers peak near 1.3 GiB


@dataclass
class Finished:
    """The outcome of one task: kind "ok" (result set), "crash" or "timeout" (message set)."""

    task: dict
    kind: str
    result: object = None
    message: str = ""
    seconds: float = 0.0
    files: str | None = None  # digest of the bytes the judge graded (grader.batch.state.files_digest)


CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2 CPU quota: "<quota> <period>" or "max <period>"


def available_cpus(cpu_max: Path = CPU_MAX) -> int:
    """CPUs this process may use: its affinity mask (taskset, cpusets), capped by the cgroup
    CPU quota rounded up (a container limited to 1.5 CPUs gets 2)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max" and int(period) > 0:
            cpus = min(cpus, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def default_jobs() -> int:
    """available_cpus(), but at most one judge per JUDGE_BYTES of available memory."""
    jobs = available_cpus()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                jobs = min(jobs, int(line.split()[1]) * 1024 // JUDGE_BYTES)
    except (OSError, ValueError, IndexError):
        pass
    return max(1, jobs)


class Judge:
    """The parent's handle on one judge process."""

    def __init__(self, ctx, slot: int, settings: dict):
        self.slot = slot
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=judge_main, args=(child, slot, settings), name=f"grade-judge-{slot}",
                                daemon=True)
        self.proc.start()
        child.close()
        self.ready, self.task, self.done = False, None, 0
        self.tree: list[int] = []  # processes last seen below the judge (killed with it)
        self.started = time.monotonic()
        self.deadline = self.started + STARTUP_TIMEOUT

    def assign(self, task: dict) -> None:
        self.conn.send(task)
        self.task, self.started = task, time.monotonic()
        self.deadline = self.started + task["guard"]

    def stop(self, orphans: bool = False) -> None:
        """Kill the judge and everything below it; with `orphans`, also what was last seen below
        it (a judge that died leaves its zygote and workers behind, reparented)."""
        if self.proc.pid:
            kill_tree(self.proc.pid, include_self=self.proc.is_alive(), known=self.tree if orphans else ())
        self.proc.join(5)
        self.conn.close()

    def retire(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(10)
        self.stop()


class Pool:
    """`run(tasks, on_done)`: grade every task with up to `jobs` judges; on_done(Finished)."""

    def __init__(self, jobs: int, settings_for, log_hint: str = ""):
        self.ctx = multiprocessing.get_context("spawn")
        self.jobs, self.settings_for, self.log_hint = jobs, settings_for, log_hint
        self.judges: list[Judge] = []
        self.start_failures = 0
        self.streaming = False

    def _start(self) -> None:
        used = {j.slot for j in self.judges}
        slot = min(s for s in range(self.jobs + 1) if s not in used)
        self.judges.append(Judge(self.ctx, slot, self.settings_for(slot)))

    def run(self, tasks: list[dict], on_done, feed=None, stopped=None) -> None:
        """Grade `tasks`; with `feed(n)` (returns up to n more tasks), keep serving until
        `stopped()` is true: the grading server's judges live as long as the server."""
        queue = deque(tasks)
        self.streaming = feed is not None
        try:
            while self.streaming and len(self.judges) < self.jobs:  # ready before the first upload
                self._start()
            while queue or any(j.task for j in self.judges) or (feed is not None and not stopped()):
                if feed is not None and not queue:
                    idle = self.jobs - sum(1 for j in self.judges if j.task is not None)
                    queue.extend(feed(idle) if idle > 0 else ())
                self._dispatch(queue)
                parents = process_parents()
                for judge in self.judges:
                    if judge.proc.is_alive():
                        judge.tree = descendants(judge.proc.pid, parents)
                soonest = min((j.deadline for j in self.judges), default=0.0)
                timeout = min(0.25 if self.streaming else 1.0, max(0.0, soonest - time.monotonic()))
                ready = wait([j.conn for j in self.judges] + [j.proc.sentinel for j in self.judges], timeout)
                for judge in list(self.judges):
                    self._check(judge, ready, on_done)
        finally:
            for judge in self.judges:
                judge.stop()
            self.judges.clear()

    def _dispatch(self, queue: deque) -> None:
        """Hand out tasks to idle judges; start judges while tasks wait; retire idle ones."""
        for judge in self.judges:
            if judge.ready and judge.task is None and queue:
                judge.assign(queue.popleft())
        free = sum(1 for j in self.judges if not j.ready)
        while len(queue) > free and len(self.judges) < self.jobs:
            self._start()
            free += 1
        if not queue and not self.streaming:
            for judge in [j for j in self.judges if j.ready and j.task is None]:
                judge.retire()
                self.judges.remove(judge)

    def _check(self, judge: Judge, ready, on_done) -> None:
        if judge.conn in ready:
            try:
                message = judge.conn.recv()
            except (EOFError, OSError):
                message = None
            if message is not None:
                return self._message(judge, message, on_done)
        if judge.proc.sentinel in ready or not judge.proc.is_alive():
            return self._died(judge, on_done)
        if time.monotonic() >= judge.deadline:
            self._overdue(judge, on_done)

    def _message(self, judge: Judge, message, on_done) -> None:
        if message[0] == "ready":
            judge.ready, judge.deadline = True, float("inf")
            self.start_failures = 0
            return
        task, judge.task, judge.deadline = judge.task, None, float("inf")
        judge.done += 1
        files = message[3] if len(message) > 3 else None
        on_done(Finished(task, "ok", result=message[2], seconds=time.monotonic() - judge.started, files=files))
        if judge.done >= RECYCLE_AFTER:
            judge.retire()
            self.judges.remove(judge)

    def _died(self, judge: Judge, on_done) -> None:
        judge.proc.join(1)
        code = judge.proc.exitcode
        judge.stop(orphans=True)
        if judge.task is not None:
            why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            on_done(Finished(judge.task, "crash", message=(
                f"the grading process crashed ({why}) while grading this submission; "
                "nothing was scored: check it by hand or report it"), seconds=time.monotonic() - judge.started))
        elif not judge.ready:
            self._start_failed(f"exit code {code}")
        self.judges.remove(judge)  # _dispatch starts another one while tasks wait

    def _overdue(self, judge: Judge, on_done) -> None:
        judge.stop()
        if judge.task is None:
            self._start_failed(f"no answer within {STARTUP_TIMEOUT:g} s")
        else:
            limit = judge.task["guard"]
            on_done(Finished(judge.task, "timeout", message=(
                f"grading took longer than the hard limit of {limit:g} s per student and was stopped; "
                "nothing was scored: check the submission by hand"), seconds=limit))
        self.judges.remove(judge)  # _dispatch starts another one while tasks wait

    def _start_failed(self, why: str) -> None:
        self.start_failures += 1
        if self.start_failures >= MAX_START_FAILURES:
            raise GradeError(f"the grading processes could not start ({why}); see {self.log_hint}")

