"""Objects a hidden test creates in the worker: tensors kept there, seeded generators and models
built from a description (the "new" operation, grader.worker.build_ops)."""

from __future__ import annotations

import pytest
import torch

from grader.client import Session
from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.student import Student

MODULE = '''import torch


def scale_in_place(x, factor):
    x.mul_(factor)
    return None


def draw(n, generator=None):
    return torch.rand(n, generator=generator)


def count(model):
    return sum(p.numel() for p in model.parameters())


def names(model):
    return [type(m).__name__ for m in model]


class Halving:
    """Moves each parameter by half its gradient."""

    def __init__(self, params):
        self.params = list(params)

    def step(self):
        for p in self.params:
            p.data -= 0.5 * p.grad


class NoStep:
    def __init__(self, params):
        pass
'''


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    folder = tmp_path_factory.mktemp("objects")
    (folder / "objects.py").write_text(MODULE, encoding="utf-8")
    exercise = Exercise("objects", "any", 1.0, timeout=10)
    topic = Topic("objects", "Objects", "", "", (exercise,))
    session = Session(folder, Course("objects", (topic,)))
    yield Student(session, topic, exercise)
    session.close()


def test_a_worker_tensor_shows_changes_made_in_place(student):
    x = torch.arange(4.0)
    remote = student.new_tensor(x)
    student.scale_in_place(remote, 3.0)
    assert torch.equal(student.fetch(remote), 3 * x)
    assert torch.equal(x, torch.arange(4.0))  # the judge's copy is untouched


def test_generators_with_the_same_seed_draw_the_same_numbers(student):
    a = student.draw(5, generator=student.new_generator(7))
    b = student.draw(5, generator=student.new_generator(7))
    c = student.draw(5, generator=student.new_generator(8))
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert torch.equal(a, torch.rand(5, generator=torch.Generator().manual_seed(7)))


def test_models_share_layers_tie_weights_and_freeze(student):
    specs = [("Linear", [3, 3], {}), ("ReLU", [], {}), ("Linear", [3, 3], {})]
    model = student.new_module(specs, order=[0, 1, 0, 2], tie=[((0, "weight"), (2, "weight"))], freeze=[2])
    assert student.names(model) == ["Linear", "ReLU", "Linear", "Linear"]
    assert student.count(model) == 9 + 3 + 3  # the tied weight once
    grads = student.param_grads(model)
    assert sorted(grads) == ["0.bias", "0.weight", "3.bias"]


def test_only_listed_layers_can_be_built(student):
    with pytest.raises(StudentError) as info:
        student.new_module([("Transformer", [], {})])
    assert "cannot be built" in str(info.value)


def test_one_step_sets_the_gradients_steps_and_reads_the_same_parameters(student):
    params = [student.new_parameter(torch.zeros(2)), student.new_parameter(torch.ones(3))]
    opt = student.Halving(params)
    first = student.step(opt, params, [torch.tensor([2.0, 4.0]), torch.full((3,), 2.0)])
    second = student.step(opt, params, [torch.tensor([2.0, 0.0]), torch.zeros(3)])
    assert [t.tolist() for t in first] == [[-1.0, -2.0], [0.0, 0.0, 0.0]]
    assert [t.tolist() for t in second] == [[-2.0, -2.0], [0.0, 0.0, 0.0]]
    assert student.fetch(params[0]).tolist() == [-2.0, -2.0]  # the very parameters were moved


def test_a_step_that_fails_names_the_optimizer_step(student):
    params = [student.new_parameter(torch.zeros(2))]
    with pytest.raises(StudentError, match="NoStep.step"):
        student.step(student.NoStep(params), params, [torch.ones(2)])
