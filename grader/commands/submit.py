"""`grade submit` and `grade check`: run the hidden (or public) suites on a work folder."""

from __future__ import annotations

from pathlib import Path

from grader.errors import GradeError
from grader.manifest import load_course
from grader.results import SubmissionResult


def validate_folder(path: Path, topic_names=()) -> None:
    """A one-line error for folders that cannot be graded at all."""
    if not path.exists():
        raise GradeError(f"folder {path} does not exist (run `grade init {path}` to start one)")
    if not path.is_dir():
        raise GradeError(f"{path} is a file; give the folder that holds your exercise files")
    topics = load_course().select(topic_names)
    if not any((path / f"{t.name}.py").is_file() or (path / f"{t.name}.ipynb").is_file() for t in topics):
        names = ", ".join(f"{t.name}.py" for t in topics[:3])
        raise GradeError(f"no exercise files in {path} (expected {names}, ...); run `grade init {path}` first")


def run(path: Path, topic_names=(), suite: str = "hidden") -> SubmissionResult:
    """Grade the folder with the chosen suite; a submission also grades each topic's quiz
    from path/answers/<topic>.toml (the exercise `quiz`)."""
    from grader.harness.runner import grade
    from grader.quiz.scores import add_quizzes

    validate_folder(path, topic_names)
    if suite == "hidden" and load_course().student_bundle:
        raise GradeError("this course bundle has no hidden tests: your work is graded on the course server "
                         "(`grade login URL --token TOKEN` once, then `grade submit`)")
    from grader.notebooks.stage import gradeable

    topics = load_course().select(topic_names)
    with gradeable(path, topics) as folder:  # <topic>.ipynb stands in for a missing <topic>.py
        result = grade(folder, topic_names, suite)
    if suite == "hidden":  # quizzes of the topics chosen whole (not of a single task id)
        add_quizzes(result, path, [t for t in topics if not topic_names or t.name in topic_names])
    return result
