"""Result records: what grading one submission produced. Plain dataclasses, JSON in and out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class TestResult:
    """One test of one exercise.

    name: the test function's name; status: "passed" or "failed"; message: why it failed
    (empty when passed); score/max_score: points earned / available; duration: seconds.
    """

    name: str
    topic: str
    exercise: str
    status: str
    message: str
    score: float
    max_score: float
    duration: float = 0.0


@dataclass
class ExerciseResult:
    """One exercise: the sum of its tests. `error` is set when its topic could not be graded."""

    topic: str
    name: str
    score: float
    max_score: float
    tests: list[TestResult] = field(default_factory=list)
    error: str = ""

    @property
    def task_id(self) -> str:
        return f"{self.topic}.{self.name}"

    @property
    def failures(self) -> list[TestResult]:
        return [t for t in self.tests if t.status != "passed"]


@dataclass
class Artifact:
    """A file made while grading (a plot diff image): shown in feedback, saved next to results."""

    filename: str
    caption: str
    test: str
    topic: str
    exercise: str
    data: bytes = field(repr=False, default=b"")


@dataclass
class SubmissionResult:
    """Everything about one graded submission.

    score/max_score: totals over the exercises graded; exercises: in course order;
    execution_time: wall seconds; status: "ok", or "catastrophic" when grading itself failed
    (then `error` says why and the score is what was earned before it); isolation: what the
    sandbox of the student's worker achieved (docs/sandbox.md), "NOT ISOLATED: ..." when nothing.
    """

    score: float
    max_score: float
    exercises: list[ExerciseResult]
    execution_time: float = 0.0
    artifacts: list[Artifact] = field(default_factory=list)
    status: str = "ok"
    error: str = ""
    isolation: list[str] = field(default_factory=list)

    def exercise(self, task_id: str) -> ExerciseResult:
        for ex in self.exercises:
            if ex.task_id == task_id or ex.name == task_id:
                return ex
        raise KeyError(task_id)

    def to_dict(self) -> dict:
        data = asdict(self)
        for art in data["artifacts"]:
            art.pop("data", None)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "SubmissionResult":
        exercises = [
            ExerciseResult(**{**ex, "tests": [TestResult(**t) for t in ex.get("tests", [])]})
            for ex in data.get("exercises", [])
        ]
        artifacts = [Artifact(**a) for a in data.get("artifacts", [])]
        return cls(**{**data, "exercises": exercises, "artifacts": artifacts})


def catastrophic(message: str, max_score: float = 0.0) -> SubmissionResult:
    """A result for a submission whose grading failed as a whole: score 0, the reason kept."""
    return SubmissionResult(score=0.0, max_score=max_score, exercises=[], status="catastrophic", error=message)
