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
    raise NotImplementedError("generative.params_full_joint: fill in this part")


def params_independent(n):
    """Free parameters when the n binary pixels are fully independent (an int)."""
    raise NotImplementedError("generative.params_independent: fill in this part")


def params_markov(n):
    """Free parameters of a first-order Markov chain over n binary pixels (an int)."""
    raise NotImplementedError("generative.params_markov: fill in this part")


def markov_log_likelihood(x, p_first, p_next):
    """log P(x) = log P(x_1) + sum_{i>1} log P(x_i | x_{i-1}) for each row of x, a Tensor (N,).

    x (N, n) in {0, 1} (any dtype); P(x_1 = 1) = p_first (a float or 0-d tensor);
    P(x_i = 1 | x_{i-1} = j) = p_next[j] (a length-2 sequence or tensor [P(1 | 0), P(1 | 1)]).
    """
    raise NotImplementedError("generative.markov_log_likelihood: fill in this part")


def autoregressive_sample(conditional, n, num_samples, generator=None):
    """Draw (num_samples, n) binary samples one pixel at a time, each given the pixels before it.

    conditional(prefix) takes the pixels drawn so far, a tensor (num_samples, i), and returns
    the probabilities (num_samples,) that pixel i is 1; call it for i = 0 .. n - 1 in order and
    draw pixel i with torch.bernoulli(p, generator=generator).
    """
    raise NotImplementedError("generative.autoregressive_sample: fill in this part")


def reparameterize(mu, logvar, eps):
    """z = mu + sigma * eps with sigma the standard deviation of N(mu, exp(logvar)); differentiable.

    eps is the standard normal noise, given (do not draw your own).
    """
    raise NotImplementedError("generative.reparameterize: fill in this part")


def kl_standard_normal(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, I)) for each row of (N, D) inputs: a Tensor (N,).

    Summed over the last dimension; differentiable.
    Hint: the KL of two Gaussians has a closed form; derive it for N(0, 1).
    """
    raise NotImplementedError("generative.kl_standard_normal: fill in this part")


def vae_loss(recon_logits, x, mu, logvar):
    """Negative ELBO averaged over the batch: binary cross-entropy (from logits) summed over every
    non-batch dimension of x, plus kl_standard_normal(mu, logvar); a 0-d Tensor, differentiable.
    """
    raise NotImplementedError("generative.vae_loss: fill in this part")


def gan_losses(real_logits, fake_logits):
    """(d_loss, g_loss) from the discriminator's logits: d_loss = BCE(real, 1) + BCE(fake, 0),
    g_loss = BCE(fake, 1) (the non-saturating generator loss), each BCE a mean over its batch.

    Both 0-d Tensors, differentiable. real_logits and fake_logits may differ in length.
    """
    raise NotImplementedError("generative.gan_losses: fill in this part")


def linear_beta_schedule(T, beta_start=1e-4, beta_end=0.02):
    """T noise variances beta_1 .. beta_T evenly spaced from beta_start to beta_end, both
    included: a float32 Tensor (T,)."""
    raise NotImplementedError("generative.linear_beta_schedule: fill in this part")


def q_sample(x0, t, alphas_cumprod, noise):
    """x_t ~ q(x_t | x_0): sqrt(abar_t) * x0 + sqrt(1 - abar_t) * noise, with each sample's own t.

    x0 and noise (N, ...); t a LongTensor (N,) of 0-based steps; alphas_cumprod (T,) holds
    abar_t = prod_{s <= t} (1 - beta_s). Differentiable in x0 and noise.
    """
    raise NotImplementedError("generative.q_sample: fill in this part")


def ddpm_loss(eps_model, x0, t, alphas_cumprod, noise):
    """Mean squared error between eps_model(x_t, t) and the noise that made x_t = q_sample(...).

    eps_model is a callable (an nn.Module) taking (x_t, t); a 0-d Tensor, differentiable in the
    model's parameters.
    """
    raise NotImplementedError("generative.ddpm_loss: fill in this part")
