"""Describe texts, annotations and legends."""

from __future__ import annotations

from matplotlib.text import Annotation

from grader.figure._data import coords_of, num, nums, rgba, weight


def _coords_name(value):
    return value if isinstance(value, str) else type(value).__name__


def _boxstyle(text) -> str | None:
    patch = text.get_bbox_patch()
    if patch is None:
        return None
    return type(patch.get_boxstyle()).__name__.lower()


def describe_text(text, ax=None) -> dict:
    """A Text or Annotation: string, position, arrow, bbox, font."""
    is_ann = isinstance(text, Annotation)
    arrow = getattr(text, "arrow_patch", None) if is_ann else None
    return {
        "type": "Annotation" if is_ann else "Text",
        "text": text.get_text(),
        "position": nums(list(text.get_position())),
        "coords": coords_of(text.get_transform(), ax) if not is_ann else _coords_name(
            text.anncoords),
        "xy": nums(list(text.xy)) if is_ann else None,
        "xycoords": _coords_name(text.xycoords) if is_ann else None,
        "textcoords": _coords_name(text.anncoords) if is_ann else None,
        "arrow": arrow is not None,
        "arrowstyle": type(arrow.get_arrowstyle()).__name__ if arrow is not None else None,
        "bbox": _boxstyle(text),
        "color": rgba(text.get_color()),
        "fontsize": num(text.get_fontsize()),
        "fontweight": weight(text.get_fontweight()),
        "ha": str(text.get_horizontalalignment()),
        "va": str(text.get_verticalalignment()),
        "visible": bool(text.get_visible()),
    }


def _handle_color(h):
    for getter in ("get_color", "get_facecolor", "get_facecolors"):
        fn = getattr(h, getter, None)
        if fn is None:
            continue
        try:
            value = fn()
        except (TypeError, ValueError, AttributeError):
            continue
        if getter == "get_facecolors" or (hasattr(value, "ndim") and value.ndim == 2):
            value = value[0] if len(value) else None
        col = rgba(value)
        if col is not None:
            return col
    return None


def _loc(legend):
    loc = getattr(legend, "_loc", None)
    if loc is None:
        return None
    if isinstance(loc, (tuple, list)):
        return nums(list(loc))
    return int(loc)


def describe_legend(legend) -> dict | None:
    """Legend texts, title, loc code and handle colours."""
    if legend is None:
        return None
    texts = [t.get_text() for t in legend.get_texts()]
    handles = getattr(legend, "legend_handles", None) or getattr(legend, "legendHandles", [])
    title = legend.get_title().get_text()
    return {
        "texts": texts,
        "title": title if title else None,
        "loc": _loc(legend),
        "handles": [{"type": type(h).__name__, "label": lab, "color": _handle_color(h)}
                    for h, lab in zip(handles, texts)],
        "visible": bool(legend.get_visible()),
        "ncols": int(getattr(legend, "_ncols", 1)),
    }
