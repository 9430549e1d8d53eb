"""Where the course lives: the folder with course/, solutions/, exercises/ and tests/."""

from __future__ import annotations

import os
from pathlib import Path

from grader.errors import GradeError


def package_parent() -> Path:
    """The folder that holds the `grader` package (a checkout, or a student bundle): what a
    sandboxed worker must see to import grader, and the default course root."""
    return Path(__file__).resolve().parents[1]


def course_root() -> Path:
    """The course root: $GRADE_COURSE_ROOT, else the checkout this package was installed from."""
    env = os.environ.get("GRADE_COURSE_ROOT")
    root = Path(env) if env else package_parent()
    if not (root / "course" / "course.toml").is_file():
        raise GradeError(
            f"no course found at {root} (course/course.toml is missing); "
            "set GRADE_COURSE_ROOT to the folder that holds course/"
        )
    return root


def solutions_dir() -> Path:
    return course_root() / "solutions"


def exercises_dir() -> Path:
    return course_root() / "exercises"

