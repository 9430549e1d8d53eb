"""Grading suite for the rnn topic.

Oracles: nn.RNNCell, nn.LSTMCell, nn.GRUCell and nn.RNN with the student's weights copied in
(values and autograd gradients), torch.nn.utils.clip_grad_norm_ on copies of the gradients.
Input size != hidden size and batch 1 and > 1 everywhere, float64 and float32; the known
misconceptions (gate orders, h = o * c, GRU z and 1 - z, the reset gate before the matmul, the
clipping epsilon, the norm after clipping) are recomputed here and named when they match.
rnn_forward is graded on its own: a loop over the student's own rnn_cell counts as right.
"""

import itertools

import pytest
import torch
import torch.nn as nn

from grader.checks import assert_close, fail
from grader.checks.numeric import compare

F64 = torch.float64
GATES = {"lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}


def _randn(*shape, seed, dtype=F64, scale=1.0):
    return scale * torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _weights(blocks, i, h, seed, dtype=F64):
    """W_ih (G*H, I), W_hh (G*H, H), b_ih, b_hh (G*H,) with entries of size ~1/sqrt(H)."""
    s = 0.8 / h**0.5
    return (_randn(blocks * h, i, seed=seed, dtype=dtype, scale=2 * s),
            _randn(blocks * h, h, seed=seed + 1, dtype=dtype, scale=2 * s),
            _randn(blocks * h, seed=seed + 2, dtype=dtype, scale=s),
            _randn(blocks * h, seed=seed + 3, dtype=dtype, scale=s))


def _load(module, weights, suffix=""):
    with torch.no_grad():
        for name, w in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), weights):
            getattr(module, name + suffix).copy_(w)
    return module


def _cell(kind, i, h, weights):
    cls = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[kind]
    return _load(cls(i, h, dtype=weights[0].dtype), weights)


def _no_grad(fn):
    def run(*args, **kwargs):
        with torch.no_grad():
            return fn(*args, **kwargs)
    return run


def _shapes(*tensors):
    return ", ".join(str(tuple(t.shape)) for t in tensors)


# ------------------------------------------------------------------ reference rules of known mistakes
def _aff(x, W, b):
    return x @ W.T + b


def _permuted(W_ih, W_hh, b_ih, b_hh, order, blocks):
    """The weights with their gate blocks reordered: what reading the chunks in `order` means."""
    def perm(t):
        parts = t.chunk(blocks, dim=0)
        return torch.cat([parts[k] for k in order], dim=0)
    return tuple(perm(t) for t in (W_ih, W_hh, b_ih, b_hh))


@_no_grad
def _rnn_mistakes(x, h, W_ih, W_hh, b_ih, b_hh):
    pre = _aff(x, W_ih, b_ih) + _aff(h, W_hh, b_hh)
    m = {"ReLU used instead of tanh (nn.RNNCell's default nonlinearity is tanh)": pre.relu(),
         "sigmoid used instead of tanh": pre.sigmoid(),
         "no nonlinearity (h' is the affine map itself)": pre,
         "b_hh left out (only one bias added)": torch.tanh(pre - b_hh),
         "b_ih left out (only one bias added)": torch.tanh(pre - b_ih)}
    if W_ih.shape[0] == W_ih.shape[1]:
        m["weights used without transposing (x @ W instead of x @ W.T)"] = torch.tanh(
            x @ W_ih + b_ih + h @ W_hh + b_hh)
    return m


def _lstm_ref(x, h, c, W_ih, W_hh, b_ih, b_hh, *, out_tanh=True, g_act=torch.tanh):
    i, f, g, o = (_aff(x, W_ih, b_ih) + _aff(h, W_hh, b_hh)).chunk(4, dim=1)
    c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * g_act(g)
    return torch.sigmoid(o) * (torch.tanh(c2) if out_tanh else c2), c2


