"""The operator-level guard: while an exercise that forbids a family of operators runs, a
TorchDispatchMode rejects the aten operators behind its forbidden names (every path to the
kernel ends there: the public function, torch.*, torch.ops.aten.*, torch._C.*, nn modules,
TorchScript, autograd), and, for families whose public callables decompose before the
dispatcher (grader.worker.forbidden_ops: `composite`), a TorchFunctionMode rejects the
torch-level callables too.

Nothing is entered for exercises without such families (the fast path). Threads started by
student code enter the same guard (modes are per thread). A rejected operator is reported
through guards._check, the one place a violation is recorded.
"""

from __future__ import annotations

import _thread
import threading

from grader.worker import forbidden_ops

_state = {"ops": {}, "kinds": {}, "function_mode": False, "depth": None}


def _key(func) -> str:
    """The operator name of a torch-level callable or an aten OpOverload(Packet)."""
    schema = getattr(func, "_schema", None)
    if schema is not None:
        return schema.name.split("::", 1)[-1]
    qualified = getattr(func, "_qualified_op_name", None)
    if qualified is not None:
        return qualified.split("::", 1)[-1]
    return getattr(func, "__name__", "") or ""


def _via(func, key: str) -> str:
    if getattr(func, "_schema", None) is not None or getattr(func, "_qualified_op_name", None) is not None:
        return f"torch.ops.{getattr(func, 'namespace', 'aten')}.{key}"
    module = getattr(func, "__module__", None) or "torch.Tensor"
    if module == "torch" or module.startswith("torch._C._VariableFunctions"):
        module = "torch"
    return f"{module}.{key}"


def _transposed(args, kwargs) -> bool:
    if "transposed" in (kwargs or {}):
        return bool(kwargs["transposed"])
    return bool(args[forbidden_ops.TRANSPOSED_ARG]) if len(args) > forbidden_ops.TRANSPOSED_ARG else False


_keys: dict = {}


def verdict(func, args, kwargs) -> tuple[str, str] | None:
    """(forbidden name, how it was reached) when `func` is a forbidden operator, else None."""
    try:
        key = _keys[func]
    except (KeyError, TypeError):
        key = _key(func)
        try:
            _keys[func] = key
        except TypeError:
            pass
    name = _state["ops"].get(key)
    if name is None:
        return None
    if key in forbidden_ops.SHARED_CONV_OPS:
        name = _state["kinds"].get(_transposed(args, kwargs))
        if name is None:
            return None
    return name, _via(func, key)


def _reject(func, args, kwargs) -> None:
    found = verdict(func, args, kwargs)
    if found is not None:
        from grader.worker import guards

        guards._check(*found)


_classes: list = []


def _mode_classes():
    """(FunctionGuard, DispatchGuard), defined once (torch is imported lazily)."""
    if not _classes:
        from torch.overrides import TorchFunctionMode
        from torch.utils._python_dispatch import TorchDispatchMode

        class FunctionGuard(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                if _state["ops"]:
                    _reject(func, args, kwargs)
                return func(*args, **(kwargs or {}))

        class DispatchGuard(TorchDispatchMode):
            def __torch_dispatch__(self, func, types, args=(), kwargs=None):
                if _state["ops"]:
                    _reject(func, args, kwargs)
                return func(*args, **(kwargs or {}))

        _classes.extend((FunctionGuard, DispatchGuard))
    return _classes


def _modes(function_mode: bool):
    """New (function mode or None, dispatch mode) instances."""
    function_guard, dispatch_guard = _mode_classes()
    return (function_guard() if function_mode else None), dispatch_guard()


_entered: list = []


def enter(forbidden) -> None:
    """Start guarding the operators behind `forbidden` in this thread (nothing if none)."""
    ops = forbidden_ops.plan(forbidden)
    _state.update(ops=ops, kinds=forbidden_ops.transposed_kinds(forbidden),
                  function_mode=forbidden_ops.needs_function_mode(forbidden))
    if not ops:
        return
    for mode in _modes(_state["function_mode"]):
        if mode is not None:
            mode.__enter__()
            _entered.append(mode)


def _on_stack(mode) -> bool:
    from torch.overrides import _get_current_function_mode_stack
    from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

    return any(m is mode for m in (*_get_current_function_mode_stack(), *_get_current_dispatch_mode_stack()))


def leave() -> bool:
    """Stop guarding: leave the modes entered by `enter`. False when one of them was no longer
    in place (student code popped it)."""
    intact = True
    while _entered:
        mode = _entered.pop()
        try:
            intact = intact and _on_stack(mode)
            mode.__exit__(None, None, None)
        except Exception:  # noqa: BLE001 - a tampered mode stack must not break the worker
            intact = False
    _state.update(ops={}, kinds={}, function_mode=False)
    return intact


def _in_guard(function):
    """`function` run under the operator guard, which follows the exercise in flight."""

    def run(*args, **kwargs):
        modes = list(_modes(True))
        for mode in modes:
            mode.__enter__()
        try:
            return function(*args, **kwargs)
        finally:
            for mode in reversed(modes):
                try:
                    mode.__exit__(None, None, None)
                except Exception:  # noqa: BLE001
                    pass

    return run


def guard_threads() -> None:
    """Make threads started while an exercise runs enter its operator guard."""
    for owner, name in ((_thread, "start_new_thread"), (_thread, "start_joinable_thread"),
                        (threading, "_start_new_thread"), (threading, "_start_joinable_thread")):
        original = getattr(owner, name, None)
        if original is None:
            continue

        def start(function, *rest, _original=original, **kwargs):
            return _original(_in_guard(function), *rest, **kwargs)

        setattr(owner, name, start)
