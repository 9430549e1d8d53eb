"""Grading suite for the regularization topic.

Oracles: nn.BatchNorm1d with the same weights (outputs, running statistics, gradients),
F.cross_entropy(label_smoothing=...), autograd, and the catalog's rules replayed in the judge
(EarlyStopping, the L2 penalty, mixup, cutmix, cutout). Random exercises (dropout, noise) are
checked by their statistics over 10^5 draws, by the scale of what they keep, by their gradients
and by determinism: the same generator seed must give the same result and different seeds
different ones. Every generator is seeded here, so a submission always gets the same score.
"""

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks import assert_close, assert_raises, fail

F64 = torch.float64


def _randn(*shape, seed, dtype=F64):
    return torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _differs(value, right):
    return value.shape != right.shape or not torch.allclose(value, right, rtol=1e-6, atol=1e-6)


def _only_differing(right, mistakes):
    return {k: v for k, v in mistakes.items() if _differs(v, right)}


# ------------------------------------------------------------------ EarlyStopping
def _replay(values, patience=5, min_delta=0.0, mode="min", *, stop_late=False, stop_early=False,
            no_reset=False, no_delta=False, best_always=False, one_based=False, always_min=False):
    """The catalog's rule (or one mistake): rows (stop, counter, best, best_epoch) up to the first stop."""
    best, best_epoch, counter, rows = None, None, 0, []
    delta = 0.0 if no_delta else min_delta
    for i, v in enumerate(values):
        lower = mode == "min" or always_min
        better = best is None or (v < best - delta if lower else v > best + delta)
        if better:
            best, best_epoch = v, i + one_based
            counter = counter if no_reset else 0
        else:
            counter += 1
            if best_always and (v < best if lower else v > best):
                best, best_epoch = v, i + one_based
        limit = patience + 1 if stop_late else patience - 1 if stop_early else patience
        rows.append((counter >= limit, counter, best, best_epoch))
        if rows[-1][0]:
            break
    return rows


ES_MISTAKES = {
    "patience off by one (stops one step late: counter > patience)": {"stop_late": True},
    "patience off by one (stops one step early)": {"stop_early": True},
    "counter not reset to 0 on an improvement": {"no_reset": True},
    "min_delta ignored (any improvement counts)": {"no_delta": True},
    "best updated by a value that did not beat it by more than min_delta": {"best_always": True},
    "best_epoch counted from 1 (it is the 0-based index of the step)": {"one_based": True},
    'mode "max" ignored (lower always treated as better)': {"always_min": True},
}


def _same_rows(a, b):
    return len(a) == len(b) and all(
        x[:2] == y[:2] and x[3] == y[3] and isinstance(y[2], (int, float)) and math.isclose(x[2], y[2], rel_tol=1e-9)
        for x, y in zip(a, b))


def _student_rows(student, values, kwargs):
    es = student.EarlyStopping(**kwargs)
    rows = []
    for v in values:
        stop = es.step(v)
        if not isinstance(stop, bool):
            fail(f"EarlyStopping.step({v}) should return a bool, got {type(stop).__name__} {stop!r}")
        best = es.best
        best = best.item() if isinstance(best, torch.Tensor) and best.numel() == 1 else best
        rows.append((stop, es.counter, best, es.best_epoch))
        if stop:
            break
    return rows


def _row_text(rows, i):
    if i >= len(rows):
        return "no step (stopped earlier)"
    return "stop={}, counter={}, best={}, best_epoch={}".format(*rows[i])


def _check_es(student, values, **kwargs):
    expected = _replay(values, **kwargs)
    got = _student_rows(student, values, kwargs)
    if _same_rows(expected, got):
        return
    call = f"EarlyStopping({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
    i = next((i for i, (e, g) in enumerate(zip(expected, got)) if not _same_rows([e], [g])), min(len(got), len(expected)))
    msg = (f"{call}.step over {values}: at step {i} (value {values[i]}) "
           f"expected {_row_text(expected, i)}; got {_row_text(got, i)}")
    named = next((name for name, flags in ES_MISTAKES.items() if _same_rows(_replay(values, **kwargs, **flags), got)), None)
    fail(msg + (f"\n  This is what you get with this mistake: {named}." if named else ""))


@pytest.mark.exercise("EarlyStopping")
def test_early_stopping_stops_after_patience_steps_without_improvement(student):
    _check_es(student, [1.0, 0.8, 0.9, 0.85, 0.95, 0.99, 0.97, 0.96], patience=3)
    _check_es(student, [2.0, 1.5, 1.7, 1.1, 1.2], patience=1)


