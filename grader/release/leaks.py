"""The leak check of a student bundle: scan every file actually written under OUT for what must
never reach a student. Run on the folder, not on the list of files meant for it, so anything
planted or copied in by mistake is found.

Found as leaks: a line of a solution block (solutions/, between BEGIN and END SOLUTION) that
the stubs and the shipped grader do not also hold; a line of a hidden test or a grader fixture
that nothing shipped holds; a file under solutions/, tests/hidden/ or tests/grader/, or any
test file outside tests/public/; a quiz answer, tolerance or explanation (as a key of a
course manifest, as an explanation's text anywhere, or an answers/ file); a server secret
(tokens.csv, a database, a token of the grading server's form).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.manifest import load_course
from grader.paths import course_root
from grader.quiz.model import ANSWER_KEYS

MIN_LINE = 16  # shorter lines ("return out") are too common to mean anything
TOKEN = re.compile(r"\bgrd_[A-Za-z0-9_-]{20,}")  # the grading server's token form (grader.serve)
SECRET_FILES = ("tokens.csv", "server.sqlite3", "grade.db")
BLOCK = re.compile(r"^[ \t]*# BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*# END SOLUTION", re.S | re.M)


@dataclass(frozen=True)
class Finding:
    """One leak: the file (relative to OUT) and what leaked there."""

    file: str
    what: str


def _norm(line: str) -> str:
    """A line as compared: without indentation or a leading comment mark (a solution line
    pasted as a comment leaks as much as code)."""
    return line.strip().lstrip("#").strip()


def _lines(text: str) -> set[str]:
    return {n for n in map(_norm, text.splitlines()) if len(n) >= MIN_LINE}


def _secret_lines(root: Path, topics, shipped: set[str]) -> dict[str, str]:
    """line -> where it comes from (the first source that has it), for every line of a
    solution block, a hidden test or a fixture that no shipped file holds."""
    sources = []
    for t in topics:
        sol = root / "solutions" / f"{t.name}.py"
        if sol.is_file():
            sources += [(f"a line of solutions/{t.name}.py", b) for b in BLOCK.findall(sol.read_text(encoding="utf-8"))]
        hidden = root / "tests" / "hidden" / f"test_{t.name}.py"
        if hidden.is_file():
            sources.append((f"a line of tests/hidden/test_{t.name}.py", hidden.read_text(encoding="utf-8")))
        fixtures = root / "tests" / "grader" / "fixtures" / t.name
        for fx in sorted(fixtures.glob("*.py")) if fixtures.is_dir() else ():
            sources.append((f"a line of the fixture {t.name}/{fx.name}", fx.read_text(encoding="utf-8")))
    secrets: dict[str, str] = {}
    for where, text in sources:
        for line in _lines(text) - shipped:
            secrets.setdefault(line, where)
    return secrets


def _quiz_texts(topics) -> dict[str, str]:
    """explanation text -> which question's explanation it is."""
    out = {}
    for t in topics:
        for q in t.quiz:
            for key in ("explanation", "explanation_ko"):
                text = str(q.get(key, "")).strip()
                if len(text) >= MIN_LINE:
                    out[text] = f"the quiz explanation of {t.name}.{q.get('id')}"
    return out


def _path_findings(rel: str) -> list[Finding]:
    parts = rel.split("/")
    if parts[0] == "solutions" or rel.startswith(("tests/hidden/", "tests/grader/")):
        return [Finding(rel, "a file of the instructor's course (solutions or hidden tests)")]
    if parts[-1].startswith("test_") and parts[-1].endswith(".py") and not rel.startswith("tests/public/"):
        return [Finding(rel, "a test file outside tests/public/")]
    if parts[0] == "answers" or "/answers/" in rel:
        return [Finding(rel, "a quiz answers file")]
    if parts[-1] in SECRET_FILES or parts[-1].endswith((".sqlite", ".sqlite3", ".db")):
        return [Finding(rel, "a file of the grading server (tokens or database)")]
    return []


def _manifest_findings(rel: str, text: str) -> list[Finding]:
    if not (rel.startswith("course/") and rel.endswith(".toml")):
        return []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return [Finding(rel, "a course manifest that is not valid TOML")]
    return [Finding(rel, f"the quiz answer key {key!r} of question {q.get('id')!r}")
            for q in data.get("quiz", []) for key in ANSWER_KEYS if key in q]


def scan(out: Path, topic_names=()) -> list[Finding]:
    """Every leak under OUT, for a bundle of the chosen topics (default: all)."""
    out = Path(out)
    root = course_root()
    topics = load_course().select(topic_names)
    files = {p.relative_to(out).as_posix(): p for p in sorted(out.rglob("*")) if p.is_file()}
    texts = {rel: p.read_bytes().decode("utf-8", errors="replace") for rel, p in files.items()}
    shipped = set()
    for t in topics:
        for rel in (f"exercises/{t.name}.py", f"tests/public/test_{t.name}.py"):
            if (root / rel).is_file():
                shipped |= _lines((root / rel).read_text(encoding="utf-8"))
    for path in (root / "grader").rglob("*.py"):
        shipped |= _lines(path.read_text(encoding="utf-8"))
    secrets = _secret_lines(root, topics, shipped)
    explanations = _quiz_texts(topics)
    findings: list[Finding] = []
    for rel, text in texts.items():
        findings += _path_findings(rel) + _manifest_findings(rel, text)
        for n, line in enumerate(text.splitlines(), 1):
            stripped = _norm(line)
            if stripped in secrets:
                findings.append(Finding(f"{rel}:{n}", f"{secrets[stripped]}: {stripped[:80]}"))
        for expl, where in explanations.items():
            if expl in text:
                findings.append(Finding(rel, where))
        if TOKEN.search(text):
            findings.append(Finding(rel, "a token of the grading server"))
    return findings
