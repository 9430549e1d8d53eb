"""Neural networks and the multi-layer perceptron.

Activations written from elementary torch ops (so autograd differentiates them), the proof that
stacked linear layers collapse into one, an MLP as an nn.Module, one epoch of training, and
accuracy. Tensors are batches of rows: x has shape (N, features).
"""

import torch
from torch import nn


def relu(x):
    """relu(x) = max(x, 0), elementwise; differentiable, same shape and dtype as x.

    Do not call torch.relu, x.relu(), torch.nn.functional.* or torch.nn.ReLU (nor the
    library's sigmoid or tanh).
    """
    raise NotImplementedError("mlp.relu: fill in this part")


def sigmoid(x):
    """sigmoid(x) = 1 / (1 + e^-x), elementwise; differentiable, same shape and dtype as x.

    The value and the gradient must stay finite (no nan, no inf) for |x| up to 1e4, in float32
    and in float64. Do not call torch.sigmoid, x.sigmoid(), torch.special.expit,
    torch.nn.functional.* or torch.nn.Sigmoid (nor the library's relu or tanh).
    Hint: e^-x overflows for x << 0, and torch.where differentiates both of its branches.
    """
    raise NotImplementedError("mlp.sigmoid: fill in this part")


def tanh(x):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x), elementwise; differentiable, same shape and dtype.

    The value and the gradient must stay finite for |x| up to 1e4, in float32 and float64.
    Do not call torch.tanh, x.tanh(), torch.nn.functional.* or torch.nn.Tanh (nor the
    library's relu or sigmoid).
    Hint: tanh is odd, tanh(-x) = -tanh(x), and e^-2|x| never overflows.
    """
    raise NotImplementedError("mlp.tanh: fill in this part")


def collapse_linear(weights, biases):
    """The single layer (W, b) that computes the same map as the layers y = x @ W_i.T + b_i
    applied in list order (W_i of shape (out_i, in_i), b_i of shape (out_i,)).

    Returns a tuple (W, b): W of shape (out_last, in_first), b of shape (out_last,).
    """
    raise NotImplementedError("mlp.collapse_linear: fill in this part")


class MLP(nn.Module):
    """Linear layers in_features -> *hidden_sizes -> out_features, with the activation after
    every hidden layer and none after the last. The forward pass is differentiable: autograd
    reaches x and every layer's weight and bias.

    Attribute `layers`: an nn.ModuleList of the nn.Linear layers, in order (hidden_sizes may be
    empty: then one Linear). activation is one of "relu", "sigmoid", "tanh" (your own functions
    or torch's: both are accepted here).
    Raises ValueError when activation is any other string (names are lower-case).
    """

    def __init__(self, in_features, hidden_sizes, out_features, activation="relu"):
        super().__init__()
        raise NotImplementedError("mlp.MLP: fill in this part")

    def forward(self, x):
        """(N, in_features) -> (N, out_features)."""
        raise NotImplementedError("mlp.MLP: fill in this part")


def train_epoch(model, loader, optimizer, loss_fn):
    """One pass over loader (any iterable of (x, y) batches) in train mode; returns the mean
    loss over samples as a Python float.

    loss_fn(output, y) returns the batch mean. Every step uses only the gradient of its own
    batch: none from before the call, none from an earlier batch.
    Hint: the batches need not all have the same size.
    """
    raise NotImplementedError("mlp.train_epoch: fill in this part")


def accuracy(logits, targets):
    """The fraction of rows whose largest logit is at the target class, as a Python float.

    logits: (N, C); targets: (N,) class indices.
    """
    raise NotImplementedError("mlp.accuracy: fill in this part")
