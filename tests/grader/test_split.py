"""Several topics graded in two forked judges (grader.harness.split): the groups depend on the
course alone, the merged result is the one-session result, a lost fork costs only its own
topics, and Ctrl-C still exits 130 with nothing written and no fork left behind."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.batch.procs import descendants
from grader.harness import split
from grader.harness.runner import grade
from grader.manifest import load_course
from grader.results import ExerciseResult, SubmissionResult
from tests.grader.helpers import FIXTURES, ctrl_c, write_submission


def test_groups_hold_every_topic_once_in_course_order_and_balanced(monkeypatch):
    topics = load_course().topics
    parts = split.groups(topics)
    names = [t.name for t in topics]
    assert len(parts) == 2 and sorted(sum(parts, [])) == sorted(names)
    for part in parts:
        assert part == [n for n in names if n in part]
    by_name = {t.name: t for t in topics}
    loads = [sum(split.weight(by_name[n]) for n in part) for part in parts]
    assert abs(loads[0] - loads[1]) <= max(split.weight(t) for t in topics)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # the machine never changes the groups
    assert split.groups(topics) == parts
    assert split.groups(topics[:1]) == [[topics[0].name]]


def _comparable(result: SubmissionResult) -> dict:
    """A result without its timings and the sandbox's per-run uid."""
    data = result.to_dict()
    data.pop("execution_time")
    data["isolation"] = [i for i in data["isolation"] if not i.startswith("uid ")]
    for ex in data["exercises"]:
        for test in ex["tests"]:
            test.pop("duration")
    return data


def test_a_split_run_gives_the_one_session_result(tmp_path):
    folder = write_submission(tmp_path / "work", "convolution", FIXTURES / "convolution" / "conv2d_kernel_flipped.py",
                              others=("optimizers",))
    write_submission(folder, "bar_plots", FIXTURES / "bar_plots" / "stacked_bar_without_bottom.py")
    topics = ["convolution", "optimizers", "bar_plots"]
    whole, parted = grade(folder, topics), grade(folder, topics, split=True)
    assert 0 < whole.score < whole.max_score  # the mistakes cost points: a real comparison
    assert _comparable(parted) == _comparable(whole)
    assert [a.data for a in parted.artifacts] and all(a.data.startswith(b"\x89PNG") for a in parted.artifacts)


class _Spawner:
    """Stands in for the zygote: the forks' connections lead nowhere."""

    def start(self, plots=True):
        pass

    def connection(self):
        ours, theirs = socket.socketpair()
        theirs.close()
        return ours

    def adopt(self, sock):
        sock.close()


def test_a_lost_fork_costs_only_its_own_topics(monkeypatch):
    import grader.spawner

    monkeypatch.setattr(grader.spawner, "spawner", lambda: _Spawner())
    topics = load_course().select(["convolution", "facets"])

    def grade_one(names):
        if "facets" in names:
            os._exit(3)  # this fork dies without a word
        return SubmissionResult(9.0, 9.0, [ExerciseResult("convolution", "conv2d", 9.0, 9.0)])

    result = split.grade_split(grade_one, list(topics))
    assert result.status == "catastrophic" and "facets" in result.error
    assert (result.score, result.max_score) == (9.0, 9.0 + topics[1].points)
    assert [e.task_id for e in result.exercises] == ["convolution.conv2d"]


def _forks_of(folder: Path) -> list[int]:
    """Processes still running the command that grades `folder` (the CLI and its forks)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(folder) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def test_ctrl_c_during_a_split_submit_exits_130_and_leaves_nothing(tmp_path):
    folder = write_submission(tmp_path / "work", "convolution", FIXTURES / "slow" / "conv2d_sleeps.py",
                              others=("bar_plots",))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "grader.cli", "submit", "convolution", "bar_plots",
                             "--path", str(folder), "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(descendants(proc.pid)) < 4:  # zygote, 2 forks, a worker
        time.sleep(0.2)
    stdout, stderr = ctrl_c(proc, 6.0)  # the slow conv2d (4 s a call) is midway by then
    assert proc.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr + stdout
    assert not out.exists() or not any(out.iterdir())
    time.sleep(1.0)
    assert _forks_of(folder) == []


@pytest.mark.parametrize("status", ["incomplete", "catastrophic"])
def test_the_merged_status_is_the_worst_part(status):
    parts = [SubmissionResult(1.0, 2.0, [ExerciseResult("facets", "a", 1.0, 2.0)]),
             SubmissionResult(0.0, 3.0, [ExerciseResult("convolution", "b", 0.0, 3.0)], status=status)]
    merged = split.merge(parts, ["convolution", "facets"])
    assert merged.status == status and (merged.score, merged.max_score) == (1.0, 5.0)
    assert [e.topic for e in merged.exercises] == ["convolution", "facets"]
