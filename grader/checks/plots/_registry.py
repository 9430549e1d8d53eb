"""The registry of plot checks: `@plot_check` on a `check_x` also makes its `assert_x` twin.

Every check returns a message (what differs: expected vs got) or None. Decorating it is the
only edit a new check needs: grader.checks.plots exports every registered `check_x` and
`assert_x` (the twin calls pytest.fail(message, pytrace=False)).
"""

from __future__ import annotations

from typing import Callable

import pytest

CHECKS: dict[str, Callable] = {}   # "check_bars" -> check_bars, in registration order
ASSERTS: dict[str, Callable] = {}  # "assert_bars" -> its pytest.fail twin


def _asserting(check: Callable) -> Callable:
    def assert_(*args, **kwargs) -> None:
        message = check(*args, **kwargs)
        if message:
            pytest.fail(message, pytrace=False)

    assert_.__name__ = assert_.__qualname__ = twin_name(check.__name__)
    assert_.__doc__ = f"pytest.fail with the message of {check.__name__}, if any."
    return assert_


def twin_name(check_name: str) -> str:
    """"check_bars" -> "assert_bars"."""
    return "assert_" + check_name.removeprefix("check_")


def plot_check(check: Callable) -> Callable:
    """Register `check` (named check_*) and its assert_* twin; return `check` unchanged."""
    name = check.__name__
    if not name.startswith("check_"):
        raise TypeError(f"a plot check is named check_*, not {name}")
    if name in CHECKS and CHECKS[name] is not check:
        raise TypeError(f"two plot checks named {name}: {CHECKS[name].__module__} and {check.__module__}")
    CHECKS[name] = check
    ASSERTS[twin_name(name)] = _asserting(check)
    return check
