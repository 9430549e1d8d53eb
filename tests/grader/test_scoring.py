"""Points: split over an exercise's tests by weight; a topic that cannot run scores 0 with
its reason; the same submission gets the same score on every run."""

from __future__ import annotations

from grader.harness.scoring import Outcome, score
from grader.manifest import Course, Exercise, Topic
from tests.grader.helpers import grade_fixture

COURSE = Course("c", (Topic("t", "T", "", "", (Exercise("t", "a", 3.0), Exercise("t", "b", 2.0))),))


def outcome(name, ex, weight, passed):
    return Outcome(name, "t", ex, weight, passed, "" if passed else "wrong", 0.1)


def test_points_are_split_by_weight_and_only_passed_tests_earn():
    results = score(COURSE, [outcome("t1", "a", 1, True), outcome("t2", "a", 2, False), outcome("t3", "b", 1, True)], {})
    a, b = results
    assert [t.max_score for t in a.tests] == [1.0, 2.0] and a.score == 1.0 and a.max_score == 3.0
    assert b.score == b.max_score == 2.0


def test_a_topic_whose_tests_cannot_run_scores_zero_with_the_reason():
    results = score(COURSE, [], {"t": "the tests for this topic could not run: ImportError"})
    assert [r.score for r in results] == [0.0, 0.0] and all("could not run" in r.error for r in results)


def test_the_same_submission_gets_the_same_score_twice():
    first = grade_fixture("convolution", "conv2d_hw_swapped.py").result
    second = grade_fixture("convolution", "conv2d_hw_swapped.py").result
    assert [(e.task_id, e.score) for e in first.exercises] == [(e.task_id, e.score) for e in second.exercises]
    assert [t.message for e in first.exercises for t in e.tests] == [t.message for e in second.exercises for t in e.tests]
