"""Grading suite for the detection topic.

torchvision is not available, so the oracles are written here: brute-force Python loops over
boxes and pixels that follow torchvision.ops' documented semantics (box_iou, nms, roi_pool
exactly as its CPU kernel: rounded coordinates, end inclusive, floor/ceil bins clipped to the
map, empty bins 0), hand-derived cases (IoU exactly at the NMS threshold, disjoint boxes,
anchors of a known area), invariants (decode(encode(b)) == b) and F.adaptive_max_pool2d for the
pyramid. Inputs are non-square (H != W, rois wider than tall and the reverse) so that x and y
cannot be swapped unnoticed.
"""

import math

import pytest
import torch
import torch.nn.functional as F

from grader.checks import assert_close, assert_equal, fail
from grader.checks.numeric import compare
from grader.errors import StudentError

F64, F32 = torch.float64, torch.float32


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _boxes(k, seed, dtype=F64, size=10.0, min_side=0.5):
    """k random boxes inside [0, size]^2 with sides of at least min_side."""
    g = _gen(seed)
    xy = torch.rand(k, 2, generator=g, dtype=F64) * size * 0.7
    wh = min_side + torch.rand(k, 2, generator=g, dtype=F64) * size * 0.4
    return torch.cat([xy, xy + wh], dim=1).to(dtype)


def _same_dtype(got, expected, what):
    if isinstance(got, torch.Tensor) and got.dtype != expected.dtype:
        fail(f"{what}: expected dtype {str(expected.dtype).removeprefix('torch.')} (keep the input's dtype), "
             f"got {str(got.dtype).removeprefix('torch.')}")


# ------------------------------------------------------------------ brute-force references
def _area(b, plus_one=False):
    e = 1 if plus_one else 0
    return (b[2] - b[0] + e) * (b[3] - b[1] + e)


def _iou_pair(a, b, plus_one=False, clamp=True, minus_inter=True):
    e = 1 if plus_one else 0
    iw = min(a[2], b[2]) - max(a[0], b[0]) + e
    ih = min(a[3], b[3]) - max(a[1], b[1]) + e
    if clamp:
        iw, ih = max(iw, 0.0), max(ih, 0.0)
    inter = iw * ih
    union = _area(a, plus_one) + _area(b, plus_one) - (inter if minus_inter else 0)
    return inter / union


def _iou_matrix(b1, b2, dtype, **kw):
    rows = [[_iou_pair(a, b, **kw) for b in b2.tolist()] for a in b1.tolist()]
    return torch.tensor(rows, dtype=dtype).reshape(len(b1), len(b2))


def _nms_loop(boxes, scores, thr, strict=True, against_all=False, iou=None):
    """Greedy NMS by the definition; `iou` (K, K) replaces the exact IoU when given."""
    order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
    bl = boxes.tolist()
    pair = (lambda i, j: float(iou[i, j])) if iou is not None else (lambda i, j: _iou_pair(bl[i], bl[j]))
    keep = []
    for n, i in enumerate(order):
        judges = order[:n] if against_all else keep
        if strict:
            ok = all(pair(i, j) <= thr for j in judges)
        else:
            ok = all(pair(i, j) < thr for j in judges)
        if ok:
            keep.append(i)
    return keep


# ------------------------------------------------------------------ box_area
@pytest.mark.exercise("box_area")
def test_box_area_continuous_coordinates(student):
    boxes = torch.tensor([[0.0, 0.0, 2.0, 3.0], [1.0, 2.0, 1.5, 6.0], [-1.0, -2.0, 3.0, -1.0]], dtype=F64)
    got = student.box_area(boxes)
    expected = torch.tensor([6.0, 2.0, 4.0], dtype=F64)
    assert_close(got, expected, what="box_area of (0, 0, 2, 3), (1, 2, 1.5, 6), (-1, -2, 3, -1)",
                 mistakes={"+1 in the area (pixel-inclusive coordinates; torchvision's are continuous)":
                           torch.tensor([_area(b, True) for b in boxes.tolist()], dtype=F64),
                           "width times width (y ignored)": (boxes[:, 2] - boxes[:, 0]) ** 2,
                           "coordinates read as (x1, x2, y1, y2)":
                               (boxes[:, 1] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 2])})


