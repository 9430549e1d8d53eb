"""Sanity checks for the modern_cnn topic: shapes, types and one small case per exercise.

Run them with `grade check modern_cnn`. Passing them does not mean full marks: the graded suite
loads random weights into your blocks and compares outputs and gradients with reference blocks,
in training and eval mode, and checks the layer names and shapes the catalog gives.
"""

import pytest
import torch

from grader.checks import assert_equal, fail


def _shape(got, expected, what):
    if not isinstance(got, torch.Tensor):
        fail(f"{what} should return a tensor, got {type(got).__name__}")
    if tuple(got.shape) != expected:
        fail(f"{what}: expected shape {expected}, got {tuple(got.shape)}")


@pytest.mark.exercise("receptive_field")
def test_receptive_field_of_two_3x3_convs(student):
    assert_equal(student.receptive_field([3, 3], [1, 1]), 5, what="receptive_field([3, 3], [1, 1])")


@pytest.mark.exercise("count_parameters")
def test_count_parameters_of_one_linear(student):
    model = student.new_module([("Linear", [4, 3], {})])
    assert_equal(student.count_parameters(model), 4 * 3 + 3, what="count_parameters(Linear(4, 3))")


@pytest.mark.exercise("VGGBlock")
def test_vgg_block_output_shape(student):
    x = torch.randn(2, 3, 8, 6, generator=torch.Generator().manual_seed(0))
    _shape(student.VGGBlock(3, 4, 2)(x), (2, 4, 4, 3), "VGGBlock(3, 4, 2) on x (2, 3, 8, 6)")


@pytest.mark.exercise("InceptionBlock")
def test_inception_block_output_shape(student):
    x = torch.randn(1, 3, 5, 6, generator=torch.Generator().manual_seed(0))
    _shape(student.InceptionBlock(3, 2, (2, 4), (1, 3), 5)(x), (1, 14, 5, 6),
           "InceptionBlock(3, 2, (2, 4), (1, 3), 5) on x (1, 3, 5, 6)")


@pytest.mark.exercise("ResidualBlock")
def test_residual_block_output_shapes(student):
    x = torch.randn(2, 3, 8, 6, generator=torch.Generator().manual_seed(0))
    _shape(student.ResidualBlock(3, 3)(x), (2, 3, 8, 6), "ResidualBlock(3, 3) on x (2, 3, 8, 6)")
    _shape(student.ResidualBlock(3, 5, stride=2)(x), (2, 5, 4, 3), "ResidualBlock(3, 5, stride=2) on x (2, 3, 8, 6)")


@pytest.mark.exercise("DenseBlock")
def test_dense_block_output_shape(student):
    x = torch.randn(2, 3, 4, 5, generator=torch.Generator().manual_seed(0))
    _shape(student.DenseBlock(3, 2, 3)(x), (2, 9, 4, 5), "DenseBlock(3, 2, 3) on x (2, 3, 4, 5)")
