"""Batch robustness: --jobs from the CPUs this process may use, one batch per --out at a time,
the hash of exactly the bytes graded, library versions in the suite hash."""

from __future__ import annotations

import os

from grader.batch.pool import available_cpus


def test_available_cpus_reads_affinity_and_the_cgroup_quota(tmp_path):
    mine = len(os.sched_getaffinity(0))
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("max 100000\n")
    assert available_cpus(cpu_max) == mine
    cpu_max.write_text("150000 100000\n")  # 1.5 CPUs: 2 judges
    assert available_cpus(cpu_max) == min(mine, 2)
    cpu_max.write_text("50000 100000\n")
    assert available_cpus(cpu_max) == 1
    assert available_cpus(tmp_path / "missing") == mine
    cpu_max.write_text("garbage")
    assert available_cpus(cpu_max) == mine


def test_a_second_batch_on_the_same_out_says_so_in_one_line(tmp_path):
    import subprocess
    import sys

    from grader.batch.run import _lock_out

    subs = tmp_path / "class" / "alice"
    subs.mkdir(parents=True)
    (subs / "convolution.py").write_text("x = 1\n")
    out = tmp_path / "out"
    out.mkdir()
    fd = _lock_out(out)  # a batch in progress on out
    try:
        proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", str(tmp_path / "class"), "--out",
                               str(out), "--topic", "convolution"], capture_output=True, text=True, timeout=300)
    finally:
        os.close(fd)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, proc.stderr
    assert f"pid {os.getpid()}" in lines[0] and "is writing to" in lines[0]
    assert not (out / "gradebook.csv").exists()


def test_the_digest_is_of_the_bytes_staged_for_grading(tmp_path):
    from grader.batch.inputs import StudentInput
    from grader.batch.judge import _stage
    from grader.batch.state import combined_hash, submission_hash
    from grader.manifest import load_course

    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "convolution.py").write_text("v = 1\n")
    student = StudentInput("bob", folder, ("convolution.py",))
    topics = load_course().select(["convolution"])
    planned = submission_hash(student, topics, "suite")
    task = {"folder": str(folder), "files": ["convolution.py"]}
    _, files = _stage(task, tmp_path / "stage")
    assert combined_hash(files, topics, "suite") == planned
    (folder / "convolution.py").write_text("v = 2\n")  # changed after planning, before grading
    stage, files = _stage(task, tmp_path / "stage")
    assert (stage / "convolution.py").read_text() == "v = 2\n"
    assert combined_hash(files, topics, "suite") == submission_hash(student, topics, "suite") != planned


def test_library_versions_are_in_the_suite_hash(monkeypatch):
    import torch

    from grader.batch import state
    from grader.manifest import load_course

    topics = load_course().select(["convolution"])
    assert f"torch {torch.__version__}" in state.library_versions()
    before = state.suite_hash(topics)
    monkeypatch.setattr(state, "library_versions", lambda: "torch 0.0.1")
    assert state.suite_hash(topics) != before
