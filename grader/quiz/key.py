"""The answer key of a topic's quiz: full-marks answers in the answers-file form."""

from __future__ import annotations

from pathlib import Path

from grader.quiz.model import questions


def right_answers(topic) -> dict:
    """{question id: answer} with full marks for `topic`: each question's own answer (the
    first accepted text of a text question)."""
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


def write_right_answers(folder: Path, topics) -> None:
    """folder/answers/<topic>.toml with full-marks answers for each topic that has a quiz."""
    from grader.quiz.answers import answers_path, write_answers

    for topic in topics:
        if topic.quiz:
            write_answers(answers_path(Path(folder), topic.name), right_answers(topic), questions(topic))
