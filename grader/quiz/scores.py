"""A topic's quiz as the exercise named `quiz` of a graded submission (QUIZ.md): one test per
question, so results.json, the gradebook, the feedback page and the class report show it like
any exercise. A missing answers file scores 0 with a message that says how to answer."""

from __future__ import annotations

from pathlib import Path

from grader.errors import GradeError
from grader.quiz.answers import answers_path, read_answers
from grader.quiz.grading import grade_quiz
from grader.quiz.model import questions
from grader.results import ExerciseResult, SubmissionResult, TestResult

QUIZ = "quiz"


def quiz_points(topic) -> float:
    """The points of a topic's quiz (0 when it has none)."""
    return sum(q.points for q in questions(topic))


def quiz_exercise(topic, workdir: Path) -> ExerciseResult | None:
    """The quiz of `topic` graded from workdir/answers/<topic>.toml (None: the topic has no quiz)."""
    qs = questions(topic)
    if not qs:
        return None
    path = answers_path(workdir, topic.name)
    maximum = sum(q.points for q in qs)
    if not path.exists():
        return ExerciseResult(topic.name, QUIZ, 0.0, maximum, error=(
            f"no answers file answers/{topic.name}.toml: run `grade quiz {topic.name}` to answer the quiz"))
    try:
        answers = read_answers(path, qs)
    except GradeError as exc:
        return ExerciseResult(topic.name, QUIZ, 0.0, maximum, error=f"{exc} (the quiz scores 0 until it is fixed)")
    graded = grade_quiz(topic.name, qs, answers)
    tests = [TestResult(name=r.id, topic=topic.name, exercise=QUIZ,
                        status="passed" if r.status == "correct" else "failed",
                        message=r.message, score=r.score, max_score=r.max_score) for r in graded.questions]
    return ExerciseResult(topic.name, QUIZ, graded.score, maximum, tests=tests)


def add_quizzes(result: SubmissionResult, workdir: Path, topics) -> SubmissionResult:
    """Append each topic's quiz exercise after that topic's exercises; totals updated."""
    exercises = list(result.exercises)
    for topic in topics:
        quiz = quiz_exercise(topic, workdir)
        if quiz is None:
            continue
        last = max((i for i, ex in enumerate(exercises) if ex.topic == topic.name), default=len(exercises) - 1)
        exercises.insert(last + 1, quiz)
        result.score = round(result.score + quiz.score, 6)
        result.max_score = round(result.max_score + quiz.max_score, 6)
    result.exercises = exercises
    return result
