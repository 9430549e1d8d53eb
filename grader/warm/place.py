"""Where a user's warm judge listens, and the fingerprint that names it (standard library only:
the client imports this before anything else)."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # grader/
# environment variables read when modules are imported or courses loaded: a different value
# needs a different warm judge (everything else is handed over per run)
ENV_PREFIXES = ("GRADE_", "PYTHON", "MPL", "OMP_", "MKL_", "OPENBLAS_", "PYTEST_", "TORCH", "CUDA")
WATCHED = ("course", "solutions", "tests/hidden", "tests/public")  # below the course root


class PlaceError(Exception):
    """No private folder for the socket (the command then runs cold)."""


def runtime_dir() -> Path:
    """A folder only this user can use: $XDG_RUNTIME_DIR/dlviz-grader, else
    /tmp/dlviz-grader-<uid>; refused if it is a symlink, not ours, or open to others."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(base) / "dlviz-grader" if base and os.path.isdir(base) else \
        Path(tempfile.gettempdir()) / f"dlviz-grader-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise PlaceError(f"cannot use {folder}: {exc}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PlaceError(f"{folder} is not a private folder of this user")
    return folder


def _course_root(env) -> Path:
    root = env.get("GRADE_COURSE_ROOT")
    return Path(root).resolve() if root else PACKAGE.parent


def student_bundle(env=None) -> bool:
    """True in a released student bundle (course.toml says so): its `grade submit` goes to the
    course server, with nothing to grade here."""
    import tomllib

    try:
        with open(_course_root(os.environ if env is None else env) / "course" / "course.toml", "rb") as fh:
            return bool(tomllib.load(fh).get("student_bundle", False))
    except (OSError, ValueError):
        return False


def _tree(folder: Path):
    """(relative path, mtime_ns, size) of every file below folder, in a fixed order."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            yield os.path.relpath(path, folder), info.st_mtime_ns, info.st_size


def fingerprint(env=None) -> str:
    """16 hex digits naming the grader, the course and the settings a warm judge was built with."""
    env = os.environ if env is None else env
    digest = hashlib.sha256()
    root = _course_root(env)
    parts = [sys.executable, sys.version, str(os.getuid()), str(PACKAGE), str(root)]
    parts += sorted(f"{k}={v}" for k, v in env.items() if k.startswith(ENV_PREFIXES) and k != "GRADE_WARM_IDLE")
    for part in parts:
        digest.update(part.encode(errors="replace") + b"\0")
    for base, sub in [(PACKAGE, "")] + [(root, w) for w in WATCHED]:
        for entry in _tree(base / sub):
            digest.update(repr((sub, *entry)).encode(errors="replace"))
    return digest.hexdigest()[:16]


MAX_SOCKET_PATH = 100  # AF_UNIX paths are at most 107 bytes; the judge binds a temporary name first


def socket_path(key: str) -> Path:
    path = runtime_dir() / f"judge-{key}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise PlaceError(f"{path} is too long for a Unix socket")
    return path
