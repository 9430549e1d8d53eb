"""Objects the judge asks the worker to build from data (the "build" operation).

Some exercises take a callable from the caller: autoregressive sampling calls a conditional,
a diffusion loss calls a noise-prediction model, samplers take a torch.Generator. The wire
carries data only, so the judge names a trusted builder here and sends its arguments; the
object is made in the worker and comes back as a handle. The classes are plain, deterministic
code that the judge also imports, to compute the same function on its side.
"""

from __future__ import annotations

from grader.worker.ops import OpFailure, Worker, register

BUILDERS: dict = {}


def builder(name: str):
    def deco(fn):
        BUILDERS[name] = fn
        return fn

    return deco


@builder("generator")
def generator(seed: int):
    """A CPU torch.Generator seeded with `seed`."""
    import torch

    return torch.Generator().manual_seed(int(seed))


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


@builder("logistic_conditional")
def logistic_conditional(weight, bias, num_samples):
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


@builder("eps_model")
def eps_model(scale, shift):
    return eps_model_class()(scale, shift)


@register("build")
def op_build(w: Worker, req: dict):
    make = BUILDERS.get(req.get("kind"))
    if make is None:
        raise OpFailure({"kind": "protocol", "message": f"unknown builder {req.get('kind')!r}"})
    return w.store(make(**w.resolve(req.get("data") or {})))
