"""The plot engine: figure descriptions, the capture's global-state checks, the comparison
helpers (None when equal, a clear message per kind of difference) and the image check."""

from __future__ import annotations

import io
import json

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import TwoSlopeNorm
from matplotlib.ticker import MultipleLocator
from PIL import Image

from grader.checks.plots import images
from grader.checks import plots as P
from grader.figure.capture import capture_call
from grader.figure.describe import describe_figure
from tests.grader import plot_cases as C


def cap(fn, *args, **kwargs):
    return capture_call(fn, args, kwargs)


def desc(fig):
    fig.canvas.draw()
    d = describe_figure(fig)
    plt.close(fig)
    json.dumps(d, allow_nan=False)  # plain JSON, no nan
    return d


def one_ax(fn, *args):
    """The first main Axes of fn's captured figure."""
    return P.main_axes(cap(fn, *args)["figure"])[0]


@pytest.fixture(scope="module")
def table():
    return C.students_table("lunch")  # 5 groups x 2 columns


# ---- describe ----------------------------------------------------------------------------------


def test_describe_stacked_bars_and_span_read_by_role():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2], label="low")
    ax.bar(["a", "b"], [3, 4], bottom=[1, 2], label="high", alpha=0.5, color="tomato")
    ax.axvspan(0.2, 0.6, color="gray", alpha=0.3)
    ax.legend(loc="upper left", title="level")
    a = desc(fig)["axes"][0]
    assert [b["label"] for b in a["bars"]] == ["low", "high"]
    top = a["bars"][1]["rects"]
    assert [r["base"] for r in top] == [1.0, 2.0] and [r["value"] for r in top] == [3.0, 4.0]
    assert [r["center"] for r in top] == [0.0, 1.0] and top[0]["thickness"] == pytest.approx(0.8)
    assert P.same_color(top[0]["facecolor"], (1.0, 0.388, 0.278, 0.5))
    assert len(a["patches"]) == 1 and a["patches"][0]["coords"] == "xaxis"
    assert a["patches"][0]["extent"] == pytest.approx([0.2, 0.0, 0.6, 1.0])
    assert a["legend"]["texts"] == ["low", "high"] and a["legend"]["title"] == "level"
    assert a["legend"]["loc"] == 2
    assert a["x"]["ticklabels"] == ["a", "b"]


def test_describe_horizontal_bars():
    fig, ax = plt.subplots()
    ax.barh([0, 1], [0.3, 0.7], left=[0.1, 0.2], height=0.5)
    b = desc(fig)["axes"][0]["bars"][0]
    assert b["orientation"] == "horizontal"
    got = [[r["center"], r["base"], r["value"], r["thickness"]] for r in b["rects"]]
    assert np.allclose(got, [[0, 0.1, 0.3, 0.5], [1, 0.2, 0.7, 0.5]])


def test_describe_roles_twin_inset_colorbars_and_sharing():
    from mpl_toolkits.axes_grid1 import make_axes_locatable
    from mpl_toolkits.axes_grid1.inset_locator import inset_axes

    fig, (a0, a1, a2) = plt.subplots(1, 3, sharey=True)
    a0.plot([0, 1], [0, 1])
    a0.twinx().plot([0, 1], [5, 3])
    a1.inset_axes([0.8, 0.8, 0.2, 0.2]).plot([1, 2])
    inset_axes(a1, width="30%", height="30%", loc="lower left")
    sc = a2.scatter([1, 2], [2, 1], c=[0, 10])
    fig.colorbar(sc, ax=a2)
    im = a1.imshow(np.arange(6).reshape(2, 3))
    cax = make_axes_locatable(a1).append_axes("right", size="7%", pad="2%")
    fig.colorbar(im, cax=cax)
    d = desc(fig)
    roles = [(a["role"], a["parent"]) for a in d["axes"]]
    assert roles.count(("main", None)) == 3
    assert ("twin", 0) in roles and roles.count(("inset", 1)) == 2
    cbs = P.colorbar_axes(d)
    assert sorted(cb["colorbar"]["mappable_type"] for cb in cbs) == ["AxesImage", "PathCollection"]
    mains = P.main_axes(d)
    assert {cb["parent"] for cb in cbs} == {mains[1]["index"], mains[2]["index"]}
    assert d["shared_y"] == [[m["index"] for m in mains]]
    a2d = P.main_axes(d)[2]
    assert a2d["subplotspec"] == {"nrows": 1, "ncols": 3, "rows": [0, 1], "cols": [2, 3]}


