"""Sanity checks for the mlp topic: shapes, types and one small case per exercise.

Run them with `grade check mlp`. Passing them does not mean full marks: the graded suite also
checks gradients, float32 and float64, inputs up to |x| = 1e4, every activation choice, and
train_epoch on models, batches and gradients it prepares itself.
"""

import pytest
import torch

from grader.checks import assert_close, assert_equal, assert_raises, fail

TORCH_ACT = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.exercise(n)) for n in TORCH_ACT])
def test_activation_small_case(student, name):
    x = torch.tensor([[-2.0, -0.5], [0.5, 2.0]], dtype=torch.float64)
    assert_close(getattr(student, name)(x), TORCH_ACT[name](x), what=f"{name} of a 2x2 tensor")


@pytest.mark.exercise("sigmoid")
def test_sigmoid_is_finite_at_minus_1000(student):
    x = torch.tensor([-1000.0, 1000.0], dtype=torch.float64)
    out, (grad,) = student.grad_call("sigmoid", x)
    if not torch.isfinite(out).all() or grad is None or not torch.isfinite(grad).all():
        fail(f"sigmoid at x = -1000 and 1000: value {out.tolist()}, gradient "
             f"{None if grad is None else grad.tolist()}: both must be finite")


@pytest.mark.exercise("collapse_linear")
def test_collapse_two_layers_shapes(student):
    w1, b1 = torch.ones(4, 3, dtype=torch.float64), torch.zeros(4, dtype=torch.float64)
    w2, b2 = torch.ones(2, 4, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    w, b = student.collapse_linear([w1, w2], [b1, b2])
    assert_close((w, b), (w2 @ w1, b2), what="collapse_linear of two layers 3 -> 4 -> 2")


@pytest.mark.exercise("MLP")
def test_mlp_output_shape_and_layers(student):
    model = student.MLP(5, [8, 4], 3)
    assert_equal(len(model.layers), 3, what="len(MLP(5, [8, 4], 3).layers)")
    out = model(torch.randn(2, 5))
    assert_equal(tuple(out.shape), (2, 3), what="MLP(5, [8, 4], 3) output shape for a batch of 2")
    assert_raises("ValueError", student.MLP, 5, [8], 3, activation="softmax")


@pytest.mark.exercise("train_epoch")
def test_train_epoch_returns_a_float(student):
    model = student.new_object("torch.nn.Linear", 2, 1)
    opt = student.new_object("torch.optim.SGD", model.parameters(), lr=0.1)
    loss_fn = student.new_object("torch.nn.MSELoss")
    batches = [(torch.randn(3, 2), torch.randn(3, 1)), (torch.randn(1, 2), torch.randn(1, 1))]
    got = student.train_epoch(model, batches, opt, loss_fn)
    if not isinstance(got, float):
        fail(f"train_epoch must return a Python float, got {type(got).__name__}")


@pytest.mark.exercise("accuracy")
def test_accuracy_small_case(student):
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [4.0, 0.0, 1.0]])
    got = student.accuracy(logits, torch.tensor([0, 1, 1, 0]))
    if not isinstance(got, float):
        fail(f"accuracy must return a Python float, got {type(got).__name__}")
    assert_close(got, 0.75, what="accuracy with 3 of 4 rows right")
