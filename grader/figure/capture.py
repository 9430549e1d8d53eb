"""Run a student's plotting function under a fixed style and capture its figure (worker side).

`capture_call(fn, args, kwargs)` -> {"figure": description | None, "png": bytes | None,
"problems": [str, ...]}. Problems are contract breaches the judge turns into failures: not a
Figure, global rcParams left changed, extra figures left open. Global state is always restored,
so the next call starts clean. See docs/plot-checks.md.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from grader.figure.describe import describe_figure  # noqa: E402
from grader.figure.normalise import normalise_figure  # noqa: E402

MAX_NAMED_KEYS = 8


def _changed_keys(before: dict, after: dict) -> list:
    keys = set(before) | set(after)
    return sorted(k for k in keys if k != "backend" and not _same(before.get(k), after.get(k)))


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and other odd values
        return a is b


def _rc_problem(keys: list) -> str:
    named = ", ".join(keys[:MAX_NAMED_KEYS]) + (" ..." if len(keys) > MAX_NAMED_KEYS else "")
    return (f"left global rcParams changed: {named} "
            "(use matplotlib.rc_context or restore them before returning)")


def _as_figure(result, problems: list):
    """The figure to grade: the result if it is a Figure; an Axes' figure, with a problem."""
    if isinstance(result, Figure):
        return result
    first = result
    if hasattr(result, "flat"):  # an array of Axes
        first = next(iter(result.flat), None)
    if isinstance(first, Axes):
        problems.append(f"returned {type(result).__name__}, not a matplotlib Figure "
                        "(return the Figure, e.g. fig from fig, ax = plt.subplots())")
        return _root_figure(first)
    problems.append(f"returned {type(result).__name__}, not a matplotlib Figure")
    return None


def _root_figure(ax):
    try:
        return ax.get_figure(root=True)
    except TypeError:  # matplotlib < 3.10
        return ax.figure


def _close_extra(before_nums: set, fig, problems: list) -> None:
    keep = getattr(fig, "number", None) if fig is not None else None
    extra = [n for n in plt.get_fignums() if n not in before_nums and n != keep]
    if extra:
        problems.append(f"left {len(extra)} extra figure(s) open "
                        "(plt.close the figures you do not return)")
        for n in extra:
            plt.close(n)


_SUBPLOT_PARAMS = ("left", "right", "bottom", "top", "wspace", "hspace")


def _reset_layout(fig) -> None:
    """Undo tight_layout / constrained / subplots_adjust: grid axes go back to where the fixed
    style puts them (the layout is free in the catalog, so it must not move pixels)."""
    fig.set_layout_engine("none")
    fig.subplotpars.update(**{k: matplotlib.rcParams[f"figure.subplot.{k}"]
                              for k in _SUBPLOT_PARAMS})
    keep = _colorbar_parents(fig)
    for ax in fig.axes:
        ss = _subplotspec(ax)
        if ss is not None and ax.get_axes_locator() is None and not any(ax is k for k in keep):
            ax.set_position(ss.get_position(fig))


def _subplotspec(ax):
    get = getattr(ax, "get_subplotspec", None)
    return get() if get is not None else None


def _colorbar_parents(fig) -> list:
    """Axes shrunk to make room for a colorbar outside any gridspec (they keep their place)."""
    out = []
    for ax in fig.axes:
        cb = getattr(ax, "_colorbar", None)
        if cb is not None and _subplotspec(ax) is None:
            info = getattr(ax, "_colorbar_info", None) or {}
            out.extend(info.get("parents") or [getattr(cb.mappable, "axes", None)])
    return out


def _render(fig, size, dpi, reset_layout, normalise=None) -> tuple[dict, bytes]:
    """Fixed size and dpi, drawn on an Agg canvas; the description and the PNG. normalise:
    free properties brought to their canonical form first (grader.figure.normalise)."""
    if reset_layout:
        _reset_layout(fig)
    if normalise:
        normalise_figure(fig, tuple(normalise))
    fig.set_size_inches(*size, forward=False)
    fig.set_dpi(dpi)
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    description = describe_figure(fig)
    return description, _png(fig.canvas)


def _png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as drawn, as PNG (savefig would draw the whole figure a second time)."""
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def capture_call(fn, args=(), kwargs=None, *, size=(6.4, 4.8), dpi=80,
                 reset_layout=True, normalise=None) -> dict:
    """Call fn(*args, **kwargs) under rcdefaults; describe and render the Figure it returns.

    reset_layout: undo layout engines and subplot spacing (see _reset_layout) so that layout,
    like figure size, is the same for every submission. normalise: names of free properties
    (grader.figure.normalise.FREE) set to their canonical form before the description and the
    PNG are made: the capture for the image check (the semantic checks use one without)."""
    kwargs = kwargs or {}
    matplotlib.use("Agg")
    outer_rc = dict(matplotlib.rcParams)
    before_nums = set(plt.get_fignums())
    problems: list[str] = []
    fig = None
    try:
        with matplotlib.rc_context():
            matplotlib.rcdefaults()
            style = dict(matplotlib.rcParams)
            result = fn(*args, **kwargs)
            leaked = _changed_keys(style, dict(matplotlib.rcParams))
            if leaked:
                problems.append(_rc_problem(leaked))
                matplotlib.rcParams.update({k: v for k, v in style.items() if k != "backend"})
            fig = _as_figure(result, problems)
            _close_extra(before_nums, fig, problems)
            description, png = None, None
            if fig is not None:
                description, png = _render(fig, size, dpi, reset_layout, normalise)
    finally:
        _restore(outer_rc, before_nums, fig)
    return {"figure": description, "png": png, "problems": problems}


def _restore(outer_rc: dict, before_nums: set, fig) -> None:
    """Close every figure the call opened and put rcParams back exactly as they were."""
    if fig is not None:
        plt.close(fig)
    for n in plt.get_fignums():
        if n not in before_nums:
            plt.close(n)
    if _changed_keys(outer_rc, dict(matplotlib.rcParams)):
        matplotlib.rcParams.update({k: v for k, v in outer_rc.items() if k != "backend"})


def warm_up() -> None:
    """Draw one figure with the usual artists (grid of axes, lines, bars, image, colorbar,
    legend, texts, an inset) and throw it away: the zygote does this once, so each worker it
    forks starts with fonts loaded and matplotlib's lazy imports done (about 8% of a worker's
    first captures). Nothing of it stays: capture_call restores rcParams and closes figures."""
    import numpy as np

    def figure():
        fig, axs = plt.subplots(2, 2)
        axs[0, 0].plot([0, 1], [1, 0], label="a")
        axs[0, 0].legend()
        axs[0, 0].set_title("t")
        fig.colorbar(axs[0, 1].imshow(np.eye(3)), ax=axs[0, 1])
        axs[1, 0].bar([0, 1], [1, 2])
        axs[1, 0].axhline(1.0)
        axs[1, 0].axvspan(0.0, 0.5, alpha=0.2)
        axs[1, 1].scatter([0, 1], [1, 0], c=[0, 1])
        axs[1, 1].annotate("x", (0.5, 0.5), xytext=(0.2, 0.8), arrowprops={"arrowstyle": "->"})
        axs[1, 1].inset_axes([0.6, 0.6, 0.3, 0.3])
        fig.suptitle("s")
        return fig

    capture_call(figure, normalise=())
