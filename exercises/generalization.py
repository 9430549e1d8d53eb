"""Generalization: k-fold cross-validation, the bootstrap, bagging, one AdaBoost round, and the
bias-variance decomposition, in numpy.

Inputs are numpy arrays (lists are accepted); indices are numpy int arrays. Random draws come
from `np.random.default_rng(seed)` so that a seed fixes every result.
"""

import numpy as np


def kfold_split(n_samples, k, shuffle=False, seed=None):
    """k (train_idx, val_idx) pairs of numpy int arrays, scikit-learn's KFold split.

    The validation folds partition the samples: the first n_samples % k folds have
    n_samples // k + 1 samples, the others n_samples // k; train_idx is every other sample.
    Without shuffle the folds are contiguous runs of 0 .. n_samples - 1 in order; with
    shuffle they are contiguous runs of np.random.default_rng(seed).permutation(n_samples).
    Raises ValueError when k < 2 or k > n_samples. Do not call sklearn.model_selection.KFold.
    """
    raise NotImplementedError("generalization.kfold_split: fill in this part")


def bootstrap_indices(n_samples, n_bootstraps, seed=None):
    """(n_bootstraps, n_samples) int array: row b holds the sample indices of bootstrap b,
    drawn uniformly with replacement by one call of np.random.default_rng(seed).integers with
    size=(n_bootstraps, n_samples).
    Do not call sklearn.utils.resample."""
    raise NotImplementedError("generalization.bootstrap_indices: fill in this part")


def out_of_bag_mask(indices, n_samples):
    """(B, n_samples) bool array: True where sample j never appears in row b of indices (B, m)."""
    raise NotImplementedError("generalization.out_of_bag_mask: fill in this part")


def bagging_predict(predictions, task="classification"):
    """Combine predictions (n_models, n_samples) into one per sample (n_samples,).

    "classification": the majority vote over the models (labels are non-negative ints; a tie
    goes to the smallest label). "regression": the mean over the models.
    """
    raise NotImplementedError("generalization.bagging_predict: fill in this part")


def adaboost_step(weights, y_true, y_pred):
    """One AdaBoost round for labels in {-1, +1}: returns (new_weights, alpha).

    err = sum(w[miss]) / sum(w), clipped to [1e-10, 1 - 1e-10]; alpha = 0.5 ln((1 - err) / err);
    the new weights are w * exp(-alpha * y_true * y_pred), normalised to sum to 1.
    """
    raise NotImplementedError("generalization.adaboost_step: fill in this part")


def bias_variance(predictions, y_true):
    """(bias_sq, variance) of predictions (n_models, n_points) against y_true (n_points,).

    bias_sq: mean over points of (mean over models - y)^2; variance: mean over points of the
    variance over models (ddof = 0). Both are Python floats.
    """
    raise NotImplementedError("generalization.bias_variance: fill in this part")
