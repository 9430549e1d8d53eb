"""The modern_cnn suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (by weight):
receptive_field 4 units (1 point), count_parameters 4 units (1 point), VGGBlock, InceptionBlock
and DenseBlock 5 units each (2 points), ResidualBlock 7 units (3 points).
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "modern_cnn"
FULL = {"receptive_field": 1.0, "count_parameters": 1.0, "VGGBlock": 2.0, "InceptionBlock": 2.0,
        "ResidualBlock": 3.0, "DenseBlock": 2.0}

# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # keeps the stride-1 stacks only
    "rf_strides_ignored.py": ("receptive_field", 1 / 4, ["strides ignored"]),
    # keeps the stride-1 stacks and the tuple case (where the product is one stride)
    "rf_strides_not_accumulated.py": ("receptive_field", 2 / 4, ["strides not accumulated"]),
    # keeps the two plain models, fails the shared one (1 of 4 units)
    "count_shared_twice.py": ("count_parameters", 3 / 4, ["counted every time"]),
    # the BatchNorm model (2 units) and the shared model fail
    "count_buffers_counted.py": ("count_parameters", 1 / 4, ["buffers counted"]),
    "count_trainable_ignored.py": ("count_parameters", 3 / 4, ["trainable_only ignored"]),
    "vgg_plain_list.py": ("VGGBlock", 0.0, ["no parameters registered", "plain Python list"]),
    # keeps the layout test only (with one conv the output is right, but that test has a 3-conv case too)
    "vgg_pool_each_conv.py": ("VGGBlock", 2 * 1 / 5, ["max pool after every conv"]),
    "inception_concat_wrong_dim.py": ("InceptionBlock", 2 * 1 / 5, ["concatenation on the wrong dim"]),
    "inception_branch_order.py": ("InceptionBlock", 2 * 1 / 5, ["branches 2 and 3 swapped"]),
    # keeps the identity-shortcut test only
    "residual_no_projection.py": ("ResidualBlock", 3 * 1 / 7, ["no projection shortcut when the shape changes"]),
    # keeps the layout test only
    "residual_relu_before_add.py": ("ResidualBlock", 3 * 1 / 7, ["ReLU before the residual addition"]),
    "dense_concat_wrong_dim.py": ("DenseBlock", 2 * 1 / 5, ["concatenation on the wrong dim"]),
    "dense_only_previous_output.py": ("DenseBlock", 0.0, ["sees only the previous layer's output"]),
    "dense_plain_list.py": ("DenseBlock", 0.0, ["no parameters registered"]),
    "dense_input_last.py": ("DenseBlock", 2 * 1 / 5, ["the input put last"]),
}

ALTERNATIVES = ["alt_backward_recurrences.py", "alt_explicit_products.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES, FULL)
