"""Objects the judge asks the worker to make: the "new" operation and its table of kinds.

A test needs objects that live in the worker: a tensor to see whether a call changes it in
place, a Parameter, a seeded torch.Generator, the judge's own torch model or optimizer, a small
nn.Sequential to count, or a callable for an exercise that takes one (a conditional, a
noise-prediction model). The wire carries data only, so the judge names a kind in KINDS and
sends its data; the object is made here by trusted code (never the student's) and comes back as
a handle. grader.student's new_* methods and build() are the judge's side; docs/writing-tests.md
lists the kinds. The builder classes are plain, deterministic code that the judge also imports,
to compute the same function on its side.

    kind                   data                                   object
    tensor                 value                                  the tensor (a copy)
    parameter              value                                  nn.Parameter(value.clone())
    generator              seed                                   torch.Generator seeded
    linear                 weight (out, in), bias (out,) or None  nn.Linear with copies of them
    object                 path, args, kwargs                     path(*args, **kwargs), torch.* only
    module                 layers, order, tie, freeze             nn.Sequential (module_ops)
    logistic_conditional   weight, bias, num_samples              LogisticConditional
    eps_model              scale, shift                           EpsModel (an nn.Module)
"""

from __future__ import annotations

from grader.worker import guards, module_ops
from grader.worker.ops import OpFailure, Worker, register

KINDS: dict = {}  # kind -> maker(w, **data)
LIBRARIES = ("torch.",)  # where the judge's own objects come from (never the student's module)


def kind(name: str):
    def deco(fn):
        KINDS[name] = fn
        return fn

    return deco


@register("new")
def op_new(w: Worker, req: dict):
    """Make an object of `kind` from `data` (Handles in it resolved) and return its handle."""
    make = KINDS.get(req.get("kind"))
    if make is None:
        raise OpFailure({"kind": "protocol", "message": f"unknown builder {req.get('kind')!r}"})
    return w.store(make(w, **w.resolve(req.get("data") or {})))


@kind("tensor")
def tensor(w: Worker, value):
    """The value itself (decoded, so a copy of the judge's)."""
    return value


@kind("parameter")
def parameter(w: Worker, value):
    """An nn.Parameter holding a copy of `value`."""
    import torch

    return torch.nn.Parameter(value.clone())


@kind("generator")
def generator(w: Worker, seed: int):
    """A CPU torch.Generator seeded with `seed`."""
    import torch

    return torch.Generator().manual_seed(int(seed))


@kind("linear")
def linear(w: Worker, weight, bias=None):
    """An nn.Linear holding copies of weight (out, in) and bias (out,) or no bias."""
    import torch

    layer = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=weight.dtype)
    with torch.no_grad():
        layer.weight.copy_(weight)
        if bias is not None:
            layer.bias.copy_(bias)
    return layer


@kind("object")
def library_object(w: Worker, path: str, args=(), kwargs=None):
    """An object the judge builds from a library callable: `path(*args, **kwargs)`."""
    path = str(path)
    if not path.startswith(LIBRARIES):
        raise OpFailure({"kind": "protocol", "message": f"cannot build {path}: only torch objects"})
    try:
        owner, attr = guards.resolve(path)
        ctor = getattr(owner, attr)
    except (LookupError, AttributeError):
        raise OpFailure({"kind": "protocol", "message": f"cannot build {path}: no such name"}) from None
    kwargs = kwargs or {}
    return w.guarded(lambda: ctor(*args, **kwargs), f"building {path}")


@kind("module")
def module(w: Worker, layers, order=(), tie=(), freeze=()):
    """nn.Sequential of allowed torch.nn layers (grader.worker.module_ops.sequential)."""
    return module_ops.sequential(layers, order, tie, freeze)


class LogisticConditional:
    """P(x_i = 1 | x_<i) = sigmoid(bias[i] + x_<i . weight[i, :i]) for a prefix (num_samples, i).

    Records the width i of every prefix it is called with (in `widths`) and refuses a prefix
    that is not (num_samples, i) for 0 <= i < n, with a message that says what it got.
    """

    def __init__(self, weight, bias, num_samples: int):
        import torch

        self.weight, self.bias = torch.as_tensor(weight), torch.as_tensor(bias)
        self.num_samples, self.widths = int(num_samples), []

    def __call__(self, prefix):
        import torch

        n = self.bias.shape[0]
        if not isinstance(prefix, torch.Tensor) or prefix.dim() != 2 or prefix.shape[0] != self.num_samples \
                or prefix.shape[1] >= n:
            got = tuple(prefix.shape) if isinstance(prefix, torch.Tensor) else type(prefix).__name__
            raise ValueError(f"conditional(prefix): expected the pixels drawn so far, a tensor of shape "
                             f"(num_samples, i) = ({self.num_samples}, i) with i < {n}, got {got}")
        i = prefix.shape[1]
        self.widths.append(i)
        return torch.sigmoid(self.bias[i] + prefix.to(self.weight.dtype) @ self.weight[i, :i])


@kind("logistic_conditional")
def logistic_conditional(w: Worker, weight, bias, num_samples):
    return LogisticConditional(weight, bias, num_samples)


def eps_model_class():
    """The class of the noise-prediction model (torch imported lazily, as everywhere here)."""
    import torch

    class EpsModel(torch.nn.Module):
        """eps(x_t, t) = tanh(scale * x_t + shift[t]) per sample; t a LongTensor (N,) of steps."""

        def __init__(self, scale, shift):
            super().__init__()
            self.scale = torch.nn.Parameter(torch.as_tensor(scale).clone())
            self.shift = torch.nn.Parameter(torch.as_tensor(shift).clone())  # (T,)

        def forward(self, x_t, t):
            if not isinstance(t, torch.Tensor) or t.dtype != torch.int64 or t.shape != x_t.shape[:1]:
                got = f"{tuple(t.shape)} {t.dtype}" if isinstance(t, torch.Tensor) else type(t).__name__
                raise ValueError(f"eps_model(x_t, t): t must be each sample's step, a LongTensor of shape "
                                 f"({x_t.shape[0]},), got {got}")
            shift = self.shift[t].reshape(-1, *([1] * (x_t.dim() - 1)))
            return torch.tanh(self.scale * x_t + shift)

    return EpsModel


@kind("eps_model")
def eps_model(w: Worker, scale, shift):
    return eps_model_class()(scale, shift)
