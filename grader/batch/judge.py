"""A judge process of `grade batch`: grades students one by one with `grade()`, in-process.

Started with the "spawn" start method, so it pays the pytest and torch imports once and then
serves many students. It talks to the parent over one multiprocessing pipe:
parent -> judge: a task dict, or None to stop; judge -> parent: ("ready", pid) once, then
("done", student_id, SubmissionResult, digest of the bytes graded or None) per task. Student code still runs only in the
sandboxed workers that grade() starts.

GRADE_BATCH_FAULT="id=crash;id2=hang;id3=raise;id4=die" makes this judge misbehave on those
students (exit at once; hang; raise; exit 3 s into grading): it exists for the grader's own
tests of the pool (crashes, the wall-clock guard, no process left behind).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from grader.batch.procs import kill_tree

PR_SET_PDEATHSIG = 1


def _on_term(signum, frame):
    kill_tree(os.getpid(), include_self=False)
    os._exit(128 + signum)


def _detach(log: Path) -> None:
    """Leave Ctrl-C to the parent, die (with the workers) when the parent dies, log to a file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def _private_tmp(tmp: Path) -> None:
    """Worker homes go in this judge's own temp folder (other judges' folders are hidden)."""
    os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "dlviz-grader-mpl"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["TMPDIR"] = str(tmp)
    tempfile.tempdir = str(tmp)


def _faults() -> dict[str, str]:
    spec = os.environ.get("GRADE_BATCH_FAULT", "")
    return dict(item.split("=", 1) for item in spec.split(";") if "=" in item)


def _stage(task: dict, stage: Path) -> tuple[Path, str]:
    """Copy the student's files into a fresh folder of this judge: the snapshot that is graded,
    and the digest of exactly those bytes (read once: what is hashed is what is graded)."""
    from grader.batch.state import files_digest

    shutil.rmtree(stage, ignore_errors=True)
    src = Path(task["folder"])
    staged = []
    for rel in task["files"]:
        data = (src / rel).read_bytes()
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_bytes(data)
        staged.append((rel, data))
    stage.mkdir(parents=True, exist_ok=True)
    return stage, files_digest(staged)


def _assemble_notebooks(staged: Path, topics) -> None:
    """Where notebooks stand in for modules, put the assembled modules in the staged folder."""
    from grader.notebooks.stage import needs_staging, stage_into

    if not needs_staging(staged, topics):
        return
    assembled = staged.with_name(staged.name + "-nb")
    shutil.rmtree(assembled, ignore_errors=True)
    assembled.mkdir(parents=True)
    stage_into(staged, topics, assembled)
    shutil.rmtree(staged)
    assembled.rename(staged)


def grade_task(task: dict, stage: Path, hide=(), digest: dict | None = None,
               require_isolation: bool = False):
    """Grade one student (its code never sees `hide`); a failure of the judge itself becomes
    a catastrophic result. digest: a dict that gets "files", the digest of the bytes graded."""
    from grader.errors import GradeError
    from grader.harness.runner import grade
    from grader.manifest import load_course
    from grader.quiz.scores import add_quizzes
    from grader.results import catastrophic

    fault = _faults().get(task["id"])
    if fault == "crash":
        os._exit(70)
    if fault == "hang":
        time.sleep(10**6)
    if fault == "die":  # while the student's code runs
        threading.Timer(3.0, os._exit, (71,)).start()
    try:
        if fault == "raise":
            raise RuntimeError("injected fault")
        staged, files = _stage(task, stage)
        if digest is not None:
            digest["files"] = files
        topics = load_course().select(task["topics"])
        _assemble_notebooks(staged, topics)
        result = grade(staged, task["topics"], "hidden", hide=hide, require_isolation=require_isolation)
        return add_quizzes(result, staged, topics)
    except GradeError as exc:
        return catastrophic(f"the grader could not grade this submission: {exc}", task["max_score"])
    except Exception as exc:  # noqa: BLE001 - a bug of the judge must not stop the batch
        return catastrophic(f"the grader failed on this submission ({type(exc).__name__}: {exc}); "
                            "please report it", task["max_score"])
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def judge_main(conn, slot: int, settings: dict) -> None:
    """The judge's loop (the target of the spawned process)."""
    _detach(Path(settings["log"]))
    _private_tmp(Path(settings["tmp"]))
    sys.path.insert(0, settings["package_parent"])
    import torch  # noqa: F401 - paid once here, not per student
    import grader.harness.runner  # noqa: F401
    from grader.spawner import spawner

    spawner().start(plots=settings["plots"])  # the zygote starts now, not with the first student
    print(f"[judge {slot}] ready (pid {os.getpid()})", flush=True)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        print(f"[judge {slot}] grading {task['id']}", flush=True)
        digest: dict = {}
        result = grade_task(task, Path(settings["stage"]), settings["hide"], digest,
                            settings.get("require_isolation", False))
        try:
            conn.send(("done", task["id"], result, digest.get("files")))
        except (BrokenPipeError, OSError):
            return
