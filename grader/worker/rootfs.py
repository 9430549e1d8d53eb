"""The worker's file tree: a fresh, minimal root built in the worker's own mount namespace.

Only what Python and the libraries need is there, read-only (recursively, every submount):
/usr, /etc and the /lib folders, the Python installation and the folders on sys.path, and the
grader package. Everything else (the course's solutions/ and tests/, other students'
folders, the --out folder, the judge's home and temp folders, host sockets) is simply absent.
Fresh size-capped tmpfs for /tmp, /var/tmp, /run, /dev/shm and the home (which holds a copy of
the submission); a fresh /proc with /proc/sys read-only; /sys read-only; a /dev with null,
zero, full, random and urandom only. All of it vanishes with the mount namespace.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from grader.worker import namespaces as ns

HOME = "/home/student"
COPY_LIMIT = 64 << 20  # bytes of submission copied into the home
HOME_MB, TMP_MB, SHM_MB, SMALL_MB = 128, 64, 16, 4
SYSTEM = ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
DEVICES = ("null", "zero", "full", "random", "urandom")
STAGES = ("/run", "/mnt", "/media", "/srv", "/var/tmp", "/tmp")


class SetupError(Exception):
    """A step without which the worker is not isolated."""


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise SetupError(f"{what}: {ns.errno_text()}")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def python_paths(package_parent: Path, hidden=()) -> list[Path]:
    """Folders of the Python installation and of sys.path, minus the course checkout itself
    (from which only the grader package is shown) and any folder holding a hidden one."""
    found = [Path(p) for p in (sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix)]
    found += [Path(p) for p in sys.path if p and os.path.isdir(p)]
    keep: list[Path] = []
    for p in sorted({q.resolve() for q in found}, key=lambda q: len(q.parts)):
        if _inside(package_parent, p) or any(_inside(p, k) for k in keep) or _inside(p, Path("/usr")) \
                or any(_inside(Path(h), p) for h in hidden):
            continue
        keep.append(p)
    return keep


def _stage(needed: list[Path]) -> str:
    for cand in STAGES:
        if os.path.isdir(cand) and not any(_inside(n, Path(cand)) for n in needed):
            return cand
    raise SetupError("no folder to build the sandbox's file tree in")


def _bind_read_only(src: Path, root: str) -> None:
    dest = root + str(src)
    os.makedirs(dest, exist_ok=True)
    _need(ns.mount(src, dest, None, ns.MS_BIND | ns.MS_REC), f"bind {src}")
    _need(ns.read_only_tree(dest), f"read-only {src}")


def _system(root: str) -> None:
    for name in SYSTEM:
        src = Path("/") / name
        if src.is_symlink():
            os.symlink(os.readlink(src), f"{root}/{name}")
        elif src.is_dir():
            _bind_read_only(src, root)


def _tmpfs(path: str, mb: float, mode: str = "1777", extra: str = "") -> None:
    os.makedirs(path, exist_ok=True)
    data = f"size={int(mb * 1024)}k,mode={mode}{extra}"
    _need(ns.mount("tmpfs", path, "tmpfs", ns.MS_NOSUID | ns.MS_NODEV, data), f"tmpfs {path}")


def _dev(root: str) -> None:
    dev = f"{root}/dev"
    _tmpfs(dev, 0.0625, "0755")
    for name in DEVICES:
        Path(f"{dev}/{name}").touch()
        _need(ns.mount(f"/dev/{name}", f"{dev}/{name}", None, ns.MS_BIND), f"/dev/{name}")
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{dev}/{name}")
    _tmpfs(f"{dev}/shm", SHM_MB)


def _proc_and_sys(root: str) -> None:
    os.makedirs(f"{root}/proc")
    flags = ns.MS_NOSUID | ns.MS_NODEV | ns.MS_NOEXEC
    _need(ns.mount("proc", f"{root}/proc", "proc", flags), "a fresh /proc")
    _need(ns.mount(f"{root}/proc/sys", f"{root}/proc/sys", None, ns.MS_BIND | ns.MS_REC), "/proc/sys")
    _need(ns.read_only_tree(f"{root}/proc/sys"), "read-only /proc/sys")
    for name in ("sysrq-trigger", "kcore", "timer_list"):
        if os.path.exists(f"{root}/proc/{name}"):
            ns.mount("/dev/null", f"{root}/proc/{name}", None, ns.MS_BIND)
    os.makedirs(f"{root}/sys")
    if not ns.mount("sysfs", f"{root}/sys", "sysfs", flags | ns.MS_RDONLY):
        _need(ns.mount("/sys", f"{root}/sys", None, ns.MS_BIND | ns.MS_REC), "/sys")
        _need(ns.read_only_tree(f"{root}/sys"), "read-only /sys")


def copy_submission(src: Path, dest: Path, only=None) -> None:
    """Copy the submission's regular files (no symlinks, caches or hidden files; `only`: just
    these names at the top) into dest, up to COPY_LIMIT bytes."""
    total = 0
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if only is not None and (len(rel.parts) != 1 or rel.name not in only):
            continue
        if path.is_symlink() or not path.is_file() or any(p.is_symlink() for p in (src / rel).parents if _inside(p, src)):
            continue
        total += path.stat().st_size
        if total > COPY_LIMIT:
            break
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / rel)


def _chown_tree(path: str, uid: int, gid: int) -> None:
    for dirpath, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def build(submission: Path, only, package_parent: Path, owner: tuple[int, int] | None, hidden=()) -> list[str]:
    """Build the tree, copy the submission, pivot into it; return what holds. `owner`: the ids
    the worker will run as (the home is theirs), or None to keep ours."""
    _need(ns.mount(None, "/", None, ns.MS_REC | ns.MS_PRIVATE), "private mounts")
    pythons = python_paths(package_parent, hidden)
    root = _stage([submission, package_parent, *pythons])
    _need(ns.mount("tmpfs", root, "tmpfs", ns.MS_NOSUID | ns.MS_NODEV, "size=1024k,mode=0755"), "the new root")
    _system(root)
    for path, mb in (("/tmp", TMP_MB), ("/var/tmp", SMALL_MB), ("/run", SMALL_MB)):
        _tmpfs(root + path, mb)  # before the binds: a checkout or venv under /tmp stays visible
    for p in pythons:
        _bind_read_only(p, root)
    _bind_read_only(package_parent / "grader", root)
    _proc_and_sys(root)
    _dev(root)
    ids = f",uid={owner[0]},gid={owner[1]}" if owner else ""
    _tmpfs(root + HOME, HOME_MB + (COPY_LIMIT >> 20), "0700", ids)
    copy_submission(submission, Path(root + HOME) / "submission", only)
    if owner:
        _chown_tree(root + HOME, *owner)
    _need(ns.mount(None, root, None, ns.MS_BIND | ns.MS_REMOUNT | ns.MS_RDONLY | ns.MS_NOSUID | ns.MS_NODEV),
          "read-only root")
    _need(ns.pivot_root(root), "pivot_root")
    return ["minimal read-only file tree (no solutions/, tests/, other students, --out, judge folders)",
            f"private tmpfs /tmp /var/tmp /run /dev/shm and home ({HOME_MB} MB)",
            "minimal /dev", "fresh /proc, /proc/sys and /sys read-only"]
