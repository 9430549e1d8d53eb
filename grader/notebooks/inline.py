"""What notebook cells call inside a kernel.

`check(topic, name)`: the public checks of one exercise on the definitions this kernel has
executed, run by the grader in its sandbox; prints one line per check. `nbgrader_score(topic,
name)`: the hidden suite's score of one exercise, as the float an nbgrader test cell's last
value gives for partial credit; the topic is graded once per distinct source (the other test
cells read the same result). Neither writes to stderr.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

_graded: dict[tuple[str, str, str], object] = {}


def _kernel_cells() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError("check() runs inside a Jupyter notebook; outside one use `grade check`")
    return [c for c in shell.user_ns.get("In", []) if c]


def _grade(selection: str, suite: str, source: str, topic: str | None = None):
    """Grade `selection` (a topic or a task id) on `source` as <topic>.py, once per source."""
    from grader.harness.runner import grade

    topic = topic or selection
    key = (selection, suite, hashlib.sha256(source.encode()).hexdigest())
    if key not in _graded:
        with tempfile.TemporaryDirectory(prefix="nb-grade-") as tmp:
            (Path(tmp) / f"{topic}.py").write_text(source, encoding="utf-8")
            _graded[key] = grade(Path(tmp), [selection], suite, extra_args=("-s",))
    return _graded[key]


def _exercise(result, topic: str, name: str):
    for ex in result.exercises:
        if ex.topic == topic and ex.name == name:
            return ex
    return None


def check(topic: str, name: str) -> None:
    """Run the public checks of `topic.name` on this notebook's definitions."""
    from grader.notebooks.assemble import module_from_cells

    result = _grade(f"{topic}.{name}", "public", module_from_cells(_kernel_cells()), topic)
    ex = _exercise(result, topic, name)
    if ex is None:
        print(f"✗ {topic}.{name}: {result.error or 'no public checks ran'}")
        return
    if ex.error:
        print(f"✗ {topic}.{name}: {ex.error}")
    for t in ex.tests:
        mark = "✓" if t.status == "passed" else "✗"
        print(f"{mark} {t.name}" + (f"\n    {t.message}".replace("\n", "\n    ") if t.message else ""))
    passed = sum(t.status == "passed" for t in ex.tests)
    print(f"{passed}/{len(ex.tests)} public checks of {name} passed"
          + ("" if passed < len(ex.tests) else " (the hidden tests decide the score)"))


def nbgrader_score(topic: str, name: str) -> float:
    """The points `topic.name` earns with the hidden suite (partial credit for nbgrader)."""
    from grader.notebooks.assemble import module_from_cells

    result = _grade(topic, "hidden", module_from_cells(_kernel_cells()))
    ex = _exercise(result, topic, name)
    if ex is None:
        print(f"{topic}.{name}: not graded ({result.error or 'no tests ran'})")
        return 0.0
    for t in ex.failures:
        print(f"✗ {t.name}: {t.message}")
    print(f"{topic}.{name}: {ex.score:g} / {ex.max_score:g}")
    return float(ex.score)
