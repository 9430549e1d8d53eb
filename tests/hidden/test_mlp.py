"""Grading suite for the mlp topic.

Oracles: torch.relu/sigmoid/tanh (values and autograd gradients, float32 and float64, up to
|x| = 1e4); matrix products and the layer stack itself for collapse_linear; for MLP, a
reference forward/backward over the same weights (the test copies its own weights into the
student's layers as Parameters it holds); for train_epoch, torch itself replaying the epoch.

Each exercise is graded on its own:
- MLP may use the student's own activations or torch's. Its output (and its gradients) must
  match the reference MLP built with torch's activations, OR the reference built with the
  student's own activation functions (called in the worker, their gradients through
  `grad_call`). A broken relu therefore costs relu, not MLP; a wrong MLP (an activation after
  the last layer, the activation argument ignored) matches neither. The student's activations
  are only called when the torch reference does not match, so a correct MLP never depends on
  them.
- train_epoch gets the judge's own model (Linear 3 -> 5, BatchNorm1d, Tanh, Linear 5 -> 2),
  loss (MSELoss) and optimizer (SGD), built in the worker from torch's classes with
  `student.new_object`, and Parameters the test holds; the student's MLP is never involved.
  BatchNorm makes train mode visible (batch statistics and running-mean updates), batches of
  4, 4 and 3 samples make a batch-mean average differ from the sample mean, and lr = 0 in the
  loss test keeps its trajectory out of that test.
"""

import pytest
import torch
import torch.nn as nn

from grader.checks import assert_close, assert_equal, assert_raises, fail
from grader.errors import StudentError

F64, F32 = torch.float64, torch.float32
ACTS = ["relu", "sigmoid", "tanh"]
TORCH_ACT = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
EXTREMES = [-1e4, -1000.0, -100.0, -30.0, -3.0, 0.5, 3.0, 30.0, 100.0, 1000.0, 1e4]
UNSTABLE = {
    "relu": "relu must be finite wherever x is",
    "sigmoid": ("unstable sigmoid: e^-x overflows to inf for x << 0 (e^x for x >> 0), and inf / inf "
                "is nan, in the value or in the gradient (torch.where differentiates both of its "
                "branches, so an overflowing branch poisons the gradient even where it is not chosen)"),
    "tanh": ("unstable tanh: e^x or e^-x overflows to inf for large |x|, and inf / inf is nan "
             "(torch.where differentiates both branches: each must be safe on every input)"),
}
PREACT = {  # the derivative written in terms of the output, applied to the input x instead
    "sigmoid": ("derivative applied to the pre-activation: x * (1 - x) instead of s * (1 - s) "
                "with s = sigmoid(x)", lambda x: x * (1 - x)),
    "tanh": ("derivative applied to the pre-activation: 1 - x^2 instead of 1 - t^2 with t = tanh(x)",
             lambda x: 1 - x * x),
}
NOT_DIFF = "not differentiable: no gradient reached x (numpy, .detach(), .item() or torch.tensor(...) inside?)"


def per_act(fn):
    """Run a test once per activation, each counting for that exercise."""
    params = [pytest.param(name, marks=pytest.mark.exercise(name), id=name) for name in ACTS]
    return pytest.mark.parametrize("name", params)(fn)


def gen(seed):
    return torch.Generator().manual_seed(seed)


DIM0 = "argmax over dim 0 (across the batch) instead of dim 1 (across the classes)"


def call_explained(fn, *args, hints):
    """fn(*args); a crash whose message contains a key of `hints` gets that hint's mistake named."""
    try:
        return fn(*args)
    except StudentError as exc:
        for words, hint in hints.items():
            if exc.raised("RuntimeError") and words in str(exc):
                fail(f"{exc}\n  This is what you get with this mistake: {hint}.")
        raise


def away_from_zero(*shape, seed, dtype=F64, scale=3.0):
    """Magnitudes in [0.1, scale] with random signs: no input sits on relu's kink."""
    g = gen(seed)
    mag = 0.1 + (scale - 0.1) * torch.rand(shape, dtype=F64, generator=g)
    return (mag * (2 * torch.randint(0, 2, shape, generator=g) - 1)).to(dtype)


