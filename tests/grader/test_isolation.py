"""What student code can see and do in the worker: no solutions or hidden tests, no writes
outside its home, no network, no secrets from the judge's environment, no forbidden calls
(even when it catches the error)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import torch

from grader.client import Session
from grader.errors import StudentError
from grader.manifest import Course, Exercise, Topic
from grader.paths import course_root
from grader.student import Student

PROBE = Path(__file__).parent / "fixtures" / "probes" / "probe.py"
ROOT = course_root()
HIDDEN = ([], "FileNotFoundError")  # an empty folder, or not there at all


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probe")
    shutil.copy(PROBE, folder / "probe.py")
    plain = Exercise("probe", "listing", 1.0, timeout=10)
    relu = Exercise("probe", "swallow_forbidden", 1.0, timeout=10, forbidden=("torch.nn.functional.relu",))
    topic = Topic("probe", "Probe", "", "", (plain, relu))
    os.environ["GRADE_SECRET"] = "judge-only"
    session = Session(folder, Course("probe", (topic,)))
    yield Student(session, topic, plain), Student(session, topic, relu)
    session.close()
    os.environ.pop("GRADE_SECRET", None)


def test_solutions_and_tests_are_hidden(probe):
    student, _ = probe
    assert student.listing(str(ROOT / "solutions")) in HIDDEN
    assert student.listing(str(ROOT / "tests")) in HIDDEN
    assert student.import_solution("optimizers") in ("ModuleNotFoundError", "ImportError")


def test_only_the_home_folder_is_writable(probe):
    student, _ = probe
    assert student.try_write(str(ROOT / "grader" / "evil.py")) == "OSError"
    assert not (ROOT / "grader" / "evil.py").exists()
    assert student.try_write("notes.txt") == "written"  # its own home


def test_there_is_no_network(probe):
    student, _ = probe
    assert student.try_connect("127.0.0.1", 9) != "connected"


def test_the_environment_is_small_and_fixed(probe):
    student, _ = probe
    env = student.environment()
    assert env["GRADE_SECRET"] is None and env["OMP_NUM_THREADS"] == "1" and env["PYTHONHASHSEED"] == "0"


def test_a_forbidden_call_fails_even_when_the_error_is_caught(probe):
    _, student = probe
    with pytest.raises(StudentError, match="torch.nn.functional.relu, which this exercise forbids") as err:
        student.swallow_forbidden(torch.tensor([-1.0, 2.0]))
    assert err.value.kind == "forbidden"