@pytest.mark.exercise("EarlyStopping")
def test_early_stopping_improvement_resets_the_counter(student):
    _check_es(student, [3.0, 3.5, 2.0, 2.5, 2.2, 2.1, 2.3, 2.4], patience=2)
    _check_es(student, [5.0, 5.1, 5.2, 4.0, 4.1, 4.2, 3.0, 3.1, 3.2, 3.3, 3.4], patience=3)


@pytest.mark.exercise("EarlyStopping")
def test_early_stopping_improvements_smaller_than_min_delta_do_not_count(student):
    _check_es(student, [1.0, 0.95, 0.7, 0.65, 0.66, 0.64, 0.63, 0.62], patience=2, min_delta=0.1)
    _check_es(student, [4.0, 3.9, 3.8, 3.7, 3.6, 3.5, 3.4, 3.3], patience=4, min_delta=0.5)


@pytest.mark.exercise("EarlyStopping")
def test_early_stopping_mode_max(student):
    _check_es(student, [0.5, 0.6, 0.605, 0.7, 0.69, 0.65, 0.68, 0.66], patience=2, min_delta=0.01, mode="max")


@pytest.mark.exercise("EarlyStopping")
def test_early_stopping_defaults(student):
    # patience 5, min_delta 0, mode "min"
    _check_es(student, [9.0, 8.0, 8.5, 8.0, 8.2, 8.1, 8.3, 8.4, 8.6])


# ------------------------------------------------------------------ l2_penalty
def _params(seed, dtype=F64):
    return [_randn(3, 4, seed=seed, dtype=dtype), _randn(5, seed=seed + 1, dtype=dtype),
            _randn(2, 1, 3, seed=seed + 2, dtype=dtype)]


def _l2_mistakes(ps, wd):
    sq = torch.stack([(p ** 2).sum() for p in ps])
    return {"factor 1/2 missing (weight_decay * sum of squares)": wd * sq.sum(),
            "square root taken (a norm instead of the sum of squares)": wd / 2 * sq.sum().sqrt(),
            "norm of each tensor summed instead of the squares": wd / 2 * sq.sqrt().sum(),
            "mean of the squares instead of their sum": wd / 2 * torch.stack([(p ** 2).mean() for p in ps]).sum(),
            "only the first tensor counted": wd / 2 * sq[0],
            "weight_decay squared": wd ** 2 / 2 * sq.sum()}


def _check_l2_value(got, ps, wd, what):
    expected = wd / 2 * sum((p ** 2).sum() for p in ps)
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.reshape(())
    elif not isinstance(got, torch.Tensor):
        fail(f"{what}: expected a 0-d tensor (differentiable), got {type(got).__name__} {got!r}")
    assert_close(got, expected, what=what, mistakes=_only_differing(expected, _l2_mistakes(ps, wd)))


@pytest.mark.exercise("l2_penalty")
def test_l2_penalty_value(student):
    ps = _params(1)
    _check_l2_value(student.l2_penalty(ps, 0.01), ps, 0.01, what="l2_penalty(3 tensors, weight_decay=0.01)")
    one = [_randn(4, 2, seed=9)]
    _check_l2_value(student.l2_penalty(tuple(one), 0.3), one, 0.3, what="l2_penalty((one tensor,), 0.3)")


@pytest.mark.exercise("l2_penalty")
def test_l2_penalty_gradient_is_weight_decay_times_p(student):
    ps = _params(4)
    remote = [student.new_parameter(p) for p in ps]
    out, _ = student.grad_call("l2_penalty", remote, 0.05)
    _check_l2_value(out, ps, 0.05, what="l2_penalty(3 parameters, 0.05)")
    for i, (p, r) in enumerate(zip(ps, remote)):
        grad = r.grad
        if grad is None:
            fail("no gradient reached the parameters: l2_penalty is not differentiable "
                 "(.item(), float(), numpy or .detach() break the autograd graph)")
        assert_close(grad, 0.05 * p, what=f"gradient of l2_penalty w.r.t. parameter {i} (weight_decay * p)",
                     mistakes={"factor 1/2 missing (weight_decay * sum of squares)": 0.1 * p})


@pytest.mark.exercise("l2_penalty")
def test_l2_penalty_float32_parameters(student):
    ps = _params(7, dtype=torch.float32)
    _check_l2_value(student.l2_penalty(ps, 1e-3), ps, 1e-3, what="l2_penalty(3 float32 tensors, 1e-3)")


