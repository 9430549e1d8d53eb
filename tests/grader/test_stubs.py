"""exercises/ is generated from solutions/ and kept up to date; the generator's rules."""

from __future__ import annotations

import pytest

from grader.errors import GradeError
from grader.paths import course_root
from grader.stubgen import make_stub, stale

SOURCE = '''"""Doc."""
import torch


def f(x):
    """f(x) = 2x."""
    # BEGIN SOLUTION
    y = 2 * x
    return y
    # END SOLUTION


class C:
    def step(self):
        if True:
            # BEGIN SOLUTION
            pass
            # END SOLUTION
        return 1
'''


def test_exercises_are_up_to_date_with_solutions():
    assert stale(course_root()) == [], "run `python -m grader.stubgen` and commit exercises/"


def test_each_solution_block_becomes_a_named_not_implemented_error():
    stub = make_stub(SOURCE, "topic")
    assert 'raise NotImplementedError("topic.f: fill in this part")' in stub
    assert '            raise NotImplementedError("topic.C: fill in this part")' in stub
    assert "y = 2 * x" not in stub and "BEGIN SOLUTION" not in stub
    assert '"""f(x) = 2x."""' in stub and "        return 1" in stub
    compile(stub, "stub.py", "exec")


@pytest.mark.parametrize("bad", ["# BEGIN SOLUTION\nx = 1\n", "def f():\n    # END SOLUTION\n",
                                 "def f():\n    # BEGIN SOLUTION\n    pass\n"])
def test_malformed_blocks_are_reported(bad):
    with pytest.raises(GradeError):
        make_stub(bad, "topic")


class _Markers:
    """Collects (topic, exercise) of every collected test item."""

    def __init__(self):
        self.seen: set[tuple[str, str]] = set()

    def pytest_collection_modifyitems(self, items):
        for item in items:
            mark = item.get_closest_marker("exercise")
            if mark:
                self.seen.add((item.path.stem.removeprefix("test_"), mark.args[0]))


def _collected(suite: str) -> set[tuple[str, str]]:
    import os

    root = course_root()
    markers = _Markers()
    code = pytest.main(["-c", os.devnull, "--rootdir", str(root), "-p", "grader.harness.plugin", "--collect-only",
                        "-p", "no:terminal", "-p", "no:cacheprovider", "--import-mode=importlib",
                        str(root / "tests" / suite)], plugins=[markers])
    assert code == 0, f"collecting tests/{suite} failed"
    return markers.seen


def test_every_exercise_has_a_solution_and_hidden_and_public_tests():
    import ast

    from grader.manifest import load_course

    hidden, public = _collected("hidden"), _collected("public")
    for topic in load_course().topics:
        tree = ast.parse((course_root() / "solutions" / f"{topic.name}.py").read_text())
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        for ex in topic.exercises:
            assert ex.name in defined, f"solutions/{topic.name}.py lacks {ex.name}"
            assert (topic.name, ex.name) in hidden, f"no hidden test for {ex.task_id}"
        assert any(t == topic.name for t, _ in public), f"no public tests for {topic.name}"
