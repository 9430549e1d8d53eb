"""Task ids (topic.exercise) through the CLI: `grade submit convolution.conv2d` and
`grade check convolution.conv2d` run only that exercise's tests; an unknown id gets one line
with the close matches."""

from __future__ import annotations

import json
import subprocess
import sys

from grader.paths import solutions_dir


def grade(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def test_submit_a_task_id_runs_only_that_exercise(tmp_path):
    proc = grade("submit", "convolution.max_pool2d", "--path", solutions_dir(), "--json", "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [(e["topic"], e["name"]) for e in doc["exercises"]] == [("convolution", "max_pool2d")]
    assert doc["score"] == doc["max_score"] == 2 and all(t["kind"] == "passed" for t in doc["exercises"][0]["tests"])


def test_check_a_task_id_runs_only_that_exercise():
    proc = grade("check", "convolution.conv2d_output_size", "--path", solutions_dir())
    assert proc.returncode == 0, proc.stderr
    assert "convolution.conv2d_output_size" in proc.stdout and "convolution.conv2d " not in proc.stdout


def test_an_unknown_task_id_gets_one_line_with_close_matches():
    proc = grade("submit", "convolution.conv2", "--path", solutions_dir())
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "Traceback" not in proc.stderr
    assert "unknown task id 'convolution.conv2'" in lines[0] and "convolution.conv2d" in lines[0]
