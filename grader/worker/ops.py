"""The operations the judge can ask of the worker. Each takes the decoded request and returns
the value to send back; failures raise `OpFailure` (or LoadError) with a reply for the judge.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from grader import walk
from grader.wire import Handle
from grader.worker import failures, guards
from grader.worker.loader import LoadError, Loader
from grader.worker.sandbox import CappedOutput


class OpFailure(Exception):
    def __init__(self, reply: dict):
        super().__init__(reply["message"])
        self.reply = reply


class Worker:
    """State of one worker: the loaded modules and the objects the judge holds handles to."""

    def __init__(self, root: Path):
        self.loader = Loader(root)
        self.root = self.loader.root
        self.objects: dict[int, object] = {}

    # ------------------------------------------------------------ handles
    def store(self, obj) -> Handle:
        hid = len(self.objects) + 1
        self.objects[hid] = obj
        text = object.__repr__(obj)
        return Handle(hid, f"{type(obj).__module__}.{type(obj).__qualname__}", text)

    def resolve(self, value):
        """Replace every Handle inside a decoded value by the object it names."""
        return walk.swap(value, Handle, self._object)

    def _object(self, handle: Handle):
        if handle.id not in self.objects:
            raise OpFailure({"kind": "protocol", "message": "unknown worker object (the worker restarted?)"})
        return self.objects[handle.id]

    def target(self, spec: dict):
        """The object a request is about: a module attribute or a stored object (or its attribute)."""
        if "module" in spec:
            return self.loader.attr(spec["module"], spec["attr"])
        obj = self.resolve(Handle(int(spec["handle"]), "", ""))
        if spec.get("attr"):
            obj = self.guarded(lambda: getattr(obj, spec["attr"]), spec["attr"])
        return obj

    # ------------------------------------------------------------ running student code
    def guarded(self, fn, what: str, forbidden=()):
        """Run fn() (student code) with forbidden names active, seeded RNGs and captured output."""
        _seed()
        out = CappedOutput()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        guards.begin(forbidden)
        try:
            value = fn()
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            if isinstance(exc, KeyboardInterrupt):
                raise
            reply = failures.describe(exc, what, self.root)
            used = guards.end()
            if used:
                reply = {"kind": "forbidden", "message": f"{what} used {', '.join(used)}, which this exercise forbids", "exc_types": []}
            reply["output"] = out.text()
            raise OpFailure(reply) from None
        finally:
            sys.stdout, sys.stderr = saved
        used = guards.end()
        if used:
            raise OpFailure({"kind": "forbidden", "message": f"{what} used {', '.join(used)}, which this exercise forbids", "output": out.text()})
        self.last_output = out.text()
        return value


def _seed() -> None:
    random.seed(0)
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed(0)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(0)


def _label(req: dict) -> str:
    t = req.get("target") or {}
    name = t.get("attr") or ""
    return req.get("label") or name or "the call"


# ---------------------------------------------------------------- the operations
def op_ping(w: Worker, req: dict):
    return "pong"


def op_import(w: Worker, req: dict):
    w.loader.module(req["module"])
    return True


def op_call(w: Worker, req: dict):
    fn = w.target(req["target"])
    args, kwargs = w.resolve(req.get("args", [])), w.resolve(req.get("kwargs", {}))
    return w.guarded(lambda: fn(*args, **kwargs), _label(req), req.get("forbidden", ()))


def op_getattr(w: Worker, req: dict):
    obj = w.target(req["target"])
    name = req["name"]
    return w.guarded(lambda: getattr(obj, name), f"{_label(req)}.{name}", req.get("forbidden", ()))


def op_setattr(w: Worker, req: dict):
    obj = w.target(req["target"])
    value = w.resolve(req["value"])
    w.guarded(lambda: setattr(obj, req["name"], value), f"setting {req['name']}", req.get("forbidden", ()))
    return None


def op_getitem(w: Worker, req: dict):
    obj = w.target(req["target"])
    key = w.resolve(req["key"])
    return w.guarded(lambda: obj[key], f"{_label(req)}[{key!r}]", req.get("forbidden", ()))


def op_len(w: Worker, req: dict):
    obj = w.target(req["target"])
    return int(w.guarded(lambda: len(obj), f"len({_label(req)})", req.get("forbidden", ())))


def op_param_grads(w: Worker, req: dict):
    module = w.target(req["target"])
    params = w.guarded(lambda: list(module.named_parameters()), "named_parameters()", req.get("forbidden", ()))
    return {name: (None if p.grad is None else p.grad.detach().clone()) for name, p in params}


OPS = {
    "ping": op_ping,
    "import": op_import,
    "call": op_call,
    "getattr": op_getattr,
    "setattr": op_setattr,
    "getitem": op_getitem,
    "len": op_len,
    "param_grads": op_param_grads,
}


def register(name: str):
    """Add an operation (used by grader.worker.build_ops, grad_ops and plot_ops)."""

    def deco(fn):
        OPS[name] = fn
        return fn

    return deco


__all__ = ["OPS", "OpFailure", "LoadError", "Worker", "register"]


@register("fetch")
def op_fetch(w: Worker, req: dict):
    """The object itself; the main loop sends it strictly as data (no handles)."""
    return w.target(req["target"])
