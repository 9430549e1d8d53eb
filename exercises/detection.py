"""Object detection: box geometry, non-maximum suppression, anchors, box coding and pooling.

Boxes are (x1, y1, x2, y2) corners in continuous coordinates (a box from 0 to 2 is 2 wide, no
+1), as in torchvision.ops. Images and feature maps are (N, C, H, W). Every function returns
tensors of its input's floating dtype (index tensors are int64).
"""

import math

import torch
import torch.nn.functional as F


def box_area(boxes):
    """(x2 - x1) * (y2 - y1) of every box: (K, 4) -> (K,).

    Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.box_area: fill in this part")


def box_iou(boxes1, boxes2):
    """IoU of every pair: (N, 4), (M, 4) -> (N, M), |A and B| / |A or B|.

    Boxes that do not overlap have IoU 0. Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.box_iou: fill in this part")


def nms(boxes, scores, iou_threshold):
    """Greedy non-maximum suppression; the kept indices (int64) in decreasing score order.

    Going down the scores, a box is kept unless its IoU with an already kept box is strictly
    greater than iou_threshold. An empty input gives an empty int64 tensor.
    Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.nms: fill in this part")


def generate_anchors(base_size, ratios, scales):
    """Anchor boxes centred at 0: (len(ratios) * len(scales), 4), ratios outer, scales inner.

    For a ratio r = h / w and a scale s the anchor has area (base_size * s)^2 and its width
    and height keep that area and that ratio.
    Returns a tensor of torch's default dtype. Do not call torchvision.ops or torchvision's detection utilities.
    Hint: w = sqrt(area / r); h = w * r.
    """
    raise NotImplementedError("detection.generate_anchors: fill in this part")


def encode_boxes(anchors, boxes):
    """Deltas (tx, ty, tw, th) of boxes against anchors, both (K, 4) corners -> (K, 4).

    tx = (x - xa) / wa, ty = (y - ya) / ha, tw = log(w / wa), th = log(h / ha), where (x, y)
    is a box's centre and (w, h) its size. Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.encode_boxes: fill in this part")


def decode_boxes(anchors, deltas):
    """The corner boxes (K, 4) that encode_boxes(anchors, boxes) would turn into deltas.

    Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.decode_boxes: fill in this part")


def spatial_pyramid_pool(x, levels=(1, 2, 4)):
    """(N, C, H, W) -> (N, C * sum(l * l)): an l x l adaptive max pool per level, in order,
    each flattened per sample (C, l, l), concatenated. Differentiable.

    Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.spatial_pyramid_pool: fill in this part")


def roi_pool(features, rois, output_size, spatial_scale):
    """Max pool of each region of interest to a fixed grid: (K, C, oh, ow), torchvision's rules.

    features (N, C, H, W); rois (K, 5) = (batch_index, x1, y1, x2, y2) in image coordinates;
    output_size an int or (oh, ow). Coordinates times spatial_scale are rounded to the
    nearest cell; the region includes its end cell (at least 1 x 1); bin i along an axis of
    the region of length L covers offsets floor(i * L / bins) to ceil((i + 1) * L / bins),
    clipped to the feature map; an empty bin gives 0. Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.roi_pool: fill in this part")


def yolo_targets(boxes, labels, grid_size, num_classes):
    """The YOLO (v1) training target (S, S, 5 + C) for boxes (K, 4) xyxy in [0, 1].

    The cell holding a box's centre, row floor(cy * S) and column floor(cx * S) (clamped to
    S - 1), gets [cx * S - col, cy * S - row, w, h, 1, one-hot label]; when two boxes share a
    cell the larger box wins; every other cell is 0. labels (K,) int64.
    Do not call torchvision.ops or torchvision's detection utilities.
    """
    raise NotImplementedError("detection.yolo_targets: fill in this part")
