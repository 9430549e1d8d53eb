"""Grading suite for the modern_cnn topic.

Oracles: reference blocks built here from torch.nn layers with the catalog's layout and random
weights (BatchNorm affine parameters and running statistics included); the student's block gets
the same weights through load_state_dict under the catalog's attribute names, after its layout
(parameter and buffer names and shapes) has been compared with the reference's, so a wrong
layout is named instead of failing the load. Outputs and gradients are compared in float64, in
training mode and in eval mode; inputs are non-square with odd sizes where pooling floors.
count_parameters gets models built in the worker from a description (shared layers, tied
weights, frozen layers, BatchNorm buffers); receptive_field is checked against the recurrence.
"""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, fail
from grader.errors import StudentError

F64 = torch.float64


def _randn(*shape, seed, dtype=F64):
    return torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _differs(value, right):
    return value.shape != right.shape or not torch.allclose(value, right, rtol=1e-6, atol=1e-6)


def _only_differing(right, mistakes):
    return {k: v for k, v in mistakes.items() if _differs(v, right)}


def _check_int(got, expected, what, mistakes=None):
    if not isinstance(got, int) or isinstance(got, bool):
        fail(f"{what}: expected the int {expected}, got {type(got).__name__} {got!r}")
    assert_equal(got, expected, what=what, mistakes={k: v for k, v in (mistakes or {}).items() if v != expected})


# ------------------------------------------------------------------ receptive_field
def _rf_mistakes(ks, ss):
    def field(jumps):
        return 1 + sum((k - 1) * j for k, j in zip(ks, jumps))
    prefix, inclusive = [], []
    jump = 1
    for s in ss:
        prefix.append(jump)
        jump *= s
        inclusive.append(jump)
    return {"strides ignored (1 + sum of (k - 1))": field([1] * len(ks)),
            "strides not accumulated (only the previous layer's stride used, not the product of all earlier ones)":
                field([1] + list(ss[:-1])),
            "the layer's own stride included in the product (strides of layers 0..l instead of 0..l-1)": field(inclusive),
            "kernel sizes summed (k instead of k - 1 per layer)": 1 + sum(k * j for k, j in zip(ks, prefix)) - 1,
            "strides added instead of multiplied": field([1 + sum(s - 1 for s in ss[:i]) for i in range(len(ss))])}


def _rf(ks, ss):
    field, jump = 1, 1
    for k, s in zip(ks, ss):
        field, jump = field + (k - 1) * jump, jump * s
    return field


@pytest.mark.exercise("receptive_field")
def test_receptive_field_stride_one_stacks(student):
    for ks in ([3, 3, 3], [5], [3, 5, 1, 7]):
        ss = [1] * len(ks)
        _check_int(student.receptive_field(ks, ss), _rf(ks, ss), what=f"receptive_field({ks}, {ss})",
                   mistakes=_rf_mistakes(ks, ss))


@pytest.mark.exercise("receptive_field", weight=2)
def test_receptive_field_accumulates_strides(student):
    cases = [([7, 3, 3], [2, 2, 1]), ([3, 2, 3, 2, 3], [1, 2, 1, 2, 1]), ([3, 3, 3, 3], [2, 3, 1, 2]),
             ([11, 3, 5, 3, 3, 3, 3, 3], [4, 2, 1, 2, 1, 1, 1, 2])]  # the last: AlexNet's convs and pools
    for ks, ss in cases:
        _check_int(student.receptive_field(ks, ss), _rf(ks, ss), what=f"receptive_field({ks}, {ss})",
                   mistakes=_rf_mistakes(ks, ss))


@pytest.mark.exercise("receptive_field")
def test_receptive_field_takes_tuples(student):
    ks, ss = (3, 3, 2, 3), (1, 1, 2, 1)
    _check_int(student.receptive_field(ks, ss), _rf(ks, ss), what=f"receptive_field({ks}, {ss})",
               mistakes=_rf_mistakes(ks, ss))


# ------------------------------------------------------------------ count_parameters
def _layers_count(specs, shared_once=True):
    total = 0
    for name, args, kwargs in specs:
        total += sum(p.numel() for p in getattr(nn, name)(*args, **kwargs).parameters())
    return total


