"""`describe_figure(fig)`: a Figure as plain data (schema in docs/plot-checks.md).

Call it after `fig.canvas.draw()` so tick labels, layout and colour-mapped colours are final.
"""

from __future__ import annotations

from grader.figure._artists import (describe_bars, describe_collection, describe_image,
                                   describe_line, describe_patches, other_containers)
from grader.figure._axis import axisbelow, describe_axis, describe_spines, describe_titles
from grader.figure._boxes import text_boxes
from grader.figure._data import cmap_name, norm_of, num, nums
from grader.figure._text import describe_legend, describe_text


def all_axes(fig) -> list:
    """fig.axes in order, each followed by its child (inset) axes, recursively."""
    out = []

    def add(ax):
        if any(ax is seen for seen in out):
            return
        out.append(ax)
        for child in getattr(ax, "child_axes", []):
            add(child)

    for ax in fig.axes:
        add(ax)
    return out


def _index(axes, ax):
    return next((i for i, a in enumerate(axes) if a is ax), None)


def _containing(axes, ax):
    """The first other axes whose box contains the centre of ax (parent of a toolkit inset)."""
    p = ax.get_position()
    cx, cy = p.x0 + p.width / 2, p.y0 + p.height / 2
    for i, other in enumerate(axes):
        q = other.get_position()
        if other is not ax and q.x0 <= cx <= q.x1 and q.y0 <= cy <= q.y1:
            return i
    return None


def _is_toolkit_inset(ax) -> bool:
    try:
        from mpl_toolkits.axes_grid1.inset_locator import AnchoredLocatorBase
    except ImportError:  # pragma: no cover
        return False
    return isinstance(ax.get_axes_locator(), AnchoredLocatorBase)


def _role(axes, i) -> tuple[str, int | None]:
    """(role, parent index) of axes[i]."""
    ax = axes[i]
    cb = getattr(ax, "_colorbar", None)
    if cb is not None:
        mappable_ax = getattr(cb.mappable, "axes", None)
        return "colorbar", _index(axes, mappable_ax) if mappable_ax is not None else None
    for j, other in enumerate(axes):
        if any(child is ax for child in getattr(other, "child_axes", [])):
            return "inset", j
    if _is_toolkit_inset(ax):
        return "inset", _containing(axes, ax)
    twins = [_index(axes, s) for s in ax._twinned_axes.get_siblings(ax) if s is not ax]
    earlier = sorted(j for j in twins if j is not None and j < i)
    if earlier:
        return "twin", earlier[0]
    return "main", None


def _subplotspec(ax) -> dict | None:
    get = getattr(ax, "get_subplotspec", None)
    ss = get() if get is not None else None
    if ss is None:
        return None
    ss = ss.get_topmost_subplotspec()  # a cell of a nested gridspec (colorbar) -> its top cell
    nrows, ncols = ss.get_gridspec().get_geometry()
    return {"nrows": int(nrows), "ncols": int(ncols),
            "rows": [int(ss.rowspan.start), int(ss.rowspan.stop)],
            "cols": [int(ss.colspan.start), int(ss.colspan.stop)]}


def _colorbar(axes, ax) -> dict | None:
    cb = getattr(ax, "_colorbar", None)
    if cb is None:
        return None
    m = cb.mappable
    m_ax = getattr(m, "axes", None)
    orientation = str(getattr(cb, "orientation", "vertical"))
    return {
        "mappable_axes": _index(axes, m_ax) if m_ax is not None else None,
        "mappable_type": type(m).__name__,
        "orientation": orientation,
        "cmap": cmap_name(m),
        "norm": norm_of(m.norm),
        "label": ax.get_ylabel() if orientation == "vertical" else ax.get_xlabel(),
    }


def describe_axes(axes, i) -> dict:
    ax = axes[i]
    role, parent = _role(axes, i)
    return {
        "index": i,
        "role": role,
        "parent": parent,
        "subplotspec": _subplotspec(ax),
        "position": nums(list(ax.get_position().bounds)),
        "visible": bool(ax.get_visible()),
        "axison": bool(ax.axison),
        "title": describe_titles(ax),
        "x": describe_axis(ax, "x"),
        "y": describe_axis(ax, "y"),
        "spines": describe_spines(ax),
        "axisbelow": axisbelow(ax),
        "bars": describe_bars(ax),
        "lines": [describe_line(line, ax) for line in ax.get_lines()],
        "collections": [describe_collection(c, ax) for c in ax.collections],
        "patches": describe_patches(ax),
        "texts": [describe_text(t, ax) for t in ax.texts],
        "legend": describe_legend(ax.get_legend()),
        "images": [describe_image(im) for im in ax.images],
        "colorbar": _colorbar(axes, ax),
        "containers_other": other_containers(ax),
    }


def _shared_groups(axes, which: str) -> list:
    groups = []
    for ax in axes:
        grouper = ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()
        idx = sorted(i for i in (_index(axes, s) for s in grouper.get_siblings(ax))
                     if i is not None)
        if len(idx) > 1 and idx not in groups:
            groups.append(idx)
    return groups


def _text_or_none(text) -> str | None:
    if text is None:
        return None
    return text.get_text() or None


def describe_figure(fig) -> dict:
    """The whole figure: suptitle, figure legends and texts, every Axes, shared groups, and
    where every text is drawn (PNG pixels; for the image check's text mask)."""
    axes = all_axes(fig)
    return {
        "size": nums(list(fig.get_size_inches())),
        "dpi": num(fig.dpi),
        "suptitle": _text_or_none(getattr(fig, "_suptitle", None)),
        "supxlabel": _text_or_none(getattr(fig, "_supxlabel", None)),
        "supylabel": _text_or_none(getattr(fig, "_supylabel", None)),
        "legends": [describe_legend(leg) for leg in fig.legends],
        "texts": [describe_text(t) for t in fig.texts],
        "axes": [describe_axes(axes, i) for i in range(len(axes))],
        "shared_x": _shared_groups(axes, "x"),
        "shared_y": _shared_groups(axes, "y"),
        "text_boxes": text_boxes(fig, axes),
    }


__all__ = ["describe_figure", "all_axes"]
