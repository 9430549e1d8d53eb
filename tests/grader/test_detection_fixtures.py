"""The detection suite against known submissions: each mistake loses exactly the points it
should and is named in the feedback; every correct alternative gets full marks.

Scores are fractions of the exercise's points over its hidden tests (all of weight 1):
box_area 2 tests (1 point), box_iou 4 (2 points), nms 5 (3 points), generate_anchors 3,
encode_boxes 3, decode_boxes 3, spatial_pyramid_pool 3 (1 point each), roi_pool 6 (3 points),
yolo_targets 5 (2 points).
"""

from tests.grader.helpers import alternative_test, mistake_test

TOPIC = "detection"

# fixture -> (the exercise it breaks, its score there, words the feedback must contain)
MISTAKES = {
    # box_iou builds on this box_area and keeps its points: the mistake costs box_area only
    "box_area_plus_one.py": ("box_area", 0.0, ["+1 in the area"]),
    # keeps only the disjoint test (apart by more than 1 on an axis: 0 either way)
    "box_iou_plus_one.py": ("box_iou", 0.5, ["+1 in the areas and the intersection"]),
    # keeps only the hand case, where no pair is apart
    "box_iou_no_clamp.py": ("box_iou", 0.5, ["intersection not clamped at 0"]),
    # fails only the test with an IoU exactly at the threshold
    "nms_greater_equal.py": ("nms", 3.0 * 4 / 5, [">= instead of >"]),
    # keeps only the empty input
    "nms_unsorted_output.py": ("nms", 3.0 / 5, ["output not sorted by score"]),
    # fails only the greedy chain
    "nms_suppressed_boxes_suppress.py": ("nms", 3.0 * 4 / 5, ["suppressed ones included"]),
    # fails only the empty input
    "nms_empty_float.py": ("nms", 3.0 * 4 / 5, ["empty int64 tensor", "dtype=torch.int64"]),
    # keeps only the tests at scale 1 (the hand case, tall and wide, small and large, past the edge)
    "roi_pool_not_scaled.py": ("roi_pool", 3.0 * 4 / 6, ["not multiplied by spatial_scale"]),
    "anchors_ratio_inverted.py": ("generate_anchors", 0.0, ["ratio read as w / h"]),
    # keeps only the test with a single scale
    "anchors_scales_outer.py": ("generate_anchors", 1 / 3, ["scales in the outer loop"]),
    "encode_log_sign_flipped.py": ("encode_boxes", 0.0, ["log sign flipped"]),
    "encode_corner_offsets.py": ("encode_boxes", 0.0, ["corner offsets"]),
    "decode_log_sign_flipped.py": ("decode_boxes", 0.0, ["log sign flipped"]),
    "spp_avg_pool.py": ("spatial_pyramid_pool", 0.0, ["average pooling"]),
    # keeps only the sizes the levels divide
    "spp_fixed_windows.py": ("spatial_pyramid_pool", 1 / 3, ["fixed windows of H // l"]),
    "roi_pool_xy_swapped.py": ("roi_pool", 0.0, ["x and y swapped in the RoI"]),
    "roi_pool_end_exclusive.py": ("roi_pool", 0.0, ["region end exclusive"]),
    "yolo_row_col_swapped.py": ("yolo_targets", 0.0, ["row and column swapped"]),
    # fails only the shared-cell test
    "yolo_last_box_wins.py": ("yolo_targets", 2.0 * 4 / 5, ["the last box in a shared cell wins"]),
}

ALTERNATIVES = ["alt_loops.py", "alt_vectorised.py"]


test_mistake_loses_its_points_and_is_named = mistake_test(TOPIC, MISTAKES)


test_correct_alternative_gets_full_marks = alternative_test(TOPIC, ALTERNATIVES)