CNN = [("Conv2d", [3, 8, 3], {}), ("BatchNorm2d", [8], {}), ("ReLU", [], {}), ("MaxPool2d", [2], {}),
       ("Conv2d", [8, 16, (3, 5)], {"bias": False}), ("Flatten", [], {}), ("Linear", [64, 10], {})]


@pytest.mark.exercise("count_parameters", weight=2)
def test_count_parameters_of_a_small_cnn(student):
    model = student.new_module(CNN)
    expected = _layers_count(CNN)
    bn_buffers = 8 + 8 + 1  # running_mean, running_var, num_batches_tracked
    weights = 3 * 8 * 9 + 8 + 8 * 16 * 15 + 64 * 10
    _check_int(student.count_parameters(model), expected, what="count_parameters(Conv2d, BatchNorm2d, ReLU, "
               "MaxPool2d, Conv2d without bias, Flatten, Linear)",
               mistakes={"buffers counted (state_dict() also holds BatchNorm's running statistics)": expected + bn_buffers,
                         "only weights counted (biases and BatchNorm's affine parameters left out)": weights,
                         "tensors counted instead of their entries (numel)": 7})
    _check_int(student.count_parameters(model, trainable_only=False), expected,
               what="count_parameters(the same model, trainable_only=False)")


@pytest.mark.exercise("count_parameters")
def test_count_parameters_trainable_only(student):
    specs = [("Linear", [5, 7], {}), ("ReLU", [], {}), ("Linear", [7, 3], {})]
    model = student.new_module(specs, freeze=[0])
    frozen, rest = 5 * 7 + 7, 7 * 3 + 3
    _check_int(student.count_parameters(model), rest, what="count_parameters(model with its first Linear frozen)",
               mistakes={"trainable_only ignored (frozen parameters counted)": frozen + rest,
                         "trainable_only read the wrong way round (only frozen parameters counted)": frozen})
    _check_int(student.count_parameters(model, trainable_only=False), frozen + rest,
               what="count_parameters(model with its first Linear frozen, trainable_only=False)",
               mistakes={"frozen parameters left out although trainable_only=False": rest})


@pytest.mark.exercise("count_parameters")
def test_count_parameters_counts_shared_parameters_once(student):
    # the same Linear used twice, and a second Linear whose weight is the first one's (tied)
    specs = [("Linear", [6, 6], {}), ("ReLU", [], {}), ("Linear", [6, 6], {})]
    model = student.new_module(specs, order=[0, 1, 0, 2], tie=[((0, "weight"), (2, "weight"))])
    once = 36 + 6 + 6  # the shared weight, the first bias, the second bias
    _check_int(student.count_parameters(model), once,
               what="count_parameters(Sequential(lin, ReLU, lin, lin2) with lin2.weight = lin.weight)",
               mistakes={"a shared parameter counted twice (model.parameters() yields it once)": once + 36,
                         "a shared layer and a tied weight counted every time they appear": 2 * (36 + 6) + 36 + 6})


# ------------------------------------------------------------------ loading reference weights
def _randomize(module, seed):
    """Random weights, BatchNorm affine parameters and running statistics (float64)."""
    gen = torch.Generator().manual_seed(seed)
    module.double()
    with torch.no_grad():
        for name, t in list(module.named_parameters()) + list(module.named_buffers()):
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_var") or (name.endswith("weight") and t.dim() == 1):
                t.copy_(0.5 + torch.rand(t.shape, dtype=F64, generator=gen))
            else:
                fan_in = t[0].numel() if t.dim() > 1 else 1
                t.copy_(torch.randn(t.shape, dtype=F64, generator=gen) / fan_in ** 0.5)
    return module


def _layout(state):
    return {k: tuple(v.shape) for k, v in state.items() if not k.endswith("num_batches_tracked")}


