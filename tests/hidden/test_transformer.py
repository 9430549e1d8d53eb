"""Grading suite for the transformer topic.

Oracles: F.scaled_dot_product_attention (outputs; it gives fully masked rows output 0) beside
softmax(q k^T / sqrt(d)) for the weights; nn.MultiheadAttention(batch_first=True,
average_attn_weights=False) with the same projection weights (its attn_mask is True = masked
out, so the tests pass ~mask; its fully masked rows are nan and the catalog's are out_proj(0));
nn.TransformerEncoderLayer(dropout=0, batch_first=True) with the same weights and its attention
block replaced by the output of the student's own self_attn, so that a wrong MultiHeadAttention
costs only that exercise; the catalog's formula (in float64) for positional encodings.
Inputs: d >= 16 (divide-by-d shows), Lq != Lk, d != dv, batch 1 and > 1, float64 and float32.

Sections: 1. judge-side attention with the knobs known mistakes turn; 2. scaled dot-product
attention; 3. causal_mask; 4. MultiHeadAttention; 5. positional encoding; 6. encoder layer.
"""

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, assert_raises, fail
from grader.checks.numeric import compare
from grader.errors import StudentError

F64, F32 = torch.float64, torch.float32


def _randn(*shape, seed, dtype=F64, scale=1.0):
    return scale * torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _mask(*shape, seed, p=0.6, full_rows=()):
    """A random boolean mask (True = may attend), each row with an allowed key unless listed."""
    m = torch.rand(*shape, generator=torch.Generator().manual_seed(seed)) < p
    m[..., 0] |= ~m.any(dim=-1)  # no accidental fully masked rows
    for row in full_rows:
        m[row] = False
    return m


def _differs(value, right):
    if isinstance(value, tuple):
        return any(_differs(a, b) for a, b in zip(value, right))
    return value.shape != right.shape or not torch.allclose(value, right, rtol=1e-6, atol=1e-6, equal_nan=True)


def _only_differing(mistakes, right):
    return {k: v for k, v in mistakes.items() if _differs(v, right)}


# ------------------------------------------------------------------ 1. judge-side attention
def attention(q, k, v, mask=None, scale=None, dim=-1, masking="fill", fully="zero"):
    """softmax(q k^T * scale) v and the weights; `masking` and `fully` select known mistakes."""
    s = q @ k.transpose(-2, -1) * (1 / math.sqrt(q.shape[-1]) if scale is None else scale)
    if mask is not None:
        if masking in ("fill", "after_softmax_renormalised"):
            s = s.masked_fill(~mask, float("-inf"))
        elif masking == "multiply":
            s = s * mask
        elif masking == "large_negative":
            s = s.masked_fill(~mask, -1e9)
        elif masking == "inverted":
            s = s.masked_fill(mask, float("-inf"))
    w = torch.softmax(s, dim=dim)
    if mask is not None:
        if masking == "after_softmax":
            w = w * mask
        if fully == "zero":
            allowed = mask if masking != "inverted" else ~mask
            w = w.masked_fill(~allowed.any(dim=-1, keepdim=True), 0.0)
    return w @ v, w


def _has_nan(got) -> bool:
    tensors = got if isinstance(got, (tuple, list)) else (got,)
    return any(isinstance(t, torch.Tensor) and t.is_floating_point() and bool(t.isnan().any()) for t in tensors)


def _attention_mistakes(q, k, v, mask, nan=False):
    d, dv = q.shape[-1], v.shape[-1]
    m = {
        "scores divided by d instead of sqrt(d)": attention(q, k, v, mask, scale=1 / d),
        "scores not scaled (the division by sqrt(d) is missing)": attention(q, k, v, mask, scale=1.0),
        "scores multiplied by sqrt(d) instead of divided by it": attention(q, k, v, mask, scale=math.sqrt(d)),
        "softmax over the wrong axis (over the queries, dim=-2; each query's weights over the keys "
        "must sum to 1)": attention(q, k, v, mask, dim=-2),
    }
    if dv != d:
        m["scaled by sqrt(dv), the value size, instead of sqrt(d), the key size"] = attention(
            q, k, v, mask, scale=1 / math.sqrt(dv))
    if mask is not None:
        m.update({
            "mask applied after the softmax (masked weights zeroed but the rest not renormalised; "
            "mask the scores with -inf before the softmax)": attention(q, k, v, mask, masking="after_softmax"),
            "mask inverted (True read as masked out, nn.MultiheadAttention's convention; here True = may "
            "attend)": attention(q, k, v, mask, masking="inverted"),
            "masked scores multiplied by the mask (set to 0, not -inf): masked keys keep a weight":
                attention(q, k, v, mask, masking="multiply"),
            "a fully masked row attends to every key equally (masked with a large negative number "
            "instead of -inf, then not zeroed): it must get weights 0 and output 0":
                attention(q, k, v, mask, masking="large_negative", fully="keep"),
        })
        if nan:  # a nan expected value matches anything: offered only when the result has nan
            m["nan on fully masked rows (softmax of a row of -inf): a query with no allowed key must get "
              "weights 0 and output 0"] = attention(q, k, v, mask, fully="nan")
    return m


