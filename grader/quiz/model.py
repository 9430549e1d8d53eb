"""Quiz questions as read from course/<topic>.toml, and the checks every question must pass."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

TYPES = ("choice", "multi", "number", "text")
ID_RE = re.compile(r"^[a-z0-9_]+$")
LANGS = ("en", "ko")


def option_key(i: int) -> str:
    """The key of the i-th option (0-based): "a", "b", ..."""
    return chr(ord("a") + i)


@dataclass(frozen=True)
class Question:
    """One quiz question.

    type: choice (answer: one option key), multi (a list of keys, partial credit), number
    (a number; `tolerance` relative to it), text (a list of accepted strings). Texts come in
    English and Korean: `question`/`question_ko`, `options`/`options_ko`, `explanation`/`explanation_ko`.
    """

    topic: str
    id: str
    type: str
    points: float
    question: str
    question_ko: str
    answer: object
    explanation: str
    explanation_ko: str
    options: tuple[str, ...] = ()
    options_ko: tuple[str, ...] = ()
    tolerance: float = 0.0

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(option_key(i) for i in range(len(self.options)))

    def text(self, lang: str = "en") -> str:
        return self.question_ko if lang == "ko" else self.question

    def option_texts(self, lang: str = "en") -> tuple[str, ...]:
        return self.options_ko if lang == "ko" else self.options

    def explain(self, lang: str = "en") -> str:
        return self.explanation_ko if lang == "ko" else self.explanation

    def answer_text(self, lang: str = "en") -> str:
        """The answer as a person reads it: option keys with their text, the number, or the strings."""
        opts = dict(zip(self.keys, self.option_texts(lang)))
        if self.type == "choice":
            return f"{self.answer}) {opts[self.answer]}"
        if self.type == "multi":
            return "; ".join(f"{k}) {opts[k]}" for k in self.answer) or "(none)"
        if self.type == "number":
            return f"{self.answer:g}"
        return " / ".join(self.answer)


ANSWER_KEYS = ("answer", "tolerance", "explanation", "explanation_ko")  # what a student bundle leaves out


def _problems(raw: dict, answers: bool = True) -> list[str]:
    """What is wrong with one raw [[quiz]] table (empty when it is valid); without `answers`
    (a student bundle) the answer and the explanations are not required."""
    out = []
    qid, qtype = raw.get("id"), raw.get("type")
    if not isinstance(qid, str) or not ID_RE.match(qid):
        out.append(f"id {qid!r} must match [a-z0-9_]+")
    if qtype not in TYPES:
        return out + [f"type {qtype!r} must be one of {', '.join(TYPES)}"]
    points = raw.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        out.append(f"points {points!r} must be a positive number")
    for key in ("question", "question_ko", "explanation", "explanation_ko")[:4 if answers else 2]:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            out.append(f"{key} is missing or empty")
    if answers:
        out += _answer_problems(raw, qtype)
    elif qtype in ("choice", "multi") and len(raw.get("options", ())) != len(raw.get("options_ko", ())):
        out.append("options_ko must translate every option")
    return out


def _answer_problems(raw: dict, qtype: str) -> list[str]:
    answer = raw.get("answer")
    if qtype in ("choice", "multi"):
        options, options_ko = raw.get("options"), raw.get("options_ko")
        if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) and o.strip() for o in options):
            return ["options must be a list of at least two non-empty strings"]
        if not isinstance(options_ko, list) or len(options_ko) != len(options) or not all(isinstance(o, str) and o.strip() for o in options_ko):
            return ["options_ko must translate every option"]
        if len(set(options)) != len(options) or len(set(options_ko)) != len(options_ko):
            return ["options must not repeat"]
        keys = [option_key(i) for i in range(len(options))]
        if qtype == "choice" and answer not in keys:
            return [f"answer {answer!r} must be one option key of {keys}"]
        if qtype == "multi" and (not isinstance(answer, list) or len(set(answer)) != len(answer)
                                 or not all(a in keys for a in answer)):
            return [f"answer {answer!r} must be a list of distinct option keys of {keys}"]
    elif qtype == "number":
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
            return [f"answer {answer!r} must be a finite number"]
        tol = raw.get("tolerance", 0.0)
        if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol < 1:
            return [f"tolerance {tol!r} must be a number in [0, 1) (relative to the answer)"]
    elif not isinstance(answer, list) or not answer or not all(isinstance(a, str) and a.strip() for a in answer):
        return ["answer must be a non-empty list of accepted strings"]
    return []


def validate(topic: str, raws, answers: bool = True) -> list[str]:
    """Every problem of a topic's quiz, as "topic: question id: problem" lines."""
    out, seen = [], set()
    for i, raw in enumerate(raws):
        name = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        if not isinstance(raw, dict):
            out.append(f"{topic}: question {name}: not a table")
            continue
        if name in seen:
            out.append(f"{topic}: question {name}: the id is used twice")
        seen.add(name)
        out += [f"{topic}: question {name}: {p}" for p in _problems(raw, answers)]
    return out


def from_raw(topic: str, raw: dict) -> Question:
    qtype = raw["type"]
    answer = raw.get("answer")  # None in a student bundle
    if answer is not None and qtype == "number":
        answer = float(answer)
    elif answer is not None and qtype in ("multi", "text"):
        answer = tuple(answer)
    return Question(
        topic=topic, id=raw["id"], type=qtype, points=float(raw.get("points", 1)),
        question=raw["question"], question_ko=raw["question_ko"], answer=answer,
        explanation=raw.get("explanation", ""), explanation_ko=raw.get("explanation_ko", ""),
        options=tuple(raw.get("options", ())), options_ko=tuple(raw.get("options_ko", ())),
        tolerance=float(raw.get("tolerance", 0.0)),
    )


def questions(topic) -> tuple[Question, ...]:
    """The quiz of a manifest Topic; a malformed quiz is a ManifestError naming every problem."""
    from grader.errors import ManifestError

    problems = validate(topic.name, topic.quiz, answers=not topic.student_bundle)
    if problems:
        raise ManifestError(f"course/{topic.name}.toml: quiz: " + "; ".join(problems))
    return tuple(from_raw(topic.name, raw) for raw in topic.quiz)