def _load(student, mod, ref, what, hints=()):
    """Give the student's module ref's weights; fail naming the difference when layouts differ.

    hints: (predicate(missing, unexpected, wrong_shape), mistake) pairs tried in order.
    """
    mod = mod.double()
    got_state = mod.state_dict()
    got, want = _layout(got_state), _layout(ref.state_dict())
    if got != want:
        missing = sorted(set(want) - set(got))
        unexpected = sorted(set(got) - set(want))
        shapes = sorted(k for k in set(got) & set(want) if got[k] != want[k])
        if not got:
            named = ("no parameters registered: layers kept in a plain Python list (or dict) are invisible to "
                     "parameters() and state_dict(); use nn.ModuleList / nn.Sequential attributes")
        else:
            named = next((m for test, m in hints if test(missing, unexpected, shapes)), None)
        detail = "; ".join(filter(None, [
            f"missing {', '.join(missing[:6])}" if missing else "",
            f"unexpected {', '.join(unexpected[:6])}" if unexpected else "",
            ", ".join(f"{k} has shape {got[k]}, expected {want[k]}" for k in shapes[:4])]))
        fail(f"{what}: its parameters and buffers do not have the catalog's names and shapes ({detail})"
             + (f"\n  This is what you get with this mistake: {named}." if named else ""))
    mod.load_state_dict({k: v for k, v in ref.state_dict().items() if k in got_state}, strict=False)
    return mod


def _forward(mod, x, what):
    try:
        return mod(x)
    except StudentError as exc:
        if "must match except in dimension" in str(exc):
            fail(f"{what}: {exc}\n  This is what you get with this mistake: concatenation on the wrong dim "
                 "(the branches and features differ only in their channels, dim 1).")
        raise


def _check_grads(student, mod, ref, x, what):
    g = _randn(*ref(x).shape, seed=999)
    out, (gx,) = student.grad_call(mod, x, grad_output=g)
    leaf = x.clone().requires_grad_(True)
    expected = ref(leaf)
    expected.backward(g)
    assert_close(out, expected.detach(), what=f"{what}: output")
    if gx is None:
        fail(f"{what}: no gradient reached the input (numpy, .detach() or .data break the autograd graph)")
    assert_close(gx, leaf.grad, what=f"{what}: gradient w.r.t. the input")
    grads = student.param_grads(mod)
    for name, p in ref.named_parameters():
        if grads.get(name) is None:
            fail(f"{what}: no gradient reached {name}")
        assert_close(grads[name], p.grad, what=f"{what}: gradient w.r.t. {name}")


# ------------------------------------------------------------------ VGGBlock
class _VGGRef(nn.Module):
    def __init__(self, cin, cout, n, seed):
        super().__init__()
        ch = [cin] + [cout] * n
        self.convs = nn.ModuleList(nn.Conv2d(a, b, 3, padding=1) for a, b in zip(ch, ch[1:]))
        _randomize(self, seed)

    def forward(self, x, pool_each=False, relu_last=True, pool=F.max_pool2d):
        for i, conv in enumerate(self.convs):
            x = conv(x)
            if relu_last or i < len(self.convs) - 1:
                x = F.relu(x)
            if pool_each and i < len(self.convs) - 1:
                x = pool(x, 2)
        return pool(x, 2)


def _vgg(student, cin, cout, n, seed):
    ref = _VGGRef(cin, cout, n, seed)
    mod = _load(student, student.VGGBlock(cin, cout, n), ref, what=f"VGGBlock({cin}, {cout}, {n})")
    return ref, mod


def _check_vgg(student, cin, cout, n, x, seed):
    ref, mod = _vgg(student, cin, cout, n, seed)
    expected = ref(x).detach()
    what = f"VGGBlock({cin}, {cout}, {n}) on x {tuple(x.shape)}"
    assert_close(_forward(mod, x, what), expected, what=what, mistakes=lambda: _only_differing(expected, {
        "max pool after every conv (VGG pools once, after the last conv)": ref(x, pool_each=True).detach(),
        "no ReLU after the last conv": ref(x, relu_last=False).detach(),
        "average pooling instead of max pooling": ref(x, pool=F.avg_pool2d).detach()}))


@pytest.mark.exercise("VGGBlock")
def test_vgg_block_layout(student):
    mod = student.VGGBlock(3, 5, 2)
    _load(student, mod, _VGGRef(3, 5, 2, seed=1), what="VGGBlock(3, 5, 2)")
    assert_equal(len(mod.convs), 2, what="len(VGGBlock(3, 5, 2).convs)")


@pytest.mark.exercise("VGGBlock", weight=2)
def test_vgg_block_matches_torch(student):
    _check_vgg(student, 3, 5, 2, _randn(2, 3, 9, 10, seed=2), seed=3)


