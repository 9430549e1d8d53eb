"""Results carry structure: each test's `kind` and `mistake` come from the check that decided
it (fields, not message parsing); Gradescope tags, the batch status and the class report's
misconception groups read those fields."""

from __future__ import annotations

import pytest

from grader.batch.classreport import failure_groups
from grader.batch.store import Record
from grader.checks import CheckFailed, assert_close, fail
from grader.errors import StudentError
from grader.harness.verdicts import _verdict
from grader.reports.gradescope import gradescope
from grader.results import ExerciseResult, SubmissionResult
from grader.results import TestResult as Tested
from tests.grader.helpers import grade_fixture


class _Info:
    def __init__(self, exc):
        self.value = exc


def _raised(fn):
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - Failed is a BaseException
        return exc
    raise AssertionError("did not raise")


def test_the_check_that_recognised_a_mistake_carries_it():
    exc = _raised(lambda: assert_close(2.0, 1.0, what="f(x)", mistakes={"doubled": 2.0, "zero": 0.0}))
    assert isinstance(exc, CheckFailed) and exc.mistake == "doubled"
    assert _verdict(_Info(exc)) == (exc.msg, "wrong", "doubled")
    unnamed = _raised(lambda: assert_close(3.0, 1.0, what="f(x)", mistakes={"doubled": 2.0}))
    assert unnamed.mistake == "" and "mistake" not in unnamed.msg
    assert _verdict(_Info(_raised(lambda: fail("no", mistake="m"))))[1:] == ("wrong", "m")
    assert _verdict(_Info(_raised(lambda: pytest.fail("plain", pytrace=False))))[1:] == ("wrong", "")


@pytest.mark.parametrize("student_kind, kind", [("raised", "raised"), ("timeout", "timeout"), ("crash", "crash"),
                                                ("memory", "memory"), ("forbidden", "forbidden"),
                                                ("budget", "budget"), ("import", "raised"), ("shape", "wrong")])
def test_student_failures_keep_their_kind(student_kind, kind):
    assert _verdict(_Info(StudentError("m", student_kind)))[1] == kind


def test_graded_results_tags_and_class_report_use_the_fields():
    result = grade_fixture("convolution", "conv2d_kernel_flipped.py").result
    conv = result.exercise("conv2d")
    named = [t for t in conv.failures if t.mistake]
    assert named and all(t.kind == "wrong" and "kernel flipped" in t.mistake for t in named)
    assert all(t.kind == "passed" for t in result.exercise("max_pool2d").tests)
    tests = {t["name"]: t for t in gradescope(result)["tests"]}
    some = tests[f"convolution.conv2d: {named[0].name}"]
    assert "kind:wrong" in some["tags"] and f"mistake:{named[0].mistake}" in some["tags"]
    assert tests[f"convolution.max_pool2d: {result.exercise('max_pool2d').tests[0].name}"]["tags"] == [
        "convolution", "max_pool2d", "kind:passed"]
    groups = failure_groups([Record("ann", "ok", "h", result)], "convolution.conv2d")
    assert groups[0]["key"] == f"mistake: {named[0].mistake}"


def test_different_messages_with_one_mistake_form_one_group():
    def rec(student, message):
        t = Tested("t", "c", "e", "failed", message, 0, 1, kind="wrong", mistake="kernel flipped")
        return Record(student, "ok", "h", SubmissionResult(0, 1, [ExerciseResult("c", "e", 0, 1, [t])]))

    groups = failure_groups([rec("a", "conv2d(x (1, 2, 3)): 9 of 9 differ"), rec("b", "other words entirely")], "c.e")
    assert [(g["key"], g["students"]) for g in groups] == [("mistake: kernel flipped", 2)]


def test_incomplete_results_say_so_in_results_json():
    t = Tested("t", "c", "e", "failed", "not run: grading stopped", 0, 1, kind="not run")
    result = SubmissionResult(0, 1, [ExerciseResult("c", "e", 0, 1, [t])], status="incomplete")
    doc = gradescope(result)
    assert doc["max_score"] == 1 and doc["extra_data"]["complete"] is False
    assert doc["tests"][0]["tags"] == ["c", "e", "kind:not run"]
    assert not result.complete and SubmissionResult(0, 1, []).complete
