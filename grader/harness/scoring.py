"""Points: each exercise's points split over its tests by weight; topic errors score 0.

Every selected exercise is listed, run or not: a test that did not run (grading was
interrupted) is there with kind "not run" and 0 points, so max_score never shrinks."""

from __future__ import annotations

from dataclasses import dataclass

from grader.manifest import Course
from grader.results import ExerciseResult, TestResult


@dataclass
class Outcome:
    """A test before scoring: which exercise, its weight, passed or not, why; `kind` and
    `mistake` as in TestResult (kind defaults from `passed`)."""

    name: str
    topic: str
    exercise: str
    weight: float
    passed: bool
    message: str
    duration: float
    kind: str = ""
    mistake: str = ""

    def __post_init__(self):
        if not self.kind:
            self.kind = "passed" if self.passed else "wrong"


def not_run(name: str, topic: str, exercise: str, weight: float) -> Outcome:
    """The outcome of a collected test until it reports: not run, no points."""
    return Outcome(name, topic, exercise, weight, False, "not run: grading stopped before this test", 0.0,
                   "not run")


def score(course: Course, outcomes: list[Outcome], topic_errors: dict[str, str],
          selected=None) -> list[ExerciseResult]:
    """Exercise results in course order: every exercise that has tests or a topic error, and
    every exercise in `selected` (task ids "topic.exercise"), tested or not."""
    results = []
    selected = set(selected or ())
    for topic in course.topics:
        for ex in topic.exercises:
            mine = [o for o in outcomes if o.topic == topic.name and o.exercise == ex.name]
            error = topic_errors.get(topic.name, "")
            if not mine and not error and f"{topic.name}.{ex.name}" not in selected:
                continue
            if not mine and not error:
                error = "not run: no test of this exercise ran"
            results.append(_exercise(topic.name, ex.name, ex.points, mine, error))
    return results


def _exercise(topic: str, name: str, points: float, mine: list[Outcome], error: str) -> ExerciseResult:
    if error:
        return ExerciseResult(topic, name, 0.0, points, [], error)
    total = sum(o.weight for o in mine) or 1.0
    tests = []
    for o in mine:
        share = round(points * o.weight / total, 6)
        tests.append(TestResult(o.name, topic, name, "passed" if o.passed else "failed", o.message,
                                share if o.passed else 0.0, share, round(o.duration, 3), o.kind, o.mistake))
    got = round(sum(t.score for t in tests), 4)
    return ExerciseResult(topic, name, got, float(points), tests)