@pytest.mark.exercise("VGGBlock")
def test_vgg_block_one_and_three_convs(student):
    _check_vgg(student, 4, 2, 1, _randn(1, 4, 8, 6, seed=4), seed=5)
    _check_vgg(student, 2, 3, 3, _randn(2, 2, 7, 7, seed=6), seed=7)


@pytest.mark.exercise("VGGBlock")
def test_vgg_block_gradients(student):
    ref, mod = _vgg(student, 2, 4, 2, seed=8)
    _check_grads(student, mod, ref, _randn(2, 2, 6, 5, seed=9), what="VGGBlock(2, 4, 2)")


# ------------------------------------------------------------------ InceptionBlock
class _InceptionRef(nn.Module):
    def __init__(self, cin, c1, c2, c3, c4, seed):
        super().__init__()
        self.b1 = nn.Conv2d(cin, c1, 1)
        self.b2_reduce, self.b2 = nn.Conv2d(cin, c2[0], 1), nn.Conv2d(c2[0], c2[1], 3, padding=1)
        self.b3_reduce, self.b3 = nn.Conv2d(cin, c3[0], 1), nn.Conv2d(c3[0], c3[1], 5, padding=2)
        self.b4 = nn.Conv2d(cin, c4, 1)
        _randomize(self, seed)

    def branches(self, x, reduce_relu=True):
        r = F.relu if reduce_relu else (lambda t: t)
        return [F.relu(self.b1(x)), F.relu(self.b2(r(self.b2_reduce(x)))), F.relu(self.b3(r(self.b3_reduce(x)))),
                F.relu(self.b4(F.max_pool2d(x, 3, stride=1, padding=1)))]

    def forward(self, x):
        return torch.cat(self.branches(x), dim=1)


def _inception_mistakes(ref, x):
    b = [t.detach() for t in ref.branches(x)]
    return {"branches concatenated in another order (the catalog's order is 1, 2, 3, 4)": torch.cat(b[::-1], 1),
            "branches 2 and 3 swapped in the concatenation": torch.cat([b[0], b[2], b[1], b[3]], 1),
            "no ReLU after the 1x1 reduce convs": torch.cat(ref.branches(x, reduce_relu=False), 1).detach(),
            "branch 4 without its 3x3 max pool": torch.cat(b[:3] + [F.relu(ref.b4(x)).detach()], 1)}


def _check_inception(student, args, x, seed):
    ref = _InceptionRef(*args, seed=seed)
    what = f"InceptionBlock{args}"
    mod = _load(student, student.InceptionBlock(*args), ref, what=what, hints=[
        (lambda m, u, s: any(k.endswith(".bias") for k in m), "convs without bias (nn.Conv2d's default bias=True)")])
    expected = ref(x).detach()
    got = _forward(mod, x, f"{what} on x {tuple(x.shape)}")
    n, c, h, w = expected.shape
    if isinstance(got, torch.Tensor) and tuple(got.shape) != (n, c, h, w):
        k = len(args) - 1
        shape = tuple(got.shape)
        wrong = {(n * k, c // k, h, w): 0, (n, c // k, h * k, w): 2, (n, c // k, h, w * k): 3}.get(shape)
        if wrong is not None:
            fail(f"{what} on x {tuple(x.shape)}: expected shape {(n, c, h, w)}, got {shape}\n  This is what you get "
                 f"with this mistake: concatenation on the wrong dim ({wrong} instead of 1, the channels).")
    assert_close(got, expected, what=f"{what} on x {tuple(x.shape)}",
                 mistakes=lambda: _only_differing(expected, _inception_mistakes(ref, x)))
    return ref, mod


@pytest.mark.exercise("InceptionBlock")
def test_inception_block_layout(student):
    _load(student, student.InceptionBlock(5, 3, (4, 6), (2, 5), 7), _InceptionRef(5, 3, (4, 6), (2, 5), 7, seed=10),
          what="InceptionBlock(5, 3, (4, 6), (2, 5), 7)")


@pytest.mark.exercise("InceptionBlock", weight=2)
def test_inception_block_matches_torch(student):
    _check_inception(student, (5, 3, (4, 6), (2, 5), 7), _randn(2, 5, 7, 9, seed=11), seed=12)


@pytest.mark.exercise("InceptionBlock")
def test_inception_block_concatenates_channels(student):
    # every branch has 4 channels: a concatenation along another dim runs without an error
    _check_inception(student, (3, 4, (3, 4), (2, 4), 4), _randn(2, 3, 6, 5, seed=13), seed=14)


@pytest.mark.exercise("InceptionBlock")
def test_inception_block_gradients(student):
    ref = _InceptionRef(3, 2, (2, 3), (1, 2), 2, seed=15)
    mod = _load(student, student.InceptionBlock(3, 2, (2, 3), (1, 2), 2), ref, what="InceptionBlock(3, 2, (2, 3), (1, 2), 2)")
    _check_grads(student, mod, ref, _randn(1, 3, 5, 6, seed=16), what="InceptionBlock(3, 2, (2, 3), (1, 2), 2)")


# ------------------------------------------------------------------ ResidualBlock
class _ResidualRef(nn.Module):
    def __init__(self, cin, cout, stride, seed):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
                         if stride != 1 or cin != cout else nn.Identity())
        _randomize(self, seed)

    def parts(self, x):
        return self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))), self.shortcut(x)

    def forward(self, x):
        main, short = self.parts(x)
        return F.relu(main + short)


