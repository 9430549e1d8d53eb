"""Grading suite for the generative topic.

Oracles: the counting arguments (exact ints, n up to 100 so that float arithmetic shows);
torch.distributions (Bernoulli log-probabilities, the Normal-Normal KL); F.binary_cross_
entropy_with_logits and F.mse_loss; torch.linspace; a judge-side replay of autoregressive
sampling with the same conditional and the same seeded generator. Callables the student's code
calls (the conditional, the noise-prediction model, the generator) are built in the worker by
trusted builders (grader.worker.build_ops) from data, and mirrored here.

Exercises that use another (vae_loss uses the KL, ddpm_loss uses q_sample) are graded on their
own: a result that is right around the student's own helper passes.
"""

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, Normal, kl_divergence

from grader.checks import assert_close, assert_equal, fail
from grader.checks.numeric import compare
from grader.errors import StudentError
from grader.worker.build_ops import LogisticConditional, eps_model_class

F64, F32 = torch.float64, torch.float32


def _randn(*shape, seed, dtype=F64, scale=1.0):
    return scale * torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _rand(*shape, seed, dtype=F64):
    return torch.rand(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


def _differs(value, right):
    if isinstance(value, tuple):
        return any(_differs(a, b) for a, b in zip(value, right))
    return value.shape != right.shape or not torch.allclose(value.double(), right.double(), rtol=1e-5, atol=1e-6)


def _only_differing(mistakes, right):
    return {k: v for k, v in mistakes.items() if _differs(v, right)}


def _check_int(got, expected, what, mistakes):
    if isinstance(got, float):
        fail(f"{what}: expected the int {expected}, got the float {got!r}: counts are ints "
             "(2 ** n, not 2.0 ** n or math.pow, which lose the exact value for large n)")
    assert_equal(got, expected, what=what, mistakes={k: v for k, v in mistakes.items() if v != expected})


def _tensor_result(got, what):
    if not isinstance(got, torch.Tensor):
        fail(f"{what}: expected a tensor (a loss must stay differentiable), got {type(got).__name__}")


# ------------------------------------------------------------------ parameter counts
@pytest.mark.exercise("params_full_joint")
def test_params_full_joint(student):
    for n in (1, 2, 4, 10, 64, 100):
        _check_int(student.params_full_joint(n), 2**n - 1, f"params_full_joint({n})", {
            "2^n: one probability per configuration, but they sum to 1, so one is not free": 2**n,
            "2^(n-1)": 2 ** (n - 1), "n^2": n * n})


@pytest.mark.exercise("params_independent")
def test_params_independent(student):
    for n in (1, 3, 10, 784):
        _check_int(student.params_independent(n), n, f"params_independent({n})", {
            "2n: P(x_i = 0) counted besides P(x_i = 1), but it is 1 - P(x_i = 1)": 2 * n,
            "n - 1": n - 1, "2^n - 1 (that is the full joint)": 2**n - 1})


@pytest.mark.exercise("params_markov")
def test_params_markov(student):
    for n in (1, 2, 5, 784):
        _check_int(student.params_markov(n), 2 * n - 1, f"params_markov({n})", {
            "the first pixel left out: 2(n - 1) (P(x_1 = 1) is a parameter too)": 2 * (n - 1),
            "2n: the first pixel counted with two parameters": 2 * n,
            "both P(1 | j) and P(0 | j) counted: 1 + 4(n - 1)": 1 + 4 * (n - 1),
            "one parameter per transition: n": n})


# ------------------------------------------------------------------ markov_log_likelihood
def _markov(x, p_first, p_next, first=True, shift=1, swap=False, log=True):
    x = torch.as_tensor(x).double()
    pf = torch.as_tensor(p_first, dtype=F64)
    pn = torch.as_tensor(p_next, dtype=F64)
    if swap:
        pn = pn.flip(0)
    ll = Bernoulli(probs=pf.expand(x.shape[0])).log_prob(x[:, 0]) if first else torch.zeros(x.shape[0], dtype=F64)
    cond = x[:, :-1] if shift == 1 else x[:, 1:]
    rest = Bernoulli(probs=pn[cond.long()]).log_prob(x[:, 1:]).sum(dim=1)
    out = ll + rest
    return (out if log else out.exp()).float()


def _markov_mistakes(x, p_first, p_next):
    right = _markov(x, p_first, p_next)
    return {
        "the first pixel ignored (log P(x_1) left out of the sum)": _markov(x, p_first, p_next, first=False),
        "p_next read the wrong way round: p_next[j] is P(x_i = 1 | x_{i-1} = j)": _markov(x, p_first, p_next, swap=True),
        "conditioned on the pixel itself instead of the one before it": _markov(x, p_first, p_next, shift=0),
        "the probability returned instead of its log": _markov(x, p_first, p_next, log=False),
        "summed over the batch: one value per row (N,) is asked for": right.sum(),
        "averaged over the pixels instead of summed": right / x.shape[1],
    }


def _check_markov(student, x, p_first, p_next):
    expected = _markov(x, p_first, p_next)
    got = student.markov_log_likelihood(x, p_first, p_next)
    what = f"markov_log_likelihood(x {tuple(x.shape)}, p_first={p_first!r}, p_next={p_next!r})"
    assert_close(got, expected, what=what, rtol=1e-5, atol=1e-5,
                 mistakes=lambda: _only_differing(_markov_mistakes(x, p_first, p_next), expected))


def _bits(n_rows, n, seed):
    return (torch.rand(n_rows, n, generator=torch.Generator().manual_seed(seed)) < 0.5).float()


@pytest.mark.exercise("markov_log_likelihood")
def test_markov_log_likelihood_by_hand(student):
    x = torch.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    # row 0: 0.3 * P(1 | 1) * P(0 | 1) = 0.3 * 0.8 * 0.2; row 1: 0.7 * (1 - 0.4) * 0.4
    _check_markov(student, x, 0.3, [0.4, 0.8])


@pytest.mark.exercise("markov_log_likelihood")
def test_markov_log_likelihood_random_rows(student):
    _check_markov(student, _bits(6, 12, seed=1), 0.65, [0.2, 0.9])


@pytest.mark.exercise("markov_log_likelihood")
def test_markov_log_likelihood_long_and_tensor_probabilities(student):
    x = _bits(4, 9, seed=2).long()
    _check_markov(student, x, torch.tensor(0.25, dtype=F64), torch.tensor([0.35, 0.6], dtype=F64))


@pytest.mark.exercise("markov_log_likelihood")
def test_markov_log_likelihood_single_pixel(student):
    _check_markov(student, torch.tensor([[1.0], [0.0], [1.0]]), 0.8, [0.5, 0.5])


# ------------------------------------------------------------------ autoregressive_sample
def _conditional_data(n, seed, strength=2.0):
    weight = _randn(n, n, seed=seed, dtype=F32, scale=strength).tril(-1)
    bias = _randn(n, seed=seed + 1, dtype=F32)
    return weight, bias


def _replay(weight, bias, n, num_samples, seed, mode="sequential"):
    """The judge-side sampler: the right one, or the known ways of drawing all pixels at once."""
    cond = LogisticConditional(weight, bias, num_samples)
    g = torch.Generator().manual_seed(seed)
    if mode == "all_at_once":  # every pixel's probability from an empty (zero) prefix, one draw
        p = torch.stack([cond(torch.zeros(num_samples, i)) for i in range(n)], dim=1)
        return torch.bernoulli(p, generator=g)
    x = torch.zeros(num_samples, 0)
    for i in range(n):
        prefix = x if mode == "sequential" else torch.zeros(num_samples, i)
        x = torch.cat([x, torch.bernoulli(cond(prefix), generator=g).unsqueeze(1)], dim=1)
    return x


def _check_sampler(student, n, num_samples, seed):
    weight, bias = _conditional_data(n, seed)
    cond = student.build("logistic_conditional", weight=weight, bias=bias, num_samples=num_samples)
    gen = student.build("generator", seed=seed + 7)
    got = student.autoregressive_sample(cond, n, num_samples, generator=gen)
    what = f"autoregressive_sample(conditional, n={n}, num_samples={num_samples}, generator)"
    expected = _replay(weight, bias, n, num_samples, seed + 7)
    widths = cond.widths
    if widths != list(range(n)):
        fail(f"{what}: conditional was called with prefixes of widths {widths}; expected one call per pixel "
             f"with the pixels drawn so far, widths {list(range(n))} in order")
    assert_close(got, expected, what=what, mistakes=lambda: _only_differing({
        "all pixels drawn at once: each pixel's probability must come from the pixels drawn before it":
            _replay(weight, bias, n, num_samples, seed + 7, "all_at_once"),
        "each pixel drawn from an all-zero prefix instead of the pixels drawn before it":
            _replay(weight, bias, n, num_samples, seed + 7, "zeros"),
    }, expected))


@pytest.mark.exercise("autoregressive_sample")
def test_autoregressive_sample_replays_with_the_generator(student):
    _check_sampler(student, 6, 5, seed=10)


@pytest.mark.exercise("autoregressive_sample")
def test_autoregressive_sample_one_sample_and_one_pixel(student):
    _check_sampler(student, 7, 1, seed=11)
    _check_sampler(student, 1, 4, seed=12)


@pytest.mark.exercise("autoregressive_sample")
def test_autoregressive_sample_each_pixel_depends_on_the_previous(student):
    # P(x_0 = 1) = 1 and P(x_i = 1) = 1 - x_{i-1} (up to 1e-22): every sample is 1 0 1 0 ...,
    # whatever the random numbers; a sampler that ignores the drawn prefix cannot get it
    n, num = 8, 3
    weight = torch.zeros(n, n)
    weight[torch.arange(1, n), torch.arange(n - 1)] = -100.0
    bias = torch.full((n,), 50.0)
    cond = student.build("logistic_conditional", weight=weight, bias=bias, num_samples=num)
    got = student.autoregressive_sample(cond, n, num)
    expected = (torch.arange(n) % 2 == 0).float().expand(num, n)
    assert_close(got, expected, what=f"autoregressive_sample(alternating conditional, n={n}, num_samples={num})",
                 mistakes={"all pixels drawn at once (or each from an empty prefix): pixel i never sees pixel i - 1":
                           torch.ones(num, n)})


@pytest.mark.exercise("autoregressive_sample")
def test_autoregressive_sample_without_a_generator(student):
    n, num = 5, 6
    weight, bias = _conditional_data(n, 13)
    cond = student.build("logistic_conditional", weight=weight, bias=bias, num_samples=num)
    got = student.autoregressive_sample(cond, n, num)
    if not isinstance(got, torch.Tensor) or tuple(got.shape) != (num, n):
        fail(f"autoregressive_sample(conditional, {n}, {num}): expected a tensor of shape {(num, n)}, got "
             f"{tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__}")
    if not bool(((got == 0) | (got == 1)).all()):
        fail(f"autoregressive_sample(conditional, {n}, {num}): every pixel must be 0 or 1")
    if cond.widths != list(range(n)):
        fail(f"autoregressive_sample: conditional called with prefix widths {cond.widths}, expected {list(range(n))}")


# ------------------------------------------------------------------ reparameterize
def _reparam_mistakes(mu, logvar, eps):
    noise = torch.randn(mu.shape, dtype=mu.dtype, generator=torch.Generator().manual_seed(0))
    return {
        "exp(logvar) used as the standard deviation: it is the variance; sigma = exp(0.5 * logvar)":
            mu + logvar.exp() * eps,
        "logvar used as the standard deviation": mu + logvar * eps,
        "exp(-0.5 * logvar): the sign of the exponent flipped": mu + torch.exp(-0.5 * logvar) * eps,
        "eps ignored: new noise drawn instead of the given eps": mu + torch.exp(0.5 * logvar) * noise,
    }


@pytest.mark.exercise("reparameterize")
def test_reparameterize_values(student):
    mu, logvar, eps = _randn(4, 3, seed=20), _randn(4, 3, seed=21), _randn(4, 3, seed=22)
    expected = mu + torch.exp(0.5 * logvar) * eps
    assert_close(student.reparameterize(mu, logvar, eps), expected, what="reparameterize(mu (4, 3), logvar, eps)",
                 mistakes=_reparam_mistakes(mu, logvar, eps))


@pytest.mark.exercise("reparameterize")
def test_reparameterize_is_differentiable_in_mu_and_logvar(student):
    mu, logvar, eps, g = (_randn(2, 5, seed=s) for s in (23, 24, 25, 26))
    out, grads = student.grad_call("reparameterize", mu, logvar, eps, grad_output=g)
    expected = mu + torch.exp(0.5 * logvar) * eps
    assert_close(out, expected, what="reparameterize(mu (2, 5), logvar, eps)", mistakes=_reparam_mistakes(mu, logvar, eps))
    for name, got, want in (("mu", grads[0], g), ("logvar", grads[1], g * eps * 0.5 * torch.exp(0.5 * logvar))):
        if got is None:
            fail(f"no gradient reached {name}: reparameterize must stay differentiable (that is its point)")
        assert_close(got, want, what=f"gradient of reparameterize w.r.t. {name}")


# ------------------------------------------------------------------ kl_standard_normal
def _kl(mu, logvar):
    return kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(torch.zeros_like(mu), torch.ones_like(mu))).sum(-1)