# ------------------------------------------------------------------ 2. scaled_dot_product_attention
def _expected_attention(q, k, v, mask):
    """(F.scaled_dot_product_attention's output, the softmax weights with 0 on fully masked rows)."""
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return out, attention(q, k, v, mask)[1]


def _unbatched_works(student, q, k, v, mask) -> bool:
    """True when the student's function is right on the first (Lq, d) matrix of a batch."""
    lead = q.shape[:-2]
    q0, k0, v0 = q[(0,) * len(lead)], k[(0,) * len(lead)], v[(0,) * len(lead)]
    m0 = None if mask is None else mask.expand(*lead, q.shape[-2], k.shape[-2])[(0,) * len(lead)]
    try:
        got = student.scaled_dot_product_attention(q0, k0, v0, m0)
    except StudentError:
        return False
    return compare(got, _expected_attention(q0, k0, v0, m0)) is None


def _check_attention(student, q, k, v, mask=None, **tol):
    what = (f"scaled_dot_product_attention(q {tuple(q.shape)}, k {tuple(k.shape)}, v {tuple(v.shape)}"
            + ("" if mask is None else f", mask {tuple(mask.shape)}") + ") -> (output, weights)")
    try:
        got = (student.scaled_dot_product_attention(q, k, v) if mask is None
               else student.scaled_dot_product_attention(q, k, v, mask))
    except StudentError as exc:
        if exc.kind == "raised" and q.dim() > 2 and _unbatched_works(student, q, k, v, mask):
            fail(f"{what}: {exc}\n  It is right on one (Lq, d) matrix but fails on batched input: k.T "
                 "(or k.t(), or a transpose of fixed axes) on a batched tensor does not swap its last two "
                 "axes; use k.transpose(-2, -1).")
        raise
    expected = _expected_attention(q, k, v, mask)
    assert_close(got, expected, what=what, **tol,
                 mistakes=lambda: _only_differing(_attention_mistakes(q, k, v, mask, _has_nan(got)), expected))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_one_sequence_2d(student):
    _check_attention(student, _randn(3, 16, seed=1), _randn(5, 16, seed=2), _randn(5, 7, seed=3))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_batched_3d_non_square(student):
    _check_attention(student, _randn(2, 4, 16, seed=4), _randn(2, 6, 16, seed=5), _randn(2, 6, 5, seed=6))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_batch_of_one(student):
    _check_attention(student, _randn(1, 3, 20, seed=7), _randn(1, 5, 20, seed=8), _randn(1, 5, 4, seed=9))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_4d_heads(student):
    _check_attention(student, _randn(2, 3, 5, 24, seed=10), _randn(2, 3, 4, 24, seed=11),
                     _randn(2, 3, 4, 6, seed=12))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_scale_is_sqrt_of_key_size(student):
    # d = 64, dv = 8: 1/d, 1/sqrt(dv) and no scaling all give other weights
    _check_attention(student, _randn(2, 3, 64, seed=13), _randn(2, 5, 64, seed=14), _randn(2, 5, 8, seed=15))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_mask_broadcast_over_batch(student):
    _check_attention(student, _randn(3, 4, 16, seed=16), _randn(3, 6, 16, seed=17), _randn(3, 6, 5, seed=18),
                     _mask(4, 6, seed=19))


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_padding_mask_per_sample(student):
    keep = torch.tensor([[True] * 6, [True] * 4 + [False] * 2, [True] * 2 + [False] * 4])  # key lengths 6, 4, 2
    _check_attention(student, _randn(3, 5, 16, seed=20), _randn(3, 6, 16, seed=21), _randn(3, 6, 3, seed=22),
                     keep.unsqueeze(1))  # (N, 1, Lk): broadcast over the queries


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_fully_masked_row_gets_zero_weights_and_output(student):
    mask = _mask(2, 4, 5, seed=23, full_rows=[(0, 1), (1, 3)])
    _check_attention(student, _randn(2, 4, 16, seed=24), _randn(2, 5, 16, seed=25), _randn(2, 5, 6, seed=26), mask)


