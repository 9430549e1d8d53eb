"""Where the kernel refuses the sandbox (simulated: a user namespace whose limit of nested user
namespaces is 0), `grade batch` refuses in one line unless --unsafe-no-isolation is given, and
`grade submit` warns once and grades."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader.paths import course_root, solutions_dir
from tests.grader.quiz_helpers import write_right_answers

NO_USERNS = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\""


def _refused(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m grader.cli ARGS` where no user namespace can be made."""
    cmd = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc",
           "sh", "-c", NO_USERNS, "sh", sys.executable, "-m", "grader.cli", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(course_root()), "LANG": "C.UTF-8",
                               "HOME": str(cwd), "TMPDIR": str(cwd)})


@pytest.fixture
def klass(tmp_path):
    (tmp_path / "class" / "bob").mkdir(parents=True)
    shutil.copy(solutions_dir() / "convolution.py", tmp_path / "class" / "bob" / "convolution.py")
    write_right_answers(tmp_path / "class" / "bob", ["convolution"])  # full marks include the quiz
    return tmp_path


def test_batch_refuses_in_one_line_without_the_sandbox(klass):
    proc = _refused("batch", str(klass / "class"), "--topic", "convolution", "--out", str(klass / "out"), cwd=klass)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--unsafe-no-isolation" in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    assert not (klass / "out" / "gradebook.csv").exists()


def test_batch_grades_unconfined_with_unsafe_no_isolation(klass):
    proc = _refused("batch", str(klass / "class"), "--topic", "convolution", "--out", str(klass / "out"),
                    "--unsafe-no-isolation", "--jobs", "1", cwd=klass)
    assert proc.returncode == 0, proc.stderr
    assert "sandbox: NOT ISOLATED" in proc.stdout
    doc = json.loads((klass / "out" / "students" / "bob" / "grade.json").read_text())
    assert doc["result"]["isolation"][0].startswith("NOT ISOLATED")
    assert doc["result"]["score"] == doc["result"]["max_score"]


def test_submit_warns_once_and_grades(klass):
    out = klass / "results"
    proc = _refused("submit", "convolution", "--path", str(klass / "class" / "bob"), "--out", str(out), "--json",
                    cwd=klass)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("warning: student code runs without the sandbox") == 1, proc.stderr
    results = json.loads((out / "results.json").read_text())
    assert results["score"] == results["max_score"]
    assert results["extra_data"]["isolation"][0].startswith("NOT ISOLATED")
