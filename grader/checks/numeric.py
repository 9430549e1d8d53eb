"""Numeric comparisons that explain themselves.

`compare(got, expected, ...)` returns None when `got` matches, else a short message: what was
compared, the shapes/dtypes, max abs and rel error, the worst index with both values there,
and, when `got` matches a known wrong answer, the misconception's name.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch

# torch.testing.assert_close defaults, by dtype
TOLERANCES = {
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
}


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _kind(x) -> str:
    if isinstance(x, torch.Tensor):
        return f"a tensor of shape {tuple(x.shape)} ({str(x.dtype).removeprefix('torch.')})"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} ({x.dtype})"
    if x is None:
        return "None"
    if isinstance(x, (tuple, list)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"{type(x).__name__} {_fmt(x)}" if isinstance(x, (int, float)) else type(x).__name__


def _as_tensor(x) -> torch.Tensor:
    return torch.from_numpy(x) if isinstance(x, np.ndarray) else x


def _index(flat: int, shape) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, tuple(shape))) if len(shape) else ()


def _tolerance(expected: torch.Tensor, rtol, atol) -> tuple[float, float]:
    drt, dat = TOLERANCES.get(expected.dtype, (0.0, 0.0))
    return (drt if rtol is None else rtol), (dat if atol is None else atol)


def _nonfinite(g: torch.Tensor, e: torch.Tensor) -> str | None:
    bad = ~torch.isfinite(g) & ~(torch.isnan(g) & torch.isnan(e)) & ~(torch.isinf(g) & (g == e))
    if bad.any():
        idx = _index(int(bad.flatten().nonzero()[0]), g.shape)
        count = int(bad.sum())
        return f"got {_fmt(float(g[idx]))} at index {idx} where {_fmt(float(e[idx]))} was expected ({count} non-finite value{'s' * (count > 1)}; NaN and inf never pass)"
    return None


def _tensor_diff(got, expected, rtol, atol) -> str | None:
    """Message for two tensors/arrays of any kind, or None when they match."""
    g, e = _as_tensor(got), _as_tensor(expected)
    if tuple(g.shape) != tuple(e.shape):
        hint = " (transposed?)" if tuple(g.shape) == tuple(reversed(e.shape)) and g.dim() == 2 else ""
        return f"expected shape {tuple(e.shape)}, got {tuple(g.shape)}{hint}"
    if e.dtype == torch.bool or not (e.is_floating_point() or e.is_complex()):
        if g.is_floating_point() or g.is_complex():
            return f"expected {str(e.dtype).removeprefix('torch.')} values, got {str(g.dtype).removeprefix('torch.')}"
        neq = (g.to(torch.int64) != e.to(torch.int64)) if e.dtype != torch.bool else (g.bool() != e)
        if neq.any():
            idx = _index(int(neq.flatten().nonzero()[0]), g.shape)
            return f"{int(neq.sum())} of {neq.numel()} values differ; first at index {idx}: expected {e[idx].item()}, got {g[idx].item()}"
        return None
    if e.is_floating_point() and g.is_floating_point() and g.dtype != e.dtype and e.dtype == torch.float64:
        return f"expected dtype float64 (keep the input's dtype), got {str(g.dtype).removeprefix('torch.')}"
    if not (g.is_floating_point() or g.is_complex()) and g.dtype != torch.bool:
        g = g.to(e.dtype)
    if g.dtype == torch.bool:
        return f"expected {str(e.dtype).removeprefix('torch.')} values, got bool"
    rtol, atol = _tolerance(e, rtol, atol)
    g64, e64 = g.to(torch.complex128 if e.is_complex() else torch.float64), e.to(torch.complex128 if e.is_complex() else torch.float64)
    msg = _nonfinite(g64, e64)
    if msg:
        return msg
    finite = torch.isfinite(e64)
    err = torch.where(finite, (g64 - e64).abs(), torch.zeros_like(e64.real if e.is_complex() else e64))
    bad = err > atol + rtol * e64.abs()
    if not bad.any():
        return None
    worst = int(err.flatten().argmax())
    idx = _index(worst, e.shape)
    rel = float((err / e64.abs().clamp_min(1e-30)).max())
    return (f"{int(bad.sum())} of {bad.numel()} values differ; max abs error {_fmt(float(err.max()))} at index {idx}: "
            f"expected {_fmt(complex(e64[idx]) if e.is_complex() else float(e64[idx]))}, "
            f"got {_fmt(complex(g64[idx]) if e.is_complex() else float(g64[idx]))}; max rel error {rel:.3g} "
            f"(rtol={rtol:g}, atol={atol:g})")


def _scalar_diff(got, expected, rtol, atol) -> str | None:
    if isinstance(got, (torch.Tensor, np.ndarray, np.generic)) and got.ndim == 0:
        got = got.item()  # a 0-d tensor or numpy scalar counts as a number
    if isinstance(got, bool) or not isinstance(got, Real):
        return f"expected a number ({_fmt(expected)}), got {_kind(got)}"
    if isinstance(expected, Integral) and not isinstance(expected, bool):
        if isinstance(got, Integral) or (isinstance(got, float) and got.is_integer()):
            return None if int(got) == int(expected) else f"expected {expected}, got {_fmt(got)}"
        return f"expected the integer {expected}, got {_fmt(got)}"
    got, expected = float(got), float(expected)
    if math.isnan(got) or math.isinf(got):
        if got != expected:
            return f"expected {_fmt(expected)}, got {got} (NaN and inf never pass)"
        return None
    rtol = 1e-7 if rtol is None else rtol
    atol = 1e-7 if atol is None else atol
    if abs(got - expected) <= atol + rtol * abs(expected):
        return None
    return f"expected {_fmt(expected)}, got {_fmt(got)} (abs error {abs(got - expected):.3g})"


def compare(got, expected, rtol=None, atol=None) -> str | None:
    """None when got matches expected (recursively through tuples/lists/dicts), else a message."""
    if isinstance(expected, (torch.Tensor, np.ndarray)):
        want = type(expected)
        if not isinstance(got, want):
            return f"expected {_kind(expected)}, got {_kind(got)}"
        return _tensor_diff(got, expected, rtol, atol)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {_kind(expected)}, got {_kind(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            msg = compare(g, e, rtol, atol)
            if msg:
                return f"[{i}]: {msg}"
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"expected a dict, got {_kind(got)}"
        if set(got) != set(expected):
            return f"expected keys {sorted(map(str, expected))}, got {sorted(map(str, got))}"
        for k in expected:
            msg = compare(got[k], expected[k], rtol, atol)
            if msg:
                return f"[{k!r}]: {msg}"
        return None
    if expected is None or isinstance(expected, (str, bool)):
        return None if (type(got) is type(expected) and got == expected) else f"expected {expected!r}, got {_kind(got) if not isinstance(got, str) else repr(got)}"
    if isinstance(expected, Real):
        return _scalar_diff(got, expected, rtol, atol)
    return None if got == expected else f"expected {expected!r}, got {got!r}"


def diagnose(got, mistakes: dict | None, rtol=None, atol=None) -> str | None:
    """The name of the first known mistake whose value `got` matches, or None."""
    for name, value in (mistakes or {}).items():
        try:
            if compare(got, value, rtol, atol) is None:
                return name
        except (TypeError, ValueError, RuntimeError):
            continue
    return None