@_no_grad
def _lstm_mistakes(x, h, c, W_ih, W_hh, b_ih, b_hh):
    w = (W_ih, W_hh, b_ih, b_hh)
    right = _lstm_ref(x, h, c, *w)
    m = {"h = o * c: the output gate multiplies c itself instead of tanh(c)": _lstm_ref(x, h, c, *w, out_tanh=False),
         "candidate g squashed with sigmoid instead of tanh": _lstm_ref(x, h, c, *w, g_act=torch.sigmoid),
         "b_hh left out (only one bias added)": _lstm_ref(x, h, c, W_ih, W_hh, b_ih, 0 * b_hh),
         "the state returned as (c, h) instead of (h, c)": (right[1], right[0])}
    for order in itertools.permutations(range(4)):
        if order != (0, 1, 2, 3):
            named = ", ".join(GATES["lstm"][k] for k in order)
            # chunks read as (named); inverting the permutation gives the weights that mistake uses
            inverse = tuple(order.index(k) for k in range(4))
            m[f"gate order wrong: the chunks read as ({named}), but PyTorch stacks (i, f, g, o)"] = _lstm_ref(
                x, h, c, *_permuted(*w, inverse, 4))
    return m


def _gru_ref(x, h, W_ih, W_hh, b_ih, b_hh, *, swap_z=False, reset_first=False, b_hn_outside=False):
    x_r, x_z, x_n = _aff(x, W_ih, b_ih).chunk(3, dim=1)
    W_hr, W_hz, W_hn = W_hh.chunk(3, dim=0)
    b_hr, b_hz, b_hn = b_hh.chunk(3)
    r = torch.sigmoid(x_r + _aff(h, W_hr, b_hr))
    z = torch.sigmoid(x_z + _aff(h, W_hz, b_hz))
    if reset_first:
        n = torch.tanh(x_n + _aff(r * h, W_hn, b_hn))
    elif b_hn_outside:
        n = torch.tanh(x_n + r * (h @ W_hn.T) + b_hn)
    else:
        n = torch.tanh(x_n + r * _aff(h, W_hn, b_hn))
    return z * n + (1 - z) * h if swap_z else (1 - z) * n + z * h


@_no_grad
def _gru_mistakes(x, h, W_ih, W_hh, b_ih, b_hh):
    w = (W_ih, W_hh, b_ih, b_hh)
    m = {"z and 1 - z swapped: h' = z * n + (1 - z) * h, but PyTorch keeps z * h": _gru_ref(x, h, *w, swap_z=True),
         "reset gate applied to h before the matmul, W_hn (r * h) (the d2l variant); PyTorch applies it after: "
         "r * (W_hn h + b_hn)": _gru_ref(x, h, *w, reset_first=True),
         "b_hn added outside the reset gate; PyTorch computes r * (W_hn h + b_hn)": _gru_ref(x, h, *w, b_hn_outside=True)}
    for order in itertools.permutations(range(3)):
        if order != (0, 1, 2):
            named = ", ".join(GATES["gru"][k] for k in order)
            inverse = tuple(order.index(k) for k in range(3))
            m[f"gate order wrong: the chunks read as ({named}), but PyTorch stacks (r, z, n)"] = _gru_ref(
                x, h, *_permuted(*w, inverse, 3))
    return m


# ------------------------------------------------------------------ the cells
def _check_rnn_cell(student, n, i, h, seed, dtype=F64):
    w = _weights(1, i, h, seed, dtype)
    x, h0 = _randn(n, i, seed=seed + 10, dtype=dtype), _randn(n, h, seed=seed + 11, dtype=dtype)
    with torch.no_grad():
        expected = _cell("rnn", i, h, w)(x, h0)
    got = student.rnn_cell(x, h0, *w)
    assert_close(got, expected, what=f"rnn_cell(x, h, W_ih, W_hh, b_ih, b_hh) with shapes {_shapes(x, h0, *w)}",
                 mistakes=lambda: _rnn_mistakes(x, h0, *w))


@pytest.mark.exercise("rnn_cell")
def test_rnn_cell_matches_nn_rnncell(student):
    _check_rnn_cell(student, 3, 5, 4, seed=1)


