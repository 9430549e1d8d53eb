"""Make a small demo class to try `grade batch` on: one folder per student.

    python -m grader.batch.demo demo-class/

Needs a checkout of the course (its solutions/ and the grader's test fixtures), not a student
bundle.

alice: the reference solutions; bob: the untouched stubs; carol: solutions with Adam missing
its bias correction and conv2d flipping its kernel; dave: a syntax error in optimizers.py;
erin: an infinite loop in conv2d. All but bob answer every quiz right (answers/<topic>.toml).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from grader.manifest import load_course
from grader.paths import course_root
from grader.quiz.key import write_right_answers


def override(topic: str, fixture: str, folder: str = "") -> str:
    """solutions/<topic>.py with a fixture's definitions put in place of its own."""
    base = (course_root() / "solutions" / f"{topic}.py").read_text()
    fixtures = course_root() / "tests" / "grader" / "fixtures"
    return f"{base}\n\n{(fixtures / (folder or topic) / fixture).read_text()}"


def make(dest: Path) -> None:
    root = course_root()
    if dest.exists():
        sys.exit(f"{dest} already exists; choose a new folder")
    if not (root / "tests" / "grader" / "fixtures").is_dir():
        sys.exit(f"the demo class needs the course's checkout; {root} has no tests/grader/fixtures")
    for student in ("alice", "carol", "dave", "erin"):
        shutil.copytree(root / "solutions", dest / student, ignore=shutil.ignore_patterns("__pycache__"))
        write_right_answers(dest / student, load_course().topics)
    shutil.copytree(root / "exercises", dest / "bob", ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "carol" / "optimizers.py").write_text(override("optimizers", "adam_no_bias_correction.py"))
    (dest / "carol" / "convolution.py").write_text(override("convolution", "conv2d_kernel_flipped.py"))
    (dest / "dave" / "optimizers.py").write_text("import torch\n\nclass SGD(torch.optim.Optimizer:\n    pass\n")
    (dest / "erin" / "convolution.py").write_text(override("convolution", "call_infinite_loop.py", "hostile"))
    print(f"made {dest} with 5 students: alice bob carol dave erin")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    make(Path(sys.argv[1]))
