"""Sanity checks for the generalization topic: shapes, types and one small case per exercise.

Run them with `grade check generalization`. Passing them does not mean full marks: the graded
suite checks fold sizes where n % k != 0, shuffled folds, seeds, ties, non-uniform weights and
the edge cases of every formula.
"""

import numpy as np
import pytest

from grader.checks import assert_close, assert_equal, assert_raises, fail


@pytest.mark.exercise("kfold_split")
def test_kfold_of_six_samples_in_three_folds(student):
    folds = student.kfold_split(6, 3)
    assert_equal(len(folds), 3, what="len(kfold_split(6, 3))")
    for i, (train, val) in enumerate(folds):
        assert_equal(sorted(val.tolist()), [2 * i, 2 * i + 1], what=f"sorted val_idx of fold {i}")
        assert_equal(sorted(train.tolist()), [j for j in range(6) if j // 2 != i], what=f"sorted train_idx of fold {i}")
    assert_raises("ValueError", student.kfold_split, 6, 1)


@pytest.mark.exercise("bootstrap_indices")
def test_bootstrap_shape_and_range(student):
    got = student.bootstrap_indices(10, 4, seed=0)
    if not isinstance(got, np.ndarray) or got.shape != (4, 10):
        fail(f"bootstrap_indices(10, 4, seed=0) must be an array of shape (4, 10), got {getattr(got, 'shape', got)}")
    if got.min() < 0 or got.max() > 9:
        fail("bootstrap indices must lie in 0 .. 9")


@pytest.mark.exercise("out_of_bag_mask")
def test_oob_small_case(student):
    got = student.out_of_bag_mask(np.array([[0, 0, 1], [2, 2, 2]]), 3)
    assert_equal(got, np.array([[False, False, True], [True, True, False]]), what="out_of_bag_mask([[0, 0, 1], [2, 2, 2]], 3)")


@pytest.mark.exercise("bagging_predict")
def test_bagging_small_cases(student):
    preds = np.array([[0, 1, 2], [0, 2, 2], [1, 1, 0]])
    assert_equal(student.bagging_predict(preds), np.array([0, 1, 2]), what="bagging_predict of 3 models x 3 samples")
    assert_close(student.bagging_predict(np.array([[1.0, 2.0], [3.0, 6.0]]), task="regression"), np.array([2.0, 4.0]),
                 what="bagging_predict(..., task='regression')")


@pytest.mark.exercise("adaboost_step")
def test_adaboost_small_case(student):
    w, alpha = student.adaboost_step(np.full(4, 0.25), np.array([1, 1, -1, -1]), np.array([1, 1, -1, 1]))
    assert_close(alpha, 0.5 * np.log(3), what="alpha with err = 0.25")
    assert_close(w, np.array([1 / 6, 1 / 6, 1 / 6, 1 / 2]), what="new weights with err = 0.25")


@pytest.mark.exercise("bias_variance")
def test_bias_variance_small_case(student):
    got = student.bias_variance(np.array([[1.0, 2.0], [3.0, 2.0]]), np.array([1.0, 2.0]))
    assert_close(got, (0.5, 0.5), what="bias_variance([[1, 2], [3, 2]], [1, 2])")
