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
@click.option("--notebooks", is_flag=True, help="Jupyter notebooks (<topic>.ipynb) instead of .py stubs")
@click.pass_obj
@_boundary
def init_cmd(app: App, directory: Path, topics, notebooks: bool):
    """Start a work folder DIRECTORY with the exercise stubs (existing files are kept)."""
    from grader.commands.init import init_workdir

    report = init_workdir(directory, topics, notebooks)
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


TASKS_HELP = "TOPICS: topics or task ids (convolution, convolution.conv2d); default: all"


@main.command("check", epilog=TASKS_HELP)
@click.argument("topics", nargs=-1)
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="folder with your exercise files")
@click.pass_obj
@_boundary
def check_cmd(app: App, topics, path: Path):
    """Run the public sanity checks (seconds; no score)."""
    from grader.reports.table import print_result

    try:
        result = _grade(app, path, topics, "public", quiet=False)
    except KeyboardInterrupt:
        app.err.print("interrupted", highlight=False)
        sys.exit(130)
    print_result(result, app.out, title=f"Public checks for {path}")
    if not result.complete and result.status != "catastrophic":
        app.err.print("interrupted: the checks marked \"not run\" did not run", highlight=False)
        sys.exit(130)


@main.command("submit", epilog=TASKS_HELP)
@click.argument("topics", nargs=-1)
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="folder with your exercise files")
@click.option("--out", type=click.Path(path_type=Path), default=Path("grade-results"), show_default=True,
              help="where results.json (and feedback) are written")
@click.option("--json", "as_json", is_flag=True, help="print one JSON document to stdout instead of the table")
@click.option("--server", default=None, help="grade on this grading server (default in a student bundle: the "
              "server of `grade login`)")
@click.pass_obj
@_boundary
def submit_cmd(app: App, topics, path: Path, out: Path, as_json: bool, server):
    """Grade your exercise files with the hidden tests and write results.json."""
    from grader.manifest import load_course
    from grader.reports.gradescope import summary, write_results
    from grader.reports.html import write_feedback
    from grader.reports.table import print_result

    if server or load_course().student_bundle:
        result, written, feedback = _remote_submit(app, path, topics, out, server, quiet=as_json)
    else:
        try:
            result = _grade(app, path, topics, "hidden", quiet=as_json)
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


class _DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to `default`
    (`grade quiz TOPIC` runs `grade quiz take TOPIC`; `grade serve DIR`, `grade serve run DIR`)."""

    default = ""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


class _QuizGroup(_DefaultGroup):
    default = "take"


class _ServeGroup(_DefaultGroup):
    default = "run"


@main.group("quiz", cls=_QuizGroup, context_settings={"help_option_names": ["-h", "--help"]})
def quiz_group():
    """Answer a topic's quiz: `grade quiz TOPIC` (in the terminal), `grade quiz TOPIC --answers FILE`
    (grade a file), `grade quiz export --format gift|qti|html OUT` (for an LMS)."""


@quiz_group.command("take")
@click.argument("topic")
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True, help="question language")
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="work folder: answers are saved in PATH/answers/TOPIC.toml")
@click.option("--answers", "answers_file", type=click.Path(path_type=Path), default=None,
              help="grade this answers file instead of asking")
@click.option("--json", "as_json", is_flag=True, help="with --answers: print the result as JSON")
@click.option("--redo", is_flag=True, help="ask every question again, even the ones already answered")
@click.pass_obj
@_boundary
def quiz_take_cmd(app: App, topic: str, lang: str, path: Path, answers_file, as_json: bool, redo: bool):
    """Answer TOPIC's quiz (answers saved as you go; a second run resumes), or grade --answers FILE."""
    from grader.commands.quiz import grade_file, quiz_topic
    from grader.quiz.ask import ask_quiz, show_result

    if answers_file is not None:
        result = grade_file(topic, answers_file, lang)
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            show_result(app.out, quiz_topic(topic), _answers_of(topic, answers_file), lang)
        return
    if as_json:
        raise GradeError("--json needs --answers FILE")
    t = quiz_topic(topic)
    try:
        answers = ask_quiz(t, path, lang, app.out, redo=redo)
    except KeyboardInterrupt:
        app.err.print("\nstopped: your answers so far are saved; run the same command to go on")
        sys.exit(130)
    if t.student_bundle:  # no answers here: the course server grades the quiz with the submission
        app.out.print(f"{len(answers)} answers saved; `grade submit {topic}` sends them to the course server "
                      "for grading", highlight=False)
        return
    show_result(app.out, t, answers, lang)


