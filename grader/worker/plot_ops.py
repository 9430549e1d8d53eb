"""The plot operation: run a plotting exercise on Agg and return its description and PNG."""

from __future__ import annotations

from grader.worker.ops import Worker, _label, register


@register("plot")
def op_plot(w: Worker, req: dict):
    from grader.figure.capture import capture_call

    fn = w.target(req["target"])
    args, kwargs = w.resolve(req.get("args", [])), w.resolve(req.get("kwargs", {}))
    normalise = tuple(str(n) for n in req.get("normalise") or ())
    return w.guarded(lambda: capture_call(fn, args, kwargs, normalise=normalise), _label(req),
                     req.get("forbidden", ()))
