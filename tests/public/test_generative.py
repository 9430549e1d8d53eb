"""Sanity checks for the generative topic: types, shapes and one small case per exercise.

Run them with `grade check generative`. Passing them does not mean full marks: the graded suite
checks large n, every dtype, per-sample steps, the known mistakes and the gradients.
"""

import math

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, fail


@pytest.mark.exercise("params_full_joint")
def test_params_full_joint_of_three_pixels(student):
    assert_equal(student.params_full_joint(3), 7, what="params_full_joint(3)")


@pytest.mark.exercise("params_independent")
def test_params_independent_of_three_pixels(student):
    assert_equal(student.params_independent(3), 3, what="params_independent(3)")


@pytest.mark.exercise("params_markov")
def test_params_markov_of_three_pixels(student):
    assert_equal(student.params_markov(3), 5, what="params_markov(3)")


@pytest.mark.exercise("markov_log_likelihood")
def test_markov_log_likelihood_of_one_row(student):
    # P(1, 1) = P(x_1 = 1) * P(1 | 1) = 0.5 * 0.9
    got = student.markov_log_likelihood(torch.tensor([[1.0, 1.0]]), 0.5, [0.2, 0.9])
    assert_close(got, torch.tensor([math.log(0.5 * 0.9)]), what="markov_log_likelihood([[1, 1]], 0.5, [0.2, 0.9])",
                 rtol=1e-5, atol=1e-6)


@pytest.mark.exercise("autoregressive_sample")
def test_autoregressive_sample_shape(student):
    cond = student.build("logistic_conditional", weight=torch.zeros(4, 4), bias=torch.zeros(4), num_samples=3)
    got = student.autoregressive_sample(cond, 4, 3)
    if not isinstance(got, torch.Tensor) or tuple(got.shape) != (3, 4):
        fail(f"autoregressive_sample(conditional, 4, 3) should be a tensor of shape (3, 4), got "
             f"{tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__}")


@pytest.mark.exercise("reparameterize")
def test_reparameterize_unit_variance(student):
    mu, eps = torch.tensor([[1.0, -1.0]]), torch.tensor([[0.5, 2.0]])
    assert_close(student.reparameterize(mu, torch.zeros(1, 2), eps), mu + eps,
                 what="reparameterize(mu, logvar=0, eps): sigma = 1")


@pytest.mark.exercise("kl_standard_normal")
def test_kl_of_the_prior_is_zero(student):
    assert_close(student.kl_standard_normal(torch.zeros(2, 3), torch.zeros(2, 3)), torch.zeros(2),
                 what="kl_standard_normal(0, 0)")


@pytest.mark.exercise("vae_loss")
def test_vae_loss_is_a_scalar_tensor(student):
    got = student.vae_loss(torch.zeros(2, 4), torch.ones(2, 4), torch.zeros(2, 3), torch.zeros(2, 3))
    # 4 features of BCE(0, 1) = log 2 each, KL 0
    assert_close(got, torch.tensor(4 * math.log(2)), what="vae_loss(logits 0, x 1, mu 0, logvar 0)", rtol=1e-5)


@pytest.mark.exercise("gan_losses")
def test_gan_losses_at_logit_zero(student):
    got = student.gan_losses(torch.zeros(3), torch.zeros(2))
    assert_close(tuple(got), (torch.tensor(2 * math.log(2)), torch.tensor(math.log(2))),
                 what="gan_losses(zeros(3), zeros(2)): D = 1/2 everywhere", rtol=1e-5)


@pytest.mark.exercise("linear_beta_schedule")
def test_linear_beta_schedule_ends(student):
    got = student.linear_beta_schedule(5, 0.1, 0.5)
    assert_close(got, torch.tensor([0.1, 0.2, 0.3, 0.4, 0.5]), what="linear_beta_schedule(5, 0.1, 0.5)")


@pytest.mark.exercise("q_sample")
def test_q_sample_at_two_steps(student):
    abar = torch.tensor([0.81, 0.36])
    x0, noise = torch.ones(2, 3), torch.zeros(2, 3)
    got = student.q_sample(x0, torch.tensor([0, 1]), abar, noise)
    assert_close(got, torch.tensor([[0.9] * 3, [0.6] * 3]), what="q_sample(ones, t=[0, 1], [0.81, 0.36], zeros)")


@pytest.mark.exercise("ddpm_loss")
def test_ddpm_loss_is_a_scalar_tensor(student):
    model = student.build("eps_model", scale=torch.tensor(0.0), shift=torch.zeros(10))  # predicts 0
    noise = torch.full((2, 3), 2.0)
    got = student.ddpm_loss(model, torch.zeros(2, 3), torch.tensor([1, 7]), torch.linspace(0.9, 0.1, 10), noise)
    assert_close(got, F.mse_loss(torch.zeros(2, 3), noise), what="ddpm_loss with a model that predicts 0")