# ------------------------------------------------------------------ dropout
def _positive(*shape, seed, dtype=F64):
    """Values in [1, 2): no zeros, so out / x reads the mask and its scale."""
    return 1 + torch.rand(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _check_dropout_stats(out, x, p, what):
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        fail(f"{what}: expected a tensor of shape {tuple(x.shape)}, got {getattr(out, 'shape', type(out).__name__)}")
    if out.dtype != x.dtype:
        fail(f"{what}: expected dtype {x.dtype} (keep the input's dtype), got {out.dtype}")
    if not torch.isfinite(out).all():
        fail(f"{what}: the output has nan or inf")
    ratio = (out / x).to(F64)
    dropped = float((ratio == 0).double().mean())
    kept = ratio[ratio != 0]
    scale = float(kept.mean()) if kept.numel() else float("nan")
    if abs(dropped - p) > 0.01:
        hint = ""
        if abs(dropped - (1 - p)) < 0.01:
            hint = "\n  This is what you get with this mistake: p read as the keep probability (p is the drop probability)."
        fail(f"{what}: expected a share p = {p} of the entries zeroed, got {dropped:.4f}{hint}")
    if not torch.allclose(kept, torch.full_like(kept, 1 / (1 - p)), rtol=1e-5 if x.dtype == torch.float32 else 1e-7):
        scales = {"not inverted: kept entries not scaled, so the mean shrinks by 1 - p": 1.0,
                  "kept entries multiplied by 1 - p instead of divided by it": 1 - p,
                  "kept entries scaled by 1 / p instead of 1 / (1 - p)": 1 / p}
        named = next((k for k, s in scales.items() if abs(scale - s) < 1e-4 * s), None)
        fail(f"{what}: kept entries should be x / (1 - p) = {1 / (1 - p):.6g} * x, got {scale:.6g} * x on average"
             + (f"\n  This is what you get with this mistake: {named}." if named else ""))
    if abs(float(out.double().mean() / x.double().mean()) - 1) > 0.02:
        fail(f"{what}: the mean of the output should stay that of x (inverted dropout)")


@pytest.mark.exercise("dropout")
def test_dropout_zeroes_a_share_p_and_scales_the_kept_by_1_over_1_minus_p(student):
    x = _positive(300, 400, seed=1)
    _check_dropout_stats(student.dropout(x, 0.3), x, 0.3, what="dropout(x (300, 400), p=0.3)")


@pytest.mark.exercise("dropout")
def test_dropout_float32_images_large_p(student):
    x = _positive(20, 3, 40, 50, seed=2, dtype=torch.float32)
    _check_dropout_stats(student.dropout(x, 0.8, training=True), x, 0.8, what="dropout(x (20, 3, 40, 50) float32, p=0.8)")


@pytest.mark.exercise("dropout")
def test_dropout_uses_the_generator(student):
    x = _positive(60, 70, seed=3)
    a = student.dropout(x, 0.5, generator=student.new_generator(11))
    b = student.dropout(x, 0.5, generator=student.new_generator(11))
    c = student.dropout(x, 0.5, generator=student.new_generator(12))
    _check_dropout_stats(a, x, 0.5, what="dropout(x (60, 70), 0.5, generator=g)")
    assert_close(b, a, what="dropout twice with generators in the same state (seed 11): the same mask")
    if not _differs(c, a):
        fail("dropout with generators seeded 11 and 12 gave the same mask: the random draws must come from "
             "`generator` when one is given (torch.rand(..., generator=generator), torch.bernoulli(..., generator=...))")


@pytest.mark.exercise("dropout")
def test_dropout_in_eval_is_the_identity(student):
    x = _randn(7, 9, seed=4)
    p = 0.4
    assert_close(student.dropout(x, p, training=False), x, what="dropout(x, p=0.4, training=False)",
                 mistakes={"scaling at eval: x * (1 - p) (inverted dropout scales in training only)": x * (1 - p),
                           "scaling at eval: x / (1 - p) (inverted dropout scales in training only)": x / (1 - p)})


@pytest.mark.exercise("dropout")
def test_dropout_p_zero_is_identity_and_p_one_gives_zeros(student):
    x = _randn(5, 8, seed=5)
    assert_close(student.dropout(x, 0.0), x, what="dropout(x, p=0.0)")
    assert_close(student.dropout(x, 1.0), torch.zeros_like(x), what="dropout(x, p=1.0): every entry dropped, no nan")


@pytest.mark.exercise("dropout")
def test_dropout_raises_when_p_is_outside_0_1(student):
    x = _randn(3, 4, seed=6)
    assert_raises("ValueError", student.dropout, x, -0.1)
    assert_raises("ValueError", student.dropout, x, 1.5)


@pytest.mark.exercise("dropout")
def test_dropout_gradient_is_the_scaled_mask(student):
    x, g = _positive(40, 30, seed=7), _randn(40, 30, seed=8)
    out, (gx, *_) = student.grad_call("dropout", x, 0.25, grad_output=g, generator=student.new_generator(3))
    dropped = float((out == 0).double().mean()) if isinstance(out, torch.Tensor) else -1
    if not 0.15 < dropped < 0.35:
        fail(f"dropout(x (40, 30), 0.25, generator=g): expected about a quarter of the entries zeroed, got {dropped:.3f}")
    if gx is None:
        fail("no gradient reached x: dropout is not differentiable (numpy, .detach() or in-place writes on x "
             "break the autograd graph)")
    assert_close(gx, g * out / x, what="gradient of dropout w.r.t. x: grad_output * mask / (1 - p)")


# ------------------------------------------------------------------ BatchNorm1d
def _bn_pair(student, c, seed, dtype=F64, **kwargs):
    """nn.BatchNorm1d and the student's module with the same random weight and bias."""
    ref = nn.BatchNorm1d(c, **kwargs).to(dtype)
    w, b = 0.5 + torch.rand(c, dtype=dtype, generator=torch.Generator().manual_seed(seed)), _randn(c, seed=seed + 1, dtype=dtype)
    with torch.no_grad():
        ref.weight.copy_(w)
        ref.bias.copy_(b)
    mod = student.BatchNorm1d(c, **kwargs)
    if dtype == F64:
        mod = mod.double()
    mod.load_state_dict({"weight": w, "bias": b}, strict=False)
    got_w, got_b = mod.weight, mod.bias
    if not (isinstance(got_w, torch.Tensor) and isinstance(got_b, torch.Tensor)
            and got_w.shape == w.shape and torch.equal(got_w, w) and torch.equal(got_b, b)):
        fail("BatchNorm1d: load_state_dict({'weight', 'bias'}) did not set weight and bias: "
             "they must be nn.Parameter attributes of shape (num_features,)")
    return ref, mod


def _bn_batch(n, c, seed, dtype=F64):
    """A batch with its own mean and spread per feature."""
    return 3 * _randn(n, c, seed=seed, dtype=dtype) + torch.arange(c, dtype=dtype) - 1


def _bn_train_mistakes(x, ref):
    w, b, eps = ref.weight.detach(), ref.bias.detach(), ref.eps
    m, v, vu = x.mean(0), x.var(0, unbiased=False), x.var(0, unbiased=True)
    return {"unbiased variance in the normalisation (PyTorch divides by N there)": (x - m) / (vu + eps).sqrt() * w + b,
            "eps added outside the square root": (x - m) / (v.sqrt() + eps) * w + b,
            "weight and bias not applied": (x - m) / (v + eps).sqrt(),
            "statistics taken over the features (dim 1) instead of the batch (dim 0)":
                (x - x.mean(1, keepdim=True)) / (x.var(1, unbiased=False, keepdim=True) + eps).sqrt() * w + b,
            "running statistics used in training mode": (x - ref.running_mean) / (ref.running_var + eps).sqrt() * w + b}


def _running_mistakes(prev_mean, prev_var, x, mom):
    m, v, vb = x.mean(0), x.var(0, unbiased=True), x.var(0, unbiased=False)
    return {
        "mean": {"momentum convention flipped (running = momentum * running + (1 - momentum) * batch)":
                     mom * prev_mean + (1 - mom) * m,
                 "running statistics not updated": prev_mean},
        "var": {"momentum convention flipped (running = momentum * running + (1 - momentum) * batch)":
                    mom * prev_var + (1 - mom) * v,
                "biased variance tracked (PyTorch's running_var uses the unbiased variance)":
                    (1 - mom) * prev_var + mom * vb,
                "running statistics not updated": prev_var}}


def _check_train_step(mod, ref, x, what):
    prev_mean, prev_var = ref.running_mean.clone(), ref.running_var.clone()
    expected = ref(x).detach()
    assert_close(mod(x), expected, what=f"{what}: output in training mode",
                 mistakes=lambda: _only_differing(expected, _bn_train_mistakes(x, _Prev(ref, prev_mean, prev_var))))
    rm = _running_mistakes(prev_mean, prev_var, x, ref.momentum)
    assert_close(mod.running_mean, ref.running_mean, what=f"{what}: running_mean after the step",
                 mistakes=_only_differing(ref.running_mean, rm["mean"]))
    assert_close(mod.running_var, ref.running_var, what=f"{what}: running_var after the step",
                 mistakes=_only_differing(ref.running_var, rm["var"]))


class _Prev:
    """ref's weights with the running statistics it had before the step."""

    def __init__(self, ref, mean, var):
        self.weight, self.bias, self.eps, self.running_mean, self.running_var = ref.weight, ref.bias, ref.eps, mean, var


@pytest.mark.exercise("BatchNorm1d")
def test_batchnorm_parameters_and_buffers(student):
    mod = student.BatchNorm1d(6)
    state = mod.state_dict()
    names = sorted(student.param_grads(mod))
    if names != ["bias", "weight"]:
        fail(f"BatchNorm1d(6).named_parameters(): expected exactly weight and bias, got {names}: "
             "parameters kept in plain tensors (not nn.Parameter) are not registered and would never be trained")
    for name, value in [("weight", torch.ones(6)), ("bias", torch.zeros(6)),
                        ("running_mean", torch.zeros(6)), ("running_var", torch.ones(6))]:
        if name not in state:
            fail(f"BatchNorm1d(6).state_dict() has no {name!r}: register the running statistics with "
                 "self.register_buffer (a plain attribute is neither saved nor moved by .to()/.double())")
        assert_close(state[name], value, what=f"BatchNorm1d(6).{name} at construction")


@pytest.mark.exercise("BatchNorm1d", weight=2)
def test_batchnorm_training_output_matches_torch(student):
    ref, mod = _bn_pair(student, 4, seed=10)
    _check_train_step(mod, ref, _bn_batch(6, 4, seed=11), what="BatchNorm1d(4) on x (6, 4)")
    ref, mod = _bn_pair(student, 7, seed=12, eps=0.1)
    _check_train_step(mod, ref, _bn_batch(5, 7, seed=13), what="BatchNorm1d(7, eps=0.1) on x (5, 7)")


@pytest.mark.exercise("BatchNorm1d", weight=2)
def test_batchnorm_running_statistics_over_three_steps(student):
    ref, mod = _bn_pair(student, 5, seed=20, momentum=0.25)
    for step in range(3):
        _check_train_step(mod, ref, _bn_batch(8, 5, seed=21 + step),
                          what=f"BatchNorm1d(5, momentum=0.25), training step {step + 1}")


@pytest.mark.exercise("BatchNorm1d", weight=2)
def test_batchnorm_eval_uses_running_statistics(student):
    ref, mod = _bn_pair(student, 3, seed=30)
    for step in range(2):
        x = _bn_batch(10, 3, seed=31 + step)
        ref(x)
        mod(x)
    ref.eval()
    mod.eval()
    x = _bn_batch(4, 3, seed=35)
    expected = ref(x).detach()
    w, b = ref.weight.detach(), ref.bias.detach()
    batch = (x - x.mean(0)) / (x.var(0, unbiased=False) + ref.eps).sqrt() * w + b
    assert_close(mod(x), expected, what="BatchNorm1d(3) in eval mode after two training steps",
                 mistakes={"batch statistics used in eval mode (eval uses running_mean and running_var)": batch})
    assert_close(mod.running_mean, ref.running_mean,
                 what="running_mean after a forward pass in eval mode (eval must not update it)")
    assert_close(mod.running_var, ref.running_var,
                 what="running_var after a forward pass in eval mode (eval must not update it)")


@pytest.mark.exercise("BatchNorm1d", weight=2)
def test_batchnorm_gradients_match_torch(student):
    ref, mod = _bn_pair(student, 4, seed=40)
    x, g = _bn_batch(7, 4, seed=41), _randn(7, 4, seed=42)
    out, (gx,) = student.grad_call(mod, x, grad_output=g)
    leaf = x.clone().requires_grad_(True)
    expected = ref(leaf)
    expected.backward(g)
    assert_close(out, expected.detach(), what="BatchNorm1d(4) output in training mode")
    if gx is None:
        fail("no gradient reached the input: BatchNorm1d.forward is not differentiable "
             "(numpy, .detach() or .item() on the input break the autograd graph)")
    assert_close(gx, leaf.grad, what="gradient of BatchNorm1d w.r.t. the input (the batch statistics depend on it)")
    grads = student.param_grads(mod)
    for name in ("weight", "bias"):
        if grads.get(name) is None:
            fail(f"no gradient reached {name}")
        assert_close(grads[name], getattr(ref, name).grad, what=f"gradient of BatchNorm1d w.r.t. {name}")


@pytest.mark.exercise("BatchNorm1d")
def test_batchnorm_float32_defaults(student):
    ref, mod = _bn_pair(student, 3, seed=50, dtype=torch.float32)
    x = _bn_batch(9, 3, seed=51, dtype=torch.float32)
    _check_train_step(mod, ref, x, what="BatchNorm1d(3) on float32 x (9, 3)")


# ------------------------------------------------------------------ label_smoothing_cross_entropy
def _ls_mistakes(logits, target, s):
    n, c = logits.shape
    lp = logits.log_softmax(1)
    one = F.one_hot(target, c).to(logits.dtype)
    def ce(t):  # noqa: E306
        return -(t * lp).sum(1)
    right = ce((1 - s) * one + s / c)
    return {"smoothing spread over the other C - 1 classes (the catalog spreads smoothing / C over all C)":
                ce((1 - s) * one + s / (c - 1) * (1 - one)).mean(),
            "one-hot not scaled by 1 - smoothing": ce(one + s / c).mean(),
            "no smoothing (plain cross-entropy)": ce(one).mean(),
            "summed over the batch instead of averaged": right.sum(),
            "averaged over the classes as well as the batch": right.mean() / c}


def _check_ls(student, logits, target, s, what):
    expected = F.cross_entropy(logits, target, label_smoothing=s)
    got = student.label_smoothing_cross_entropy(logits, target, s)
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.reshape(())
    assert_close(got, expected, what=what, mistakes=lambda: _only_differing(expected, _ls_mistakes(logits, target, s)))


@pytest.mark.exercise("label_smoothing_cross_entropy", weight=2)
def test_label_smoothing_matches_torch(student):
    logits, target = _randn(5, 7, seed=60), torch.tensor([3, 0, 6, 3, 1])
    _check_ls(student, logits, target, 0.1, what="label_smoothing_cross_entropy(logits (5, 7), target, 0.1)")
    logits, target = 2 * _randn(8, 3, seed=61), torch.tensor([2, 2, 0, 1, 0, 2, 1, 1])
    _check_ls(student, logits, target, 0.3, what="label_smoothing_cross_entropy(logits (8, 3), target, 0.3)")


@pytest.mark.exercise("label_smoothing_cross_entropy")
def test_label_smoothing_zero_is_cross_entropy(student):
    logits, target = _randn(4, 6, seed=62), torch.tensor([5, 1, 0, 2])
    _check_ls(student, logits, target, 0.0, what="label_smoothing_cross_entropy(logits (4, 6), target, 0.0)")


@pytest.mark.exercise("label_smoothing_cross_entropy")
def test_label_smoothing_is_stable_for_large_logits(student):
    logits = torch.tensor([[1000.0, -1000.0, 0.0, 20.0], [-1000.0, -999.0, -1000.0, -1001.0]], dtype=F64)
    target = torch.tensor([1, 0])
    _check_ls(student, logits, target, 0.2, what="label_smoothing_cross_entropy(logits with entries +-1000, ..., 0.2) "
              "(log of a softmax overflows: use log_softmax or subtract the row max)")
    _check_ls(student, logits.float(), target, 0.2, what="label_smoothing_cross_entropy(float32 logits +-1000, ..., 0.2)")


@pytest.mark.exercise("label_smoothing_cross_entropy")
def test_label_smoothing_gradient_matches_torch(student):
    logits, target = _randn(6, 5, seed=63), torch.tensor([4, 0, 1, 1, 3, 2])
    out, (gl, *_) = student.grad_call("label_smoothing_cross_entropy", logits, target, 0.15)
    leaf = logits.clone().requires_grad_(True)
    F.cross_entropy(leaf, target, label_smoothing=0.15).backward()
    if gl is None:
        fail("no gradient reached the logits: label_smoothing_cross_entropy is not differentiable")
    assert_close(gl, leaf.grad, what="gradient of label_smoothing_cross_entropy w.r.t. the logits")


@pytest.mark.exercise("label_smoothing_cross_entropy")
def test_label_smoothing_float32_single_sample(student):
    logits, target = _randn(1, 4, seed=64, dtype=torch.float32), torch.tensor([2])
    _check_ls(student, logits, target, 0.05, what="label_smoothing_cross_entropy(float32 logits (1, 4), [2], 0.05)")


# ------------------------------------------------------------------ mixup
def _soft(n, c, seed, dtype=F64):
    return torch.softmax(_randn(n, c, seed=seed, dtype=dtype), dim=1)


def _check_mixup(student, x, y, lam, perm):
    inv = torch.argsort(perm)
    ex, ey = lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm]
    got = student.mixup(x, y, lam, perm)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"mixup should return a pair (x_mix, y_mix), got {type(got).__name__}")
    what = f"mixup(x {tuple(x.shape)}, y {tuple(y.shape)}, lam={lam}, perm={perm.tolist()})"
    for name, value, e, t in [("x_mix", got[0], ex, x), ("y_mix", got[1], ey, y)]:
        assert_close(value, e, what=f"{name} of {what}", mistakes=_only_differing(e, {
            "lam and 1 - lam swapped (lam weighs the sample's own value)": (1 - lam) * t + lam * t[perm],
            "mixed with the inverse permutation (sample i pairs with perm[i], not the j with perm[j] = i)":
                lam * t + (1 - lam) * t[inv],
            f"{name[0]} not mixed": t}))


