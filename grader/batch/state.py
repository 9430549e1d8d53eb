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
from grader.files import write_atomic
from grader.paths import course_root, package_parent

STATE_FILE = "state.json"
FORMAT = 1
# The grader's own files whose change can change a verdict (relative to the package's parent).
GRADER_GLOBS = ("grader/checks/*.py", "grader/checks/plots/*.py", "grader/harness/*.py", "grader/figure/*.py",
                "grader/worker/*.py", "grader/client.py", "grader/worker_process.py", "grader/student.py",
                "grader/walk.py", "grader/wire.py", "grader/codec.py", "grader/results.py", "grader/manifest.py",
                "grader/quiz/*.py")


def _feed(h, label: str, data: bytes) -> None:
    h.update(label.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)


def _suite_files(topics) -> list[tuple[str, Path]]:
    root = course_root()
    package = package_parent()
    files = [("course/course.toml", root / "course" / "course.toml")]
    for t in topics:
        for rel in (f"course/{t.name}.toml", f"solutions/{t.name}.py", f"tests/hidden/test_{t.name}.py"):
            files.append((rel, root / rel))
    data = root / "course" / "data"
    files += [(f"course/data/{p.name}", p) for p in sorted(data.glob("*"))] if data.is_dir() else []
    for pattern in GRADER_GLOBS:
        files += [(p.relative_to(package).as_posix(), p) for p in sorted(package.glob(pattern))]
    return files


VERSIONED = ("torch", "numpy", "matplotlib", "pandas", "pytest")  # libraries that decide verdicts too


def library_versions() -> str:
    """'torch 2.13.0, numpy 2.x, ...' (package metadata: nothing heavy is imported)."""
    from importlib import metadata

    found = []
    for name in VERSIONED:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return ", ".join(found)


def suite_hash(topics) -> str:
    """sha256 over everything that decides a verdict for these topics: the grader's files, the
    course's, and the versions of the libraries the checks and the references run on."""
    h = hashlib.sha256(f"dlviz-grader {__version__}".encode())
    _feed(h, "libraries", library_versions().encode())
    for label, path in _suite_files(topics):
        _feed(h, label, path.read_bytes() if path.is_file() else b"<missing>")
    return h.hexdigest()


def files_digest(items) -> str:
    """sha256 over (relative path, bytes) pairs, in the order given."""
    h = hashlib.sha256()
    for rel, data in items:
        _feed(h, rel, data)
    return h.hexdigest()


def combined_hash(files: str, topics, suite: str) -> str:
    """The submission hash: the files' digest with the topics and the suite hash."""
    h = hashlib.sha256()
    _feed(h, "topics", ",".join(t.name for t in topics).encode())
    _feed(h, "suite", suite.encode())
    _feed(h, "files", files.encode())
    return h.hexdigest()


def submission_hash(student: StudentInput, topics, suite: str) -> str:
    """sha256 over the student's files as they are now (relative paths and bytes), the topics
    and the suite. The batch records instead the hash of the bytes its judge staged and graded
    (combined_hash of the judge's files_digest), so a file changed meanwhile is graded again."""
    items = ((rel, (student.folder / rel).read_bytes()) for rel in student.files)
    return combined_hash(files_digest(items), topics, suite)


class State:
    """OUT/state.json: {"format": 1, "students": {id: {"hash", "status", "score", ...}}}."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.students: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("students"), dict):
                self.students = data["students"]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError):
            pass  # unreadable: everybody is graded again, nothing is trusted

    def hash_of(self, student_id: str) -> str | None:
        return (self.students.get(student_id) or {}).get("hash")

    def record(self, student_id: str, digest: str, **info) -> None:
        """Remember a finished student and write the state file at once (atomically)."""
        self.students[student_id] = {"hash": digest, "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), **info}
        self.save()

    def save(self) -> None:
        doc = {"format": FORMAT, "students": dict(sorted(self.students.items()))}
        write_atomic(self.path, json.dumps(doc, indent=1, ensure_ascii=False))