def test_describe_annotation_text_scatter_lines_ticks_grid():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1, 3, 2], "o--", label="y")
    ax.axhline(2.5, color="red")
    ax.scatter([0, 1], [1, 2], s=[10, 40], c=[1, 2], cmap="RdBu", norm=TwoSlopeNorm(1.5, 0, 3))
    ax.annotate("max: 3", xy=(1, 3), xytext=(1.5, 3.2), arrowprops={"arrowstyle": "->"},
                bbox={"boxstyle": "round"})
    ax.text(0, 0, "plain")
    ax.xaxis.set_major_locator(MultipleLocator(0.5))
    ax.set_title("Left", loc="left", fontweight="bold")
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    a = desc(fig)["axes"][0]
    line, hline = a["lines"]
    assert (line["marker"], line["linestyle"], line["label"]) == ("o", "--", "y")
    assert hline["coords"] == "yaxis" and P.hline_values(a) == [2.5]
    sc = a["collections"][0]
    assert sc["sizes"] == [10.0, 40.0] and sc["cmap"] == "RdBu"
    assert sc["norm"] == {"type": "TwoSlopeNorm", "vmin": 0.0, "vmax": 3.0, "vcenter": 1.5}
    ann, txt = a["texts"]
    assert (ann["arrow"], ann["bbox"], ann["xy"], txt["type"]) == (True, "round", [1.0, 3.0], "Text")
    assert a["x"]["locator"] == "MultipleLocator" and a["x"]["locator_step"] == 0.5
    assert a["title"]["left"] == {"text": "Left", "fontweight": 700, "fontsize": 12.0,
                                  "color": [0.0, 0.0, 0.0, 1.0]}
    assert (a["y"]["grid"], a["x"]["grid"], a["axisbelow"]) == (True, False, True)
    assert a["spines"]["top"]["visible"] is False and a["spines"]["left"]["visible"] is True


# ---- capture -----------------------------------------------------------------------------------


def _good():
    fig, ax = plt.subplots(figsize=(12, 3))
    ax.plot([1, 2, 3])
    return fig


def test_capture_returns_description_and_png_of_fixed_size():
    got = cap(_good)
    assert got["problems"] == []
    assert Image.open(io.BytesIO(got["png"])).size == (512, 384)
    assert got["figure"]["size"] == [6.4, 4.8] and got["figure"]["dpi"] == 80
    assert plt.get_fignums() == []


def _leaky():
    plt.rcParams["lines.linewidth"] = 5
    matplotlib.rcParams["axes.grid"] = True
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    return fig


def test_capture_detects_and_undoes_global_rcparams_changes():
    before = dict(matplotlib.rcParams)
    got = cap(_leaky)
    assert len(got["problems"]) == 1
    assert "rcParams" in got["problems"][0]
    assert "axes.grid" in got["problems"][0] and "lines.linewidth" in got["problems"][0]
    assert got["figure"]["axes"][0]["lines"][0]["linewidth"] == 5.0  # the student's own style
    assert dict(matplotlib.rcParams) == before
    assert cap(_good)["problems"] == []  # the next call starts clean


def _scoped_style():
    with plt.rc_context({"lines.linewidth": 4}):
        fig, ax = plt.subplots()
        ax.plot([1, 2])
    return fig


def test_capture_accepts_rc_context_and_uses_fixed_style():
    old = matplotlib.rcParams["lines.linewidth"]
    matplotlib.rcParams["lines.linewidth"] = 9  # the judge's own state must not leak in
    try:
        scoped, plain = cap(_scoped_style), cap(_good)
    finally:
        matplotlib.rcParams["lines.linewidth"] = old
    assert scoped["problems"] == []
    assert scoped["figure"]["axes"][0]["lines"][0]["linewidth"] == 4.0
    assert plain["figure"]["axes"][0]["lines"][0]["linewidth"] == 1.5


