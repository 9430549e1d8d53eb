"""Text boxes in the figure description and the image check's text mask: where text is drawn
(PNG pixels, rows top-down), the mask made of both figures' boxes, the masked distances, the
hatched overlay, and the default (masked) assert_image_close."""

from __future__ import annotations

import io
import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from grader.checks.plots import images
from grader.figure.capture import capture_call


def _texty(legend_loc="upper right", title_loc="center", text_xy=(0.6, 0.3), suptitle_x=0.5):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2, 3], [1, 3, 2, 2.5], label="y")
    ax.plot([0, 1, 2, 3], [2, 1, 1.5, 1], label="z")
    ax.annotate("max: 3", xy=(1, 3), xytext=text_xy, textcoords="axes fraction",
                arrowprops={"arrowstyle": "->"}, bbox={"boxstyle": "round"})
    ax.text(0.1, 2.8, "plain")
    ax.set_title("An Axes title", loc=title_loc)
    ax.set_xlabel("x")
    ax.legend(loc=legend_loc)
    sc = ax.scatter([0, 3], [1, 2], c=[0, 1])
    fig.colorbar(sc, label="cb")
    fig.suptitle("A figure suptitle", x=suptitle_x, ha="left" if suptitle_x < 0.5 else "center")
    return fig


def _ink(png) -> np.ndarray:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    return rgb.min(axis=2) < images.INK_THRESHOLD


def test_text_boxes_cover_the_text_in_png_pixels():
    cap = capture_call(_texty)
    boxes = cap["figure"]["text_boxes"]
    json.dumps(boxes, allow_nan=False)
    kinds = {b["kind"] for b in boxes}
    assert {"suptitle", "title", "xlabel", "xticklabel", "yticklabel", "ylabel", "legend",
            "annotation", "annotation_bbox", "arrow", "text"} <= kinds
    by_text = {b["text"]: b for b in boxes if b["kind"] in ("suptitle", "title", "xlabel")}
    sup, title = by_text["A figure suptitle"]["box"], by_text["An Axes title"]["box"]
    xlabel = by_text["x"]["box"]
    assert sup[1] < title[1] < 60 and xlabel[3] > 340  # rows go top-down
    ink = _ink(cap["png"])
    for b in boxes:
        x0, y0, x1, y1 = (int(round(v)) for v in b["box"])
        assert 0 <= x0 < x1 <= 512 and 0 <= y0 < y1 <= 384, b
        assert ink[y0:y1, x0:x1].any(), b  # something is drawn inside every box
    colorbar = [b for b in boxes if b["axes"] == 1]
    assert {b["kind"] for b in colorbar} == {"ylabel", "yticklabel"}
    (arrow,) = [b for b in boxes if b["kind"] == "arrow"]
    assert arrow["path"] and arrow["width"] == pytest.approx(80 / 72)


def test_text_boxes_skip_hidden_text():
    def hidden():
        fig, (a, b) = plt.subplots(2, 1, sharex=True)
        a.plot([1, 2])
        b.plot([1, 2])
        b.axis("off")
        return fig

    boxes = capture_call(hidden)["figure"]["text_boxes"]
    assert [b["kind"] for b in boxes if b["axes"] == 0] == ["yticklabel"] * len(
        [b for b in boxes if b["axes"] == 0])  # sharex: the upper row has no x tick labels
    assert not [b for b in boxes if b["axes"] == 1]  # axis off: nothing drawn


def test_text_mask_is_the_union_of_both_figures_boxes():
    a, b = capture_call(_texty), capture_call(_texty, (), {"legend_loc": "lower left"})
    mask = images.captures_mask(a, b)
    assert mask.shape == (384, 512) and 0.01 < mask.mean() < 0.3
    for fig in (a["figure"], b["figure"]):
        (legend,) = [x for x in fig["text_boxes"] if x["kind"] == "legend"]
        x0, y0, x1, y1 = (int(v) + 1 for v in legend["box"])
        assert mask[y0:y1 - 2, x0:x1 - 2].all()
    empty = images.text_mask([None, {"text_boxes": []}], (384, 512))
    assert not empty.any()


@pytest.mark.parametrize("moved", [{"legend_loc": "lower left"}, {"title_loc": "left"},
                                   {"text_xy": (0.05, 0.1)}, {"suptitle_x": 0.1}])
def test_moved_text_is_not_compared(moved):
    exp, got = capture_call(_texty), capture_call(_texty, (), moved)
    assert images.ink_rms(got["png"], exp["png"]) > images.DEFAULT_TOLERANCE["ink"]
    mask = images.captures_mask(got, exp)
    assert images.ink_rms(got["png"], exp["png"], mask) == 0.0
    assert images.compare_images(got, exp) is None
    assert "picture differs" in images.compare_images(got, exp, mask_text=False)


def test_text_blown_up_over_the_plot_does_not_hide_it():
    def hiding():
        fig = _texty()
        fig.text(0.02, 0.02, "x", fontsize=400, color="white")  # a mask over everything
        fig.axes[0].lines[0].set_ydata([3, 1, 3, 1])            # ... and a wrong line under it
        return fig

    exp, got = capture_call(_texty), capture_call(hiding)
    assert images.text_mask([got["figure"]], (384, 512)).mean() > images.MAX_MASKED
    mask = images.captures_mask(got, exp)
    assert (mask == images.text_mask([exp["figure"]], (384, 512))).all()
    assert "picture differs" in images.compare_images(got, exp)


def test_masked_rms_keeps_the_whole_picture_as_denominator():
    exp, got = capture_call(_texty), capture_call(_texty, (), {"legend_loc": "lower left"})
    none = np.zeros((384, 512), dtype=bool)
    assert images.ink_rms(got["png"], exp["png"], none) == images.ink_rms(got["png"], exp["png"])
    assert images.rms(got["png"], exp["png"], none) == pytest.approx(
        images.rms(got["png"], exp["png"]))
    everything = ~none
    assert images.rms(got["png"], exp["png"], everything) == 0.0


def test_faint_antialiased_edges_do_not_count():
    def line(color):
        def draw():
            fig, ax = plt.subplots()
            ax.plot([0, 1, 3, 2, 5], color=color)
            return fig
        return draw

    blue, gray = capture_call(line("tab:blue")), capture_call(line("gray"))
    assert images.ink_rms(blue["png"], gray["png"]) == 0.0


class _Artifacts:
    def __init__(self):
        self.items = []

    def add(self, name, data, caption):
        self.items.append((name, data, caption))


def test_overlay_hatches_what_was_not_compared():
    exp, got = capture_call(_texty), capture_call(_texty, (), {"legend_loc": "lower left"})
    art = _Artifacts()
    images.assert_image_close(got, exp, artifacts=art, name="texty")
    (_, data, caption), = art.items
    assert "ink RMS outside text 0.00" in caption and "close enough" in caption
    overlay = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))[18:, 2 * (512 + 8):]
    hatch = np.all(overlay == images._HATCH, axis=2)
    red_or_blue = np.all(overlay == images._MISSING, axis=2) | np.all(overlay == images._EXTRA,
                                                                        axis=2)
    assert hatch.sum() > 500 and red_or_blue.sum() == 0
    unmasked = _Artifacts()
    with pytest.raises(pytest.fail.Exception, match="picture differs"):
        images.assert_image_close(got, exp, artifacts=unmasked, name="texty", mask_text=False)
    overlay = np.asarray(Image.open(io.BytesIO(unmasked.items[0][1])).convert("RGB"))
    overlay = overlay[18:, 2 * (512 + 8):]
    assert not np.all(overlay == images._HATCH, axis=2).any()