@pytest.mark.exercise("scaled_dot_product_attention")
def test_attention_float32(student):
    _check_attention(student, _randn(2, 4, 32, seed=27, dtype=F32), _randn(2, 7, 32, seed=28, dtype=F32),
                     _randn(2, 7, 5, seed=29, dtype=F32), _mask(4, 7, seed=30))


@pytest.mark.exercise("scaled_dot_product_attention", weight=2)
def test_attention_gradients_match_autograd(student):
    q, k, v, mask = _randn(2, 3, 16, seed=31), _randn(2, 5, 16, seed=32), _randn(2, 5, 4, seed=33), _mask(3, 5, seed=34)
    g_out, g_w = _randn(2, 3, 4, seed=35), _randn(2, 3, 5, seed=36)
    out, grads = student.grad_call("scaled_dot_product_attention", q, k, v, mask, grad_output=(g_out, g_w))
    expected = _expected_attention(q, k, v, mask)
    assert_close(out, expected, what="scaled_dot_product_attention(q, k, v, mask) (output, weights)",
                 mistakes=lambda: _only_differing(_attention_mistakes(q, k, v, mask, _has_nan(out)), expected))
    leaves = [t.clone().requires_grad_(True) for t in (q, k, v)]
    torch.autograd.backward(attention(*leaves, mask), (g_out, g_w))
    for name, got, leaf in zip("qkv", grads, leaves):
        if got is None:
            fail(f"no gradient reached {name}: scaled_dot_product_attention is not differentiable "
                 "(numpy inside, .detach(), .data or .item() break the autograd graph)")
        assert_close(got, leaf.grad, what=f"gradient of (output, weights) w.r.t. {name}")


# ------------------------------------------------------------------ 3. causal_mask
@pytest.mark.exercise("causal_mask")
def test_causal_mask_lower_triangle_with_diagonal(student):
    for n in (1, 2, 5, 8):
        right = torch.ones(n, n, dtype=torch.bool).tril()
        mistakes = {
            "causal mask off by one: strictly below the diagonal (each position must also attend to itself)":
                right.tril(-1),
            "upper triangle: True must mark the keys a query may attend to (j <= i), not the future": right.T,
            "inverted: True must mark the keys a query may attend to, not the masked-out future": ~right,
        }
        assert_equal(student.causal_mask(n), right, what=f"causal_mask({n})",
                     mistakes={k: v for k, v in mistakes.items() if not torch.equal(v, right)})


@pytest.mark.exercise("causal_mask")
def test_causal_mask_is_a_bool_tensor(student):
    got = student.causal_mask(4)
    if not isinstance(got, torch.Tensor) or got.dtype != torch.bool:
        kind = type(got).__name__ if not isinstance(got, torch.Tensor) else f"a {got.dtype} tensor"
        fail(f"causal_mask(4) must return a torch.bool tensor (masked_fill needs a bool mask), got {kind}")


# ------------------------------------------------------------------ 4. MultiHeadAttention
def _projections(d, seed, bias=True, dtype=F64):
    """Weights for q, k, v and the output projection: {name: (weight, bias or None)}."""
    scale = 1 / math.sqrt(d)
    return {name: (_randn(d, d, seed=seed + i, scale=scale, dtype=dtype),
                   _randn(d, seed=seed + 10 + i, scale=0.5, dtype=dtype) if bias else None)
            for i, name in enumerate(("q_proj", "k_proj", "v_proj", "out_proj"))}


def _set_linear(student, linear, weight, bias):
    linear.weight = student.new_parameter(weight)
    if bias is not None:
        linear.bias = student.new_parameter(bias)


def _student_mha(student, d, heads, proj, **kwargs):
    m = student.MultiHeadAttention(d, heads, **kwargs)
    for name, (w, b) in proj.items():
        _set_linear(student, getattr(m, name), w, b)
    return m


def _torch_mha(d, heads, proj, bias=True, dtype=F64):
    ref = nn.MultiheadAttention(d, heads, bias=bias, batch_first=True, dtype=dtype)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([proj[n][0] for n in ("q_proj", "k_proj", "v_proj")]))
        ref.out_proj.weight.copy_(proj["out_proj"][0])
        if bias:
            ref.in_proj_bias.copy_(torch.cat([proj[n][1] for n in ("q_proj", "k_proj", "v_proj")]))
            ref.out_proj.bias.copy_(proj["out_proj"][1])
    return ref


