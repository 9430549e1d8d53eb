"""OUT/gradebook.csv: one row per student, one column per exercise ("topic.name")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.batch.status import NOT_GRADED
from grader.batch.store import Record
from grader.files import write_atomic
from grader.reports.numbers import fmt, percent


def task_columns(topics) -> list[tuple[str, float]]:
    """(task id, points) of every exercise of the selected topics, in course order, each
    topic's quiz (`topic.quiz`) after its exercises."""
    from grader.quiz.scores import QUIZ, quiz_points

    columns = []
    for t in topics:
        columns += [(ex.task_id, ex.points) for ex in t.exercises]
        if quiz_points(t):
            columns.append((f"{t.name}.{QUIZ}", quiz_points(t)))
    return columns


def row(student: str, record: Record | None, columns: list[tuple[str, float]]) -> dict:
    """The gradebook row of one student; a student without a record is "not graded"."""
    max_score = sum(p for _, p in columns)
    if record is None:
        return {"student": student, **{c: "" for c, _ in columns}, "total": "", "max": fmt(max_score),
                "percent": "", "status": NOT_GRADED}
    scores = {ex.task_id: ex.score for ex in record.result.exercises}
    total = sum(scores.get(c, 0.0) for c, _ in columns)
    return {"student": student, **{c: fmt(scores.get(c, 0.0)) for c, _ in columns}, "total": fmt(total),
            "max": fmt(max_score), "percent": f"{percent(total, max_score):g}", "status": record.status}


def gradebook_text(students: list[str], records: dict[str, Record | None], topics) -> str:
    """The gradebook as CSV text (header first)."""
    columns = task_columns(topics)
    fields = ["student", *(c for c, _ in columns), "total", "max", "percent", "status"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for student in students:
        writer.writerow(row(student, records.get(student), columns))
    return buf.getvalue()


def write_gradebook(path: Path, students: list[str], records: dict[str, Record | None], topics) -> Path:
    """Write the CSV atomically (UTF-8, header first); returns its path."""
    write_atomic(Path(path), gradebook_text(students, records, topics))
    return Path(path)
