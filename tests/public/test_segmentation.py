"""Sanity checks for the segmentation topic: shapes, types and one small case per exercise.

Run them with `grade check segmentation`. Passing them does not mean full marks: the graded
suite checks non-square shapes, stride and padding pairs, gradients, ignore_index and classes
that are absent.
"""

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, assert_raises, fail


@pytest.mark.exercise("convolutionalize")
def test_convolutionalize_matches_the_linear(student):
    g = torch.Generator().manual_seed(0)
    weight, bias = torch.randn(3, 2 * 2 * 3, generator=g, dtype=torch.float64), torch.zeros(3, dtype=torch.float64)
    conv = student.convolutionalize(student.new_linear(weight, bias), 2, 2, 3)
    x = torch.randn(1, 2, 2, 3, generator=g, dtype=torch.float64)
    assert_close(conv(x), (x.flatten(1) @ weight.T).reshape(1, 3, 1, 1),
                 what="conv(x) against linear(x.flatten(1)) for x (1, 2, 2, 3)")


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose2d_small_case(student):
    x = torch.arange(4, dtype=torch.float64).reshape(1, 1, 2, 2)
    w = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=torch.float64)  # (C_in, C_out, kh, kw)
    got = student.conv_transpose2d(x, w, stride=2)
    assert_close(got, F.conv_transpose2d(x, w, stride=2), what="conv_transpose2d of a 2x2 ramp, 2x2 kernel, stride 2")


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose2d_output_shape(student):
    x, w = torch.zeros(2, 3, 4, 5), torch.zeros(3, 6, 3, 3)
    got = student.conv_transpose2d(x, w, stride=2, padding=1)
    if tuple(got.shape) != (2, 6, 7, 9):
        fail(f"conv_transpose2d(x (2, 3, 4, 5), weight (3, 6, 3, 3), stride=2, padding=1): "
             f"expected shape (2, 6, 7, 9), got {tuple(got.shape)}")


@pytest.mark.exercise("conv_transpose2d_output_size")
def test_output_size_doubles_with_kernel_4_stride_2_padding_1(student):
    assert_equal(student.conv_transpose2d_output_size(16, 4, 2, 1), 32,
                 what="conv_transpose2d_output_size(16, 4, 2, 1)")
    assert_raises("ValueError", student.conv_transpose2d_output_size, 1, 1, 1, 1)


@pytest.mark.exercise("pixel_accuracy")
def test_pixel_accuracy_small_case(student):
    target = torch.tensor([[[0, 1], [1, 255]]])
    pred = torch.tensor([[[0, 1], [0, 1]]])
    assert_close(student.pixel_accuracy(pred, target, ignore_index=255), 2 / 3,
                 what="pixel_accuracy with one of four pixels ignored")


@pytest.mark.exercise("mean_iou")
def test_mean_iou_small_case(student):
    target = torch.tensor([[[0, 0], [1, 1]]])
    pred = torch.tensor([[[0, 1], [1, 1]]])
    # class 0: 1 / 2; class 1: 2 / 3; class 2 occurs nowhere and is left out
    assert_close(student.mean_iou(pred, target, 3), (1 / 2 + 2 / 3) / 2, what="mean_iou of a 2x2 map, 3 classes")