@pytest.mark.exercise("box_area")
def test_box_area_random_float32(student):
    boxes = _boxes(7, seed=1, dtype=F32)
    got = student.box_area(boxes)
    expected = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    _same_dtype(got, expected, "box_area of float32 boxes")
    assert_close(got, expected, what="box_area of 7 random float32 boxes",
                 mistakes={"+1 in the area (pixel-inclusive coordinates; torchvision's are continuous)":
                           (boxes[:, 2] - boxes[:, 0] + 1) * (boxes[:, 3] - boxes[:, 1] + 1)})


# ------------------------------------------------------------------ box_iou
def _iou_mistakes(b1, b2, dtype):
    return {"+1 in the areas and the intersection (pixel-inclusive coordinates; torchvision's are continuous)":
                _iou_matrix(b1, b2, dtype, plus_one=True),
            "intersection not clamped at 0: boxes apart on both axes get a positive overlap":
                _iou_matrix(b1, b2, dtype, clamp=False),
            "union without the intersection subtracted (|A| + |B|)": _iou_matrix(b1, b2, dtype, minus_inter=False),
            "result transposed: (M, N) instead of (N, M)": _iou_matrix(b2, b1, dtype)}


def _own_areas_iou(student, b1, b2):
    """The IoU built on the student's own box_area, when that box_area is wrong (else None)."""
    try:
        a1, a2 = student.box_area(b1), student.box_area(b2)
    except StudentError:
        return None
    if not isinstance(a1, torch.Tensor) or not isinstance(a2, torch.Tensor) or a1.shape != (len(b1),) or a2.shape != (len(b2),):
        return None
    if compare(a1, _iou_area(b1)) is None and compare(a2, _iou_area(b2)) is None:
        return None
    wh = (torch.minimum(b1[:, None, 2:], b2[None, :, 2:]) - torch.maximum(b1[:, None, :2], b2[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (a1.to(b1.dtype)[:, None] + a2.to(b1.dtype)[None, :] - inter)


def _iou_area(b):
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def _check_iou(student, b1, b2, what):
    expected = _iou_matrix(b1, b2, b1.dtype)
    got = student.box_iou(b1, b2)
    _same_dtype(got, expected, what)
    if compare(got, expected) is not None:
        own = _own_areas_iou(student, b1, b2)
        if own is not None and compare(got, own) is None:
            return  # right IoU over a wrong box_area of the student's own: that costs box_area only
    assert_close(got, expected, what=what, mistakes=lambda: _iou_mistakes(b1, b2, b1.dtype))


@pytest.mark.exercise("box_iou")
def test_box_iou_hand_cases(student):
    b1 = torch.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 4.0, 2.0]], dtype=F64)
    b2 = torch.tensor([[1.0, 1.0, 3.0, 3.0], [0.0, 0.0, 2.0, 2.0], [2.0, 0.0, 3.0, 1.0]], dtype=F64)
    # (0,0,2,2) vs (1,1,3,3): 1 / 7; identical boxes: 1; (0,0,2,2) vs (2,0,3,1): touching, 0
    _check_iou(student, b1, b2, "box_iou of 2 x 3 boxes by hand")


@pytest.mark.exercise("box_iou")
def test_box_iou_disjoint_boxes_are_zero(student):
    # apart on both axes: the unclamped width and height are both negative, their product positive
    b1 = torch.tensor([[0.0, 0.0, 1.0, 1.0], [5.0, 5.0, 7.0, 6.0]], dtype=F64)
    b2 = torch.tensor([[2.0, 3.0, 4.0, 4.5], [8.0, 0.0, 9.0, 2.0]], dtype=F64)
    _check_iou(student, b1, b2, "box_iou of boxes that do not overlap (every IoU must be 0)")


@pytest.mark.exercise("box_iou")
def test_box_iou_random_non_square(student):
    _check_iou(student, _boxes(5, seed=2), _boxes(3, seed=3), "box_iou of 5 x 3 random boxes (float64)")


@pytest.mark.exercise("box_iou")
def test_box_iou_float32(student):
    _check_iou(student, _boxes(4, seed=4, dtype=F32), _boxes(6, seed=5, dtype=F32), "box_iou of 4 x 6 float32 boxes")


