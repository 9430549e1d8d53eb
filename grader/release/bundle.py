"""The student bundle: every file a student needs to do the course and nothing more.

What goes in: the `grader` package (the client: init, check, quiz, submit, login, history),
a pyproject that installs it, course/ (course.toml marked `student_bundle`, each topic's
manifest with its quiz's answers and explanations removed, data/), exercises/ (the stubs),
tests/public/, notebooks/ when the course has them. Never solutions/, tests/hidden/,
tests/grader/ or quiz answers: the leak check (leaks.py) verifies the written folder.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from grader.errors import GradeError
from grader.manifest import load_course
from grader.paths import course_root
from grader.quiz.model import ANSWER_KEYS

MARKER_DONE = "RELEASE.json"
MARKER_INCOMPLETE = "RELEASE_INCOMPLETE.txt"
SKIP_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache"}


def _package_files(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted((root / "grader").rglob("*")):
        if path.is_file() and not SKIP_PARTS & set(path.parts) and path.suffix in (".py", ".html", ".md", ".typed"):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _toml(data: dict) -> bytes:
    import tomli_w

    text = tomli_w.dumps(data)
    if tomllib.loads(text) != data:  # a writer bug must not ship a different course
        raise GradeError("the course manifest could not be rewritten faithfully for the bundle")
    return text.encode("utf-8")


def topic_manifest(path: Path) -> bytes:
    """course/<topic>.toml without any quiz answer or explanation."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["quiz"] = [{k: v for k, v in q.items() if k not in ANSWER_KEYS} for q in data.get("quiz", [])]
    if not data["quiz"]:
        del data["quiz"]
    return _toml(data)


def _pyproject(root: Path) -> bytes:
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = {k: v for k, v in data["project"].items() if k != "optional-dependencies"}
    project["description"] = "The student client of the course: stubs, public checks, quizzes, submit"
    out = {"build-system": data["build-system"], "project": project,
           "tool": {"setuptools": data["tool"]["setuptools"]}}
    return _toml(out)


def _readme(course, topics) -> bytes:
    names = ", ".join(t.name for t in topics)
    text = f"""# {course.title}: student bundle

Topics: {names}.

```bash
pip install -e .                 # once, in a virtual environment (torch==2.13.0 CPU)
grade init ~/dl-work             # your work folder with the stubs and the course data
cd ~/dl-work
grade check TOPIC                # public sanity checks
grade quiz TOPIC                 # the topic's quiz (--lang ko for Korean); answers/TOPIC.toml
grade login URL --token TOKEN    # once: the course server and your token from your instructor
grade submit TOPIC               # graded on the course server; results.json and feedback.html here
grade history                    # your submissions and scores
```

This bundle has no hidden tests, solutions or quiz answers: scores come from the course server.
"""
    return text.encode("utf-8")


def bundle_files(topic_names=()) -> dict[str, bytes]:
    """relative path -> bytes of every file of the student bundle for the chosen topics."""
    root = course_root()
    course = load_course()
    topics = course.select(topic_names)
    files = _package_files(root)
    files["pyproject.toml"] = _pyproject(root)
    files["README.md"] = _readme(course, topics)
    files["course/course.toml"] = _toml({"title": course.title, "topics": [t.name for t in topics],
                                         "student_bundle": True})
    for t in topics:
        files[f"course/{t.name}.toml"] = topic_manifest(root / "course" / f"{t.name}.toml")
        for rel in (f"exercises/{t.name}.py", f"tests/public/test_{t.name}.py", f"notebooks/{t.name}.ipynb"):
            if (root / rel).is_file():
                files[rel] = (root / rel).read_bytes()
    files["tests/__init__.py"] = b""
    data = root / "course" / "data"
    for path in sorted(data.glob("*")) if data.is_dir() else ():
        if path.is_file():
            files[f"course/data/{path.name}"] = path.read_bytes()
    return files


def write_bundle(out: Path, files: dict[str, bytes]) -> None:
    """Write the files into a fresh OUT, marked incomplete until the leak check passes."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not ((out / MARKER_DONE).is_file() or (out / MARKER_INCOMPLETE).is_file()):
            raise GradeError(f"{out} exists and is not a release folder; give an empty or new folder")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER_INCOMPLETE).write_text("this release was not finished or failed its leak check\n")
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def mark_done(out: Path, files: dict[str, bytes], topics) -> None:
    import hashlib

    manifest = {"topics": [t.name for t in topics],
                "files": {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(files.items())}}
    (out / MARKER_DONE).write_text(json.dumps(manifest, indent=2) + "\n")
    (out / MARKER_INCOMPLETE).unlink(missing_ok=True)


def mark_failed(out: Path, findings) -> None:
    lines = [f"{f.file}: {f.what}" for f in findings]
    (out / MARKER_INCOMPLETE).write_text("the leak check failed; do not give this folder to students:\n"
                                         + "\n".join(lines) + "\n")
