"""Where the text of a drawn figure is, in PNG pixels: titles, labels, tick labels, legends,
annotations (text, bbox patch, arrow), plain texts, colorbar labels and ticks.

The image check masks these places out (text positions are free in the catalog). Call after
`fig.canvas.draw()`. Boxes are `[left, top, right, bottom]` in pixels of the PNG saved at the
figure's dpi: x to the right, y DOWN from the top row (display y goes up, so the rows are
`height - y`); `arr[top:bottom, left:right]` of the PNG array is the box.
"""

from __future__ import annotations

import numpy as np
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text

from grader.figure._axis import ticks_in_view
from grader.figure._data import num

MAX_PATH_POINTS = 2000  # per arrow, after flattening curves


def _shown(artist) -> bool:
    return artist is not None and artist.get_visible() and (
        not isinstance(artist, Text) or artist.get_text() != "")


class _Boxes:
    """Collects {"kind", "axes", "text", "box"[, "path", "width"]} entries of one figure."""

    def __init__(self, fig, renderer):
        self.renderer, self.height, self.dpi = renderer, fig.bbox.height, fig.dpi
        self.items: list[dict] = []

    def pixels(self, bbox) -> list | None:
        if bbox is None or not np.all(np.isfinite(bbox.extents)) or bbox.width <= 0 \
                or bbox.height <= 0:
            return None
        return [num(round(v, 2)) for v in (bbox.x0, self.height - bbox.y1, bbox.x1,
                                             self.height - bbox.y0)]

    def add(self, kind, artist, axes=None, extent=None, text=None) -> dict | None:
        """The artist's window extent (or `extent()`) as a box, if it is drawn and not empty."""
        if not _shown(artist):
            return None
        try:
            box = self.pixels(artist.get_window_extent(self.renderer) if extent is None
                              else extent())
        except (ValueError, TypeError, RuntimeError):  # the figure drew; a box is only a hint
            return None
        if box is None:
            return None
        label = artist.get_text() if isinstance(artist, Text) else (text or "")
        self.items.append({"kind": kind, "axes": axes, "text": label, "box": box})
        return self.items[-1]

    def add_arrow(self, patch, axes, text) -> None:
        """An annotation arrow: its box, and its outline as polylines (its path depends on
        where the free text is, so the mask follows the arrow itself, not its whole box)."""
        item = self.add("arrow", patch, axes, text=text)
        if item is None:
            return
        try:
            display = patch.get_transform().transform_path(patch.get_path())
        except (ValueError, TypeError, RuntimeError):
            return  # the box alone masks it
        lines = [[[num(round(x, 2)), num(round(self.height - y, 2))] for x, y in poly]
                 for poly in display.to_polygons(closed_only=False)]
        if 0 < sum(len(p) for p in lines) <= MAX_PATH_POINTS:
            item["path"] = lines
            item["width"] = num(patch.get_linewidth() * self.dpi / 72)


def _axis_boxes(boxes: _Boxes, ax, i: int) -> None:
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        if not axis.get_visible():
            continue
        boxes.add(f"{name}label", axis.label, i)
        boxes.add(f"{name}offset", axis.get_offset_text(), i)
        for _, tick in ticks_in_view(axis) + ticks_in_view(axis, minor=True):
            if tick.get_visible():
                boxes.add(f"{name}ticklabel", tick.label1, i)
                boxes.add(f"{name}ticklabel", tick.label2, i)


def _text_boxes(boxes: _Boxes, text, i) -> None:
    """A Text or Annotation: the text itself, its bbox patch, an annotation's arrow."""
    is_ann = isinstance(text, Annotation)
    kind = "annotation" if is_ann else "text"
    if is_ann and (not text.get_visible() or not text._check_xy(boxes.renderer)):
        return  # annotation_clip: the point is outside the axes, nothing is drawn
    boxes.add(kind, text, i, extent=lambda: Text.get_window_extent(text, boxes.renderer))
    patch = text.get_bbox_patch()
    if patch is not None and _shown(text):
        boxes.add(f"{kind}_bbox", patch, i, text=text.get_text())
    arrow = getattr(text, "arrow_patch", None) if is_ann else None
    if arrow is not None:
        boxes.add_arrow(arrow, i, text.get_text())


def _axes_boxes(boxes: _Boxes, ax, i: int) -> None:
    if not ax.get_visible():
        return
    for loc, attr in (("title", "title"), ("title", "_left_title"), ("title", "_right_title")):
        boxes.add(loc, getattr(ax, attr, None), i)
    if ax.axison:
        _axis_boxes(boxes, ax, i)
    for text in ax.texts:
        _text_boxes(boxes, text, i)
    for legend in [ax.get_legend()] + [a for a in ax.artists if isinstance(a, Legend)]:
        if legend is not None:  # add_artist keeps an earlier legend when there are two
            boxes.add("legend", legend, i, text=" ".join(t.get_text() for t in legend.get_texts()))


def text_boxes(fig, axes: list) -> list:
    """Every drawn text-like artist of the figure as {"kind", "axes" (index in `axes` or None),
    "text", "box"}; arrows also carry "path" (polylines, PNG pixels) and "width" (px)."""
    renderer = getattr(fig.canvas, "get_renderer", lambda: None)()
    if renderer is None:
        return []
    boxes = _Boxes(fig, renderer)
    sup = [getattr(fig, f"_sup{k}", None) for k in ("title", "xlabel", "ylabel")]
    for kind, text in zip(("suptitle", "supxlabel", "supylabel"), sup):
        boxes.add(kind, text)
    for text in fig.texts:  # suptitle & co. are in fig.texts too
        if not any(text is s for s in sup):
            _text_boxes(boxes, text, None)
    for legend in fig.legends:
        boxes.add("legend", legend, text=" ".join(t.get_text() for t in legend.get_texts()))
    for i, ax in enumerate(axes):
        _axes_boxes(boxes, ax, i)
    return boxes.items