# ------------------------------------------------------------------ nms
def _check_nms(student, boxes, scores, thr, what):
    expected = torch.tensor(_nms_loop(boxes, scores, thr), dtype=torch.int64)
    got = student.nms(boxes, scores, thr)
    if isinstance(got, torch.Tensor) and got.dtype != torch.int64:
        fail(f"{what}: expected an int64 (Long) tensor of indices, got {str(got.dtype).removeprefix('torch.')}")
    kept = expected.tolist()
    m = {">= instead of >: a box whose IoU equals the threshold was suppressed (only IoU > threshold suppresses)":
             torch.tensor(_nms_loop(boxes, scores, thr, strict=False), dtype=torch.int64),
         "output not sorted by score (kept indices in index order; they must come in decreasing score order)":
             torch.tensor(sorted(kept), dtype=torch.int64),
         "boxes compared with every higher-scoring box, suppressed ones included (only kept boxes suppress)":
             torch.tensor(_nms_loop(boxes, scores, thr, against_all=True), dtype=torch.int64),
         "scores sorted ascending (the lowest score kept first)":
             torch.tensor(_nms_loop(boxes, -scores, thr), dtype=torch.int64)}
    if compare(got, expected) is not None:
        own = _own_iou_nms(student, boxes, scores, thr)
        if own is not None and compare(got, own) is None:
            return  # right greedy loop over a wrong box_iou of the student's own: that costs box_iou only
    assert_equal(got, expected, what=what,
                 mistakes={k: v for k, v in m.items() if v.shape != expected.shape or not torch.equal(v, expected)})


def _own_iou_nms(student, boxes, scores, thr):
    """NMS over the student's own box_iou, when that box_iou is wrong (else None)."""
    try:
        iou = student.box_iou(boxes, boxes)
    except StudentError:
        return None
    if not isinstance(iou, torch.Tensor) or iou.shape != (len(boxes), len(boxes)):
        return None
    if compare(iou, _iou_matrix(boxes, boxes, boxes.dtype)) is None:
        return None
    return torch.tensor(_nms_loop(boxes, scores, thr, iou=iou), dtype=torch.int64)


@pytest.mark.exercise("nms")
def test_nms_hand_case_greedy_chain(student):
    # A (score .9) suppresses B (.8, IoU 9/11 > .5); C (.7) overlaps B by 7/13 > .5 but A only
    # by 6/14 <= .5: B is suppressed, so C is kept. D (.95) is far away and first
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 0.0, 11.0, 10.0], [4.0, 0.0, 14.0, 10.0],
                          [30.0, 30.0, 32.0, 33.0]], dtype=F64)
    scores = torch.tensor([0.9, 0.8, 0.7, 0.95], dtype=F64)
    _check_nms(student, boxes, scores, 0.5, "nms of a chain A > B > C with threshold 0.5")


@pytest.mark.exercise("nms")
def test_nms_iou_equal_to_threshold_is_kept(student):
    # (0, 0, 3, 1) and (1, 0, 4, 1): intersection 2, union 4, IoU exactly 0.5
    boxes = torch.tensor([[0.0, 0.0, 3.0, 1.0], [1.0, 0.0, 4.0, 1.0], [0.0, 5.0, 2.0, 6.0]], dtype=F64)
    scores = torch.tensor([0.6, 0.9, 0.3], dtype=F64)
    _check_nms(student, boxes, scores, 0.5, "nms with an IoU of exactly 0.5 and threshold 0.5")


@pytest.mark.exercise("nms")
def test_nms_random_boxes_sorted_by_score(student):
    for seed, thr in [(10, 0.3), (11, 0.5), (12, 0.7)]:
        boxes = _boxes(12, seed=seed)
        scores = torch.rand(12, generator=_gen(seed + 100), dtype=F64)
        _check_nms(student, boxes, scores, thr, f"nms of 12 random boxes, threshold {thr}")


@pytest.mark.exercise("nms")
def test_nms_float32(student):
    boxes = _boxes(9, seed=13, dtype=F32)
    scores = torch.rand(9, generator=_gen(113)).to(F32)
    _check_nms(student, boxes, scores, 0.4, "nms of 9 float32 boxes, threshold 0.4")


@pytest.mark.exercise("nms")
def test_nms_empty_input(student):
    got = student.nms(torch.zeros(0, 4, dtype=F64), torch.zeros(0, dtype=F64), 0.5)
    if not isinstance(got, torch.Tensor) or got.dtype != torch.int64 or tuple(got.shape) != (0,):
        shown = f"{str(got.dtype).removeprefix('torch.')} of shape {tuple(got.shape)}" if isinstance(got, torch.Tensor) else repr(got)
        hint = (": torch.tensor([]) is a float tensor, give dtype=torch.int64"
                if isinstance(got, torch.Tensor) and got.is_floating_point() else "")
        fail(f"nms of no boxes: expected an empty int64 tensor of shape (0,), got {shown}{hint}")


