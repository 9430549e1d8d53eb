"""Stubs state every requirement the hidden tests check (course-wide, every topic in
course/course.toml): each function or class whose hidden suite asserts a ValueError says
"Raises ValueError when ..." in its stub docstring (a class: its class docstring), and each
exercise with forbidden calls says "Do not call ..." (in its own docstring, or in the module
docstring when the whole topic forbids the same calls)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.manifest import load_course
from grader.paths import course_root

ROOT = course_root()
TOPICS = [t.name for t in load_course().topics]


def raised_by(suite: Path, exc: str = "ValueError") -> set[str]:
    """Names NAME of every `assert_raises("<exc>", student.NAME, ...)` in the suite."""
    names = set()
    for node in ast.walk(ast.parse(suite.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "assert_raises"):
            continue
        if len(node.args) < 2 or not (isinstance(node.args[0], ast.Constant) and node.args[0].value == exc):
            continue
        target = node.args[1]
        if isinstance(target, ast.Attribute) and getattr(target.value, "id", None) == "student":
            names.add(target.attr)
    return names


def stub_docs(topic: str) -> tuple[str, dict[str, str]]:
    """(module docstring, {top-level function or class name: its docstring}) of the stub."""
    tree = ast.parse((ROOT / "exercises" / f"{topic}.py").read_text(encoding="utf-8"))
    docs = {n.name: ast.get_docstring(n) or "" for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return ast.get_docstring(tree) or "", docs


@pytest.mark.parametrize("topic", TOPICS)
def test_every_value_error_the_hidden_suite_asserts_is_stated(topic):
    suite = ROOT / "tests" / "hidden" / f"test_{topic}.py"
    if not suite.is_file():
        pytest.skip(f"no hidden suite for {topic}")
    _, docs = stub_docs(topic)
    missing = [f"{topic}: the stub of {name} (exercises/{topic}.py) does not state its ValueError: "
               f"tests/hidden/test_{topic}.py asserts one; write 'Raises ValueError when ...' in its "
               "docstring" + (" (the class docstring)" if name[:1].isupper() else "")
               + ("" if name in docs else f" ({name} is not defined in the stub)")
               for name in sorted(raised_by(suite)) if "ValueError" not in docs.get(name, "")]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("topic", TOPICS)
def test_every_forbidden_call_is_stated(topic):
    course_topic = load_course().topic(topic)
    module_doc, docs = stub_docs(topic)
    topic_wide = len({ex.forbidden for ex in course_topic.exercises}) == 1
    missing = []
    for ex in course_topic.exercises:
        if not ex.forbidden or "Do not call" in docs.get(ex.name, ""):
            continue
        if topic_wide and "Do not call" in module_doc:
            continue
        missing.append(f"{topic}: the stub of {ex.name} (exercises/{topic}.py) does not say which calls are "
                       f"forbidden: course/{topic}.toml forbids {', '.join(ex.forbidden[:3])}"
                       f"{', ...' if len(ex.forbidden) > 3 else ''}; write 'Do not call ...' in its docstring")
    assert not missing, "\n".join(missing)


def test_the_parser_finds_assert_raises(tmp_path):
    suite = tmp_path / "test_x.py"
    suite.write_text('assert_raises("ValueError", student.f, 1)\nassert_raises("TypeError", student.g)\n'
                     'checks.assert_raises("ValueError", student.h, x=1)\n')
    assert raised_by(suite) == {"f", "h"}