@pytest.mark.exercise("rnn_cell")
def test_rnn_cell_batch_of_one_float32(student):
    _check_rnn_cell(student, 1, 2, 6, seed=2, dtype=torch.float32)


@pytest.mark.exercise("rnn_cell")
def test_rnn_cell_input_size_equal_to_hidden_size(student):
    # square weights: forgetting the transpose runs without a shape error here
    _check_rnn_cell(student, 2, 4, 4, seed=3)


def _check_cell_grads(student, kind, n, i, h, seed):
    """Output and every input's gradient against autograd through the nn cell (float64)."""
    blocks = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    w = _weights(blocks, i, h, seed)
    x, h0, c0 = (_randn(n, d, seed=seed + k, dtype=F64) for k, d in ((10, i), (11, h), (12, h)))
    cell = _cell(kind, i, h, w)
    leaves = [t.clone().requires_grad_(True) for t in (x, h0, c0)]
    state = (leaves[1], leaves[2]) if kind == "lstm" else leaves[1]
    out = cell(leaves[0], state)
    outs = out if kind == "lstm" else (out,)
    gouts = [_randn(*o.shape, seed=seed + 20 + k) for k, o in enumerate(outs)]
    torch.autograd.backward(outs, gouts)
    args = (x, (h0, c0)) if kind == "lstm" else (x, h0)
    got, grads = student.grad_call(f"{kind}_cell", *args, *w, grad_output=tuple(gouts) if kind == "lstm" else gouts[0])
    expected = tuple(o.detach() for o in outs) if kind == "lstm" else outs[0].detach()
    assert_close(got, expected, what=f"{kind}_cell output (float64, shapes {_shapes(x, h0, *w)})")
    # the LSTM's state is a tuple, which grad_call passes as it is: its gradient reaches the
    # weights (checked) but is not read back itself
    names = ["input x", None if kind == "lstm" else "state h", "W_ih", "W_hh", "b_ih", "b_hh"]
    wanted = [leaves[0].grad, leaves[1].grad, cell.weight_ih.grad, cell.weight_hh.grad, cell.bias_ih.grad,
              cell.bias_hh.grad]
    for name, g, e in zip(names, grads, wanted):
        if name is None:
            continue
        if g is None:
            fail(f"no gradient reached {name}: {kind}_cell is not differentiable "
                 "(numpy inside, .detach(), .data or .item() break the autograd graph)")
        assert_close(g, e, what=f"gradient of {kind}_cell w.r.t. {name}")


@pytest.mark.exercise("rnn_cell")
def test_rnn_cell_gradients_match_autograd(student):
    _check_cell_grads(student, "rnn", 2, 3, 5, seed=4)


def _check_lstm(student, n, i, h, seed, dtype=F64):
    w = _weights(4, i, h, seed, dtype)
    x, h0, c0 = (_randn(n, d, seed=seed + k, dtype=dtype, scale=1.5) for k, d in ((10, i), (11, h), (12, h)))
    with torch.no_grad():
        expected = _cell("lstm", i, h, w)(x, (h0, c0))
    got = student.lstm_cell(x, (h0, c0), *w)
    assert_close(got, expected, what=f"lstm_cell(x, (h, c), W_ih, W_hh, b_ih, b_hh) -> (h', c'), shapes {_shapes(x, h0, *w)}",
                 mistakes=lambda: _lstm_mistakes(x, h0, c0, *w))


@pytest.mark.exercise("lstm_cell")
def test_lstm_cell_matches_nn_lstmcell(student):
    _check_lstm(student, 3, 5, 4, seed=30)


@pytest.mark.exercise("lstm_cell")
def test_lstm_cell_batch_of_one_float32(student):
    _check_lstm(student, 1, 3, 2, seed=31, dtype=torch.float32)