def _kl_terms(mu, logvar):
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar)


def _kl_mistakes(mu, logvar):
    right = _kl(mu, logvar)
    return {
        "KL with the wrong sign (it is never negative)": -right,
        "KL averaged over the latent dimensions instead of summed": _kl_terms(mu, logvar).mean(-1),
        "KL summed over the batch too: one value per row (N,) is asked for": right.sum(),
        "KL averaged over the batch: one value per row (N,) is asked for": right.mean(),
        "the factor 1/2 missing": 2 * right,
        "exp(logvar) used as the standard deviation (its square is the variance)":
            0.5 * (mu.pow(2) + (2 * logvar).exp() - 1 - 2 * logvar).sum(-1),
        "log of the variance entered with the wrong sign": 0.5 * (mu.pow(2) + logvar.exp() - 1 + logvar).sum(-1),
    }


def _check_kl(student, mu, logvar):
    expected = _kl(mu, logvar)
    got = student.kl_standard_normal(mu, logvar)
    assert_close(got, expected, what=f"kl_standard_normal(mu {tuple(mu.shape)}, logvar {tuple(logvar.shape)})",
                 mistakes=lambda: _only_differing(_kl_mistakes(mu, logvar), expected))


@pytest.mark.exercise("kl_standard_normal")
def test_kl_matches_torch_distributions(student):
    _check_kl(student, _randn(5, 4, seed=30), _randn(5, 4, seed=31))


