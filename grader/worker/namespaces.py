"""Thin wrappers over the Linux calls the sandbox needs (namespaces, mounts, ids, capabilities),
through ctypes: each returns True/False (or raises OSError where the caller must stop) and
never prints. Linux only."""

from __future__ import annotations

import ctypes
import os
import signal

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 1, 2, 4
AT_RECURSIVE = 0x8000
SYS_MOUNT_SETATTR, SYS_PIVOT_ROOT = 442, {"x86_64": 155, "aarch64": 41}.get(os.uname().machine, -1)
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
CAP_VERSION_3 = 0x20080522

_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.syscall.restype = ctypes.c_long


def _enc(x):
    return None if x is None else os.fsencode(str(x))


def errno_text() -> str:
    return os.strerror(ctypes.get_errno())


def unshare(flags: int) -> bool:
    return _LIBC.unshare(flags) == 0


def mount(source, target, fstype, flags: int = 0, data=None) -> bool:
    return _LIBC.mount(_enc(source), _enc(target), _enc(fstype), ctypes.c_ulong(flags), _enc(data)) == 0


def umount(target, flags: int = MNT_DETACH) -> bool:
    return _LIBC.umount2(_enc(target), flags) == 0


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def read_only_tree(path) -> bool:
    """Make the mount at `path` and every mount below it read-only, nosuid, nodev."""
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, 0, 0)
    res = _LIBC.syscall(ctypes.c_long(SYS_MOUNT_SETATTR), ctypes.c_int(-100), _enc(path), ctypes.c_uint(AT_RECURSIVE),
                        ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)))
    return res == 0 or _remount_each_read_only(str(path))


def _remount_each_read_only(path: str) -> bool:
    """Older kernels (no mount_setattr): remount each submount read-only, keeping its locked flags."""
    try:
        with open("/proc/self/mountinfo") as fh:
            points = [line.split()[4] for line in fh]
    except OSError:
        return False
    ok = True
    for mp in sorted(p for p in points if p == path or p.startswith(path.rstrip("/") + "/")):
        flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV
        try:
            st = os.statvfs(mp)
            flags |= st.f_flag & (MS_NOEXEC | 1024 | 2048)  # noexec, noatime, nodiratime stay
        except OSError:
            pass
        ok = mount(None, mp, None, flags) and ok
    return ok


def pivot_root(new_root: str) -> bool:
    """Make `new_root` (a mount point) the root and let go of the old root."""
    os.chdir(new_root)
    if _LIBC.syscall(ctypes.c_long(SYS_PIVOT_ROOT), b".", b".") != 0:
        return False
    ok = umount(".", MNT_DETACH)
    os.chdir("/")
    return ok


def write_id_maps(inner: int, uid: int, gid: int) -> bool:
    """Map `inner` (uid and gid) in a fresh user namespace onto our own ids outside it."""
    try:
        with open("/proc/self/setgroups", "w") as fh:
            fh.write("deny")
        with open("/proc/self/uid_map", "w") as fh:
            fh.write(f"{inner} {uid} 1")
        with open("/proc/self/gid_map", "w") as fh:
            fh.write(f"{inner} {gid} 1")
    except OSError:
        return False
    return True


def in_initial_user_namespace() -> bool:
    """True when this process sees the machine's real ids (not inside a user namespace)."""
    try:
        with open("/proc/self/uid_map") as fh:
            return fh.read().split() == ["0", "0", "4294967295"]
    except OSError:
        return False


def prctl(option: int, arg: int = 0) -> bool:
    return _LIBC.prctl(option, ctypes.c_ulong(arg), 0, 0, 0) == 0


def reaped():
    """(pid, wait status) of each child that has finished, collected now (no zombies left)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def die_with(parent: int) -> bool:
    """Be killed (SIGKILL) when `parent` exits, so no orphan keeps running a student's loop
    after its judge is gone; False (exit now) if the parent died before this took effect.
    Entering a new user namespace clears the setting: call it again after."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    return os.getppid() == parent


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_bounding() -> None:
    """Empty the bounding and ambient sets (needs CAP_SETPCAP: before giving up root)."""
    for cap in range(64):
        _LIBC.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    _LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)


def drop_capabilities() -> bool:
    """Empty every capability set; True when all of them are empty afterwards."""
    drop_bounding()
    if _LIBC.capset(ctypes.byref(_CapHeader(CAP_VERSION_3, 0)), (_CapData * 2)()) != 0:
        return False
    with open("/proc/self/status") as fh:
        caps = {k: v.strip() for k, v in (line.split(":", 1) for line in fh if line.startswith("Cap"))}
    return all(int(caps.get(k, "1"), 16) == 0 for k in ("CapEff", "CapPrm", "CapBnd", "CapInh"))


def no_new_privs() -> bool:
    return prctl(PR_SET_NO_NEW_PRIVS, 1)
