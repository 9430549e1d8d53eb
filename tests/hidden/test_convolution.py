"""Grading suite for the convolution topic.

Oracles: F.conv2d and F.max_pool2d (values and autograd gradients), nn.Conv2d (parameter
counts) and the catalog's formulas. Inputs are non-square everywhere (H != W, kh != kw,
stride and padding pairs with different entries) so that an implementation that mixes up
the two axes cannot pass; gradient checks run in float64.
"""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, assert_raises, fail

F64 = torch.float64


def _randn(*shape, seed, dtype=F64):
    return torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _distinct(*shape, seed):
    """Values that are all different (no ties in a max), half of them negative."""
    n = torch.Size(shape).numel()
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    return ((perm.to(F64) - n / 2) / 7).reshape(shape)


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _differs(value, right):
    return value.shape != right.shape or not torch.allclose(value, right, rtol=1e-6, atol=1e-6)


def _nn_count(i, o, k, bias=True, groups=1):
    return sum(p.numel() for p in nn.Conv2d(i, o, k, bias=bias, groups=groups).parameters())


def _check_int(got, expected, what, mistakes=None):
    """An exact int; a float (even a whole one) is the sign of / where // belongs."""
    if isinstance(got, float):
        fail(f"{what}: expected the int {expected}, got the float {got!r}: "
             "float division (/ instead of //); sizes and counts are ints",
             mistake="float division (/ instead of //)")
    mistakes = {k: v for k, v in (mistakes or {}).items() if v != expected}
    assert_equal(got, expected, what=what, mistakes=mistakes)