def _mha_expected(d, heads, proj, query, key, value, mask=None, bias=True):
    """nn.MultiheadAttention's (output, per-head weights); fully masked rows as the catalog says."""
    ref = _torch_mha(d, heads, proj, bias, query.dtype)
    attn_mask = None
    if mask is not None:
        attn_mask = ~mask if mask.dim() == 2 else (~mask).repeat_interleave(heads, dim=0)  # True = masked out
    out, w = ref(query, key, value, attn_mask=attn_mask, need_weights=True, average_attn_weights=False)
    out, w = out.detach(), w.detach()
    if mask is not None:
        fully = ~mask.any(dim=-1)  # (Lq,) or (N, Lq)
        zero_attn = proj["out_proj"][1] if bias else torch.zeros(d, dtype=query.dtype)
        out = torch.where(fully.unsqueeze(-1), zero_attn, out)
        w = torch.nan_to_num(w, nan=0.0)
    return out, w


def _mha_variant(heads, proj, query, key, value, mask=None, split="ok", merge="ok", out_proj=True, **att):
    """Judge-side multi-head attention with the knobs of known mistakes."""
    n, lq, d = query.shape
    hd = d // heads

    def lin(name, x):
        w, b = proj[name]
        return x @ w.T + (0 if b is None else b)

    def cut(x):
        if split == "view_no_transpose":
            return x.reshape(n, heads, x.shape[1], hd)
        return x.reshape(n, x.shape[1], heads, hd).transpose(1, 2)

    q, k, v = cut(lin("q_proj", query)), cut(lin("k_proj", key)), cut(lin("v_proj", value))
    if mask is not None and mask.dim() == 3:
        mask = mask.unsqueeze(1)
    o, w = attention(q, k, v, mask, **att)
    o = o.reshape(n, lq, d) if merge == "view_no_transpose" else o.transpose(1, 2).reshape(n, lq, d)
    return (lin("out_proj", o) if out_proj else o), w


def _around_own_attention(student, heads, proj, query, key, value, mask=None):
    """Right multi-head attention around the student's own scaled_dot_product_attention, or None.

    A MultiHeadAttention that matches this is right given that function: the function's mistakes
    cost only its own exercise. Non-finite results never count.
    """
    n, lq, d = query.shape
    lk, hd = key.shape[1], d // heads

    def lin(name, x):
        w, b = proj[name]
        return x @ w.T + (0 if b is None else b)

    def cut(x):
        return x.reshape(n, x.shape[1], heads, hd).transpose(1, 2)

    m4 = None if mask is None else (mask if mask.dim() == 2 else mask[:, None]).expand(n, heads, lq, lk)
    try:
        got = student.scaled_dot_product_attention(cut(lin("q_proj", query)), cut(lin("k_proj", key)),
                                                   cut(lin("v_proj", value)), m4)
    except StudentError:
        return None
    if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(t, torch.Tensor) for t in got)):
        return None
    o, w = got
    if o.shape != (n, heads, lq, hd) or not (torch.isfinite(o).all() and torch.isfinite(w).all()):
        return None
    return lin("out_proj", o.transpose(1, 2).reshape(n, lq, d)), w


def _mha_mistakes(heads, proj, query, key, value, mask=None, nan=False):
    d = query.shape[-1]
    args = (heads, proj, query, key, value, mask)
    m = {
        "heads split with view/reshape to (N, heads, L, head_dim) without a transpose: reshape to "
        "(N, L, heads, head_dim), then transpose(1, 2)": _mha_variant(*args, split="view_no_transpose",
                                                                       merge="view_no_transpose"),
        "heads split with view/reshape without a transpose (the merge is right)": _mha_variant(
            *args, split="view_no_transpose"),
        "heads merged back with view/reshape without transposing (N, heads, Lq, head_dim) to "
        "(N, Lq, heads, head_dim) first": _mha_variant(*args, merge="view_no_transpose"),
        "output projection missing (out_proj is never applied)": _mha_variant(*args, out_proj=False),
        "scores scaled by sqrt(d_model) instead of sqrt(head_dim)": _mha_variant(*args, scale=1 / math.sqrt(d)),
        "scores divided by head_dim instead of sqrt(head_dim)": _mha_variant(*args, scale=heads / d),
        "scores not scaled": _mha_variant(*args, scale=1.0),
        "softmax over the wrong axis (over the queries)": _mha_variant(*args, dim=-2),
    }
    if mask is not None:
        m["mask inverted (True = may attend here, unlike nn.MultiheadAttention's attn_mask)"] = _mha_variant(
            *args, masking="inverted")
        m["mask applied after the softmax"] = _mha_variant(*args, masking="after_softmax")
    if mask is not None and nan:
        m["nan on fully masked rows: a query with no allowed key gets a zero attention output, so the "
          "module returns out_proj(0)"] = _mha_variant(*args, fully="nan")
    return m


