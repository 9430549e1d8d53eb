"""The class report's charts as PNG bytes (matplotlib's Agg canvas; no pyplot, no global state)."""

from __future__ import annotations

import io

BLUE = "#4c72b0"


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def histogram(percents: list[float]) -> bytes:
    """Students per 10-point band of the percent score."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.hist(percents, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.0001], color=BLUE, edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (%)")
    ax.set_ylabel("students")
    ax.set_title(f"Score distribution ({len(percents)} students)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def exercise_means(means: list[tuple[str, float]]) -> bytes:
    """One horizontal bar per exercise: the class's mean score in percent of its points."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 0.9 + 0.32 * max(1, len(means))), layout="constrained")
    ax = fig.add_subplot()
    labels = [name for name, _ in means][::-1]
    values = [value for _, value in means][::-1]
    bars = ax.barh(labels, values, color=BLUE)
    ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("mean score (% of the exercise's points)")
    ax.set_title("Mean score per exercise")
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
