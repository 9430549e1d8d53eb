"""Answers built from the quiz source, for tests of the quiz grading."""

from __future__ import annotations

from grader.manifest import load_course
from grader.quiz.model import questions


def quiz_topics():
    return [t for t in load_course().topics if t.quiz]


def right_answers(topic) -> dict:
    """A full-marks answers dict for `topic`: each question's own answer (first accepted text)."""
    out = {}
    for q in questions(topic):
        if q.type == "multi":
            out[q.id] = list(q.answer)
        elif q.type == "text":
            out[q.id] = q.answer[0]
        elif q.type == "number":
            out[q.id] = int(q.answer) if float(q.answer).is_integer() else q.answer
        else:
            out[q.id] = q.answer
    return out


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
    from pathlib import Path

    from grader.quiz.answers import answers_path, write_answers

    for t in quiz_topics():
        if not topic_names or t.name in topic_names:
            write_answers(answers_path(Path(folder), t.name), right_answers(t), questions(t))