@pytest.mark.exercise("mixup")
def test_mixup_images(student):
    _check_mixup(student, _randn(4, 3, 5, 6, seed=70), _soft(4, 3, seed=71), 0.7, torch.tensor([2, 0, 3, 1]))


@pytest.mark.exercise("mixup")
def test_mixup_vectors_float32(student):
    x, y = _randn(5, 8, seed=72, dtype=torch.float32), _soft(5, 4, seed=73, dtype=torch.float32)
    _check_mixup(student, x, y, 0.25, torch.tensor([3, 4, 0, 2, 1]))


# ------------------------------------------------------------------ cutmix and cutout
def _clip(box, h, w):
    top, left, bh, bw = box
    return top, min(top + bh, h), left, min(left + bw, w)


def _paste(x, src, rows, cols):
    out = x.clone()
    out[:, :, rows[0]:rows[1], cols[0]:cols[1]] = src[:, :, rows[0]:rows[1], cols[0]:cols[1]]
    return out


def _cutmix_expected(x, y, box, perm, *, swap_axes=False, unclipped=False, lam_swapped=False, corners=False):
    h, w = x.shape[-2:]
    top, left, bh, bw = box
    if swap_axes:
        top, left, bh, bw = left, top, bw, bh
    if corners:
        bh, bw = bh - top, bw - left
    t, b, l, r = _clip((top, left, bh, bw), h, w)
    xm = _paste(x, x[perm], (t, b), (l, r))
    area = bh * bw if unclipped else (b - t) * (r - l)
    lam = 1 - area / (h * w)
    if lam_swapped:
        lam = 1 - lam
    return xm, lam * y + (1 - lam) * y[perm]


