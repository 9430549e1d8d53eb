"""Forbidden calls: library functions an exercise asks the student to write themselves.

At start-up, before any student module is imported, every forbidden dotted name of the
course is replaced by a guard (so `from torch.nn.functional import conv2d` binds the guard).
A guard delegates to the original unless the exercise in flight forbids it; then it records
the violation and raises `ForbiddenCall`. The worker fails the call when any violation was
recorded, even if the student's code caught the exception.
"""

from __future__ import annotations

import functools
import importlib

from grader.worker import channel

active: set[str] = set()  # forbidden names of the exercise in flight
violations: list[str] = []  # names called while forbidden, during the current call


class ForbiddenCall(Exception):
    pass


def _check(path: str) -> None:
    if path in active:
        violations.append(path)
        channel.forbidden(path)  # the supervisor's record: student code cannot take it back
        raise ForbiddenCall(f"{path} is not allowed in this exercise")


def _resolve(path: str):
    """Split a dotted name into (owner object, attribute name), importing the module part."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:-1]:
            owner = getattr(owner, name)
        return owner, parts[-1]
    raise LookupError(path)


def _guard_function(path: str, original):
    @functools.wraps(original)
    def guard(*args, **kwargs):
        _check(path)
        return original(*args, **kwargs)

    return guard


def _guard_class(path: str, cls: type) -> None:
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        _check(path)
        original_init(self, *args, **kwargs)

    cls.__init__ = __init__


def install(paths) -> list[str]:
    """Install guards for every dotted name; return the names that do not exist."""
    missing = []
    for path in paths:
        try:
            owner, attr = _resolve(path)
            original = getattr(owner, attr)
        except (LookupError, AttributeError):
            missing.append(path)
            continue
        if isinstance(original, type):
            _guard_class(path, original)
        else:
            setattr(owner, attr, _guard_function(path, original))
    return missing


def begin(forbidden) -> None:
    """Start a call of an exercise that forbids these names."""
    active.clear()
    active.update(forbidden)
    violations.clear()


def end() -> list[str]:
    """End the call; return the forbidden names it used (each once)."""
    used = list(dict.fromkeys(violations))
    active.clear()
    violations.clear()
    return used