@pytest.mark.exercise("kl_standard_normal")
def test_kl_batch_of_one_and_float32(student):
    _check_kl(student, _randn(1, 6, seed=32), _randn(1, 6, seed=33, scale=2.0))
    _check_kl(student, _randn(3, 2, seed=34, dtype=F32), _randn(3, 2, seed=35, dtype=F32))


@pytest.mark.exercise("kl_standard_normal")
def test_kl_is_zero_at_the_prior(student):
    mu = torch.zeros(2, 3, dtype=F64)
    mu[1] = torch.tensor([1.0, -2.0, 0.5], dtype=F64)
    _check_kl(student, mu, torch.zeros(2, 3, dtype=F64))  # row 0 is N(0, I): KL 0; row 1: |mu|^2 / 2


@pytest.mark.exercise("kl_standard_normal")
def test_kl_gradients(student):
    mu, logvar = _randn(3, 4, seed=36), _randn(3, 4, seed=37)
    g = _randn(3, seed=38)
    out, grads = student.grad_call("kl_standard_normal", mu, logvar, grad_output=g)
    assert_close(out, _kl(mu, logvar), what="kl_standard_normal(mu (3, 4), logvar)",
                 mistakes=lambda: _only_differing(_kl_mistakes(mu, logvar), _kl(mu, logvar)))
    want = (g[:, None] * mu, g[:, None] * 0.5 * (logvar.exp() - 1))
    for name, got, w in zip(("mu", "logvar"), grads, want):
        if got is None:
            fail(f"no gradient reached {name}: kl_standard_normal must be differentiable")
        assert_close(got, w, what=f"gradient of kl_standard_normal w.r.t. {name}")


