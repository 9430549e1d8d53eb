"""Recurrent networks: RNN, LSTM and GRU cells, a full RNN pass and gradient clipping.

Layouts follow PyTorch exactly, so that weights copied from nn.RNNCell, nn.LSTMCell and
nn.GRUCell give the same numbers: x is (N, I), h is (N, H), W_ih is (G * H, I), W_hh is
(G * H, H), b_ih and b_hh are (G * H,), where G is the number of gate blocks stacked along the
first axis (1 for the RNN, 4 for the LSTM, 3 for the GRU). Everything is built from torch ops,
so every function here is differentiable.

Do not call the library's recurrent modules or kernels anywhere in this topic: torch.nn.RNN,
LSTM, GRU, RNNCell, LSTMCell, GRUCell (and RNNBase, RNNCellBase), torch._VF, torch.rnn_tanh,
torch.rnn_tanh_cell, torch.rnn_relu, torch.rnn_relu_cell, torch.lstm, torch.lstm_cell,
torch.gru, torch.gru_cell.
"""

import torch


def rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One Elman step, h' = tanh(W_ih x + b_ih + W_hh h + b_hh); equals nn.RNNCell (tanh).

    x (N, I), h (N, H), W_ih (H, I), W_hh (H, H), b_ih and b_hh (H,); returns h' (N, H).
    Differentiable. Do not call nn.RNNCell, torch.rnn_tanh_cell or torch._VF.
    """
    raise NotImplementedError("rnn.rnn_cell: fill in this part")


def lstm_cell(x, state, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step; state = (h, c); returns (h', c'); equals nn.LSTMCell.

    W_ih (4H, I), W_hh (4H, H), b_ih and b_hh (4H,) stack the blocks of the input gate i, the
    forget gate f, the candidate g and the output gate o, in this order (PyTorch's).
    Hint: i, f and o are sigmoids, g is a tanh; the cell keeps f * c and adds i * g; the
    output gate multiplies a squashed copy of the new cell.
    Differentiable. Do not call nn.LSTMCell, torch.lstm_cell or torch._VF.
    """
    raise NotImplementedError("rnn.lstm_cell: fill in this part")


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One GRU step; returns h' (N, H); equals nn.GRUCell.

    W_ih (3H, I), W_hh (3H, H), b_ih and b_hh (3H,) stack the reset gate r, the update gate z
    and the candidate n, in this order. r and z are sigmoids of the summed input and hidden
    parts; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) (the reset gate scales the hidden
    part after its matmul and bias, as in PyTorch); h' = (1 - z) * n + z * h.
    Differentiable. Do not call nn.GRUCell, torch.gru_cell or torch._VF.
    """
    raise NotImplementedError("rnn.gru_cell: fill in this part")


def rnn_forward(xs, h0, W_ih, W_hh, b_ih, b_hh):
    """A one-layer tanh RNN over a sequence; equals nn.RNN(I, H) (seq-first).

    xs (T, N, I), h0 (N, H); returns (outputs (T, N, H), h_last (N, H)), where outputs[t] is
    the hidden state after step t. Differentiable. Do not call nn.RNN, torch.rnn_tanh or torch._VF.
    """
    raise NotImplementedError("rnn.rnn_forward: fill in this part")


def clip_grad_norm(parameters, max_norm):
    """Clip the gradients' total L2 norm to max_norm, in place; return the norm before clipping.

    parameters: an iterable of tensors or a single tensor; those whose .grad is None are
    skipped. total = sqrt(sum over all grads of sum(g^2)), as a Python float. When
    total > max_norm, every grad is multiplied in place by max_norm / (total + 1e-6).
    Do not call torch.nn.utils.clip_grad_norm_, get_total_norm or clip_grads_with_norm_.
    """
    raise NotImplementedError("rnn.clip_grad_norm: fill in this part")