# ------------------------------------------------------------------ 1. relu, sigmoid, tanh
def check_finite(got, x, what, name, kind):
    if isinstance(got, torch.Tensor) and got.shape == x.shape and not torch.isfinite(got).all():
        i = int((~torch.isfinite(got)).flatten().nonzero()[0])
        fail(f"{what}: the {kind} is {float(got.flatten()[i])} at x = {float(x.flatten()[i]):g} "
             f"({str(x.dtype).removeprefix('torch.')}); NaN and inf never pass.\n  "
             f"This is what you get with this mistake: {UNSTABLE[name]}.")


def check_tensor_like(got, x, what):
    if not isinstance(got, torch.Tensor):
        fail(f"{what}: expected a tensor of shape {tuple(x.shape)}, got {type(got).__name__}")
    if got.shape != x.shape or got.dtype != x.dtype:
        fail(f"{what}: expected shape {tuple(x.shape)} and dtype {str(x.dtype).removeprefix('torch.')} "
             f"(the input's), got shape {tuple(got.shape)} and dtype {str(got.dtype).removeprefix('torch.')}")


def torch_vjp(name, x, g):
    xl = x.detach().clone().requires_grad_(True)
    TORCH_ACT[name](xl).backward(g)
    return xl.grad


def check_gradient(student, name, x, g, what):
    out, (grad,) = student.grad_call(name, x, grad_output=g)
    check_tensor_like(out, x, what)
    if grad is None:
        fail(f"{what}: {NOT_DIFF}")
    check_finite(grad, x, what, name, "gradient")
    mistakes = {}
    if name in PREACT:
        label, deriv = PREACT[name]
        mistakes[label] = g * deriv(x)
    assert_close(grad, torch_vjp(name, x, g), what=f"the gradient of {what}", mistakes=mistakes)


@per_act
def test_activation_matches_torch_float64(student, name):
    x = away_from_zero(3, 4, 5, seed=1)
    got = getattr(student, name)(x)
    check_tensor_like(got, x, f"{name}(x) for x of shape (3, 4, 5)")
    assert_close(got, TORCH_ACT[name](x), what=f"{name}(x), float64")


@per_act
def test_activation_matches_torch_float32_and_keeps_dtype(student, name):
    x = away_from_zero(7, 2, seed=2, dtype=F32)
    got = getattr(student, name)(x)
    check_tensor_like(got, x, f"{name}(x) for float32 x of shape (7, 2)")
    assert_close(got, TORCH_ACT[name](x), what=f"{name}(x), float32")


@per_act
def test_activation_is_elementwise_on_any_shape(student, name):
    for shape in [(), (1,), (2, 1, 3), (0, 4)]:
        x = away_from_zero(*shape, seed=5)
        got = getattr(student, name)(x)
        check_tensor_like(got, x, f"{name}(x) for x of shape {shape}")
        assert_close(got, TORCH_ACT[name](x), what=f"{name}(x) for x of shape {shape}")


@per_act
def test_activation_gradient_matches_torch(student, name):
    x = away_from_zero(4, 6, seed=3)
    g = away_from_zero(4, 6, seed=4, scale=2.0)
    check_gradient(student, name, x, g, f"{name}(x), float64")


@per_act
@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
def test_activation_value_finite_at_extremes(student, name, dtype):
    x = torch.tensor(EXTREMES, dtype=dtype)
    what = f"{name}(x) for x from -1e4 to 1e4 ({str(dtype).removeprefix('torch.')})"
    got = getattr(student, name)(x)
    check_tensor_like(got, x, what)
    check_finite(got, x, what, name, "value")
    assert_close(got, TORCH_ACT[name](x), what=what)


@per_act
@pytest.mark.parametrize("dtype", [F64, F32], ids=["float64", "float32"])
def test_activation_gradient_finite_at_extremes(student, name, dtype):
    x = torch.tensor(EXTREMES, dtype=dtype)
    g = torch.linspace(0.5, 1.5, len(EXTREMES), dtype=dtype)
    check_gradient(student, name, x, g, f"{name}(x) for x from -1e4 to 1e4 ({str(dtype).removeprefix('torch.')})")