# ------------------------------------------------------------------ vae_loss
def _bce_per_sample(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)


def _vae_mistakes(logits, x, mu, logvar):
    n, kl = x.shape[0], _kl(mu, logvar)
    bce = _bce_per_sample(logits, x)
    p = torch.sigmoid(logits)
    m = {
        "BCE averaged over the features instead of summed (reduction='mean')":
            F.binary_cross_entropy_with_logits(logits, x) + kl.mean(),
        "summed over the batch instead of averaged": (bce + kl).sum(),
        "KL with the wrong sign": (bce - kl).mean(),
        "KL left out": bce.mean(),
        "KL summed over the batch while the BCE is averaged": bce.mean() + kl.sum(),
        "KL averaged over the latent dimensions": (bce + _kl_terms(mu, logvar).mean(-1)).mean(),
        "sigmoid applied twice (the logits passed through sigmoid, then to a loss that applies it again)":
            (F.binary_cross_entropy_with_logits(p, x, reduction="none").flatten(1).sum(1) + kl).mean(),
    }
    if bool(((logits > 0) & (logits < 1)).all()):
        m["BCE on logits without the sigmoid (logits used as probabilities)"] = (
            F.binary_cross_entropy(logits, x, reduction="none").flatten(1).sum(1) + kl).mean()
    return m


def _has_nan(got) -> bool:
    return isinstance(got, torch.Tensor) and got.is_floating_point() and bool(got.isnan().any())


def _no_sigmoid_by_hand(logits, x):
    """-[x log l + (1 - x) log(1 - l)] on the raw logits: nan wherever a logit is outside (0, 1)."""
    return -(x * torch.log(logits) + (1 - x) * torch.log(1 - logits))


