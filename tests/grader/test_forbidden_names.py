"""Every forbidden name of every topic resolves in the installed libraries: a misspelt name
would silently guard nothing (the worker skips names it cannot find). Names of packages that
are not installed with the course (torchvision, scikit-learn) are skipped."""

from __future__ import annotations

import importlib.util

import pytest

from grader.manifest import load_course
from grader.worker.guards import _resolve


@pytest.mark.parametrize("topic", [t.name for t in load_course().topics if t.forbidden])
def test_forbidden_names_resolve_in_the_installed_libraries(topic):
    missing = []
    for name in load_course().topic(topic).forbidden:
        if importlib.util.find_spec(name.split(".")[0]) is None:
            continue  # the package is not installed here, so nothing can call it either
        try:
            owner, attr = _resolve(name)
            getattr(owner, attr)
        except (LookupError, AttributeError):
            missing.append(name)
    assert missing == [], f"{topic}: forbidden names that do not exist: {missing}"