def _extra_figures():
    plt.figure()
    plt.figure()
    return _good()


def _returns_axes():
    return plt.subplots()[1]


def _returns_none():
    plt.plot([1, 2])


def _raises():
    plt.subplots()
    plt.rcParams["lines.linewidth"] = 7
    raise ValueError("boom")


def test_capture_reports_extra_figures_and_closes_them():
    got = cap(_extra_figures)
    assert got["problems"] == ["left 2 extra figure(s) open (plt.close the figures you do not return)"]
    assert plt.get_fignums() == []


def test_capture_not_a_figure():
    axes = cap(_returns_axes)
    assert "returned Axes, not a matplotlib Figure" in axes["problems"][0]
    assert axes["figure"] is not None and axes["png"]
    none = cap(_returns_none)
    assert none["figure"] is None and none["png"] is None
    assert none["problems"][0] == "returned NoneType, not a matplotlib Figure"
    assert P.check_no_problems(none, what="f()").startswith("f(): returned NoneType")


def test_capture_restores_state_when_the_function_raises():
    before = dict(matplotlib.rcParams)
    with pytest.raises(ValueError, match="boom"):
        cap(_raises)
    assert dict(matplotlib.rcParams) == before and plt.get_fignums() == []


# ---- comparison helpers ------------------------------------------------------------------------


def test_alternatives_pass_every_check(table):
    exp = cap(C.grouped_ref, table)["figure"]
    for alt in (C.grouped_alt_pyplot, C.grouped_alt_add_subplot_linspace, C.grouped_alt_figure_object):
        got = cap(alt, table)["figure"]
        g, e = P.main_axes(got)[0], P.main_axes(exp)[0]
        assert P.check_layout(got, exp, what="w") is None
        assert P.check_bars(g, e, what="w") is None, alt.__name__
        assert P.check_ticks(g, e, what="w") is None
        assert P.check_legend(g, e, what="w", ordered=True, loc=True) is None
        assert P.check_titles(g, e, what="w") is None


@pytest.mark.parametrize("wrong, words", [
    (C.grouped_wrong_offsets, "x position expected"),
    (C.grouped_wrong_width, "width expected 0.12, got 0.8"),
])
def test_check_bars_names_the_difference(table, wrong, words):
    msg = P.check_bars(one_ax(wrong, table), one_ax(C.grouped_ref, table), what="grouped_bar(t)")
    assert msg.startswith("grouped_bar(t): bar series") and words in msg


def test_check_bars_bottom_and_count(table):
    exp = one_ax(C.pct_ref, table)
    msg = P.check_bars(one_ax(C.pct_wrong_not_normalised, table), exp, what="w")
    assert "left expected" in msg or "width expected" in msg
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1, 2])
    msg = P.check_bars(desc(fig)["axes"][0], exp, what="w")
    assert msg == "w: expected horizontal bars, got vertical ones"
    fig, ax = plt.subplots()
    ax.barh([0, 1], [1, 2])
    msg = P.check_bars(desc(fig)["axes"][0], exp, what="w")
    assert msg == f"w: expected {sum(len(c['rects']) for c in exp['bars'])} bars, got 2"


def test_check_bars_compares_bars_not_calls(table):
    """One bar() call per bar, labelled once per series, draws the same bars: it passes."""
    exp = one_ax(C.grouped_ref, table)
    fig, ax = plt.subplots()
    for c, container in enumerate(exp["bars"]):
        for j, r in enumerate(container["rects"]):
            ax.bar(r["center"], r["value"], width=r["thickness"], label=container["label"] if j == 0 else None)
    got = desc(fig)["axes"][0]
    assert P.check_bars(got, exp, what="w") is None
    relabelled = [dict(c, label=f"x{i}") for i, c in enumerate(got["bars"])]
    assert "labels expected" in P.check_bars(dict(got, bars=relabelled), exp, what="w")