# ------------------------------------------------------------------ conv2d_output_size
def _size_mistakes(i, k, s, p, d):
    num = i + 2 * p - d * (k - 1) - 1
    return {
        "missing +1 in the output size": num // s,
        "float division: / instead of // (the size must be floored)": num / s + 1,
        "rounded up instead of floored": -(-num // s) + 1,
        "dilation ignored": (i + 2 * p - k) // s + 1,
        "padding added on one side only (p instead of 2p)": (i + p - d * (k - 1) - 1) // s + 1,
    }


@pytest.mark.exercise("conv2d_output_size")
def test_output_size_matches_formula(student):
    for case in [(7, 3, 1, 0, 1), (5, 3, 1, 1, 1), (10, 4, 3, 0, 1), (12, 3, 1, 0, 2), (1, 1, 1, 0, 1)]:
        i, k, s, p, d = case
        got = student.conv2d_output_size(i, k, stride=s, padding=p, dilation=d)
        _check_int(got, (i + 2 * p - d * (k - 1) - 1) // s + 1,
                   what=f"conv2d_output_size({i}, {k}, stride={s}, padding={p}, dilation={d})",
                   mistakes=_size_mistakes(*case))


@pytest.mark.exercise("conv2d_output_size")
def test_output_size_floors_when_stride_does_not_divide(student):
    for case in [(8, 3, 2, 0, 1), (10, 3, 4, 1, 1), (7, 2, 3, 0, 1), (13, 3, 3, 1, 2)]:
        i, k, s, p, d = case
        got = student.conv2d_output_size(i, k, s, p, d)  # positional, as in the signature
        _check_int(got, (i + 2 * p - d * (k - 1) - 1) // s + 1,
                   what=f"conv2d_output_size({i}, {k}, {s}, {p}, {d})", mistakes=_size_mistakes(*case))


@pytest.mark.exercise("conv2d_output_size")
def test_output_size_raises_when_not_positive(student):
    # (2, 4, 3): floor(-2 / 3) + 1 = 0, but int(-2 / 3) + 1 = 1 (int() truncates toward zero)
    for args in [(2, 5), (3, 3, 1, 0, 2), (2, 4, 3), (1, 4, 1, 1)]:
        assert_raises("ValueError", student.conv2d_output_size, *args)


# ------------------------------------------------------------------ conv2d_num_params
def _count_mistakes(i, o, k, bias, groups):
    kh, kw = _pair(k)
    b = o if bias else 0
    return {
        "groups ignored in the parameter count": o * i * kh * kw + b,
        "divided by groups twice (in/groups * out/groups)": (o // groups) * (i // groups) * kh * kw + b,
        "bias left out": o * (i // groups) * kh * kw,
        "bias counted although bias=False": o * (i // groups) * kh * kw + o,
        "kernel pair: only its first entry used (kh * kh)": o * (i // groups) * kh * kh + b,
    }


@pytest.mark.exercise("conv2d_num_params")
def test_num_params_matches_nn_conv2d(student):
    for i, o, k, bias in [(3, 8, 3, True), (3, 8, (3, 5), True), (16, 4, 1, False), (6, 10, (1, 7), False)]:
        got = student.conv2d_num_params(i, o, k, bias=bias)
        _check_int(got, _nn_count(i, o, k, bias), what=f"conv2d_num_params({i}, {o}, {k!r}, bias={bias})",
                   mistakes=_count_mistakes(i, o, k, bias, 1))


@pytest.mark.exercise("conv2d_num_params")
def test_num_params_with_groups(student):
    for i, o, k, bias, groups in [(4, 6, 3, True, 2), (6, 9, (3, 2), False, 3), (8, 8, 3, True, 8)]:
        got = student.conv2d_num_params(i, o, k, bias=bias, groups=groups)
        _check_int(got, _nn_count(i, o, k, bias, groups),
                   what=f"conv2d_num_params({i}, {o}, {k!r}, bias={bias}, groups={groups})",
                   mistakes=_count_mistakes(i, o, k, bias, groups))


@pytest.mark.exercise("conv2d_num_params")
def test_num_params_raises_when_channels_not_divisible_by_groups(student):
    assert_raises("ValueError", student.conv2d_num_params, 4, 6, 3, groups=4)  # out % groups
    assert_raises("ValueError", student.conv2d_num_params, 5, 6, 3, groups=2)  # in % groups


# ------------------------------------------------------------------ conv2d
def _conv_mistakes(x, w, b, stride, padding):
    """What each known misconception returns for these inputs (only those that differ)."""
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n, c, o, kh, kw = x.shape[0], x.shape[1], w.shape[0], w.shape[2], w.shape[3]
    right = F.conv2d(x, w, b, (sh, sw), (ph, pw))
    plain = F.conv2d(x, w, None, (sh, sw), (ph, pw))
    oh, ow = right.shape[-2:]

    def conv(xx=x, ww=w, bb=b, s=(sh, sw), p=(ph, pw)):
        return F.conv2d(xx, ww, bb, s, p)

    def padded(left, right_, top, bottom):
        return conv(xx=F.pad(x, (left, right_, top, bottom)), p=0)

    side = "padding on one side only"
    axis = "stride applied on one axis only"
    swap = "H and W swapped"
    m = {
        "kernel flipped: a true convolution, but F.conv2d is a cross-correlation": conv(ww=w.flip(-2, -1)),
        f"{side} (top and left)": padded(pw, 0, ph, 0),
        f"{side} (bottom and right)": padded(0, pw, 0, ph),
        f"{side} (2p at the top and left)": padded(2 * pw, 0, 2 * ph, 0),
        f"{side} (2p at the bottom and right)": padded(0, 2 * pw, 0, 2 * ph),
        "padding applied to the width only": padded(pw, pw, 0, 0),
        "padding applied to the height only": padded(0, 0, ph, ph),
        f"{axis} (height; width stride 1)": conv(s=(sh, 1)),
        f"{axis} (width; height stride 1)": conv(s=(1, sw)),
        f"{axis} (the height stride used for both)": conv(s=(sh, sh)),
        f"{axis} (the width stride used for both)": conv(s=(sw, sw)),
        f"{swap}: stride and padding pairs read as (width, height)": conv(s=(sw, sh), p=(pw, ph)),
        f"{swap}: stride pair read as (width, height)": conv(s=(sw, sh)),
        f"{swap}: padding pair read as (width, height)": conv(p=(pw, ph)),
        f"{swap}: output transposed": right.transpose(-2, -1),
        f"{swap}: output reshaped to (width, height)": right.reshape(n, o, ow, oh),
    }
    if b is not None:
        m["bias ignored"] = plain
        m["bias added at every kernel tap (C * kh * kw times)"] = plain + (c * kh * kw * b).reshape(1, o, 1, 1)
        if ow == o:
            m["bias per pixel: added along the last axis instead of per output channel"] = plain + b
        if oh * ow == o:
            m["bias per pixel: added per output position instead of per output channel"] = (
                plain.flatten(2) + b).reshape(right.shape)
    return right, {k: v for k, v in m.items() if _differs(v, right)}


def _check_conv(student, x, w, b=None, stride=1, padding=0):
    expected = F.conv2d(x, w, b, _pair(stride), _pair(padding))
    got = student.conv2d(x, w, b, stride=stride, padding=padding)
    shapes = f"x {tuple(x.shape)}, weight {tuple(w.shape)}, bias {None if b is None else tuple(b.shape)}"
    assert_close(got, expected, what=f"conv2d({shapes}, stride={stride}, padding={padding})",
                 mistakes=lambda: _conv_mistakes(x, w, b, stride, padding)[1])


@pytest.mark.exercise("conv2d")
def test_conv2d_single_image(student):
    _check_conv(student, _randn(1, 2, 5, 6, seed=1), _randn(3, 2, 3, 3, seed=2))


@pytest.mark.exercise("conv2d")
def test_conv2d_non_square_input_and_kernel(student):
    _check_conv(student, _randn(2, 3, 7, 5, seed=3), _randn(4, 3, 3, 2, seed=4), _randn(4, seed=5))
    _check_conv(student, _randn(2, 1, 4, 8, seed=6), _randn(2, 1, 1, 4, seed=7))


@pytest.mark.exercise("conv2d")
def test_conv2d_stride_pair(student):
    x, w = _randn(2, 2, 9, 8, seed=8), _randn(3, 2, 3, 2, seed=9)
    _check_conv(student, x, w, stride=(2, 1))
    _check_conv(student, x, w, stride=(1, 3))


@pytest.mark.exercise("conv2d")
def test_conv2d_padding_pair(student):
    x, w = _randn(1, 3, 6, 7, seed=10), _randn(2, 3, 3, 4, seed=11)
    _check_conv(student, x, w, padding=(1, 2))
    _check_conv(student, x, w, padding=(2, 0))


@pytest.mark.exercise("conv2d")
def test_conv2d_int_stride_and_padding_with_floor(student):
    # (9 + 2 - 3) // 2 + 1 = 5 rows, the last window reaching into the bottom padding;
    # (6 + 2 - 3) // 2 + 1 = 3 columns, the right padding column dropped by the floor
    _check_conv(student, _randn(2, 3, 9, 6, seed=12), _randn(4, 3, 3, 3, seed=13), _randn(4, seed=14),
                stride=2, padding=1)


@pytest.mark.exercise("conv2d")
def test_conv2d_stride_and_padding_pairs_together(student):
    _check_conv(student, _randn(2, 3, 9, 7, seed=15), _randn(4, 3, 2, 3, seed=16), _randn(4, seed=17),
                stride=(3, 2), padding=(2, 1))


@pytest.mark.exercise("conv2d")
def test_conv2d_bias_per_channel_not_per_column(student):
    # 3 output channels and 3 output columns: a bias added along the last axis runs without error
    _check_conv(student, _randn(2, 2, 5, 4, seed=18), _randn(3, 2, 3, 2, seed=19), _randn(3, seed=20))


@pytest.mark.exercise("conv2d")
def test_conv2d_bias_per_channel_not_per_position(student):
    # 4 output channels and 2 x 2 = 4 output positions: a bias added to the (N, O, L) product runs
    _check_conv(student, _randn(1, 2, 4, 5, seed=21), _randn(4, 2, 3, 4, seed=22), _randn(4, seed=23))


@pytest.mark.exercise("conv2d")
def test_conv2d_float32(student):
    _check_conv(student, _randn(2, 3, 8, 6, seed=24, dtype=torch.float32),
                _randn(5, 3, 3, 3, seed=25, dtype=torch.float32), _randn(5, seed=26, dtype=torch.float32),
                padding=1)


def _check_conv_grads(student, x, w, b, stride, padding):
    """Output and the gradients for x, weight (and bias) against autograd through F.conv2d."""
    expected = F.conv2d(x, w, b, _pair(stride), _pair(padding))
    g = _randn(*expected.shape, seed=99)
    out, grads = student.grad_call("conv2d", x, w, b, grad_output=g, stride=stride, padding=padding)
    assert_close(out, expected, what=f"conv2d output (stride={stride}, padding={padding})",
                 mistakes=lambda: _conv_mistakes(x, w, b, stride, padding)[1])
    leaves = [t.detach().clone().requires_grad_(True) for t in (x, w, b) if t is not None]
    F.conv2d(*leaves, stride=stride, padding=padding).backward(g)
    for name, got, leaf in zip(("input x", "weight", "bias"), grads, leaves):
        if got is None:
            fail(f"no gradient reached the {name}: conv2d is not differentiable "
                 "(numpy inside, .detach(), .data or .item() break the autograd graph)",
                 mistake="non-differentiable (numpy inside or the graph broken)")
        assert_close(got, leaf.grad, what=f"gradient of conv2d w.r.t. the {name}")


@pytest.mark.exercise("conv2d", weight=2)
def test_conv2d_gradients_match_autograd(student):
    _check_conv_grads(student, _randn(2, 3, 7, 6, seed=27), _randn(4, 3, 3, 2, seed=28), _randn(4, seed=29),
                      stride=(2, 1), padding=(1, 2))


@pytest.mark.exercise("conv2d")
def test_conv2d_gradients_zero_where_stride_skips_pixels(student):
    # rows 6, 7 and column 6 of the input fall in no window: their gradient must be 0
    _check_conv_grads(student, _randn(1, 2, 8, 7, seed=30), _randn(3, 2, 3, 2, seed=31), None,
                      stride=(3, 2), padding=0)


# ------------------------------------------------------------------ max_pool2d
def _pool_mistakes(x, kernel, stride):
    (kh, kw), right = _pair(kernel), F.max_pool2d(x, kernel, stride)
    m = {"stride defaults to 1 instead of kernel_size": F.max_pool2d(x, kernel, 1),
         "windows that run past the edge kept (ceil mode instead of floor)":
             F.max_pool2d(x, kernel, stride, ceil_mode=True),
         "H and W swapped: kernel pair read as (width, height)": F.max_pool2d(x, (kw, kh), stride),
         "H and W swapped: output transposed": right.transpose(-2, -1),
         "min taken instead of max": -F.max_pool2d(-x, kernel, stride)}
    if stride is None:
        m["stride taken from the kernel height on both axes"] = F.max_pool2d(x, kernel, (kh, kh))
    else:
        sh, sw = _pair(stride)
        m["stride applied on one axis only"] = F.max_pool2d(x, kernel, (sh, 1))
        m["H and W swapped: stride pair read as (width, height)"] = F.max_pool2d(x, kernel, (sw, sh))
    return right, {k: v for k, v in m.items() if _differs(v, right)}


def _check_pool(student, x, kernel, stride=None):
    expected, mistakes = _pool_mistakes(x, kernel, stride)
    got = student.max_pool2d(x, kernel) if stride is None else student.max_pool2d(x, kernel, stride)
    call = f"max_pool2d(x {tuple(x.shape)}, {kernel!r}" + ("" if stride is None else f", {stride!r}") + ")"
    assert_close(got, expected, what=call, mistakes=mistakes)


@pytest.mark.exercise("max_pool2d")
def test_max_pool_stride_defaults_to_kernel_size(student):
    _check_pool(student, _distinct(2, 3, 6, 8, seed=40), 2)
    _check_pool(student, _distinct(1, 2, 9, 6, seed=41), 3)


@pytest.mark.exercise("max_pool2d")
def test_max_pool_non_square_kernel(student):
    _check_pool(student, _distinct(1, 2, 7, 9, seed=42), (3, 2))
    _check_pool(student, _distinct(2, 1, 6, 5, seed=43), (1, 2))


@pytest.mark.exercise("max_pool2d")
def test_max_pool_explicit_stride_pair(student):
    _check_pool(student, _distinct(2, 2, 7, 8, seed=44), (2, 3), (1, 2))
    _check_pool(student, _distinct(1, 3, 9, 5, seed=45), 2, (3, 1))


@pytest.mark.exercise("max_pool2d")
def test_max_pool_drops_incomplete_windows(student):
    # 7 x 5 with 2 x 2 windows: 3 x 2 outputs, the last row and column are not pooled
    _check_pool(student, _distinct(2, 2, 7, 5, seed=46), 2)


@pytest.mark.exercise("max_pool2d")
def test_max_pool_gradient_flows_to_the_max(student):
    x = _distinct(2, 2, 6, 7, seed=47)
    expected, mistakes = _pool_mistakes(x, (2, 3), None)
    g = _randn(*expected.shape, seed=48)
    out, (gx, *_) = student.grad_call("max_pool2d", x, (2, 3), grad_output=g)
    assert_close(out, expected, what="max_pool2d(x (2, 2, 6, 7), (2, 3))", mistakes=mistakes)
    if gx is None:
        fail("no gradient reached the input: max_pool2d is not differentiable "
             "(numpy inside, .detach(), .data or .item() break the autograd graph)",
             mistake="non-differentiable (numpy inside or the graph broken)")
    leaf = x.clone().requires_grad_(True)
    F.max_pool2d(leaf, (2, 3)).backward(g)
    assert_close(gx, leaf.grad, what="gradient of max_pool2d w.r.t. x (each window's gradient goes to its max)")


# ------------------------------------------------------------------ bottleneck_params
def _check_bottleneck(student, i, m, o, k=None):
    got = student.bottleneck_params(i, m, o) if k is None else student.bottleneck_params(i, m, o, k)
    k = 3 if k is None else k
    what = f"bottleneck_params({i}, {m}, {o}{'' if k == 3 else f', {k}'})"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{what}: expected a pair (direct, bottleneck), got {got!r}")
    direct = _nn_count(i, o, k, bias=False)
    bottleneck = _nn_count(i, m, 1, bias=False) + _nn_count(m, o, k, bias=False)
    _check_int(got[0], direct, what=f"direct count of {what}",
               mistakes={"bias counted (the catalog counts weights only)": direct + o,
                         "the two counts swapped": bottleneck})
    _check_int(got[1], bottleneck, what=f"bottleneck count of {what}",
               mistakes={"bias counted (the catalog counts weights only)": bottleneck + m + o,
                         "the 1x1 conv counted as k x k": i * m * k * k + m * o * k * k,
                         "the 1x1 conv left out": m * o * k * k,
                         "the two counts swapped": direct})


@pytest.mark.exercise("bottleneck_params")
def test_bottleneck_params_resnet_block(student):
    _check_bottleneck(student, 256, 64, 256)


@pytest.mark.exercise("bottleneck_params")
def test_bottleneck_params_other_shapes_and_kernels(student):
    _check_bottleneck(student, 32, 8, 48, 5)
    _check_bottleneck(student, 12, 3, 7, 1)