def _check_mha(student, d, heads, query, key, value, mask=None, seed=100, bias=True, **tol):
    proj = _projections(d, seed, bias, query.dtype)
    m = _student_mha(student, d, heads, proj, **({} if bias else {"bias": False}))
    got = m(query, key, value) if mask is None else m(query, key, value, mask)
    n, lq, lk = query.shape[0], query.shape[1], key.shape[1]
    what = (f"MultiHeadAttention({d}, {heads}{'' if bias else ', bias=False'})(query {tuple(query.shape)}, "
            f"key {tuple(key.shape)}, value {tuple(value.shape)}"
            + ("" if mask is None else f", mask {tuple(mask.shape)}") + ") -> (output, weights)")
    if isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[1], torch.Tensor):
        if tuple(got[1].shape) == (n, lq, lk) and heads > 1:
            fail(f"{what}: weights of shape {tuple(got[1].shape)}: averaged over the heads; return every "
                 f"head's weights, shape (N, n_heads, Lq, Lk) = {(n, heads, lq, lk)}")
    expected = _mha_expected(d, heads, proj, query, key, value, mask, bias)

    def mistakes():
        found = _only_differing(_mha_mistakes(heads, proj, query, key, value, mask, _has_nan(got)), expected)
        if not bias:
            own = {name: (w, student.fetch(getattr(m, name).bias)) for name, (w, _) in proj.items()}
            if all(isinstance(b, torch.Tensor) for _, b in own.values()):
                found["bias=False ignored: the projections still have biases"] = _mha_variant(
                    heads, own, query, key, value, mask)
        return found

    if compare(got, expected, tol.get("rtol"), tol.get("atol")) is None:
        return
    own = _around_own_attention(student, heads, proj, query, key, value, mask)
    if own is not None and compare(got, own, tol.get("rtol"), tol.get("atol")) is None:
        return  # right, given the student's own attention function (graded in its own exercise)
    assert_close(got, expected, what=what, mistakes=mistakes, **tol)


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_self_attention_matches_torch(student):
    x = _randn(2, 5, 32, seed=40)
    _check_mha(student, 32, 4, x, x, x)


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_cross_attention_lq_differs_from_lk(student):
    _check_mha(student, 24, 3, _randn(3, 4, 24, seed=41), _randn(3, 6, 24, seed=42), _randn(3, 6, 24, seed=43))


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_batch_of_one_and_one_head(student):
    _check_mha(student, 16, 1, _randn(1, 3, 16, seed=44), _randn(1, 5, 16, seed=45), _randn(1, 5, 16, seed=46))
    _check_mha(student, 16, 2, _randn(1, 4, 16, seed=47), _randn(1, 2, 16, seed=48), _randn(1, 2, 16, seed=49))


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_causal_mask_for_every_head(student):
    x = _randn(2, 6, 32, seed=50)
    _check_mha(student, 32, 4, x, x, x, torch.ones(6, 6, dtype=torch.bool).tril())


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_mask_per_sample(student):
    _check_mha(student, 32, 8, _randn(2, 4, 32, seed=51), _randn(2, 5, 32, seed=52), _randn(2, 5, 32, seed=53),
               _mask(2, 4, 5, seed=54))


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_fully_masked_row_outputs_out_proj_bias(student):
    _check_mha(student, 16, 4, _randn(2, 3, 16, seed=55), _randn(2, 4, 16, seed=56), _randn(2, 4, 16, seed=57),
               _mask(2, 3, 4, seed=58, full_rows=[(0, 2), (1, 0)]))


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_without_bias(student):
    x = _randn(2, 4, 16, seed=59)
    _check_mha(student, 16, 2, x, x, x, bias=False)


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_float32(student):
    x, kv = _randn(2, 5, 32, seed=60, dtype=F32), _randn(2, 3, 32, seed=61, dtype=F32)
    _check_mha(student, 32, 4, x, kv, kv, atol=2e-5)


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_raises_when_d_model_not_divisible_by_heads(student):
    assert_raises("ValueError", student.MultiHeadAttention, 10, 4)
    assert_raises("ValueError", student.MultiHeadAttention, 32, 3)


