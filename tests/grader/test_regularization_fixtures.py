"""The regularization suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight): EarlyStopping
has 5 tests (2 points), l2_penalty 3 (1 point), dropout 7 (2 points), BatchNorm1d 10 weight
units (3 points), label_smoothing_cross_entropy 6 units (2 points), mixup 2 (1 point), cutmix
4 units (2 points), cutout 3 (1 point), add_gaussian_noise 4 units (1 point).
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "regularization"
FULL = {"EarlyStopping": 2.0, "l2_penalty": 1.0, "dropout": 2.0, "BatchNorm1d": 3.0,
        "label_smoothing_cross_entropy": 2.0, "mixup": 1.0, "cutmix": 2.0, "cutout": 1.0,
        "add_gaussian_noise": 1.0}

# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # every test has a run of `patience` steps without improvement
    "es_patience_off_by_one.py": ("EarlyStopping", 0.0, ["patience off by one"]),
    # keeps the tests without an improvement after a non-improving step: first and defaults
    "es_counter_not_reset.py": ("EarlyStopping", 2 * 2 / 5, ["counter not reset"]),
    # fails the two tests with min_delta > 0
    "es_min_delta_ignored.py": ("EarlyStopping", 2 * 3 / 5, ["min_delta ignored"]),
    "l2_no_half.py": ("l2_penalty", 0.0, ["factor 1/2 missing"]),
    # fails the three statistics tests (the generator test checks them too)
    "dropout_not_inverted.py": ("dropout", 2 * 4 / 7, ["not inverted", "mean shrinks by 1 - p"]),
    # fails the statistics tests, p == 0 and the gradient test (its share of zeros)
    "dropout_p_as_keep_probability.py": ("dropout", 2 * 3 / 7, ["p read as the keep probability"]),
    "dropout_scaling_at_eval.py": ("dropout", 2 * 6 / 7, ["scaling at eval"]),
    "dropout_generator_ignored.py": ("dropout", 2 * 6 / 7, ["must come from `generator`"]),
    "dropout_uses_forbidden_F_dropout.py": ("dropout", 0.0, ["torch.nn.functional.dropout", "forbids"]),
    # keeps registration (1) and gradients (2) of 10 units
    "bn_unbiased_variance.py": ("BatchNorm1d", 3 * 3 / 10, ["unbiased variance in the normalisation"]),
    # keeps registration (1) and gradients (2)
    "bn_momentum_flipped.py": ("BatchNorm1d", 3 * 3 / 10, ["momentum convention flipped"]),
    # keeps registration (1) and gradients (2): running_var is checked after every training step
    "bn_running_var_biased.py": ("BatchNorm1d", 3 * 3 / 10, ["biased variance tracked"]),
    # fails only the eval test (2 units)
    "bn_batch_stats_in_eval.py": ("BatchNorm1d", 3 * 8 / 10, ["batch statistics used in eval mode"]),
    "bn_params_not_registered.py": ("BatchNorm1d", 0.0, ["not registered", "nn.Parameter"]),
    # keeps the registration test (no forward pass)
    "bn_uses_forbidden_F_batch_norm.py": ("BatchNorm1d", 3 * 1 / 10, ["torch.nn.functional.batch_norm", "forbids"]),
    # keeps only smoothing = 0
    "ls_smoothing_over_other_classes.py": ("label_smoothing_cross_entropy", 2 * 1 / 6, ["other C - 1 classes"]),
    "ls_unstable_log_softmax.py": ("label_smoothing_cross_entropy", 2 * 5 / 6, ["nan", "log of a softmax overflows"]),
    "ls_uses_forbidden_cross_entropy.py": ("label_smoothing_cross_entropy", 0.0, ["torch.nn.CrossEntropyLoss", "forbids"]),
    "mixup_lam_swapped.py": ("mixup", 0.0, ["lam and 1 - lam swapped"]),
    # keeps the inputs-unchanged test (1 of 4 units)
    "cutmix_lam_swapped.py": ("cutmix", 2 * 1 / 4, ["lam and 1 - lam swapped"]),
    # keeps the box inside the image and the inputs-unchanged test
    "cutmix_lam_unclipped.py": ("cutmix", 2 * 2 / 4, ["lam not from the clipped box"]),
    "cutmix_in_place.py": ("cutmix", 2 * 3 / 4, ["must not be changed in place"]),
    "cutout_axes_swapped.py": ("cutout", 1 / 3, ["box read as (left, top, width, height)"]),
    "noise_std_as_variance.py": ("add_gaussian_noise", 2 / 4, ["std used as the variance"]),
    # right values, zero gradient: fails the gradient test only
    "noise_torch_normal_mean_x.py": ("add_gaussian_noise", 3 / 4, ["torch.normal(mean=x"]),
}

ALTERNATIVES = ["alt_loops.py", "alt_functional.py", "alt_float32_mask.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES, FULL)
