"""What a hidden test holds: proxies for the student's module and the objects it creates.

Every call goes to the worker through a `Session` and comes back as data; objects that are
not data (modules, optimizers, figures) come back as `Remote` handles.
"""

from __future__ import annotations

import copy
import hashlib

from grader import walk, wire
from grader.client import Session
from grader.errors import StudentError
from grader.manifest import Exercise, Topic
from grader.wire import Handle


class Student:
    """The submission's module for one topic, as seen by one test (of one exercise)."""

    def __init__(self, session: Session, topic: Topic, exercise: Exercise):
        self._session, self._topic, self.exercise = session, topic, exercise

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return Remote(self, {"module": self._topic.name, "attr": name}, name)

    # ------------------------------------------------------------ plumbing
    def _request(self, op: str, what: str, **fields):
        fields = {k: _unwrap(v, self) for k, v in fields.items()}
        value = self._session.call(self._topic, self.exercise, {"op": op, **fields}, what)
        return _wrap(value, self)

    # ------------------------------------------------------------ objects made in the worker
    def _new(self, kind: str, what: str, **data) -> Remote:
        """An object of `kind` made in the worker from data (grader.worker.build_ops.KINDS)."""
        return self._request("new", what, kind=kind, data=data)

    def new_tensor(self, tensor) -> Remote:
        """A copy of `tensor` kept in the worker (to see whether a call changes its argument)."""
        return self._new("tensor", "creating a tensor", value=tensor)

    def new_parameter(self, tensor) -> Remote:
        """An nn.Parameter holding a copy of `tensor`, created in the worker."""
        return self._new("parameter", "creating a parameter", value=tensor)

    def new_generator(self, seed: int) -> Remote:
        """A torch.Generator seeded with `seed`, created in the worker."""
        return self._new("generator", "creating a generator", seed=int(seed))

    def new_linear(self, weight, bias=None) -> Remote:
        """An nn.Linear with copies of weight (out, in) and bias (out,) or none, created in the worker."""
        return self._new("linear", "creating an nn.Linear", weight=weight, bias=bias)

    def new_object(self, path: str, *args, **kwargs) -> Remote:
        """A torch object built in the worker, `path(*args, **kwargs)` (e.g. "torch.nn.Linear"):
        the judge's own model, loss or optimizer for a test that hands them to student code.
        Arguments may be data or Remotes (the Parameters of `new_parameter`, other objects)."""
        return self._new("object", f"building {path}", path=path, args=list(args), kwargs=kwargs)

    def new_module(self, layers, order=None, tie=(), freeze=()) -> Remote:
        """nn.Sequential built in the worker (grader.worker.module_ops): layers are
        (name, args, kwargs) of torch.nn layers; order lists layer indices (one may repeat: a
        shared layer); tie: ((i, attr), (j, attr)) pairs give layer j layer i's parameter;
        freeze: indices of layers whose parameters get requires_grad=False."""
        spec = [[name, list(args), dict(kwargs)] for name, args, kwargs in layers]
        return self._new("module", "building a model", layers=spec, order=list(order or []),
                         tie=[[list(a), list(b)] for a, b in tie], freeze=list(freeze))

    def build(self, kind: str, **data) -> Remote:
        """An object made in the worker by a trusted builder from data (grader.worker.build_ops:
        "generator", "logistic_conditional", "eps_model"), for exercises that take a callable."""
        return self._new(kind, f"building a {kind}", **data)

    # ------------------------------------------------------------ reading and calling
    def fetch(self, remote: Remote):
        """The object behind `remote`, as data (e.g. a Parameter's current value)."""
        return self._request("fetch", f"reading {remote._label}", target=remote._target)

    def step(self, optimizer: Remote, params: list, grads: list) -> list:
        """One optimizer step in one round trip: `p.grad = g` for each of params (Remotes made
        in the worker) and grads, `optimizer.step()`, then each parameter as `fetch` gives it."""
        optimizer._check()
        return self._request("step", f"{optimizer._label}.step", target=optimizer._target, params=list(params),
                             grads=list(grads))

    def grad_call(self, fn, *args, grad_output=None, **kwargs):
        """Call fn with autograd; return (output, grads aligned with the positional args)."""
        target, label = _callable(self, fn)
        value = self._request("grad_call", label, target=target, args=list(args), kwargs=kwargs,
                              grad_output=grad_output)
        return value["output"], tuple(value["grads"])

    def param_grads(self, module: Remote) -> dict:
        """{name: grad or None} for every named parameter of a module in the worker."""
        return self._request("param_grads", f"{module._label}.named_parameters()", target=module._target)

    def plot(self, name: str, *args, **kwargs) -> dict:
        """Run a plotting exercise; {"figure": description, "png": bytes, "problems": [...]}.

        Plotting is deterministic and has no effect on worker objects, so the capture (or the
        failure) is cached per session: tests of one exercise share one run per input.
        """
        return self.plot_normalised(name, args, kwargs, ())

    def plot_normalised(self, name: str, args=(), kwargs=None, free=()) -> dict:
        """plot(name, *args, **kwargs) with the free properties `free` (names of
        grader.figure.normalise.FREE) brought to their canonical form before rendering: the
        capture the image check compares. Cached like plot()."""
        kwargs = dict(kwargs or {})
        free = tuple(sorted(free))
        digest = hashlib.sha256(wire.encode({"a": list(args), "k": kwargs})).hexdigest()
        key = (self._topic.name, name, digest) + ((free,) if free else ())
        cache = self._session.plot_cache
        if key not in cache:
            extra = {"normalise": list(free)} if free else {}
            try:
                cache[key] = self._request("plot", name, target={"module": self._topic.name, "attr": name},
                                           args=list(args), kwargs=kwargs, **extra)
            except StudentError as exc:
                cache[key] = exc
        if isinstance(cache[key], StudentError):
            exc = cache[key]
            raise StudentError(str(exc), exc.kind, exc.exc_types)
        return copy.deepcopy(cache[key])