def _check_cutmix(student, x, y, box, perm):
    ex, ey = _cutmix_expected(x, y, box, perm)
    got = student.cutmix(x, y, box, perm)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"cutmix should return a pair (x_mix, y_mix), got {type(got).__name__}")
    what = f"cutmix(x {tuple(x.shape)}, y, box={box}, perm={perm.tolist()})"
    variants = {"box read as (left, top, width, height) (it is (top, left, height, width))": {"swap_axes": True},
                "box read as (top, left, bottom, right) (it is (top, left, height, width))": {"corners": True}}
    xm = {k: _cutmix_expected(x, y, box, perm, **v)[0] for k, v in variants.items()}
    xm["region taken from the image itself (x[perm] not used)"] = x
    xm["every pixel taken from x[perm] (the box not applied)"] = x[perm]
    assert_close(got[0], ex, what=f"x_mix of {what}", mistakes=_only_differing(ex, xm))
    ym = {"lam and 1 - lam swapped (lam is the share of the image's own pixels)":
              _cutmix_expected(x, y, box, perm, lam_swapped=True)[1],
          "lam not from the clipped box (the unclipped area used)": _cutmix_expected(x, y, box, perm, unclipped=True)[1],
          "labels not mixed": y}
    ym.update({k: _cutmix_expected(x, y, box, perm, **v)[1] for k, v in variants.items()})
    assert_close(got[1], ey, what=f"y_mix of {what}", mistakes=_only_differing(ey, ym))