@pytest.mark.exercise("MultiHeadAttention")
def test_mha_gradients_reach_inputs_and_projections(student):
    d, heads = 16, 4
    proj = _projections(d, 200)
    m = _student_mha(student, d, heads, proj)
    q, kv, mask = _randn(2, 3, d, seed=62), _randn(2, 5, d, seed=63), _mask(3, 5, seed=64)
    g_out, g_w = _randn(2, 3, d, seed=65), _randn(2, heads, 3, 5, seed=66)
    out, grads = student.grad_call(m, q, kv, kv.clone(), mask, grad_output=(g_out, g_w))
    expected = _mha_expected(d, heads, proj, q, kv, kv, mask)
    if compare(out, expected) is not None:
        own = _around_own_attention(student, heads, proj, q, kv, kv, mask)
        if own is not None and compare(out, own) is None:
            # right given the student's own attention function: torch's gradients do not apply
            if any(g is None for g in grads[:3]):
                fail("no gradient reached the query, key or value: MultiHeadAttention is not differentiable")
            return
        assert_close(out, expected, what="MultiHeadAttention(16, 4) output")
    ref = _torch_mha(d, heads, proj)
    leaves = [t.clone().requires_grad_(True) for t in (q, kv, kv)]
    o, w = ref(*leaves, attn_mask=~mask, average_attn_weights=False)
    torch.autograd.backward((o, w), (g_out, g_w))
    for name, got, leaf in zip(("query", "key", "value"), grads, leaves):
        if got is None:
            fail(f"no gradient reached the {name}: MultiHeadAttention is not differentiable")
        assert_close(got, leaf.grad, what=f"gradient w.r.t. the {name}")
    own = student.param_grads(m)
    wq, wk, wv = ref.in_proj_weight.grad.chunk(3)
    bq, bk, bv = ref.in_proj_bias.grad.chunk(3)
    expected = {"q_proj.weight": wq, "k_proj.weight": wk, "v_proj.weight": wv, "q_proj.bias": bq,
                "k_proj.bias": bk, "v_proj.bias": bv, "out_proj.weight": ref.out_proj.weight.grad,
                "out_proj.bias": ref.out_proj.bias.grad}
    for name, grad in expected.items():
        if own.get(name) is None:
            fail(f"no gradient reached {name}")
        assert_close(own[name], grad, what=f"gradient w.r.t. {name}")


# ------------------------------------------------------------------ 5. positional encoding
def _pe(max_len, d, exponent=lambda j: j - j % 2, pos0=0, layout="interleaved"):
    """The catalog's table in float64 (column j uses exponent(j) / d), with mistakes' knobs."""
    pos = torch.arange(pos0, pos0 + max_len, dtype=F64).unsqueeze(1)
    cols = torch.arange(d, dtype=F64)
    angles = pos / 10000.0 ** (exponent(cols) / d)  # (max_len, d)
    even = (torch.arange(d) % 2 == 0)
    if layout == "interleaved":
        return torch.where(even, torch.sin(angles), torch.cos(angles)).float()
    if layout == "swapped":
        return torch.where(even, torch.cos(angles), torch.sin(angles)).float()
    half = angles[:, 0::2]  # the d/2 frequencies
    return torch.cat([torch.sin(half), torch.cos(half)], dim=1).float()


def _pe_mistakes(max_len, d):
    return {
        "sin and cos not interleaved: the first half of the columns sin, the second half cos "
        "(sin belongs on even columns 2i, cos on odd columns 2i + 1)": _pe(max_len, d, layout="halves"),
        "sin and cos swapped (cos on the even columns, sin on the odd ones)": _pe(max_len, d, layout="swapped"),
        "exponent uses i instead of 2i (10000^(i / d_model) for the pair i)": _pe(
            max_len, d, exponent=lambda j: (j - j % 2) / 2),
        "each column uses its own index in the exponent (10000^(j / d_model)): the cos column 2i + 1 "
        "must share the frequency of the sin column 2i": _pe(max_len, d, exponent=lambda j: j),
        "exponent 2j with the column index j (10000^(2j / d_model)); 2i is the even column itself":
            _pe(max_len, d, exponent=lambda j: 2 * j),
        "positions start at 1 instead of 0": _pe(max_len, d, pos0=1),
    }