def _answers_of(topic: str, answers_file: Path) -> dict:
    from grader.commands.quiz import quiz_topic
    from grader.quiz.answers import read_answers
    from grader.quiz.model import questions

    return read_answers(answers_file, questions(quiz_topic(topic)))


@quiz_group.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["gift", "qti", "html"]), required=True,
              help="gift: Moodle GIFT text; qti: Canvas QTI 1.2 zip; html: a printable sheet")
@click.option("--topic", "topics", multiple=True, help="export only this topic (repeatable; default: all)")
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True)
@click.option("--key", is_flag=True, help="html: include the answers and explanations (for instructors)")
@click.pass_obj
@_boundary
def quiz_export_cmd(app: App, out: Path, fmt: str, topics, lang: str, key: bool):
    """Export the course's quizzes to OUT (a file) for an LMS or for printing."""
    from grader.commands.quiz import export_quizzes

    path, count = export_quizzes(fmt, out, topics, lang, key)
    app.out.print(f"wrote {count} questions to {path}", highlight=False)


@main.command("release")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--topic", "topics", multiple=True, help="release only this topic (repeatable; default: all)")
@click.option("--gradescope", is_flag=True,
              help="also write OUT-autograder.zip (beside OUT: it holds the hidden tests) for Gradescope")
@click.pass_obj
@_boundary
def release_cmd(app: App, out: Path, topics, gradescope: bool):
    """Build the student bundle OUT: stubs, public tests, data, quiz questions and the client;
    never solutions, hidden tests or quiz answers (a leak check fails the release)."""
    from grader.commands.release import release

    report = release(out, topics, gradescope)
    app.out.print(f"released {len(report.topics)} topics ({report.files} files) to {report.out}; leak check passed",
                  highlight=False)
    if report.autograder:
        app.out.print(f"Gradescope autograder: {report.autograder} (instructors only: it holds the hidden tests)",
                      highlight=False)


@main.group("serve", cls=_ServeGroup, context_settings={"help_option_names": ["-h", "--help"]})
def serve_group():
    """The grading server: `grade serve init DATA_DIR --roster roster.csv` once, then
    `grade serve DATA_DIR [--host 127.0.0.1] [--port 8000] [--jobs N]`."""


@serve_group.command("init")
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("--roster", type=click.Path(path_type=Path), required=True,
              help="CSV with one student id per line (first column)")
@click.pass_obj
@_boundary
def serve_init_cmd(app: App, data_dir: Path, roster: Path):
    """Create DATA_DIR: the database and tokens.csv (one token per student, plus the instructor's)."""
    from grader.serve.tokens import init_data_dir

    tokens = init_data_dir(data_dir, roster)
    app.out.print(f"created {data_dir}; hand each student their token from {tokens} (mode 600; only hashes are "
                  "stored in the database)", highlight=False)


@serve_group.command("run")
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="submissions graded at once")
@click.option("--rate", type=click.IntRange(min=1), default=10, show_default=True,
              help="submissions per student per minute before 429")
@click.option("--unsafe-no-isolation", "unsafe", is_flag=True,
              help="grade even where the sandbox cannot be set up (student code unconfined)")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="grade on the Dask cluster whose scheduler is at ADDRESS instead of --jobs local graders "
                   "(needs the dask extra; see docs/scaling.md)")
@click.pass_obj
@_boundary
def serve_run_cmd(app: App, data_dir: Path, host: str, port: int, jobs: int, rate: int, unsafe: bool, cluster):
    """Run the grading server on DATA_DIR until Ctrl-C."""
    from grader.serve.server import serve

    try:
        serve(data_dir, host, port, jobs, rate, echo=lambda line: click.echo(line), unsafe_no_isolation=unsafe,
              cluster=cluster)
    except KeyboardInterrupt:
        pass


def _remote_submit(app: App, path: Path, topics, out: Path, server, quiet: bool):
    """Upload to the grading server, follow the submission, save its results like a local run."""
    from grader.commands.submit import validate_folder
    from grader.manifest import load_course
    from grader.serve.client import Client, follow, load_login, save_outcome, upload

    validate_folder(path, topics)
    chosen = [t for t in load_course().select(topics)
              if (path / f"{t.name}.py").is_file() or (path / f"{t.name}.ipynb").is_file()]
    client = Client(load_login(server))
    sid = upload(client, path, chosen)
    if quiet:
        doc = follow(client, sid)
    else:
        with app.err.status(f"submitted {sid[:8]} to {client.login.server}: queued") as status:
            doc = follow(client, sid, lambda s: status.update(f"submitted {sid[:8]} to {client.login.server}: {s}"))
    return save_outcome(client, doc, out)