@pytest.mark.exercise("cutmix")
def test_cutmix_box_inside_the_image(student):
    _check_cutmix(student, _randn(3, 2, 6, 8, seed=80), _soft(3, 5, seed=81), (1, 2, 3, 4), torch.tensor([1, 2, 0]))


@pytest.mark.exercise("cutmix", weight=2)
def test_cutmix_box_past_the_edges_is_clipped(student):
    x, y, perm = _randn(4, 3, 6, 9, seed=82), _soft(4, 3, seed=83), torch.tensor([3, 2, 0, 1])
    _check_cutmix(student, x, y, (4, 5, 5, 7), perm)  # rows 4:6, columns 5:9 -> 2 x 4 of 5 x 7
    _check_cutmix(student, x, y, (0, 6, 8, 2), perm)  # rows 0:6, columns 6:8


@pytest.mark.exercise("cutmix")
def test_cutmix_leaves_its_inputs_unchanged(student):
    x, y, perm = _randn(2, 1, 5, 4, seed=84), _soft(2, 2, seed=85), torch.tensor([1, 0])
    rx, ry = student.new_tensor(x), student.new_tensor(y)
    student.cutmix(rx, ry, (1, 1, 2, 2), perm)
    assert_close(student.fetch(rx), x, what="x after cutmix(x, y, ...) (the input must not be changed in place; "
                 "paste into a clone)")
    assert_close(student.fetch(ry), y, what="y after cutmix(x, y, ...)")


