"""The `grade` command line: a thin Click layer over grader.commands (one module per verb).

This file only declares commands, arguments, options and help; each command calls one plain
function in grader/commands/<verb>.py with the context object. User mistakes (GradeError)
become one line on stderr and exit code 1 at one boundary (`_Grade.invoke`); usage errors
exit 2. Nothing heavy (torch, pytest) is imported until a command needs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import __version__
from grader.errors import GradeError

HELP = {"help_option_names": ["-h", "--help"]}
TASKS_HELP = "TOPICS: topics or task ids (convolution, convolution.conv2d); default: all"
PATH_HELP = "folder with your exercise files"


class App:
    """The context object: consoles for humans (stderr for progress, stdout for results)."""

    def __init__(self):
        from rich.console import Console

        self.out = Console()
        self.err = Console(stderr=True)


class _Grade(click.Group):
    """The top-level group: the one place where a GradeError becomes a ClickException
    (exit 1, one line), for every command and sub-group below it."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GradeError as exc:
            raise click.ClickException(str(exc)) from None


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


@click.group(cls=_Grade, context_settings=HELP)
@click.version_option(__version__, prog_name="grade")
@click.pass_context
def main(ctx):
    """Exercises and quizzes for DL Basic + Data Visualization, graded on your machine."""
    ctx.obj = App()


@main.command("list")
@click.pass_obj
def list_cmd(app: App):
    """List topics, exercises and points."""
    from grader.commands.listing import list_course

    list_course(app)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("topics", nargs=-1)
@click.option("--notebooks", is_flag=True, help="Jupyter notebooks (<topic>.ipynb) instead of .py stubs")
@click.pass_obj
def init_cmd(app: App, directory: Path, topics, notebooks: bool):
    """Start a work folder DIRECTORY with the exercise stubs (existing files are kept)."""
    from grader.commands import init

    init.init_cmd(app, directory, topics, notebooks)


@main.command("check", epilog=TASKS_HELP)
@click.argument("topics", nargs=-1)
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True, help=PATH_HELP)
@click.pass_obj
def check_cmd(app: App, topics, path: Path):
    """Run the public sanity checks (seconds; no score)."""
    from grader.commands import submit

    submit.check_cmd(app, topics, path)


@main.command("submit", epilog=TASKS_HELP)
@click.argument("topics", nargs=-1)
@click.option("--path", type=click.Path(path_type=Path), default=Path("."), show_default=True, help=PATH_HELP)
@click.option("--out", type=click.Path(path_type=Path), default=Path("grade-results"), show_default=True,
              help="where results.json (and feedback) are written")
@click.option("--json", "as_json", is_flag=True, help="print one JSON document to stdout instead of the table")
@click.option("--server", default=None, help="grade on this grading server (default in a student bundle: the "
              "server of `grade login`)")
@click.pass_obj
def submit_cmd(app: App, topics, path: Path, out: Path, as_json: bool, server):
    """Grade your exercise files with the hidden tests and write results.json."""
    from grader.commands import submit

    submit.submit_cmd(app, topics, path, out, as_json, server)


@main.group("quiz", cls=_QuizGroup, context_settings=HELP)
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
def quiz_take_cmd(app: App, topic: str, lang: str, path: Path, answers_file, as_json: bool, redo: bool):
    """Answer TOPIC's quiz (answers saved as you go; a second run resumes), or grade --answers FILE."""
    from grader.commands import quiz

    quiz.take_cmd(app, topic, lang, path, answers_file, as_json, redo)


@quiz_group.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["gift", "qti", "html"]), required=True,
              help="gift: Moodle GIFT text; qti: Canvas QTI 1.2 zip; html: a printable sheet")
@click.option("--topic", "topics", multiple=True, help="export only this topic (repeatable; default: all)")
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True)
@click.option("--key", is_flag=True, help="html: include the answers and explanations (for instructors)")
@click.pass_obj
def quiz_export_cmd(app: App, out: Path, fmt: str, topics, lang: str, key: bool):
    """Export the course's quizzes to OUT (a file) for an LMS or for printing."""
    from grader.commands import quiz

    quiz.export_cmd(app, out, fmt, topics, lang, key)


@main.command("release")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--topic", "topics", multiple=True, help="release only this topic (repeatable; default: all)")
@click.option("--gradescope", is_flag=True,
              help="also write OUT-autograder.zip (beside OUT: it holds the hidden tests) for Gradescope")
@click.pass_obj
def release_cmd(app: App, out: Path, topics, gradescope: bool):
    """Build the student bundle OUT: stubs, public tests, data, quiz questions and the client;
    never solutions, hidden tests or quiz answers (a leak check fails the release)."""
    from grader.commands import release

    release.release_cmd(app, out, topics, gradescope)


@main.group("serve", cls=_ServeGroup, context_settings=HELP)
def serve_group():
    """The grading server: `grade serve init DATA_DIR --roster roster.csv` once, then
    `grade serve DATA_DIR [--host 127.0.0.1] [--port 8000] [--jobs N]`."""


@serve_group.command("init")
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("--roster", type=click.Path(path_type=Path), required=True,
              help="CSV with one student id per line (first column)")
@click.pass_obj
def serve_init_cmd(app: App, data_dir: Path, roster: Path):
    """Create DATA_DIR: the database and tokens.csv (one token per student, plus the instructor's)."""
    from grader.commands import serve

    serve.init_cmd(app, data_dir, roster)


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
def serve_run_cmd(app: App, data_dir: Path, host: str, port: int, jobs: int, rate: int, unsafe: bool, cluster):
    """Run the grading server on DATA_DIR until Ctrl-C."""
    from grader.commands import serve

    serve.run_cmd(app, data_dir, host, port, jobs, rate, unsafe, cluster)


@main.command("login")
@click.argument("url")
@click.option("--token", required=True, help="your token, from your instructor")
@click.pass_obj
def login_cmd(app: App, url: str, token: str):
    """Save the grading server's URL and your token for `grade submit` and `grade history`."""
    from grader.commands import remote

    remote.login_cmd(app, url, token)


@main.command("history")
@click.option("--server", default=None, help="another server than the one of `grade login`")
@click.pass_obj
def history_cmd(app: App, server):
    """Your submissions to the grading server and their scores."""
    from grader.commands import remote

    remote.history_cmd(app, server)


@main.group("export", context_settings=HELP)
def export_group():
    """Export the course for other tools (nbgrader)."""


@export_group.command("nbgrader")
@click.argument("course_dir", type=click.Path(path_type=Path))
@click.option("--topic", "topics", multiple=True, help="export only this topic (repeatable; default: all)")
@click.pass_obj
def export_nbgrader_cmd(app: App, course_dir: Path, topics):
    """Write an nbgrader course directory: one assignment per topic, graded by this grader."""
    from grader.commands import export

    export.nbgrader_cmd(app, course_dir, topics)


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
def batch_cmd(app: App, submissions: Path, topics, jobs, out: Path, force: bool, guard, unsafe: bool, cluster):
    """Grade a class: SUBMISSIONS holds one sub-folder per student (or is a .zip of that)."""
    from grader.commands import batch

    batch.batch_cmd(app, submissions, topics, jobs, out, force, guard, unsafe, cluster)


if __name__ == "__main__":
    sys.exit(main())
