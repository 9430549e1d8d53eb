"""Build small torch.nn models in the worker for tests that take a model as input (e.g. counting
parameters), from a data description: no student code runs, and no code is sent."""

from __future__ import annotations

from grader.worker.ops import OpFailure, Worker, register

LAYERS = ("Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Identity",
          "Embedding", "LayerNorm")


def _layer(nn, spec):
    name, args, kwargs = spec
    if name not in LAYERS:
        raise OpFailure({"kind": "protocol", "message": f"layer {name!r} cannot be built (allowed: {', '.join(LAYERS)})"})
    return getattr(nn, name)(*args, **kwargs)


@register("new_module")
def op_new_module(w: Worker, req: dict):
    """nn.Sequential of layers[i] for i in order (a layer may appear twice: shared); tie copies
    a parameter object from one layer to another (tied weights); freeze turns requires_grad off."""
    import torch.nn as nn

    layers = [_layer(nn, spec) for spec in req["layers"]]
    for (src, name), (dst, other) in req.get("tie", []):
        setattr(layers[dst], other, getattr(layers[src], name))
    for i in req.get("freeze", []):
        layers[i].requires_grad_(False)
    order = req.get("order") or range(len(layers))
    return w.store(nn.Sequential(*[layers[i] for i in order]))
