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
                # BEGIN SOLUTION
                p.add_(p.grad, alpha=-group["lr"])
                # END SOLUTION
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
                # BEGIN SOLUTION
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = p.grad.clone()
                else:
                    state["momentum_buffer"].mul_(group["momentum"]).add_(p.grad)
                p.add_(state["momentum_buffer"], alpha=-group["lr"])
                # END SOLUTION
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
                # BEGIN SOLUTION
                mu = group["momentum"]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = p.grad.clone()
                else:
                    state["momentum_buffer"].mul_(mu).add_(p.grad)
                p.add_(p.grad.add(state["momentum_buffer"], alpha=mu), alpha=-group["lr"])
                # END SOLUTION
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
                # BEGIN SOLUTION
                if "sum" not in state:
                    state["sum"] = torch.zeros_like(p)
                state["sum"].addcmul_(p.grad, p.grad)
                std = state["sum"].sqrt().add_(group["eps"])
                p.addcdiv_(p.grad, std, value=-group["lr"])
                # END SOLUTION
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
                # BEGIN SOLUTION
                rho, eps = group["rho"], group["eps"]
                if "square_avg" not in state:
                    state["square_avg"] = torch.zeros_like(p)  # v: running mean of g^2
                    state["acc_delta"] = torch.zeros_like(p)  # u: running mean of d^2
                v, u = state["square_avg"], state["acc_delta"]
                v.mul_(rho).addcmul_(p.grad, p.grad, value=1 - rho)
                delta = (u + eps).sqrt().div_((v + eps).sqrt()).mul_(p.grad)
                u.mul_(rho).addcmul_(delta, delta, value=1 - rho)
                p.add_(delta, alpha=-group["lr"])
                # END SOLUTION
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
                # BEGIN SOLUTION
                alpha = group["alpha"]
                if "square_avg" not in state:
                    state["square_avg"] = torch.zeros_like(p)
                v = state["square_avg"]
                v.mul_(alpha).addcmul_(p.grad, p.grad, value=1 - alpha)
                p.addcdiv_(p.grad, v.sqrt().add_(group["eps"]), value=-group["lr"])
                # END SOLUTION
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
                # BEGIN SOLUTION
                beta1, beta2 = group["betas"]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
                m.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                denom = (v.sqrt() / math.sqrt(1 - beta2**t)).add_(group["eps"])
                p.addcdiv_(m, denom, value=-group["lr"] / (1 - beta1**t))
                # END SOLUTION
        return loss