# ------------------------------------------------------------------ 2. collapse_linear
def layer_stack(sizes, seed, dtype=F64):
    g = gen(seed)
    ws = [torch.randn(o, i, dtype=F64, generator=g).to(dtype) for i, o in zip(sizes, sizes[1:])]
    bs = [torch.randn(o, dtype=F64, generator=g).to(dtype) for o in sizes[1:]]
    return ws, bs


def apply_stack(ws, bs, x):
    for w, b in zip(ws, bs):
        x = x @ w.T + b
    return x


def collapsed(ws, bs):
    """The map's own single layer: b = f(0), W^T = f(I) - f(0)."""
    n = ws[0].shape[1]
    b = apply_stack(ws, bs, torch.zeros(1, n, dtype=ws[0].dtype))[0]
    w = (apply_stack(ws, bs, torch.eye(n, dtype=ws[0].dtype)) - b).T
    return w, b


def collapse_mistakes(ws, bs):
    right_w, right_b = collapsed(ws, bs)
    mistakes = {
        "biases added up without passing through the later layers (each b_i must be multiplied by "
        "every W_j after it)": (right_w, sum(bs)),
    }
    if all(w.shape[0] == w.shape[1] for w in ws):
        in_list_order = ws[0]
        for w in ws[1:]:
            in_list_order = in_list_order @ w
        mistakes["weights multiplied in list order (W_1 W_2 ... W_n): the last layer's W_n comes first, "
                 "W = W_n ... W_2 W_1"] = (in_list_order, right_b)
        mistakes["W returned transposed (shape (in, out) instead of (out, in))"] = (right_w.T, right_b)
    return mistakes


COLLAPSE_HINTS = {
    "cannot be multiplied": ("weights multiplied in list order (W_1 W_2 ... W_n): non-square layers only "
                             "chain as W = W_n ... W_2 W_1"),
    "must match the size": ("biases of different layers added up directly (each b_i must be multiplied by "
                            "every W_j after it)"),
}


def collapse(student, ws, bs):
    return call_explained(student.collapse_linear, ws, bs, hints=COLLAPSE_HINTS)


@pytest.mark.exercise("collapse_linear")
def test_collapse_linear_three_non_square_layers(student):
    ws, bs = layer_stack([3, 5, 4, 2], seed=10)
    got = collapse(student, ws, bs)
    assert_close(got, collapsed(ws, bs), what="collapse_linear for layers 3 -> 5 -> 4 -> 2 (W, b)",
                 mistakes=lambda: collapse_mistakes(ws, bs))


@pytest.mark.exercise("collapse_linear")
def test_collapse_linear_square_layers(student):
    ws, bs = layer_stack([4, 4, 4], seed=11)
    got = collapse(student, ws, bs)
    assert_close(got, collapsed(ws, bs), what="collapse_linear for layers 4 -> 4 -> 4 (W, b)",
                 mistakes=lambda: collapse_mistakes(ws, bs))


@pytest.mark.exercise("collapse_linear")
def test_collapse_linear_computes_the_same_map(student):
    ws, bs = layer_stack([6, 3, 5], seed=12)
    got = collapse(student, ws, bs)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"collapse_linear must return a pair (W, b), got {type(got).__name__}")
    w, b = got
    x = torch.randn(7, 6, dtype=F64, generator=gen(13))
    if not isinstance(w, torch.Tensor) or not isinstance(b, torch.Tensor):
        fail("collapse_linear must return two tensors (W, b)")
    if w.shape != (5, 6) or b.shape != (5,):
        fail(f"collapse_linear for layers 6 -> 3 -> 5: expected W of shape (5, 6) and b of shape (5,), "
             f"got {tuple(w.shape)} and {tuple(b.shape)}")
    assert_close(x @ w.T + b, apply_stack(ws, bs, x), what="x @ W.T + b against the stacked layers on a batch of 7")


@pytest.mark.exercise("collapse_linear")
def test_collapse_linear_one_layer_and_float32(student):
    ws, bs = layer_stack([3, 2], seed=14, dtype=F32)
    assert_close(collapse(student, ws, bs), (ws[0], bs[0]), what="collapse_linear of a single float32 layer")


