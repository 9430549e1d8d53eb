"""The one recursive walk over a value sent on the wire (lists, tuples, dicts of data).

The judge turns Handles into Remotes in a reply and Remotes back into Handles in a request
(grader.student); the worker turns Handles into the objects they name (grader.worker.ops).
"""

from __future__ import annotations

from typing import Callable


def swap(value, kind: type, fn: Callable):
    """`value` with every instance of `kind` in it replaced by fn(instance); lists, tuples and
    dicts are rebuilt (as list, tuple, dict), anything else is kept as it is."""
    if isinstance(value, kind):
        return fn(value)
    if isinstance(value, list):
        return [swap(v, kind, fn) for v in value]
    if isinstance(value, tuple):
        return tuple(swap(v, kind, fn) for v in value)
    if isinstance(value, dict):
        return {k: swap(v, kind, fn) for k, v in value.items()}
    return value
