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
    # BEGIN SOLUTION
    return torch.tanh(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)  # (N, I) @ (I, H) -> (N, H)
    # END SOLUTION


def lstm_cell(x, state, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step; state = (h, c); returns (h', c'); equals nn.LSTMCell.

    W_ih (4H, I), W_hh (4H, H), b_ih and b_hh (4H,) stack the blocks of the input gate i, the
    forget gate f, the candidate g and the output gate o, in this order (PyTorch's).
    Hint: i, f and o are sigmoids, g is a tanh; the cell keeps f * c and adds i * g; the
    output gate multiplies a squashed copy of the new cell.
    Differentiable. Do not call nn.LSTMCell, torch.lstm_cell or torch._VF.
    """
    # BEGIN SOLUTION
    h, c = state  # (N, H) each
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (N, 4H)
    i, f, g, o = gates.chunk(4, dim=1)  # (N, H) each, PyTorch's order
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_next = f * c + i * g  # keep part of the old memory, write part of the candidate
    h_next = o * torch.tanh(c_next)  # expose a squashed, gated view of the memory
    return h_next, c_next
    # END SOLUTION


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One GRU step; returns h' (N, H); equals nn.GRUCell.

    W_ih (3H, I), W_hh (3H, H), b_ih and b_hh (3H,) stack the reset gate r, the update gate z
    and the candidate n, in this order. r and z are sigmoids of the summed input and hidden
    parts; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) (the reset gate scales the hidden
    part after its matmul and bias, as in PyTorch); h' = (1 - z) * n + z * h.
    Differentiable. Do not call nn.GRUCell, torch.gru_cell or torch._VF.
    """
    # BEGIN SOLUTION
    x_r, x_z, x_n = (x @ W_ih.T + b_ih).chunk(3, dim=1)  # (N, H) each
    h_r, h_z, h_n = (h @ W_hh.T + b_hh).chunk(3, dim=1)  # (N, H) each
    r = torch.sigmoid(x_r + h_r)  # how much of the past the candidate sees
    z = torch.sigmoid(x_z + h_z)  # how much of the past is kept as it is
    n = torch.tanh(x_n + r * h_n)  # candidate state
    return (1 - z) * n + z * h
    # END SOLUTION


def rnn_forward(xs, h0, W_ih, W_hh, b_ih, b_hh):
    """A one-layer tanh RNN over a sequence; equals nn.RNN(I, H) (seq-first).

    xs (T, N, I), h0 (N, H); returns (outputs (T, N, H), h_last (N, H)), where outputs[t] is
    the hidden state after step t. Differentiable. Do not call nn.RNN, torch.rnn_tanh or torch._VF.
    """
    # BEGIN SOLUTION
    h = h0  # (N, H)
    outputs = []
    for x in xs:  # x (N, I), one time step
        h = rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), h  # (T, N, H), (N, H)
    # END SOLUTION


def clip_grad_norm(parameters, max_norm):
    """Clip the gradients' total L2 norm to max_norm, in place; return the norm before clipping.

    parameters: an iterable of tensors or a single tensor; those whose .grad is None are
    skipped. total = sqrt(sum over all grads of sum(g^2)), as a Python float. When
    total > max_norm, every grad is multiplied in place by max_norm / (total + 1e-6).
    Do not call torch.nn.utils.clip_grad_norm_, get_total_norm or clip_grads_with_norm_.
    """
    # BEGIN SOLUTION
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return 0.0
    total = torch.sqrt(sum((g.detach().double() ** 2).sum() for g in grads)).item()
    if total > max_norm:
        scale = max_norm / (total + 1e-6)
        for g in grads:
            g.mul_(scale)  # in place: the optimizer reads these very tensors
    return total
    # END SOLUTION
