"""Sanity checks for the convolution topic: shapes, types and one small case per exercise.

Run them with `grade check convolution`. Passing them does not mean full marks: the graded
suite checks many more shapes, strides, paddings and the gradients.
"""

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, assert_raises, fail


@pytest.mark.exercise("conv2d_output_size")
def test_output_size_of_a_3x3_kernel(student):
    assert_equal(student.conv2d_output_size(5, 3), 3, what="conv2d_output_size(5, 3)")
    assert_equal(student.conv2d_output_size(5, 3, padding=1), 5, what="conv2d_output_size(5, 3, padding=1)")


@pytest.mark.exercise("conv2d_output_size")
def test_output_size_raises_when_kernel_does_not_fit(student):
    assert_raises("ValueError", student.conv2d_output_size, 2, 5)


@pytest.mark.exercise("conv2d_num_params")
def test_num_params_of_a_3x3_conv(student):
    # 8 filters of 3 x 3 x 3 weights plus 8 biases
    assert_equal(student.conv2d_num_params(3, 8, 3), 8 * 3 * 3 * 3 + 8, what="conv2d_num_params(3, 8, 3)")


@pytest.mark.exercise("conv2d")
def test_conv2d_small_case(student):
    x = torch.arange(16, dtype=torch.float64).reshape(1, 1, 4, 4)
    w = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]]]], dtype=torch.float64)
    got = student.conv2d(x, w)
    assert_close(got, F.conv2d(x, w), what="conv2d of a 4x4 ramp with a 2x2 kernel")


@pytest.mark.exercise("conv2d")
def test_conv2d_output_shape(student):
    g = torch.Generator().manual_seed(0)
    x, w = torch.randn(2, 3, 6, 5, generator=g), torch.randn(4, 3, 3, 3, generator=g)
    got = student.conv2d(x, w, torch.zeros(4), stride=1, padding=1)
    if not isinstance(got, torch.Tensor):
        fail(f"conv2d should return a tensor, got {type(got).__name__}")
    if tuple(got.shape) != (2, 4, 6, 5):
        fail(f"conv2d(x (2, 3, 6, 5), weight (4, 3, 3, 3), padding=1): expected shape (2, 4, 6, 5), "
             f"got {tuple(got.shape)}")


@pytest.mark.exercise("max_pool2d")
def test_max_pool2d_small_case(student):
    x = torch.arange(16, dtype=torch.float64).reshape(1, 1, 4, 4)
    assert_close(student.max_pool2d(x, 2), F.max_pool2d(x, 2), what="max_pool2d of a 4x4 ramp, kernel 2")


@pytest.mark.exercise("bottleneck_params")
def test_bottleneck_params_returns_two_counts(student):
    direct, bottleneck = student.bottleneck_params(64, 16, 64)
    assert_equal(direct, 64 * 64 * 9, what="direct count of bottleneck_params(64, 16, 64)")
    assert_equal(bottleneck, 64 * 16 + 16 * 64 * 9, what="bottleneck count of bottleneck_params(64, 16, 64)")


@pytest.mark.exercise("conv2d_num_params")
def test_num_params_raises_when_groups_do_not_divide_the_channels(student):
    assert_raises("ValueError", student.conv2d_num_params, 4, 6, 3, groups=4)


@pytest.mark.exercise("conv2d")
def test_conv2d_is_differentiable(student):
    x = torch.arange(16, dtype=torch.float64).reshape(1, 1, 4, 4)
    w = torch.ones(1, 1, 2, 2, dtype=torch.float64)
    _, (gx, gw) = student.grad_call("conv2d", x, w)
    if gx is None or gw is None:
        fail("no gradient reached x or the weight: conv2d must stay differentiable (torch operations only)")


@pytest.mark.exercise("max_pool2d")
def test_max_pool2d_is_differentiable(student):
    x = torch.arange(16, dtype=torch.float64).reshape(1, 1, 4, 4)
    _, (gx, *_) = student.grad_call("max_pool2d", x, 2)
    if gx is None:
        fail("no gradient reached x: max_pool2d must stay differentiable (torch operations only)")
