"""student.new_object: the judge's own torch objects built in the worker (a model, a loss, an
optimizer for a test that hands them to student code), never anything outside torch."""

from __future__ import annotations

import pytest
import torch

from grader.client import Session
from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.student import Student

MODULE = '''
def run(model, x):
    return model(x)
'''


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    folder = tmp_path_factory.mktemp("newobj")
    (folder / "newobj.py").write_text(MODULE)
    ex = Exercise("newobj", "run", 1.0, timeout=20, forbidden=("torch.nn.ReLU",))
    topic = Topic("newobj", "New objects", "", "", (ex,))
    session = Session(folder, Course("newobj", (topic,)))
    yield Student(session, topic, ex)
    session.close()


def test_a_built_module_takes_the_tests_parameters_and_runs_in_student_code(student):
    layer = student.new_object("torch.nn.Linear", 3, 2).double()
    w = torch.arange(6, dtype=torch.float64).reshape(2, 3)
    layer.weight = student.new_parameter(w)
    layer.bias = student.new_parameter(torch.zeros(2, dtype=torch.float64))
    x = torch.ones(1, 3, dtype=torch.float64)
    assert torch.equal(student.run(layer, x), x @ w.T)


def test_building_ignores_the_exercises_forbidden_names(student):
    relu = student.new_object("torch.nn.ReLU")  # the judge's object, not the student's call
    seq = student.new_object("torch.nn.Sequential", student.new_object("torch.nn.Identity"), relu)
    assert seq._get_name() == "Sequential"


@pytest.mark.parametrize("path", ["os.system", "builtins.eval", "newobj.run"])
def test_only_torch_objects_can_be_built(student, path):
    with pytest.raises(StudentError) as err:
        student.new_object(path, "true")
    assert err.value.kind == "protocol" and "only torch objects" in str(err.value)


def test_an_unknown_name_is_a_protocol_error(student):
    with pytest.raises(StudentError) as err:
        student.new_object("torch.nn.NoSuchLayer")
    assert err.value.kind == "protocol" and "no such name" in str(err.value)


def test_bad_arguments_fail_the_call_not_the_worker(student):
    with pytest.raises(StudentError) as err:
        student.new_object("torch.nn.Linear", "three")
    assert err.value.kind == "raised"
    assert student.new_object("torch.nn.Identity")._get_name() == "Identity"