# ------------------------------------------------------------------ 3. MLP
class _Own(torch.autograd.Function):
    """The student's activation inside the judge's reference: values and vector-Jacobian
    products computed in the worker."""

    @staticmethod
    def forward(ctx, h, student, name):
        ctx.student, ctx.name = student, name
        ctx.save_for_backward(h)
        out = getattr(student, name)(h.detach())
        if not isinstance(out, torch.Tensor) or out.shape != h.shape:
            raise TypeError("not a tensor of the input's shape")
        return out.to(h.dtype)

    @staticmethod
    def backward(ctx, grad):
        (h,) = ctx.saved_tensors
        _, (gh,) = ctx.student.grad_call(ctx.name, h.detach(), grad_output=grad.detach())
        if gh is None:
            raise TypeError("no gradient")
        return gh.to(h.dtype), None, None


def reference_mlp(ws, bs, x, act, last_act=False):
    """act: a function of a tensor. Returns the output (built with autograd on ws, bs, x)."""
    *hidden, last = list(zip(ws, bs))
    for w, b in hidden:
        x = act(x @ w.T + b)
    out = x @ last[0].T + last[1]
    return act(out) if last_act else out


def leaves(ws, bs, x):
    return ([w.detach().clone().requires_grad_(True) for w in ws],
            [b.detach().clone().requires_grad_(True) for b in bs],
            x.detach().clone().requires_grad_(True))


def reference_run(ws, bs, x, act, g=None, last_act=False):
    """(output, [dW...], [db...], dx) of the reference MLP; grads only when g is given."""
    lw, lb, lx = leaves(ws, bs, x)
    out = reference_mlp(lw, lb, lx, act, last_act)
    if g is None:
        return out.detach()
    out.backward(g)
    return out.detach(), [w.grad for w in lw], [b.grad for b in lb], lx.grad


def own_act(student, name):
    return lambda h: _Own.apply(h, student, name)


def own_reference(student, name, *args, **kwargs):
    """The reference run with the student's own activation, or None when it cannot be computed."""
    try:
        return reference_run(*args, own_act(student, name), **kwargs)
    except (StudentError, TypeError, RuntimeError):
        return None


def mlp_weights(sizes, seed, dtype=F64):
    g = gen(seed)
    ws = [(torch.randn(o, i, dtype=F64, generator=g) / i**0.5).to(dtype) for i, o in zip(sizes, sizes[1:])]
    bs = [torch.randn(o, dtype=F64, generator=g) for o in sizes[1:]]
    bs[-1] = bs[-1] * 0.1 + 1.5 * (-1) ** torch.arange(sizes[-1])  # outputs of both signs
    return ws, [b.to(dtype) for b in bs]


def layer_count_hint(n, expected):
    if n == 2 * expected - 1:
        return " (activation modules in `layers`? it holds only the nn.Linear layers)"
    return ""


def build_mlp(student, sizes, activation, seed, dtype=F64):
    """The student's MLP with the test's own weights put in its layers (Parameters it holds)."""
    ws, bs = mlp_weights(sizes, seed, dtype)
    kwargs = {} if activation is None else {"activation": activation}
    model = student.MLP(sizes[0], list(sizes[1:-1]), sizes[-1], **kwargs)
    layers = model.layers
    if len(layers) != len(ws):
        fail(f"MLP({sizes[0]}, {list(sizes[1:-1])}, {sizes[-1]}).layers has {len(layers)} entries, expected "
             f"{len(ws)} nn.Linear layers{layer_count_hint(len(layers), len(ws))}")
    params = []
    for layer, w, b in zip(layers, ws, bs):
        pw, pb = student.new_parameter(w), student.new_parameter(b)
        layer.weight, layer.bias = pw, pb
        params += [pw, pb]
    return model, params, ws, bs


def mlp_call(sizes, activation):
    arg = "" if activation is None else f', activation="{activation}"'
    return f"MLP({sizes[0]}, {list(sizes[1:-1])}, {sizes[-1]}{arg})"


def mlp_mistakes(ws, bs, x, name, g=None):
    def run(act, last_act=False):
        res = reference_run(ws, bs, x, act, g, last_act)
        return res if g is None else (res[0], *res[1], *res[2], res[3])

    def mistakes():
        out = {"an activation after the last layer too (the output is the last Linear's, unchanged)":
               run(TORCH_ACT[name], last_act=True)}
        if name != "relu":
            out["the activation argument ignored (relu used for every choice)"] = run(torch.relu)
        return out

    return mistakes


