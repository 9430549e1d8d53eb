"""The `grade` command line: a thin Click layer over grader.commands.

User mistakes (GradeError) become one line on stderr and exit code 1; usage errors exit 2.
Nothing heavy (torch, pytest) is imported until a command needs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import __version__
from grader.errors import GradeError


class App:
    """The context object: consoles for humans (stderr for progress, stdout for results)."""

    def __init__(self):
        from rich.console import Console

        self.out = Console()
        self.err = Console(stderr=True)


def _boundary(fn):
    """Turn GradeError into a ClickException (exit 1, one line)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except GradeError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grade")
@click.pass_context
def main(ctx):
    """Exercises and quizzes for DL Basic + Data Visualization, graded on your machine."""
    ctx.obj = App()


@main.command("list")
@click.pass_obj
@_boundary
def list_cmd(app: App):
    """List topics, exercises and points."""
    from rich.table import Table

    from grader.manifest import load_course

    course = load_course()
    table = Table(title=course.title, title_justify="left")
    for col in ("topic", "exercise", "points", "time limit"):
        table.add_column(col)
    for topic in course.topics:
        table.add_section()
        for i, ex in enumerate(topic.exercises):
            label = f"{topic.name}  {topic.title} / {topic.title_ko}" if i == 0 else ""
            table.add_row(label, ex.name, f"{ex.points:g}", f"{ex.timeout:g} s")
    app.out.print(table)
    app.out.print(f"{len(course.topics)} topics, {sum(t.points for t in course.topics):g} points")


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("topics", nargs=-1)
@click.pass_obj
@_boundary
def init_cmd(app: App, directory: Path, topics):
    """Start a work folder DIRECTORY with the exercise stubs (existing files are kept)."""
    from grader.commands.init import init_workdir

    report = init_workdir(directory, topics)
    for p in report.created:
        app.out.print(f"created {p}")
    for p in report.kept:
        app.out.print(f"kept    {p} (already there, not overwritten)")
    app.out.print(f"\nNext: edit the files in {directory}, then run `grade check --path {directory}` "
                  f"and `grade submit --path {directory}`.")


def _grade(app: App, path: Path, topics, suite: str, quiet: bool):
    from grader.commands.submit import run

    if quiet:
        result = run(path, topics, suite)
    else:
        with app.err.status(f"Running the {suite} tests on {path} ..."):
            result = run(path, topics, suite)
    unconfined = [i for i in result.isolation if i.startswith("NOT ISOLATED")]
    if unconfined:  # students grading their own code: a warning, not a refusal
        click.echo(f"warning: student code runs without the sandbox here ({unconfined[0].split(': ', 1)[-1]}); "
                   "it could read and change your files", err=True)
    return result


@main.command("check")
@click.argument("topics", nargs=-1)
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="folder with your exercise files")
@click.pass_obj
@_boundary
def check_cmd(app: App, topics, path: Path):
    """Run the public sanity checks (seconds; no score)."""
    from grader.reports.table import print_result

    result = _grade(app, path, topics, "public", quiet=False)
    print_result(result, app.out, title=f"Public checks for {path}")


@main.command("submit")
@click.argument("topics", nargs=-1)
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="folder with your exercise files")
@click.option("--out", type=click.Path(path_type=Path), default=Path("grade-results"), show_default=True,
              help="where results.json (and feedback) are written")
@click.option("--json", "as_json", is_flag=True, help="print one JSON document to stdout instead of the table")
@click.pass_obj
@_boundary
def submit_cmd(app: App, topics, path: Path, out: Path, as_json: bool):
    """Grade your exercise files with the hidden tests and write results.json."""
    from grader.reports.gradescope import summary, write_results
    from grader.reports.html import write_feedback
    from grader.reports.table import print_result

    result = _grade(app, path, topics, "hidden", quiet=as_json)
    written = write_results(result, out)
    feedback = write_feedback(result, out, student=path.resolve().name)
    if as_json:
        click.echo(json.dumps(summary(result), indent=2))
        return
    print_result(result, app.out, title=f"Score for {path}")
    app.out.print(f"\nresults: {written}\nfeedback: {feedback}")


@main.command("batch")
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--topic", "topics", multiple=True, help="grade only this topic (repeatable; default: all)")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="students graded in parallel  [default: the number of CPUs, at most one per 1.5 GiB of free memory]")
@click.option("--out", type=click.Path(path_type=Path), default=Path("grade-batch"), show_default=True,
              help="where the gradebook, the reports and every student's results go")
@click.option("--force", is_flag=True, help="grade every student again, even if unchanged since the last run")
@click.option("--guard", type=click.FloatRange(min=0, min_open=True), default=None, hidden=True,
              help="hard wall-clock limit per student in seconds (default: 1.5x the time budget + 60 s)")
@click.option("--unsafe-no-isolation", "unsafe", is_flag=True,
              help="grade even where the kernel refuses the sandbox (student code then runs unconfined)")
@click.pass_obj
@_boundary
def batch_cmd(app: App, submissions: Path, topics, jobs, out: Path, force: bool, guard, unsafe: bool):
    """Grade a class: SUBMISSIONS holds one sub-folder per student (or is a .zip of that)."""
    from grader.batch.progress import BatchProgress
    from grader.batch.run import BatchOptions, run_batch

    opts = BatchOptions(submissions, tuple(topics), jobs, out, force, guard, unsafe)
    summary = run_batch(opts, BatchProgress(app.err))
    counts = ", ".join(f"{n} {status}" for status, n in summary.statuses.most_common())
    app.out.print(f"{summary.students} students: {summary.graded} graded, {summary.skipped} unchanged"
                  + (f" ({counts})" if counts else ""), highlight=False)
    if summary.isolation:
        app.out.print(f"sandbox: {'; '.join(summary.isolation)}", highlight=False)
    app.out.print(f"gradebook: {summary.gradebook}\nclass report: {summary.class_report}", highlight=False)
    if summary.interrupted:
        app.err.print("interrupted: the students graded so far are saved; run the same command to finish")
        sys.exit(130)


if __name__ == "__main__":
    sys.exit(main())
