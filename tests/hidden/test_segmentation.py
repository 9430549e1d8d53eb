"""Grading suite for the segmentation topic.

Oracles: F.conv_transpose2d (values and autograd gradients) and nn.ConvTranspose2d's output
size, the linear layer itself for convolutionalize (its output at every window of a larger
input is F.conv2d with the reshaped weight), and metrics counted here pixel by pixel with
Python loops. Inputs are non-square everywhere (H != W, kh != kw, C_in != C_out, stride and
padding pairs with different entries); one case has C_in == C_out so that a weight read in
conv2d's (C_out, C_in, ...) layout runs and can be named.
"""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, assert_raises, fail
from grader.errors import StudentError

F64 = torch.float64


def _randn(*shape, seed, dtype=F64):
    return torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _differs(value, right):
    return value.shape != right.shape or not torch.allclose(value, right, rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------ convolutionalize
def _linear_case(out, c, h, w, seed, bias=True, dtype=F64):
    weight = _randn(out, c * h * w, seed=seed, dtype=dtype) / (c * h * w) ** 0.5
    return weight, (_randn(out, seed=seed + 1, dtype=dtype) if bias else None)


def _conv_from(weight, bias, c, h, w):
    return lambda x: F.conv2d(x, weight.reshape(-1, c, h, w), bias)


def _convolutionalize_mistakes(x, weight, bias, c, h, w):
    o = weight.shape[0]
    m = {"flattening order (H, W, C) assumed; x.flatten(1) lists the pixels channel by channel, (C, H, W)":
         F.conv2d(x, weight.reshape(o, h, w, c).permute(0, 3, 1, 2), bias)}
    if bias is not None:
        m["bias not copied (the conv's own random bias, or none, was left)"] = F.conv2d(x, weight.reshape(o, c, h, w))
    return m


def _check_bias(got, x, weight, bias, c, h, w, what):
    """A conv whose output is off by one constant per channel kept a bias of its own."""
    if not isinstance(got, torch.Tensor) or bias is None:
        return
    plain = F.conv2d(x, weight.reshape(-1, c, h, w))
    if got.shape != plain.shape:
        return
    offset = (got - plain).transpose(0, 1).flatten(1)  # (out, N * positions)
    constant = torch.allclose(offset, offset[:, :1].expand_as(offset), rtol=1e-5, atol=1e-5)
    if constant and not torch.allclose(offset[:, 0], bias.to(offset.dtype), rtol=1e-5, atol=1e-5):
        fail(f"{what}: the output is off by one constant per channel: bias not copied from the linear "
             f"(expected bias {bias.tolist()[:4]}..., the conv adds {offset[:, 0].tolist()[:4]}...)")


def _make(student, weight, bias, c, h, w):
    linear = student.new_linear(weight, bias)
    conv = student.convolutionalize(linear, c, h, w)
    try:
        name = conv._get_name()
    except (StudentError, AttributeError):
        name = type(conv).__name__
    if name != "Conv2d":
        fail(f"convolutionalize(linear, {c}, {h}, {w}) should return an nn.Conv2d, got {name}")
    return linear, conv


def _check_conv_output(conv, x, weight, bias, c, h, w, what):
    expected = _conv_from(weight, bias, c, h, w)(x)
    got = conv(x)
    _check_bias(got, x, weight, bias, c, h, w, what)
    assert_close(got, expected, what=what, mistakes=lambda: _convolutionalize_mistakes(x, weight, bias, c, h, w))


@pytest.mark.exercise("convolutionalize")
def test_convolutionalize_equals_the_linear_on_its_input_size(student):
    c, h, w = 3, 4, 2
    weight, bias = _linear_case(5, c, h, w, seed=1)
    _, conv = _make(student, weight, bias, c, h, w)
    x = _randn(2, c, h, w, seed=2)
    expected = (x.flatten(1) @ weight.T + bias).reshape(2, 5, 1, 1)
    got = conv(x)
    _check_bias(got, x, weight, bias, c, h, w, what="conv(x)")
    assert_close(got, expected, what=f"conv(x) for x (2, {c}, {h}, {w}) against linear(x.flatten(1)) as (N, out, 1, 1)",
                 mistakes=lambda: _convolutionalize_mistakes(x, weight, bias, c, h, w))


@pytest.mark.exercise("convolutionalize")
def test_convolutionalize_larger_input_gives_a_heat_map(student):
    c, h, w = 2, 3, 5
    weight, bias = _linear_case(4, c, h, w, seed=3)
    _, conv = _make(student, weight, bias, c, h, w)
    x = _randn(1, c, 7, 9, seed=4)  # a (7 - 3 + 1) x (9 - 5 + 1) = 5 x 5 map of scores
    _check_conv_output(conv, x, weight, bias, c, h, w, what=f"conv(x) for a larger x (1, {c}, 7, 9): the heat map")


@pytest.mark.exercise("convolutionalize")
def test_convolutionalize_settings_kernel_stride_dtype(student):
    c, h, w = 2, 3, 4
    weight, bias = _linear_case(3, c, h, w, seed=5, dtype=torch.float32)
    _, conv = _make(student, weight, bias, c, h, w)
    kernel, stride = tuple(conv.kernel_size), tuple(conv.stride)
    if kernel != (h, w):
        fail(f"convolutionalize(linear, {c}, {h}, {w}): kernel_size should be (height, width) = {(h, w)}, got {kernel}"
             + (": height and width swapped" if kernel == (w, h) else ""))
    if stride != (1, 1):
        fail(f"convolutionalize: stride should be 1 (every window of a larger input is scored), got {stride}")
    cw = conv.weight
    if cw.dtype != torch.float32 or tuple(cw.shape) != (3, c, h, w):
        fail(f"convolutionalize: the conv's weight should be float32 of shape {(3, c, h, w)} like the linear's, "
             f"got {str(cw.dtype).removeprefix('torch.')} {tuple(cw.shape)}")
    _check_conv_output(conv, _randn(2, c, h + 1, w + 2, seed=6, dtype=torch.float32), weight, bias, c, h, w,
                       what="conv(x) of a float32 linear")


@pytest.mark.exercise("convolutionalize")
def test_convolutionalize_without_bias(student):
    c, h, w = 4, 2, 3
    weight, _ = _linear_case(2, c, h, w, seed=7, bias=False)
    _, conv = _make(student, weight, None, c, h, w)
    if conv.bias is not None:
        fail("convolutionalize of a linear without bias should give a conv without bias (bias=False)")
    _check_conv_output(conv, _randn(2, c, 3, 5, seed=8), weight, None, c, h, w, what="conv(x) of a linear without bias")


@pytest.mark.exercise("convolutionalize")
def test_convolutionalize_copies_the_weights(student):
    c, h, w = 2, 2, 3
    weight, bias = _linear_case(3, c, h, w, seed=9)
    linear, conv = _make(student, weight, bias, c, h, w)
    linear.load_state_dict({"weight": torch.zeros_like(weight), "bias": torch.zeros_like(bias)})  # in place
    x = _randn(2, c, h, w + 1, seed=10)
    expected = _conv_from(weight, bias, c, h, w)(x)
    got = conv(x)
    if isinstance(got, torch.Tensor) and got.shape == expected.shape and not got.abs().any():
        fail("convolutionalize: the conv's weights share memory with the linear's (a view from reshape): "
             "zeroing the linear in place zeroed the conv too. Copy them (.clone() or copy_ into the conv's own)")
    _check_conv_output(conv, x, weight, bias, c, h, w, what="conv(x) after the linear was changed in place")


# ------------------------------------------------------------------ conv_transpose2d
def _flip_t(w):
    """conv2d's kernel for the same map: (C_out, C_in, kh, kw), flipped."""
    return w.transpose(0, 1).flip(-2, -1)


def _ct_mistakes(x, w, b, stride, padding):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    kh, kw = w.shape[-2:]
    right = F.conv_transpose2d(x, w, b, (sh, sw), (ph, pw))

    def ct(xx=x, ww=w, bb=b, s=(sh, sw), p=(ph, pw), op=0):
        return F.conv_transpose2d(xx, ww, bb, s, p, output_padding=op)

    m = {"stride applied to the input indices (an ordinary strided conv over the input, which shrinks it) "
         "instead of spreading the input pixels s apart in the output":
             F.conv2d(F.pad(x, (kw - 1 - pw, kw - 1 - pw, kh - 1 - ph, kh - 1 - ph)), _flip_t(w), b, (sh, sw))
             if kh - 1 - ph >= 0 and kw - 1 - pw >= 0 else None,
         "stride ignored": ct(s=(1, 1)),
         "kernel flip wrong: F.conv2d over the zero-stuffed input needs the kernel flipped "
         "(and adding kernel copies into the output must not flip it)":
             ct(ww=w.flip(-2, -1)),
         "padding adds a border (as in conv2d) instead of removing p rows and columns from each side":
             F.pad(ct(bb=None, p=(0, 0)), (pw, pw, ph, ph)) + (0 if b is None else b.reshape(1, -1, 1, 1)),
         "padding ignored": ct(p=(0, 0)),
         "padding removed from one side only": ct(p=(0, 0))[:, :, ph:right.shape[-2] + ph, pw:right.shape[-1] + pw]
             if (ph or pw) else None,
         "H and W swapped: stride pair read as (width, height)": ct(s=(sw, sh)),
         "H and W swapped: padding pair read as (width, height)": ct(p=(pw, ph)),
         "s - 1 zeros appended after the last input pixel too (output s - 1 too large)":
             ct(op=(sh - 1, sw - 1)) if sh > 1 or sw > 1 else None}
    if w.shape[0] == w.shape[1]:
        m["weight layout (C_in, C_out, kh, kw) confused with conv2d's (C_out, C_in, kh, kw)"] = ct(ww=w.transpose(0, 1))
    if b is not None:
        m["bias ignored"] = ct(bb=None)
    return {k: v for k, v in m.items() if v is not None and _differs(v, right)}


def _layout_hint(exc, w):
    if exc.kind == "raised" and w.shape[0] != w.shape[1] and any(
            word in str(exc) for word in ("size", "shape", "dimension", "match")):
        return (f"a shape error with weight {tuple(w.shape)}: conv_transpose2d's weight is (C_in, C_out, kh, kw), "
                "the transpose of conv2d's (C_out, C_in, kh, kw)")
    return None


def _check_ct(student, x, w, b=None, stride=1, padding=0):
    expected = F.conv_transpose2d(x, w, b, _pair(stride), _pair(padding))
    shapes = f"x {tuple(x.shape)}, weight {tuple(w.shape)}, bias {None if b is None else tuple(b.shape)}"
    try:
        got = student.conv_transpose2d(x, w, b, stride=stride, padding=padding)
    except StudentError as exc:
        hint = _layout_hint(exc, w)
        if hint:
            fail(f"{exc}\n  This is what you get with this mistake: {hint}.")
        raise
    assert_close(got, expected, what=f"conv_transpose2d({shapes}, stride={stride}, padding={padding})",
                 mistakes=lambda: _ct_mistakes(x, w, b, stride, padding))


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_stride_one(student):
    _check_ct(student, _randn(1, 2, 3, 4, seed=20), _randn(2, 3, 2, 3, seed=21))


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_stride_two_upsamples(student):
    _check_ct(student, _randn(2, 3, 4, 3, seed=22), _randn(3, 2, 3, 2, seed=23), _randn(2, seed=24), stride=2)


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_kernel_smaller_than_stride(student):
    # kernel 2 x 1 with stride 3 x 2: outputs between the kernels' footprints stay 0
    _check_ct(student, _randn(1, 2, 3, 4, seed=25), _randn(2, 3, 2, 1, seed=26), stride=(3, 2))


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_stride_and_padding_pairs(student):
    _check_ct(student, _randn(2, 2, 4, 5, seed=27), _randn(2, 4, 4, 3, seed=28), _randn(4, seed=29),
              stride=(2, 3), padding=(1, 0))
    _check_ct(student, _randn(1, 3, 5, 3, seed=30), _randn(3, 1, 3, 4, seed=31), stride=(1, 2), padding=(0, 1))


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_int_padding(student):
    _check_ct(student, _randn(2, 2, 3, 5, seed=32), _randn(2, 3, 4, 4, seed=33), _randn(3, seed=34), stride=2, padding=1)


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_same_in_and_out_channels(student):
    # C_in == C_out: a weight read as (C_out, C_in, ...) runs and gives other numbers
    _check_ct(student, _randn(2, 3, 4, 5, seed=35), _randn(3, 3, 3, 2, seed=36), stride=(2, 1), padding=(1, 0))


@pytest.mark.exercise("conv_transpose2d")
def test_conv_transpose_float32(student):
    _check_ct(student, _randn(2, 3, 4, 4, seed=37, dtype=torch.float32), _randn(3, 2, 3, 3, seed=38, dtype=torch.float32),
              _randn(2, seed=39, dtype=torch.float32), stride=2, padding=1)


@pytest.mark.exercise("conv_transpose2d", weight=2)
def test_conv_transpose_gradients_match_autograd(student):
    x, w, b = _randn(2, 3, 3, 4, seed=40), _randn(3, 2, 3, 2, seed=41), _randn(2, seed=42)
    stride, padding = (2, 3), (1, 0)
    expected = F.conv_transpose2d(x, w, b, stride, padding)
    g = _randn(*expected.shape, seed=43)
    out, grads = student.grad_call("conv_transpose2d", x, w, b, grad_output=g, stride=stride, padding=padding)
    assert_close(out, expected, what=f"conv_transpose2d output (stride={stride}, padding={padding})",
                 mistakes=lambda: _ct_mistakes(x, w, b, stride, padding))
    leaves = [t.clone().requires_grad_(True) for t in (x, w, b)]
    F.conv_transpose2d(*leaves, stride=stride, padding=padding).backward(g)
    for name, got, leaf in zip(("input x", "weight", "bias"), grads, leaves):
        if got is None:
            fail(f"no gradient reached the {name}: conv_transpose2d is not differentiable "
                 "(numpy inside, .detach(), .data, .item() or in-place writes into a new tensor break the graph)")
        assert_close(got, leaf.grad, what=f"gradient of conv_transpose2d w.r.t. the {name}")


# ------------------------------------------------------------------ conv_transpose2d_output_size
def _ct_size(i, k, s, p, op):
    layer = nn.ConvTranspose2d(1, 1, (k, 1), (s, 1), (p, 0), output_padding=(op, 0))
    return layer(torch.zeros(1, 1, i, 1)).shape[2]  # the height axis only


def _ct_size_mistakes(i, k, s, p, op):
    return {"conv2d's formula used (a transposed conv grows the input)": (i + 2 * p - k) // s + 1,
            "in * s instead of (in - 1) * s": i * s - 2 * p + k + op,
            "padding added (+ 2p) instead of removed (- 2p)": (i - 1) * s + 2 * p + k + op,
            "padding counted once (p instead of 2p)": (i - 1) * s - p + k + op,
            "output_padding ignored": (i - 1) * s - 2 * p + k,
            "missing + kernel_size (only (in - 1) * s)": (i - 1) * s - 2 * p + op}


def _check_size(student, i, k, s=1, p=0, op=0):
    expected = _ct_size(i, k, s, p, op)
    got = student.conv_transpose2d_output_size(i, k, s, p, op)
    if isinstance(got, float):
        fail(f"conv_transpose2d_output_size({i}, {k}, {s}, {p}, {op}): expected the int {expected}, got the float {got!r}")
    assert_equal(got, expected, what=f"conv_transpose2d_output_size({i}, {k}, {s}, {p}, {op})",
                 mistakes={m: v for m, v in _ct_size_mistakes(i, k, s, p, op).items() if v != expected})


@pytest.mark.exercise("conv_transpose2d_output_size")
def test_output_size_matches_conv_transpose(student):
    for case in [(4, 3), (3, 2, 2), (5, 4, 2, 1), (7, 3, 3, 2), (1, 1)]:
        _check_size(student, *case)


@pytest.mark.exercise("conv_transpose2d_output_size")
def test_output_size_with_output_padding(student):
    for case in [(4, 3, 2, 1, 1), (5, 2, 3, 0, 2), (3, 5, 4, 2, 1)]:
        _check_size(student, *case)


@pytest.mark.exercise("conv_transpose2d_output_size")
def test_output_size_default_arguments(student):
    assert_equal(student.conv_transpose2d_output_size(6, 3), _ct_size(6, 3, 1, 0, 0),
                 what="conv_transpose2d_output_size(6, 3) (stride 1, no padding by default)")
    assert_equal(student.conv_transpose2d_output_size(6, 3, stride=2), _ct_size(6, 3, 2, 0, 0),
                 what="conv_transpose2d_output_size(6, 3, stride=2)")


@pytest.mark.exercise("conv_transpose2d_output_size")
def test_output_size_raises_when_not_positive(student):
    for args in [(1, 1, 1, 1), (2, 1, 1, 2), (3, 2, 1, 3)]:
        assert_raises("ValueError", student.conv_transpose2d_output_size, *args)


# ------------------------------------------------------------------ metrics
def _labels(n, h, w, classes, seed):
    return torch.randint(0, classes, (n, h, w), generator=torch.Generator().manual_seed(seed))


def _with_ignored(target, ignore, seed, share=0.25):
    mask = torch.rand(target.shape, generator=torch.Generator().manual_seed(seed)) < share
    return torch.where(mask, torch.full_like(target, ignore), target)


def _count(pred, target, keep):
    """Python loops over pixels: the metrics' definitions with nothing vectorised."""
    pairs = [(int(p), int(t)) for p, t, k in zip(pred.flatten(), target.flatten(), keep.flatten()) if k]
    return pairs


def _accuracy(pred, target, ignore):
    pairs = _count(pred, target, target != ignore if ignore is not None else torch.ones_like(target, dtype=torch.bool))
    return sum(p == t for p, t in pairs) / len(pairs)


def _ious(pairs, num_classes):
    out = {}
    for c in range(num_classes):
        inter = sum(p == c and t == c for p, t in pairs)
        union = sum(p == c or t == c for p, t in pairs)
        if union:
            out[c] = inter / union
    return out


def _miou(pred, target, num_classes, ignore):
    keep = target != ignore if ignore is not None else torch.ones_like(target, dtype=torch.bool)
    ious = _ious(_count(pred, target, keep), num_classes)
    return sum(ious.values()) / len(ious)


def _all_keep(t):
    return torch.ones_like(t, dtype=torch.bool)


def _acc_mistakes(pred, target, ignore):
    m = {}
    if ignore is not None:
        keep = target != ignore
        every = _count(pred, target, _all_keep(target))
        m["ignore_index not applied (ignored pixels counted)"] = sum(p == t for p, t in every) / len(every)
        m["ignored pixels left in the denominator (removed from the correct count only)"] = (
            sum(p == t for p, t in _count(pred, target, keep)) / len(every))
    per_image = [_accuracy(p, t, ignore) for p, t in zip(pred, target)]
    m["mean of the per-image accuracies (the catalog counts all pixels of the batch together)"] = sum(per_image) / len(per_image)
    return m


def _miou_mistakes(pred, target, num_classes, ignore):
    keep = target != ignore if ignore is not None else _all_keep(target)
    pairs = _count(pred, target, keep)
    ious = _ious(pairs, num_classes)
    m = {"mean over all num_classes classes (absent classes counted as IoU 0) instead of the classes present":
         sum(ious.values()) / num_classes,
         "classes present in target only (the catalog counts classes in pred or target)":
         sum(v for c, v in ious.items() if any(t == c for _, t in pairs)) / max(1, len({t for _, t in pairs})),
         "Dice (2|A and B| / (|A| + |B|)) instead of IoU":
         sum(2 * v / (1 + v) for v in ious.values()) / len(ious)}
    if ignore is not None:
        every = _ious(_count(pred, target, _all_keep(target)), num_classes)  # the ignore label is no class
        m["ignore_index not applied (ignored pixels counted)"] = sum(every.values()) / len(every) if every else 0.0
    per_image = [_miou(p, t, num_classes, ignore) for p, t in zip(pred, target)]
    m["mean of the per-image mean IoUs (the catalog counts all pixels of the batch together)"] = sum(per_image) / len(per_image)
    return m


def _check_float(got, what):
    if not isinstance(got, float):
        fail(f"{what} should return a Python float, got {type(got).__name__}"
             + (" (a tensor: call .item())" if isinstance(got, torch.Tensor) else ""))


def _check_accuracy(student, pred, target, ignore=None):
    what = f"pixel_accuracy(pred, target {tuple(target.shape)}" + ("" if ignore is None else f", ignore_index={ignore}") + ")"
    got = student.pixel_accuracy(pred, target) if ignore is None else student.pixel_accuracy(pred, target, ignore_index=ignore)
    _check_float(got, what)
    expected = _accuracy(pred, target, ignore)
    assert_close(got, expected, what=what, rtol=1e-9, atol=1e-12,
                 mistakes=lambda: {k: v for k, v in _acc_mistakes(pred, target, ignore).items() if abs(v - expected) > 1e-9})


def _check_miou(student, pred, target, k, ignore=None):
    what = f"mean_iou(pred, target {tuple(target.shape)}, {k}" + ("" if ignore is None else f", ignore_index={ignore}") + ")"
    got = student.mean_iou(pred, target, k) if ignore is None else student.mean_iou(pred, target, k, ignore_index=ignore)
    _check_float(got, what)
    expected = _miou(pred, target, k, ignore)
    assert_close(got, expected, what=what, rtol=1e-9, atol=1e-12,
                 mistakes=lambda: {m: v for m, v in _miou_mistakes(pred, target, k, ignore).items() if abs(v - expected) > 1e-9})


def _noisy_pred(target, classes, seed, share=0.35):
    """target with a share of its pixels replaced by random labels."""
    g = torch.Generator().manual_seed(seed)
    flip = torch.rand(target.shape, generator=g) < share
    return torch.where(flip, torch.randint(0, classes, target.shape, generator=g), target)


@pytest.mark.exercise("pixel_accuracy")
def test_pixel_accuracy_over_the_batch(student):
    target = _labels(3, 5, 4, 4, seed=50)
    _check_accuracy(student, _noisy_pred(target, 4, seed=51), target)


@pytest.mark.exercise("pixel_accuracy")
def test_pixel_accuracy_ignore_index(student):
    target = _with_ignored(_labels(2, 4, 6, 3, seed=52), 255, seed=53)
    pred = _noisy_pred(_labels(2, 4, 6, 3, seed=52), 3, seed=54)
    _check_accuracy(student, pred, target, 255)


@pytest.mark.exercise("pixel_accuracy")
def test_pixel_accuracy_ignored_share_differs_per_image(student):
    # image 0 has many ignored pixels, image 1 none: per-image means differ from the batch figure
    clean = _labels(2, 3, 5, 3, seed=55)
    target = torch.stack([_with_ignored(clean[0], -1, seed=56, share=0.6), clean[1]])
    _check_accuracy(student, _noisy_pred(clean, 3, seed=57, share=0.5), target, -1)


@pytest.mark.exercise("pixel_accuracy")
def test_pixel_accuracy_single_image_int32(student):
    target = _labels(1, 6, 3, 5, seed=58).to(torch.int32)
    _check_accuracy(student, _noisy_pred(target, 5, seed=59).to(torch.int32), target)


@pytest.mark.exercise("mean_iou")
def test_mean_iou_small_case_by_hand(student):
    # pixels 0..5; class 0: inter 2, union 4; class 1: inter 1, union 4; class 2 absent;
    # class 3: inter 0, union 1. Mean over the 3 present classes 0.25 (over all 4: 0.1875)
    target = torch.tensor([[[0, 0, 1], [1, 0, 3]]])
    pred = torch.tensor([[[0, 0, 0], [1, 1, 1]]])
    _check_miou(student, pred, target, 4)


@pytest.mark.exercise("mean_iou")
def test_mean_iou_absent_classes_left_out(student):
    # 6 classes, labels drawn from 0..3 only: classes 4 and 5 are in neither map
    target = _labels(2, 5, 4, 4, seed=60)
    _check_miou(student, _noisy_pred(target, 4, seed=61), target, 6)


@pytest.mark.exercise("mean_iou")
def test_mean_iou_class_only_in_pred_counts(student):
    target = _labels(2, 4, 5, 3, seed=62)
    pred = _noisy_pred(target, 3, seed=63).clone()
    pred[0, 0, :2] = 3  # class 3 occurs in pred only: IoU 0, and it counts
    _check_miou(student, pred, target, 5)


@pytest.mark.exercise("mean_iou")
def test_mean_iou_ignore_index(student):
    clean = _labels(2, 5, 6, 4, seed=64)
    target = _with_ignored(clean, 255, seed=65, share=0.3)
    _check_miou(student, _noisy_pred(clean, 4, seed=66), target, 4, 255)


@pytest.mark.exercise("mean_iou")
def test_mean_iou_ignore_index_hides_a_class(student):
    # class 2's only target pixels are ignored and pred never says 2: class 2 is not present
    target = torch.tensor([[[0, 1, 2, 2], [1, 0, 0, 1]], [[1, 1, 0, 2], [0, 3, 3, 1]]])
    pred = torch.tensor([[[0, 1, 0, 1], [1, 0, 1, 1]], [[1, 0, 0, 3], [0, 3, 1, 1]]])
    target = torch.where(target == 2, torch.full_like(target, -1), target)
    _check_miou(student, pred, target, 4, -1)
