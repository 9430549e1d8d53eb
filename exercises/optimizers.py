"""Optimizers as torch.optim.Optimizer subclasses.

Each class steps exactly like the torch.optim optimizer it is named after (defaults included,
no weight decay). `step(closure=None)` re-evaluates the closure if one is given and returns its
loss, skips parameters whose `.grad` is None, handles every param group with that group's
hyper-parameters, keeps its running statistics per parameter in `self.state[p]`, and updates
each parameter in place (the Parameter objects you were given change). Do not call the
torch.optim optimizer classes or torch.optim's functional implementations (each class names
its own). Notation: g = p.grad, t = number of steps this parameter has taken.
"""

import math

import torch
from torch.optim import Optimizer


def _closure_loss(closure):
    """The loss of `closure()` evaluated with gradients enabled, or None without a closure."""
    if closure is None:
        return None
    with torch.enable_grad():
        return closure()


class SGD(Optimizer):
    """Steps like torch.optim.SGD (no momentum). Do not call torch.optim.SGD or torch.optim's
    functional sgd. Hint: p <- p - lr * g."""

    def __init__(self, params, lr):
        super().__init__(params, dict(lr=lr))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                raise NotImplementedError("optimizers.SGD: fill in this part")
        return loss


class Momentum(Optimizer):
    """Steps like torch.optim.SGD(momentum=momentum) (no dampening). Do not call torch.optim.SGD
    or torch.optim's functional sgd. Hint: b <- g on the first step, else b <- mu * b + g;
    p <- p - lr * b."""

    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                raise NotImplementedError("optimizers.Momentum: fill in this part")
        return loss


class Nesterov(Optimizer):
    """Steps like torch.optim.SGD(momentum=momentum, nesterov=True). Do not call torch.optim.SGD
    or torch.optim's functional sgd. Hint: b as in Momentum;  p <- p - lr * (g + mu * b)."""

    def __init__(self, params, lr, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                raise NotImplementedError("optimizers.Nesterov: fill in this part")
        return loss


class Adagrad(Optimizer):
    """Steps like torch.optim.Adagrad (eps outside the square root, as torch). Do not call
    torch.optim.Adagrad or torch.optim's functional adagrad. Hint: s <- s + g^2;
    p <- p - lr * g / (sqrt(s) + eps)."""

    def __init__(self, params, lr=1e-2, eps=1e-10):
        super().__init__(params, dict(lr=lr, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                raise NotImplementedError("optimizers.Adagrad: fill in this part")
        return loss


class Adadelta(Optimizer):
    """Steps like torch.optim.Adadelta (lr scales the step). Do not call torch.optim.Adadelta or
    torch.optim's functional adadelta. Hint: v <- rho v + (1 - rho) g^2;
    d = sqrt(u + eps) / sqrt(v + eps) * g;  u <- rho u + (1 - rho) d^2 (after d is computed);
    p <- p - lr * d."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                raise NotImplementedError("optimizers.Adadelta: fill in this part")
        return loss


class RMSprop(Optimizer):
    """Steps like torch.optim.RMSprop (no momentum, not centered). Do not call
    torch.optim.RMSprop or torch.optim's functional rmsprop. Hint: v <- alpha v + (1 - alpha) g^2;
    p <- p - lr * g / (sqrt(v) + eps)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                raise NotImplementedError("optimizers.RMSprop: fill in this part")
        return loss


class Adam(Optimizer):
    """Steps like torch.optim.Adam (bias-corrected; eps added after the correction, as torch).
    Do not call torch.optim.Adam, torch.optim.AdamW or their functional forms.
    Hint: m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  t <- t + 1;
    p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                raise NotImplementedError("optimizers.Adam: fill in this part")
        return loss