def _check_pe(student, max_len, d):
    expected = _pe(max_len, d)
    got = student.sinusoidal_positional_encoding(max_len, d)
    if isinstance(got, torch.Tensor) and got.dtype != F32:
        fail(f"sinusoidal_positional_encoding({max_len}, {d}): expected a float32 tensor, got {got.dtype}")
    # float32 sin of angles up to max_len: the error grows with the position (about 1e-7 * pos)
    assert_close(got, expected, what=f"sinusoidal_positional_encoding({max_len}, {d})", rtol=0,
                 atol=2e-5 + 2e-7 * max_len, mistakes=_only_differing(_pe_mistakes(max_len, d), expected))


@pytest.mark.exercise("sinusoidal_positional_encoding")
def test_positional_encoding_small_table(student):
    _check_pe(student, 7, 6)


@pytest.mark.exercise("sinusoidal_positional_encoding")
def test_positional_encoding_matches_formula(student):
    _check_pe(student, 50, 16)


@pytest.mark.exercise("sinusoidal_positional_encoding")
def test_positional_encoding_long_and_wide(student):
    _check_pe(student, 200, 64)
    _check_pe(student, 1, 10)


@pytest.mark.exercise("sinusoidal_positional_encoding")
def test_positional_encoding_raises_for_odd_d_model(student):
    assert_raises("ValueError", student.sinusoidal_positional_encoding, 10, 7)
    assert_raises("ValueError", student.sinusoidal_positional_encoding, 4, 1)


# ------------------------------------------------------------------ 6. TransformerEncoderLayer
def _layer_weights(d, d_ff, seed, dtype=F64):
    def r(*shape, i, scale):
        return _randn(*shape, seed=seed + i, scale=scale, dtype=dtype)

    return {
        "linear1": (r(d_ff, d, i=0, scale=1 / math.sqrt(d)), r(d_ff, i=1, scale=0.5)),
        "linear2": (r(d, d_ff, i=2, scale=1 / math.sqrt(d_ff)), r(d, i=3, scale=0.5)),
        "norm1": (1 + r(d, i=4, scale=0.3), r(d, i=5, scale=0.3)),
        "norm2": (1 + r(d, i=6, scale=0.3), r(d, i=7, scale=0.3)),
    }


def _torch_layer(d, heads, d_ff, weights, attended, dtype):
    """nn.TransformerEncoderLayer with these weights; its attention block returns `attended`."""
    ref = nn.TransformerEncoderLayer(d, heads, d_ff, dropout=0.0, batch_first=True, dtype=dtype)
    with torch.no_grad():
        for name, (w, b) in weights.items():
            getattr(ref, name).weight.copy_(w)
            getattr(ref, name).bias.copy_(b)
    ref._sa_block = lambda x, attn_mask, key_padding_mask, is_causal=False: attended
    return ref


def _layer_variant(weights, x, attended, norm_first=False, residual1=True, residual2=True, act=torch.relu,
                   second_norm="norm2"):
    def lin(name, t):
        return t @ weights[name][0].T + weights[name][1]

    def norm(name, t):
        return F.layer_norm(t, t.shape[-1:], weights[name][0], weights[name][1], eps=1e-5)

    h = norm("norm1", (x if residual1 else 0) + attended)
    return norm(second_norm, (h if residual2 else 0) + lin("linear2", act(lin("linear1", h))))


def _layer_mistakes(student, layer, weights, x, mask, attended):
    m = {
        "no residual around the attention (x = norm1(attn(x)))": _layer_variant(weights, x, attended, residual1=False),
        "no residual around the feed-forward (x = norm2(ffn(x)))": _layer_variant(weights, x, attended, residual2=False),
        "ReLU missing between linear1 and linear2": _layer_variant(weights, x, attended, act=lambda t: t),
        "GELU used where the catalog's layer (and nn.TransformerEncoderLayer's default) has ReLU":
            _layer_variant(weights, x, attended, act=F.gelu),
        "norm1 used for both LayerNorms (norm2 never applied)": _layer_variant(weights, x, attended,
                                                                               second_norm="norm1"),
    }
    try:  # pre-norm: the attention sees norm1(x); ask the student's own self_attn for that output
        w1, b1 = weights["norm1"]
        nx = F.layer_norm(x, x.shape[-1:], w1, b1, eps=1e-5)
        a_pre = _own_attention(layer, nx, mask)
        h = x + a_pre
        n2 = F.layer_norm(h, h.shape[-1:], *weights["norm2"], eps=1e-5)
        m["pre-norm (x + attn(norm1(x))) instead of post-norm (norm1(x + attn(x)))"] = (
            h + (torch.relu(n2 @ weights["linear1"][0].T + weights["linear1"][1]) @ weights["linear2"][0].T
                 + weights["linear2"][1]))
        if mask is not None:
            m["mask not passed to self_attn"] = _layer_variant(weights, x, _own_attention(layer, x, None))
    except StudentError:
        pass
    return m


