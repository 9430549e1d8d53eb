"""The optimizers suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Every exercise has the same 9 hidden tests of weight 1 (first step, 8-step trajectory,
defaults, two param groups, grad None, tiny gradients, state per parameter, in place,
closure), so one test is points / 9.
"""

from tests.grader.helpers import alternative_test, graded_once, mistake_test

TOPIC = "optimizers"
FULL = {"SGD": 1.0, "Momentum": 2.0, "Nesterov": 2.0, "Adagrad": 2.0, "Adadelta": 2.0, "RMSprop": 2.0,
        "Adam": 3.0}
TESTS = 9


def passing(exercise, n):
    """The score of `exercise` when n of its tests pass."""
    return FULL[exercise] * n / TESTS


# fixture -> (the exercise it breaks, its score there, words every failure message of it contains)
MISTAKES = {
    # first step 3.16x too large: fails all nine
    "adam_no_bias_correction.py": ("Adam", 0.0, ["bias correction missing"]),
    # 1 - beta1^0 = 0: ZeroDivisionError on the first step of every test
    "adam_t_incremented_late.py": ("Adam", 0.0, ["ZeroDivisionError", "t incremented late"]),
    # invisible with gradients of about 1: only the tiny-gradient test fails
    "adam_eps_inside_sqrt.py": ("Adam", passing("Adam", 8), ["eps inside the square root"]),
    # the paper's efficient form: eps / sqrt(1 - beta2^t) in torch's terms; only tiny gradients show it
    "adam_eps_before_bias_correction.py": ("Adam", passing("Adam", 8), ["eps added before bias correction"]),
    # p.data replaced by a flattened copy: reported as the student's wrong shape (kind wrong),
    # never as an internal error of the test, in the 6 tests it fails
    "sgd_flattens_params.py": ("SGD", passing("SGD", 3), ["should keep its shape"]),
    # only the one-step tests (first step, closure) pass
    "adam_state_recreated.py": ("Adam", passing("Adam", 2), ["state recreated every step"]),
    "adam_not_in_place.py": ("Adam", 0.0, ["not in place"]),
    "adam_calls_torch_optim.py": ("Adam", 0.0, ["torch.optim.Adam", "forbids"]),
    # s <- 0.99 s + 0.01 g^2: the first step is already 10x too large
    "adagrad_decayed_accumulator.py": ("Adagrad", 0.0, ["accumulator decayed"]),
    "adagrad_eps_inside_sqrt.py": ("Adagrad", passing("Adagrad", 8), ["eps inside the square root"]),
    "rmsprop_alpha_swapped.py": ("RMSprop", 0.0, ["alpha and 1 - alpha swapped"]),
    # b <- mu b + (1 - mu) g from b = 0: the first step is 0.1x
    "momentum_dampening.py": ("Momentum", 0.0, ["dampening"]),
    "nesterov_plain_momentum.py": ("Nesterov", 0.0, ["plain momentum step"]),
    # with gradients of 1e-6 the running means stay far below eps and u_t ~ u_{t-1}: that test passes
    "adadelta_u_t_instead_of_u_prev.py": ("Adadelta", passing("Adadelta", 1), ["u_t used where u_{t-1} belongs"]),
    # only the test with the default lr = 1 passes
    "adadelta_lr_ignored.py": ("Adadelta", passing("Adadelta", 1), ["lr ignored"]),
    "sgd_crash_on_grad_none.py": ("SGD", passing("SGD", 8), ["grad is None"]),
    "sgd_first_group_only.py": ("SGD", passing("SGD", 8), ["only the first param group"]),
}

ALTERNATIVES = ["alt_sutskever_momentum.py", "alt_functional_style.py", "alt_float32_step_counter.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES, each_test=True)
test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES, FULL)


def test_adam_without_bias_correction_is_told_its_first_step_is_3_16x_too_large():
    res = graded_once(TOPIC, "adam_no_bias_correction.py")
    first = next(t for t in res.result.exercise("Adam").tests if t.name == "test_first_step_matches_torch[Adam]")
    assert "your first step is 3.16x the expected one" in first.message, first.message
