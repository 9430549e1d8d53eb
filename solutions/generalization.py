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
    # BEGIN SOLUTION
    if not 2 <= k <= n_samples:
        raise ValueError(f"k must be between 2 and n_samples = {n_samples}, got {k}")
    order = np.random.default_rng(seed).permutation(n_samples) if shuffle else np.arange(n_samples)
    sizes = np.full(k, n_samples // k)
    sizes[: n_samples % k] += 1  # the first n % k folds take one sample more
    folds, start = [], 0
    for size in sizes:
        val = order[start:start + size]
        train = np.concatenate([order[:start], order[start + size:]])
        folds.append((train, val))
        start += size
    return folds
    # END SOLUTION


def bootstrap_indices(n_samples, n_bootstraps, seed=None):
    """(n_bootstraps, n_samples) int array: row b holds the sample indices of bootstrap b,
    drawn uniformly with replacement by one call of np.random.default_rng(seed).integers with
    size=(n_bootstraps, n_samples).
    Do not call sklearn.utils.resample."""
    # BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_samples, size=(n_bootstraps, n_samples))  # (B, n)
    # END SOLUTION


def out_of_bag_mask(indices, n_samples):
    """(B, n_samples) bool array: True where sample j never appears in row b of indices (B, m)."""
    # BEGIN SOLUTION
    indices = np.asarray(indices)
    drawn = np.zeros((indices.shape[0], n_samples), dtype=bool)  # (B, n)
    rows = np.arange(indices.shape[0])[:, None]  # (B, 1), broadcast against (B, m)
    drawn[rows, indices] = True
    return ~drawn
    # END SOLUTION


def bagging_predict(predictions, task="classification"):
    """Combine predictions (n_models, n_samples) into one per sample (n_samples,).

    "classification": the majority vote over the models (labels are non-negative ints; a tie
    goes to the smallest label). "regression": the mean over the models.
    """
    # BEGIN SOLUTION
    predictions = np.asarray(predictions)
    if task == "regression":
        return predictions.mean(axis=0)
    n_labels = predictions.max() + 1
    # votes[c, j]: how many models predict label c for sample j
    votes = np.stack([(predictions == c).sum(axis=0) for c in range(n_labels)])  # (C, n)
    return votes.argmax(axis=0)  # argmax returns the first (smallest) label of a tie
    # END SOLUTION


def adaboost_step(weights, y_true, y_pred):
    """One AdaBoost round for labels in {-1, +1}: returns (new_weights, alpha).

    err = sum(w[miss]) / sum(w), clipped to [1e-10, 1 - 1e-10]; alpha = 0.5 ln((1 - err) / err);
    the new weights are w * exp(-alpha * y_true * y_pred), normalised to sum to 1.
    """
    # BEGIN SOLUTION
    w, y_true, y_pred = (np.asarray(a, dtype=float) for a in (weights, y_true, y_pred))
    miss = y_true != y_pred
    err = np.clip(w[miss].sum() / w.sum(), 1e-10, 1 - 1e-10)  # weighted error
    alpha = 0.5 * np.log((1 - err) / err)
    new = w * np.exp(-alpha * y_true * y_pred)  # misclassified samples gain weight
    return new / new.sum(), float(alpha)
    # END SOLUTION


def bias_variance(predictions, y_true):
    """(bias_sq, variance) of predictions (n_models, n_points) against y_true (n_points,).

    bias_sq: mean over points of (mean over models - y)^2; variance: mean over points of the
    variance over models (ddof = 0). Both are Python floats.
    """
    # BEGIN SOLUTION
    predictions, y_true = np.asarray(predictions, dtype=float), np.asarray(y_true, dtype=float)
    mean = predictions.mean(axis=0)  # (n_points,): the average model
    bias_sq = np.mean((mean - y_true) ** 2)
    variance = np.mean(predictions.var(axis=0))  # spread of the models around their mean
    return float(bias_sq), float(variance)
    # END SOLUTION
