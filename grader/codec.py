"""Values <-> JSON plus raw buffers, for the wire (grader.wire frames them).

Values are encoded as JSON with a few tagged objects ({"$t": "tensor" | "ndarray" | "tuple" |
"dict" | "float" | "handle" | "dataframe" | "series" | "bytes" | "dtype", ...}); tensors and
arrays travel as dtype, shape and raw bytes, in buffers beside the JSON. Decoding builds plain
lists, dicts, numpy arrays, torch tensors and pandas objects from data; nothing is unpickled.
The caps (MAX_HEADER, MAX_BUFFERS, MAX_TOTAL) hold while encoding, before anything is copied.

torch and pandas are imported lazily so that the CLI can start without them.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

MAX_HEADER = 4 << 20  # bytes of JSON in one frame (plot descriptions need well under 1 MB)
MAX_BUFFERS = 4096
MAX_TOTAL = 64 << 20  # bytes of raw buffers (array data) in one frame
ALLOWED_DTYPES = {
    "bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
    "complex64", "complex128",
}


class ProtocolError(Exception):
    """A frame that is malformed, too large, or cut short."""


class FrameTooLarge(ProtocolError):
    """A value (or a frame) past the wire's caps; the message says which cap."""


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n < 10 << 20 else f"{n >> 20} MB"


def _too_large(what: str, cap: int, size: int | None = None) -> FrameTooLarge:
    shown = f" ({_mb(size)})" if size else ""
    return FrameTooLarge(f"the returned value is too large: more than {_mb(cap)} of {what}{shown}")


class Handle:
    """A reference to an object that lives in the worker (a module, an optimizer, a figure)."""

    __slots__ = ("id", "type", "repr")

    def __init__(self, id: int, type: str, repr: str):
        self.id, self.type, self.repr = id, type, repr

    def __repr__(self) -> str:
        return f"<worker object #{self.id}: {self.type}>"


