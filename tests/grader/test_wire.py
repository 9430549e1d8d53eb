"""The wire carries data only: values survive a round trip, malformed frames are refused."""

from __future__ import annotations

import json
import os
import struct

import numpy as np
import pandas as pd
import pytest
import torch

from grader import wire


def roundtrip(message: dict) -> dict:
    r, w = os.pipe()
    try:
        wire.write_frame(w, wire.encode(message))
        os.close(w)
        return wire.FrameReader(r).read(deadline=None)
    finally:
        os.close(r)


def test_values_survive_a_round_trip():
    t = torch.randn(2, 3, 4, dtype=torch.float64)
    df = pd.DataFrame({"male": [1.5, 2.0], "female": [3, 4]}, index=pd.Index(["group A", "group B"], name="g"))
    msg = {"t": t, "i": torch.arange(5), "b": torch.tensor([True, False]), "a": np.arange(6).reshape(2, 3),
           "x": (1, 2.5, None, "s", [True]), "d": {1: "one", (2, 3): "pair"}, "nan": float("nan"),
           "inf": float("-inf"), "df": df, "s": df["male"], "dtype": torch.float32, "size": torch.Size([2, 3])}
    out = roundtrip(msg)
    torch.testing.assert_close(out["t"], t)
    assert out["i"].dtype == torch.int64 and out["b"].dtype == torch.bool
    assert isinstance(out["a"], np.ndarray) and out["a"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert out["x"] == (1, 2.5, None, "s", [True]) and out["d"] == {1: "one", (2, 3): "pair"}
    assert np.isnan(out["nan"]) and out["inf"] == float("-inf")
    pd.testing.assert_frame_equal(out["df"], df)
    pd.testing.assert_series_equal(out["s"], df["male"])
    assert out["dtype"] is torch.float32 and out["size"] == (2, 3)


def test_zero_dimensional_values_keep_their_shape():
    out = roundtrip({"t": torch.tensor(3.0), "a": np.array(2)})
    assert out["t"].shape == () and out["a"].shape == ()


def test_non_contiguous_and_subclassed_tensors_arrive_as_plain_data():
    class Sub(torch.Tensor):
        pass

    t = torch.arange(12.0).reshape(3, 4).T.as_subclass(Sub)
    out = roundtrip({"t": t})["t"]
    assert type(out) is torch.Tensor and out.tolist() == torch.arange(12.0).reshape(3, 4).T.tolist()


def test_objects_that_are_not_data_are_refused_without_a_handle_store():
    with pytest.raises(TypeError):
        wire.encode({"f": object()})


def _frame(header: dict, buffers=()) -> bytes:
    raw = json.dumps(header).encode()
    out = wire.MAGIC + struct.pack("<II", len(raw), len(buffers)) + raw
    for b in buffers:
        out += struct.pack("<Q", len(b)) + b
    return out


@pytest.mark.parametrize(
    "frame",
    [
        b"XXXX" + b"\0" * 8,
        _frame({"v": {"$t": "ndarray", "dtype": "object", "shape": [1], "b": 0}}, [b"\0" * 8]),
        _frame({"v": {"$t": "ndarray", "dtype": "float64", "shape": [3], "b": 0}}, [b"\0" * 8]),
        _frame({"v": {"$t": "pickle", "b": 0}}, [b"cos\nsystem\n"]),
        _frame({"v": {"$t": "ndarray", "dtype": "float64", "shape": [1], "b": 5}}, [b"\0" * 8]),
        wire.MAGIC + struct.pack("<II", wire.MAX_HEADER + 1, 0),
    ],
    ids=["bad-magic", "object-dtype", "size-mismatch", "unknown-tag", "bad-buffer-index", "huge-header"],
)
def test_malformed_frames_are_protocol_errors(frame):
    r, w = os.pipe()
    os.write(w, frame)
    os.close(w)
    with pytest.raises((wire.ProtocolError, EOFError)):
        wire.FrameReader(r).read(deadline=None)
    os.close(r)


def test_a_reader_with_a_deadline_times_out_on_silence():
    import time

    r, w = os.pipe()
    with pytest.raises(TimeoutError):
        wire.FrameReader(r).read(deadline=time.monotonic() + 0.1)
    os.close(r)
    os.close(w)


# ---------------------------------------------------------------- caps (a hostile value cannot cost the judge gigabytes)
def test_the_caps_are_what_suites_need():
    assert wire.MAX_HEADER == 4 << 20 and wire.MAX_TOTAL == 64 << 20


@pytest.mark.parametrize(
    "value, words",
    [
        (torch.zeros(17 << 20), "more than 64 MB of array data (68 MB)"),  # 68 MB of float32
        (torch.zeros(1).expand(1 << 40), "more than 64 MB of array data"),  # a view: refused before any copy
        ([np.zeros(9 << 20, dtype=np.uint8)] * 8, "more than 64 MB of array data"),  # many small ones add up
        (list(range(5 << 20)), "more than 4.0 MB of JSON"),
        ("x" * (5 << 20), "more than 4.0 MB of JSON"),
        ([b"x"] * 5000, "more than 4096 arrays"),
    ],
    ids=["tensor", "expanded-view", "many-arrays", "long-list", "long-string", "too-many-buffers"],
)
def test_a_value_past_the_caps_is_refused_while_it_is_encoded(value, words):
    with pytest.raises(wire.FrameTooLarge, match="the returned value is too large") as err:
        wire.encode({"value": value})
    assert words in str(err.value)


def test_values_at_the_caps_still_travel():
    import threading

    msg = {"t": torch.zeros((64 << 20) // 4 - 64), "s": "y" * (3 << 20)}
    r, w = os.pipe()
    writer = threading.Thread(target=lambda: (wire.write_frame(w, wire.encode(msg)), os.close(w)))
    writer.start()
    try:
        out = wire.FrameReader(r).read(deadline=None)
    finally:
        writer.join()
        os.close(r)
    assert out["t"].numel() == (64 << 20) // 4 - 64 and len(out["s"]) == 3 << 20


@pytest.mark.parametrize(
    "head",
    [wire.MAGIC + struct.pack("<II", (4 << 20) + 1, 0),
     wire.MAGIC + struct.pack("<II", 2, 1) + b"{}" + struct.pack("<Q", (64 << 20) + 1),
     wire.MAGIC + struct.pack("<II", 2, 5000) + b"{}"],
    ids=["json", "array-bytes", "buffers"],
)
def test_a_reader_refuses_an_oversized_frame_before_reading_its_body(head):
    r, w = os.pipe()
    os.write(w, head)  # the announced body is never written: the reader must not wait for it
    os.close(w)
    with pytest.raises(wire.FrameTooLarge, match="the returned value is too large"):
        wire.FrameReader(r).read(deadline=None)
    os.close(r)


@pytest.mark.parametrize("attack, words", [("huge_return", "more than 64 MB of array data"),
                                           ("huge_json", "more than 4.0 MB of JSON")])
def test_an_oversized_return_value_fails_only_the_call_in_flight(tmp_path, attack, words):
    from pathlib import Path

    from grader.harness.runner import grade
    from tests.grader.helpers import Graded, write_submission

    hostile = Path(__file__).parent / "fixtures" / "hostile" / f"{attack}.py"
    res = Graded(grade(write_submission(tmp_path / "sub", "convolution", hostile), ["convolution"]))
    assert res.score_of("convolution.conv2d") == 0 and res.others_full("conv2d"), res.feedback()
    assert "the returned value is too large: " + words in res.messages_of("convolution.conv2d"), res.feedback()
