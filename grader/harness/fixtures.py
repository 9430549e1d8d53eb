"""The fixtures of a grading test: `student` (the submission's module, through its worker),
`reference` (solutions/ through a worker of its own), `solution` (solutions/<topic>.py
imported here: trusted, an oracle) and `artifacts` (images for the feedback)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from grader.harness.state import STATE, GradingState, task_of, topic_of
from grader.results import Artifact


def _exercise_for(request):
    task = task_of(request.node)
    if task is None:
        pytest.fail(f"{request.node.name} has no @pytest.mark.exercise(...) marker", pytrace=False)
    state = request.config.stash[STATE]
    topic = state.course.topic(task[0])
    return state, topic, topic.exercise(task[1])


@pytest.fixture
def student(request):
    """The submission's module for this test's topic, run in the worker."""
    from grader.student import Student

    state, topic, exercise = _exercise_for(request)
    return Student(state.session(state.submission), topic, exercise)


@pytest.fixture
def reference(request):
    """The reference solution's module, run in a worker exactly like the student's."""
    from grader.student import Student

    state, topic, exercise = _exercise_for(request)
    return Student(state.session(state.solutions, topic), topic, exercise)


@pytest.fixture
def solution(request):
    """solutions/<topic>.py imported in the judge (trusted code): an oracle."""
    state, topic, _ = _exercise_for(request)
    path = state.solutions / f"{topic.name}.py"
    spec = importlib.util.spec_from_file_location(f"_solution_{topic.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Artifacts:
    """The `artifacts` fixture: files kept for one test's feedback."""

    def __init__(self, state: GradingState, item):
        self.state, self.item = state, item

    def add(self, name: str, data: bytes, caption: str = "") -> None:
        """Keep a file (a PNG) for the feedback of this test."""
        task = task_of(self.item) or (topic_of(self.item.path), "", 1.0)
        suffix = ".png" if data.startswith(b"\x89PNG") and not Path(name).suffix else ""
        filename = f"{task[0]}.{task[1]}.{self.item.name}.{name}{suffix}".replace("/", "_")
        self.state.artifacts.append(Artifact(filename, caption, self.item.name, task[0], task[1], data))


@pytest.fixture
def artifacts(request):
    """`artifacts.add(name, png_bytes, caption)`: images shown in the feedback."""
    return Artifacts(request.config.stash[STATE], request.node)
