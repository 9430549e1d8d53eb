"""Forbidden calls: library functions an exercise asks the student to write themselves.

Two layers, both checked only while an exercise that forbids something runs:
- names: at start-up, before any student module is imported, every forbidden dotted name of
  the course, and every other binding of the same object in torch's modules, is replaced by
  a guard (so `from torch.nn.functional import conv2d` binds the guard); a forbidden class has
  its __init__ and its own methods guarded. Guards keep the original's name and docstring but
  have no `__wrapped__`.
- operators: grader.worker.op_guard rejects the aten operators behind the forbidden names
  (grader.worker.forbidden_ops), however the student's code reached them.
Either layer records the violation through `_check` and raises `ForbiddenCall`. The worker
fails the call when any violation was recorded, even if the student's code caught it.
"""

from __future__ import annotations

import importlib
import sys
import types

from grader.worker import op_guard

from grader.worker import channel

active: set[str] = set()  # forbidden names of the exercise in flight
violations: list[str] = []  # what was called while forbidden, during the current call
_began: list[tuple[str, ...]] = []  # the forbidden names begin() set (to notice tampering)


class ForbiddenCall(Exception):
    pass


def _check(path: str, via: str = "") -> None:
    """Record and refuse a use of the forbidden name `path` (reached as `via`) if it is active.

    The one place a violation is recorded."""
    if path in active:
        how = f" (reached as {via})" if via and via != path else ""
        violations.append(f"{path}{how}")
        channel.forbidden(f"{path}{how}")  # the supervisor's record: student code cannot take it back
        raise ForbiddenCall(f"{path} is forbidden here{how}")


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


resolve = _resolve  # also used by the worker to build the judge's own library objects


def _guard_function(path: str, original, via: str = "", decoy: bool = True):
    """A function that checks `path`, then calls `original`. Its `__wrapped__` is not the
    original but another guard (reached as ...__wrapped__), so unwrapping hands out no kernel."""

    def guard(*args, **kwargs):
        _check(path, via)
        return original(*args, **kwargs)

    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(guard, attr, getattr(original, attr))
        except (AttributeError, TypeError):
            pass
    if decoy:
        guard.__wrapped__ = _guard_function(path, original, f"{via or path}.__wrapped__", decoy=False)
    return guard


def _guard_class(path: str, cls: type) -> None:
    """Guard construction and every method the class defines itself (step, forward, ...)."""
    for name, value in list(vars(cls).items()):
        if isinstance(value, types.FunctionType) and (name == "__init__" or not name.startswith("__")):
            setattr(cls, name, _guard_function(path, value, f"{path}.{name}"))
    if "__init__" not in vars(cls):
        original_init = cls.__init__

        def __init__(self, *args, **kwargs):
            _check(path)
            original_init(self, *args, **kwargs)

        cls.__init__ = __init__


def _rebind_aliases(guards: dict[int, tuple[object, object]]) -> None:
    """Replace every other binding of a guarded function in torch's modules by its guard
    (torch.nn.utils.clip_grad.clip_grad_norm_ is torch.nn.utils.clip_grad_norm_)."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "torch" or name.startswith("torch.")):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for attr, value in list(namespace.items()):
            hit = guards.get(id(value))
            if hit is not None and hit[0] is value:
                namespace[attr] = hit[1]


def install(paths) -> list[str]:
    """Install guards for every dotted name; return the names that do not exist."""
    missing, replaced = [], {}
    for path in paths:
        try:
            owner, attr = _resolve(path)
            original = getattr(owner, attr)
        except (LookupError, AttributeError):
            missing.append(path)
            continue
        if isinstance(original, types.ModuleType):
            continue  # torch._VF: its functions are caught at the operator level
        if isinstance(original, type):
            _guard_class(path, original)
        else:
            guard = _guard_function(path, original)
            replaced.setdefault(id(original), (original, guard))
            setattr(owner, attr, guard)
    if replaced:
        _rebind_aliases(replaced)
    op_guard.guard_threads()
    return missing


def begin(forbidden) -> None:
    """Start a call of an exercise that forbids these names."""
    forbidden = tuple(dict.fromkeys(forbidden))
    active.clear()
    active.update(forbidden)
    violations.clear()
    _began[:] = [forbidden]
    if forbidden:
        op_guard.enter(forbidden)


def end() -> list[str]:
    """End the call; return the forbidden names it used (each once)."""
    forbidden = _began.pop() if _began else ()
    intact = op_guard.leave() and set(forbidden) == active
    if forbidden and not intact:
        active.update(forbidden)
        try:
            _check(forbidden[0], "code that removed the forbidden-call guard")
        except ForbiddenCall:
            pass
    used = list(dict.fromkeys(violations))
    active.clear()
    violations.clear()
    return used