def _cutout_mistakes(x, box):
    h, w = x.shape[-2:]
    top, left, bh, bw = box

    def zeroed(t, b, l, r):
        out = x.clone()
        out[:, :, t:b, l:r] = 0
        return out
    return {"box read as (left, top, width, height) (it is (top, left, height, width))": zeroed(*_clip((left, top, bw, bh), h, w)),
            "box end included (one row and column too many)": zeroed(top, top + bh + 1, left, left + bw + 1),
            "box read as (top, left, bottom, right)": zeroed(top, bh, left, bw)}


def _check_cutout(student, x, box):
    t, b, l, r = _clip(box, *x.shape[-2:])
    expected = x.clone()
    expected[:, :, t:b, l:r] = 0
    assert_close(student.cutout(x, box), expected, what=f"cutout(x {tuple(x.shape)}, box={box})",
                 mistakes=_only_differing(expected, _cutout_mistakes(x, box)))


@pytest.mark.exercise("cutout")
def test_cutout_box_inside_the_image(student):
    _check_cutout(student, _randn(2, 3, 7, 9, seed=90), (2, 3, 3, 4))


@pytest.mark.exercise("cutout")
def test_cutout_box_past_the_edges_is_clipped(student):
    _check_cutout(student, _randn(3, 1, 6, 5, seed=91), (3, 2, 6, 9))
    _check_cutout(student, _randn(1, 2, 4, 8, seed=92).float(), (0, 7, 2, 3))


