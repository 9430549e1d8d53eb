"""A small seccomp filter for the worker: the system calls student code never needs and a
sandbox escape would (Unix sockets, mounts, new namespaces, ptrace, io_uring, keyrings, bpf,
module loading) fail with EPERM; clone3 fails with ENOSYS so that libc falls back to clone,
whose flags the filter can check. Other architectures' system call tables (the i386 ABI on
x86_64) are refused outright. Installed after no_new_privs, before any student code."""

from __future__ import annotations

import ctypes
import errno
import os
import struct

PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
RET_ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000
LD_ABS_W, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
AF_UNIX = 1
NAMESPACE_FLAGS = 0x10000000 | 0x20000000 | 0x40000000 | 0x00020000 | 0x04000000 | 0x08000000 | 0x02000000
NEW_API = {"open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
           "fspick": 433, "mount_setattr": 442, "io_uring_setup": 425, "io_uring_enter": 426,
           "io_uring_register": 427}
TABLES = {
    "x86_64": (0xC000003E, 41, 56, {
        "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "keyctl": 250, "add_key": 248,
        "request_key": 249, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "kexec_load": 246,
        "init_module": 175, "finit_module": 313, "delete_module": 176, "swapon": 167, "swapoff": 168,
        "reboot": 169, "acct": 163, "open_by_handle_at": 304, **NEW_API}),
    "aarch64": (0xC00000B7, 198, 220, {
        "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "keyctl": 219, "add_key": 217,
        "request_key": 218, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "kexec_load": 104,
        "init_module": 105, "finit_module": 273, "delete_module": 106, "swapon": 224, "swapoff": 225,
        "reboot": 142, "acct": 89, "open_by_handle_at": 265, **NEW_API}),
}
CLONE3 = 435


def _ins(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


def program(machine: str) -> bytes | None:
    """The filter for this machine's architecture as raw BPF, or None when there is none."""
    if machine not in TABLES:
        return None
    arch, socket_nr, clone_nr, denied = TABLES[machine]
    deny, nosys = RET_ERRNO | errno.EPERM, RET_ERRNO | errno.ENOSYS
    code = [_ins(LD_ABS_W, 4), _ins(JEQ, arch, 1, 0), _ins(RET, deny), _ins(LD_ABS_W, 0)]
    if machine == "x86_64":  # the x32 ABI numbers
        code += [_ins(JGE, 0x40000000, 0, 1), _ins(RET, deny)]
    for nr in sorted(set(denied.values())):
        code += [_ins(JEQ, nr, 0, 1), _ins(RET, deny)]
    code += [_ins(JEQ, CLONE3, 0, 1), _ins(RET, nosys)]
    code += [_ins(JEQ, socket_nr, 0, 4), _ins(LD_ABS_W, 16), _ins(JEQ, AF_UNIX, 0, 1), _ins(RET, deny), _ins(RET, RET_ALLOW)]
    code += [_ins(JEQ, clone_nr, 0, 4), _ins(LD_ABS_W, 16), _ins(JSET, NAMESPACE_FLAGS, 0, 1), _ins(RET, deny), _ins(RET, RET_ALLOW)]
    code.append(_ins(RET, RET_ALLOW))
    return b"".join(code)


class _Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> bool:
    """Install the filter on this (single-threaded) process; needs no_new_privs first."""
    code = program(os.uname().machine)
    if code is None:
        return False
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _Prog(len(code) // 8, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
