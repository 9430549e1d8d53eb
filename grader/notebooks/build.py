"""The student notebook of a topic, built with nbformat from the same single source as the
stubs: the lesson (English and Korean), a setup cell, then per exercise its task, the stub
and a cell that runs that exercise's public checks inline. notebooks/<topic>.ipynb are
committed; `python -m grader.notebooks --check` (and a test) fails when they are stale."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from grader.manifest import load_course
from grader.notebooks.source import split
from grader.paths import course_root

SETUP_MARK = "# setup: run this cell first (imports and helpers the exercises use)"
HOW_TO = {
    "en": "Fill in each exercise cell where it raises `NotImplementedError`, run it, then run the check "
          "cell below it (public sanity checks: passing them does not mean full marks). Run the setup cell "
          "first. When you are done, save the notebook and run `grade submit {topic}` in its folder.",
    "ko": "각 연습 셀에서 `NotImplementedError`를 발생시키는 부분을 채우고 실행한 다음, 그 아래 확인 셀을 "
          "실행하세요(공개 점검이며, 통과했다고 만점은 아닙니다). 설정 셀을 먼저 실행하세요. 다 끝나면 노트북을 "
          "저장하고 그 폴더에서 `grade submit {topic}`을 실행하세요.",
}


def exercise_mark(name: str) -> str:
    return f"# exercise: {name}"


def _lesson(topic) -> tuple[str, str]:
    raw = tomllib.loads((course_root() / "course" / f"{topic.name}.toml").read_text(encoding="utf-8"))
    lesson = raw.get("lesson", {})
    return str(lesson.get("en", "")).strip(), str(lesson.get("ko", "")).strip()


def _intro(topic) -> str:
    en, ko = _lesson(topic)
    parts = [f"# {topic.title} · {topic.title_ko}", topic.summary]
    if en:
        parts += ["## Lesson", en]
    if ko:
        parts += ["## 강의 요약", ko]
    parts += ["## How to work · 진행 방법", HOW_TO["en"].format(topic=topic.name), HOW_TO["ko"].format(topic=topic.name)]
    return "\n\n".join(parts)


def _task(topic, name: str, source: str, number: int) -> str:
    node = ast.parse(source).body[0]
    doc = ast.get_docstring(node) or ""
    points = topic.exercise(name).points
    return f"## {number}. `{name}` ({points:g} point{'s' if points != 1 else ''})\n\n{doc}".rstrip()


def _meta(**dlviz) -> dict:
    return {"dlviz": dlviz}


def _stable_ids(cells) -> None:
    """Cell ids from their place (nbformat makes random ones): the same source, the same file."""
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"


def topic_notebook(topic, source: str):
    """The notebook for `topic` from a module source (the stub, or the solution for tests)."""
    import nbformat.v4 as nbf

    parts = split(source, [e.name for e in topic.exercises])
    cells = [nbf.new_markdown_cell(_intro(topic), metadata=_meta(role="lesson")),
             nbf.new_code_cell(f"{SETUP_MARK}\n{parts.setup}".rstrip(), metadata=_meta(role="setup"))]
    for n, ex in enumerate(topic.exercises, 1):
        code = parts.exercises.get(ex.name)
        if code is None:
            continue
        cells.append(nbf.new_markdown_cell(_task(topic, ex.name, code, n), metadata=_meta(role="task", exercise=ex.name)))
        cells.append(nbf.new_code_cell(f"{exercise_mark(ex.name)}\n{code}".rstrip(),
                                       metadata={**_meta(role="exercise", exercise=ex.name), "tags": [f"exercise:{ex.name}"]}))
        cells.append(nbf.new_code_cell(f'from grader.notebooks.inline import check\ncheck("{topic.name}", "{ex.name}")',
                                       metadata=_meta(role="check", exercise=ex.name)))
    _stable_ids(cells)
    nb = nbf.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}, "dlviz": {"topic": topic.name}})
    return nb


def notebook_text(topic, source: str) -> str:
    import nbformat

    return nbformat.writes(topic_notebook(topic, source)) + "\n"


def expected_notebooks(root: Path | None = None) -> dict[Path, str]:
    """notebooks/<topic>.ipynb -> text, from exercises/<topic>.py, for every topic."""
    root = root or course_root()
    out = {}
    for topic in load_course().topics:
        stub = root / "exercises" / f"{topic.name}.py"
        if stub.is_file():
            out[root / "notebooks" / f"{topic.name}.ipynb"] = notebook_text(topic, stub.read_text(encoding="utf-8"))
    return out


def stale(root: Path | None = None) -> list[Path]:
    return [p for p, text in expected_notebooks(root).items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text]


def write_all(root: Path | None = None) -> list[Path]:
    written = []
    for path, text in expected_notebooks(root).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
