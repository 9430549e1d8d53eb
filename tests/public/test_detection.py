"""Sanity checks for the detection topic: shapes, types and one small case per exercise.

Run them with `grade check detection`. Passing them does not mean full marks: the graded
suite compares with brute-force references of torchvision's semantics on many boxes, IoUs
exactly at the threshold, disjoint boxes, regions past the edge and float32 inputs.
"""

import math

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, fail

F64 = torch.float64


@pytest.mark.exercise("box_area")
def test_box_area_small_case(student):
    assert_close(student.box_area(torch.tensor([[0.0, 0.0, 2.0, 3.0]], dtype=F64)), torch.tensor([6.0], dtype=F64),
                 what="box_area of (0, 0, 2, 3)")


@pytest.mark.exercise("box_iou")
def test_box_iou_small_case(student):
    a = torch.tensor([[0.0, 0.0, 4.0, 4.0]], dtype=F64)
    b = torch.tensor([[2.0, 2.0, 6.0, 6.0], [5.0, 5.0, 6.0, 6.0]], dtype=F64)
    assert_close(student.box_iou(a, b), torch.tensor([[1 / 7, 0.0]], dtype=F64),
                 what="box_iou of (0, 0, 4, 4) with (2, 2, 6, 6) and a box apart from it")


@pytest.mark.exercise("nms")
def test_nms_small_case(student):
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]], dtype=F64)
    got = student.nms(boxes, torch.tensor([0.5, 0.9, 0.7], dtype=F64), 0.5)
    assert_equal(got, torch.tensor([1, 2]), what="nms of two overlapping boxes and one apart, threshold 0.5")


@pytest.mark.exercise("generate_anchors")
def test_anchors_shape(student):
    got = student.generate_anchors(16, [0.5, 1.0, 2.0], [8, 16])
    if tuple(got.shape) != (6, 4):
        fail(f"generate_anchors(16, 3 ratios, 2 scales): expected shape (6, 4), got {tuple(got.shape)}")
    assert_close(got[2], torch.tensor([-64.0, -64.0, 64.0, 64.0], dtype=got.dtype),
                 what="anchor 2 (ratio 1, scale 8): a 128 x 128 square centred at 0")


@pytest.mark.exercise("encode_boxes")
def test_encode_small_case(student):
    anchors = torch.tensor([[0.0, 0.0, 4.0, 2.0]], dtype=F64)
    boxes = torch.tensor([[1.0, 0.0, 9.0, 4.0]], dtype=F64)
    assert_close(student.encode_boxes(anchors, boxes), torch.tensor([[0.75, 0.5, math.log(2), math.log(2)]], dtype=F64),
                 what="encode_boxes of (1, 0, 9, 4) against the anchor (0, 0, 4, 2)")


@pytest.mark.exercise("decode_boxes")
def test_decode_zero_deltas_give_the_anchor(student):
    anchors = torch.tensor([[1.0, 2.0, 5.0, 3.0]], dtype=F64)
    assert_close(student.decode_boxes(anchors, torch.zeros(1, 4, dtype=F64)), anchors,
                 what="decode_boxes of zero deltas (the anchor itself)")


@pytest.mark.exercise("spatial_pyramid_pool")
def test_spp_output_length(student):
    x = torch.randn(2, 3, 7, 9)
    got = student.spatial_pyramid_pool(x)
    if tuple(got.shape) != (2, 3 * 21):
        fail(f"spatial_pyramid_pool(x (2, 3, 7, 9)): expected shape (2, 63), got {tuple(got.shape)}")
    assert_close(got[:, :3], F.adaptive_max_pool2d(x, 1).flatten(1), what="the level-1 part (the global max per channel)")


@pytest.mark.exercise("roi_pool")
def test_roi_pool_whole_map(student):
    features = torch.arange(16, dtype=F64).reshape(1, 1, 4, 4)
    got = student.roi_pool(features, torch.tensor([[0.0, 0.0, 0.0, 3.0, 3.0]], dtype=F64), 2, 1.0)
    assert_close(got, torch.tensor([[[[5.0, 7.0], [13.0, 15.0]]]], dtype=F64),
                 what="roi_pool of a 4 x 4 ramp, the whole map into 2 x 2")


@pytest.mark.exercise("yolo_targets")
def test_yolo_targets_one_box(student):
    got = student.yolo_targets(torch.tensor([[0.0, 0.0, 0.5, 0.5]], dtype=F64), torch.tensor([1]), 2, 2)
    expected = torch.zeros(2, 2, 7, dtype=F64)
    expected[0, 0] = torch.tensor([0.5, 0.5, 0.5, 0.5, 1.0, 0.0, 1.0])
    assert_close(got, expected, what="yolo_targets of one box (0, 0, 0.5, 0.5), class 1, S = 2, 2 classes")