@pytest.mark.exercise("lstm_cell")
def test_lstm_cell_large_cell_state_needs_tanh(student):
    # |c| well above 1: o * c and o * tanh(c) are far apart
    w = _weights(4, 2, 3, seed=32)
    x, h0, c0 = _randn(2, 2, seed=33), _randn(2, 3, seed=34), _randn(2, 3, seed=35, scale=4.0)
    with torch.no_grad():
        expected = _cell("lstm", 2, 3, w)(x, (h0, c0))
    got = student.lstm_cell(x, (h0, c0), *w)
    assert_close(got, expected, what="lstm_cell with a cell state of size ~4: (h', c')",
                 mistakes=lambda: _lstm_mistakes(x, h0, c0, *w))


@pytest.mark.exercise("lstm_cell")
def test_lstm_cell_gradients_match_autograd(student):
    _check_cell_grads(student, "lstm", 2, 4, 3, seed=36)


def _check_gru(student, n, i, h, seed, dtype=F64):
    w = _weights(3, i, h, seed, dtype)
    x, h0 = _randn(n, i, seed=seed + 10, dtype=dtype, scale=1.5), _randn(n, h, seed=seed + 11, dtype=dtype, scale=1.5)
    with torch.no_grad():
        expected = _cell("gru", i, h, w)(x, h0)
    got = student.gru_cell(x, h0, *w)
    assert_close(got, expected, what=f"gru_cell(x, h, W_ih, W_hh, b_ih, b_hh) with shapes {_shapes(x, h0, *w)}",
                 mistakes=lambda: _gru_mistakes(x, h0, *w))


@pytest.mark.exercise("gru_cell")
def test_gru_cell_matches_nn_grucell(student):
    _check_gru(student, 3, 5, 4, seed=50)


@pytest.mark.exercise("gru_cell")
def test_gru_cell_batch_of_one_float32(student):
    _check_gru(student, 1, 2, 3, seed=51, dtype=torch.float32)


@pytest.mark.exercise("gru_cell")
def test_gru_cell_gradients_match_autograd(student):
    _check_cell_grads(student, "gru", 2, 3, 4, seed=52)


# ------------------------------------------------------------------ rnn_forward
@_no_grad
def _forward_mistakes(xs, h0, W_ih, W_hh, b_ih, b_hh):
    hs, h = [], h0
    for x in xs:
        h = torch.tanh(_aff(x, W_ih, b_ih) + _aff(h, W_hh, b_hh))
        hs.append(h)
    outs = torch.stack(hs)
    fresh = torch.stack([torch.tanh(_aff(x, W_ih, b_ih) + _aff(h0, W_hh, b_hh)) for x in xs])
    return {"outputs[t] is the state before step t (h0 included, the last state left out)":
                (torch.stack([h0, *hs[:-1]]), h),
            "h_last returned as h0 (the state not carried out of the loop)": (outs, h0),
            "the hidden state not carried between steps (every step starts from h0)": (fresh, fresh[-1]),
            "outputs batch-first (N, T, H), but nn.RNN's default is (T, N, H)": (outs.transpose(0, 1), h)}


def _own_cell_loop(student, xs, h0, w):
    """What looping the student's own rnn_cell gives, or None when that cell fails to run."""
    from grader.errors import StudentError

    try:
        h, outs = h0, []
        for x in xs:
            h = student.rnn_cell(x, h, *w)
            outs.append(h)
        return torch.stack(outs), h
    except (StudentError, TypeError, RuntimeError):
        return None


def _check_forward(student, t, n, i, h, seed, dtype=F64):
    w = _weights(1, i, h, seed, dtype)
    xs, h0 = _randn(t, n, i, seed=seed + 10, dtype=dtype), _randn(n, h, seed=seed + 11, dtype=dtype)
    rnn = _load(nn.RNN(i, h, dtype=dtype), w, "_l0")
    with torch.no_grad():
        outs, h_n = rnn(xs, h0.unsqueeze(0))
    expected = (outs, h_n.squeeze(0))
    got = student.rnn_forward(xs, h0, *w)
    if compare(got, expected) is None:
        return
    own = _own_cell_loop(student, xs, h0, w)
    if own is not None and compare(own, expected) is not None and compare(got, own) is None:
        return  # right loop over a wrong rnn_cell: the cell's mistake costs the cell only
    assert_close(got, expected, what=f"rnn_forward(xs {tuple(xs.shape)}, h0 {tuple(h0.shape)}, ...) -> (outputs, h_last)",
                 mistakes=lambda: _forward_mistakes(xs, h0, *w))