def _vae_verdict(student, got, logits, x, mu, logvar):
    """"torch" when got is the catalog's loss, "own" when it is right around the student's own
    kl_standard_normal (whose mistakes cost only that exercise), else None."""
    expected = (_bce_per_sample(logits, x) + _kl(mu, logvar)).mean()
    if compare(got, expected) is None:
        return "torch"
    try:
        own = (_bce_per_sample(logits, x) + student.kl_standard_normal(mu, logvar)).mean()
        if torch.isfinite(own) and compare(got, own) is None:
            return "own"
    except (StudentError, RuntimeError, TypeError):
        pass
    return None


def _vae_fail(got, logits, x, mu, logvar, what):
    expected = (_bce_per_sample(logits, x) + _kl(mu, logvar)).mean()

    def mistakes():
        m = _only_differing(_vae_mistakes(logits, x, mu, logvar), expected)
        if _has_nan(got):
            m["BCE on logits without the sigmoid (a log of a logit outside (0, 1) is nan)"] = (
                _no_sigmoid_by_hand(logits, x).flatten(1).sum(1) + _kl(mu, logvar)).mean()
        return m

    assert_close(got, expected, what=what, mistakes=mistakes)


def _check_vae(student, logits, x, mu, logvar):
    got = student.vae_loss(logits, x, mu, logvar)
    what = f"vae_loss(recon_logits {tuple(logits.shape)}, x, mu {tuple(mu.shape)}, logvar)"
    _tensor_result(got, what)
    if _vae_verdict(student, got, logits, x, mu, logvar) is None:
        _vae_fail(got, logits, x, mu, logvar, what)


def _images(n, seed):
    return (_rand(n, 1, 4, 3, seed=seed) < 0.5).double()


@pytest.mark.exercise("vae_loss")
def test_vae_loss_images_sum_over_every_pixel(student):
    _check_vae(student, _randn(3, 1, 4, 3, seed=40, scale=2.0), _images(3, 41), _randn(3, 5, seed=42),
               _randn(3, 5, seed=43))


@pytest.mark.exercise("vae_loss")
def test_vae_loss_flat_features_and_batch_of_one(student):
    _check_vae(student, _randn(1, 10, seed=44), (_rand(1, 10, seed=45) < 0.5).double(), _randn(1, 2, seed=46),
               _randn(1, 2, seed=47))


@pytest.mark.exercise("vae_loss")
def test_vae_loss_applies_the_sigmoid_to_logits(student):
    # logits inside (0, 1): a loss that treats them as probabilities runs, and gives another value
    _check_vae(student, 0.1 + 0.8 * _rand(4, 6, seed=48), (_rand(4, 6, seed=49) < 0.5).double(),
               _randn(4, 3, seed=50), _randn(4, 3, seed=51))


@pytest.mark.exercise("vae_loss")
def test_vae_loss_gradients(student):
    logits, mu, logvar = _randn(2, 7, seed=52), _randn(2, 3, seed=54), _randn(2, 3, seed=55)
    x = (_rand(2, 7, seed=53) < 0.5).double()
    out, grads = student.grad_call("vae_loss", logits, x, mu, logvar)
    what = "vae_loss(recon_logits (2, 7), x, mu (2, 3), logvar)"
    _tensor_result(out, what)
    verdict = _vae_verdict(student, out, logits, x, mu, logvar)
    if verdict is None:
        _vae_fail(out, logits, x, mu, logvar, what)
    leaves = [t.clone().requires_grad_(True) for t in (logits, mu, logvar)]
    (_bce_per_sample(leaves[0], x) + _kl(leaves[1], leaves[2])).mean().backward()
    for name, got, leaf in zip(("recon_logits", "mu", "logvar"), (grads[0], grads[2], grads[3]), leaves):
        if got is None:
            fail(f"no gradient reached {name}: vae_loss must be differentiable")
        if verdict == "torch" or name == "recon_logits":  # (around the student's own KL: its gradients are its own)
            assert_close(got, leaf.grad, what=f"gradient of vae_loss w.r.t. {name}")


# ------------------------------------------------------------------ gan_losses
def _bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, float(target)))


def _gan(real, fake):
    return _bce(real, 1) + _bce(fake, 0), _bce(fake, 1)


