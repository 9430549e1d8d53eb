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
    # BEGIN SOLUTION
    return torch.where(x > 0, x, torch.zeros_like(x))
    # END SOLUTION


def sigmoid(x):
    """sigmoid(x) = 1 / (1 + e^-x), elementwise; differentiable, same shape and dtype as x.

    The value and the gradient must stay finite (no nan, no inf) for |x| up to 1e4, in float32
    and in float64. Do not call torch.sigmoid, x.sigmoid(), torch.special.expit,
    torch.nn.functional.* or torch.nn.Sigmoid (nor the library's relu or tanh).
    Hint: e^-x overflows for x << 0, and torch.where differentiates both of its branches.
    """
    # BEGIN SOLUTION
    # 1 / (1 + e^-x) is safe for x >= 0, e^x / (1 + e^x) for x < 0; each branch only ever sees
    # inputs on its safe side (clamp), so neither its value nor its gradient can overflow.
    pos = 1 / (1 + torch.exp(-x.clamp(min=0)))
    e = torch.exp(x.clamp(max=0))  # in (0, 1]
    neg = e / (1 + e)
    return torch.where(x >= 0, pos, neg)
    # END SOLUTION


def tanh(x):
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x), elementwise; differentiable, same shape and dtype.

    The value and the gradient must stay finite for |x| up to 1e4, in float32 and float64.
    Do not call torch.tanh, x.tanh(), torch.nn.functional.* or torch.nn.Tanh (nor the
    library's relu or sigmoid).
    Hint: tanh is odd, tanh(-x) = -tanh(x), and e^-2|x| never overflows.
    """
    # BEGIN SOLUTION
    a = torch.where(x >= 0, x, -x)  # |x|, with slope 1 at 0 (so tanh'(0) = 1)
    m = torch.expm1(-2 * a)  # e^-2|x| - 1 in (-1, 0], precise near 0
    t = -m / (2 + m)  # tanh(|x|) = (1 - e^-2|x|) / (1 + e^-2|x|)
    return torch.where(x >= 0, t, -t)
    # END SOLUTION


def collapse_linear(weights, biases):
    """The single layer (W, b) that computes the same map as the layers y = x @ W_i.T + b_i
    applied in list order (W_i of shape (out_i, in_i), b_i of shape (out_i,)).

    Returns a tuple (W, b): W of shape (out_last, in_first), b of shape (out_last,).
    """
    # BEGIN SOLUTION
    W, b = weights[0], biases[0]  # (out_0, in_0), (out_0,)
    for Wi, bi in zip(weights[1:], biases[1:]):
        # Wi (Wx + b) + bi = (Wi W) x + (Wi b + bi)
        W, b = Wi @ W, Wi @ b + bi
    return W, b
    # END SOLUTION


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
        # BEGIN SOLUTION
        activations = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh}
        if activation not in activations:
            raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(activations)}")
        self.activation = activations[activation]
        sizes = [in_features, *hidden_sizes, out_features]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        # END SOLUTION

    def forward(self, x):
        """(N, in_features) -> (N, out_features)."""
        # BEGIN SOLUTION
        *hidden, last = self.layers
        for layer in hidden:
            x = self.activation(layer(x))  # (N, hidden_i)
        return last(x)  # logits: no activation after the last layer
        # END SOLUTION


def train_epoch(model, loader, optimizer, loss_fn):
    """One pass over loader (any iterable of (x, y) batches) in train mode; returns the mean
    loss over samples as a Python float.

    loss_fn(output, y) returns the batch mean. Every step uses only the gradient of its own
    batch: none from before the call, none from an earlier batch.
    Hint: the batches need not all have the same size.
    """
    # BEGIN SOLUTION
    model.train()  # dropout and batch norm behave as in training
    total, count = 0.0, 0
    for x, y in loader:
        optimizer.zero_grad()  # PyTorch accumulates gradients: clear them first
        loss = loss_fn(model(x), y)  # mean over this batch
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)  # a float: the graph is not kept
        count += len(x)
    return total / count
    # END SOLUTION


def accuracy(logits, targets):
    """The fraction of rows whose largest logit is at the target class, as a Python float.

    logits: (N, C); targets: (N,) class indices.
    """
    # BEGIN SOLUTION
    predicted = logits.argmax(dim=1)  # (N,)
    return (predicted == targets).double().mean().item()
    # END SOLUTION
