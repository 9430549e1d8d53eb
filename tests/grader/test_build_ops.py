"""The worker's "new" operation: trusted objects made from data (grader.worker.build_ops.KINDS),
e.g. for exercises that take a callable (a conditional, a noise-prediction model) or a generator."""

from __future__ import annotations

import pytest
import torch

from grader.wire import Handle
from grader.worker.build_ops import LogisticConditional, eps_model_class, op_new
from grader.worker.ops import OpFailure, Worker


def test_build_stores_the_object_and_returns_a_handle(tmp_path):
    w = Worker(tmp_path)
    h = op_new(w, {"op": "new", "kind": "generator", "data": {"seed": 3}})
    assert isinstance(h, Handle)
    g = w.objects[h.id]
    assert torch.equal(torch.rand(4, generator=g), torch.rand(4, generator=torch.Generator().manual_seed(3)))


def test_unknown_builder_is_a_protocol_failure(tmp_path):
    with pytest.raises(OpFailure) as info:
        op_new(Worker(tmp_path), {"op": "new", "kind": "os.system", "data": {}})
    assert info.value.reply["kind"] == "protocol"


def test_conditional_records_widths_and_refuses_a_wrong_prefix():
    cond = LogisticConditional(torch.eye(3), torch.zeros(3), num_samples=2)
    assert torch.equal(cond(torch.zeros(2, 0)), torch.full((2,), 0.5))
    cond(torch.ones(2, 1))
    assert cond.widths == [0, 1]
    for bad in (torch.zeros(2, 3), torch.zeros(3, 1), torch.zeros(2)):
        with pytest.raises(ValueError, match="num_samples, i"):
            cond(bad)


def test_eps_model_needs_each_samples_step():
    model = eps_model_class()(torch.tensor(0.5), torch.arange(4.0))
    x = torch.zeros(2, 3)
    assert torch.allclose(model(x, torch.tensor([1, 3])), torch.tanh(torch.tensor([[1.0] * 3, [3.0] * 3])))
    for bad in (torch.tensor(1), torch.tensor([1.0, 2.0]), torch.tensor([1, 2, 3])):
        with pytest.raises(ValueError, match="each sample's step"):
            model(x, bad)
