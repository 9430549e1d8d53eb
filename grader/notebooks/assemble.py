"""A notebook turned back into the topic module the grader grades.

From a file (`grade check`/`submit` on <topic>.ipynb): the setup cell and one cell per exercise,
found by cell metadata (ours, or nbgrader's grade_id) or by the `# exercise: NAME` first line;
other cells (experiments, plots) are ignored. A cell that does not parse, or an exercise whose
cell is gone, becomes a definition that fails with a message naming the notebook, the cell and
the line, so it costs only that exercise.

From a kernel (the inline check cells): the definitions of the cells it executed, in order
(imports, functions, classes, constant assignments), so a check sees what the kernel has.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from grader.errors import GradeError

MARK = re.compile(r"^#\s*exercise:\s*([A-Za-z_]\w*)\s*$")
KEEP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)


def _role(cell, topic: str) -> tuple[str, str | None]:
    meta = cell.get("metadata", {})
    ours = meta.get("dlviz", {})
    if ours.get("role") in ("setup", "exercise"):
        return ours["role"], ours.get("exercise")
    grade_id = meta.get("nbgrader", {}).get("grade_id", "")
    if grade_id == f"{topic}_setup":
        return "setup", None
    if grade_id.startswith(f"{topic}_") and meta.get("nbgrader", {}).get("solution"):
        return "exercise", grade_id[len(topic) + 1:]
    lines = "".join(cell.get("source", "")).splitlines()
    found = MARK.match(lines[0]) if lines else None
    return ("exercise", found.group(1)) if found else ("other", None)


def _failing(name: str, message: str) -> str:
    return f"def {name}(*args, **kwargs):\n    raise SyntaxError({message!r})\n"


def read_notebook(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GradeError(f"{Path(path).name} is not a valid notebook (JSON error at line {exc.lineno}: {exc.msg}); "
                         "restore it from a backup or `grade init --notebooks`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GradeError(f"cannot read {path}: {exc}") from None


def module_from_notebook(path: Path, topic) -> str:
    """The source of <topic>.py assembled from the notebook at `path`."""
    nb = read_notebook(path)
    setup, exercises = [], {}
    for number, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        role, name = _role(cell, topic.name)
        source = "".join(cell.get("source", ""))
        if role == "other" or (role == "exercise" and name not in {e.name for e in topic.exercises}):
            continue
        try:
            ast.parse(source)
        except SyntaxError as exc:
            where = f"{Path(path).name}, cell {number}, line {exc.lineno}: {exc.msg}"
            if role == "setup":
                setup.append(f"raise SyntaxError({where!r})")
                continue
            source = _failing(name, f"{where} (fix that cell, save the notebook and submit again)")
        (setup if role == "setup" else exercises.setdefault(name, [])).append(source)
    parts = setup[:]
    for ex in topic.exercises:
        if ex.name in exercises:
            parts += exercises[ex.name]
        else:
            parts.append(_failing(ex.name, f"{Path(path).name} has no cell for {ex.name} (its exercise cell was "
                                           "deleted or lost its `# exercise:` line)"))
    return "\n\n".join(parts) + "\n"


def module_from_cells(cells, exclude_modules=("grader",)) -> str:
    """The definitions of executed kernel cells (IPython's `In`), in order."""
    parts = []
    for source in cells:
        try:
            tree = ast.parse(source or "")
        except SyntaxError:
            continue  # it never ran, so the kernel does not have it either
        lines = source.splitlines(keepends=True)
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(m.split(".")[0] in exclude_modules for m in mods):
                    continue
            if isinstance(node, KEEP):
                first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                parts.append("".join(lines[first - 1:node.end_lineno]))
    return "\n\n".join(parts) + "\n"
