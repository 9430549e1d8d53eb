"""The plot-check registry: every `@plot_check` has an `assert_*` twin exported by
grader.checks.plots, the names the suites import exist, and docs/plot-checks.md names them."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

import grader.checks.plots as P
from grader.checks.plots._registry import plot_check

ROOT = Path(__file__).resolve().parents[2]


def _imported_from(module: str) -> set[str]:
    names = set()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == module:
                names |= {a.name for a in node.names}
    return names


def test_every_check_has_its_assert_twin_exported():
    assert P.CHECKS, "no plot check registered"
    for name, check in P.CHECKS.items():
        twin = "assert_" + name.removeprefix("check_")
        assert getattr(P, name) is check
        assert callable(getattr(P, twin)) and getattr(P, twin).__name__ == twin
        assert name in P.__all__ and twin in P.__all__


def test_every_name_the_suites_import_exists():
    for module in ("grader.checks.plots", "grader.checks.plots.pairs", "grader.checks.plots.points",
                   "grader.checks.plots.images"):
        mod = importlib.import_module(module)
        missing = sorted(n for n in _imported_from(module)
                         if not hasattr(mod, n) and importlib.util.find_spec(f"{module}.{n}") is None)
        assert not missing, f"{module} lacks {missing}"


def test_the_twin_fails_with_the_message_and_passes_on_none():
    fig = {"axes": [], "problems": []}
    assert P.check_no_problems({"figure": fig, "problems": []}, what="f()") is None
    P.assert_no_problems({"figure": fig, "problems": []}, what="f()")
    with pytest.raises(pytest.fail.Exception) as info:
        P.assert_no_problems({"figure": fig, "problems": ["left 1 extra figure(s) open"]}, what="f()")
    assert "extra figure" in str(info.value)


def test_a_check_must_be_named_check_and_unique():
    def assert_thing(got, exp, *, what):
        return None

    with pytest.raises(TypeError, match="named check_"):
        plot_check(assert_thing)

    def check_bars(got, exp, *, what):
        return None

    with pytest.raises(TypeError, match="two plot checks named check_bars"):
        plot_check(check_bars)


def test_docs_name_every_registered_check():
    doc = (ROOT / "docs" / "plot-checks.md").read_text(encoding="utf-8")
    assert not [name for name in P.CHECKS if f"`{name}" not in doc]
