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


def _backward(outs, grad_output) -> None:
    import torch

    grads = grad_output if isinstance(grad_output, (tuple, list)) else [grad_output] * len(outs)
    pairs = [(o, torch.ones_like(o) if g is None else g.to(o.dtype)) for o, g in zip(outs, grads)]
    pairs = [(o, g) for o, g in pairs if o.requires_grad and o.shape == g.shape]
    if pairs:
        torch.autograd.backward([o for o, _ in pairs], [g for _, g in pairs])


@register("grad_call")
def op_grad_call(w: Worker, req: dict):
    fn = w.target(req["target"])
    args = [_leaf(a) for a in w.resolve(req.get("args", []))]
    kwargs = {k: _leaf(v) for k, v in w.resolve(req.get("kwargs", {})).items()}
    grad_output = w.resolve(req.get("grad_output"))
    label, forbidden = _label(req), req.get("forbidden", ())

    def run():
        out = fn(*args, **kwargs)
        _backward(_tensors(out), grad_output)
        return out

    out = w.guarded(run, label, forbidden)
    grads = tuple(getattr(a, "grad", None) if getattr(a, "requires_grad", False) else None for a in args)
    return {"output": out, "grads": grads}