def _residual_mistakes(ref, x):
    state = {k: v.clone() for k, v in ref.state_dict().items()}
    main, short = (t.detach() for t in ref.parts(x))
    ref.load_state_dict(state)  # parts() in training mode moved the running statistics
    return {"ReLU before the residual addition (relu(bn2(...)) + shortcut(x))": F.relu(main) + short,
            "no ReLU after the addition": main + short,
            "shortcut not added": F.relu(main),
            "ReLU both before and after the addition": F.relu(F.relu(main) + short)}


RESIDUAL_HINTS = [
    (lambda m, u, s: any(k.startswith("shortcut.") for k in m),
     "no projection shortcut when the shape changes (stride != 1 or the channels change: x cannot be added "
     "to the main path without a 1x1 conv and BatchNorm)"),
    (lambda m, u, s: any(k.startswith("shortcut.") for k in u),
     "projection shortcut although the shape does not change (the catalog uses nn.Identity() then)"),
    (lambda m, u, s: any(k.endswith(".bias") and ("conv" in k or k.startswith("shortcut.0")) for k in u),
     "convs with a bias (the catalog's convs have bias=False: the BatchNorm after them has its own shift)"),
]


def _residual(student, cin, cout, stride, seed):
    ref = _ResidualRef(cin, cout, stride, seed)
    what = f"ResidualBlock({cin}, {cout}, stride={stride})"
    return ref, _load(student, student.ResidualBlock(cin, cout, stride), ref, what=what, hints=RESIDUAL_HINTS), what


def _check_residual(student, cin, cout, stride, x, seed, train):
    ref, mod, what = _residual(student, cin, cout, stride, seed)
    if not train:
        ref.eval()
        mod.eval()
    what = f"{what} in {'training' if train else 'eval'} mode on x {tuple(x.shape)}"
    mistakes = _residual_mistakes(ref, x)
    expected = ref(x).detach()
    assert_close(_forward(mod, x, what), expected, what=what, mistakes=lambda: _only_differing(expected, mistakes))


@pytest.mark.exercise("ResidualBlock")
def test_residual_block_layout(student):
    for cin, cout, stride in [(4, 4, 1), (3, 6, 2), (4, 8, 1), (4, 4, 2)]:
        _residual(student, cin, cout, stride, seed=20)


@pytest.mark.exercise("ResidualBlock")
def test_residual_block_identity_shortcut(student):
    x = _randn(2, 4, 6, 5, seed=21)
    _check_residual(student, 4, 4, 1, x, seed=22, train=True)
    _check_residual(student, 4, 4, 1, x, seed=23, train=False)


@pytest.mark.exercise("ResidualBlock", weight=2)
def test_residual_block_projection_with_stride_2(student):
    x = _randn(2, 3, 9, 8, seed=24)  # -> (2, 6, 5, 4)
    _check_residual(student, 3, 6, 2, x, seed=25, train=True)
    _check_residual(student, 3, 6, 2, x, seed=26, train=False)