def check_mlp(student, got, ws, bs, x, name, what, g=None):
    """got matches the reference with torch's activation, or with the student's own."""
    def flat(res):
        return res if g is None else (res[0], *res[1], *res[2], res[3])

    expected = flat(reference_run(ws, bs, x, TORCH_ACT[name], g))
    from grader.checks.numeric import compare

    if compare(got, expected) is None:
        return
    own = own_reference(student, name, ws, bs, x, g=g)
    if own is not None and compare(got, flat(own)) is None:
        return
    assert_close(got, expected, what=what, mistakes=mlp_mistakes(ws, bs, x, name, g))


@pytest.mark.exercise("MLP")
def test_mlp_layers_are_linear_in_order(student):
    model = student.MLP(5, [7, 3], 2)
    layers = model.layers
    if len(layers) != 3:
        fail(f"MLP(5, [7, 3], 2).layers has {len(layers)} entries, expected 3 nn.Linear layers"
             f"{layer_count_hint(len(layers), 3)}")
    for i, (fan_in, fan_out) in enumerate([(5, 7), (7, 3), (3, 2)]):
        layer = layers[i]
        assert_equal((layer.in_features, layer.out_features), (fan_in, fan_out),
                     what=f"MLP(5, [7, 3], 2).layers[{i}] (in_features, out_features)")
        assert_equal(tuple(layer.weight.shape), (fan_out, fan_in), what=f"layers[{i}].weight.shape")
        assert_equal(tuple(layer.bias.shape), (fan_out,), what=f"layers[{i}].bias.shape")


@pytest.mark.exercise("MLP")
def test_mlp_registers_its_layers_parameters(student):
    model = student.MLP(4, [6], 3)
    names = sorted(student.param_grads(model))  # names are free (layers may also sit in a Sequential)
    expected = sorted(f"layers.{i}.{kind}" for i in range(2) for kind in ("weight", "bias"))
    if not names:
        fail("MLP(4, [6], 3).parameters() is empty: layers kept in a plain Python list, so nn.Module "
             "does not register their parameters (an optimizer given model.parameters() would train "
             "nothing); use nn.ModuleList")
    if len(names) != len(expected):
        fail(f"MLP(4, [6], 3).named_parameters(): expected the 4 tensors {expected}, got {names}")


@pytest.mark.exercise("MLP")
@pytest.mark.parametrize("name", ACTS)
def test_mlp_forward_matches_reference(student, name):
    sizes = (5, 7, 3, 2)
    model, _, ws, bs = build_mlp(student, sizes, name, seed=20)
    x = torch.randn(4, 5, dtype=F64, generator=gen(21))
    check_mlp(student, model(x), ws, bs, x, name, f"{mlp_call(sizes, name)} on a batch of 4 (float64)")


@pytest.mark.exercise("MLP")
def test_mlp_default_activation_is_relu_batch_of_one_float32(student):
    sizes = (6, 4, 3)
    model, _, ws, bs = build_mlp(student, sizes, None, seed=22, dtype=F32)
    x = torch.randn(1, 6, generator=gen(23))
    check_mlp(student, model(x), ws, bs, x, "relu", f"{mlp_call(sizes, None)} on a batch of 1 (float32)")


@pytest.mark.exercise("MLP")
def test_mlp_without_hidden_layers_is_one_linear(student):
    sizes = (4, 3)
    model, _, ws, bs = build_mlp(student, sizes, "sigmoid", seed=24)
    x = torch.randn(5, 4, dtype=F64, generator=gen(25))
    check_mlp(student, model(x), ws, bs, x, "sigmoid", f"{mlp_call(sizes, 'sigmoid')} on a batch of 5")


@pytest.mark.exercise("MLP")
@pytest.mark.parametrize("name", ["tanh", "relu"])
def test_mlp_gradients_reach_every_layer(student, name):
    sizes = (3, 6, 4, 2)
    model, params, ws, bs = build_mlp(student, sizes, name, seed=26)
    x = torch.randn(5, 3, dtype=F64, generator=gen(27))
    g = torch.randn(5, 2, dtype=F64, generator=gen(28))
    out, (gx,) = student.grad_call(model, x, grad_output=g)
    grads = [params[i].grad for i in range(len(params))]
    got = (out, *grads[0::2], *grads[1::2], gx)
    if any(v is None for v in got):
        fail(f"{mlp_call(sizes, name)}: no gradient reached "
             f"{'x' if gx is None else 'some layer weights'} after backward (numpy or .detach() inside forward?)")
    check_mlp(student, got, ws, bs, x, name,
              f"{mlp_call(sizes, name)}: (output, dL/dW per layer, dL/db per layer, dL/dx)", g=g)


