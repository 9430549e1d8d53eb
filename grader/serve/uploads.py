"""What an upload may hold: relative paths inside the work folder (no .., no absolute path, no
backslash), only .py, .toml (answers/) and .ipynb files, within the size caps. Anything else
is rejected whole (400 or 413) before a byte is stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

MAX_FILE = 1 << 20  # bytes per file
MAX_TOTAL = 8 << 20  # bytes per submission
MAX_FILES = 64
SUFFIXES = (".py", ".toml", ".ipynb")


@dataclass
class Rejected(Exception):
    """An upload refused: the HTTP status (400 or 413) and a one-line reason."""

    status: int
    reason: str


def check_path(name: str) -> str:
    """The normalised relative path of an uploaded file, or Rejected."""
    if not name or "\\" in name or "\0" in name:
        raise Rejected(400, f"bad file name {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("~"):
        raise Rejected(400, f"{name}: absolute paths are not allowed; send paths inside your work folder")
    if any(part in ("..", ".", "") for part in name.split("/")):
        raise Rejected(400, f"{name}: paths may not contain '..' or '.' parts")
    if len(path.parts) > 2 or (len(path.parts) == 2 and path.parts[0] != "answers"):
        raise Rejected(400, f"{name}: only top-level files and answers/<topic>.toml are accepted")
    if path.suffix not in SUFFIXES:
        raise Rejected(400, f"{name}: only .py, .toml and .ipynb files are accepted")
    if path.suffix == ".toml" and path.parts[0] != "answers":
        raise Rejected(400, f"{name}: .toml files belong in answers/")
    return path.as_posix()


def check_files(files: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """The upload as path -> bytes, or Rejected for the first problem."""
    if not files:
        raise Rejected(400, "no files in the upload")
    if len(files) > MAX_FILES:
        raise Rejected(413, f"too many files ({len(files)} > {MAX_FILES})")
    out: dict[str, bytes] = {}
    for name, data in files:
        path = check_path(name)
        if path in out:
            raise Rejected(400, f"{path} is in the upload twice")
        if len(data) > MAX_FILE:
            raise Rejected(413, f"{path} is {len(data)} bytes; the limit is {MAX_FILE} bytes per file")
        out[path] = data
    total = sum(len(d) for d in out.values())
    if total > MAX_TOTAL:
        raise Rejected(413, f"the upload is {total} bytes; the limit is {MAX_TOTAL} bytes")
    return out
