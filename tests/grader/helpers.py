"""Helpers for tests of the grader: grade a fixture module through the real pipeline."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.harness.runner import grade
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


def grade_module(topic: str, source: Path, suite: str = "hidden") -> Graded:
    """Grade one file as the submission's <topic>.py."""
    with tempfile.TemporaryDirectory(prefix="fixture-") as tmp:
        shutil.copy(source, Path(tmp) / f"{topic}.py")
        return Graded(grade(Path(tmp), [topic], suite))


def grade_fixture(topic: str, filename: str, suite: str = "hidden") -> Graded:
    """Grade tests/grader/fixtures/<topic>/<filename> as the submission's <topic>.py."""
    return grade_module(topic, FIXTURES / topic / filename, suite)