@pytest.mark.exercise("cutout")
def test_cutout_leaves_its_input_unchanged(student):
    x = _randn(2, 2, 5, 6, seed=93)
    rx = student.new_tensor(x)
    student.cutout(rx, (1, 2, 2, 2))
    assert_close(student.fetch(rx), x, what="x after cutout(x, box) (the input must not be changed in place; "
                 "zero a clone)")


# ------------------------------------------------------------------ add_gaussian_noise
def _check_noise_stats(out, x, std, what):
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        fail(f"{what}: expected a tensor of shape {tuple(x.shape)}, got {getattr(out, 'shape', type(out).__name__)}")
    if out.dtype != x.dtype:
        fail(f"{what}: expected dtype {x.dtype} (keep the input's dtype), got {out.dtype}")
    noise = (out - x).to(F64)
    mean, sd = float(noise.mean()), float(noise.std())
    within = float((noise.abs() < std).double().mean())
    if abs(mean) > 0.02 * std:
        fail(f"{what}: the noise should have mean 0, got {mean:.4g}"
             + ("\n  This is what you get with this mistake: uniform noise on [0, 1) (torch.rand instead of torch.randn)."
                if abs(mean - std / 2) < 0.05 * std else ""))
    if abs(sd / std - 1) > 0.02:
        names = {"std used as the variance (noise std = sqrt(std))": math.sqrt(std),
                 "noise scaled by std ** 2": std ** 2}
        named = next((k for k, v in names.items() if abs(sd / v - 1) < 0.02), None)
        fail(f"{what}: the noise should have standard deviation {std}, got {sd:.4g}"
             + (f"\n  This is what you get with this mistake: {named}." if named else ""))
    if abs(within - 0.6827) > 0.01:
        fail(f"{what}: {within:.3f} of the noise lies within one std of 0; a Gaussian has 0.683 there "
             "(the noise is not normally distributed)")


@pytest.mark.exercise("add_gaussian_noise", weight=2)
def test_noise_has_mean_zero_and_the_given_std(student):
    x = torch.linspace(-3, 3, 200 * 600, dtype=F64).reshape(200, 600)
    _check_noise_stats(student.add_gaussian_noise(x, 0.25), x, 0.25, what="add_gaussian_noise(x (200, 600), std=0.25)")
    x = _randn(10, 3, 40, 50, seed=100, dtype=torch.float32)
    _check_noise_stats(student.add_gaussian_noise(x, 2.0, generator=student.new_generator(5)), x, 2.0,
                       what="add_gaussian_noise(float32 x (10, 3, 40, 50), std=2.0, generator=g)")


@pytest.mark.exercise("add_gaussian_noise")
def test_noise_uses_the_generator(student):
    x = _randn(30, 40, seed=101)
    a = student.add_gaussian_noise(x, 0.5, generator=student.new_generator(21))
    b = student.add_gaussian_noise(x, 0.5, generator=student.new_generator(21))
    c = student.add_gaussian_noise(x, 0.5, generator=student.new_generator(22))
    assert_close(b, a, what="add_gaussian_noise twice with generators in the same state (seed 21)")
    if not _differs(c, a):
        fail("add_gaussian_noise with generators seeded 21 and 22 gave the same noise: the random draws must "
             "come from `generator` when one is given (torch.randn(..., generator=generator))")


@pytest.mark.exercise("add_gaussian_noise")
def test_noise_gradient_in_x_is_the_identity(student):
    x, g = _randn(6, 7, seed=102), _randn(6, 7, seed=103)
    _, (gx, *_) = student.grad_call("add_gaussian_noise", x, 0.3, grad_output=g)
    if gx is None:
        fail("no gradient reached x: add_gaussian_noise is not differentiable in x")
    assert_close(gx, g, what="gradient of add_gaussian_noise w.r.t. x (the noise does not depend on x)",
                 mistakes={"torch.normal(mean=x, ...) used: torch gives its mean no gradient; "
                           "draw zero-mean noise and add it to x": torch.zeros_like(g)})
