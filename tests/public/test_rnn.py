"""Sanity checks for the rnn topic: shapes, types and one small case per exercise.

Run them with `grade check rnn`. Passing them does not mean full marks: the graded suite
compares every cell with torch's own (nn.RNNCell, nn.LSTMCell, nn.GRUCell, nn.RNN) on more
shapes and dtypes, checks the gradients, and clips tiny and skipped gradients.
"""

import pytest
import torch
import torch.nn as nn

from grader.checks import assert_close, fail

I, H, N = 3, 2, 2


def _weights(cell):
    return [p.detach().clone() for p in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)]


def _inputs():
    g = torch.Generator().manual_seed(0)
    return torch.randn(N, I, generator=g, dtype=torch.float64), torch.randn(N, H, generator=g, dtype=torch.float64)


@pytest.mark.exercise("rnn_cell")
def test_rnn_cell_small_case(student):
    torch.manual_seed(0)
    cell = nn.RNNCell(I, H, dtype=torch.float64)
    x, h = _inputs()
    with torch.no_grad():
        assert_close(student.rnn_cell(x, h, *_weights(cell)), cell(x, h), what="rnn_cell against nn.RNNCell")


@pytest.mark.exercise("lstm_cell")
def test_lstm_cell_returns_h_and_c(student):
    torch.manual_seed(1)
    cell = nn.LSTMCell(I, H, dtype=torch.float64)
    x, h = _inputs()
    c = torch.zeros(N, H, dtype=torch.float64)
    got = student.lstm_cell(x, (h, c), *_weights(cell))
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"lstm_cell should return the pair (h, c), got {type(got).__name__}")
    with torch.no_grad():
        assert_close(tuple(got), cell(x, (h, c)), what="lstm_cell against nn.LSTMCell: (h, c)")


@pytest.mark.exercise("gru_cell")
def test_gru_cell_small_case(student):
    torch.manual_seed(2)
    cell = nn.GRUCell(I, H, dtype=torch.float64)
    x, h = _inputs()
    with torch.no_grad():
        assert_close(student.gru_cell(x, h, *_weights(cell)), cell(x, h), what="gru_cell against nn.GRUCell")


@pytest.mark.exercise("rnn_forward")
def test_rnn_forward_shapes(student):
    torch.manual_seed(3)
    rnn = nn.RNN(I, H, dtype=torch.float64)
    w = [p.detach().clone() for p in (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0)]
    xs = torch.randn(4, N, I, dtype=torch.float64)
    got = student.rnn_forward(xs, torch.zeros(N, H, dtype=torch.float64), *w)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"rnn_forward should return the pair (outputs, h_last), got {type(got).__name__}")
    outputs, h_last = got
    if tuple(outputs.shape) != (4, N, H) or tuple(h_last.shape) != (N, H):
        fail(f"rnn_forward(xs (4, {N}, {I}), h0 ({N}, {H})): expected shapes (4, {N}, {H}) and ({N}, {H}), "
             f"got {tuple(outputs.shape)} and {tuple(h_last.shape)}")


@pytest.mark.exercise("clip_grad_norm")
def test_clip_grad_norm_returns_the_norm_before_clipping(student):
    p = student.new_parameter(torch.zeros(2, dtype=torch.float64))
    p.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)  # norm 5
    total = student.clip_grad_norm([p], 1.0)
    assert_close(total, 5.0, what="clip_grad_norm of a gradient (3, 4) with max_norm=1: the returned norm")
    assert_close(p.grad, torch.tensor([3.0, 4.0], dtype=torch.float64) / (5 + 1e-6),
                 what="the gradient (3, 4) after clip_grad_norm(max_norm=1)")