def _gan_mistakes(real, fake):
    d, g = _gan(real, fake)
    both = torch.cat([real.flatten(), fake.flatten()])
    labels = torch.cat([torch.ones(real.numel()), torch.zeros(fake.numel())]).to(real.dtype)
    m = {
        "real and fake labels swapped (real must be 1, fake 0 for the discriminator)":
            (_bce(real, 0) + _bce(fake, 1), _bce(fake, 0)),
        "real and fake labels swapped in d_loss": (_bce(real, 0) + _bce(fake, 1), g),
        "the saturating generator loss log(1 - D(G(z))) instead of the non-saturating -log D(G(z))":
            (d, -_bce(fake, 0)),
        "d_loss halved ((BCE(real, 1) + BCE(fake, 0)) / 2)": (d / 2, g),
        "d_loss as one mean over real and fake together": (F.binary_cross_entropy_with_logits(both, labels), g),
        "g_loss computed on the real logits": (d, _bce(real, 1)),
        "sigmoid applied twice": _gan(torch.sigmoid(real), torch.sigmoid(fake)),
    }
    if bool(((both > 0) & (both < 1)).all()):
        def p_bce(p, target):
            return F.binary_cross_entropy(p, torch.full_like(p, float(target)))
        m["BCE on logits without the sigmoid (logits used as probabilities)"] = (
            p_bce(real, 1) + p_bce(fake, 0), p_bce(fake, 1))
    return m


def _check_gan(student, real, fake):
    expected = _gan(real, fake)
    got = student.gan_losses(real, fake)
    what = f"gan_losses(real_logits {tuple(real.shape)}, fake_logits {tuple(fake.shape)}) -> (d_loss, g_loss)"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{what}: expected a pair (d_loss, g_loss), got {type(got).__name__}")
    for part in got:
        _tensor_result(part, what)

    def mistakes():
        m = _only_differing(_gan_mistakes(real, fake), expected)
        if any(_has_nan(part) for part in got):
            m["BCE on logits without the sigmoid (a log of a logit outside (0, 1) is nan)"] = (
                _no_sigmoid_by_hand(real, torch.ones_like(real)).mean()
                + _no_sigmoid_by_hand(fake, torch.zeros_like(fake)).mean(),
                _no_sigmoid_by_hand(fake, torch.ones_like(fake)).mean())
        return m

    assert_close(tuple(got), expected, what=what, mistakes=mistakes)


@pytest.mark.exercise("gan_losses")
def test_gan_losses_batches_of_different_sizes(student):
    _check_gan(student, _randn(5, seed=60, scale=2.0), _randn(7, seed=61, scale=2.0))


@pytest.mark.exercise("gan_losses")
def test_gan_losses_column_logits(student):
    _check_gan(student, _randn(4, 1, seed=62), _randn(4, 1, seed=63))


@pytest.mark.exercise("gan_losses")
def test_gan_losses_applies_the_sigmoid_to_logits(student):
    _check_gan(student, 0.1 + 0.8 * _rand(6, seed=64), 0.1 + 0.8 * _rand(3, seed=65))


@pytest.mark.exercise("gan_losses")
def test_gan_losses_gradients(student):
    real, fake = _randn(3, seed=66), _randn(4, seed=67)
    out, grads = student.grad_call("gan_losses", real, fake, grad_output=(torch.tensor(1.0, dtype=F64),
                                                                           torch.tensor(0.5, dtype=F64)))
    assert_close(tuple(out), _gan(real, fake), what="gan_losses(real (3,), fake (4,))",
                 mistakes=lambda: _only_differing(_gan_mistakes(real, fake), _gan(real, fake)))
    r, f = real.clone().requires_grad_(True), fake.clone().requires_grad_(True)
    d, g = _gan(r, f)
    (d + 0.5 * g).backward()
    for name, got, leaf in (("real_logits", grads[0], r), ("fake_logits", grads[1], f)):
        if got is None:
            fail(f"no gradient reached {name}: gan_losses must be differentiable")
        assert_close(got, leaf.grad, what=f"gradient of d_loss + 0.5 * g_loss w.r.t. {name}")


# ------------------------------------------------------------------ linear_beta_schedule
def _check_schedule(student, T, *args):
    start, end = args or (1e-4, 0.02)
    expected = torch.linspace(start, end, T, dtype=F32)
    got = student.linear_beta_schedule(T, *args)
    what = f"linear_beta_schedule({T}{''.join(f', {a}' for a in args)})"
    if isinstance(got, torch.Tensor) and got.dtype != F32:
        fail(f"{what}: expected a float32 tensor, got {got.dtype}")
    mistakes = {
        "beta_end left out (torch.arange, or linspace over T + 1 points without the end)":
            torch.linspace(start, end, T + 1, dtype=F32)[:-1],
        "beta_start left out": torch.linspace(start, end, T + 1, dtype=F32)[1:],
        "start and end swapped": torch.linspace(end, start, T, dtype=F32),
    }
    assert_close(got, expected, what=what, mistakes={k: v for k, v in mistakes.items() if _differs(v, expected)})


@pytest.mark.exercise("linear_beta_schedule")
def test_linear_beta_schedule_defaults(student):
    _check_schedule(student, 1000)


