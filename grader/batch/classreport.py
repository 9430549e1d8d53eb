"""The class report's view: score statistics, per-exercise means, and the failures most
students share: grouped by the `mistake` field where a check recognised one, else by the
message with its numbers normalised (so that the same unnamed failure groups together).
The page is templates/class_report.html, rendered by grader.reports.html like the feedback page."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

from grader.batch.gradebook import task_columns
from grader.batch.status import NOT_GRADED, NOTHING_GRADED, css
from grader.batch.store import Record
from grader.files import write_atomic
from grader.reports.html import png_uri, render
from grader.reports.numbers import fmt, percent

# A number that is not part of a name ("conv2d"); "3.16x" counts as a number.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?!(?!x\b)[\w.])")
NUMBER_LIST = re.compile(r"#(?:\s*,\s*#)+")
TOP = 5
EXAMPLE_CHARS = 800


def normalise(message: str) -> str:
    """The group key of an unnamed failure: the message's first line without the leading
    "what was called" part; numbers become #, lists of numbers #…"""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    text = lines[0] if lines else "failed"
    head, sep, tail = text.partition(": ")
    if sep and "(" in head and tail:
        text = tail
    return NUMBER_LIST.sub("#…", NUMBER.sub("#", text))[:300]


def group_key(test) -> str:
    """A failed test's group: "mistake: <name>" when a check recognised the mistake (the
    result's `mistake` field), else its normalised message."""
    if test.mistake:
        return f"mistake: {test.mistake}"
    return normalise(test.message or "failed")


def failure_groups(records: list[Record], task_id: str) -> list[dict]:
    """The TOP failure groups of one exercise: students (count), key, one example. Students
    with nothing graded (no files, grading failed) say nothing about misconceptions."""
    students: dict[str, set[str]] = {}
    examples: dict[str, tuple[str, str]] = {}
    for rec in records:
        if rec.status in NOTHING_GRADED:
            continue
        for ex in rec.result.exercises:
            if ex.task_id != task_id or (ex.name == "quiz" and not ex.error):
                continue  # quiz answers are summarised per question (grader.quiz.classview)
            keyed = ([(normalise(ex.error), ex.error)] if ex.error else []) + [
                (group_key(t), t.message or "failed") for t in ex.failures if t.kind != "not run"]
            for key, message in keyed:
                students.setdefault(key, set()).add(rec.student)
                examples.setdefault(key, (rec.student, message[:EXAMPLE_CHARS]))
    ranked = sorted(students, key=lambda k: (-len(students[k]), k))[:TOP]
    return [{"key": k, "students": len(students[k]), "example_student": examples[k][0], "example": examples[k][1]}
            for k in ranked]


def _exercise_rows(records: list[Record], topics) -> list[dict]:
    rows = []
    for task_id, points in task_columns(topics):
        scores = [next((e.score for e in r.result.exercises if e.task_id == task_id), 0.0) for r in records]
        mean = statistics.fmean(scores) if scores else 0.0
        rows.append({"task_id": task_id, "mean": fmt(round(mean, 2)), "max_score": fmt(points),
                     "mean_fraction": mean / points if points else 0.0, "percent": percent(mean, points),
                     "full": sum(s >= points for s in scores), "graded": len(scores),
                     "failures": failure_groups(records, task_id)})
    return rows


def _stats(percents: list[float]) -> dict:
    if not percents:
        return {"mean": 0, "median": 0, "low": 0, "high": 0}
    return {"mean": round(statistics.fmean(percents), 1), "median": round(statistics.median(percents), 1),
            "low": min(percents), "high": max(percents)}


def _student_row(student: str, rec: Record | None, max_score: float) -> dict:
    if rec is None:
        return {"student": student, "score": "", "percent": "", "status": NOT_GRADED, "css": "bad", "error": "",
                "link": ""}
    return {"student": student, "score": fmt(rec.result.score), "percent": percent(rec.result.score, max_score),
            "status": rec.status, "css": css(rec.status), "error": rec.result.error[:200],
            "link": f"students/{student}/feedback.html"}


def class_view(students: list[str], records: dict[str, Record | None], topics, title: str = "Class report") -> dict:
    """Everything the class report shows, as plain data (the charts as PNG data: URIs)."""
    from grader.batch import charts
    from grader.quiz.classview import quiz_rows

    max_score = sum(p for _, p in task_columns(topics))
    graded = [records[s] for s in students if records.get(s) is not None]
    percents = [percent(r.result.score, max_score) for r in graded]
    exercises = _exercise_rows(graded, topics)
    rows = [_student_row(s, records.get(s), max_score) for s in students]
    statuses = Counter(r["status"] for r in rows)
    return {
        "title": title, "topics": [t.name for t in topics], "max_score": fmt(max_score), "stats": _stats(percents),
        "statuses": [{"status": s, "count": n, "css": css(s)} for s, n in statuses.most_common()],
        "charts": [
            {"title": "Score distribution", "src": png_uri(charts.histogram(percents))},
            {"title": "Mean score per exercise", "src": png_uri(charts.exercise_means(
                [(e["task_id"], 100.0 * e["mean_fraction"]) for e in exercises]))},
        ],
        "exercises": exercises, "students": rows, "quiz": quiz_rows(graded, topics),
    }


def render_class_report(view: dict) -> str:
    """The class report page of a class_view."""
    return render("class_report.html", view)


def write_class_report(path: Path, students, records, topics) -> Path:
    """Write OUT/class_report.html atomically; returns its path."""
    write_atomic(Path(path), render_class_report(class_view(students, records, topics)))
    return Path(path)
