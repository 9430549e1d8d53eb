"""The `grade submit --json` document: totals and per-exercise tests, read from the result's fields."""

from __future__ import annotations

from grader.results import SubmissionResult


def summary(result: SubmissionResult) -> dict:
    """The `grade submit --json` document: totals and per-exercise tests."""
    return {
        "score": result.score,
        "max_score": result.max_score,
        "status": result.status,
        "error": result.error,
        "suspicious_code": list(result.suspicious),
        "exercises": [
            {"topic": ex.topic, "name": ex.name, "score": ex.score, "max_score": ex.max_score,
             "error": ex.error,
             "tests": [{"name": t.name, "status": t.status, "kind": t.kind, "mistake": t.mistake,
                        "message": t.message} for t in ex.tests]}
            for ex in result.exercises
        ],
    }
