"""The generalization suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Tests per exercise (all of weight 1): kfold_split 9, bootstrap_indices 3, out_of_bag_mask 3,
bagging_predict 4, adaboost_step 4, bias_variance 3.
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "generalization"
FULL = {"kfold_split": 3.0, "bootstrap_indices": 1.0, "out_of_bag_mask": 1.0, "bagging_predict": 2.0,
        "adaboost_step": 2.0, "bias_variance": 2.0}
TESTS = {"kfold_split": 9, "bootstrap_indices": 3, "out_of_bag_mask": 3, "bagging_predict": 4,
         "adaboost_step": 4, "bias_variance": 3}


def passing(exercise, n):
    """The score of `exercise` when n of its tests pass."""
    return FULL[exercise] * n / TESTS[exercise]


# fixture -> (the exercise it breaks, its score there, words its feedback must contain)
MISTAKES = {
    # only the even split (12, 4) and the ValueError test pass
    "kfold_remainder_dropped.py": ("kfold_split", passing("kfold_split", 2), ["remainder dropped"]),
    "kfold_overlapping_folds.py": ("kfold_split", passing("kfold_split", 2), ["folds overlapping"]),
    "kfold_remainder_last.py": ("kfold_split", passing("kfold_split", 2), ["remainder went to the last folds"]),
    "kfold_no_validation.py": ("kfold_split", passing("kfold_split", 8), ["ValueError"]),
    "bootstrap_without_replacement.py": ("bootstrap_indices", 0.0, ["without replacement"]),
    # rows all equal, but drawn with replacement: the property test passes
    "bootstrap_rng_per_row.py": ("bootstrap_indices", passing("bootstrap_indices", 1), ["re-created for every row"]),
    "oob_inverted.py": ("out_of_bag_mask", 0.0, ["mask inverted"]),
    "oob_int_mask.py": ("out_of_bag_mask", 0.0, ["bool array"]),
    # only the test made of 2-2 ties sees it
    "bagging_ties_to_largest.py": ("bagging_predict", passing("bagging_predict", 3), ["ties broken toward the largest"]),
    "bagging_wrong_axis.py": ("bagging_predict", 0.0, ["axis 1"]),
    # the uniform-weight and the perfect-learner tests cannot tell
    "adaboost_unweighted_error.py": ("adaboost_step", passing("adaboost_step", 2), ["unweighted error"]),
    "adaboost_no_renormalisation.py": ("adaboost_step", 0.0, ["not renormalised"]),
    "adaboost_alpha_no_half.py": ("adaboost_step", 0.0, ["alpha off by a factor of 2"]),
    "adaboost_no_clip.py": ("adaboost_step", passing("adaboost_step", 3), ["not clipped"]),
    # identical models have variance 0 with either ddof
    "bias_variance_ddof1.py": ("bias_variance", passing("bias_variance", 1), ["ddof=1"]),
    "bias_variance_bias_not_squared.py": ("bias_variance", 0.0, ["bias not squared"]),
}

ALTERNATIVES = ["alt_array_split_isin.py", "alt_loops_and_counters.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
