"""`grade batch --cluster ADDRESS`: the local judge Pool replaced by a Dask distributed cluster.

Client side (the `grade batch` process): ClusterPool.run(tasks, on_done) has the Pool's
interface. Each student is one Dask task that carries the student's files as bytes; at most
WINDOW_PER_THREAD tasks per worker thread are in flight, so a class of any size costs little
memory; each result is handed to on_done as it arrives (run.py writes it to --out at once).

Worker side (a `dask worker` process): grade_remote() stages the files in this worker's own
folder and grades them with the judge's grade_task(), exactly as a local judge does; student
code runs only in the sandboxed processes that grade() starts. It returns plain data
(SubmissionResult.to_dict() plus the artifacts' bytes), never objects made by student code.

Failures: a worker that dies (or is killed by the hard limit per student, below) while grading
makes the scheduler give the task to another worker; after Dask's
distributed.scheduler.allowed-failures such deaths (default 3) the task fails with KilledWorker
and the student gets a "catastrophic" result, so one poisonous submission cannot stall the
batch. An exception in grade_remote itself is retried RETRIES times.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
from collections import deque
from pathlib import Path

from grader.batch.pool import Finished
from grader.errors import GradeError

RETRIES = 2  # extra attempts when grade_remote raises (worker deaths: allowed-failures)
WINDOW_PER_THREAD = 2  # tasks in flight per worker thread of the cluster
CONNECT_TIMEOUT = 30.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 120.0  # seconds for the first worker to join
WORK_PREFIX = "grade-cluster-"  # a worker's folder in its temp dir: inbox, stage, tmp
OVERDUE_EXIT = 75  # exit code of a worker process stopped by the hard limit per student
FEED_POLL = 0.5  # seconds between looks at the grading server's queue (and at finished tasks)


# ---------------------------------------------------------------- the client side

def _dask():
    try:
        import distributed
    except ImportError:
        raise GradeError("--cluster needs Dask: pip install -e '.[dask]' (on this machine and every worker)") from None
    return distributed


def connect(address: str):
    """A Client of the scheduler at `address` (security from Dask's config), with a worker."""
    distributed = _dask()
    security = distributed.Security()  # reads distributed.comm.tls.* from Dask's config
    if address.startswith("tls://") and not security.tls_ca_file:
        raise GradeError("a tls:// cluster needs Dask's TLS config: set DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
                         "..._CLIENT__CERT and ..._CLIENT__KEY (see docs/scaling.md)")
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, security=security, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise GradeError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise GradeError(f"no Dask worker joined {address} within {WORKERS_TIMEOUT:g} s: "
                         f"start one with `dask worker {address} --nthreads 1`") from None
    return client


def _payload(task: dict, suite: str) -> dict:
    folder = Path(task["folder"])
    return {"id": task["id"], "files": {rel: (folder / rel).read_bytes() for rel in task["files"]},
            "topics": list(task["topics"]), "max_score": task["max_score"], "guard": task["guard"],
            "suite": suite}


class ClusterPool:
    """`run(tasks, on_done)`: grade every task on the Dask cluster at `address`; on_done(Finished)."""

    def __init__(self, address: str):
        self.address = address
        self.run_id = uuid.uuid4().hex[:8]  # task keys of this run never collide with an older one's
        self.checked: dict[tuple, str] = {}  # topics -> the suite hash every worker agreed on

    def run(self, tasks: list[dict], on_done, feed=None, stopped=None) -> None:
        """Grade `tasks`, and with `feed(n)` (the grading server's queue) up to n more whenever
        there is room, until `stopped()`; on_done(Finished) for each as it finishes."""
        distributed = _dask()
        client = connect(self.address)
        inflight: dict[str, tuple[dict, float]] = {}
        try:
            queue, pending = deque(tasks), distributed.as_completed(loop=client.loop)
            feeding = (lambda: False) if feed is None else (lambda: not stopped())
            pending.update(self._submit(client, queue, inflight))
            while not pending.is_empty() or feeding():
                if feeding() and len(queue) + len(inflight) < self._window(client):
                    queue.extend(feed(self._window(client) - len(queue) - len(inflight)))
                pending.update(self._submit(client, queue, inflight))
                finished = [] if pending.is_empty() else pending.next_batch(block=feed is None)
                if not finished:
                    time.sleep(FEED_POLL)
                for future in finished:
                    task, submitted = inflight.pop(future.key)
                    outcome = self._finished(future, task, time.monotonic() - submitted)
                    future.release()
                    on_done(outcome)
        finally:
            self._close(client, inflight)

    @staticmethod
    def _window(client) -> int:
        return max(2, WINDOW_PER_THREAD * sum(client.nthreads().values()))

    def _suite(self, client, topics) -> str:
        """The suite hash for these topics, checked once against every worker."""
        from grader.batch.state import suite_hash
        from grader.manifest import load_course

        key = tuple(topics)
        if key not in self.checked:
            suite = suite_hash(load_course().select(list(topics)))
            self._check_workers(client, list(topics), suite)
            self.checked[key] = suite
        return self.checked[key]

    def _submit(self, client, queue: deque, inflight: dict) -> list:
        """Submit queued tasks while fewer than the window are in flight; return the new futures."""
        new, window = [], self._window(client)
        while queue and len(inflight) < window:
            task = queue.popleft()
            payload = _payload(task, self._suite(client, task["topics"]))
            future = client.submit(grade_remote, payload, key=f"grade-{self.run_id}-{task['id']}",
                                   retries=RETRIES, pure=False)
            inflight[future.key] = (task, time.monotonic())
            new.append(future)
        return new

    def _check_workers(self, client, topics, suite: str) -> None:
        """Every worker must grade with the same course and grader as this machine."""
        theirs = client.run(worker_suite, list(topics))
        wrong = sorted(addr for addr, digest in theirs.items() if digest != suite)
        if wrong:
            raise GradeError(f"{len(wrong)} Dask worker(s) have another version of the course or grader "
                             f"({', '.join(wrong[:3])}): install the same commit everywhere")

    def _finished(self, future, task: dict, seconds: float) -> Finished:
        from grader.results import SubmissionResult

        if future.status == "finished":
            data = future.result()
            if data.get("mismatch"):
                raise GradeError(f"the Dask worker {data['worker']} has another version of the course or "
                                 "grader: install the same commit everywhere")
            result = SubmissionResult.from_dict(data["result"])
            for art, blob in zip(result.artifacts, data["artifacts"]):
                art.data = blob
            return Finished(task, "ok", result=result, seconds=data["seconds"])
        if future.status == "cancelled":
            raise GradeError(f"the Dask scheduler at {self.address} dropped the batch's tasks (was it restarted?)")
        exc = future.exception()
        if type(exc).__name__ == "KilledWorker":
            why = ("the grading process on the cluster died each time it graded this submission "
                   f"(its worker was lost, or it ran past the hard limit of {task['guard']:g} s per student); "
                   "nothing was scored: check it by hand or report it")
        else:
            why = (f"grading on the cluster failed ({type(exc).__name__}: {exc}); "
                   "nothing was scored: check it by hand or report it")
        return Finished(task, "crash", message=why, seconds=seconds)

    def _close(self, client, inflight: dict) -> None:
        """Drop what is still queued (running tasks finish on their workers, unrecorded)."""
        try:
            if inflight:
                client.cancel(list(inflight), force=True)
        except Exception:  # noqa: BLE001 - the scheduler may be gone already
            pass
        client.close()


# ---------------------------------------------------------------- the worker side

_LOCK = threading.Lock()  # one student at a time per worker process, even with --nthreads > 1
_SUITES: dict[tuple, str] = {}
_HOME: Path | None = None


def worker_suite(topics) -> str:
    """This worker's suite hash for `topics` (the same function as the client's)."""
    from grader.batch.state import suite_hash
    from grader.manifest import load_course

    key = tuple(topics)
    if key not in _SUITES:
        _SUITES[key] = suite_hash(load_course().select(topics))
    return _SUITES[key]


def _home() -> Path:
    """This worker process's folder (made once; stale ones of dead workers are removed)."""
    global _HOME
    if _HOME is None:
        base = Path(tempfile.gettempdir())
        for old in base.glob(f"{WORK_PREFIX}*"):
            pid = old.name[len(WORK_PREFIX):]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                shutil.rmtree(old, ignore_errors=True)
        home = base / f"{WORK_PREFIX}{os.getpid()}"
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        _HOME = home
    return _HOME


def _hide(home: Path) -> list[str]:
    """What the student's code must not see: other workers' folders (their students' files)
    and Dask's local directory (tasks spilled there hold other students' files)."""
    from grader.batch.hiding import needed, not_above

    try:
        from distributed import get_worker
        local = [Path(get_worker().local_directory)]
    except (ImportError, ValueError):
        local = []
    others = [p for p in home.parent.glob(f"{WORK_PREFIX}*") if p != home]
    return not_above(others + local, [home, *needed(), home.parent])


def _watchdog(guard: float) -> threading.Timer:
    """Past the hard limit, stop the grading processes and this worker: the scheduler counts
    a lost worker, as when the student's code had killed it."""
    from grader.batch.procs import kill_tree

    def overdue():
        kill_tree(os.getpid(), include_self=False)
        os._exit(OVERDUE_EXIT)

    timer = threading.Timer(guard, overdue)
    timer.daemon = True
    timer.start()
    return timer


def grade_remote(payload: dict) -> dict:
    """Grade one student on this worker: {"result": SubmissionResult.to_dict(), "artifacts":
    [bytes per artifact], "seconds", "worker"}; {"mismatch": True, ...} when this worker's
    course or grader differs from the client's."""
    from grader.batch import judge

    worker = f"{os.uname().nodename}:{os.getpid()}"
    if worker_suite(payload["topics"]) != payload["suite"]:
        return {"mismatch": True, "worker": worker}
    with _LOCK:
        home = _home()
        judge._private_tmp(home / "tmp")
        inbox = home / "inbox"
        shutil.rmtree(inbox, ignore_errors=True)
        for rel, data in payload["files"].items():
            (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
            (inbox / rel).write_bytes(data)
        inbox.mkdir(parents=True, exist_ok=True)
        task = {**{k: payload[k] for k in ("id", "topics", "max_score")},
                "folder": str(inbox), "files": sorted(payload["files"])}
        start, timer = time.monotonic(), _watchdog(payload["guard"])
        try:
            result = judge.grade_task(task, home / "stage", _hide(home),
                                      require_isolation=task.get("require_isolation", True))
        finally:
            timer.cancel()
            shutil.rmtree(inbox, ignore_errors=True)
        return {"result": result.to_dict(), "artifacts": [a.data for a in result.artifacts],
                "seconds": time.monotonic() - start, "worker": worker}