def _own_attention(layer, x, mask):
    """The output of the student's own self_attn(x, x, x, mask), as data."""
    sa = layer.self_attn
    out = sa(x, x, x) if mask is None else sa(x, x, x, mask)
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    fail(f"self_attn(x, x, x) must return (output, weights) as MultiHeadAttention does, got {type(out).__name__}")


def _student_layer(student, d, heads, d_ff, weights, seed, dtype=F64):
    layer = student.TransformerEncoderLayer(d, heads, d_ff)
    sa = layer.self_attn
    for name, (w, b) in _projections(d, seed, dtype=dtype).items():
        _set_linear(student, getattr(sa, name), w, b)
    for name, (w, b) in weights.items():
        _set_linear(student, getattr(layer, name), w, b)
    return layer


def _check_layer(student, d, heads, d_ff, x, mask=None, seed=300, **tol):
    weights = _layer_weights(d, d_ff, seed, x.dtype)
    layer = _student_layer(student, d, heads, d_ff, weights, seed + 50, x.dtype)
    got = layer(x) if mask is None else layer(x, mask)
    attended = _own_attention(layer, x, mask)
    if not torch.isfinite(attended).all():
        fail(f"your self_attn returned nan or inf for x {tuple(x.shape)}: the layer cannot be checked")
    expected = _torch_layer(d, heads, d_ff, weights, attended, x.dtype)(x).detach()
    what = (f"TransformerEncoderLayer({d}, {heads}, {d_ff})(x {tuple(x.shape)}"
            + ("" if mask is None else f", mask {tuple(mask.shape)}") + "), given your self_attn's output")
    assert_close(got, expected, what=what, **tol,
                 mistakes=lambda: _only_differing(_layer_mistakes(student, layer, weights, x, mask, attended), expected))


@pytest.mark.exercise("TransformerEncoderLayer")
def test_encoder_layer_matches_torch(student):
    _check_layer(student, 16, 4, 24, _randn(2, 5, 16, seed=70))


@pytest.mark.exercise("TransformerEncoderLayer")
def test_encoder_layer_batch_of_one(student):
    _check_layer(student, 8, 2, 12, _randn(1, 3, 8, seed=71))


@pytest.mark.exercise("TransformerEncoderLayer")
def test_encoder_layer_passes_the_mask_to_attention(student):
    _check_layer(student, 16, 2, 20, _randn(2, 6, 16, seed=72), torch.ones(6, 6, dtype=torch.bool).tril())


@pytest.mark.exercise("TransformerEncoderLayer")
def test_encoder_layer_float32(student):
    _check_layer(student, 16, 4, 32, _randn(3, 4, 16, seed=73, dtype=F32), atol=3e-5)


@pytest.mark.exercise("TransformerEncoderLayer")
def test_encoder_layer_gradients_reach_its_own_weights(student):
    d, heads, d_ff = 16, 4, 24
    weights = _layer_weights(d, d_ff, 400)
    layer = _student_layer(student, d, heads, d_ff, weights, 450)
    x, g = _randn(2, 4, d, seed=74), _randn(2, 4, d, seed=75)
    out, _ = student.grad_call(layer, x, grad_output=g)
    attended = _own_attention(layer, x, None)
    ref = _torch_layer(d, heads, d_ff, weights, attended, F64)
    expected = ref(x)
    assert_close(out, expected.detach(), what="TransformerEncoderLayer output, given your self_attn's output")
    expected.backward(g)
    own = student.param_grads(layer)
    for name in weights:
        for part in ("weight", "bias"):
            key = f"{name}.{part}"
            if own.get(key) is None:
                fail(f"no gradient reached {key}: the layer is not differentiable")
            assert_close(own[key], getattr(getattr(ref, name), part).grad, what=f"gradient w.r.t. {key}")
