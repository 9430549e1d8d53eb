"""Every quiz of the course is well formed, and answers built from its source get full marks;
each wrong answer costs exactly its question's points."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.manifest import load_course
from grader.quiz.answers import dump_answers
from grader.quiz.grading import grade_quiz
from grader.quiz.model import TYPES, questions, validate
from tests.grader.quiz_helpers import quiz_topics, right_answers, wrong_value

TOPICS = [t.name for t in quiz_topics()]


def test_every_topic_of_the_course_has_a_quiz_of_at_least_six_questions():
    short = {t.name: len(t.quiz) for t in load_course().topics if len(t.quiz) < 6}
    assert not short, f"topics with fewer than 6 quiz questions: {short}"


def test_every_question_type_is_used_across_the_course():
    used = {q.type for t in quiz_topics() for q in questions(t)}
    assert used == set(TYPES)


@pytest.mark.parametrize("topic", TOPICS)
def test_quiz_is_valid_in_both_languages(topic):
    """Both languages everywhere, a valid answer of the right type, unique ids, no repeated
    options, an explanation (grader.quiz.model.validate)."""
    t = load_course().topic(topic)
    assert validate(topic, t.quiz) == []
    hangul = re.compile("[\uac00-\ud7a3]")
    for q in questions(t):
        assert hangul.search(q.question_ko), f"{topic}.{q.id}: question_ko has no Korean"
        assert hangul.search(q.explanation_ko), f"{topic}.{q.id}: explanation_ko has no Korean"


@pytest.mark.parametrize("topic", TOPICS)
def test_answers_from_the_source_get_full_marks_and_each_wrong_answer_costs_its_points(topic):
    t = load_course().topic(topic)
    qs = questions(t)
    right = right_answers(t)
    full = grade_quiz(topic, qs, right)
    assert full.score == full.max_score == sum(q.points for q in qs)
    for q in qs:
        broken = {**right, q.id: wrong_value(q)}
        assert grade_quiz(topic, qs, broken).score == pytest.approx(full.max_score - q.points), q.id


@pytest.mark.parametrize("topic", TOPICS)
def test_grade_quiz_answers_json_gives_full_marks(topic, tmp_path):
    t = load_course().topic(topic)
    path = tmp_path / f"{topic}.toml"
    path.write_text(dump_answers(right_answers(t), questions(t)), encoding="utf-8")
    res = CliRunner().invoke(main, ["quiz", topic, "--answers", str(path), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert set(doc) == {"topic", "score", "max_score", "questions"}
    assert doc["score"] == doc["max_score"] > 0
    assert [q["id"] for q in doc["questions"]] == [q.id for q in questions(t)]
    assert all(set(q) == {"id", "score", "max_score", "status", "message"} for q in doc["questions"])
