"""Result records: what grading one submission produced. Plain dataclasses, JSON in and out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class TestResult:
    """One test of one exercise.

    name: the test function's name; status: "passed" or "failed"; message: why it failed
    (empty when passed); score/max_score: points earned / available; duration: seconds.
    kind: what happened, one of KINDS: "passed"; "wrong" (a check failed on the student's
    answer); "raised", "timeout", "crash", "memory", "forbidden" (the student's code did
    that); "budget" (not run: the topic's time budget was used up, or the exercise timed out
    twice); "not run" (grading stopped before this test). mistake: the named misconception the
    failing check recognised ("" when none was recognised).
    """

    name: str
    topic: str
    exercise: str
    status: str
    message: str
    score: float
    max_score: float
    duration: float = 0.0
    kind: str = ""
    mistake: str = ""

    def __post_init__(self):
        if not self.kind:  # records written before kinds existed
            self.kind = "passed" if self.status == "passed" else "wrong"


KINDS = ("passed", "wrong", "raised", "timeout", "crash", "memory", "forbidden", "budget", "not run")


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
    execution_time: wall seconds; status: "ok"; "incomplete" when grading was interrupted
    (every selected exercise is still listed, the unfinished tests with kind "not run" and 0
    points, so max_score never shrinks); or "catastrophic" when grading itself failed (then
    `error` says why and the score is what was earned before it); suspicious: notes for the
    instructor on names in the submitted source that no solution needs (grader.scan),
    "convolution.py line 12: torch.ops (calls library operators directly)"; they do not
    change the score; isolation: what the sandbox of the student's worker achieved
    (docs/sandbox.md), "NOT ISOLATED: ..." when nothing.
    """

    score: float
    max_score: float
    exercises: list[ExerciseResult]
    execution_time: float = 0.0
    artifacts: list[Artifact] = field(default_factory=list)
    status: str = "ok"
    error: str = ""
    suspicious: list[str] = field(default_factory=list)
    isolation: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every selected test ran to its verdict."""
        return self.status == "ok"

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
