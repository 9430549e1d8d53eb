"""Plot feedback reaches the student: the image check's three-panel diff is written next to
results.json, referenced from it, and for a wrong grouped bar plot it marks where bars differ."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image

from grader.reports.gradescope import write_results
from tests.grader.helpers import grade_fixture

EXTRA, CHANGED = (40, 80, 230), (255, 150, 0)  # the overlay's colours (grader.checks.plots.images)


def _count(panel: np.ndarray, color) -> int:
    return int((np.abs(panel - np.array(color)).sum(axis=-1) < 30).sum())


def test_wrong_grouped_bars_get_a_diff_image_that_shows_the_bars(tmp_path):
    graded = grade_fixture("bar_plots", "grouped_bar_default_width.py")
    results = json.loads(write_results(graded.result, tmp_path).read_text())
    files = results["extra_data"]["artifacts"]
    grouped = [name for name in files if "grouped_bar" in name]
    assert grouped, f"no diff image for grouped_bar among {list(files)}"
    image = np.asarray(Image.open(io.BytesIO((tmp_path / grouped[0]).read_bytes())).convert("RGB"), dtype=int)
    overlay = image[:, 2 * image.shape[1] // 3:]  # expected | yours | overlay
    # the default-width bars cover the expected ones: extra ink between them, other colours on them
    assert grouped[0].endswith(".png")
    assert _count(overlay, EXTRA) > 5000 and _count(overlay, CHANGED) > 5000
    failed = [t["output"] for t in results["tests"] if "grouped_bar" in t["name"] and t["status"] == "failed"]
    assert any("default bar width" in message for message in failed)
