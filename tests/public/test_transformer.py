"""Sanity checks for the transformer topic: shapes, types and one small case per exercise.

Run them with `grade check transformer`. Passing them does not mean full marks: the graded
suite compares with torch on many shapes, masks, dtypes and the gradients.
"""

import math

import pytest
import torch

from grader.checks import assert_close, assert_equal, assert_raises, fail


def _shape(got, expected, what):
    if not isinstance(got, torch.Tensor):
        fail(f"{what} should be a tensor, got {type(got).__name__}")
    if tuple(got.shape) != expected:
        fail(f"{what}: expected shape {expected}, got {tuple(got.shape)}")


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_one_query_two_keys(student):
    # one query that matches the first key better: weights softmax([2, 0] / sqrt(2))
    q = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
    k = torch.tensor([[1.0, 1.0], [0.0, 0.0]], dtype=torch.float64)
    v = torch.tensor([[10.0], [0.0]], dtype=torch.float64)
    w = torch.softmax(torch.tensor([[2.0, 0.0]], dtype=torch.float64) / math.sqrt(2), dim=-1)
    assert_close(student.scaled_dot_product_attention(q, k, v), (w @ v, w),
                 what="scaled_dot_product_attention(q (1, 2), k (2, 2), v (2, 1)) -> (output, weights)")


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_shapes(student):
    q, k, v = torch.randn(2, 3, 16), torch.randn(2, 5, 16), torch.randn(2, 5, 4)
    got = student.scaled_dot_product_attention(q, k, v)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail("scaled_dot_product_attention should return a pair (output, weights)")
    _shape(got[0], (2, 3, 4), "the output")
    _shape(got[1], (2, 3, 5), "the weights")


@pytest.mark.exercise("causal_mask")
def test_causal_mask_of_three(student):
    expected = torch.tensor([[True, False, False], [True, True, False], [True, True, True]])
    assert_equal(student.causal_mask(3), expected, what="causal_mask(3)")


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_shapes(student):
    m = student.MultiHeadAttention(16, 4)
    x = torch.randn(2, 5, 16)
    out, weights = m(x, x, x)
    _shape(out, (2, 5, 16), "MultiHeadAttention(16, 4)(x (2, 5, 16), x, x) output")
    _shape(weights, (2, 4, 5, 5), "its weights (N, n_heads, Lq, Lk)")


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_rejects_indivisible_d_model(student):
    assert_raises("ValueError", student.MultiHeadAttention, 10, 4)


@pytest.mark.exercise("sinusoidal_positional_encoding")
def test_positional_encoding_first_rows(student):
    got = student.sinusoidal_positional_encoding(2, 4)
    # row 0: sin 0, cos 0, ...; row 1: sin(1), cos(1), sin(1 / 100), cos(1 / 100)
    expected = torch.tensor([[0.0, 1.0, 0.0, 1.0],
                             [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)]])
    assert_close(got, expected, what="sinusoidal_positional_encoding(2, 4)", atol=1e-6)


@pytest.mark.exercise("TransformerEncoderLayer")
def test_encoder_layer_shape(student):
    layer = student.TransformerEncoderLayer(16, 4, 32)
    _shape(layer(torch.randn(2, 5, 16)), (2, 5, 16), "TransformerEncoderLayer(16, 4, 32)(x (2, 5, 16))")
