"""Grading suite for the optimizers topic.

Oracle: torch.optim, stepped in lockstep beside the student's optimizer on the same float64
parameters and the same gradient sequence (gradients are set in the worker with `p.grad = g`).
Trajectories are compared as displacements p_t - p_0 (so that tiny steps, from gradients of
1e-6, are measured as precisely as large ones), within TOL relative. Gradient entries are kept
away from 0 (magnitudes in [0.5, 2] times a scale, random signs): no comparison sits on a tie.

Sections: 1. scenarios and lockstep runs; 2. judge-side reference rules that reproduce known
mistakes (a result that matches one gets the mistake's name in its message); 3. the comparison;
4. the tests, each run once per optimizer class.
"""

from contextlib import contextmanager

import pytest
import torch

from grader.checks import assert_close, fail
from grader.errors import StudentError

F64 = torch.float64
CLASSES = ["SGD", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RMSprop", "Adam"]
# catalog defaults (the SGD family has no default lr)
DEFAULTS = {
    "SGD": {}, "Momentum": {"momentum": 0.9}, "Nesterov": {"momentum": 0.9},
    "Adagrad": {"lr": 1e-2, "eps": 1e-10}, "Adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-6},
    "RMSprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8},
    "Adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8},
}
LR = {"SGD": 0.1, "Momentum": 0.05, "Nesterov": 0.05, "Adagrad": 0.1, "Adadelta": 0.5,
      "RMSprop": 0.01, "Adam": 0.01}  # Adadelta's lr != 1 so that an ignored lr shows
# Relative tolerance of a trajectory (atol: TOL times its largest entry). A float32 step counter
# (torch.optim keeps one) makes 1 - beta2^t wrong by 1e-5 and moves Adam's steps by up to 2e-5;
# every known mistake moves them by more than 1e-3.
TOL = 1e-4
# the second param group's own value of one more hyper-parameter (besides its own lr)
OTHER = {"SGD": {}, "Momentum": {"momentum": 0.5}, "Nesterov": {"momentum": 0.5}, "Adagrad": {},
         "Adadelta": {"rho": 0.7}, "RMSprop": {"alpha": 0.9}, "Adam": {"betas": (0.8, 0.99)}}


def per_class(fn):
    """Run a test once per optimizer class, each counting for that exercise."""
    params = [pytest.param(name, marks=pytest.mark.exercise(name), id=name) for name in CLASSES]
    return pytest.mark.parametrize("name", params)(fn)


# ------------------------------------------------------------------ 1. scenarios and lockstep runs
def grads(shape, seed, scale=1.0):
    """Entries of magnitude scale * [0.5, 2] with random signs: never near 0."""
    g = torch.Generator().manual_seed(seed)
    mag = 0.5 + 1.5 * torch.rand(shape, dtype=F64, generator=g)
    return scale * mag * (2 * torch.randint(0, 2, shape, generator=g) - 1)


class Scenario:
    """groups: [(shapes, options)]; steps x params gradients (None where p.grad is None)."""

    def __init__(self, groups, steps, seed, kwargs, scale=1.0, none=()):
        gen = torch.Generator().manual_seed(seed)
        self.groups = [([torch.randn(s, dtype=F64, generator=gen) for s in shapes], opts)
                       for shapes, opts in groups]
        self.start = [t for ts, _ in self.groups for t in ts]
        self.grads = [[None if (t, i) in none else grads(p.shape, 1000 * seed + 10 * t + i, scale)
                       for i, p in enumerate(self.start)] for t in range(steps)]
        self.kwargs = kwargs

    def check_shapes(self, t, values):
        """Fail (the student's answer, not the test) when a value read after step t + 1 is not
        a tensor of its parameter's shape."""
        for i, (v, p0) in enumerate(zip(values, self.start)):
            if not isinstance(v, torch.Tensor) or v.shape != p0.shape:
                got = f"shape {tuple(v.shape)}" if isinstance(v, torch.Tensor) else type(v).__name__
                fail(f"after step {t + 1}, parameter {i} should keep its shape {tuple(p0.shape)}; got {got}")

    def displacements(self, values_per_step):
        """(steps, all entries): p_t - p_0 of every parameter, flattened in order. A value that
        is not a tensor of the parameter's shape fails the test as the student's (before any
        arithmetic on it)."""
        for t, vals in enumerate(values_per_step):
            self.check_shapes(t, vals)
        rows = [torch.cat([(v.to(F64) - p0).flatten() for v, p0 in zip(vals, self.start)])
                for vals in values_per_step]
        return torch.stack(rows)


def torch_optimizer(name, groups, **kw):
    if name in ("Momentum", "Nesterov"):
        return torch.optim.SGD(groups, nesterov=name == "Nesterov", **{"momentum": 0.9, **kw})
    return getattr(torch.optim, name)(groups, **kw)


def lockstep(step, sc):
    """step(grads) -> the parameters after one step with those gradients, for each step of sc."""
    out = []
    for t, grads in enumerate(sc.grads):
        out.append(step(grads))
        sc.check_shapes(t, out[-1])  # before the next step sets a grad of the old shape
    return sc.displacements(out)


def run_torch(name, sc):
    groups = [[torch.nn.Parameter(t.clone()) for t in ts] for ts, _ in sc.groups]
    opt = torch_optimizer(name, [{"params": ps, **o} for ps, (_, o) in zip(groups, sc.groups)], **sc.kwargs)
    params = [p for ps in groups for p in ps]

    def step(grads):
        for p, g in zip(params, grads):
            p.grad = g
        opt.step()
        return [p.detach().clone() for p in params]

    return lockstep(step, sc)


def run_student(student, name, sc, positional_lr=False):
    """The student's displacements, read from the very Parameter objects the optimizer was given
    (each step sets the gradients, calls step() and reads the parameters in one round trip)."""
    with explained(name, sc):
        groups = [[student.new_parameter(t) for t in ts] for ts, _ in sc.groups]
        kw = dict(sc.kwargs)
        cls = getattr(student, name)
        specs = [{"params": ps, **o} for ps, (_, o) in zip(groups, sc.groups)]
        opt = cls(specs, kw.pop("lr"), **kw) if positional_lr else cls(specs, **kw)
        params = [p for ps in groups for p in ps]
        return lockstep(lambda grads: student.step(opt, params, grads), sc)


@contextmanager
def explained(name, sc):
    """A crash of the student's code that a known mistake explains gets the mistake's name."""
    try:
        yield
    except StudentError as exc:
        hint = crash_hint(name, exc, sc)
        if hint:
            fail(f"{exc}\n  This is what you get with this mistake: {hint}.", mistake=hint)
        raise


def crash_hint(name, exc, sc):
    if exc.kind != "raised" or exc.raised("NotImplementedError"):
        return None
    if name == "Adam" and exc.raised("ZeroDivisionError"):
        return T_LATE
    if any(g is None for step in sc.grads for g in step) and (exc.raised("AttributeError") or exc.raised("TypeError")):
        return CRASH_NONE
    return None


# ------------------------------------------------------------------ 2. reference rules of known mistakes
def sgd():
    def rule(p, g, s, h):
        p.sub_(h["lr"] * g)
    return rule


def momentum(nesterov=False, damp=None):
    def rule(p, g, s, h):
        mu = h["momentum"]
        if "b" in s:
            s["b"] = mu * s["b"] + (1 - mu if damp else 1) * g
        else:
            s["b"] = (1 - mu) * g if damp == "from zero" else g.clone()
        p.sub_(h["lr"] * (g + mu * s["b"] if nesterov else s["b"]))
    return rule


def adagrad(decay=None, eps_inside=False):
    def rule(p, g, s, h):
        rho, weighted = decay or (1.0, False)
        s["sum"] = rho * s.get("sum", 0) + ((1 - rho) if weighted else 1) * g * g
        den = (s["sum"] + h["eps"]).sqrt() if eps_inside else s["sum"].sqrt() + h["eps"]
        p.sub_(h["lr"] * g / den)
    return rule


def adadelta(u_now=False, lr_ignored=False):
    def rule(p, g, s, h):
        rho, eps = h["rho"], h["eps"]
        v = s["v"] = rho * s.get("v", 0) + (1 - rho) * g * g
        u = s.get("u", torch.zeros_like(p))
        d = (u + eps).sqrt() / (v + eps).sqrt() * g
        s["u"] = rho * u + (1 - rho) * d * d
        if u_now:
            d = (s["u"] + eps).sqrt() / (v + eps).sqrt() * g
        p.sub_((1.0 if lr_ignored else h["lr"]) * d)
    return rule


def rmsprop(swapped=False, eps_inside=False):
    def rule(p, g, s, h):
        a = 1 - h["alpha"] if swapped else h["alpha"]
        v = s["v"] = a * s.get("v", 0) + (1 - a) * g * g
        p.sub_(h["lr"] * g / ((v + h["eps"]).sqrt() if eps_inside else v.sqrt() + h["eps"]))
    return rule


def adam(bias=True, eps_inside=False, eps_before_bias=False):
    def rule(p, g, s, h):
        (b1, b2), eps = h["betas"], h["eps"]
        t = s["t"] = s.get("t", 0) + 1
        m = s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
        v = s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
        if eps_before_bias:  # Kingma & Ba's efficient form: eps on the uncorrected sqrt(v)
            p.sub_(h["lr"] * (1 - b2**t) ** 0.5 / (1 - b1**t) * m / (v.sqrt() + eps))
            return
        if bias:
            m, v = m / (1 - b1**t), v / (1 - b2**t)
        p.sub_(h["lr"] * m / ((v + eps).sqrt() if eps_inside else v.sqrt() + eps))
    return rule


RULES = {"SGD": sgd, "Momentum": momentum, "Nesterov": lambda: momentum(nesterov=True),
         "Adagrad": adagrad, "Adadelta": adadelta, "RMSprop": rmsprop, "Adam": adam}
EPS_INSIDE = "eps inside the square root (sqrt(v + eps) instead of sqrt(v) + eps; shows with tiny gradients)"
T_LATE = ("t incremented late: the bias correction used t = 0 on the first step (1 - beta^0 = 0); "
          "increment t before computing 1 - beta1^t and 1 - beta2^t")
CRASH_NONE = "step() crashed on a parameter whose grad is None: skip parameters with p.grad is None"
SPECIFIC = {
    "Momentum": {"dampening (1 - momentum) added to the gradient; torch's momentum is b <- mu b + g":
                 [momentum(damp="torch"), momentum(damp="from zero")]},
    "Nesterov": {"plain momentum step instead of Nesterov's p <- p - lr (g + mu b)": [momentum()]},
    "Adagrad": {"accumulator decayed (that is RMSprop): Adagrad adds every g^2 to the sum, no decay":
                [adagrad(decay=(r, w)) for r in (0.99, 0.9) for w in (True, False)],
                EPS_INSIDE: [adagrad(eps_inside=True)]},
    "Adadelta": {"u_t used where u_{t-1} belongs: the step must use the mean of squared updates before this one":
                 [adadelta(u_now=True)], "lr ignored: the step is p <- p - lr * delta": [adadelta(lr_ignored=True)]},
    "RMSprop": {"alpha and 1 - alpha swapped: v <- alpha v + (1 - alpha) g^2": [rmsprop(swapped=True)],
                EPS_INSIDE: [rmsprop(eps_inside=True)]},
    "Adam": {"bias correction missing: use m / (1 - beta1^t) and v / (1 - beta2^t)": [adam(bias=False)],
             EPS_INSIDE: [adam(eps_inside=True)],
             "eps added before bias correction (the paper's efficient form): torch adds eps to the "
             "bias-corrected sqrt(v_hat); shows with tiny gradients": [adam(eps_before_bias=True)]},
}
GENERIC = {  # description: keyword arguments of simulate()
    "update not in place: the parameters never changed (p = p - ... only rebinds a name; "
    "change p itself with p.add_(...), p.sub_(...) or p -= ...)": {"rule": lambda p, g, s, h: None},
    "state recreated every step: keep it in self.state[p] so that it lasts between steps": {"state": "fresh"},
    "one state shared by all parameters: keep a separate state per parameter in self.state[p]": {"state": "shared"},
    "only the first param group updated: loop over every group in self.param_groups": {"groups": "first only"},
    "every group stepped with the first group's hyper-parameters: read lr (and the others) from each group":
        {"groups": "first hyper"},
    "a parameter whose grad is None was stepped as if its gradient were 0: skip it": {"none": "zero"},
}


def simulate(name, sc, rule, state="per param", groups="own", none="skip"):
    """Displacements of the reference rule `rule` run on scenario `sc` with one structural flaw."""
    params = [t.clone() for t in sc.start]
    hyper = [{**DEFAULTS[name], **sc.kwargs, **(o if groups == "own" else {})} for _, o in sc.groups]
    slots = [(gi, hyper[gi]) for gi, (ts, _) in enumerate(sc.groups) for _ in ts]
    states, out = [{} for _ in params], []
    for step in sc.grads:
        for i, (p, g, (gi, h)) in enumerate(zip(params, step, slots)):
            if (groups == "first only" and gi > 0) or (g is None and none == "skip"):
                continue
            s = {} if state == "fresh" else states[0 if state == "shared" else i]
            rule(p, torch.zeros_like(p) if g is None else g, s, h)
        out.append([p.clone() for p in params])
    return sc.displacements(out)


def mistakes(name, sc):
    found = {}
    for text, rules in SPECIFIC.get(name, {}).items():
        found[text] = [simulate(name, sc, r) for r in rules]
    for text, how in GENERIC.items():
        try:
            found[text] = [simulate(name, sc, **{"rule": RULES[name](), **how})]
        except RuntimeError:  # a flaw that cannot run on this scenario (shared state, shapes differ)
            pass
    return found


# ------------------------------------------------------------------ 3. the comparison
def check(student, name, sc, what, positional_lr=False):
    judge(name, sc, run_student(student, name, sc, positional_lr), what)


def judge(name, sc, got, what):
    """The student's displacements must equal torch.optim's; name the mistake they match."""
    want = run_torch(name, sc)
    tol = {"rtol": TOL, "atol": TOL * float(want.abs().max())}
    if name == "Adam" and not torch.isfinite(got).all():
        fail(f"{what}: got nan or inf.\n  This is what you get with this mistake: {T_LATE}.", mistake=T_LATE)
    ratio = first_step_ratio(got, want)
    if ratio is not None:
        what = f"{what}; your first step is {ratio:.3g}x the expected one"
    known = {}
    for text, variants in mistakes(name, sc).items():
        wrong = [v for v in variants if v.shape == want.shape and not torch.allclose(v, want, **tol)]
        if wrong:  # the variant nearest to what the student got
            known[text] = min(wrong, key=lambda v: float((v - got).abs().max()))
    assert_close(got, want, what=what, mistakes=known, **tol)


def first_step_ratio(got, want):
    """r when the student's first step is r times torch's in every entry (r not 0 or 1), else None."""
    r = got[0] / want[0]
    if not torch.isfinite(r).all() or float(r.max() - r.min()) > 1e-3 * float(r.abs().max()):
        return None
    r = float(r.mean())
    return r if abs(r - 1) > 1e-3 and abs(r) > 1e-3 else None


def one(*shapes):
    """A single param group with parameters of these shapes."""
    return [(list(shapes), {})]


# ------------------------------------------------------------------ 4. the tests
@per_class
def test_first_step_matches_torch(student, name):
    sc = Scenario(one((3, 2), (5,)), 1, seed=1, kwargs={"lr": LR[name]})
    check(student, name, sc, f"{name}(params, lr={LR[name]}): p - p0 after one step")


@per_class
def test_trajectory_matches_torch(student, name):
    sc = Scenario(one((3, 2), (5,)), 8, seed=2, kwargs={"lr": LR[name]})
    check(student, name, sc, f"{name}(params, lr={LR[name]}): p_t - p_0 over 8 steps (row = step t)")


@per_class
def test_default_arguments(student, name):
    lr = {"lr": 0.1} if name in ("SGD", "Momentum", "Nesterov") else {}
    sc = Scenario(one((3, 2), (5,)), 4, seed=3, kwargs=lr)
    call = f"{name}(params, 0.1)" if lr else f"{name}(params)"
    check(student, name, sc, f"{call} with the catalog defaults: p_t - p_0 over 4 steps", positional_lr=bool(lr))


@per_class
def test_param_groups_use_their_own_hyperparameters(student, name):
    second = {"lr": round(3 * LR[name], 6), **OTHER[name]}
    sc = Scenario([([(2, 3)], {}), ([(4,), (2,)], second)], 5, seed=4, kwargs={"lr": LR[name]})
    shown = ", ".join(f"{k}={v}" for k, v in second.items())
    check(student, name, sc, f"{name}(params, lr={LR[name]}) with two param groups, the second with {shown}: "
          "p_t - p_0 over 5 steps (columns: group 1, then group 2)")


@per_class
def test_param_without_grad_is_skipped(student, name):
    # the 2nd parameter never gets a gradient; the 3rd has none at step 2 (as after zero_grad())
    none = {(t, 1) for t in range(4)} | {(1, 2)}
    sc = Scenario(one((3,), (2, 2), (4,)), 4, seed=5, kwargs={"lr": LR[name]}, none=none)
    check(student, name, sc, f"{name}: p_t - p_0 of three parameters over 4 steps; the 2nd has grad None "
          "throughout, the 3rd at step 2 (skipped then: neither it nor its state may change)")


@per_class
def test_small_gradients(student, name):
    sc = Scenario(one((3, 2), (5,)), 5, seed=6, kwargs={"lr": LR[name]}, scale=1e-6)
    check(student, name, sc, f"{name}(params, lr={LR[name]}) with gradients of about 1e-6: p_t - p_0 over 5 steps")


@per_class
def test_state_is_kept_per_parameter(student, name):
    sc = Scenario(one((4,), (4,)), 5, seed=7, kwargs={"lr": LR[name]})
    for step in sc.grads:
        step[1] = 10 * step[1]  # the second parameter's gradients are other and larger
    check(student, name, sc, f"{name}: two parameters of the same shape with different gradients, "
          "p_t - p_0 over 5 steps")


@per_class
def test_update_is_in_place(student, name):
    sc = Scenario(one((3,)), 3, seed=8, kwargs={"lr": LR[name]})
    got = run_student(student, name, sc)
    if not got.any():
        fail(f"{name}.step() did not change the Parameter objects it was given (3 steps): update not in place. "
             "Change each Parameter itself (p.add_(...), p -= ...): rebinding a name or making a new tensor "
             "leaves the model's parameters as they were")
    judge(name, sc, got, f"{name}: p_t - p_0 of one parameter over 3 steps")


@per_class
def test_step_returns_closure_loss(student, name):
    sc = Scenario(one((2, 2)), 1, seed=9, kwargs={"lr": LR[name]})
    with explained(name, sc):
        p = student.new_parameter(sc.start[0])
        opt = getattr(student, name)([p], **sc.kwargs)
        p.grad = sc.grads[0][0]
        loss = opt.step(p.sum)  # the closure p.sum() is evaluated before the update
        got = sc.displacements([[student.fetch(p)]])
    if loss is None:
        fail(f"{name}.step(closure) returned None: evaluate the closure and return its loss")
    assert_close(loss, sc.start[0].sum(), what=f"{name}.step(closure) with closure = p.sum: the returned loss")
    judge(name, sc, got, f"{name}.step(closure): p - p0 after the step")