@pytest.mark.exercise("MLP")
def test_mlp_rejects_unknown_activations(student):
    for bad in ["softmax", "ReLU", "gelu"]:
        assert_raises("ValueError", student.MLP, 4, [3], 2, activation=bad)


# ------------------------------------------------------------------ 4. train_epoch
SHAPES = [("0.weight", (5, 3)), ("0.bias", (5,)), ("1.weight", (5,)), ("1.bias", (5,)),
          ("3.weight", (2, 5)), ("3.bias", (2,))]
SIZES = (4, 4, 3)  # an unequal last batch


def epoch_data(seed):
    g = gen(seed)
    x = torch.randn(sum(SIZES), 3, dtype=F64, generator=g)
    y = torch.randn(sum(SIZES), 2, dtype=F64, generator=g)
    start = {n: torch.randn(s, dtype=F64, generator=g) for n, s in SHAPES}
    start["1.weight"] = 1 + 0.3 * start["1.weight"]
    cuts = [0, 4, 8, 11]
    batches = [(x[a:b], y[a:b]) for a, b in zip(cuts, cuts[1:])]
    return start, batches, x, y


def judge_model():
    return nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.Tanh(), nn.Linear(5, 2)).double()


class Remotes:
    """The judge's model, loss and SGD in the worker, with the Parameters the test holds."""

    def __init__(self, student, start, lr, train=True, stale=None):
        mods = [student.new_object("torch.nn.Linear", 3, 5), student.new_object("torch.nn.BatchNorm1d", 5),
                student.new_object("torch.nn.Tanh"), student.new_object("torch.nn.Linear", 5, 2)]
        self.model = student.new_object("torch.nn.Sequential", *mods).double()
        self.bn = mods[1]
        self.params = {}
        for name, _ in SHAPES:
            idx, attr = name.split(".")
            p = self.params[name] = student.new_parameter(start[name])
            setattr(mods[int(idx)], attr, p)
            if stale is not None:
                p.grad = stale[name]
        if not train:
            self.model.eval()
        self.optimizer = student.new_object("torch.optim.SGD", list(self.params.values()), lr=lr)
        self.loss_fn = student.new_object("torch.nn.MSELoss")
        self.student = student

    def state(self):
        """{parameter name: value, "running_mean": BatchNorm's running mean} after the epoch."""
        out = {name: self.student.fetch(p) for name, p in self.params.items()}
        out["running_mean"] = self.bn.running_mean
        return out


def replay(start, batches, lr, train=True, zero="before_backward", stale=None):
    """The epoch in the judge: (state, [(batch mean loss, batch size)]). zero: where zero_grad
    runs ("before_backward", "after_backward", "after_step", "once", "never")."""
    model = judge_model()
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(start[name])
            if stale is not None:
                p.grad = stale[name].clone()
    model.train(train)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    if zero == "once":
        opt.zero_grad()
    losses = []
    for x, y in batches:
        if zero == "before_backward":
            opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        if zero == "after_backward":
            opt.zero_grad()
        opt.step()
        if zero == "after_step":
            opt.zero_grad()
        losses.append((loss.item(), len(x)))
    state = {name: p.detach().clone() for name, p in model.named_parameters()}
    state["running_mean"] = model[1].running_mean.clone()
    return state, losses


ACCUMULATE = "gradients accumulate over the batches: optimizer.zero_grad() missing (or called only once, before the loop)"
ZERO_AFTER_BACKWARD = ("the parameters never changed: zero_grad() between backward() and step() (or step() "
                       "before backward()) leaves every step a zero gradient")
STALE = ("a gradient from before the call reached the first step: call optimizer.zero_grad() before each "
         "backward(), not after step()")
EVAL = ("train mode not set: call model.train() at the start (the model came in eval mode, so BatchNorm "
        "used its running statistics and did not update them)")
