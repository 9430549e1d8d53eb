"""Quizzes in `grade submit`: the exercise `quiz` of each topic, graded from the work folder's
answers/<topic>.toml; a missing or broken answers file scores 0 for that quiz only, with a
message saying what to do; nothing else graded is lost."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.manifest import load_course
from grader.paths import solutions_dir
from grader.quiz.scores import add_quizzes, quiz_points
from grader.results import ExerciseResult, SubmissionResult
from tests.grader.quiz_helpers import quiz_topics, write_right_answers

TOPIC = "convolution"


def submit(work, tmp_path, *topics):
    res = CliRunner().invoke(main, ["submit", *topics, "--path", str(work), "--out", str(tmp_path / "res"), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output), json.loads((tmp_path / "res" / "results.json").read_text())


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(solutions_dir() / f"{TOPIC}.py", folder)
    return folder


def test_submit_with_right_answers_gets_the_quiz_points(work, tmp_path):
    write_right_answers(work, [TOPIC])
    doc, results = submit(work, tmp_path, TOPIC)
    quiz = next(e for e in doc["exercises"] if e["name"] == "quiz")
    topic = load_course().topic(TOPIC)
    assert quiz["score"] == quiz["max_score"] == quiz_points(topic)
    assert doc["score"] == doc["max_score"] == topic.points + quiz_points(topic)
    assert doc["exercises"][-1]["name"] == "quiz"  # after the topic's exercises
    names = [t["name"] for t in results["tests"] if t["name"].startswith(f"{TOPIC}.quiz: ")]
    assert len(names) == len(topic.quiz) and results["score"] == doc["score"]


def test_submit_without_answers_scores_the_quiz_0_and_says_how(work, tmp_path):
    doc, results = submit(work, tmp_path, TOPIC)
    quiz = next(e for e in doc["exercises"] if e["name"] == "quiz")
    assert quiz["score"] == 0 and f"grade quiz {TOPIC}" in quiz["error"]
    others = [e for e in doc["exercises"] if e["name"] != "quiz"]
    assert all(e["score"] == e["max_score"] for e in others)
    assert any("no answers file" in t["output"] for t in results["tests"])


def test_a_broken_answers_file_costs_only_the_quiz(work, tmp_path):
    (work / "answers").mkdir()
    (work / "answers" / f"{TOPIC}.toml").write_text('conv_params = 896\nwhy_1x1 = ["a"]\n', encoding="utf-8")
    doc, _ = submit(work, tmp_path, TOPIC)
    quiz = next(e for e in doc["exercises"] if e["name"] == "quiz")
    assert quiz["score"] == 0 and "line 2" in quiz["error"] and "why_1x1" in quiz["error"]
    assert sum(e["score"] for e in doc["exercises"]) == load_course().topic(TOPIC).points


@pytest.mark.parametrize("topic", [t.name for t in quiz_topics()])
def test_right_answers_give_full_quiz_marks_in_a_graded_result(topic, tmp_path):
    t = load_course().topic(topic)
    write_right_answers(tmp_path, [topic])
    exercises = [ExerciseResult(topic, ex.name, ex.points, ex.points) for ex in t.exercises]
    result = add_quizzes(SubmissionResult(t.points, t.points, exercises), tmp_path, [t])
    quiz = result.exercise(f"{topic}.quiz")
    assert quiz.score == quiz.max_score == quiz_points(t) and len(quiz.tests) == len(t.quiz)
    assert result.score == result.max_score == t.points + quiz_points(t)