@main.command("login")
@click.argument("url")
@click.option("--token", required=True, help="your token, from your instructor")
@click.pass_obj
@_boundary
def login_cmd(app: App, url: str, token: str):
    """Save the grading server's URL and your token for `grade submit` and `grade history`."""
    from grader.serve.client import Client, Login, save_login

    if not url.startswith(("http://", "https://")):
        raise GradeError(f"{url} is not a web address; give it as http://HOST:PORT")
    Client(Login(url.rstrip("/"), token)).submissions()  # fails here on a wrong URL or token
    path = save_login(url, token)
    app.out.print(f"logged in to {url}; saved in {path}", highlight=False)


@main.command("history")
@click.option("--server", default=None, help="another server than the one of `grade login`")
@click.pass_obj
@_boundary
def history_cmd(app: App, server):
    """Your submissions to the grading server and their scores."""
    import datetime as dt

    from rich.table import Table

    from grader.serve.client import Client, load_login

    subs = Client(load_login(server)).submissions()
    table = Table(title="Your submissions", title_justify="left")
    for col in ("id", "when", "topics", "status", "score"):
        table.add_column(col)
    for s in subs:
        when = dt.datetime.fromtimestamp(s["created"]).strftime("%Y-%m-%d %H:%M")
        score = f"{s['score']:g} / {s['max_score']:g}" if s["score"] is not None else ""
        table.add_row(s["id"][:8], when, ", ".join(s["topics"]), s["status"] + (" (late)" if s["late"] else ""), score)
    app.out.print(table if subs else "no submissions yet")


@main.group("export", context_settings={"help_option_names": ["-h", "--help"]})
def export_group():
    """Export the course for other tools (nbgrader)."""


@export_group.command("nbgrader")
@click.argument("course_dir", type=click.Path(path_type=Path))
@click.option("--topic", "topics", multiple=True, help="export only this topic (repeatable; default: all)")
@click.pass_obj
@_boundary
def export_nbgrader_cmd(app: App, course_dir: Path, topics):
    """Write an nbgrader course directory: one assignment per topic, graded by this grader."""
    try:
        from grader.notebooks.nbgrader_export import export_nbgrader

        written = export_nbgrader(course_dir, topics)
    except ImportError as exc:
        raise GradeError(f"the nbgrader export needs nbformat ({exc.name}): pip install -e '.[nbgrader]'") from None
    app.out.print(f"wrote {len(written)} assignments to {course_dir}/source; next: cd {course_dir} && "
                  "nbgrader generate_assignment TOPIC", highlight=False)


@main.command("batch")
@click.argument("submissions", type=click.Path(path_type=Path))
@click.option("--topic", "topics", multiple=True, help="grade only this topic (repeatable; default: all)")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="students graded in parallel  [default: the CPUs this process may use (affinity, cgroup quota), "
                   "at most one per 1.5 GiB of free memory]")
@click.option("--out", type=click.Path(path_type=Path), default=Path("grade-batch"), show_default=True,
              help="where the gradebook, the reports and every student's results go")
@click.option("--force", is_flag=True, help="grade every student again, even if unchanged since the last run")
@click.option("--guard", type=click.FloatRange(min=0, min_open=True), default=None, hidden=True,
              help="hard wall-clock limit per student in seconds (default: 1.5x the time budget + 60 s)")
@click.option("--unsafe-no-isolation", "unsafe", is_flag=True,
              help="grade even where the kernel refuses the sandbox (student code then runs unconfined)")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="grade on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786 or tls://...; "
                   "needs the dask extra; see docs/scaling.md) instead of local processes")
@click.pass_obj
@_boundary
def batch_cmd(app: App, submissions: Path, topics, jobs, out: Path, force: bool, guard, unsafe: bool, cluster):
    """Grade a class: SUBMISSIONS holds one sub-folder per student (or is a .zip of that)."""
    from grader.batch.progress import BatchProgress
    from grader.batch.run import BatchOptions, run_batch

    opts = BatchOptions(submissions, tuple(topics), jobs, out, force, guard, unsafe, cluster)
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
