"""Sanity checks for the regularization topic: shapes, types and one small case per exercise.

Run them with `grade check regularization`. Passing them does not mean full marks: the graded
suite checks statistics over many draws, running statistics, gradients, clipped boxes and more.
"""

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, assert_raises, fail


@pytest.mark.exercise("EarlyStopping")
def test_early_stopping_small_case(student):
    es = student.EarlyStopping(patience=2)
    stops = [es.step(v) for v in [1.0, 0.5, 0.7, 0.6]]
    assert_equal(stops, [False, False, False, True], what="EarlyStopping(patience=2).step over [1.0, 0.5, 0.7, 0.6]")
    assert_close(es.best, 0.5, what="best after [1.0, 0.5, 0.7, 0.6]")
    assert_equal(es.best_epoch, 1, what="best_epoch after [1.0, 0.5, 0.7, 0.6]")


@pytest.mark.exercise("l2_penalty")
def test_l2_penalty_small_case(student):
    ps = [torch.tensor([1.0, 2.0]), torch.tensor([[3.0]])]
    assert_close(student.l2_penalty(ps, 0.1), torch.tensor(0.1 / 2 * 14), what="l2_penalty([[1, 2], [[3]]], 0.1)")


@pytest.mark.exercise("dropout")
def test_dropout_shape_and_eval(student):
    x = torch.ones(4, 5)
    out = student.dropout(x, 0.5)
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (4, 5):
        fail(f"dropout(x (4, 5), 0.5) should return a tensor of shape (4, 5), got {out!r}")
    assert_close(student.dropout(x, 0.5, training=False), x, what="dropout(x, 0.5, training=False)")
    assert_raises("ValueError", student.dropout, x, 2.0)


@pytest.mark.exercise("BatchNorm1d")
def test_batchnorm_training_output(student):
    x = torch.tensor([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
    assert_close(student.BatchNorm1d(2)(x), nn.BatchNorm1d(2)(x).detach(), what="BatchNorm1d(2) on a (3, 2) batch")


@pytest.mark.exercise("label_smoothing_cross_entropy")
def test_label_smoothing_small_case(student):
    logits, target = torch.tensor([[2.0, 0.0, -1.0], [0.5, 0.5, 1.0]]), torch.tensor([0, 2])
    assert_close(student.label_smoothing_cross_entropy(logits, target, 0.1),
                 F.cross_entropy(logits, target, label_smoothing=0.1), what="label smoothing 0.1 on 2 samples")


@pytest.mark.exercise("mixup")
def test_mixup_small_case(student):
    x, y = torch.tensor([[0.0], [10.0]]), torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    x_mix, y_mix = student.mixup(x, y, 0.75, torch.tensor([1, 0]))
    assert_close(x_mix, torch.tensor([[2.5], [7.5]]), what="x_mix of mixup with lam 0.75")
    assert_close(y_mix, torch.tensor([[0.75, 0.25], [0.25, 0.75]]), what="y_mix of mixup with lam 0.75")


@pytest.mark.exercise("cutmix")
def test_cutmix_small_case(student):
    x = torch.stack([torch.zeros(1, 2, 2), torch.ones(1, 2, 2)])  # (2, 1, 2, 2)
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    x_mix, y_mix = student.cutmix(x, y, (0, 0, 1, 1), torch.tensor([1, 0]))
    assert_close(x_mix[0, 0], torch.tensor([[1.0, 0.0], [0.0, 0.0]]), what="first image of cutmix with a 1x1 box")
    assert_close(y_mix[0], torch.tensor([0.75, 0.25]), what="first label of cutmix with a 1x1 box of 2x2")


@pytest.mark.exercise("cutout")
def test_cutout_small_case(student):
    out = student.cutout(torch.ones(1, 1, 3, 3), (1, 1, 1, 2))
    assert_close(out[0, 0], torch.tensor([[1.0, 1, 1], [1, 0, 0], [1, 1, 1]]), what="cutout of a 3x3 image, box (1, 1, 1, 2)")


@pytest.mark.exercise("add_gaussian_noise")
def test_noise_shape_and_zero_std(student):
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    out = student.add_gaussian_noise(x, 0.0)
    assert_close(out, x, what="add_gaussian_noise(x, std=0.0)")