# ------------------------------------------------------------------ generate_anchors
def _anchors(base, ratios, scales, *, inverted=False, scales_outer=False, area_not_squared=False):
    pairs = [(s, r) for s in scales for r in ratios] if scales_outer else [(r, s) for r in ratios for s in scales]
    rows = []
    for first, second in pairs:
        r, s = (second, first) if scales_outer else (first, second)
        area = base * s if area_not_squared else (base * s) ** 2
        w = math.sqrt(area * r) if inverted else math.sqrt(area / r)
        h = area / w if inverted else w * r
        rows.append([-w / 2, -h / 2, w / 2, h / 2])
    return torch.tensor(rows, dtype=F32)


def _check_anchors(student, base, ratios, scales):
    expected = _anchors(base, ratios, scales)
    got = student.generate_anchors(base, ratios, scales)
    what = f"generate_anchors({base}, {ratios}, {scales})"
    m = {"ratio read as w / h (the catalog's ratio is h / w)": _anchors(base, ratios, scales, inverted=True),
         "scales in the outer loop (ratios are the outer loop, scales the inner one)":
             _anchors(base, ratios, scales, scales_outer=True),
         "area = base_size * scale (not squared)": _anchors(base, ratios, scales, area_not_squared=True),
         "anchors not centred at 0 (corner at 0)": expected - expected[:, :2].repeat(1, 2),
         "(w, h) given instead of the corners (-w/2, -h/2, w/2, h/2)": expected[:, 2:] * 2}
    assert_close(got, expected, what=what, mistakes={k: v for k, v in m.items()
                                                     if v.shape != expected.shape or not torch.allclose(v, expected)})


@pytest.mark.exercise("generate_anchors")
def test_anchors_faster_rcnn_settings(student):
    _check_anchors(student, 16, [0.5, 1.0, 2.0], [8, 16, 32])


@pytest.mark.exercise("generate_anchors")
def test_anchors_order_ratios_outer_scales_inner(student):
    _check_anchors(student, 10, [2.0, 0.25], [1.0, 3.0, 0.5])


@pytest.mark.exercise("generate_anchors")
def test_anchors_keep_area_and_ratio(student):
    got = student.generate_anchors(4, [0.5, 3.0], [2.0])
    expected = _anchors(4, [0.5, 3.0], [2.0])
    assert_close(got, expected, what="generate_anchors(4, [0.5, 3.0], [2.0]): every anchor has area 64 and h / w = ratio",
                 mistakes={"ratio read as w / h (the catalog's ratio is h / w)": _anchors(4, [0.5, 3.0], [2.0], inverted=True)})


# ------------------------------------------------------------------ encode_boxes / decode_boxes
def _cs(b):
    w, h = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    return b[:, 0] + w / 2, b[:, 1] + h / 2, w, h


def _encode(anchors, boxes, *, sign=1, by_box=False, corners=False):
    xa, ya, wa, ha = _cs(anchors)
    x, y, w, h = _cs(boxes)
    if corners:
        x, y, xa, ya = boxes[:, 0], boxes[:, 1], anchors[:, 0], anchors[:, 1]
    dw, dh = (w, h) if by_box else (wa, ha)
    return torch.stack([(x - xa) / dw, (y - ya) / dh, sign * torch.log(w / wa), sign * torch.log(h / ha)], dim=1)


def _decode(anchors, d, *, sign=1, no_exp=False, centre_form=False):
    xa, ya, wa, ha = _cs(anchors)
    x, y = xa + d[:, 0] * wa, ya + d[:, 1] * ha
    if no_exp:
        w, h = wa * d[:, 2], ha * d[:, 3]
    else:
        w, h = wa * torch.exp(sign * d[:, 2]), ha * torch.exp(sign * d[:, 3])
    if centre_form:
        return torch.stack([x, y, w, h], dim=1)
    return torch.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], dim=1)


def _check_encode(student, anchors, boxes, what):
    expected = _encode(anchors, boxes)
    got = student.encode_boxes(anchors, boxes)
    _same_dtype(got, expected, what)
    assert_close(got, expected, what=what, mistakes=lambda: {
        "log sign flipped: tw = log(wa / w) instead of log(w / wa)": _encode(anchors, boxes, sign=-1),
        "centre offsets divided by the box's size instead of the anchor's": _encode(anchors, boxes, by_box=True),
        "corner offsets (x1 - xa1) used instead of centre offsets (boxes must be converted to centre/size first)":
            _encode(anchors, boxes, corners=True)})


