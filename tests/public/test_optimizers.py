"""Sanity checks for the optimizers topic: one step of each optimizer on a tiny tensor,
compared with the torch.optim optimizer it is named after.

Run them with `grade check optimizers`. Passing them does not mean full marks: the graded
suite runs many steps, several param groups, parameters without gradients and tiny gradients.
"""

import pytest
import torch

from grader.checks import assert_close

CASES = [  # (class, its keyword arguments, the torch.optim optimizer that must step the same way)
    ("SGD", {"lr": 0.1}, lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("Momentum", {"lr": 0.1}, lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
    ("Nesterov", {"lr": 0.1}, lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True)),
    ("Adagrad", {}, lambda ps: torch.optim.Adagrad(ps)),
    ("Adadelta", {}, lambda ps: torch.optim.Adadelta(ps)),
    ("RMSprop", {}, lambda ps: torch.optim.RMSprop(ps)),
    ("Adam", {}, lambda ps: torch.optim.Adam(ps)),
]


@pytest.mark.parametrize(
    "name, kwargs, make_torch",
    [pytest.param(*case, marks=pytest.mark.exercise(case[0]), id=case[0]) for case in CASES],
)
def test_two_steps_match_torch(student, name, kwargs, make_torch):
    x = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    grads = [torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64),
             torch.tensor([-1.5, 0.25, 1.0], dtype=torch.float64)]
    p = student.new_parameter(x)  # a Parameter in the process that runs your code
    opt = getattr(student, name)([p], **kwargs)
    ref = torch.nn.Parameter(x.clone())
    ref_opt = make_torch([ref])
    for step, g in enumerate(grads, 1):
        p.grad = g
        opt.step()
        ref.grad = g.clone()
        ref_opt.step()
        assert_close(student.fetch(p), ref.detach(), what=f"{name}: the parameter after step {step}",
                     rtol=1e-6, atol=1e-12)
