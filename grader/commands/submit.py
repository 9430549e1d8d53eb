"""`grade submit` and `grade check`: run the hidden (or public) suites on a work folder."""

from __future__ import annotations

import json
import sys
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
        result = grade(folder, topic_names, suite, split=True)
    if suite == "hidden":  # quizzes of the topics chosen whole (not of a single task id)
        add_quizzes(result, path, [t for t in topics if not topic_names or t.name in topic_names])
    return result


def grade_folder(app, path: Path, topic_names, suite: str, quiet: bool) -> SubmissionResult:
    """`run` behind a spinner on stderr (unless quiet); warns when the sandbox is not there."""
    import click

    if quiet:
        result = run(path, topic_names, suite)
    else:
        with app.err.status(f"Running the {suite} tests on {path} ..."):
            result = run(path, topic_names, suite)
    unconfined = [i for i in result.isolation if i.startswith("NOT ISOLATED")]
    if unconfined:  # students grading their own code: a warning, not a refusal
        click.echo(f"warning: student code runs without the sandbox here ({unconfined[0].split(': ', 1)[-1]}); "
                   "it could read and change your files", err=True)
    return result


def check_cmd(app, topic_names, path: Path) -> None:
    """`grade check`: the public suite's table; exit 130 when interrupted."""
    from grader.reports.table import print_result

    try:
        result = grade_folder(app, path, topic_names, "public", quiet=False)
    except KeyboardInterrupt:
        app.err.print("interrupted", highlight=False)
        sys.exit(130)
    print_result(result, app.out, title=f"Public checks for {path}")
    if not result.complete and result.status != "catastrophic":
        app.err.print("interrupted: the checks marked \"not run\" did not run", highlight=False)
        sys.exit(130)


def submit_cmd(app, topic_names, path: Path, out: Path, as_json: bool, server) -> None:
    """`grade submit`: grade here (or on the course server), write results.json and the
    feedback page to `out`, print the table or the --json summary. Nothing is written
    when grading is interrupted (exit 130)."""
    import click

    from grader.reports.gradescope import write_results
    from grader.reports.summary import summary
    from grader.reports.html import write_feedback
    from grader.reports.table import print_result

    if server or load_course().student_bundle:
        from grader.commands.remote import remote_submit

        result, written, feedback = remote_submit(app, path, topic_names, out, server, quiet=as_json)
    else:
        try:
            result = grade_folder(app, path, topic_names, "hidden", quiet=as_json)
        except KeyboardInterrupt:
            result = None
        if result is None or not result.complete and result.status != "catastrophic":
            app.err.print(f"interrupted: grading did not finish, nothing was written to {out}", highlight=False)
            sys.exit(130)
        written = write_results(result, out)
        feedback = write_feedback(result, out, student=path.resolve().name)
    if as_json:
        click.echo(json.dumps(summary(result), indent=2))
        return
    print_result(result, app.out, title=f"Score for {path}")
    app.out.print(f"\nresults: {written}\nfeedback: {feedback}")