def _check_decode(student, anchors, deltas, what):
    expected = _decode(anchors, deltas)
    got = student.decode_boxes(anchors, deltas)
    _same_dtype(got, expected, what)
    assert_close(got, expected, what=what, mistakes=lambda: {
        "log sign flipped: w = wa * exp(-tw) instead of wa * exp(tw)": _decode(anchors, deltas, sign=-1),
        "exp missing: w = wa * tw": _decode(anchors, deltas, no_exp=True),
        "returned centre/size boxes (x, y, w, h) instead of corners (x1, y1, x2, y2)":
            _decode(anchors, deltas, centre_form=True)})


@pytest.mark.exercise("encode_boxes")
def test_encode_hand_case(student):
    anchors = torch.tensor([[0.0, 0.0, 4.0, 2.0]], dtype=F64)  # centre (2, 1), size 4 x 2
    boxes = torch.tensor([[1.0, 0.0, 9.0, 4.0]], dtype=F64)  # centre (5, 2), size 8 x 4
    # tx = 3 / 4, ty = 1 / 2, tw = th = log 2
    _check_encode(student, anchors, boxes, "encode_boxes of (1, 0, 9, 4) against the anchor (0, 0, 4, 2)")


@pytest.mark.exercise("encode_boxes")
def test_encode_random_boxes(student):
    _check_encode(student, _boxes(6, seed=20), _boxes(6, seed=21), "encode_boxes of 6 random boxes (float64)")


@pytest.mark.exercise("encode_boxes")
def test_encode_float32(student):
    _check_encode(student, _boxes(5, seed=22, dtype=F32), _boxes(5, seed=23, dtype=F32), "encode_boxes of float32 boxes")


@pytest.mark.exercise("decode_boxes")
def test_decode_hand_case(student):
    anchors = torch.tensor([[0.0, 0.0, 4.0, 2.0]], dtype=F64)
    deltas = torch.tensor([[0.75, 0.5, math.log(2.0), math.log(2.0)]], dtype=F64)
    _check_decode(student, anchors, deltas, "decode_boxes of (0.75, 0.5, log 2, log 2) on the anchor (0, 0, 4, 2)")


@pytest.mark.exercise("decode_boxes")
def test_decode_inverts_encode(student):
    anchors, boxes = _boxes(7, seed=24), _boxes(7, seed=25)
    deltas = _encode(anchors, boxes)
    got = student.decode_boxes(anchors, deltas)
    assert_close(got, boxes, what="decode_boxes(anchors, encode(anchors, boxes)) must give the boxes back",
                 mistakes=lambda: {"log sign flipped: w = wa * exp(-tw) instead of wa * exp(tw)":
                                   _decode(anchors, deltas, sign=-1),
                                   "returned centre/size boxes (x, y, w, h) instead of corners (x1, y1, x2, y2)":
                                   _decode(anchors, deltas, centre_form=True)})


@pytest.mark.exercise("decode_boxes")
def test_decode_random_deltas_float32(student):
    anchors = _boxes(5, seed=26, dtype=F32)
    deltas = (torch.randn(5, 4, generator=_gen(27)) * 0.5).to(F32)
    _check_decode(student, anchors, deltas, "decode_boxes of random float32 deltas")


# ------------------------------------------------------------------ spatial_pyramid_pool
def _spp(x, levels, pool=F.adaptive_max_pool2d, channels_last=False):
    parts = []
    for lv in levels:
        p = pool(x, lv)
        parts.append((p.permute(0, 2, 3, 1) if channels_last else p).flatten(1))
    return torch.cat(parts, dim=1)


