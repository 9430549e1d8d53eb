"""The server's graders: the judges of `grade batch` (the same sandbox, guard and crash
handling) fed from the database queue for as long as the server runs.

A job is claimed with a lease; its files are written from the blob store into a folder of
this server; the judge grades them; the outcome is recorded only if this server still holds
the lease. A judge that crashes gets its job queued again once (then the job fails); a job past
the hard time limit fails at once. Results go to DATA_DIR/results/<id>/: results.json
(Gradescope schema), feedback.html (with plot diffs), detail.json (the full result).
"""

from __future__ import annotations

import json
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

from grader.serve.store import Store

MAX_ATTEMPTS = 2
LEASE_MARGIN = 60.0
WINDOW_WAIT = 2  # on a cluster: its own guard plus the one ahead of it on the worker thread


class Graders:
    def __init__(self, store: Store, topics, jobs: int, log, require_isolation: bool = True,
                 cluster: str | None = None):
        """cluster: the address of a Dask scheduler whose workers grade instead of local judges."""
        self.store, self.topics, self.jobs, self.log = store, topics, jobs, log
        self.cluster = cluster
        self.require_isolation = require_isolation
        self.owner = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self.work = Path(tempfile.mkdtemp(prefix="grade-serve-"))
        self.stop = threading.Event()
        from grader.batch.run import GUARD_FACTOR, STARTUP_ALLOWANCE

        self.guard = GUARD_FACTOR * sum(t.budget for t in topics) + STARTUP_ALLOWANCE
        self.thread = threading.Thread(target=self._run, name="graders", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)

    # ------------------------------------------------------------ the pool

    def _run(self) -> None:
        from grader.batch.cluster import ClusterPool
        from grader.batch.pool import Pool

        pool = ClusterPool(self.cluster) if self.cluster else \
            Pool(self.jobs, self._settings, log_hint=str(self.store.dir / "logs"))
        while not self.stop.is_set():
            try:
                pool.run([], self._done, feed=self._feed, stopped=self.stop.is_set)
            except Exception as exc:  # noqa: BLE001 - the server must keep grading
                self.log(f"graders restarted after an error: {type(exc).__name__}: {exc}")
                time.sleep(2)

    def _settings(self, slot: int) -> dict:
        from grader.batch.hiding import judge_settings

        (self.work / "jobs").mkdir(exist_ok=True)
        return judge_settings(self.work, self.jobs, slot, self.store.dir / "logs" / f"judge-{slot}.log",
                              [self.store.dir, self.work / "jobs"],
                              plots=any(t.kind == "plot" for t in self.topics), require_isolation=self.require_isolation)

    def _feed(self, n: int) -> list[dict]:
        tasks = []
        # on a cluster a claimed job may wait behind one other per worker thread (ClusterPool's window)
        lease = self.guard * (WINDOW_WAIT if self.cluster else 1) + LEASE_MARGIN
        for sub in self.store.claim(self.owner, lease, n):
            folder = self.work / "jobs" / sub.id
            files = self.store.files(sub.id)
            for rel, digest in files.items():
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(self.store.blob(digest))
            self.log(f"grading {sub.id} of {sub.student} ({', '.join(sub.topics)}), attempt {sub.attempts + 1}")
            tasks.append({"id": sub.id, "folder": str(folder), "files": sorted(files), "topics": sub.topics,
                          "max_score": self._max(sub.topics), "guard": self.guard, "student": sub.student})
        return tasks

    def _max(self, names) -> float:
        from grader.quiz.scores import quiz_points

        return sum(t.points + quiz_points(t) for t in self.topics if t.name in names)

    # ------------------------------------------------------------ outcomes

    def _done(self, done) -> None:
        import shutil

        from grader.results import catastrophic

        task = done.task
        shutil.rmtree(Path(task["folder"]), ignore_errors=True)
        sub = self.store.get(task["id"])
        if done.kind == "crash" and sub is not None and sub.attempts < MAX_ATTEMPTS:
            self.store.requeue(task["id"], self.owner)
            self.log(f"requeued {task['id']} of {task['student']}: {done.message}")
            return
        result = done.result if done.kind == "ok" else catastrophic(done.message, task["max_score"])
        self._save(task["id"], result)
        status = "done" if done.kind == "ok" else "failed"
        if not self.store.finish(task["id"], self.owner, status, result.score, result.max_score, result.error):
            self.log(f"{task['id']}: finished after its lease was lost; result not recorded")
            return
        self.log(f"graded {task['id']} of {task['student']}: {status} {result.score:g}/{result.max_score:g} "
                 f"in {done.seconds:.1f} s")

    def _save(self, sid: str, result) -> None:
        from grader.files import write_atomic
        from grader.reports.gradescope import write_results
        from grader.reports.html import write_feedback

        out = self.store.result_dir(sid)
        write_results(result, out)
        write_feedback(result, out, student=self.store.get(sid).student)
        write_atomic(out / "detail.json", json.dumps(result.to_dict()))
