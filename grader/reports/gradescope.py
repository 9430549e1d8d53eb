"""results.json in Gradescope's autograder schema (the diff images beside it: reports/artifacts.py)."""

from __future__ import annotations

import json
from pathlib import Path

from grader.files import write_atomic
from grader.reports.artifacts import write_artifacts
from grader.results import SubmissionResult


def _test_output(test, ex) -> str:
    return test.message or ("ok" if test.status == "passed" else "failed")


def tags(test, ex) -> list[str]:
    """A test's Gradescope tags: topic, exercise, "kind:<kind>", and "mistake:<name>" when a
    check recognised the mistake (read from the result's fields)."""
    out = [ex.topic, ex.name, f"kind:{test.kind}"]
    return out + ([f"mistake:{test.mistake}"] if test.mistake else [])


def gradescope(result: SubmissionResult, artifact_files: dict[str, str] | None = None) -> dict:
    """The Gradescope results.json document: one entry per test, named topic.exercise: test.
    An incomplete result says so in its output and in extra_data["complete"]."""
    tests = []
    for ex in result.exercises:
        if ex.error:
            tests.append({"name": f"{ex.task_id}", "score": 0.0, "max_score": ex.max_score, "status": "failed",
                          "output": ex.error, "visibility": "visible", "tags": [ex.topic]})
        for t in ex.tests:
            tests.append({"name": f"{ex.task_id}: {t.name}", "score": t.score, "max_score": t.max_score,
                          "status": t.status, "output": _test_output(t, ex), "visibility": "visible",
                          "tags": tags(t, ex)})
    doc = {"score": result.score, "max_score": result.max_score, "execution_time": result.execution_time,
           "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}
    if result.error:
        doc["output"] = result.error
    extra = {}
    if artifact_files:
        extra["artifacts"] = artifact_files
    if not result.complete:
        extra["complete"] = False
        extra["status"] = result.status
    if result.suspicious:
        extra["suspicious_code"] = list(result.suspicious)
    if result.isolation:
        extra["isolation"] = list(result.isolation)
    if extra:
        doc["extra_data"] = extra
    return doc


def write_results(result: SubmissionResult, out: Path) -> Path:
    """results.json plus the artifacts (diff images) in `out`; returns the results path."""
    files = write_artifacts(result, out)
    path = out / "results.json"
    write_atomic(path, json.dumps(gradescope(result, files), indent=2))
    return path
