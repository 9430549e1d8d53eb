"""The `grade` CLI as a student uses it: clear one-line errors, never a traceback; the stubs
score 0 and the solutions full marks; one broken file costs only what it touches."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.paths import exercises_dir, solutions_dir
from tests.grader.quiz_helpers import write_right_answers

NUMERIC = ["optimizers", "convolution"]


def grade(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=900)


def submit_json(path: Path, *topics: str, out: Path) -> dict:
    proc = grade("submit", *topics, "--path", path, "--json", "--out", out)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def by_task(doc: dict) -> dict[str, dict]:
    return {f"{e['topic']}.{e['name']}": e for e in doc["exercises"]}


def test_help_starts_without_importing_torch():
    code = "import sys, grader.cli; print('torch' in sys.modules, 'pytest' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    assert grade("--help").returncode == 0


def test_list_shows_every_topic_and_the_total():
    proc = grade("list")
    assert proc.returncode == 0
    from grader.manifest import load_course

    for topic in load_course().topics:
        assert topic.name in proc.stdout


def test_stubs_score_zero_and_solutions_full_marks_through_the_cli(tmp_path):
    stubs = submit_json(exercises_dir(), out=tmp_path / "a")
    assert stubs["score"] == 0 and stubs["max_score"] > 0
    assert all(t["status"] == "failed" for e in stubs["exercises"] for t in e["tests"])
    assert stubs["exercises"][0]["tests"], json.dumps(stubs["exercises"][0])[:2000]
    assert "not implemented yet" in stubs["exercises"][0]["tests"][0]["message"]
    work = tmp_path / "work"
    shutil.copytree(solutions_dir(), work)
    write_right_answers(work)  # the quizzes count too (the exercise `quiz` of each topic)
    sols = submit_json(work, out=tmp_path / "b")
    assert sols["score"] == sols["max_score"] == stubs["max_score"]
    quiz = [e for e in stubs["exercises"] if e["name"] == "quiz"]
    assert quiz and all(e["score"] == 0 and "no answers file" in e["error"] for e in quiz)
    results = json.loads((tmp_path / "b" / "results.json").read_text())
    assert results["score"] == sols["score"] and results["tests"]
    assert set(results["tests"][0]) >= {"name", "score", "max_score", "status", "output", "visibility"}
    assert {"execution_time", "max_score"} <= set(results)


@pytest.mark.parametrize("setup, words", [
    (lambda p: None, "does not exist"),
    (lambda p: p.write_text("x"), "is a file"),
    (lambda p: p.mkdir(), "no exercise files"),
])
def test_folders_that_cannot_be_graded_get_one_line(tmp_path, setup, words):
    path = tmp_path / "work"
    setup(path)
    proc = grade("submit", "--path", path)
    assert proc.returncode == 1
    assert words in proc.stderr and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_unknown_topic_is_a_user_error():
    proc = grade("submit", "no_such_topic", "--path", solutions_dir())
    assert proc.returncode == 1 and "unknown topic" in proc.stderr and "Traceback" not in proc.stderr


def test_init_copies_the_stubs_and_never_overwrites(tmp_path):
    work = tmp_path / "work"
    assert grade("init", work).returncode == 0
    stub = work / "optimizers.py"
    assert stub.read_text() == (exercises_dir() / "optimizers.py").read_text()
    stub.write_text("# my work\n")
    proc = grade("init", work)
    assert proc.returncode == 0 and "kept" in proc.stdout
    assert stub.read_text() == "# my work\n"


def test_syntax_error_missing_file_and_missing_function_cost_only_what_they_touch(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    conv = (solutions_dir() / "convolution.py").read_text()
    conv = re.sub(r"\ndef max_pool2d\(.*?(?=\ndef )", "\n", conv, flags=re.S)
    (work / "convolution.py").write_text(conv)
    (work / "optimizers.py").write_text("import torch\n\nclass SGD(torch.optim.Optimizer):\n    def step(self\n")
    doc = by_task(submit_json(work, *NUMERIC, out=tmp_path / "out"))
    sgd = doc["optimizers.SGD"]
    assert sgd["score"] == 0 and re.search(r"optimizers\.py, line \d+: syntax error", sgd["tests"][0]["message"])
    assert doc["convolution.max_pool2d"]["score"] == 0
    assert "has no max_pool2d" in doc["convolution.max_pool2d"]["tests"][0]["message"]
    for task in ("convolution.conv2d", "convolution.conv2d_output_size", "convolution.bottleneck_params"):
        assert doc[task]["score"] == doc[task]["max_score"], task

    (work / "optimizers.py").unlink()
    doc = by_task(submit_json(work, *NUMERIC, out=tmp_path / "out2"))
    assert "optimizers.py is missing" in doc["optimizers.Adam"]["tests"][0]["message"]
    assert doc["convolution.conv2d"]["score"] == doc["convolution.conv2d"]["max_score"]


def test_check_runs_the_public_tests(tmp_path):
    proc = grade("check", *NUMERIC, "--path", solutions_dir())
    assert proc.returncode == 0, proc.stderr
    assert "total" in proc.stdout
