"""The class report's quiz table: per question, how much of the class got it (which ideas the
class holds), from the `quiz` exercises of the students' results."""

from __future__ import annotations

import statistics

from grader.quiz.model import questions
from grader.quiz.scores import QUIZ


def _tests_by_question(records, topic: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for rec in records:
        for ex in rec.result.exercises:
            if ex.topic == topic and ex.name == QUIZ:
                for t in ex.tests:
                    out.setdefault(t.name, []).append(t)
    return out


def quiz_rows(records, topics) -> list[dict]:
    """One row per question of every selected topic's quiz, in course order. A student without
    an answers file (or with a broken one) counts as 0 on every question."""
    from grader.reports.numbers import fmt, percent

    rows = []
    for topic in topics:
        by_question = _tests_by_question(records, topic.name)
        for q in questions(topic):
            tests = by_question.get(q.id, [])
            scores = [t.score for t in tests] + [0.0] * (len(records) - len(tests))
            mean = statistics.fmean(scores) if scores else 0.0
            rows.append({"topic": topic.name, "id": q.id, "type": q.type, "question": q.question,
                         "mean": fmt(round(mean, 2)), "max_score": fmt(q.points), "percent": percent(mean, q.points),
                         "correct": sum(t.status == "passed" for t in tests), "graded": len(records)})
    return rows
