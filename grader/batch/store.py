"""One student's output folder OUT/students/<id>/: results.json (Gradescope), feedback.html,
the plot images, and grade.json (the full result and its hash, read back for the gradebook).

Every file is replaced atomically; grade.json and results.json are written last, so a folder
is either the old complete result or the new one. Files of an older result that the new one
does not have are removed afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.batch.status import css
from grader.files import write_atomic
from grader.reports.gradescope import write_results
from grader.reports.html import write_feedback
from grader.results import SubmissionResult

GRADE_FILE = "grade.json"


@dataclass
class Record:
    """A graded student as the gradebook and the class report see it."""

    student: str
    status: str
    hash: str
    result: SubmissionResult


def student_dir(out: Path, student_id: str) -> Path:
    return Path(out) / "students" / student_id


def save(out: Path, record: Record) -> Path:
    """Write the student's folder; returns it."""
    folder = student_dir(out, record.student)
    folder.mkdir(parents=True, exist_ok=True)
    keep = {"feedback.html", GRADE_FILE, "results.json", *(a.filename for a in record.result.artifacts)}
    write_feedback(record.result, folder, student=record.student, status=record.status,
                   status_class=css(record.status))
    doc = {"student": record.student, "status": record.status, "hash": record.hash,
           "result": record.result.to_dict()}
    write_atomic(folder / GRADE_FILE, json.dumps(doc, indent=1, ensure_ascii=False))
    write_results(record.result, folder)
    for stale in folder.iterdir():
        if stale.is_file() and stale.name not in keep and not stale.name.startswith("."):
            stale.unlink(missing_ok=True)
    return folder


def load(out: Path, student_id: str) -> Record | None:
    """The student's saved record, or None when there is none or it cannot be read."""
    try:
        doc = json.loads((student_dir(out, student_id) / GRADE_FILE).read_text(encoding="utf-8"))
        return Record(doc["student"], doc["status"], doc["hash"], SubmissionResult.from_dict(doc["result"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
