"""What was graded already: content hashes and the state file OUT/state.json.

A student is up to date when the hash of their files, the selected topics and the grading
suite (hidden tests, solutions, manifests, the grader's checking code) is the one recorded
when their results were written. Anything else is graded (again).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from grader import __version__
from grader.batch.inputs import StudentInput
from grader.paths import course_root
from grader.reports.gradescope import write_atomic

STATE_FILE = "state.json"
FORMAT = 1
# The grader's own files whose change can change a verdict (relative to the package's parent).
GRADER_GLOBS = ("grader/checks/*.py", "grader/harness/*.py", "grader/plots/*.py", "grader/worker/*.py",
                "grader/client.py", "grader/student.py", "grader/wire.py", "grader/results.py",
                "grader/manifest.py", "grader/quiz/*.py")


def _feed(h, label: str, data: bytes) -> None:
    h.update(label.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)


def _suite_files(topics) -> list[tuple[str, Path]]:
    root = course_root()
    package_parent = Path(__file__).resolve().parents[2]
    files = [("course/course.toml", root / "course" / "course.toml")]
    for t in topics:
        for rel in (f"course/{t.name}.toml", f"solutions/{t.name}.py", f"tests/hidden/test_{t.name}.py"):
            files.append((rel, root / rel))
    data = root / "course" / "data"
    files += [(f"course/data/{p.name}", p) for p in sorted(data.glob("*"))] if data.is_dir() else []
    for pattern in GRADER_GLOBS:
        files += [(p.relative_to(package_parent).as_posix(), p) for p in sorted(package_parent.glob(pattern))]
    return files


def suite_hash(topics) -> str:
    """sha256 over everything of the grader that decides a verdict for these topics."""
    h = hashlib.sha256(f"dlviz-grader {__version__}".encode())
    for label, path in _suite_files(topics):
        _feed(h, label, path.read_bytes() if path.is_file() else b"<missing>")
    return h.hexdigest()


def submission_hash(student: StudentInput, topics, suite: str) -> str:
    """sha256 over the student's files (relative paths and bytes), the topics and the suite."""
    h = hashlib.sha256()
    _feed(h, "topics", ",".join(t.name for t in topics).encode())
    _feed(h, "suite", suite.encode())
    for rel in student.files:
        _feed(h, rel, (student.folder / rel).read_bytes())
    return h.hexdigest()


class State:
    """OUT/state.json: {"format": 1, "students": {id: {"hash", "status", "score", ...}}}."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.students: dict[str, dict] = {}
        self.damaged = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("students"), dict):
                self.students = data["students"]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError):
            self.damaged = True  # unreadable: everybody is graded again, nothing is trusted

    def hash_of(self, student_id: str) -> str | None:
        return (self.students.get(student_id) or {}).get("hash")

    def record(self, student_id: str, digest: str, **info) -> None:
        """Remember a finished student and write the state file at once (atomically)."""
        self.students[student_id] = {"hash": digest, "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), **info}
        self.save()

    def save(self) -> None:
        doc = {"format": FORMAT, "students": dict(sorted(self.students.items()))}
        write_atomic(self.path, json.dumps(doc, indent=1, ensure_ascii=False))