def test_check_bars_by_category_accepts_inverted_axis(table):
    exp, alt = one_ax(C.pct_ref, table), one_ax(C.pct_alt_numpy_invert, table)
    assert P.check_bars(alt, exp, what="w", by="category") is None
    assert P.check_ticks(alt, exp, what="w", axis="y", locations=False) is None
    wrong = one_ax(C.pct_wrong_not_reversed, table)
    assert "tick labels expected" in P.check_ticks(wrong, exp, what="w", axis="y", locations=False)


def test_check_legend_and_ticks_messages(table):
    exp = one_ax(C.grouped_ref, table)
    assert "got no legend" in P.check_legend(one_ax(C.grouped_wrong_no_legend, table), exp, what="w")
    assert "x tick labels expected" in P.check_ticks(one_ax(C.grouped_wrong_no_ticks, table), exp,
                                                     what="w", locations=False)
    fig, ax = plt.subplots()
    ax.bar([0], [1], label="a")
    ax.legend(["z"], loc="lower right")
    got = desc(fig)["axes"][0]
    assert "legend entries expected" in P.check_legend(got, exp, what="w")


def _frame(title="T", loc="center", bold=False, suptitle=None, hide=(), grid_below=True,
           sharey=False, ncols=2):
    fig, axs = plt.subplots(1, ncols, sharey=sharey, squeeze=False)
    ax = axs[0, 0]
    ax.bar([0, 1], [2, 3], zorder=2)
    ax.set_title(title, loc=loc, fontweight="bold" if bold else "normal")
    for side in hide:
        ax.spines[side].set_visible(False)
    ax.yaxis.grid(True)
    ax.set_axisbelow(grid_below)
    if suptitle:
        fig.suptitle(suptitle)
    return desc(fig)


def test_frame_checks_equal_and_different():
    ref = _frame(suptitle="S", hide=("top", "right"), sharey=True)
    g = lambda d: P.main_axes(d)[0]  # noqa: E731
    assert P.check_titles(g(ref), g(ref), what="w", fontweight=True) is None
    assert "it is the left title" in P.check_titles(g(_frame(loc="left")), g(ref), what="w")
    assert "should be normal" in P.check_titles(g(_frame(bold=True)), g(ref), what="w", fontweight=True)
    assert P.check_suptitle(ref, ref, what="w") is None
    assert "suptitle expected 'S', got None" in P.check_suptitle(_frame(), ref, what="w")
    assert P.check_spines(g(ref), g(ref), what="w") is None
    assert P.check_spines(g(_frame()), g(ref), what="w") == "w: the right spine should be hidden, but it is visible"
    assert P.check_grid_below(g(ref), g(ref), what="w") is None
    msg = P.check_grid_below(g(_frame(grid_below=False)), g(ref), what="w")
    assert "drawn over the data" in msg
    assert P.check_shared_y(ref, ref, what="w") is None
    assert "sharey=True" in P.check_shared_y(_frame(), ref, what="w")
    assert P.check_layout(ref, ref, what="w") is None
    assert "expected 2 subplots, got 3" in P.check_layout(_frame(ncols=3), ref, what="w")


def test_check_layout_gridspec_cells_order_free():
    def dash(order):
        fig = plt.figure()
        gs = fig.add_gridspec(3, 3)
        cells = [gs[0, :], gs[1, :-1], gs[1:, -1], gs[-1, 0], gs[-1, -2]]
        for i in order:
            fig.add_subplot(cells[i])
        return desc(fig)

    ref = dash(range(5))
    assert P.check_layout(dash([4, 3, 2, 1, 0]), ref, what="w") is None
    msg = P.check_layout(dash([0, 1, 2, 3, 3]), ref, what="w")
    assert msg.startswith("w: subplot layout expected") and "gs[2, 1] of 3x3" in msg


def _scatter(colors=None, sizes=(20, 40, 60), order=(0, 1, 2), cmap=None, vmax=3):
    x, y, c = np.array([1.0, 2, 3]), np.array([3.0, 1, 2]), np.array([0.0, 1, 2])
    o = list(order)
    fig, ax = plt.subplots()
    kw = {"c": c[o], "cmap": cmap, "vmin": 0, "vmax": vmax} if cmap else {"color": colors}
    sc = ax.scatter(x[o], y[o], s=np.array(sizes)[o], edgecolors="black", **kw)
    if cmap:
        fig.colorbar(sc)
    return desc(fig)


