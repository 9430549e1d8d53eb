"""`grade export nbgrader COURSE_DIR`: an nbgrader course directory with one assignment per
topic: nbgrader_config.py and source/<topic>/<topic>.ipynb (+ the course data), in nbgrader's
cell metadata (schema 3). Solution cells hold the reference between ### BEGIN/END SOLUTION;
each exercise's locked, autograded test cell runs that exercise's hidden suite through this
grader, in its sandbox, on the notebook's own definitions, and ends with the points earned (a
float: nbgrader's partial credit). The hidden call sits between ### BEGIN/END HIDDEN TESTS.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.manifest import load_course
from grader.notebooks.build import SETUP_MARK, _intro, _stable_ids, _task, exercise_mark
from grader.notebooks.source import split
from grader.paths import course_root

CONFIG = '''# nbgrader configuration written by `grade export nbgrader`
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "dlviz"
c.CourseDirectory.root = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
c.ExecutePreprocessor.timeout = 1800
'''
TEST_CELL = '''# Graded by the course's hidden tests, in the grader's sandbox, on this notebook's definitions.
from grader.notebooks.inline import nbgrader_score
### BEGIN HIDDEN TESTS
nbgrader_score("{topic}", "{name}")
### END HIDDEN TESTS'''


def grade_id(topic: str, part: str) -> str:
    """nbgrader ids are [a-zA-Z0-9_-]: topic_part."""
    return f"{topic}_{part}"


def _nbg(cell_id: str, solution=False, grade=False, locked=True, points=None) -> dict:
    meta = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked, "task": False,
            "grade_id": cell_id}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _solution_markers(code: str) -> str:
    """Our `# BEGIN SOLUTION` lines in nbgrader's spelling (`### BEGIN SOLUTION`)."""
    out = []
    for line in code.splitlines():
        stripped = line.strip()
        if stripped in ("# BEGIN SOLUTION", "# END SOLUTION"):
            line = line.replace(stripped, "##" + stripped)
        out.append(line)
    return "\n".join(out)


def source_notebook(topic):
    import nbformat.v4 as nbf

    solution = (course_root() / "solutions" / f"{topic.name}.py").read_text(encoding="utf-8")
    parts = split(solution, [e.name for e in topic.exercises])
    t = topic.name
    cells = [nbf.new_markdown_cell(_intro(topic), metadata=_nbg(grade_id(t, "lesson"))),
             nbf.new_code_cell(f"{SETUP_MARK}\n{parts.setup}".rstrip(), metadata=_nbg(grade_id(t, "setup")))]
    for n, ex in enumerate(topic.exercises, 1):
        code = parts.exercises.get(ex.name)
        if code is None:
            continue
        cells.append(nbf.new_markdown_cell(_task(topic, ex.name, code, n), metadata=_nbg(grade_id(t, f"{ex.name}_task"))))
        cells.append(nbf.new_code_cell(f"{exercise_mark(ex.name)}\n{_solution_markers(code)}".rstrip(),
                                       metadata=_nbg(grade_id(t, ex.name), solution=True, locked=False)))
        cells.append(nbf.new_code_cell(TEST_CELL.format(topic=t, name=ex.name),
                                       metadata=_nbg(grade_id(t, f"test_{ex.name}"), grade=True, points=ex.points)))
    _stable_ids(cells)
    return nbf.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})


def export_nbgrader(course_dir: Path, topic_names=()) -> list[Path]:
    """Write the nbgrader course; returns the source notebooks written."""
    import nbformat

    course_dir = Path(course_dir)
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    data = course_root() / "course" / "data"
    written = []
    for topic in load_course().select(topic_names):
        folder = course_dir / "source" / topic.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{topic.name}.ipynb"
        nbformat.write(source_notebook(topic), path)
        if data.is_dir():
            shutil.copytree(data, folder / "data", dirs_exist_ok=True)
        written.append(path)
    return written