@pytest.mark.exercise("linear_beta_schedule")
def test_linear_beta_schedule_given_ends(student):
    _check_schedule(student, 10, 0.001, 0.05)
    _check_schedule(student, 2, 0.1, 0.2)


# ------------------------------------------------------------------ q_sample
def _abar(T=1000):
    return torch.cumprod(1 - torch.linspace(1e-4, 0.02, T, dtype=F64), dim=0)


def _q(x0, abar_t, noise):
    a = abar_t.reshape(-1, *([1] * (x0.dim() - 1)))
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


def _q_mistakes(x0, t, abar, noise):
    prev = torch.cat([torch.ones(1, dtype=abar.dtype), abar[:-1]])
    m = {
        "t[0] used for the whole batch: each sample has its own t": _q(x0, abar[t[0]].expand(len(t)), noise),
        "alpha_t = abar_t / abar_{t-1} (one step, q(x_t | x_{t-1})) used where abar_t belongs "
        "(q(x_t | x_0) needs the cumulative product)": _q(x0, abar[t] / prev[t], noise),
        "square roots missing: abar_t * x0 + (1 - abar_t) * noise": (
            abar[t].reshape(-1, *([1] * (x0.dim() - 1))) * x0 + (1 - abar[t].reshape(-1, *([1] * (x0.dim() - 1)))) * noise),
        "t read as 1-based (alphas_cumprod[t - 1])": _q(x0, abar[t - 1], noise),
    }
    if x0.dim() == 2 and x0.shape[1] == len(t):
        a = abar[t]
        m["the per-sample coefficients broadcast along the last axis instead of the batch axis"] = (
            a.sqrt() * x0 + (1 - a).sqrt() * noise)
    return m


def _check_q(student, x0, t, abar, noise):
    expected = _q(x0, abar[t], noise)
    got = student.q_sample(x0, t, abar, noise)
    assert_close(got, expected, what=f"q_sample(x0 {tuple(x0.shape)}, t={t.tolist()}, alphas_cumprod ({len(abar)},), noise)",
                 mistakes=lambda: _only_differing(_q_mistakes(x0, t, abar, noise), expected))


@pytest.mark.exercise("q_sample")
def test_q_sample_each_sample_its_own_step(student):
    _check_q(student, _randn(4, 3, 5, 6, seed=70), torch.tensor([0, 999, 500, 250]), _abar(), _randn(4, 3, 5, 6, seed=71))


@pytest.mark.exercise("q_sample")
def test_q_sample_square_batch(student):
    # (N, D) with D == N: coefficients that broadcast along the last axis run without an error
    _check_q(student, _randn(3, 3, seed=72), torch.tensor([10, 600, 999]), _abar(), _randn(3, 3, seed=73))


@pytest.mark.exercise("q_sample")
def test_q_sample_batch_of_one_and_float32(student):
    _check_q(student, _randn(1, 2, 4, seed=74), torch.tensor([300]), _abar(), _randn(1, 2, 4, seed=75))
    abar32 = _abar(50).float()
    _check_q(student, _randn(3, 8, seed=76, dtype=F32), torch.tensor([49, 0, 20]), abar32,
             _randn(3, 8, seed=77, dtype=F32))


@pytest.mark.exercise("q_sample")
def test_q_sample_gradients(student):
    x0, noise, t, abar = _randn(2, 5, seed=78), _randn(2, 5, seed=79), torch.tensor([5, 900]), _abar()
    g = _randn(2, 5, seed=80)
    out, grads = student.grad_call("q_sample", x0, t, abar, noise, grad_output=g)
    a = abar[t].reshape(-1, 1)
    assert_close(out, _q(x0, abar[t], noise), what="q_sample(x0 (2, 5), t=[5, 900], alphas_cumprod, noise)",
                 mistakes=lambda: _only_differing(_q_mistakes(x0, t, abar, noise), _q(x0, abar[t], noise)))
    for name, got, want in (("x0", grads[0], g * a.sqrt()), ("noise", grads[3], g * (1 - a).sqrt())):
        if got is None:
            fail(f"no gradient reached {name}: q_sample must be differentiable")
        assert_close(got, want, what=f"gradient of q_sample w.r.t. {name}")


# ------------------------------------------------------------------ ddpm_loss
def _eps_params(T, seed, dtype=F64):
    return torch.tensor(0.7, dtype=dtype), _randn(T, seed=seed, dtype=dtype, scale=0.5)


