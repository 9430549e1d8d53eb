"""Notebooks: generated from the single source and kept in sync; a notebook work folder is
graded exactly like the .py one; broken notebooks cost only what they touch; the notebooks
run top to bottom in a Jupyter kernel with their public checks passing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.harness.runner import grade
from grader.manifest import load_course
from grader.notebooks.build import stale, topic_notebook
from grader.paths import solutions_dir
from tests.grader.helpers import FIXTURES, with_override

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[notebooks]'")

pytestmark = pytest.mark.long_running  # every convolution and bar_plots fixture graded twice, two kernels


def notebook_for(topic: str, source: str, dest: Path) -> Path:
    """`source` (a module's text) written as the topic's student notebook at dest/<topic>.ipynb."""
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{topic}.ipynb"
    nbformat.write(topic_notebook(load_course().topic(topic), source), path)
    return path


def test_committed_notebooks_are_up_to_date():
    old = stale()
    assert not old, f"stale notebooks (run `python -m grader.notebooks`): {[p.name for p in old]}"


@pytest.mark.parametrize("topic", [t.name for t in load_course().topics])
def test_notebook_has_the_lesson_the_stubs_and_a_check_per_exercise(topic):
    t = load_course().topic(topic)
    nb = nbformat.read(Path(__file__).parents[2] / "notebooks" / f"{topic}.ipynb", as_version=4)
    roles = [c.metadata.get("dlviz", {}).get("role") for c in nb.cells]
    assert roles[:2] == ["lesson", "setup"] and t.title_ko in nb.cells[0].source
    exercises = [c.metadata["dlviz"]["exercise"] for c in nb.cells if c.metadata.get("dlviz", {}).get("role") == "exercise"]
    assert exercises == [e.name for e in t.exercises]
    assert roles.count("check") == len(t.exercises)
    assert all("NotImplementedError" in c.source for c in nb.cells if c.metadata.get("dlviz", {}).get("role") == "exercise")


def _scores(result) -> dict[str, float]:
    return {e.task_id: round(e.score, 6) for e in result.exercises}


@pytest.mark.parametrize("topic", ["convolution", "bar_plots"])
def test_notebook_folder_scores_like_the_py_folder_for_the_solution_and_every_fixture(topic, tmp_path):
    sources = {"solution": (solutions_dir() / f"{topic}.py").read_text()}
    for fx in sorted((FIXTURES / topic).glob("*.py")):
        sources[fx.stem] = with_override(topic, fx)
    for name, source in sources.items():
        py, nb = tmp_path / name / "py", tmp_path / name / "nb"
        py.mkdir(parents=True)
        (py / f"{topic}.py").write_text(source)
        notebook_for(topic, source, nb)
        from grader.commands.submit import run

        expected, got = _scores(grade(py, [topic])), _scores(run(nb, [topic]))
        got.pop(f"{topic}.quiz", None)
        assert got == expected, name


def test_broken_notebooks_cost_only_what_they_touch(tmp_path):
    from grader.commands.submit import run

    work = tmp_path / "work"
    conv = notebook_for("convolution", (solutions_dir() / "convolution.py").read_text(), work)
    nb = json.loads(conv.read_text())
    cells = nb["cells"]
    ex = {c["metadata"]["dlviz"]["exercise"]: i for i, c in enumerate(cells)
          if c["metadata"].get("dlviz", {}).get("role") == "exercise"}
    cells[ex["conv2d"]]["source"] = "# exercise: conv2d\ndef conv2d(x, weight:\n    return x\n"
    del cells[ex["max_pool2d"]]
    cells.append({"cell_type": "code", "metadata": {}, "source": "plt.plot([1, 2]); print('experiment')",
                  "outputs": [], "execution_count": None})
    conv.write_text(json.dumps(nb))
    (work / "optimizers.ipynb").write_text('{"cells": [oops')
    shutil.copy(solutions_dir() / "bar_plots.py", work / "bar_plots.py")
    result = run(work, ["optimizers", "convolution", "bar_plots"])
    by = {e.task_id: e for e in result.exercises}
    conv2d_msg = " ".join(t.message for t in by["convolution.conv2d"].tests)
    assert by["convolution.conv2d"].score == 0 and "convolution.ipynb, cell" in conv2d_msg and "line 2" in conv2d_msg
    assert by["convolution.max_pool2d"].score == 0
    assert "has no cell for max_pool2d" in " ".join(t.message for t in by["convolution.max_pool2d"].tests)
    for task in ("convolution.conv2d_output_size", "convolution.conv2d_num_params", "convolution.bottleneck_params"):
        assert by[task].score == by[task].max_score, task
    adam = " ".join([by["optimizers.Adam"].error] + [t.message for t in by["optimizers.Adam"].tests])
    assert by["optimizers.Adam"].score == 0 and "optimizers.ipynb is not a valid notebook" in adam
    assert all(by[e].score == by[e].max_score for e in by if e.startswith("bar_plots.") and not e.endswith(".quiz"))


@pytest.mark.parametrize("topic", ["convolution", "mpl_basics"])
def test_solution_notebook_runs_in_a_kernel_with_its_checks_passing(topic, tmp_path):
    nbclient = pytest.importorskip("nbclient")
    t = load_course().topic(topic)
    nb = topic_notebook(t, (solutions_dir() / f"{topic}.py").read_text())
    nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    checks = [c for c in nb.cells if c.metadata.get("dlviz", {}).get("role") == "check"]
    assert len(checks) == len(t.exercises)
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert "✗" not in text and "public checks of" in text and "passed" in text, text
        assert not any(o.get("name") == "stderr" for o in cell.outputs), cell.outputs
