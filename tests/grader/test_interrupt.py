"""Ctrl-C during `grade submit` (SIGINT to its process group, as a terminal sends it): the
command exits 130 and writes nothing, so no result that looks complete is ever left behind;
a result cut short in-process lists every selected exercise with its unfinished tests "not run"
and the full maximum."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from grader.batch.procs import descendants
from grader.harness.scoring import Outcome, not_run, score
from grader.manifest import load_course
from tests.grader.helpers import FIXTURES, ctrl_c, write_submission


def _wait_for_worker(pid: int, deadline: float) -> bool:
    """True once the zygote (child of the grader) has forked a worker (its child)."""
    while time.monotonic() < deadline:
        if len(descendants(pid)) >= 2:
            return True
        time.sleep(0.2)
    return False


def test_sigint_midway_exits_130_and_writes_nothing(tmp_path):
    folder = write_submission(tmp_path / "work", "convolution", FIXTURES / "slow" / "conv2d_sleeps.py")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "grader.cli", "submit", "convolution", "--path", str(folder),
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    started = _wait_for_worker(proc.pid, time.monotonic() + 120)
    stdout, stderr = ctrl_c(proc, 6.0)  # the worker is inside a slow conv2d call by then: grading is midway
    assert started, "the worker never started"
    assert proc.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr + stdout
    assert not (out / "results.json").exists() and not (out / "feedback.html").exists()
    assert not any(Path(out).glob("*")) if out.exists() else True


def test_a_result_cut_short_lists_every_exercise_and_keeps_the_maximum():
    course = load_course()
    topic = course.topic("convolution")
    selected = {f"convolution.{e.name}" for e in topic.exercises}
    outcomes = [Outcome("t1", "convolution", "conv2d_output_size", 1, True, "", 0.1),
                not_run("t2", "convolution", "conv2d", 1)]
    exercises = score(course, outcomes, {}, selected)
    assert [e.name for e in exercises] == [e.name for e in topic.exercises]
    assert sum(e.max_score for e in exercises) == topic.points
    conv = next(e for e in exercises if e.name == "conv2d")
    assert conv.score == 0 and [t.kind for t in conv.tests] == ["not run"]
    untested = next(e for e in exercises if e.name == "max_pool2d")
    assert untested.score == 0 and untested.max_score == 2 and "not run" in untested.error
