"""A student's answers file, answers/<topic>.toml: `question_id = value`.

Reading checks every key and value against the quiz and reports the first problem as one
GradeError line naming the file, the line and what to fix. Writing is atomic, so an
interrupted quiz session keeps every answer given so far.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

from grader.errors import GradeError
from grader.quiz.model import Question

EXPECTS = {
    "choice": 'one option key in quotes, e.g. "b"',
    "multi": 'a list of option keys, e.g. ["a", "c"]',
    "number": "a number, e.g. 896 or 0.25",
    "text": 'a string in quotes, e.g. "a stack of linear layers is linear"',
}


def answers_path(workdir: Path, topic: str) -> Path:
    return Path(workdir) / "answers" / f"{topic}.toml"


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf'^[ \t]*("{re.escape(key)}"|{re.escape(key)})\s*=', re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _valid(q: Question, value) -> bool:
    if q.type == "choice":
        return isinstance(value, str) and value in q.keys
    if q.type == "multi":
        return isinstance(value, list) and all(isinstance(v, str) and v in q.keys for v in value)
    if q.type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, str)


def _describe(value) -> str:
    kind = {list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number",
            dict: "a table"}.get(type(value), type(value).__name__)
    return f"{kind} ({json.dumps(value, ensure_ascii=False, default=str)[:40]})"


def parse_answers(path: Path, text: str, qs) -> dict:
    """The answers in `text` (the content of `path`), checked against the questions `qs`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+)", str(exc))
        line = where.group(1) if where else "?"
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise GradeError(f"{path}, line {line}: not valid TOML ({reason}); write one `question_id = answer` per line") from None
    by_id = {q.id: q for q in qs}
    for key, value in data.items():
        line = _line_of(text, key)
        q = by_id.get(key)
        if q is None:
            known = ", ".join(by_id) or "none"
            raise GradeError(f"{path}, line {line}: unknown question id {key!r}; the ids are: {known}")
        if not _valid(q, value):
            options = f" (options {', '.join(q.keys)})" if q.keys else ""
            raise GradeError(f"{path}, line {line}: {key} expects {EXPECTS[q.type]}{options}; got {_describe(value)}")
    return data


def read_answers(path: Path, qs) -> dict:
    """The answers in the file at `path`; {} when it does not exist."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GradeError(f"{path}: cannot read the answers file ({exc})") from None
    return parse_answers(path, text, qs)


def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def dump_answers(answers: dict, qs) -> str:
    """TOML text for the answers, one `id = value` line each, in question order."""
    lines = []
    for q in qs:
        if q.id in answers:
            lines.append(f"{q.id} = {_toml_value(answers[q.id])}")
    return "\n".join(lines) + "\n"


def write_answers(path: Path, answers: dict, qs) -> None:
    from grader.files import write_atomic

    write_atomic(Path(path), dump_answers(answers, qs))
