"""The convolution suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight): conv2d has
12 weight units (11 tests, the main gradient test counts 2), so one unit is 4/12 of a point.
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "convolution"
FULL = {"conv2d_output_size": 1.0, "conv2d_num_params": 1.0, "conv2d": 4.0, "max_pool2d": 2.0,
        "bottleneck_params": 1.0}


def _conv2d(units_passed):
    return FULL["conv2d"] * units_passed / 12


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # fails every conv2d test: each one has a non-symmetric kernel
    "conv2d_kernel_flipped.py": ("conv2d", 0.0, ["kernel flipped"]),
    # passes the tests without padding: single image, non-square, stride pair, bias x2, zero grads
    "conv2d_padding_one_side.py": ("conv2d", _conv2d(6), ["padding on one side only"]),
    # keeps only the ValueError test (of three)
    "output_size_missing_plus_one.py": ("conv2d_output_size", 1 / 3, ["missing +1"]),
    "output_size_float_division.py": ("conv2d_output_size", 1 / 3, ["float division"]),
    # passes the tests without a bias: single image, stride pair, padding pair, zero grads
    "conv2d_bias_per_pixel.py": ("conv2d", _conv2d(4), ["bias per pixel"]),
    # fails the tests with a width stride > 1: stride pair, int stride, both pairs, zero grads
    "conv2d_stride_one_axis.py": ("conv2d", _conv2d(8), ["stride applied on one axis only"]),
    # passes only where stride and padding are ints (or absent) and square
    "conv2d_hw_swapped.py": ("conv2d", _conv2d(6), ["H and W swapped"]),
    # passes the value checks, fails the two gradient tests (3 units)
    "conv2d_numpy_inside.py": ("conv2d", _conv2d(9), ["not differentiable", "numpy"]),
    "conv2d_uses_forbidden_F_conv2d.py": ("conv2d", 0.0, ["torch.nn.functional.conv2d", "forbids"]),
    # keeps only the explicit-stride test
    "max_pool_stride_one.py": ("max_pool2d", 2.0 / 5, ["stride defaults to 1 instead of kernel_size"]),
    "max_pool_uses_forbidden_F_max_pool2d.py": ("max_pool2d", 0.0, ["torch.nn.functional.max_pool2d", "forbids"]),
    # keeps only the test without groups
    "num_params_groups_ignored.py": ("conv2d_num_params", 1 / 3, ["groups ignored"]),
}

ALTERNATIVES = ["alt_conv2d_loops.py", "alt_conv2d_einsum.py", "alt_conv2d_kernel_taps.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES, FULL)
