"""Regularization: early stopping, L2, dropout, batch norm, label smoothing, mixup, cutmix,
cutout and input noise.

Conventions follow PyTorch: a batch of vectors is (N, C), a batch of images is (N, C, H, W),
class labels are int64 (N,), soft labels are (N, C) rows that sum to 1. A box is
(top, left, height, width) in pixels; the part of it that falls outside the image is cut off.
Functions that take a `generator` (a torch.Generator) draw all their randomness from it when
it is given, so that the same generator state gives the same result.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class EarlyStopping:
    """Say when to stop: after `patience` steps in a row without an improvement.

    A value improves when it beats the best so far by more than min_delta (lower is better in
    mode "min", higher in mode "max"); the first value always improves. An improvement resets
    `counter` to 0, any other value adds 1; `step` returns True once counter >= patience.
    Attributes: `best` (best value so far), `best_epoch` (0-based index of the step that set
    it), `counter` (steps since then). Raises ValueError when mode is not "min" or "max".
    """

    def __init__(self, patience=5, min_delta=0.0, mode="min"):
        if mode not in ("min", "max"):
            raise ValueError(f'mode must be "min" or "max", got {mode!r}')
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.best, self.best_epoch, self.counter = None, None, 0
        self.steps = 0  # values seen so far

    def improves(self, value):
        """Whether `value` beats the best so far by more than min_delta."""
        # BEGIN SOLUTION
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta
        # END SOLUTION

    def step(self, value):
        """Record one epoch's value; True when training should stop now."""
        # BEGIN SOLUTION
        if self.improves(value):
            self.best, self.best_epoch, self.counter = value, self.steps, 0
        else:
            self.counter += 1
        self.steps += 1
        return self.counter >= self.patience
        # END SOLUTION


def l2_penalty(parameters, weight_decay):
    """weight_decay / 2 * sum over every tensor of the sum of its squared entries.

    Returns a 0-d tensor, differentiable in every parameter (its gradient is weight_decay * p).
    """
    # BEGIN SOLUTION
    squares = [p.pow(2).sum() for p in parameters]  # one 0-d tensor per parameter
    return weight_decay / 2 * torch.stack(squares).sum()
    # END SOLUTION


def dropout(x, p, training=True, generator=None):
    """Inverted dropout: each entry is zeroed with probability p, the kept ones are scaled so that
    the expected value of every entry stays x.

    Identity when not training or p == 0; all zeros (no nan) when p == 1. The random draws come
    from `generator` when one is given. Differentiable in x; the result has x's shape and dtype.
    Raises ValueError when p is outside [0, 1].
    Do not call torch.nn.functional.dropout (or its variants), torch.dropout or nn.Dropout.
    """
    # BEGIN SOLUTION
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability must be between 0 and 1, got {p}")
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0  # keeps the graph (gradient 0) and avoids 0 * inf
    keep = torch.rand(x.shape, generator=generator, dtype=x.dtype, device=x.device) >= p
    return x * keep / (1 - p)  # E[keep] = 1 - p, so E[out] = x
    # END SOLUTION


