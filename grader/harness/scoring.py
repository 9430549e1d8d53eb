"""Points: each exercise's points split over its tests by weight; topic errors score 0."""

from __future__ import annotations

from dataclasses import dataclass

from grader.manifest import Course
from grader.results import ExerciseResult, TestResult


@dataclass
class Outcome:
    """A finished test before scoring: which exercise, its weight, passed or not, why."""

    name: str
    topic: str
    exercise: str
    weight: float
    passed: bool
    message: str
    duration: float


def score(course: Course, outcomes: list[Outcome], topic_errors: dict[str, str]) -> list[ExerciseResult]:
    """Exercise results in course order, for every exercise that has tests or a topic error."""
    results = []
    for topic in course.topics:
        for ex in topic.exercises:
            mine = [o for o in outcomes if o.topic == topic.name and o.exercise == ex.name]
            error = topic_errors.get(topic.name, "")
            if not mine and not error:
                continue
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
                                share if o.passed else 0.0, share, round(o.duration, 3)))
    got = round(sum(t.score for t in tests), 4)
    return ExerciseResult(topic, name, got, float(points), tests)
