"""nbgrader interop with real nbgrader 0.9: `grade export nbgrader`, `generate_assignment`
(release notebooks without solutions or hidden tests), notebooks submitted with the solution
(full marks), a mistake fixture (the points `grade submit` gives it) and the untouched stub
(0) through `autograde`; `nbgrader export` has those totals. And `grade batch` on nbgrader's
submitted/ folder gives the same gradebook as the equivalent .py class."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.harness.runner import grade
from grader.manifest import load_course
from grader.notebooks.source import split
from grader.paths import solutions_dir
from tests.grader.helpers import FIXTURES, with_override

pytest.importorskip("nbgrader", reason="the nbgrader extra: pip install -e '.[nbgrader]'")
nbformat = pytest.importorskip("nbformat")

pytestmark = pytest.mark.long_running  # about a third of the suite's time: started first

TOPICS = [t.name for t in load_course().topics]
FIXTURE_OF = {"convolution": "conv2d_kernel_flipped.py", "bar_plots": "stacked_bar_without_bottom.py"}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                          timeout=3600, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def fill(release_nb: Path, source: str, topic: str, dest: Path) -> None:
    """The release notebook with each solution cell replaced by `source`'s definition."""
    parts = split(source, [e.name for e in load_course().topic(topic).exercises])
    nb = nbformat.read(release_nb, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            name = meta["grade_id"][len(topic) + 1:]
            cell.source = f"# exercise: {name}\n{parts.exercises[name]}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """Every topic exported, generated, submitted by three students, autograded, exported."""
    root = tmp_path_factory.mktemp("nbgrader") / "course"
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "export", "nbgrader", str(root)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    # one nbgrader run for every assignment: the id is a glob over source/ (and submitted/ below);
    # nbgrader processes, records and names each matched assignment on its own
    nbgrader(root, "generate_assignment", "*", "--force")
    for topic in TOPICS:
        release = root / "release" / topic / f"{topic}.ipynb"
        fill(release, (solutions_dir() / f"{topic}.py").read_text(), topic,
             root / "submitted" / "solved" / topic / f"{topic}.ipynb")
        if topic in FIXTURE_OF:
            fill(release, with_override(topic, FIXTURES / topic / FIXTURE_OF[topic]), topic,
                 root / "submitted" / "mistaken" / topic / f"{topic}.ipynb")
            shutil.copytree(release.parent, root / "submitted" / "untouched" / topic)
    nbgrader(root, "autograde", "*", "--create")
    nbgrader(root, "export")
    with open(root / "grades.csv", newline="") as fh:
        grades = {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(fh)}
    return root, grades


def test_release_notebooks_hold_no_solution_and_no_hidden_test(course):
    root, _ = course
    for topic in TOPICS:
        text = (root / "release" / topic / f"{topic}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "nbgrader_score(" not in text
        solution = (solutions_dir() / f"{topic}.py").read_text()
        block = solution.split("# BEGIN SOLUTION", 1)[1].split("# END SOLUTION", 1)[0]
        longest = max((ln.strip() for ln in block.splitlines()), key=len)
        assert json_escape(longest) not in text
        assert (root / "release" / topic / "data" / "students.csv").is_file()


def json_escape(s: str) -> str:
    import json

    return json.dumps(s)[1:-1]


def test_solutions_get_full_marks_for_every_topic(course):
    _, grades = course
    assert {assignment for _, assignment in grades} == set(TOPICS)  # each one autograded by its name
    for topic in TOPICS:
        assert grades[("solved", topic)] == pytest.approx(load_course().topic(topic).points), topic


def test_mistakes_get_the_points_grade_submit_gives_and_stubs_get_0(course, tmp_path):
    _, grades = course
    for topic, fixture in FIXTURE_OF.items():
        folder = tmp_path / topic
        folder.mkdir()
        (folder / f"{topic}.py").write_text(with_override(topic, FIXTURES / topic / fixture))
        expected = grade(folder, [topic]).score
        assert grades[("mistaken", topic)] == pytest.approx(expected, abs=1e-3), topic
        assert expected < load_course().topic(topic).points
        assert grades[("untouched", topic)] == 0


def test_grade_batch_reads_nbgrader_submitted_folder(course, tmp_path):
    root, grades = course
    topics = list(FIXTURE_OF)
    py_class = tmp_path / "py"
    for student in ("solved", "mistaken", "untouched"):
        for topic in topics:
            folder = py_class / student
            folder.mkdir(parents=True, exist_ok=True)
            nb = root / "submitted" / student / topic / f"{topic}.ipynb"
            from grader.notebooks.assemble import module_from_notebook

            (folder / f"{topic}.py").write_text(module_from_notebook(nb, load_course().topic(topic)))
    args = [arg for t in topics for arg in ("--topic", t)]
    nb_books, py_books = {}, {}
    for label, source, books in (("nb", root / "submitted", nb_books), ("py", py_class, py_books)):
        out = tmp_path / f"out-{label}"
        proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", str(source), "--out", str(out), *args,
                               "--jobs", "2"], capture_output=True, text=True, timeout=1800)
        assert proc.returncode == 0, proc.stderr[-3000:]
        with open(out / "gradebook.csv", newline="") as fh:
            books.update({r["student"]: {k: v for k, v in r.items()} for r in csv.DictReader(fh)})
    assert nb_books == py_books
    assert nb_books["solved"]["convolution.conv2d"] == "4"