def test_check_scatter_and_colorbar():
    ref = _scatter(cmap="viridis")
    g = lambda d: P.main_axes(d)[0]  # noqa: E731
    assert P.check_scatter(g(_scatter(cmap="viridis", order=(2, 0, 1))), g(ref), what="w",
                           colors=True, edgecolors=True, mapped=True) is None
    assert "marker sizes differ" in P.check_scatter(g(_scatter(cmap="viridis", sizes=(5, 5, 5))),
                                                    g(ref), what="w")
    assert "colormap expected 'viridis'" in P.check_scatter(g(_scatter(cmap="plasma")), g(ref),
                                                             what="w", mapped=True)
    assert "face colours differ" in P.check_scatter(g(_scatter(colors="red")), g(ref), what="w",
                                                   colors=True)
    assert P.check_colorbar(ref, ref, what="w") is None
    assert "norm expected Normalize(vmin=0, vmax=3)" in P.check_colorbar(
        _scatter(cmap="viridis", vmax=5), ref, what="w")
    assert "expected 1 colorbar(s), got 0" in P.check_colorbar(_scatter(colors="red"), ref, what="w")


def _marks(arrow=True, text="max: 3", span=(1, 2), hline=2.0, style="o-"):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2, 3], [1, 3, 2, 1], style, label="y")
    ax.annotate(text, xy=(1, 3), xytext=(2, 3.5), arrowprops={"arrowstyle": "->"} if arrow else None)
    ax.axvspan(*span, alpha=0.2)
    if hline is not None:
        ax.hlines(hline, 0, 3)
    return desc(fig)["axes"][0]


def test_marks_checks():
    ref = _marks()
    for check in (P.check_annotations, P.check_spans, P.check_reference_lines, P.check_lines):
        assert check(ref, ref, what="w") is None
    assert "should have an arrow" in P.check_annotations(_marks(arrow=False), ref, what="w")
    assert "expected an annotation 'max: 3'" in P.check_annotations(_marks(text="3"), ref, what="w")
    assert "shaded span expected [1, 2], got [1, 3]" in P.check_spans(_marks(span=(1, 3)), ref, what="w")
    assert "horizontal line at y=2" in P.check_reference_lines(_marks(hline=None), ref, what="w")
    assert "linestyle expected '-', got '--'" in P.check_lines(_marks(style="o--"), ref, what="w",
                                                                style=True)
    assert P.check_lines(_marks(style="o--"), ref, what="w") is None


def test_assert_wrappers_fail_with_the_message_only():
    ref = _marks()
    P.assert_spans(ref, ref, what="w")
    with pytest.raises(pytest.fail.Exception, match="should have an arrow"):
        P.assert_annotations(_marks(arrow=False), ref, what="w")


# ---- images ------------------------------------------------------------------------------------


class _Artifacts:
    def __init__(self):
        self.items = []

    def add(self, name, data, caption):
        self.items.append((name, data, caption))


def test_rms_identical_zero_and_size_mismatch_max(table):
    a = cap(C.grouped_ref, table)["png"]
    assert images.rms(a, a) == 0.0 and images.ink_rms(a, a) == 0.0
    small = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(small, format="PNG")
    assert images.rms(a, small.getvalue()) == 255.0


def test_diff_image_is_a_three_panel_png(table):
    exp, got = cap(C.grouped_ref, table)["png"], cap(C.grouped_wrong_offsets, table)["png"]
    im = Image.open(io.BytesIO(images.diff_image(exp, got)))
    assert im.format == "PNG" and im.size == (3 * 512 + 16, 384 + 18)
    overlay = np.asarray(im.convert("RGB"))[18:, 2 * (512 + 8):]
    reds = np.all(overlay == images._MISSING, axis=2).sum()
    blues = np.all(overlay == images._EXTRA, axis=2).sum()
    assert reds > 50 and blues > 50  # the tick labels moved