DATASET_HINT = ("loader may be any iterable of (x, y) batches (here a list): count the samples from the "
                "batches (len(x)) rather than len(loader.dataset)")


def run_train_epoch(student, remotes, loader):
    try:
        return student.train_epoch(remotes.model, loader, remotes.optimizer, remotes.loss_fn)
    except StudentError as exc:
        if exc.raised("AttributeError") and "dataset" in str(exc):
            fail(f"{exc}\n  This is what you get with this mistake: {DATASET_HINT}.")
        raise


def state_mistakes(start, batches, lr, came_in_train_mode=True, stale=None):
    """The states that one mistake each leads to (computed only when a check fails)."""
    def mistakes():
        out = {}
        variants = [("never", ACCUMULATE), ("once", ACCUMULATE), ("after_backward", ZERO_AFTER_BACKWARD)]
        if stale is not None:
            variants.append(("after_step", STALE))
        for zero, label in variants:
            out.setdefault(label, replay(start, batches, lr, True, zero, stale)[0])
        if not came_in_train_mode:
            out[EVAL] = replay(start, batches, lr, False, "before_backward", stale)[0]
        return out

    return mistakes


@pytest.mark.exercise("train_epoch")
def test_train_epoch_returns_mean_loss_over_samples(student):
    start, batches, _, _ = epoch_data(30)
    remotes = Remotes(student, start, lr=0.0)  # no step moves anything: the losses are the start's
    got = run_train_epoch(student, remotes, batches)
    _, losses = replay(start, batches, 0.0)
    n = sum(s for _, s in losses)
    expected = sum(loss * s for loss, s in losses) / n
    means = [loss for loss, _ in losses]
    assert_close(got, expected, what="train_epoch's returned loss for batches of 4, 4 and 3 samples",
                 mistakes={"loss averaged over batches instead of samples (the last batch has 3 samples, "
                           "not 4; weight each batch mean by its size)": sum(means) / len(means),
                           "the sum of the batch losses, not their mean over samples": sum(means),
                           "summed over samples but not divided by the number of samples": expected * n,
                           "only the last batch's loss returned": means[-1]})


@pytest.mark.exercise("train_epoch")
def test_train_epoch_returns_a_python_float(student):
    start, batches, _, _ = epoch_data(31)
    got = run_train_epoch(student, Remotes(student, start, lr=0.1), batches)
    if isinstance(got, torch.Tensor):
        fail("train_epoch returned a tensor: return a Python float (accumulate loss.item(); a tensor total "
             "also keeps every batch's autograd graph alive)")
    if isinstance(got, bool) or not isinstance(got, (float, int)):
        fail(f"train_epoch must return a Python float, got {type(got).__name__}")


@pytest.mark.exercise("train_epoch")
def test_train_epoch_steps_once_per_batch_with_its_own_gradient(student):
    start, batches, _, _ = epoch_data(32)
    remotes = Remotes(student, start, lr=0.1)
    run_train_epoch(student, remotes, batches)
    assert_close(remotes.state(), replay(start, batches, 0.1)[0],
                 what="the parameters after train_epoch (SGD, lr = 0.1, 3 batches) against torch",
                 mistakes=state_mistakes(start, batches, 0.1))


@pytest.mark.exercise("train_epoch")
def test_train_epoch_clears_gradients_from_before_the_call(student):
    start, batches, _, _ = epoch_data(33)
    stale = {n: torch.full(s, 5.0, dtype=F64) for n, s in SHAPES}
    remotes = Remotes(student, start, lr=0.1, stale=stale)
    run_train_epoch(student, remotes, batches)
    assert_close(remotes.state(), replay(start, batches, 0.1)[0],
                 what="the parameters after train_epoch when every .grad held 5.0 before the call",
                 mistakes=state_mistakes(start, batches, 0.1, stale=stale))


@pytest.mark.exercise("train_epoch")
def test_train_epoch_puts_the_model_in_train_mode(student):
    start, batches, _, _ = epoch_data(34)
    remotes = Remotes(student, start, lr=0.1, train=False)
    got = run_train_epoch(student, remotes, batches)
    state, losses = replay(start, batches, 0.1)
    expected = sum(loss * s for loss, s in losses) / sum(s for _, s in losses)
    mistakes = state_mistakes(start, batches, 0.1, came_in_train_mode=False)
    assert_close(remotes.state(), state, what="the parameters and BatchNorm's running mean after train_epoch "
                 "on a model handed over in eval mode", mistakes=mistakes)
    assert_close(got, expected, what="train_epoch's returned loss on a model handed over in eval mode")


