"""A work folder with notebooks, made gradeable: for every topic with <topic>.ipynb and no
<topic>.py, the module is assembled from the notebook into a staging folder beside copies of
the other modules and the quiz answers. A broken notebook costs only its topic."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from grader.errors import GradeError
from grader.notebooks.assemble import module_from_notebook


def notebook_of(path: Path, topic) -> Path | None:
    """<topic>.ipynb in the work folder, or nbgrader's <topic>/<topic>.ipynb."""
    for nb in (path / f"{topic.name}.ipynb", path / topic.name / f"{topic.name}.ipynb"):
        if nb.is_file():
            return nb
    return None


def needs_staging(path: Path, topics) -> bool:
    return any(notebook_of(path, t) and not (path / f"{t.name}.py").is_file() for t in topics)


def stage_into(path: Path, topics, dest: Path) -> None:
    """Write the gradeable form of `path` into `dest` (an empty folder)."""
    for t in topics:
        py, nb = path / f"{t.name}.py", notebook_of(path, t)
        if py.is_file():
            shutil.copyfile(py, dest / py.name)
        elif nb is not None:
            try:
                source = module_from_notebook(nb, t)
            except GradeError as exc:
                source = f"raise SyntaxError({str(exc)!r})\n"
            (dest / py.name).write_text(source, encoding="utf-8")
    answers = path / "answers"
    if answers.is_dir():
        shutil.copytree(answers, dest / "answers", symlinks=False)


@contextlib.contextmanager
def gradeable(path: Path, topics):
    """The folder to grade: `path` itself, or a staging folder when notebooks stand in for modules."""
    if not needs_staging(path, topics):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="grade-notebooks-") as tmp:
        stage_into(path, topics, Path(tmp))
        yield Path(tmp)
