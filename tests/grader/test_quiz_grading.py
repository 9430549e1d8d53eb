"""The scoring rules of QUIZ.md on small questions made for the test."""

from __future__ import annotations

import unicodedata

import pytest

from grader.quiz.grading import grade_question
from grader.quiz.model import from_raw, validate

BASE = {"points": 2, "question": "q", "question_ko": "질문", "explanation": "e", "explanation_ko": "설명"}


def q(**raw):
    return from_raw("t", {**BASE, "id": "x", **raw})


MULTI = q(type="multi", options=["w", "x", "y", "z"], options_ko=["ㄱ", "ㄴ", "ㄷ", "ㄹ"], answer=["a", "c"])


def test_choice_is_all_or_nothing():
    c = q(type="choice", options=["p", "r"], options_ko=["ㅍ", "ㄹ"], answer="b")
    assert grade_question(c, "b").score == 2
    res = grade_question(c, "a")
    assert (res.score, res.status) == (0, "wrong") and "expected: b) r" in res.message


@pytest.mark.parametrize("picked, share", [
    (["a", "c"], 1.0),        # every decision right
    (["a", "c", "d"], 0.75),  # one wrong pick: one decision of four wrong
    (["a"], 0.75),            # one key missed
    ([], 0.5),                # the two false options rightly left out
    (["b", "d"], 0.0),        # every decision wrong: 0, never below
])
def test_multi_every_decision_counts(picked, share):
    res = grade_question(MULTI, picked)
    assert res.score == pytest.approx(2 * share)
    assert res.status == ("correct" if share == 1 else "partial" if share else "wrong")


def test_number_tolerance_is_relative_to_the_answer():
    n = q(type="number", answer=200, tolerance=0.01)
    assert grade_question(n, 201.9).score == 2
    assert grade_question(n, 198.1).score == 2
    assert grade_question(n, 202.1).score == 0
    assert grade_question(n, float("nan")).score == 0


def test_number_zero_answer_uses_an_absolute_tolerance():
    n = q(type="number", answer=0, tolerance=0.01)
    assert grade_question(n, 1e-10).score == 2
    assert grade_question(n, 1e-6).score == 0


def test_exact_number_accepts_an_int_for_a_float():
    n = q(type="number", answer=896, tolerance=0)
    assert grade_question(n, 896).score == grade_question(n, 896.0).score == 2
    assert grade_question(n, 897).score == 0


def test_text_ignores_case_spacing_and_unicode_normal_form():
    t = q(type="text", answer=["Max Pooling", "최대 풀링"])
    assert grade_question(t, "  max   POOLING ").score == 2
    decomposed = unicodedata.normalize("NFD", "최대 풀링")
    assert decomposed != "최대 풀링"
    assert grade_question(t, decomposed).score == 2
    assert grade_question(t, "max-pool").score == 0
    assert grade_question(t, "choedae pulling").score == 0  # never transliterated


def test_unanswered_question_scores_zero_with_a_message():
    res = grade_question(MULTI)
    assert (res.score, res.status, res.message) == (0, "unanswered", "no answer given")


@pytest.mark.parametrize("raw, problem", [
    ({"type": "choice", "options": ["a", "a"], "options_ko": ["ㄱ", "ㄴ"], "answer": "a"}, "repeat"),
    ({"type": "choice", "options": ["a", "b"], "options_ko": ["ㄱ"], "answer": "a"}, "options_ko"),
    ({"type": "choice", "options": ["a", "b"], "options_ko": ["ㄱ", "ㄴ"], "answer": "c"}, "option key"),
    ({"type": "multi", "options": ["a", "b"], "options_ko": ["ㄱ", "ㄴ"], "answer": "a"}, "list"),
    ({"type": "number", "answer": "3"}, "finite number"),
    ({"type": "text", "answer": "x"}, "list of accepted"),
    ({"type": "essay", "answer": "x"}, "type"),
    ({"type": "text", "answer": ["x"], "explanation_ko": ""}, "explanation_ko"),
])
def test_validation_names_the_problem(raw, problem):
    found = validate("t", [{**BASE, "id": "x", **raw}])
    assert found and problem in found[0], found


def test_validation_finds_duplicate_ids_and_bad_ids():
    raw = {**BASE, "type": "text", "answer": ["x"]}
    found = validate("t", [{**raw, "id": "a"}, {**raw, "id": "a"}, {**raw, "id": "Bad-Id"}])
    assert any("used twice" in f for f in found) and any("[a-z0-9_]+" in f for f in found)
