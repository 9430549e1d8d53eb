"""Gradescope: `grade release OUT --gradescope` writes OUT/autograder.zip in Gradescope's layout
(setup.sh and run_autograder at the top, the whole course with its hidden suites in source/),
and `python -m grader.release.autograder` is what run_autograder runs: it grades
/autograder/submission and writes /autograder/results/results.json (Gradescope's schema).

AUTOGRADER_ROOT replaces /autograder (the tests use a temporary folder laid out the same way).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from grader.paths import course_root

SOURCE_DIRS = ("grader", "course", "solutions", "exercises", "tests/public", "tests/hidden")
SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
cd /autograder/source
python3 -m pip install --disable-pip-version-check -q -e .
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission, write
# /autograder/results/results.json. The grader never fails the run: problems are in the results.
cd "${AUTOGRADER_ROOT:-/autograder}/source"
GRADE_COURSE_ROOT="$PWD" exec python3 -m grader.release.autograder
"""


def _source_files(root: Path) -> dict[str, bytes]:
    files = {"pyproject.toml": (root / "pyproject.toml").read_bytes(), "tests/__init__.py": b""}
    for top in SOURCE_DIRS:
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def autograder_zip() -> bytes:
    """The zip Gradescope's "Zip file upload" autograder takes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16  # executable
            zf.writestr(info, text)
        for rel, data in _source_files(course_root()).items():
            zf.writestr(f"source/{rel}", data)
    return buf.getvalue()


def _copy_submission(submission: Path, work: Path) -> None:
    """The submission's modules and quiz answers (found at the top or one folder down)."""
    for path in sorted(submission.rglob("*")):
        rel = path.relative_to(submission)
        if path.is_file() and not path.is_symlink() and len(rel.parts) <= 3:
            if path.suffix == ".py" and len(rel.parts) <= 2:
                shutil.copyfile(path, work / path.name)
            elif path.suffix == ".toml" and path.parent.name == "answers":
                (work / "answers").mkdir(exist_ok=True)
                shutil.copyfile(path, work / "answers" / path.name)


def main() -> int:
    from grader.commands.submit import run
    from grader.errors import GradeError
    from grader.manifest import load_course
    from grader.reports.gradescope import write_results
    from grader.results import catastrophic

    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
        work = Path(tmp)
        _copy_submission(root / "submission", work)
        try:
            result = run(work)
        except GradeError as exc:
            result = catastrophic(f"nothing could be graded: {exc}", sum(t.points for t in load_course().topics))
        write_results(result, results)
    print(f"graded: {result.score:g} / {result.max_score:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
