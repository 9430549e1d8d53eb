"""`grade batch`, start to end: find the students, skip the unchanged ones, grade the rest in
parallel, write each result as it comes, then the gradebook and the class report.

Ctrl-C or a crash loses nothing already graded: each student's files and the state file are
replaced atomically as soon as that student is done; the next run grades only the others.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch import store
from grader.batch.classreport import write_class_report
from grader.batch.gradebook import write_gradebook
from grader.batch.hiding import judge_settings
from grader.batch.inputs import ClassInput, StudentInput, open_submissions
from grader.batch.pool import Finished, Pool, default_jobs
from grader.batch.status import CATASTROPHIC, NO_FILES, TIMEOUT, status_of
from grader.batch.state import STATE_FILE, State, combined_hash, submission_hash, suite_hash
from grader.errors import GradeError
from grader.manifest import load_course
from grader.quiz.scores import quiz_points
from grader.results import ExerciseResult, SubmissionResult, catastrophic

GUARD_FACTOR = 1.5  # the hard wall-clock limit per student, in time budgets ...
STARTUP_ALLOWANCE = 60.0  # ... plus this many seconds for the workers' start-up
WORK_PREFIX = "grade-batch-"  # temp folder of one run: the extracted zip, the judges' folders


@dataclass
class BatchOptions:
    submissions: Path
    topics: tuple[str, ...] = ()
    jobs: int | None = None
    out: Path = Path("grade-batch")
    force: bool = False
    guard: float | None = None  # seconds per student; default GUARD_FACTOR x budget + STARTUP_ALLOWANCE
    unsafe_no_isolation: bool = False  # grade even where the sandbox cannot be set up
    cluster: str | None = None  # a Dask scheduler's address: grade there instead of in local judges


@dataclass
class BatchSummary:
    students: int
    graded: int
    skipped: int
    out: Path
    gradebook: Path
    class_report: Path
    statuses: Counter = field(default_factory=Counter)
    interrupted: bool = False
    isolation: list[str] = field(default_factory=list)  # what the sandbox achieved (the students' most common)


class _Quiet:
    def start(self, total, done=0): ...
    def advance(self, student, status, graded=True): ...
    def note(self, text): ...
    def stop(self): ...


def no_files_result(student: StudentInput, topics) -> SubmissionResult:
    """Score 0 on every exercise, without running anything."""
    why = f"nothing to grade: {student.note}"
    exercises = [ExerciseResult(t.name, ex.name, 0.0, ex.points, [], why) for t in topics for ex in t.exercises]
    exercises += [ExerciseResult(t.name, "quiz", 0.0, quiz_points(t), [], why) for t in topics if quiz_points(t)]
    return SubmissionResult(0.0, sum(t.points + quiz_points(t) for t in topics), exercises, error=why)


def _clean_stale_work() -> None:
    """Remove the temp folders of batches that were killed (their owner process is gone)."""
    for work in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        try:
            pid = int((work / "pid").read_text())
        except (OSError, ValueError):
            continue  # not ours, or still being set up
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(work, ignore_errors=True)
        except OSError:
            pass


LOCK_FILE = ".grade-batch.lock"


def _lock_out(out: Path) -> int:
    """An exclusive flock on OUT/.grade-batch.lock (holding this pid), kept until the process
    ends or the fd is closed: a second batch on the same --out stops with one line."""
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise GradeError(f"another grade batch (pid {holder}) is writing to {out}; wait for it to finish "
                         "or give another --out") from None
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    return fd


def _prepare_out(out: Path) -> int:
    """Create OUT, lock it (see _lock_out), clear the last run's judge logs; the lock's fd."""
    try:
        (out / "logs").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GradeError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
    fd = _lock_out(out)
    for log in (out / "logs").glob("judge-*.log"):
        log.unlink(missing_ok=True)
    return fd


def run_batch(opts: BatchOptions, progress=None) -> BatchSummary:
    """Grade the class in opts.submissions; see the module docstring."""
    topics = load_course().select(opts.topics)
    jobs = opts.jobs or default_jobs()
    if jobs < 1:
        raise GradeError("--jobs must be at least 1")
    out = Path(opts.out)
    if out.exists() and not out.is_dir():
        raise GradeError(f"--out {out} is a file; give a folder for the batch's results")
    require = _check_sandbox(opts.unsafe_no_isolation)
    _clean_stale_work()
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as work:
        (Path(work) / "pid").write_text(str(os.getpid()))
        found = open_submissions(Path(opts.submissions), Path(work) / "extract", out)
        lock = _prepare_out(out)  # only once the input is known to be good: bad input changes nothing
        try:
            return Batch(opts, topics, found, out, Path(work), jobs, progress or _Quiet(), require).run()
        finally:
            os.close(lock)


class Batch:
    def __init__(self, opts, topics, found: ClassInput, out: Path, work: Path, jobs: int, progress,
                 require_isolation: bool = True):
        self.opts, self.topics, self.found, self.out, self.work = opts, topics, found, out, work
        self.require_isolation = require_isolation
        self.progress = progress
        self.max_score = sum(t.points + quiz_points(t) for t in topics)
        self.guard = opts.guard or GUARD_FACTOR * sum(t.budget for t in topics) + STARTUP_ALLOWANCE
        self.state = State(out / STATE_FILE)
        self.records: dict[str, store.Record | None] = {}
        self.digests: dict[str, str] = {}
        self.graded = 0
        self.jobs = jobs

    def _plan(self) -> list[StudentInput]:
        """Hash every student; keep the up-to-date records; return the students to grade."""
        suite = self.suite = suite_hash(self.topics)
        todo = []
        for student in self.found.students:
            digest = self.digests[student.id] = submission_hash(student, self.topics, suite)
            record = None if self.opts.force else store.load(self.out, student.id)
            if record and record.hash == digest and self.state.hash_of(student.id) == digest:
                self.records[student.id] = record
            else:
                self.records[student.id] = None
                todo.append(student)
        return todo

    def run(self) -> BatchSummary:
        todo = self._plan()
        skipped = len(self.found.students) - len(todo)
        interrupted = False
        self.progress.start(len(self.found.students), skipped)
        if skipped:
            self.progress.note(f"skipped {skipped} unchanged student(s) (--force grades them again)")
        try:
            for student in [s for s in todo if not s.has_code]:
                self._finish(student.id, NO_FILES, no_files_result(student, self.topics), 0.0)
            tasks = [self._task(s) for s in todo if s.has_code]
            if tasks:
                self._pool(len(tasks)).run(tasks, self._finished)
        except KeyboardInterrupt:
            interrupted = True
        except GradeError:
            self.progress.stop()
            self._summary(skipped, True)  # what was graded is in the gradebook all the same
            raise
        finally:
            self.progress.stop()
        return self._summary(skipped, interrupted)

    def _pool(self, tasks: int):
        """Local judges, or the Dask cluster of --cluster (grader.batch.cluster): same interface."""
        if self.opts.cluster:
            from grader.batch.cluster import ClusterPool
            return ClusterPool(self.opts.cluster)
        return Pool(min(self.jobs, tasks), self._settings, log_hint=str(self.out / "logs"))

    def _task(self, student: StudentInput) -> dict:
        return {"id": student.id, "folder": str(student.folder), "files": list(student.files),
                "topics": [t.name for t in self.topics], "max_score": self.max_score, "guard": self.guard,
                "require_isolation": self.require_isolation}

    def _finished(self, done: Finished) -> None:
        if done.kind == "timeout":
            status, result = TIMEOUT, catastrophic(done.message, self.max_score)
        elif done.kind == "crash":
            status, result = CATASTROPHIC, catastrophic(done.message, self.max_score)
        else:
            status, result = status_of(done.result), done.result
            if done.files:  # the bytes actually graded, which may differ from those planned
                self.digests[done.task["id"]] = combined_hash(done.files, self.topics, self.suite)
        self._finish(done.task["id"], status, result, done.seconds)

    def _finish(self, student: str, status: str, result: SubmissionResult, seconds: float) -> None:
        digest = self.digests[student]
        store.save(self.out, store.Record(student, status, digest, result))
        self.state.record(student, digest, status=status, score=result.score, max_score=result.max_score,
                          seconds=round(seconds, 1))
        for art in result.artifacts:
            art.data = b""  # written already; the reports need no image bytes
        self.records[student] = store.Record(student, status, digest, result)
        self.graded += 1
        self._log(f"graded {student}: {status} {result.score:g}/{result.max_score:g} in {seconds:.1f} s")
        self.progress.advance(student, status)

    def _log(self, line: str) -> None:
        with open(self.out / "batch.log", "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")

    def _settings(self, slot: int) -> dict:
        """What judge `slot` needs: its log, temp and staging folders, and what to hide."""
        hide = [Path(self.opts.submissions), self.found.root, self.out, self.work / "extract"]
        return judge_settings(self.work, self.jobs, slot, self.out.resolve() / "logs" / f"judge-{slot}.log", hide,
                              require_isolation=self.require_isolation,
                              plots=any(t.kind == "plot" for t in self.topics))

    def _summary(self, skipped: int, interrupted: bool) -> BatchSummary:
        students = [s.id for s in self.found.students]
        gradebook = write_gradebook(self.out / "gradebook.csv", students, self.records, self.topics)
        report = write_class_report(self.out / "class_report.html", students, self.records, self.topics)
        if interrupted:
            self._log(f"interrupted after {self.graded} student(s)")
        statuses = Counter(r.status for r in self.records.values() if r is not None)
        kinds = Counter(tuple(r.result.isolation) for r in self.records.values() if r is not None and r.result.isolation)
        isolation = list(kinds.most_common(1)[0][0]) if kinds else []
        return BatchSummary(len(students), self.graded, skipped, self.out, gradebook, report, statuses, interrupted,
                            isolation)


def _check_sandbox(unsafe: bool) -> bool:
    """Whether the workers must be sandboxed; a GradeError (one line) where they cannot be,
    unless `unsafe` (--unsafe-no-isolation)."""
    from grader.worker.launch import probe

    reason = probe()
    if reason and not unsafe:
        raise GradeError(f"student code cannot be sandboxed on this machine ({reason}); "
                         "pass --unsafe-no-isolation to grade anyway, with student code unconfined")
    return not reason
