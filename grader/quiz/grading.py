"""The scoring rules of QUIZ.md, one function per question type.

choice: full points for the key. multi: every option is a true/false decision worth
points / number of options ("every decision counts"), so one wrong pick or one missed key
costs one share and the score is never below 0. number: within `tolerance` relative to the
answer (1e-9 absolute when the answer is 0). text: equal to an accepted string after Unicode
NFC normalisation, case folding and collapsing whitespace (never transliterated).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

from grader.quiz.model import Question

ABS_TOL_AT_ZERO = 1e-9
MISSING = object()


@dataclass
class QuestionResult:
    """One question: status is "correct", "partial", "wrong" or "unanswered"."""

    id: str
    score: float
    max_score: float
    status: str
    message: str


@dataclass
class QuizResult:
    """A topic's quiz: the sum of its questions (in source order)."""

    topic: str
    score: float
    max_score: float
    questions: list[QuestionResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"topic": self.topic, "score": self.score, "max_score": self.max_score,
                "questions": [vars(q) for q in self.questions]}


def normalise_text(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def number_matches(got: float, answer: float, tolerance: float) -> bool:
    if not math.isfinite(got):
        return False
    if answer == 0:
        return abs(got) <= ABS_TOL_AT_ZERO
    return abs(got - answer) <= max(tolerance, 1e-12) * abs(answer)


def _share(q: Question, value) -> float:
    """The fraction of the question's points that `value` earns (0..1)."""
    if q.type == "choice":
        return float(value == q.answer)
    if q.type == "multi":
        picked = set(value)
        right = sum((k in picked) == (k in q.answer) for k in q.keys)
        return right / len(q.keys)
    if q.type == "number":
        return float(number_matches(float(value), q.answer, q.tolerance))
    return float(normalise_text(value) in {normalise_text(a) for a in q.answer})


def grade_question(q: Question, value=MISSING, lang: str = "en") -> QuestionResult:
    """Score one answer value (already type-checked by grader.quiz.answers)."""
    if value is MISSING:
        return QuestionResult(q.id, 0.0, q.points, "unanswered", "no answer given")
    share = _share(q, value)
    score = round(q.points * share, 6)
    if share == 1:
        return QuestionResult(q.id, score, q.points, "correct", "")
    status = "partial" if share > 0 else "wrong"
    got = ", ".join(value) if isinstance(value, list) else (f"{value:g}" if q.type == "number" else str(value))
    return QuestionResult(q.id, score, q.points, status,
                          f"your answer: {got or '(none)'}; expected: {q.answer_text(lang)}")


def grade_quiz(topic: str, qs, answers: dict, lang: str = "en") -> QuizResult:
    """Grade every question of a topic from `answers` (question id -> value)."""
    results = [grade_question(q, answers.get(q.id, MISSING), lang) for q in qs]
    return QuizResult(topic, round(sum(r.score for r in results), 6),
                      sum(q.points for q in qs), results)