# ---------------------------------------------------------------- encoding
class _Encoder:
    def __init__(self, store_handle=None):
        self.buffers: list[bytes] = []
        self.store_handle = store_handle  # worker side: object -> Handle; None: refuse
        self.total = 0  # bytes of buffers so far
        self.nodes = 0  # a lower bound on the JSON size: stop long before building a huge header

    def grow(self, n: int) -> None:
        """Count n more bytes of JSON (a lower bound: a container's separators, a string's quotes)."""
        self.nodes += n
        if self.nodes > MAX_HEADER:
            raise _too_large("JSON", MAX_HEADER)

    def buf(self, data: bytes) -> int:
        self.total += len(data)
        if self.total > MAX_TOTAL:
            raise _too_large("array data", MAX_TOTAL, self.total)
        if len(self.buffers) >= MAX_BUFFERS:
            raise FrameTooLarge(f"the returned value is too large: more than {MAX_BUFFERS} arrays")
        self.buffers.append(data)
        return len(self.buffers) - 1

    def array(self, arr: np.ndarray, tag: str) -> dict:
        if self.total + arr.nbytes > MAX_TOTAL:  # before copying it
            raise _too_large("array data", MAX_TOTAL, self.total + arr.nbytes)
        arr = np.ascontiguousarray(arr).reshape(arr.shape)  # ascontiguousarray makes 0-d arrays 1-d
        if arr.dtype.name not in ALLOWED_DTYPES:
            raise TypeError(f"arrays of dtype {arr.dtype} cannot be sent")
        return {"$t": tag, "dtype": arr.dtype.name, "shape": list(arr.shape), "b": self.buf(arr.tobytes())}

    def value(self, v: Any, depth: int = 0) -> Any:
        if depth > 64:
            raise TypeError("value nested too deeply")
        self.grow(len(v) + 2 if isinstance(v, str) else 2 * len(v) + 2 if isinstance(v, (list, tuple, dict)) else 1)
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return int(v)
        if isinstance(v, float):
            return v if math.isfinite(v) else {"$t": "float", "v": repr(float(v))}
        if isinstance(v, np.generic):
            return self.value(v.item(), depth + 1)
        if isinstance(v, np.ndarray):
            return self.array(v, "ndarray")
        if isinstance(v, bytes):
            return {"$t": "bytes", "b": self.buf(bytes(v))}
        if isinstance(v, Handle):
            return {"$t": "handle", "id": v.id, "type": v.type, "repr": v.repr}
        if (lib := self.library(v, depth)) is not None:
            return lib
        if isinstance(v, list):
            return [self.value(x, depth + 1) for x in v]
        if isinstance(v, tuple):
            return {"$t": "tuple", "items": [self.value(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"$t": "dict", "items": [[self.value(k, depth + 1), self.value(x, depth + 1)] for k, x in v.items()]}
        if self.store_handle is not None:
            return self.value(self.store_handle(v), depth + 1)
        raise TypeError(f"values of type {type(v).__name__} cannot be sent")

    def library(self, v: Any, depth: int) -> dict | None:
        """A torch tensor, dtype or size, or a pandas frame or series (None: not one of those)."""
        torch = sys.modules.get("torch")
        if torch is not None:
            if isinstance(v, torch.Tensor):
                size = v.numel() * v.element_size()  # before a copy (an expanded view may be huge)
                if self.total + size > MAX_TOTAL:
                    raise _too_large("array data", MAX_TOTAL, self.total + size)
                return self.array(_tensor_to_numpy(torch, v), "tensor")
            if isinstance(v, torch.dtype):
                return {"$t": "dtype", "v": str(v).removeprefix("torch.")}
            if isinstance(v, torch.Size):
                return {"$t": "tuple", "items": [int(s) for s in v]}
        pd = sys.modules.get("pandas")
        if pd is not None and isinstance(v, (pd.DataFrame, pd.Series)):
            return self.pandas(pd, v, depth)
        return None

    def pandas(self, pd, v, depth: int) -> dict:
        index = self.value(list(v.index), depth + 1)
        if isinstance(v, pd.Series):
            return {"$t": "series", "name": self.value(v.name, depth + 1), "index": index,
                    "index_name": self.value(v.index.name, depth + 1), "data": self.column(v, depth)}
        return {"$t": "dataframe", "columns": self.value(list(v.columns), depth + 1), "index": index,
                "index_name": self.value(v.index.name, depth + 1),
                "data": [self.column(v.iloc[:, i], depth) for i in range(v.shape[1])]}

    def column(self, s, depth: int):
        arr = s.to_numpy()
        if arr.dtype.name in ALLOWED_DTYPES:
            return self.array(arr, "ndarray")
        return self.value([x for x in arr.tolist()], depth + 1)


def _tensor_to_numpy(torch, t) -> np.ndarray:
    t = t.detach()
    if type(t) is not torch.Tensor:
        t = t.as_subclass(torch.Tensor)
    if t.layout != torch.strided:
        t = t.to_dense()
    t = t.cpu().resolve_conj().resolve_neg()
    if t.dtype in (torch.bfloat16,) or str(t.dtype).startswith("torch.float8"):
        t = t.to(torch.float32)
    return t.contiguous().numpy()


# ---------------------------------------------------------------- decoding
class _Decoder:
    def __init__(self, buffers: list[bytes], as_tensor: bool):
        self.buffers = buffers
        self.as_tensor = as_tensor

    def array(self, obj: dict) -> np.ndarray:
        dtype, shape, idx = obj.get("dtype"), obj.get("shape"), obj.get("b")
        if dtype not in ALLOWED_DTYPES or not isinstance(shape, list) or not isinstance(idx, int):
            raise ProtocolError("malformed array")
        if not all(isinstance(s, int) and s >= 0 for s in shape) or not 0 <= idx < len(self.buffers):
            raise ProtocolError("malformed array shape")
        data = self.buffers[idx]
        if math.prod(shape) * np.dtype(dtype).itemsize != len(data):
            raise ProtocolError("array size does not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()

    def value(self, v: Any) -> Any:
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if not isinstance(v, dict):
            raise ProtocolError("unexpected JSON value")
        tag = v.get("$t")
        if tag == "tuple":
            return tuple(self.value(x) for x in v["items"])
        if tag == "dict":
            return {self._key(k): self.value(x) for k, x in v["items"]}
        if tag == "float":
            return float({"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(v.get("v"), "nan"))
        if tag == "ndarray":
            return self.array(v)
        if tag == "tensor":
            arr = self.array(v)
            if not self.as_tensor:
                return arr
            import torch
            return torch.from_numpy(arr)
        if tag == "bytes":
            return bytes(self.buffers[int(v["b"])])
        if tag == "handle":
            return Handle(int(v["id"]), str(v["type"]), str(v.get("repr", ""))[:200])
        if tag == "dtype":
            import torch
            dt = getattr(torch, str(v["v"]), None)
            if not isinstance(dt, torch.dtype):
                raise ProtocolError("unknown dtype")
            return dt
        if tag in ("dataframe", "series"):
            return self.pandas(v)
        raise ProtocolError(f"unknown tag {tag!r}")

    def _key(self, k):
        k = self.value(k)
        if isinstance(k, list):
            k = tuple(k)
        return k

    def column(self, c):
        return self.array(c) if isinstance(c, dict) and c.get("$t") == "ndarray" else self.value(c)

    def pandas(self, v: dict):
        import pandas as pd
        index = pd.Index(self.value(v["index"]), name=self.value(v.get("index_name")))
        if v["$t"] == "series":
            return pd.Series(self.column(v["data"]), index=index, name=self.value(v.get("name")))
        columns = self.value(v["columns"])
        data = {i: self.column(c) for i, c in enumerate(v["data"])}
        df = pd.DataFrame(data, index=index)
        df.columns = columns
        return df
