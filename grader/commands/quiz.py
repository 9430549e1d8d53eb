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
