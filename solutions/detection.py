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
    # BEGIN SOLUTION
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    # END SOLUTION


def box_iou(boxes1, boxes2):
    """IoU of every pair: (N, 4), (M, 4) -> (N, M), |A and B| / |A or B|.

    Boxes that do not overlap have IoU 0. Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])  # (N, M, 2)
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])  # (N, M, 2)
    wh = (bottom_right - top_left).clamp(min=0)  # no overlap on an axis: 0, not negative
    inter = wh[..., 0] * wh[..., 1]  # (N, M)
    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - inter
    return inter / union
    # END SOLUTION


def nms(boxes, scores, iou_threshold):
    """Greedy non-maximum suppression; the kept indices (int64) in decreasing score order.

    Going down the scores, a box is kept unless its IoU with an already kept box is strictly
    greater than iou_threshold. An empty input gives an empty int64 tensor.
    Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    order = torch.argsort(scores, descending=True)
    iou = box_iou(boxes, boxes)  # (K, K)
    keep = []
    for i in order.tolist():
        if all(iou[i, j] <= iou_threshold for j in keep):
            keep.append(i)
    return torch.tensor(keep, dtype=torch.int64)
    # END SOLUTION


def generate_anchors(base_size, ratios, scales):
    """Anchor boxes centred at 0: (len(ratios) * len(scales), 4), ratios outer, scales inner.

    For a ratio r = h / w and a scale s the anchor has area (base_size * s)^2 and its width
    and height keep that area and that ratio.
    Returns a tensor of torch's default dtype. Do not call torchvision.ops or torchvision's detection utilities.
    Hint: w = sqrt(area / r); h = w * r.
    """
    # BEGIN SOLUTION
    anchors = []
    for ratio in ratios:
        for scale in scales:
            area = (base_size * scale) ** 2
            w = math.sqrt(area / ratio)
            h = w * ratio
            anchors.append([-w / 2, -h / 2, w / 2, h / 2])
    return torch.tensor(anchors, dtype=torch.get_default_dtype())
    # END SOLUTION


def encode_boxes(anchors, boxes):
    """Deltas (tx, ty, tw, th) of boxes against anchors, both (K, 4) corners -> (K, 4).

    tx = (x - xa) / wa, ty = (y - ya) / ha, tw = log(w / wa), th = log(h / ha), where (x, y)
    is a box's centre and (w, h) its size. Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    wa, ha = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]  # (K,) each
    xa, ya = anchors[:, 0] + wa / 2, anchors[:, 1] + ha / 2  # centres
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    x, y = boxes[:, 0] + w / 2, boxes[:, 1] + h / 2
    return torch.stack([(x - xa) / wa, (y - ya) / ha, torch.log(w / wa), torch.log(h / ha)], dim=1)
    # END SOLUTION


def decode_boxes(anchors, deltas):
    """The corner boxes (K, 4) that encode_boxes(anchors, boxes) would turn into deltas.

    Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    wa, ha = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]  # (K,) each
    xa, ya = anchors[:, 0] + wa / 2, anchors[:, 1] + ha / 2  # centres
    tx, ty, tw, th = deltas.unbind(dim=1)
    x, y = xa + tx * wa, ya + ty * ha  # centres
    w, h = wa * torch.exp(tw), ha * torch.exp(th)  # sizes
    return torch.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], dim=1)
    # END SOLUTION


def spatial_pyramid_pool(x, levels=(1, 2, 4)):
    """(N, C, H, W) -> (N, C * sum(l * l)): an l x l adaptive max pool per level, in order,
    each flattened per sample (C, l, l), concatenated. Differentiable.

    Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    pooled = [F.adaptive_max_pool2d(x, level).flatten(1) for level in levels]  # (N, C*l*l) each
    return torch.cat(pooled, dim=1)
    # END SOLUTION


def roi_pool(features, rois, output_size, spatial_scale):
    """Max pool of each region of interest to a fixed grid: (K, C, oh, ow), torchvision's rules.

    features (N, C, H, W); rois (K, 5) = (batch_index, x1, y1, x2, y2) in image coordinates;
    output_size an int or (oh, ow). Coordinates times spatial_scale are rounded to the
    nearest cell; the region includes its end cell (at least 1 x 1); bin i along an axis of
    the region of length L covers offsets floor(i * L / bins) to ceil((i + 1) * L / bins),
    clipped to the feature map; an empty bin gives 0. Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    def bins(start, length, count):
        """[begin, end) cells of each of `count` bins over `length` cells from `start`."""
        size = length / count
        return [(start + math.floor(i * size), start + math.ceil((i + 1) * size)) for i in range(count)]

    oh, ow = (output_size, output_size) if isinstance(output_size, int) else output_size
    _, channels, height, width = features.shape
    pooled = []
    for roi in rois.tolist():
        image = features[int(roi[0])]  # (C, H, W)
        x1, y1, x2, y2 = (round(v * spatial_scale) for v in roi[1:])
        rows = bins(y1, max(y2 - y1 + 1, 1), oh)  # the region includes its end cell
        cols = bins(x1, max(x2 - x1 + 1, 1), ow)
        cells = []
        for r0, r1 in rows:
            r0, r1 = min(max(r0, 0), height), min(max(r1, 0), height)
            for c0, c1 in cols:
                c0, c1 = min(max(c0, 0), width), min(max(c1, 0), width)
                if r1 <= r0 or c1 <= c0:
                    cells.append(image.new_zeros(channels))  # empty bin
                else:
                    cells.append(image[:, r0:r1, c0:c1].amax(dim=(1, 2)))  # (C,)
        pooled.append(torch.stack(cells, dim=1).reshape(channels, oh, ow))
    if not pooled:
        return features.new_zeros(0, channels, oh, ow)
    return torch.stack(pooled)  # (K, C, oh, ow)
    # END SOLUTION


def yolo_targets(boxes, labels, grid_size, num_classes):
    """The YOLO (v1) training target (S, S, 5 + C) for boxes (K, 4) xyxy in [0, 1].

    The cell holding a box's centre, row floor(cy * S) and column floor(cx * S) (clamped to
    S - 1), gets [cx * S - col, cy * S - row, w, h, 1, one-hot label]; when two boxes share a
    cell the larger box wins; every other cell is 0. labels (K,) int64.
    Do not call torchvision.ops or torchvision's detection utilities.
    """
    # BEGIN SOLUTION
    S = grid_size
    target = boxes.new_zeros(S, S, 5 + num_classes)
    best_area = {}  # (row, col) -> area of the box written there
    for (x1, y1, x2, y2), label in zip(boxes.tolist(), labels.tolist()):
        cx, cy, w, h = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
        row, col = min(int(math.floor(cy * S)), S - 1), min(int(math.floor(cx * S)), S - 1)
        if best_area.get((row, col), -1.0) >= w * h:
            continue  # a larger box already holds this cell
        best_area[(row, col)] = w * h
        cell = target.new_zeros(5 + num_classes)
        cell[:5] = torch.tensor([cx * S - col, cy * S - row, w, h, 1.0], dtype=target.dtype)
        cell[5 + label] = 1.0
        target[row, col] = cell
    return target
    # END SOLUTION