@pytest.mark.exercise("rnn_forward")
def test_rnn_forward_matches_nn_rnn(student):
    _check_forward(student, 5, 3, 4, 6, seed=70)


@pytest.mark.exercise("rnn_forward")
def test_rnn_forward_batch_of_one_float32(student):
    _check_forward(student, 4, 1, 3, 2, seed=71, dtype=torch.float32)


@pytest.mark.exercise("rnn_forward")
def test_rnn_forward_single_step(student):
    _check_forward(student, 1, 2, 3, 4, seed=72)


@pytest.mark.exercise("rnn_forward")
def test_rnn_forward_gradients_through_time(student):
    t, n, i, h = 4, 2, 3, 5
    w = _weights(1, i, h, seed=73)
    xs, h0 = _randn(t, n, i, seed=74), _randn(n, h, seed=75)
    rnn = _load(nn.RNN(i, h, dtype=F64), w, "_l0")
    xl, hl = xs.clone().requires_grad_(True), h0.clone().requires_grad_(True)
    outs, h_n = rnn(xl, hl.unsqueeze(0))
    g_out, g_h = _randn(t, n, h, seed=76), _randn(n, h, seed=77)
    torch.autograd.backward((outs, h_n.squeeze(0)), (g_out, g_h))
    got, grads = student.grad_call("rnn_forward", xs, h0, *w, grad_output=(g_out, g_h))
    expected = (outs.detach(), h_n.squeeze(0).detach())
    own_cell = False
    if compare(got, expected) is not None:
        own = _own_cell_loop(student, xs, h0, w)
        own_cell = own is not None and compare(own, expected) is not None and compare(got, own) is None
        if not own_cell:
            assert_close(got, expected, what="rnn_forward (outputs, h_last)",
                         mistakes=lambda: _forward_mistakes(xs, h0, *w))
    wanted = [xl.grad, hl.grad, rnn.weight_ih_l0.grad, rnn.weight_hh_l0.grad, rnn.bias_ih_l0.grad, rnn.bias_hh_l0.grad]
    for name, g, e in zip(["xs", "h0", "W_ih", "W_hh", "b_ih", "b_hh"], grads, wanted):
        if g is None:
            fail(f"no gradient reached {name}: rnn_forward is not differentiable "
                 "(numpy inside, .detach(), .data, .item() or writing into a preallocated tensor break the graph)")
        if not own_cell:  # over a wrong rnn_cell of the student's own, only differentiability is graded here
            assert_close(g, e, what=f"gradient of rnn_forward w.r.t. {name} (backpropagation through time)")


