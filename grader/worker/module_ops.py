"""Small torch.nn models built from a data description (the "module" kind of the worker's
"new" operation, grader.worker.build_ops), for tests that take a model as input (e.g.
counting parameters): no student code runs, and no code is sent."""

from __future__ import annotations

from grader.worker.ops import OpFailure

LAYERS = ("Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Identity",
          "Embedding", "LayerNorm")


def _layer(nn, spec):
    name, args, kwargs = spec
    if name not in LAYERS:
        raise OpFailure({"kind": "protocol", "message": f"layer {name!r} cannot be built (allowed: {', '.join(LAYERS)})"})
    return getattr(nn, name)(*args, **kwargs)


def sequential(layers, order=(), tie=(), freeze=()):
    """nn.Sequential of layers[i] for i in order (a layer may appear twice: shared); tie copies
    a parameter object from one layer to another (tied weights); freeze turns requires_grad off."""
    import torch.nn as nn

    built = [_layer(nn, spec) for spec in layers]
    for (src, name), (dst, other) in tie:
        setattr(built[dst], other, getattr(built[src], name))
    for i in freeze:
        built[i].requires_grad_(False)
    return nn.Sequential(*[built[i] for i in (order or range(len(built)))])
