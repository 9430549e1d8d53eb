"""Grading suite for the generalization topic.

Oracles: the catalog's definitions written out here in numpy (scikit-learn's KFold fold sizes,
`np.random.default_rng(seed)` draws, the AdaBoost and bias-variance formulas) and invariants
that hold for any correct answer (the validation folds partition the samples, train and
validation are complements, bias^2 + variance is the mean squared error, ...).

k-fold results are checked structurally first, so a wrong split is named by what is wrong
with it (remainder dropped, folds overlapping, train and validation overlapping, sizes in the
wrong order) before its sets are compared (as sets: any order inside an array). Sizes are
chosen where floor division matters (n % k != 0). AdaBoost weights are non-uniform and do
not sum to 1, so an unweighted error or a missing division by sum(w) changes the answer.
"""

import numpy as np
import pytest

from grader.checks import assert_close, assert_equal, assert_raises, fail


def rng(seed):
    return np.random.default_rng(seed)


# ------------------------------------------------------------------ 1. kfold_split
def expected_folds(n, k, shuffle=False, seed=None):
    order = rng(seed).permutation(n) if shuffle else np.arange(n)
    sizes = [n // k + 1] * (n % k) + [n // k] * (k - n % k)
    starts = np.cumsum([0] + sizes)
    return [set(order[a:b].tolist()) for a, b in zip(starts, starts[1:])]


def as_index_set(arr, what):
    if not isinstance(arr, np.ndarray):
        fail(f"{what}: expected a numpy int array, got {type(arr).__name__}")
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        fail(f"{what}: expected a 1-d numpy int array, got shape {arr.shape} and dtype {arr.dtype}")
    values = arr.tolist()
    if len(set(values)) != len(values):
        fail(f"{what} holds some index twice")
    return set(values)


def check_partition(folds, n, k, what):
    """The structure every correct split has; named mistakes for the known ways to break it."""
    if not isinstance(folds, (list, tuple)) or len(folds) != k:
        fail(f"{what}: expected a list of k = {k} (train_idx, val_idx) pairs, got "
             f"{len(folds) if isinstance(folds, (list, tuple)) else type(folds).__name__}")
    vals, trains = [], []
    for i, pair in enumerate(folds):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(f"{what}: fold {i} is not a (train_idx, val_idx) pair")
        trains.append(as_index_set(pair[0], f"{what}: train_idx of fold {i}"))
        vals.append(as_index_set(pair[1], f"{what}: val_idx of fold {i}"))
    everything = set(range(n))
    sizes = [len(v) for v in vals]
    for i in range(k):
        for j in range(i):
            if vals[i] & vals[j]:
                fail(f"{what}: the validation folds {j} and {i} share samples "
                     f"{sorted(vals[i] & vals[j])[:5]}: folds overlapping (each sample is validated exactly once)")
    missing = everything - set().union(*vals)
    if missing:
        hint = ""
        if sizes == [n // k] * k:
            hint = (f"\n  This is what you get with this mistake: remainder dropped (n // k = {n // k} samples per "
                    f"fold leaves {n % k} sample{'s' * (n % k > 1)} out; the first n % k folds take one more)")
        fail(f"{what}: samples {sorted(missing)[:5]} are in no validation fold (fold sizes {sizes}){hint}")
    if set().union(*vals) - everything:
        fail(f"{what}: validation indices outside 0 .. {n - 1}")
    for i, (tr, va) in enumerate(zip(trains, vals)):
        if tr & va:
            fail(f"{what}: fold {i}: train and validation share samples {sorted(tr & va)[:5]}")
        if tr | va != everything:
            fail(f"{what}: fold {i}: train_idx misses samples {sorted(everything - tr - va)[:5]} "
                 "(train is every sample not in the fold's validation set)")
    right = [n // k + 1] * (n % k) + [n // k] * (k - n % k)
    if sizes != right:
        ceil = -(-n // k)
        hint = ""
        if sorted(sizes) == sorted(right):
            hint = " (the remainder went to the last folds; scikit-learn gives it to the first n % k)"
        elif sizes[:-1] == [ceil] * (k - 1):
            hint = f" (ceil(n / k) = {ceil} per fold and the rest in the last; the first n % k folds get n // k + 1)"
        fail(f"{what}: validation fold sizes {sizes}, expected {right}{hint}")
    return vals


def check_folds(student, n, k, **kw):
    call = f"kfold_split({n}, {k}{''.join(f', {a}={v!r}' for a, v in kw.items())})"
    vals = check_partition(student.kfold_split(n, k, **kw), n, k, call)
    want = expected_folds(n, k, **kw)
    for i, (got, exp) in enumerate(zip(vals, want)):
        if got != exp:
            how = ("contiguous runs of np.random.default_rng(seed).permutation(n_samples), in order"
                   if kw.get("shuffle") else "contiguous runs 0 .. n - 1 in order")
            fail(f"{call}: validation fold {i} is {sorted(got)}, expected {sorted(exp)} (folds are {how})")


@pytest.mark.exercise("kfold_split")
def test_kfold_remainder_goes_to_the_first_folds(student):
    check_folds(student, 10, 3)


@pytest.mark.exercise("kfold_split")
def test_kfold_remainder_of_several_samples(student):
    check_folds(student, 23, 5)


@pytest.mark.exercise("kfold_split")
def test_kfold_even_split(student):
    check_folds(student, 12, 4)


@pytest.mark.exercise("kfold_split")
def test_kfold_leave_one_out_and_two_folds(student):
    check_folds(student, 7, 7)
    check_folds(student, 5, 2)


@pytest.mark.exercise("kfold_split")
def test_kfold_every_small_n_and_k(student):
    for n in range(2, 12):
        for k in range(2, n + 1):
            check_folds(student, n, k)


@pytest.mark.exercise("kfold_split")
@pytest.mark.parametrize("seed", [0, 7])
def test_kfold_shuffle_follows_default_rng_permutation(student, seed):
    check_folds(student, 11, 3, shuffle=True, seed=seed)


@pytest.mark.exercise("kfold_split")
def test_kfold_shuffle_without_seed_is_still_a_partition(student):
    check_partition(student.kfold_split(17, 4, shuffle=True), 17, 4, "kfold_split(17, 4, shuffle=True)")


@pytest.mark.exercise("kfold_split")
def test_kfold_rejects_k_out_of_range(student):
    for n, k in [(5, 1), (5, 6), (5, 0)]:
        assert_raises("ValueError", student.kfold_split, n, k)


# ------------------------------------------------------------------ 2. bootstrap_indices
NO_REPLACEMENT = "bootstrap without replacement (each row is a permutation; draw with replacement)"


def check_int_array(got, shape, what):
    if not isinstance(got, np.ndarray):
        fail(f"{what}: expected a numpy int array of shape {shape}, got {type(got).__name__}")
    if got.shape != shape or not np.issubdtype(got.dtype, np.integer):
        fail(f"{what}: expected an int array of shape {shape}, got dtype {got.dtype} and shape {got.shape}")


def bootstrap_mistakes(n, b, seed):
    r = rng(seed)
    return {NO_REPLACEMENT: np.stack([r.permutation(n) for _ in range(b)]),
            "the generator re-created for every row (all rows equal)":
                np.stack([rng(seed).integers(0, n, size=n) for _ in range(b)]),
            "drawn with replacement, but not with one rng.integers(0, n, size=(B, n)) call (rng.choice?)":
                rng(seed).choice(n, size=(b, n), replace=True)}


@pytest.mark.exercise("bootstrap_indices")
@pytest.mark.parametrize("n, b, seed", [(8, 5, 0), (13, 3, 42)])
def test_bootstrap_matches_default_rng_integers(student, n, b, seed):
    got = student.bootstrap_indices(n, b, seed=seed)
    check_int_array(got, (b, n), f"bootstrap_indices({n}, {b}, seed={seed})")
    assert_equal(got, rng(seed).integers(0, n, size=(b, n)), what=f"bootstrap_indices({n}, {b}, seed={seed})",
                 mistakes=bootstrap_mistakes(n, b, seed))


@pytest.mark.exercise("bootstrap_indices")
def test_bootstrap_draws_with_replacement(student):
    got = student.bootstrap_indices(50, 20)
    check_int_array(got, (20, 50), "bootstrap_indices(50, 20)")
    if got.min() < 0 or got.max() >= 50:
        fail(f"bootstrap_indices(50, 20): indices must lie in 0 .. 49, got {got.min()} .. {got.max()}")
    if all(len(set(row.tolist())) == 50 for row in got):
        fail(f"bootstrap_indices(50, 20): every row holds 50 different indices.\n  "
             f"This is what you get with this mistake: {NO_REPLACEMENT}.")


# ------------------------------------------------------------------ 3. out_of_bag_mask
def oob(indices, n):
    drawn = np.zeros((len(indices), n), dtype=bool)
    for b, row in enumerate(indices):
        drawn[b, list(row)] = True
    return ~drawn


def check_mask(got, expected, what):
    if not isinstance(got, np.ndarray) or got.dtype != np.bool_:
        kind = f"dtype {got.dtype}" if isinstance(got, np.ndarray) else type(got).__name__
        fail(f"{what}: expected a numpy bool array of shape {expected.shape}, got {kind}")
    assert_equal(got, expected, what=what, mistakes={"mask inverted (True where drawn)": ~expected})


@pytest.mark.exercise("out_of_bag_mask")
def test_oob_mask_of_random_bootstraps(student):
    indices = rng(3).integers(0, 9, size=(4, 9))
    check_mask(student.out_of_bag_mask(indices, 9), oob(indices, 9), "out_of_bag_mask of 4 bootstraps of 9 samples")


@pytest.mark.exercise("out_of_bag_mask")
def test_oob_mask_with_samples_never_drawn(student):
    indices = [[0, 0, 2], [2, 1, 1]]  # samples 3 and 4 are never drawn; rows shorter than n
    check_mask(student.out_of_bag_mask(indices, 5), oob(indices, 5), "out_of_bag_mask([[0, 0, 2], [2, 1, 1]], 5)")


@pytest.mark.exercise("out_of_bag_mask")
def test_oob_mask_of_one_bootstrap(student):
    indices = np.array([[1, 1, 1, 1]])
    check_mask(student.out_of_bag_mask(indices, 4), oob(indices, 4), "out_of_bag_mask([[1, 1, 1, 1]], 4)")


# ------------------------------------------------------------------ 4. bagging_predict
def vote(preds, largest=False, axis=0):
    preds = np.asarray(preds)
    counts = np.stack([(preds == c).sum(axis=axis) for c in range(preds.max() + 1)])
    if largest:
        return counts.shape[0] - 1 - counts[::-1].argmax(axis=0)
    return counts.argmax(axis=0)


def vote_mistakes(preds):
    preds = np.asarray(preds)
    out = {"ties broken toward the largest label (argmax keeps the first, smallest one)": vote(preds, largest=True)}
    if preds.shape[0] == preds.shape[1]:
        out["vote over axis 1 (across samples) instead of axis 0 (across models)"] = vote(preds, axis=1)
    out["the rounded mean instead of a majority vote"] = np.rint(preds.mean(axis=0)).astype(int)
    return out


@pytest.mark.exercise("bagging_predict")
def test_bagging_majority_vote(student):
    preds = np.array([[0, 2, 1, 3, 3, 0, 2], [0, 2, 2, 3, 1, 0, 2], [1, 2, 1, 0, 3, 0, 1],
                      [0, 1, 1, 3, 3, 2, 2], [2, 0, 1, 3, 1, 0, 2]])
    assert_equal(student.bagging_predict(preds), vote(preds), what="bagging_predict of 5 models x 7 samples",
                 mistakes=vote_mistakes(preds))


@pytest.mark.exercise("bagging_predict")
def test_bagging_ties_go_to_the_smallest_label(student):
    preds = np.array([[3, 0, 1, 2], [1, 2, 1, 0], [3, 2, 0, 0], [1, 0, 0, 2]])  # every column a 2-2 tie
    assert_equal(student.bagging_predict(preds), vote(preds), what="bagging_predict of 4 models with 2-2 ties",
                 mistakes=vote_mistakes(preds))


@pytest.mark.exercise("bagging_predict")
def test_bagging_labels_with_gaps_from_a_list(student):
    preds = [[5, 0, 9], [5, 9, 9], [0, 9, 5]]
    assert_equal(student.bagging_predict(preds), vote(preds), what="bagging_predict([[5, 0, 9], [5, 9, 9], [0, 9, 5]])",
                 mistakes=vote_mistakes(preds))


@pytest.mark.exercise("bagging_predict")
def test_bagging_regression_is_the_mean(student):
    preds = rng(5).normal(size=(4, 6))
    assert_close(student.bagging_predict(preds, task="regression"), preds.mean(axis=0),
                 what="bagging_predict(4 x 6 predictions, task='regression')",
                 mistakes={"the median instead of the mean": np.median(preds, axis=0),
                           "the mean over axis 1 (samples) instead of axis 0 (models)": preds.mean(axis=1)})


# ------------------------------------------------------------------ 5. adaboost_step
def adaboost(w, y, p, *, unweighted=False, no_norm_err=False, half=0.5, renorm=True, clip=True, sign=-1.0):
    w, y, p = (np.asarray(a, dtype=float) for a in (w, y, p))
    miss = y != p
    err = miss.mean() if unweighted else (w[miss].sum() if no_norm_err else w[miss].sum() / w.sum())
    if clip:
        err = np.clip(err, 1e-10, 1 - 1e-10)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = half * np.log((1 - err) / err)
        new = w * np.exp(sign * alpha * y * p)
        return (new / new.sum() if renorm else new), float(alpha)


def adaboost_mistakes(w, y, p):
    return lambda: {
        "unweighted error: err must be sum(w[miss]) / sum(w), not the fraction of misclassified samples":
            adaboost(w, y, p, unweighted=True),
        "err not divided by sum(w) (the weights passed in need not sum to 1)": adaboost(w, y, p, no_norm_err=True),
        "new weights not renormalised to sum to 1": adaboost(w, y, p, renorm=False),
        "alpha off by a factor of 2: alpha = 0.5 ln((1 - err) / err)": adaboost(w, y, p, half=1.0),
        "alpha off by a factor of 2 (0.25 instead of 0.5)": adaboost(w, y, p, half=0.25),
        "update sign flipped: misclassified samples must gain weight, w * exp(-alpha y_true y_pred)":
            adaboost(w, y, p, sign=1.0),
    }


def adaboost_of(student, w, y, p):
    """The student's (new_weights, alpha); weights given as a list count as an array."""
    got = student.adaboost_step(w, y, p)
    if isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[0], (list, tuple)):
        got = (np.asarray(got[0], dtype=float), got[1])
    return got


W = np.array([0.05, 0.3, 0.1, 0.25, 0.2, 0.4, 0.15, 0.05])  # non-uniform, sums to 1.5
Y = np.array([1, -1, 1, 1, -1, 1, -1, -1])


@pytest.mark.exercise("adaboost_step")
def test_adaboost_weighted_error_alpha_and_weights(student):
    p = np.array([1, 1, 1, -1, -1, 1, -1, 1])  # misses samples 1, 3 and 7
    assert_close(adaboost_of(student, W, Y, p), adaboost(W, Y, p), what="adaboost_step (new_weights, alpha)",
                 mistakes=adaboost_mistakes(W, Y, p))


@pytest.mark.exercise("adaboost_step")
def test_adaboost_from_uniform_weights_and_lists(student):
    w = [0.25, 0.25, 0.25, 0.25]
    y, p = [1, -1, -1, 1], [1, -1, 1, 1]
    assert_close(adaboost_of(student, w, y, p), adaboost(w, y, p), what="adaboost_step from 4 uniform weights (lists)",
                 mistakes=adaboost_mistakes(w, y, p))


@pytest.mark.exercise("adaboost_step")
def test_adaboost_perfect_learner_is_clipped(student):
    got = adaboost_of(student, W, Y, Y.copy())
    assert_close(got, adaboost(W, Y, Y), what="adaboost_step for a learner without mistakes (err = 0 is clipped to 1e-10)",
                 mistakes={"err not clipped to [1e-10, 1 - 1e-10] (alpha is inf, the weights nan)":
                           adaboost(W, Y, Y, clip=False), **adaboost_mistakes(W, Y, Y)()})


@pytest.mark.exercise("adaboost_step")
def test_adaboost_learner_worse_than_chance(student):
    p = -Y.copy()
    p[0] = Y[0]  # right only on sample 0
    assert_close(adaboost_of(student, W, Y, p), adaboost(W, Y, p), what="adaboost_step when err > 0.5 (alpha < 0)",
                 mistakes=adaboost_mistakes(W, Y, p))


# ------------------------------------------------------------------ 6. bias_variance
def bias_variance_of(preds, y, ddof=0, squared=True, square_of_mean=False, axis=0):
    preds, y = np.asarray(preds, dtype=float), np.asarray(y, dtype=float)
    diff = preds.mean(axis=0) - y
    bias = np.mean(diff) ** 2 if square_of_mean else (np.mean(diff**2) if squared else np.mean(diff))
    return float(bias), float(np.mean(preds.var(axis=axis, ddof=ddof)))


def bv_mistakes(preds, y):
    return {
        "variance with ddof=1: the catalog uses the population variance over the models (ddof=0)":
            bias_variance_of(preds, y, ddof=1),
        "bias not squared: bias_sq is the mean of (mean prediction - y)^2": bias_variance_of(preds, y, squared=False),
        "the mean taken before squaring: mean((f - y)^2), not (mean(f - y))^2": bias_variance_of(preds, y, square_of_mean=True),
        "variance over the points (axis 1) instead of over the models (axis 0)": bias_variance_of(preds, y, axis=1),
    }


def check_bv(student, preds, y, what):
    got = student.bias_variance(preds, y)
    assert_close(got, bias_variance_of(preds, y), what=what, mistakes=lambda: bv_mistakes(preds, y))


@pytest.mark.exercise("bias_variance")
def test_bias_variance_of_five_models(student):
    y = np.linspace(-1, 2, 7)
    preds = y + 0.4 + rng(6).normal(scale=0.5, size=(5, 7))
    check_bv(student, preds, y, "bias_variance of 5 models x 7 points")


@pytest.mark.exercise("bias_variance")
def test_bias_variance_of_identical_models_and_lists(student):
    preds = [[1.0, 2.0, 4.0]] * 3
    check_bv(student, preds, [0.0, 2.0, 1.0], "bias_variance of 3 identical models (lists): variance 0")


@pytest.mark.exercise("bias_variance")
def test_bias_variance_adds_up_to_the_mean_squared_error(student):
    y = rng(7).normal(size=9)
    preds = y - 0.3 + rng(8).normal(scale=0.8, size=(6, 9))
    got = student.bias_variance(preds, y)
    check_bv(student, preds, y, "bias_variance of 6 models x 9 points")
    assert_close(float(sum(got)), float(np.mean((preds - y) ** 2)),
                 what="bias_sq + variance against the mean squared error over models and points")