# ------------------------------------------------------------------ clip_grad_norm
def _torch_clip(grads, max_norm):
    params = [nn.Parameter(torch.zeros_like(g)) if g is not None else nn.Parameter(torch.zeros(1)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = None if g is None else g.clone()
    total = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
    return total, [p.grad for p in params]


def _clip_mistakes(grads, max_norm):
    live = [g for g in grads if g is not None]
    norms = [float(torch.linalg.vector_norm(g.double())) for g in live]
    total = sum(n * n for n in norms) ** 0.5

    def scaled(scale):
        return [None if g is None else g * scale for g in grads]

    ret = {"returned the norm after clipping (return the total norm measured before scaling)":
               max_norm * total / (total + 1e-6) if total > max_norm else total,
           "returned the squared norm (sqrt missing)": total * total,
           "returned the sum of the per-parameter norms (not the L2 norm of all grads together)": sum(norms)}
    per_param = [None if g is None else g * (max_norm / (float(torch.linalg.vector_norm(g.double())) + 1e-6)
                                             if float(torch.linalg.vector_norm(g.double())) > max_norm else 1.0)
                 for g in grads]
    new = {"scale max_norm / total without the + 1e-6 in the denominator": scaled(max_norm / total),
           "each parameter clipped by its own norm instead of the total norm": per_param,
           "grads scaled although the total norm was below max_norm (clip only when it exceeds)":
               scaled(max_norm / (total + 1e-6)),
           "grads set to max_norm * g (not divided by the norm)": scaled(max_norm)}
    return ret, new


def _check_clip(student, grads, max_norm, what, single=False, rtol=None, atol=None):
    expected_total, expected_grads = _torch_clip(grads, max_norm)
    params = [student.new_parameter(torch.zeros_like(g) if g is not None else torch.zeros(1)) for g in grads]
    for p, g in zip(params, grads):
        if g is not None:
            p.grad = g.clone()
    total = student.clip_grad_norm(params[0] if single else params, max_norm)
    got_grads = [p.grad for p in params]
    ret, new = _clip_mistakes(grads, max_norm)
    assert_close(total, expected_total, what=f"clip_grad_norm({what}): the returned total norm", rtol=rtol, atol=atol,
                 mistakes={k: v for k, v in ret.items() if abs(v - expected_total) > 1e-9 * expected_total})
    for k, (g, e) in enumerate(zip(got_grads, expected_grads)):
        if e is None:
            if g is not None:
                fail(f"clip_grad_norm({what}): parameter {k} had no grad and must keep grad None, "
                     f"got a tensor of shape {tuple(g.shape)}")
            continue
    assert_close(got_grads, expected_grads, what=f"clip_grad_norm({what}): the grads after clipping", atol=atol,
                 mistakes={k: v for k, v in new.items() if compare(v, expected_grads) is not None})


@pytest.mark.exercise("clip_grad_norm")
def test_clip_scales_grads_when_norm_exceeds_max(student):
    # total norm ~30, max_norm 1.5
    grads = [_randn(3, 4, seed=90, scale=6.0), _randn(5, seed=91, scale=6.0), _randn(2, 2, 2, seed=92, scale=6.0)]
    _check_clip(student, grads, 1.5, "three params, total norm ~30, max_norm=1.5")


@pytest.mark.exercise("clip_grad_norm")
def test_clip_leaves_grads_below_max_norm(student):
    grads = [_randn(4, seed=93, scale=0.5), _randn(3, 2, seed=94, scale=0.5)]
    _check_clip(student, grads, 10.0, "two params, total norm ~1.5, max_norm=10")


@pytest.mark.exercise("clip_grad_norm")
def test_clip_tiny_grads_show_the_epsilon(student):
    # total norm ~3e-6 and max_norm 1e-6: the + 1e-6 halves the scale
    grads = [_randn(3, seed=95, scale=1e-6), _randn(2, 2, seed=96, scale=1e-6)]
    _check_clip(student, grads, 1e-6, "grads of size ~1e-6, max_norm=1e-6", atol=1e-15)


@pytest.mark.exercise("clip_grad_norm")
def test_clip_single_tensor(student):
    _check_clip(student, [_randn(6, seed=97, scale=4.0)], 2.0, "a single tensor, not a list", single=True)


@pytest.mark.exercise("clip_grad_norm")
def test_clip_skips_params_without_grad(student):
    grads = [_randn(3, seed=98, scale=5.0), None, _randn(2, 3, seed=99, scale=5.0)]
    _check_clip(student, grads, 1.0, "three params, the second without a grad")


@pytest.mark.exercise("clip_grad_norm")
def test_clip_float32_grads(student):
    grads = [_randn(4, 3, seed=100, dtype=torch.float32, scale=8.0), _randn(7, seed=101, dtype=torch.float32, scale=8.0)]
    _check_clip(student, grads, 3.0, "float32 grads, total norm ~30, max_norm=3", rtol=1e-5)