class BatchNorm1d(nn.Module):
    """Batch normalization of (N, C) inputs, identical to nn.BatchNorm1d (affine, tracking stats).

    Parameters `weight` (ones) and `bias` (zeros), buffers `running_mean` (zeros) and
    `running_var` (ones), all of shape (C,). In training mode the batch's own statistics
    normalize the input and update the running statistics with `momentum` (PyTorch's
    convention); in eval mode the running statistics normalize it and nothing is updated.
    Differentiable in the input, weight and bias (gradients are compared with nn.BatchNorm1d's).
    Hint: PyTorch normalizes with the biased variance but tracks the unbiased one.
    Do not call torch.nn.functional.batch_norm, torch.batch_norm or nn.BatchNorm1d/2d/3d
    (nor instance_norm, which runs the same kernel).
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        # BEGIN SOLUTION
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        # END SOLUTION

    def forward(self, x):
        """y = weight * (x - mean) / sqrt(var + eps) + bias, per feature (column)."""
        # BEGIN SOLUTION
        if self.training:
            mean = x.mean(dim=0)  # (C,)
            var = x.var(dim=0, unbiased=False)  # (C,) biased: divides by N
            self._update_running_stats(mean.detach(), x.detach().var(dim=0, unbiased=True))
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)  # (N, C)
        return self.weight * x_hat + self.bias
        # END SOLUTION

    @torch.no_grad()
    def _update_running_stats(self, mean, unbiased_var):
        """running <- (1 - momentum) * running + momentum * batch statistic."""
        # BEGIN SOLUTION
        self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
        self.running_var.mul_(1 - self.momentum).add_(self.momentum * unbiased_var)
        # END SOLUTION


def label_smoothing_cross_entropy(logits, target, smoothing):
    """Cross-entropy against the smoothed target (1 - smoothing) * one_hot + smoothing / C,
    averaged over the batch.

    logits (N, C), target int64 class indices (N,). Equals F.cross_entropy(logits, target,
    label_smoothing=smoothing); stays finite for logits as large as +-1000; differentiable in
    the logits. Do not call torch.nn.functional.cross_entropy or nn.CrossEntropyLoss
    (log_softmax and nll_loss are allowed).
    """
    # BEGIN SOLUTION
    num_classes = logits.shape[1]
    log_probs = F.log_softmax(logits, dim=1)  # (N, C), stable for large logits
    soft = F.one_hot(target, num_classes).to(log_probs.dtype)  # (N, C)
    soft = (1 - smoothing) * soft + smoothing / num_classes
    return -(soft * log_probs).sum(dim=1).mean()
    # END SOLUTION


def mixup(x, y, lam, perm):
    """Blend every sample with the one `perm` pairs it with: lam of its own, 1 - lam of the other.

    x (N, ...), y soft labels (N, C), perm int64 (N,): sample i is mixed with sample perm[i].
    Returns (x_mix, y_mix); the inputs are unchanged.
    """
    # BEGIN SOLUTION
    x_mix = lam * x + (1 - lam) * x[perm]
    y_mix = lam * y + (1 - lam) * y[perm]
    return x_mix, y_mix
    # END SOLUTION


def _clipped_box(box, height, width):
    """(top, bottom, left, right) of box = (top, left, h, w) cut to an image of height x width."""
    top, left, h, w = (int(v) for v in box)
    return top, min(top + h, height), left, min(left + w, width)


def cutmix(x, y, box, perm):
    """Paste the box region of image perm[i] into image i; mix the labels by the areas.

    x (N, C, H, W), y soft labels (N, C'), box (top, left, height, width) clipped to the image,
    perm int64 (N,). The label weight lam of the image's own label is the share of the image
    left outside the (clipped) box. Returns (x_mix, y_mix); the inputs are unchanged.
    """
    # BEGIN SOLUTION
    height, width = x.shape[-2:]
    top, bottom, left, right = _clipped_box(box, height, width)
    x_mix = x.clone()
    x_mix[:, :, top:bottom, left:right] = x[perm, :, top:bottom, left:right]
    lam = 1 - (bottom - top) * (right - left) / (height * width)
    y_mix = lam * y + (1 - lam) * y[perm]
    return x_mix, y_mix
    # END SOLUTION


def cutout(x, box):
    """x (N, C, H, W) with the box region (top, left, height, width), clipped, set to 0 in every
    image; the input is unchanged."""
    # BEGIN SOLUTION
    top, bottom, left, right = _clipped_box(box, *x.shape[-2:])
    out = x.clone()
    out[:, :, top:bottom, left:right] = 0
    return out
    # END SOLUTION


def add_gaussian_noise(x, std, generator=None):
    """x plus independent Gaussian noise of mean 0 and standard deviation std.

    The random draws come from `generator` when one is given. Differentiable in x; the result
    has x's shape and dtype.
    """
    # BEGIN SOLUTION
    noise = torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)
    return x + std * noise
    # END SOLUTION
