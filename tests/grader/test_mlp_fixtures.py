"""The mlp suite against known submissions: each mistake loses exactly the points it should and
is named in the feedback; every correct alternative gets full marks; a broken or missing
activation costs only the activation exercises (MLP and train_epoch keep full marks).

Tests per exercise (all of weight 1): relu, sigmoid and tanh 8 each (float64 and float32 values,
any shape, the gradient, values and gradients at |x| up to 1e4 in both dtypes); collapse_linear 4; MLP 10;
train_epoch 6; accuracy 4.
"""

import pytest

from tests.grader.helpers import alternative_test, grade_fixture, mistake_test

TOPIC = "mlp"
FULL = {"relu": 1.0, "sigmoid": 2.0, "tanh": 2.0, "collapse_linear": 2.0, "MLP": 3.0, "train_epoch": 3.0,
        "accuracy": 1.0}
TESTS = {"relu": 8, "sigmoid": 8, "tanh": 8, "collapse_linear": 4, "MLP": 10, "train_epoch": 6, "accuracy": 4}


def passing(exercise, n):
    """The score of `exercise` when n of its tests pass."""
    return FULL[exercise] * n / TESTS[exercise]


# fixture -> (the exercise it breaks, its score there, words its feedback must contain)
MISTAKES = {
    # values are fine (1 / (1 + inf) = 0); the two gradient-at-extremes tests get nan
    "sigmoid_unstable_exp.py": ("sigmoid", passing("sigmoid", 6), ["unstable sigmoid", "nan"]),
    "sigmoid_unstable_where.py": ("sigmoid", passing("sigmoid", 6), ["unstable sigmoid", "both of its branches"]),
    # nan in the value at x = 1000 as well: four extreme tests fail
    "sigmoid_exp_over_one_plus_exp.py": ("sigmoid", passing("sigmoid", 4), ["unstable sigmoid"]),
    # the three gradient tests fail, the five value tests pass
    "sigmoid_derivative_on_preactivation.py": ("sigmoid", passing("sigmoid", 5),
                                               ["derivative applied to the pre-activation"]),
    "sigmoid_uses_forbidden_softplus.py": ("sigmoid", 0.0, ["torch.nn.functional.softplus", "forbids"]),
    "tanh_unstable.py": ("tanh", passing("tanh", 4), ["unstable tanh"]),
    "tanh_derivative_on_preactivation.py": ("tanh", passing("tanh", 5), ["derivative applied to the pre-activation"]),
    "relu_uses_forbidden_torch_relu.py": ("relu", 0.0, ["torch.Tensor.relu", "forbids"]),
    # relu(x) = |x| fails every relu test; the solution's MLP calls it and still gets full marks
    "relu_wrong_and_mlp_uses_it.py": ("relu", 0.0, ["values differ"]),
    # the non-square stacks raise a shape error; the square stack names it; one layer passes
    "collapse_biases_summed.py": ("collapse_linear", passing("collapse_linear", 1), ["biases added up"]),
    "collapse_wrong_order.py": ("collapse_linear", passing("collapse_linear", 1), ["list order"]),
    # the layer and parameter checks and the ValueError test pass
    "mlp_relu_after_last_layer.py": ("MLP", passing("MLP", 3), ["activation after the last layer"]),
    # only the registration test sees it (the others hold the Parameters themselves)
    "mlp_plain_list.py": ("MLP", passing("MLP", 9), ["plain Python list", "nn.ModuleList"]),
    # forward with sigmoid and tanh, gradients with tanh
    "mlp_activation_ignored.py": ("MLP", passing("MLP", 7), ["activation argument ignored"]),
    # the three tests that check the returned loss
    "train_epoch_batch_mean.py": ("train_epoch", passing("train_epoch", 3), ["averaged over batches instead of samples"]),
    # lr = 0 in the loss test and the type test: those two pass
    "train_epoch_no_zero_grad.py": ("train_epoch", passing("train_epoch", 2), ["gradients accumulate"]),
    "train_epoch_zero_grad_after_backward.py": ("train_epoch", passing("train_epoch", 2), ["never changed"]),
    # only the test that leaves a gradient in .grad before the call sees it
    "train_epoch_zero_grad_after_step.py": ("train_epoch", passing("train_epoch", 5), ["from before the call"]),
    "train_epoch_no_train_mode.py": ("train_epoch", passing("train_epoch", 5), ["train mode not set"]),
    "train_epoch_tensor_total.py": ("train_epoch", passing("train_epoch", 5), ["returned a tensor", "loss.item()"]),
    # only the DataLoader test passes
    "train_epoch_uses_loader_dataset.py": ("train_epoch", passing("train_epoch", 1), ["len(loader.dataset)"]),
    # a shape error wherever N != C, a wrong value on the square and the one-row cases
    "accuracy_argmax_dim0.py": ("accuracy", 0.0, ["argmax over dim 0"]),
    "accuracy_returns_tensor.py": ("accuracy", passing("accuracy", 3), ["Python float", ".item()"]),
    "accuracy_percentage.py": ("accuracy", passing("accuracy", 1), ["percentage"]),
}

ALTERNATIVES = ["alt_clamp_logaddexp_loops.py", "alt_masks_custom_function_numpy.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


def test_missing_activations_cost_only_the_activations():
    res = grade_fixture(TOPIC, "activations_missing_mlp_uses_torch.py")
    assert res.scores() == pytest.approx({**FULL, "relu": 0.0, "sigmoid": 0.0, "tanh": 0.0}), res.feedback()
    assert "not implemented" in res.messages_of("relu")


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
