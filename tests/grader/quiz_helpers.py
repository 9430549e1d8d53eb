"""Answers built from the quiz source, for tests of the quiz grading."""

from __future__ import annotations

from grader.manifest import load_course
from grader.quiz.key import right_answers  # noqa: F401 - the tests' name for it


def quiz_topics():
    return [t for t in load_course().topics if t.quiz]


def wrong_value(q):
    """A value of the right type that is wrong for `q`."""
    if q.type == "choice":
        return next(k for k in q.keys if k != q.answer)
    if q.type == "multi":
        return [k for k in q.keys if k not in q.answer]  # every decision wrong
    if q.type == "number":
        return q.answer * 2 + 1
    return "definitely not the answer"


def write_right_answers(folder, topic_names=()) -> None:
    """folder/answers/<topic>.toml with full-marks answers for the named topics (default: all)."""
    from grader.quiz import key

    key.write_right_answers(folder, [t for t in quiz_topics() if not topic_names or t.name in topic_names])
