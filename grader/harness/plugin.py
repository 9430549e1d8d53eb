"""The grading pytest plugin.

Loaded with `-p grader.harness.plugin` (pyproject's addopts does it for plain `pytest`).
Tests marked `@pytest.mark.exercise(name, weight=1)` in `test_<topic>.py` get fixtures:
`student` (the submission's module, through the worker), `reference` (solutions/ through a
worker of its own), `solution` (solutions/<topic>.py imported here: trusted) and `artifacts`.
`--submission DIR` picks the submission (default: solutions/).

This module holds the options, the run's start (the zygote, started before collection) and
end, and the selection of tests; the run's state is in harness/state.py, the fixtures in
harness/fixtures.py, the report hooks in harness/verdicts.py (pytest finds them here).
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import pytest

from grader.harness.fixtures import artifacts, reference, solution, student  # noqa: F401 - fixtures of the plugin
from grader.harness.state import STATE, GradingState, topic_of
from grader.harness.verdicts import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401 - hooks


def pytest_addoption(parser):
    group = parser.getgroup("grade")
    group.addoption("--submission", default=None, help="folder with the student's modules (default: solutions/)")
    group.addoption("--hide", action="append", default=[], metavar="DIR",
                    help="a folder student code must not see (repeatable), e.g. other students' folders")
    group.addoption("--exercise", action="append", default=[], metavar="TOPIC.NAME",
                    help="run only this exercise's tests (repeatable)")
    group.addoption("--require-isolation", action="store_true", default=False,
                    help="refuse to run student code where the sandbox cannot be set up")


def pytest_configure(config):
    config.addinivalue_line("markers", "exercise(name, weight=1): the catalog exercise a grading test counts for")
    config.stash[STATE] = GradingState(config.getoption("--submission"), config.getoption("--hide"),
                                       config.getoption("--exercise"), config.getoption("--require-isolation"))


def pytest_unconfigure(config):
    state = config.stash.get(STATE, None)
    if state is not None:
        state.close()


def _suite_topics(args) -> set[str] | None:
    """Topics whose grading suites this run will collect (None: it runs no suite)."""
    topics = set()
    for arg in args:
        path = Path(str(arg).split("::")[0]).resolve()
        files = [path] if path.is_file() else path.rglob("test_*.py") if path.is_dir() else []
        topics |= {topic_of(f) for f in files if f.parent.name in ("hidden", "public")}
    return topics or None


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    """Start the zygote before collection, so that its start-up overlaps the judge's."""
    config = session.config
    topics = _suite_topics(config.args)
    if topics is None or config.option.collectonly:
        return
    state = config.stash[STATE]
    start_judge({t.kind for t in state.course.topics if t.name in topics})


def start_judge(kinds: set, background: bool = True) -> None:
    """Start the zygote (with matplotlib for plot topics) and, for code topics, torch in the
    judge. background: import torch._dynamo in a thread (a session overlaps it with collection);
    grader.harness.split imports it at once, before it forks."""
    from grader.spawner import spawner

    spawner().start(plots="plot" in kinds)
    if kinds - {"plot"}:
        import torch

        # One thread: the worker needs the other core, and OpenMP threads spinning beside it
        # slow both down; one thread also keeps the oracles' reductions in a fixed order.
        torch.set_num_threads(1)
        # torch.optim (an oracle) imports torch._dynamo on first use, ~3 s: start it now, in
        # the background, while collection runs and the first test waits for the worker.
        if background:
            threading.Thread(target=importlib.import_module, args=("torch._dynamo",), daemon=True).start()
        else:
            importlib.import_module("torch._dynamo")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    state = config.stash[STATE]
    kept = state.plan(items)
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
