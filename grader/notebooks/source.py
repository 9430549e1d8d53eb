"""A topic module split along its top-level statements: the setup code (docstring, imports,
helpers, constants) and one source segment per exercise definition (with the comments just
above it). Solutions and stubs split the same way, so a notebook can hold either."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class Split:
    """docstring: the module docstring; setup: the code every exercise needs (imports,
    helpers); exercises: name -> source of its def/class (in module order)."""

    docstring: str
    setup: str
    exercises: dict[str, str] = field(default_factory=dict)


def _segments(source: str) -> list[tuple[ast.stmt, str]]:
    """(statement, its source with the comment lines just above it), in order."""
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    out, start = [], 0
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        top = first
        while top > start and lines[top - 1].lstrip().startswith("#"):
            top -= 1  # comments directly above belong to the statement
        end = node.end_lineno
        while end < len(lines) and (not lines[end].strip() or (lines[end][:1] in " \t" and lines[end].lstrip().startswith("#"))):
            end += 1  # indented comments after the last statement (# END SOLUTION) belong to it
        while end > node.end_lineno and not lines[end - 1].strip():
            end -= 1
        out.append((node, "".join(lines[top:end])))
        start = end
    return out


def split(source: str, exercise_names) -> Split:
    names = set(exercise_names)
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or ""
    setup, exercises = [], {}
    for node, text in _segments(source):
        name = getattr(node, "name", None)
        if name in names:
            exercises[name] = text.strip("\n") + "\n"
        elif not (isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant)
                  and node is tree.body[0]):
            setup.append(text.strip("\n"))
    return Split(doc, "\n\n".join(s for s in setup if s) + "\n", exercises)