@pytest.mark.exercise("train_epoch")
def test_train_epoch_accepts_a_dataloader(student):
    start, _, x, y = epoch_data(35)
    remotes = Remotes(student, start, lr=0.1)
    dataset = student.new_object("torch.utils.data.TensorDataset", x, y)
    loader = student.new_object("torch.utils.data.DataLoader", dataset, batch_size=4)
    got = run_train_epoch(student, remotes, loader)
    state, losses = replay(start, [(x[a:a + 4], y[a:a + 4]) for a in (0, 4, 8)], 0.1)
    expected = sum(loss * s for loss, s in losses) / sum(s for _, s in losses)
    assert_close(got, expected, what="train_epoch's returned loss with a DataLoader (batch_size=4, 11 samples)")
    assert_close(remotes.state(), state, what="the parameters after train_epoch with a DataLoader")


# ------------------------------------------------------------------ 5. accuracy
def logits_with(targets, right, classes, seed, dtype=F64):
    """Logits whose argmax equals targets exactly where `right` is True (no ties)."""
    g = gen(seed)
    n = len(targets)
    z = torch.rand(n, classes, dtype=F64, generator=g)
    wrong = (targets + 1 + torch.randint(0, classes - 1, (n,), generator=g)) % classes
    winner = torch.where(torch.tensor(right), targets, wrong)
    z[torch.arange(n), winner] = 2.0 + torch.rand(n, dtype=F64, generator=g)
    return z.to(dtype)


def accuracy_mistakes(logits, targets, value):
    out = {}
    try:  # a (C,) argmax against (N,) targets only compares when the shapes broadcast
        out[DIM0] = (logits.argmax(dim=0) == targets).double().mean().item()
    except RuntimeError:
        pass
    out["a percentage (x 100) instead of a fraction"] = 100 * value
    out["the number of correct rows instead of the fraction"] = round(value * len(targets))
    if len(targets) > 1:
        out["the error rate (1 - accuracy) instead of the accuracy"] = 1 - value
    return out


def check_accuracy(student, logits, targets, what):
    expected = (logits.argmax(dim=1) == targets).double().mean().item()
    # a 0-d tensor counts here; the type has its own test
    got = call_explained(student.accuracy, logits, targets, hints={"must match the size": DIM0})
    assert_close(got, expected, what=what, mistakes=accuracy_mistakes(logits, targets, expected))


@pytest.mark.exercise("accuracy")
def test_accuracy_of_six_rows_four_classes(student):
    targets = torch.tensor([0, 3, 1, 2, 3, 0])
    logits = logits_with(targets, [True, False, True, True, False, True], 4, seed=40)
    check_accuracy(student, logits, targets, "accuracy of 6 rows over 4 classes (4 right)")


@pytest.mark.exercise("accuracy")
def test_accuracy_square_logits_float32(student):
    targets = torch.tensor([2, 0, 1, 1])
    logits = logits_with(targets, [True, True, False, True], 4, seed=41, dtype=F32)
    check_accuracy(student, logits, targets, "accuracy of 4 rows over 4 classes (float32, 3 right)")


@pytest.mark.exercise("accuracy")
def test_accuracy_of_a_single_row(student):
    targets = torch.tensor([1])
    check_accuracy(student, logits_with(targets, [True], 3, seed=42), targets, "accuracy of one right row")
    check_accuracy(student, logits_with(targets, [False], 3, seed=43), targets, "accuracy of one wrong row")


@pytest.mark.exercise("accuracy")
def test_accuracy_returns_a_python_float(student):
    targets = torch.tensor([0, 1, 1])
    got = call_explained(student.accuracy, logits_with(targets, [True, True, False], 2, seed=44), targets,
                         hints={"must match the size": DIM0})
    if not isinstance(got, float):
        fail(f"accuracy must return a Python float, got {type(got).__name__}"
             + (" (use .item())" if isinstance(got, torch.Tensor) else ""))
