"""The segmentation suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight):
convolutionalize 5 tests (2 points), conv_transpose2d 9 units (8 tests, the gradient test
counts 2; 4 points), conv_transpose2d_output_size 4 (1 point), pixel_accuracy 4 (1 point),
mean_iou 5 (2 points).
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "segmentation"


def _ct(units_passed):
    return 4.0 * units_passed / 9


# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # fails all five tests (the one without bias by its flattening order too)
    "convolutionalize_hwc_order.py": ("convolutionalize", 0.0, ["flattening order (H, W, C)"]),
    # keeps only the test without bias
    "convolutionalize_bias_not_copied.py": ("convolutionalize", 2.0 / 5, ["bias not copied"]),
    # fails only the test that changes the linear in place
    "convolutionalize_shares_weights.py": ("convolutionalize", 2.0 * 4 / 5, ["share memory"]),
    # crashes with C_in != C_out (the crash is explained), wrong numbers with C_in == C_out
    "conv_transpose_weight_layout_confused.py": ("conv_transpose2d", 0.0,
                                                 ["weight layout (C_in, C_out, kh, kw) confused",
                                                  "(C_in, C_out, kh, kw), the transpose of conv2d's"]),
    # keeps only the stride-1 test without padding
    "conv_transpose_stride_on_input.py": ("conv_transpose2d", _ct(1), ["stride applied to the input indices"]),
    "conv_transpose_kernel_not_flipped.py": ("conv_transpose2d", 0.0, ["kernel flip wrong"]),
    # keeps only the stride-1 test without padding
    "conv_transpose_stride_ignored.py": ("conv_transpose2d", _ct(1), ["stride ignored"]),
    # keeps the three tests without padding
    "conv_transpose_padding_as_border.py": ("conv_transpose2d", _ct(3), ["padding adds a border"]),
    "conv_transpose_uses_forbidden_F.py": ("conv_transpose2d", 0.0,
                                           ["torch.nn.functional.conv_transpose2d", "forbids"]),
    "output_size_conv_formula.py": ("conv_transpose2d_output_size", 0.0, ["conv2d's formula used"]),
    # fails only the output_padding test
    "output_size_output_padding_ignored.py": ("conv_transpose2d_output_size", 0.75, ["output_padding ignored"]),
    # fails the two tests with ignore_index
    "pixel_accuracy_ignore_not_applied.py": ("pixel_accuracy", 0.5, ["ignore_index not applied"]),
    # fails where images have different numbers of ignored pixels
    "pixel_accuracy_per_image_mean.py": ("pixel_accuracy", 0.75, ["mean of the per-image accuracies"]),
    # keeps only the test where every class occurs
    "mean_iou_over_all_classes.py": ("mean_iou", 2.0 / 5, ["mean over all num_classes classes"]),
    # fails the two tests with ignore_index
    "mean_iou_ignore_not_applied.py": ("mean_iou", 2.0 * 3 / 5, ["ignore_index not applied"]),
}

ALTERNATIVES = ["alt_loops_numpy.py", "alt_zero_stuffed.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
