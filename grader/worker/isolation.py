"""Keep student code away from what it must not see or change: solutions, hidden tests,
other students' folders, the grader's files, the network. Linux only; every step is
best-effort and `isolate` reports what it achieved.

As root (CI, containers, Gradescope): the submission is copied into the worker's home, then a
new mount and network namespace; the whole file tree read-only but the home; an empty tmpfs
over every hidden folder; then every capability dropped (no remount, no access to the judge's
/proc files). As another user: a user + network namespace when the kernel allows (no network).
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
CAP_VERSION_3 = 0x20080522
COPY_LIMIT = 64 << 20  # bytes of submission copied into the worker's home


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    return _libc().unshare(flags) == 0


def _mount(source, target, fstype, flags, data=None) -> bool:
    enc = lambda x: None if x is None else str(x).encode()  # noqa: E731
    return _libc().mount(enc(source), enc(target), enc(fstype), flags, enc(data)) == 0


def _read_only_but(home: Path) -> bool:
    """Make the file tree read-only in this mount namespace, except `home`."""
    return (_mount("none", "/", None, MS_REC | MS_PRIVATE)
            and _mount("/", "/", None, MS_BIND | MS_REC)
            and _mount("none", "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY)
            and _mount(home, home, None, MS_BIND)
            and _mount("none", home, None, MS_BIND | MS_REMOUNT))


def _hide(paths) -> list[str]:
    return [str(p) for p in paths if Path(p).is_dir() and _mount("tmpfs", p, "tmpfs", 0, "size=64k,mode=0555")]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> bool:
    libc = _libc()
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    ok = libc.capset(ctypes.byref(_CapHeader(CAP_VERSION_3, 0)), (_CapData * 2)()) == 0
    return libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 and ok


def _copy_submission(root: Path, home: Path) -> Path:
    """Copy the submission's files (skipping caches and anything past COPY_LIMIT) into home."""
    dest, total = home / "submission", 0
    for src in sorted(root.rglob("*")):
        rel = src.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts) or not src.is_file():
            continue
        total += src.stat().st_size
        if total > COPY_LIMIT:
            break
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest / rel)
    dest.mkdir(exist_ok=True)
    return dest


def isolate(root: Path, home: Path, hide) -> tuple[Path, list[str]]:
    """Isolate this process; return the submission folder to import from and what was done."""
    if os.geteuid() != 0:
        return root, (["no network"] if _unshare(CLONE_NEWUSER | CLONE_NEWNET) else [])
    submission = _copy_submission(root, home)
    done = []
    if _unshare(CLONE_NEWNS | CLONE_NEWNET):
        done.append("no network")
        if _read_only_but(home):
            done.append("read-only files")
        done += [f"hidden {h}" for h in _hide(hide)]
    if _drop_capabilities():
        done.append("no capabilities")
    return submission, done
