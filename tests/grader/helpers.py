"""Helpers for tests of the grader: grade a fixture module through the real pipeline."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from grader.harness.runner import grade
from grader.paths import solutions_dir
from grader.results import SubmissionResult

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Graded:
    """A graded fixture: lookups by exercise name for readable assertions."""

    result: SubmissionResult

    def score_of(self, exercise: str) -> float:
        return self.result.exercise(exercise).score

    def max_of(self, exercise: str) -> float:
        return self.result.exercise(exercise).max_score

    def messages_of(self, exercise: str) -> str:
        ex = self.result.exercise(exercise)
        return "\n".join([ex.error] + [t.message for t in ex.failures])

    def full(self, exercise: str) -> bool:
        return self.score_of(exercise) == self.max_of(exercise)

    def others_full(self, *broken: str) -> bool:
        """Every exercise not named keeps full marks."""
        return all(e.score == e.max_score for e in self.result.exercises if e.name not in broken)

    def not_full(self) -> list[str]:
        return [e.name for e in self.result.exercises if e.score != e.max_score]

    def scores(self) -> dict[str, float]:
        return {e.name: e.score for e in self.result.exercises}

    def feedback(self) -> str:
        """The scores and the messages of every exercise short of full marks (for asserts)."""
        return "\n".join([str(self.scores())] + [f"{ex}: {self.messages_of(ex)}" for ex in self.not_full()])


def assert_mistake(res: Graded, exercise: str, score: float, words, each_test: bool = False) -> None:
    """The broken exercise scores exactly `score` (below full), its feedback has every word (in
    every failed test's message when `each_test`), and every other exercise keeps full marks."""
    assert res.score_of(exercise) == pytest.approx(score, abs=1e-3), res.feedback()
    assert res.score_of(exercise) < res.max_of(exercise), res.feedback()
    failures = res.result.exercise(exercise).failures
    texts = [t.message for t in failures] if each_test else [res.messages_of(exercise)]
    for text in texts:
        for word in words:
            assert word in text, f"{word!r} not in the feedback for {exercise}:\n{text}"
    assert res.others_full(exercise), res.feedback()


def assert_full_marks(res: Graded) -> None:
    assert res.not_full() == [], res.feedback()


def with_override(topic: str, override: Path) -> str:
    """solutions/<topic>.py with the definitions of `override` put in place of its own.

    A fixture holds only what it changes (the broken function, or a whole alternative), so
    each one shows its mistake at a glance and follows the solution when that is refactored.
    """
    base = (solutions_dir() / f"{topic}.py").read_text(encoding="utf-8")
    return f"{base}\n\n# ---- {override.name} ----\n{override.read_text(encoding='utf-8')}"


def write_submission(folder: Path, topic: str, override: Path, others=()) -> Path:
    """A submission folder: <topic>.py from the override, each of `others` from solutions/."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{topic}.py").write_text(with_override(topic, override), encoding="utf-8")
    for other in others:
        shutil.copy(solutions_dir() / f"{other}.py", folder / f"{other}.py")
    return folder


def grade_fixture(topic: str, filename: str, suite: str = "hidden") -> Graded:
    """Grade solutions/<topic>.py overridden by tests/grader/fixtures/<topic>/<filename>."""
    with tempfile.TemporaryDirectory(prefix="fixture-") as tmp:
        folder = write_submission(Path(tmp), topic, FIXTURES / topic / filename)
        return Graded(grade(folder, [topic], suite))


@cache
def graded_once(topic: str, filename: str) -> Graded:
    """grade_fixture with the hidden suite, once per process: a fixture file's tests that look at
    the same fixture share one grading (same submission, same score; tests/grader/test_scoring.py
    checks that by grading twice)."""
    return grade_fixture(topic, filename)


def mistake_test(topic: str, mistakes: dict, each_test: bool = False):
    """The test of a MISTAKES table, {fixture: (exercise, score, words)}, one case a fixture: the
    exercise it breaks scores exactly `score`, its feedback has every word (in every failed test's
    message when `each_test`), and every other exercise keeps full marks.
    Bind it in the fixture file: `test_mistake_loses_its_points_and_is_named = mistake_test(...)`."""

    @pytest.mark.parametrize("fixture", sorted(mistakes))
    def test_mistake_loses_its_points_and_is_named(fixture):
        exercise, score, words = mistakes[fixture]
        assert_mistake(graded_once(topic, fixture), exercise, score, words, each_test)

    return test_mistake_loses_its_points_and_is_named


def alternative_test(topic: str, alternatives: list, full: dict | None = None, abs: float | None = None):
    """The test of an ALTERNATIVES list, one case a fixture: full marks on every exercise; with
    `full` ({exercise: points}), the scores are exactly those (within `abs`), so no exercise is
    missing either."""

    @pytest.mark.parametrize("fixture", alternatives)
    def test_correct_alternative_gets_full_marks(fixture):
        res = graded_once(topic, fixture)
        if full is None:
            assert_full_marks(res)
        else:
            assert res.scores() == pytest.approx(full, abs=abs), res.feedback()

    return test_correct_alternative_gets_full_marks


def charged_test(topic: str, charged: dict):
    """The test of a CHARGED_BY_THE_IMAGE_CHECK table, {fixture: the free choice}: a correct
    submission loses at most its image points; it xfails while the image check charges it."""

    @pytest.mark.parametrize("fixture", sorted(charged))
    def test_free_choice_loses_at_most_its_image_points(fixture):
        res = graded_once(topic, fixture)
        for ex in res.not_full():
            failed = res.result.exercise(ex).failures
            assert all("picture differs" in t.message for t in failed), res.feedback()
        if res.not_full():
            pytest.xfail(f"the image check charges {charged[fixture]}")

    return test_free_choice_loses_at_most_its_image_points


def ctrl_c(proc, after: float) -> tuple[str, str]:
    """Wait `after` seconds, send SIGINT to proc's process group (a terminal's Ctrl-C), and
    return its (stdout, stderr); whatever is left of the group is killed."""
    import os
    import signal
    import time

    try:
        time.sleep(after)
        os.killpg(proc.pid, signal.SIGINT)
        return proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