@pytest.mark.exercise("ResidualBlock")
def test_residual_block_projection_when_only_channels_change(student):
    _check_residual(student, 4, 8, 1, _randn(1, 4, 5, 7, seed=27), seed=28, train=False)


@pytest.mark.exercise("ResidualBlock")
def test_residual_block_projection_when_only_the_stride_changes(student):
    _check_residual(student, 4, 4, 2, _randn(2, 4, 7, 6, seed=29), seed=30, train=True)


@pytest.mark.exercise("ResidualBlock")
def test_residual_block_gradients(student):
    ref, mod, what = _residual(student, 3, 5, 2, seed=31)
    _check_grads(student, mod, ref, _randn(2, 3, 7, 6, seed=32), what=what)


# ------------------------------------------------------------------ DenseBlock
class _DenseRef(nn.Module):
    def __init__(self, cin, k, n, seed):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(cin + i * k), nn.ReLU(), nn.Conv2d(cin + i * k, k, 3, padding=1, bias=False))
            for i in range(n))
        _randomize(self, seed)

    def features(self, x):
        feats = [x]
        for layer in self.layers:
            feats.append(layer(torch.cat(feats, 1)))
        return feats

    def forward(self, x):
        return torch.cat(self.features(x), 1)


DENSE_HINTS = [
    (lambda m, u, s: any(k.endswith("2.weight") for k in s),
     "layer i sees only the previous layer's output (DenseNet feeds it the input and every earlier output)"),
    (lambda m, u, s: any(k.endswith(".bias") for k in u), "convs with a bias (the catalog's convs have bias=False)"),
]


def _check_dense(student, cin, k, n, x, seed, train):
    ref = _DenseRef(cin, k, n, seed)
    what = f"DenseBlock({cin}, {k}, {n})"
    mod = _load(student, student.DenseBlock(cin, k, n), ref, what=what, hints=DENSE_HINTS)
    if not train:
        ref.eval()
        mod.eval()
    what = f"{what} in {'training' if train else 'eval'} mode on x {tuple(x.shape)}"
    state = {key: v.clone() for key, v in ref.state_dict().items()}
    feats = [f.detach() for f in ref.features(x)]
    ref.load_state_dict(state)
    expected = ref(x).detach()
    got = _forward(mod, x, what)
    if isinstance(got, torch.Tensor) and got.dim() == 4 and got.shape[1] != expected.shape[1]:
        named = {n * k: "the input left out of the output (the block returns the input and every layer's output)",
                 k: "only the last layer's output returned"}.get(got.shape[1])
        if named:
            fail(f"{what}: expected {expected.shape[1]} channels, got {got.shape[1]}\n  This is what you get "
                 f"with this mistake: {named}.")
    assert_close(got, expected, what=what, mistakes=lambda: _only_differing(expected, {
        "the input put last in the concatenation (input first, then the layers' outputs)": torch.cat(feats[1:] + feats[:1], 1),
        "the layers' outputs concatenated newest first": torch.cat(feats[:1] + feats[1:][::-1], 1)}))
    return ref, mod


@pytest.mark.exercise("DenseBlock")
def test_dense_block_layout(student):
    ref = _DenseRef(3, 4, 3, seed=40)
    _load(student, student.DenseBlock(3, 4, 3), ref, what="DenseBlock(3, 4, 3)", hints=DENSE_HINTS)


@pytest.mark.exercise("DenseBlock", weight=2)
def test_dense_block_matches_torch_in_training_mode(student):
    _check_dense(student, 3, 4, 3, _randn(2, 3, 6, 7, seed=41), seed=42, train=True)


@pytest.mark.exercise("DenseBlock")
def test_dense_block_matches_torch_in_eval_mode(student):
    _check_dense(student, 5, 2, 4, _randn(3, 5, 4, 6, seed=43), seed=44, train=False)


@pytest.mark.exercise("DenseBlock")
def test_dense_block_gradients(student):
    ref = _DenseRef(2, 3, 2, seed=45)
    mod = _load(student, student.DenseBlock(2, 3, 2), ref, what="DenseBlock(2, 3, 2)", hints=DENSE_HINTS)
    _check_grads(student, mod, ref, _randn(2, 2, 5, 4, seed=46), what="DenseBlock(2, 3, 2)")
