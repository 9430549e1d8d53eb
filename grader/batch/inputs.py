"""Find the students of a class: a folder with one sub-folder per student, or a .zip of that.

A single wrapping folder ("export/alice/...", "export/bob/...") is looked through, and so is a
chain of single folders inside a student's folder ("alice/hw3/convolution.py"). Every mistake
in the layout is a GradeError with one line that says what to do; nothing is graded then.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from grader.batch.unzip import extract_zip
from grader.errors import GradeError

JUNK = {"__MACOSX", "__pycache__", ".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"}
STUDENT_BYTES = 64 << 20  # bytes of one student's files that are hashed and graded


@dataclass(frozen=True)
class StudentInput:
    """One student: `id` (the folder name, NFC), `folder` (where the modules are), `files`
    (posix paths relative to folder, sorted), `note` (why there is nothing to grade, if so)."""

    id: str
    folder: Path
    files: tuple[str, ...]
    note: str = ""

    @property
    def has_code(self) -> bool:
        """A module or notebook at the top, or nbgrader's <assignment>/<assignment>.ipynb."""
        return any(is_module_file(f) for f in self.files)


MODULE_SUFFIXES = (".py", ".ipynb")


def is_module_file(rel: str) -> bool:
    parts = rel.split("/")
    if len(parts) == 1:
        return rel.endswith(MODULE_SUFFIXES)
    return len(parts) == 2 and parts[1] == f"{parts[0]}.ipynb"


@dataclass
class ClassInput:
    """The students, sorted by id; `root` is the folder that holds their folders."""

    root: Path
    students: list[StudentInput]


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name not in JUNK and not p.name.startswith("."))


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().strip()


def _unwrap(root: Path) -> Path:
    """Look through wrapping folders: one sub-folder, nothing else, and no modules in it."""
    while True:
        entries = _visible(root)
        if len(entries) != 1 or not entries[0].is_dir() or entries[0].is_symlink():
            return root
        if any(p.suffix in MODULE_SUFFIXES and p.is_file() for p in _visible(entries[0])):
            return root
        root = entries[0]


def _content(folder: Path) -> tuple[Path, list[str]]:
    """The folder that holds the modules, and the names of the folders passed on the way."""
    chain = []
    while True:
        entries = _visible(folder)
        dirs = [p for p in entries if p.is_dir() and not p.is_symlink()]
        if any(p.suffix in MODULE_SUFFIXES and p.is_file() for p in entries) or len(dirs) != 1:
            return folder, chain
        folder = dirs[0]
        chain.append(folder.name)


def _files(folder: Path) -> tuple[str, ...]:
    """Regular files under folder (no symlinks, caches or hidden files), up to STUDENT_BYTES."""
    found, total = [], 0
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part in JUNK or part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        total += path.stat().st_size
        if total > STUDENT_BYTES:
            break
        found.append(rel.as_posix())
    return tuple(found)


def _student(folder: Path) -> tuple[StudentInput, list[str]]:
    """The student in `folder` and the folder names that could stand for another student."""
    content, chain = _content(folder)
    files = _files(content)
    student = StudentInput(unicodedata.normalize("NFC", folder.name), content, files)
    aliases = list(chain)
    if not student.has_code:
        deeper = [f for f in files if f.endswith(MODULE_SUFFIXES)]
        note = f"no .py files in {content.name}/" + (f" (found {deeper[0]} in a sub-folder)" if deeper else "")
        student = StudentInput(student.id, content, files, note)
        aliases += [p.name for p in _visible(content) if p.is_dir()]
    return student, aliases


def _check_duplicates(students: list[StudentInput], aliases: dict[str, list[str]], root: Path) -> None:
    places: dict[str, list[str]] = {}
    for s in students:
        places.setdefault(_key(s.id), []).append(f"{s.id}/")
    for s in students:
        for name in aliases[s.id]:
            if _key(name) in places and _key(name) != _key(s.id):
                places[_key(name)].append(f"{s.id}/.../{name}/")
    dups = [" and ".join(p) for p in places.values() if len(p) > 1]
    if dups:
        raise GradeError(f"duplicate student ids in {root}: {'; '.join(dups)}; "
                         "rename or merge these folders so that each student has exactly one")


def _students(root: Path, skip: set[Path]) -> ClassInput:
    entries = [p for p in _visible(root) if p.resolve() not in skip]
    stray = [p.name for p in entries if p.is_file() and p.suffix == ".py"]
    if stray:
        raise GradeError(f"{root / stray[0]} is a file where a student folder was expected: put each "
                         f"student's files in {root}/<student>/ (or use `grade submit` for one student)")
    folders = [p for p in entries if p.is_dir() and not p.is_symlink()]
    if not folders:
        raise GradeError(f"no student folders in {root}: expected one sub-folder per student")
    found = [_student(f) for f in folders]
    students = [s for s, _ in found]
    _check_duplicates(students, {s.id: a for s, a in found}, root)
    return ClassInput(root, sorted(students, key=lambda s: s.id))


def open_submissions(path: Path, extract_to: Path, out: Path | None = None) -> ClassInput:
    """The class in `path` (a folder or a .zip); zips are extracted safely into `extract_to`."""
    path = Path(path)
    if not path.exists():
        raise GradeError(f"{path} does not exist: give the folder (or .zip) with one sub-folder per student")
    if path.is_file():
        if path.suffix.lower() != ".zip":
            raise GradeError(f"{path} is a file, not a folder or a .zip: give the folder with one "
                             "sub-folder per student")
        root = extract_zip(path, extract_to)
    elif path.is_dir():
        root = path
    else:
        raise GradeError(f"{path} is neither a folder nor a .zip file")
    skip = {Path(out).resolve()} if out is not None else set()
    return _students(_unwrap(root), skip)
