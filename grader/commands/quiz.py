"""`grade quiz`: answer a topic's quiz in the terminal, grade an answers file, or export the
course's quizzes for an LMS. Plain functions; the Click layer is in grader/cli.py."""

from __future__ import annotations

from pathlib import Path

from grader.errors import GradeError
from grader.manifest import load_course
from grader.quiz.answers import read_answers
from grader.quiz.grading import QuizResult, grade_quiz
from grader.quiz.model import questions


def quiz_topic(name: str):
    topic = load_course().topic(name)
    if not questions(topic):
        raise GradeError(f"topic {name} has no quiz")
    return topic


def grade_file(topic_name: str, answers_file: Path, lang: str = "en") -> QuizResult:
    """Grade an answers file without asking anything."""
    topic = quiz_topic(topic_name)
    if topic.student_bundle:
        raise GradeError("this course bundle holds the questions only; `grade submit` sends your answers to the "
                         "course server, which grades them")
    path = Path(answers_file)
    if not path.is_file():
        raise GradeError(f"answers file {path} does not exist")
    qs = questions(topic)
    return grade_quiz(topic.name, qs, read_answers(path, qs), lang)


def all_quizzes(topic_names=()):
    """[(Topic, questions)] of the chosen topics (default: all) that have a quiz."""
    return [(t, questions(t)) for t in load_course().select(topic_names) if questions(t)]


def export_quizzes(fmt: str, out: Path, topic_names=(), lang: str = "en", key: bool = False) -> tuple[Path, int]:
    """Write the export; returns (path, number of questions)."""
    from grader.quiz.export import export

    quizzes = all_quizzes(topic_names)
    if not quizzes:
        raise GradeError("no quiz to export")
    return export(fmt, quizzes, out, lang, key), sum(len(qs) for _, qs in quizzes)


def take_cmd(app, topic: str, lang: str, path: Path, answers_file, as_json: bool, redo: bool) -> None:
    """`grade quiz TOPIC`: ask in the terminal (answers saved as they come; exit 130 on Ctrl-C),
    or with --answers FILE grade that file and print the result (as JSON with --json)."""
    import json
    import sys

    import click

    from grader.quiz.ask import ask_quiz, show_result

    if answers_file is not None:
        result = grade_file(topic, answers_file, lang)
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            t = quiz_topic(topic)
            show_result(app.out, t, read_answers(answers_file, questions(t)), lang)
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


def export_cmd(app, out: Path, fmt: str, topic_names, lang: str, key: bool) -> None:
    """`grade quiz export`: write the file and say how many questions it holds."""
    path, count = export_quizzes(fmt, out, topic_names, lang, key)
    app.out.print(f"wrote {count} questions to {path}", highlight=False)