@pytest.mark.parametrize("case", sorted(C.CASES))
def test_image_tolerance_calibration(case):
    """Correct alternatives and free choices (colours, layout, size, text places, sharex) pass
    the default check; every picture mistake fails it; "semantic only" mistakes pass it only
    because their text is masked (or their difference is under the tolerance)."""
    ref, groups = C.CASES[case]
    free = C.free_for(case)  # captured as the image check does: free properties normalised
    for t in (C.students_table(), C.students_table("parental level of education")):
        exp = capture_call(ref, (t,), normalise=free)
        for fn in groups["alternative"] + groups["free choice"]:
            art = _Artifacts()
            images.assert_image_close(capture_call(fn, (t,), normalise=free), exp, artifacts=art,
                                      name=fn.__name__)
            assert "close enough" in art.items[0][2]
        for fn in groups["wrong"] + groups.get("other picture", []):
            assert images.compare_images(capture_call(fn, (t,), normalise=free), exp) is not None, fn.__name__
        for fn in groups["semantic only"]:
            got = capture_call(fn, (t,), normalise=free)
            assert images.compare_images(got, exp) is None, fn.__name__
            assert images.compare_images(got, exp, mask_text=False) is not None, fn.__name__


def test_assert_image_close_records_the_diff_on_failure(table):
    art = _Artifacts()
    with pytest.raises(pytest.fail.Exception, match="picture differs"):
        images.assert_image_close(cap(C.grouped_wrong_overlap, table), cap(C.grouped_ref, table),
                                  artifacts=art, name="grouped_bar")
    (name, data, caption), = art.items
    assert name == "grouped_bar" and data.startswith(b"\x89PNG") and "too different" in caption
    msg = images.compare_images(cap(_returns_none), cap(C.grouped_ref, table))
    assert "no image to compare (returned NoneType" in msg


def _axis_plot(step=1.0, ticks=True, ylim0=0, label="x", image_cmap="viridis"):
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2, 3], [1, 4, 2, 3])
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.set_ylim(bottom=ylim0)
    ax.set_xlabel(label)
    if not ticks:
        ax.set_yticks([])
    ax.inset_axes([0.7, 0.7, 0.2, 0.2]).imshow(np.arange(4).reshape(2, 2), cmap=image_cmap)
    return desc(fig)


def test_axis_checks_ticks_locator_limits_labels_images():
    ref = _axis_plot()
    g = lambda d: P.main_axes(d)[0]  # noqa: E731
    inset = lambda d: P.insets_of(d, g(d))[0]  # noqa: E731
    assert P.check_ticks(g(ref), g(ref), what="w", locator=True) is None
    msg = P.check_ticks(g(_axis_plot(step=0.5)), g(ref), what="w", locator=True, locations=False,
                        labels=False)
    assert msg == "w: x major locator expected MultipleLocator(1), got MultipleLocator(0.5)"
    assert "expected no y ticks" in P.check_ticks(g(ref), g(_axis_plot(ticks=False)), what="w",
                                                  axis="y")
    assert P.check_limits(g(ref), g(ref), what="w", bound="lower") is None
    assert P.check_limits(g(_axis_plot(ylim0=-1)), g(ref), what="w", bound="lower") == \
        "w: y axis should start at 0, starts at -1"
    assert P.check_labels(g(_axis_plot(label="t")), g(ref), what="w") == \
        "w: x axis label expected 'x', got 't'"
    assert P.check_images(inset(ref), inset(ref), what="w") is None
    assert "colormap expected 'viridis'" in P.check_images(inset(_axis_plot(image_cmap="gray")),
                                                           inset(ref), what="w")


def _layouts(reset):
    def plain():
        return plt.subplots(1, 2)[0]

    def tight():
        fig = plain()
        fig.subplots_adjust(wspace=0.6, left=0.3)
        return fig

    return [capture_call(f, (), {}, reset_layout=reset)["figure"]["axes"][0]["position"]
            for f in (plain, tight)]


def test_capture_resets_the_layout_unless_asked_not_to():
    same, moved = _layouts(True), _layouts(False)
    assert same[0] == same[1] and moved[0] != moved[1]
