"""HTML pages (jinja2 templates in templates/) and the student's feedback page.

View builders turn results into plain dicts (no HTML); `render` turns a view into a page.
Images are embedded as data: URIs, so a page is one self-contained file. The class report's
view is built where its data lives, in grader/batch/classreport.py, and rendered here.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from grader.files import write_atomic
from grader.reports.numbers import fmt, percent
from grader.results import Artifact, ExerciseResult, SubmissionResult

TEMPLATES = Path(__file__).with_name("templates")
RESULT_CLASS = {"ok": "good", "incomplete": "warn"}  # css of a SubmissionResult's status; others are "bad"


def png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _image(art: Artifact) -> dict:
    src = png_uri(art.data) if art.data else quote(art.filename)
    return {"caption": art.caption or art.test, "test": art.test, "src": src, "filename": art.filename}


def _mark(ex: ExerciseResult) -> str:
    if ex.max_score and ex.score >= ex.max_score:
        return "full"
    return "partial" if ex.score > 0 else "zero"


def _exercise_view(ex: ExerciseResult, images: list[dict]) -> dict:
    return {
        "task_id": ex.task_id, "topic": ex.topic, "name": ex.name, "mark": _mark(ex),
        "score": fmt(ex.score), "max_score": fmt(ex.max_score),
        "passed": sum(t.status == "passed" for t in ex.tests), "total": len(ex.tests), "error": ex.error,
        "failures": [{"name": t.name, "message": t.message or "failed"} for t in ex.failures],
        "passed_names": [t.name for t in ex.tests if t.status == "passed"],
        "images": images,
    }


def feedback_view(result: SubmissionResult, student: str = "", status: str = "", status_class: str = "") -> dict:
    """Everything the feedback page shows, as plain data. `status` and `status_class` (the
    badge's css: good, warn, bad) default to the result's own status; a caller with its own
    statuses (a batch) passes both."""
    if not status:
        status, status_class = result.status, RESULT_CLASS.get(result.status, "bad")
    by_task: dict[str, list[dict]] = {}
    for art in result.artifacts:
        by_task.setdefault(f"{art.topic}.{art.exercise}", []).append(_image(art))
    tasks = {ex.task_id for ex in result.exercises}
    return {
        "title": f"Feedback for {student}" if student else "Feedback",
        "student": student, "status": status, "status_class": status_class or "bad",
        "error": result.error, "score": fmt(result.score), "max_score": fmt(result.max_score),
        "percent": percent(result.score, result.max_score), "seconds": round(result.execution_time, 1),
        "exercises": [_exercise_view(ex, by_task.get(ex.task_id, [])) for ex in result.exercises],
        "other_images": [img for key, imgs in by_task.items() if key not in tasks for img in imgs],
        "suspicious": list(result.suspicious),
    }


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    return env


def render(template: str, view: dict) -> str:
    """Render templates/<template> with the view's keys."""
    return _environment().get_template(template).render(**view)


def render_feedback(view: dict) -> str:
    return render("feedback.html", view)


def write_feedback(result: SubmissionResult, out: Path, student: str = "", status: str = "",
                   status_class: str = "") -> Path:
    """out/feedback.html for one submission (atomically); returns its path."""
    path = Path(out) / "feedback.html"
    write_atomic(path, render_feedback(feedback_view(result, student, status, status_class)))
    return path
