"""Gradient operations: run a student function with autograd and return input gradients."""

from __future__ import annotations

from grader.worker.ops import OpFailure, Worker, _label, register


def _leaf(value):
    """A fresh leaf that requires grad for a floating tensor; anything else unchanged."""
    import torch

    if isinstance(value, torch.Tensor) and value.is_floating_point():
        return value.detach().clone().requires_grad_(True)
    return value


def _tensors(out):
    import torch

    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, (tuple, list)) and all(isinstance(o, torch.Tensor) for o in out):
        return list(out)
    raise OpFailure({"kind": "raised", "message": f"expected a tensor (or a tuple of tensors) to back-propagate, got {type(out).__name__}"})


def _pairs(outs, grad_output, label: str = "the call") -> list:
    """(output, grad) pairs to back-propagate; OpFailure (kind "shape": a wrong answer, not
    a crash) when a shape differs."""
    import torch

    grads = grad_output if isinstance(grad_output, (tuple, list)) else [grad_output] * len(outs)
    pairs = [(o, torch.ones_like(o) if g is None else g.to(o.dtype)) for o, g in zip(outs, grads)]
    for o, g in pairs:
        if o.shape != g.shape:
            raise OpFailure({"kind": "shape", "message": f"{label} returned shape {tuple(o.shape)}, "
                                                         f"expected {tuple(g.shape)}"})
    return [(o, g) for o, g in pairs if o.requires_grad]


def _backward(pairs) -> None:
    import torch

    if pairs:
        torch.autograd.backward([o for o, _ in pairs], [g for _, g in pairs])


@register("grad_call")
def op_grad_call(w: Worker, req: dict):
    fn = w.target(req["target"])
    args = [_leaf(a) for a in w.resolve(req.get("args", []))]
    kwargs = {k: _leaf(v) for k, v in w.resolve(req.get("kwargs", {})).items()}
    label, forbidden = _label(req), req.get("forbidden", ())
    out = w.guarded(lambda: fn(*args, **kwargs), label, forbidden)
    pairs = _pairs(_tensors(out), w.resolve(req.get("grad_output")), label)
    w.guarded(lambda: _backward(pairs), f"back-propagating through {label}", forbidden)
    grads = tuple(getattr(a, "grad", None) if getattr(a, "requires_grad", False) else None for a in args)
    return {"output": out, "grads": grads}


@register("step")
def op_step(w: Worker, req: dict):
    """One optimizer step in one round trip: `p.grad = g` for each parameter and gradient,
    `opt.step()`, then the parameters themselves (sent strictly as data, as "fetch" sends them).
    Each part fails with the label it has as separate setattr/getattr/call/fetch requests."""
    opt = w.target(req["target"])
    params, grads = w.resolve(req.get("params", [])), w.resolve(req.get("grads", []))
    label, forbidden = _label(req), req.get("forbidden", ())
    for p, g in zip(params, grads):
        w.guarded(lambda p=p, g=g: setattr(p, "grad", g), "setting grad", forbidden)
    step = w.guarded(lambda: opt.step, label, forbidden)  # label: "<optimizer>.step"
    w.guarded(step, label, forbidden)
    return list(params)
