"""Generative models: the lecture's arguments as numbers.

How many parameters a distribution over n binary pixels needs under the full joint, fully
independent and first-order Markov assumptions; a Markov chain's log-likelihood; sampling an
autoregressive model pixel by pixel; the VAE's reparameterisation trick, KL term and loss; the
GAN's discriminator and (non-saturating) generator losses; the DDPM noise schedule, forward
process q(x_t | x_0) and noise-prediction loss. Logs are natural logs; losses are tensors.
"""

import torch
import torch.nn.functional as F


def params_full_joint(n):
    """Free parameters of a full joint distribution over n binary pixels (an int)."""
    # BEGIN SOLUTION
    return 2**n - 1  # one probability per configuration, minus one because they sum to 1
    # END SOLUTION


def params_independent(n):
    """Free parameters when the n binary pixels are fully independent (an int)."""
    # BEGIN SOLUTION
    return n  # one P(x_i = 1) per pixel
    # END SOLUTION


def params_markov(n):
    """Free parameters of a first-order Markov chain over n binary pixels (an int)."""
    # BEGIN SOLUTION
    return 1 + 2 * (n - 1)  # P(x_1 = 1), then P(x_i = 1 | x_{i-1} = j) for j in {0, 1}
    # END SOLUTION


def markov_log_likelihood(x, p_first, p_next):
    """log P(x) = log P(x_1) + sum_{i>1} log P(x_i | x_{i-1}) for each row of x, a Tensor (N,).

    x (N, n) in {0, 1} (any dtype); P(x_1 = 1) = p_first (a float or 0-d tensor);
    P(x_i = 1 | x_{i-1} = j) = p_next[j] (a length-2 sequence or tensor [P(1 | 0), P(1 | 1)]).
    """
    # BEGIN SOLUTION
    def log_bernoulli(value, p):  # log P(value) when P(1) = p, elementwise
        return torch.where(value == 1, p, 1 - p).log()

    x = x.long()  # (N, n)
    p_first = torch.as_tensor(p_first, dtype=torch.float32)
    p_next = torch.as_tensor(p_next, dtype=torch.float32)  # (2,)
    p_one = p_next[x[:, :-1]]  # (N, n - 1): P(x_i = 1 | the pixel before it)
    return log_bernoulli(x[:, 0], p_first) + log_bernoulli(x[:, 1:], p_one).sum(dim=1)
    # END SOLUTION


def autoregressive_sample(conditional, n, num_samples, generator=None):
    """Draw (num_samples, n) binary samples one pixel at a time, each given the pixels before it.

    conditional(prefix) takes the pixels drawn so far, a tensor (num_samples, i), and returns
    the probabilities (num_samples,) that pixel i is 1; call it for i = 0 .. n - 1 in order and
    draw pixel i with torch.bernoulli(p, generator=generator).
    """
    # BEGIN SOLUTION
    x = torch.zeros(num_samples, 0)  # (num_samples, 0): nothing drawn yet
    for _ in range(n):
        p = conditional(x)  # (num_samples,)
        pixel = torch.bernoulli(p, generator=generator)  # (num_samples,)
        x = torch.cat([x, pixel.unsqueeze(1).to(x.dtype)], dim=1)  # (num_samples, i + 1)
    return x
    # END SOLUTION


def reparameterize(mu, logvar, eps):
    """z = mu + sigma * eps with sigma the standard deviation of N(mu, exp(logvar)); differentiable.

    eps is the standard normal noise, given (do not draw your own).
    """
    # BEGIN SOLUTION
    std = torch.exp(0.5 * logvar)  # sqrt(exp(logvar))
    return mu + std * eps
    # END SOLUTION


def kl_standard_normal(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, I)) for each row of (N, D) inputs: a Tensor (N,).

    Summed over the last dimension; differentiable.
    Hint: the KL of two Gaussians has a closed form; derive it for N(0, 1).
    """
    # BEGIN SOLUTION
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(dim=-1)
    # END SOLUTION


def vae_loss(recon_logits, x, mu, logvar):
    """Negative ELBO averaged over the batch: binary cross-entropy (from logits) summed over every
    non-batch dimension of x, plus kl_standard_normal(mu, logvar); a 0-d Tensor, differentiable.
    """
    # BEGIN SOLUTION
    bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="none")  # like x
    per_sample = bce.flatten(start_dim=1).sum(dim=1) + kl_standard_normal(mu, logvar)  # (N,)
    return per_sample.mean()
    # END SOLUTION


def gan_losses(real_logits, fake_logits):
    """(d_loss, g_loss) from the discriminator's logits: d_loss = BCE(real, 1) + BCE(fake, 0),
    g_loss = BCE(fake, 1) (the non-saturating generator loss), each BCE a mean over its batch.

    Both 0-d Tensors, differentiable. real_logits and fake_logits may differ in length.
    """
    # BEGIN SOLUTION
    real_loss = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    return real_loss + fake_loss, g_loss
    # END SOLUTION


def linear_beta_schedule(T, beta_start=1e-4, beta_end=0.02):
    """T noise variances beta_1 .. beta_T evenly spaced from beta_start to beta_end, both
    included: a float32 Tensor (T,)."""
    # BEGIN SOLUTION
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float32)
    # END SOLUTION


def q_sample(x0, t, alphas_cumprod, noise):
    """x_t ~ q(x_t | x_0): sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise, with each sample's own t.

    x0 and noise (N, ...); t a LongTensor (N,) of 0-based steps; alphas_cumprod (T,) holds
    abar_t = prod_{s <= t} (1 - beta_s). Differentiable in x0 and noise.
    """
    # BEGIN SOLUTION
    abar = alphas_cumprod[t].reshape(-1, *([1] * (x0.dim() - 1)))  # (N, 1, ...): per sample
    return abar.sqrt() * x0 + (1 - abar).sqrt() * noise
    # END SOLUTION


def ddpm_loss(eps_model, x0, t, alphas_cumprod, noise):
    """Mean squared error between eps_model(x_t, t) and the noise that made x_t = q_sample(...).

    eps_model is a callable (an nn.Module) taking (x_t, t); a 0-d Tensor, differentiable in the
    model's parameters.
    """
    # BEGIN SOLUTION
    x_t = q_sample(x0, t, alphas_cumprod, noise)
    return F.mse_loss(eps_model(x_t, t), noise)
    # END SOLUTION