class Remote:
    """A function, class or object in the worker."""

    def __init__(self, student: Student, target: dict, label: str, generation: int | None = None):
        d = self.__dict__
        d["_student"], d["_target"], d["_label"] = student, target, label
        d["_generation"] = student._session.generation if generation is None else generation

    def _check(self) -> None:
        if "handle" in self._target and self._generation != self._student._session.generation:
            raise StudentError(f"{self._label} was lost when the worker restarted after an earlier failure", "crash")

    def _op(self, op: str, what: str, **fields):
        self._check()
        return self._student._request(op, what, target=self._target, **fields)

    def __call__(self, *args, **kwargs):
        return self._op("call", self._label, args=list(args), kwargs=kwargs)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._op("getattr", self._label, name=name)
        if isinstance(value, Remote):
            value.__dict__["_label"] = f"{self._label}.{name}"
        return value

    def __setattr__(self, name: str, value) -> None:
        self._op("setattr", self._label, name=name, value=value)

    def __getitem__(self, key):
        return self._op("getitem", self._label, key=key)

    def __len__(self) -> int:
        return self._op("len", self._label)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self) -> str:
        return f"<student object {self._label}>"


def _callable(student: Student, fn) -> tuple[dict, str]:
    if isinstance(fn, Remote):
        return fn._target, fn._label
    return {"module": student._topic.name, "attr": str(fn)}, str(fn)


def _wrap(value, student: Student):
    """Decoded reply -> test values: Handles become Remotes."""
    return walk.swap(value, Handle, lambda h: Remote(student, {"handle": h.id}, h.type.rsplit(".", 1)[-1]))


def _unwrap(value, student: Student):
    """Test values -> request values: Remotes become Handles."""
    return walk.swap(value, Remote, _handle_of)


def _handle_of(remote: Remote) -> Handle:
    remote._check()
    if "handle" not in remote._target:
        raise TypeError("only objects created in the worker can be passed back to it")
    return Handle(remote._target["handle"], "", "")
