"""Checks for hidden and public tests. Each `assert_*` calls pytest.fail(message,
pytrace=False) on failure; the `compare`/`diagnose` functions return a message or None.
"""

from __future__ import annotations

import pytest

from grader.errors import StudentError


class CheckFailed(pytest.fail.Exception):
    """A failed check (pytest's Failed, no traceback) that carries the recognised mistake as a
    field, so results, reports and tags read it without parsing the message."""

    def __init__(self, message: str, mistake: str | None = None):
        super().__init__(msg=message, pytrace=False)
        self.mistake = mistake or ""


def fail(message: str, *, mistake: str | None = None):
    """Fail the test in flight with a message for the student (no traceback); `mistake`: the
    misconception recognised, if any (kept in the result's `mistake` field)."""
    raise CheckFailed(message, mistake)


def _report(what: str, msg: str, mistake: str | None) -> str:
    text = f"{what}: {msg}"
    if mistake:
        text += f"\n  This is what you get with this mistake: {mistake}."
    return text


def _mistakes(mistakes) -> dict:
    """`mistakes` as a dict; a callable is called only now, when a check has failed."""
    return mistakes() if callable(mistakes) else (mistakes or {})


def assert_close(got, expected, *, what: str, rtol=None, atol=None, mistakes=None) -> None:
    """got must equal expected within tolerance (torch.testing defaults by dtype).

    mistakes: {description: the value that misconception gives}, or a function returning
    that dict (computed only when the check fails).
    """
    from grader.checks.numeric import compare, diagnose

    msg = compare(got, expected, rtol, atol)
    if msg:
        mistake = diagnose(got, _mistakes(mistakes), rtol, atol)
        fail(_report(what, msg, mistake), mistake=mistake)


def assert_equal(got, expected, *, what: str, mistakes=None) -> None:
    """got must equal expected exactly (ints, bools, strings, integer tensors/arrays)."""
    from grader.checks.numeric import compare, diagnose

    msg = compare(got, expected, 0.0, 0.0)
    if msg:
        mistake = diagnose(got, _mistakes(mistakes), 0.0, 0.0)
        fail(_report(what, msg, mistake), mistake=mistake)


def assert_raises(exc_name: str, fn, *args, **kwargs) -> None:
    """Calling fn(*args, **kwargs) in the worker must raise exc_name (or a subclass)."""
    label = getattr(fn, "_label", getattr(fn, "__name__", "the call"))
    shown = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
    try:
        value = fn(*args, **kwargs)
    except StudentError as exc:
        if exc.raised(exc_name):
            return
        fail(f"{label}({shown}) should raise {exc_name}; instead: {exc}")
    else:
        fail(f"{label}({shown}) should raise {exc_name}, but it returned {str(value)[:80]}")


__all__ = ["CheckFailed", "assert_close", "assert_equal", "assert_raises", "fail", "StudentError"]
