"""The instructor quickstart's demo class (`python -m grader.batch.demo DIR`), from any folder."""

from __future__ import annotations

import subprocess
import sys

from grader.paths import exercises_dir, solutions_dir


def test_the_demo_class_has_five_students_with_their_mistakes(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "grader.batch.demo", "submissions"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "5 students" in proc.stdout, proc.stderr
    cls = tmp_path / "submissions"
    assert sorted(p.name for p in cls.iterdir()) == ["alice", "bob", "carol", "dave", "erin"]
    solved = (solutions_dir() / "optimizers.py").read_text()
    assert (cls / "alice" / "optimizers.py").read_text() == solved
    assert (cls / "bob" / "optimizers.py").read_text() == (exercises_dir() / "optimizers.py").read_text()
    assert (cls / "carol" / "optimizers.py").read_text() != solved
    assert "Optimizer:" in (cls / "dave" / "optimizers.py").read_text()  # the syntax error
    assert (cls / "alice" / "answers" / "optimizers.toml").is_file()  # quizzes answered
    assert not (cls / "bob" / "answers").exists()
    again = subprocess.run([sys.executable, "-m", "grader.batch.demo", "submissions"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr
