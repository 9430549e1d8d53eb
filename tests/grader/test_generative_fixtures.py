"""The generative suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (equal weights): the
parameter counts have one test each; every other exercise has 4 tests but reparameterize and
linear_beta_schedule (2 each). vae_loss and ddpm_loss are graded on their own: a result that is
right around the student's own kl_standard_normal or q_sample passes, so a mistake there costs
only that exercise (the kl_* and q_sample_* fixtures keep vae_loss and ddpm_loss at full marks).
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "generative"
FULL = {"params_full_joint": 1.0, "params_independent": 1.0, "params_markov": 1.0, "markov_log_likelihood": 2.0,
        "autoregressive_sample": 2.0, "reparameterize": 1.0, "kl_standard_normal": 2.0, "vae_loss": 2.0,
        "gan_losses": 2.0, "linear_beta_schedule": 1.0, "q_sample": 2.0, "ddpm_loss": 2.0}

# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    "full_joint_no_minus_one.py": ("params_full_joint", 0.0, ["2^n", "sum to 1"]),
    "full_joint_float_power.py": ("params_full_joint", 0.0, ["float"]),
    "independent_two_per_pixel.py": ("params_independent", 0.0, ["2n"]),
    "markov_params_first_pixel_left_out.py": ("params_markov", 0.0, ["first pixel left out"]),
    "markov_ll_ignores_first_pixel.py": ("markov_log_likelihood", 0.0, ["first pixel ignored"]),
    # keeps only the single-pixel test (no transitions)
    "markov_ll_p_next_swapped.py": ("markov_log_likelihood", 0.5, ["p_next read the wrong way round"]),
    # keeps only the test without a generator (shape and 0/1 values)
    "ar_all_pixels_at_once.py": ("autoregressive_sample", 0.5, ["all pixels drawn at once"]),
    "reparam_exp_logvar_as_std.py": ("reparameterize", 0.0, ["exp(logvar) used as the standard deviation"]),
    "kl_wrong_sign.py": ("kl_standard_normal", 0.0, ["wrong sign"]),
    "kl_mean_over_latents.py": ("kl_standard_normal", 0.0, ["averaged over the latent dimensions"]),
    # finite and named where the logits lie in (0, 1); nan (and named) elsewhere
    "vae_bce_without_sigmoid.py": ("vae_loss", 0.0, ["BCE on logits without the sigmoid"]),
    "vae_sigmoid_twice.py": ("vae_loss", 0.0, ["sigmoid applied twice"]),
    "vae_bce_mean_reduction.py": ("vae_loss", 0.0, ["averaged over the features"]),
    "gan_labels_swapped.py": ("gan_losses", 0.0, ["labels swapped"]),
    "gan_saturating_generator.py": ("gan_losses", 0.0, ["saturating generator loss"]),
    "gan_sigmoid_twice.py": ("gan_losses", 0.0, ["sigmoid applied twice"]),
    # F.binary_cross_entropy raises on logits outside [0, 1]; named where they lie inside
    "gan_bce_without_sigmoid.py": ("gan_losses", 0.0, ["BCE on logits without the sigmoid"]),
    "schedule_end_excluded.py": ("linear_beta_schedule", 0.0, ["beta_end left out"]),
    "q_sample_t0_for_batch.py": ("q_sample", 0.0, ["t[0] used for the whole batch"]),
    "q_sample_alpha_t_for_alpha_bar.py": ("q_sample", 0.0, ["alpha_t", "where abar_t belongs"]),
    "ddpm_loss_predicts_x0.py": ("ddpm_loss", 0.0, ["MSE against x0 instead of the noise"]),
    # a batch of one cannot show it
    "ddpm_loss_t0_inline.py": ("ddpm_loss", 0.5, ["t[0] used for the whole batch"]),
}

ALTERNATIVES = ["alt_manual.py", "alt_library.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES, FULL, abs=1e-3)
