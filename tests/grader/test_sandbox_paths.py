"""The sandbox's file tree keeps the grader visible wherever it is installed: a checkout under
/tmp (where CI may clone it) must not be hidden by the worker's private /tmp, or every module
the worker imports lazily (the plot capture) fails to load."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.paths import course_root


def test_a_checkout_under_tmp_grades_plots(tmp_path):
    checkout = Path(tempfile.mkdtemp(prefix="ckout-", dir="/tmp"))
    try:
        for part in ("grader", "course", "solutions", "tests/public"):
            shutil.copytree(course_root() / part, checkout / part,
                            ignore=shutil.ignore_patterns("__pycache__"))
        work = tmp_path / "work"
        shutil.copytree(course_root() / "solutions", work)
        env = {**os.environ, "PYTHONPATH": str(checkout), "GRADE_WARM": "0"}
        env.pop("GRADE_COURSE_ROOT", None)
        proc = subprocess.run([sys.executable, "-m", "grader.cli", "check", "mpl_basics", "--path", str(work)],
                              env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(checkout, ignore_errors=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "✗" not in proc.stdout and "exited with code" not in proc.stdout, proc.stdout[-3000:]