def _ddpm_mistakes(model, x0, t, abar, noise):
    x_t = _q(x0, abar[t], noise)
    return {
        "MSE against x0 instead of the noise (the model predicts the noise eps)": F.mse_loss(model(x_t, t), x0),
        "MSE summed instead of averaged": F.mse_loss(model(x_t, t), noise, reduction="sum"),
        "eps_model called on x0 instead of x_t": F.mse_loss(model(x0, t), noise),
        "t[0] used for the whole batch: each sample has its own t":
            F.mse_loss(model(_q(x0, abar[t[0]].expand(len(t)), noise), t), noise),
        "alpha_t used where abar_t belongs": F.mse_loss(model(_q(
            x0, abar[t] / torch.cat([torch.ones(1, dtype=abar.dtype), abar[:-1]])[t], noise), t), noise),
    }


def _ddpm_verdict(student, got, model, x0, t, abar, noise):
    """"torch" for the catalog's loss, "own" when right around the student's own q_sample."""
    with torch.no_grad():
        if compare(got, F.mse_loss(model(_q(x0, abar[t], noise), t), noise)) is None:
            return "torch"
        try:
            own_xt = student.q_sample(x0, t, abar, noise)
            own = F.mse_loss(model(own_xt, t), noise) if isinstance(own_xt, torch.Tensor) else None
            if own is not None and torch.isfinite(own) and compare(got, own) is None:
                return "own"
        except (StudentError, RuntimeError, ValueError):
            pass
    return None


def _ddpm_fail(got, model, x0, t, abar, noise, what):
    with torch.no_grad():
        expected = F.mse_loss(model(_q(x0, abar[t], noise), t), noise)
        mistakes = _only_differing(_ddpm_mistakes(model, x0, t, abar, noise), expected)
    assert_close(got, expected, what=what, mistakes=mistakes)


def _check_ddpm(student, x0, t, abar, noise, seed):
    scale, shift = _eps_params(len(abar), seed, x0.dtype)
    model = eps_model_class()(scale, shift)
    remote = student.build("eps_model", scale=scale, shift=shift)
    got = student.ddpm_loss(remote, x0, t, abar, noise)
    what = f"ddpm_loss(eps_model, x0 {tuple(x0.shape)}, t={t.tolist()}, alphas_cumprod ({len(abar)},), noise)"
    _tensor_result(got, what)
    if _ddpm_verdict(student, got, model, x0, t, abar, noise) is None:
        _ddpm_fail(got, model, x0, t, abar, noise, what)


@pytest.mark.exercise("ddpm_loss")
def test_ddpm_loss_images_each_sample_its_own_step(student):
    _check_ddpm(student, _randn(4, 2, 3, 5, seed=90), torch.tensor([999, 3, 420, 77]), _abar(),
                _randn(4, 2, 3, 5, seed=91), seed=92)


@pytest.mark.exercise("ddpm_loss")
def test_ddpm_loss_flat_batch_of_one(student):
    _check_ddpm(student, _randn(1, 6, seed=93), torch.tensor([640]), _abar(), _randn(1, 6, seed=94), seed=95)


@pytest.mark.exercise("ddpm_loss")
def test_ddpm_loss_float32(student):
    abar = _abar(100).float()
    _check_ddpm(student, _randn(3, 4, seed=96, dtype=F32), torch.tensor([0, 99, 50]), abar,
                _randn(3, 4, seed=97, dtype=F32), seed=98)


@pytest.mark.exercise("ddpm_loss")
def test_ddpm_loss_gradients_reach_the_model(student):
    x0, noise, t, abar = _randn(3, 4, seed=99), _randn(3, 4, seed=100), torch.tensor([1, 500, 998]), _abar()
    scale, shift = _eps_params(len(abar), 101)
    remote = student.build("eps_model", scale=scale, shift=shift)
    out, _ = student.grad_call("ddpm_loss", remote, x0, t, abar, noise)
    model = eps_model_class()(scale, shift)
    what = "ddpm_loss(eps_model, x0 (3, 4), t=[1, 500, 998], alphas_cumprod, noise)"
    _tensor_result(out, what)
    verdict = _ddpm_verdict(student, out, model, x0, t, abar, noise)
    if verdict is None:
        _ddpm_fail(out, model, x0, t, abar, noise, what)
    own = student.param_grads(remote)
    for name, _ in model.named_parameters():
        if own.get(name) is None:
            fail(f"no gradient reached the model's {name}: ddpm_loss must be differentiable in the model's parameters")
    if verdict == "torch":  # (right around the student's own q_sample: only the gradients' presence)
        F.mse_loss(model(_q(x0, abar[t], noise), t), noise).backward()
        for name, p in model.named_parameters():
            assert_close(own[name], p.grad, what=f"gradient of ddpm_loss w.r.t. eps_model.{name}")