def _check_spp(student, x, levels=None):
    lv = (1, 2, 4) if levels is None else levels
    expected = _spp(x, lv)
    got = student.spatial_pyramid_pool(x) if levels is None else student.spatial_pyramid_pool(x, levels)
    what = f"spatial_pyramid_pool(x {tuple(x.shape)}" + ("" if levels is None else f", levels={levels}") + ")"
    _same_dtype(got, expected, what)

    def mistakes():
        m = {"average pooling instead of max pooling": _spp(x, lv, pool=F.adaptive_avg_pool2d),
             "each level flattened as (l, l, C) instead of per channel (C, l, l)": _spp(x, lv, channels_last=True),
             "levels concatenated in reverse order": _spp(x, lv[::-1])}
        h, w = x.shape[-2:]
        fixed = torch.cat([F.max_pool2d(x, (h // k, w // k)).flatten(1) for k in lv], dim=1)
        m["fixed windows of H // l (the remainder dropped) instead of adaptive bins"] = fixed
        return {k: v for k, v in m.items() if v.shape != expected.shape or not torch.allclose(v, expected)}

    assert_close(got, expected, what=what, mistakes=mistakes)


def _distinct(*shape, seed):
    n = torch.Size(shape).numel()
    return ((torch.randperm(n, generator=_gen(seed)).to(F64) - n / 2) / 7).reshape(shape)


@pytest.mark.exercise("spatial_pyramid_pool")
def test_spp_default_levels(student):
    _check_spp(student, _distinct(2, 3, 8, 12, seed=30))


@pytest.mark.exercise("spatial_pyramid_pool")
def test_spp_sizes_not_divisible_by_the_levels(student):
    _check_spp(student, _distinct(1, 2, 7, 10, seed=31), levels=(3, 1, 2))


@pytest.mark.exercise("spatial_pyramid_pool")
def test_spp_float32_and_gradient(student):
    x = _distinct(2, 2, 9, 6, seed=32).to(F32)
    expected = _spp(x, (1, 2, 4))
    g = torch.randn(*expected.shape, generator=_gen(33)).to(F32)
    out, grads = student.grad_call("spatial_pyramid_pool", x, grad_output=g)
    _same_dtype(out, expected, "spatial_pyramid_pool of float32 x")
    assert_close(out, expected, what="spatial_pyramid_pool(x (2, 2, 9, 6)) float32")
    if grads[0] is None:
        fail("no gradient reached x: spatial_pyramid_pool is not differentiable "
             "(numpy inside, .detach(), .data or .item() break the autograd graph)")
    leaf = x.clone().requires_grad_(True)
    _spp(leaf, (1, 2, 4)).backward(g)
    assert_close(grads[0], leaf.grad, what="gradient of spatial_pyramid_pool w.r.t. x")


# ------------------------------------------------------------------ roi_pool
def _cround(v):
    """C's round(): halves away from zero (tests avoid halves anyway)."""
    return int(math.floor(v + 0.5)) if v >= 0 else -int(math.floor(-v + 0.5))


def _roi_pool_loop(features, rois, output_size, scale, *, swap_xy=False, end_exclusive=False,
                   no_scale=False, truncate=False, empty=0.0, batch0=False):
    """torchvision's CPU roi_pool, cell by cell (with switches for the known mistakes)."""
    oh, ow = (output_size, output_size) if isinstance(output_size, int) else output_size
    n, c, height, width = features.shape
    out = torch.zeros(len(rois), c, oh, ow, dtype=features.dtype)
    rnd = (lambda v: int(math.trunc(v))) if truncate else _cround
    sc = 1.0 if no_scale else scale
    for k, roi in enumerate(rois.tolist()):
        b = 0 if batch0 else int(roi[0])
        x1, y1, x2, y2 = roi[1:]
        if swap_xy:
            x1, y1, x2, y2 = y1, x1, y2, x2
        sw, sh, ew, eh = rnd(x1 * sc), rnd(y1 * sc), rnd(x2 * sc), rnd(y2 * sc)
        extra = 0 if end_exclusive else 1
        rw, rh = max(ew - sw + extra, 1), max(eh - sh + extra, 1)
        bh, bw = rh / oh, rw / ow
        for i in range(oh):
            hs = min(max(math.floor(i * bh) + sh, 0), height)
            he = min(max(math.ceil((i + 1) * bh) + sh, 0), height)
            for j in range(ow):
                ws = min(max(math.floor(j * bw) + sw, 0), width)
                we = min(max(math.ceil((j + 1) * bw) + sw, 0), width)
                for ch in range(c):
                    if he <= hs or we <= ws:
                        out[k, ch, i, j] = empty
                    else:
                        out[k, ch, i, j] = features[b, ch, hs:he, ws:we].max()
    return out


def _check_roi(student, features, rois, output_size, scale, what):
    expected = _roi_pool_loop(features, rois, output_size, scale)
    got = student.roi_pool(features, rois, output_size, scale)
    _same_dtype(got, expected, what)

    def mistakes():
        ref = lambda **kw: _roi_pool_loop(features, rois, output_size, scale, **kw)  # noqa: E731
        m = {"x and y swapped in the RoI (rois are (batch_index, x1, y1, x2, y2); x is the width axis)": ref(swap_xy=True),
             "region end exclusive (torchvision includes the end cell: width = x2 - x1 + 1)": ref(end_exclusive=True),
             "coordinates not multiplied by spatial_scale": ref(no_scale=True),
             "coordinates truncated instead of rounded": ref(truncate=True),
             "batch index ignored (every RoI pooled from image 0)": ref(batch0=True)}
        if torch.isinf(ref(empty=-math.inf)).any():
            m["empty bins (outside the map) given -inf instead of 0"] = ref(empty=-math.inf)
        return {k: v for k, v in m.items() if not torch.allclose(v, expected)}

    assert_close(got, expected, what=what, mistakes=mistakes)


@pytest.mark.exercise("roi_pool")
def test_roi_pool_hand_case_scale_one(student):
    features = torch.arange(2 * 5 * 7, dtype=F64).reshape(1, 2, 5, 7)
    # x from 1 to 5 (5 columns), y from 0 to 2 (3 rows), end inclusive: 3 x 5 cells into 2 x 2
    rois = torch.tensor([[0.0, 1.0, 0.0, 5.0, 2.0]], dtype=F64)
    _check_roi(student, features, rois, 2, 1.0, "roi_pool of a 5 x 7 ramp, roi (0, 1, 0, 5, 2), output 2, scale 1")


@pytest.mark.exercise("roi_pool")
def test_roi_pool_scaled_coordinates_and_batches(student):
    features = _distinct(2, 3, 6, 9, seed=40)
    # image coordinates at 1/4 scale: 13.2 * 0.25 = 3.3 -> 3, 30.4 * 0.25 = 7.6 -> 8, ...
    rois = torch.tensor([[1.0, 4.4, 2.6, 30.4, 13.2], [0.0, 0.0, 0.0, 35.0, 23.0], [1.0, 10.8, 6.4, 18.8, 21.6]], dtype=F64)
    _check_roi(student, features, rois, (2, 3), 0.25, "roi_pool of 3 rois over 2 images, output (2, 3), scale 0.25")


@pytest.mark.exercise("roi_pool")
def test_roi_pool_tall_and_wide_rois(student):
    features = _distinct(1, 2, 10, 8, seed=41)
    rois = torch.tensor([[0.0, 1.0, 0.0, 2.0, 8.0], [0.0, 0.0, 6.0, 7.0, 7.0]], dtype=F64)
    _check_roi(student, features, rois, (3, 2), 1.0, "roi_pool of a tall and a wide roi, output (3, 2)")


@pytest.mark.exercise("roi_pool")
def test_roi_pool_region_larger_than_output_and_smaller(student):
    features = _distinct(1, 1, 7, 6, seed=42)
    # a 1 x 2 region pooled to 3 x 3 (bins overlap) and a 7 x 6 one pooled to 2 x 4
    rois = torch.tensor([[0.0, 2.0, 3.0, 3.0, 3.0], [0.0, 0.0, 0.0, 5.0, 6.0]], dtype=F64)
    _check_roi(student, features, rois, (3, 4), 1.0, "roi_pool of a small and a large region, output (3, 4)")


@pytest.mark.exercise("roi_pool")
def test_roi_pool_region_past_the_edge_gives_zero_bins(student):
    features = _distinct(1, 2, 5, 6, seed=43) + 10.0  # all positive: a 0 bin cannot be a max
    rois = torch.tensor([[0.0, 4.0, 3.0, 11.0, 8.0]], dtype=F64)  # reaches past the right and bottom
    _check_roi(student, features, rois, 3, 1.0, "roi_pool of a roi reaching past the map (empty bins are 0)")


@pytest.mark.exercise("roi_pool")
def test_roi_pool_float32(student):
    features = _distinct(2, 2, 6, 8, seed=44).to(F32)
    rois = torch.tensor([[1.0, 2.2, 1.2, 13.4, 9.4], [0.0, 0.6, 0.2, 7.2, 11.4]], dtype=F32)
    _check_roi(student, features, rois, 2, 0.5, "roi_pool of float32 features, scale 0.5")


# ------------------------------------------------------------------ yolo_targets
def _yolo(boxes, labels, S, C, *, swap_rc=False, winner="larger", size_in_cells=False):
    t = torch.zeros(S, S, 5 + C, dtype=boxes.dtype)
    best = {}
    for k, ((x1, y1, x2, y2), lab) in enumerate(zip(boxes.tolist(), labels.tolist())):
        cx, cy, w, h = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
        row, col = min(math.floor(cy * S), S - 1), min(math.floor(cx * S), S - 1)
        if winner == "larger" and best.get((row, col), -1.0) >= w * h:
            continue
        if winner == "first" and (row, col) in best:
            continue
        best[(row, col)] = w * h
        cell = [cx * S - col, cy * S - row, w * S if size_in_cells else w, h * S if size_in_cells else h, 1.0]
        cell += [1.0 if c == lab else 0.0 for c in range(C)]
        r, c = (col, row) if swap_rc else (row, col)
        t[r, c] = torch.tensor(cell, dtype=boxes.dtype)
    return t


def _check_yolo(student, boxes, labels, S, C, what):
    """Centres are kept away from cell borders (k / S), where float rounding could pick either cell."""
    expected = _yolo(boxes, labels, S, C)
    got = student.yolo_targets(boxes, labels, S, C)
    _same_dtype(got, expected, what)

    def mistakes():
        m = {"row and column swapped (the row comes from cy, the column from cx)": _yolo(boxes, labels, S, C, swap_rc=True),
             "the last box in a shared cell wins (the larger box must win)": _yolo(boxes, labels, S, C, winner="last"),
             "the first box in a shared cell wins (the larger box must win)": _yolo(boxes, labels, S, C, winner="first"),
             "w and h in cells (times S); the catalog keeps them relative to the image":
                 _yolo(boxes, labels, S, C, size_in_cells=True)}
        return {k: v for k, v in m.items() if v is not None and not torch.allclose(v, expected)}

    assert_close(got, expected, what=what, mistakes=mistakes)


@pytest.mark.exercise("yolo_targets")
def test_yolo_one_box_by_hand(student):
    boxes = torch.tensor([[0.1, 0.5, 0.5, 0.9]], dtype=F64)  # centre (0.3, 0.7): row 4, col 2 of 7
    _check_yolo(student, boxes, torch.tensor([2]), 7, 3, "yolo_targets of one box, S = 7, 3 classes")


@pytest.mark.exercise("yolo_targets")
def test_yolo_boxes_in_different_cells(student):
    boxes = torch.tensor([[0.0, 0.0, 0.2, 0.1], [0.55, 0.2, 0.9, 0.5], [0.3, 0.6, 0.4, 0.98], [0.7, 0.75, 0.9, 0.85]],
                         dtype=F64)
    _check_yolo(student, boxes, torch.tensor([0, 3, 1, 3]), 4, 4, "yolo_targets of 4 boxes, S = 4, 4 classes")


@pytest.mark.exercise("yolo_targets")
def test_yolo_larger_box_wins_a_shared_cell(student):
    # boxes 0, 1 and 2 all have their centre in cell (1, 1) of 3; box 1 is the largest
    boxes = torch.tensor([[0.4, 0.4, 0.5, 0.5], [0.1, 0.2, 0.8, 0.9], [0.35, 0.4, 0.6, 0.55], [0.0, 0.7, 0.2, 0.9]],
                         dtype=F64)
    _check_yolo(student, boxes, torch.tensor([0, 1, 2, 1]), 3, 3, "yolo_targets with three boxes in one cell")


@pytest.mark.exercise("yolo_targets")
def test_yolo_centre_on_the_edge_is_clamped(student):
    # a flat box on the bottom edge, centre (0.7, 1.0): row floor(1.0 * S) = S is clamped to S - 1
    boxes = torch.tensor([[0.6, 1.0, 0.8, 1.0], [0.1, 0.1, 0.32, 0.2]], dtype=F64)
    _check_yolo(student, boxes, torch.tensor([1, 0]), 5, 2, "yolo_targets of a box centred on the bottom edge")


@pytest.mark.exercise("yolo_targets")
def test_yolo_float32_non_square_boxes(student):
    boxes = torch.tensor([[0.05, 0.3, 0.9, 0.4], [0.6, 0.0, 0.7, 0.9]], dtype=F32)
    _check_yolo(student, boxes, torch.tensor([1, 0]), 6, 2, "yolo_targets of float32 boxes, S = 6")
