"""Limits the worker puts on itself before it imports any student code."""

from __future__ import annotations

import io
import os
import resource

OUTPUT_CAP = 8 << 10  # characters of captured output kept per call
CPU_BACKSTOP = 1800  # CPU seconds a worker may use in all (SIGXCPU then SIGKILL past it)


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def apply_limits(memory_mb: int, file_mb: int = 64) -> None:
    """Cap address space (what is mapped now plus memory_mb), file size and core dumps."""
    limit = _address_space() + (memory_mb << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb << 20, file_mb << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # a backstop only: the judge's per-call timeouts and budgets end runaway code long before
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_BACKSTOP, CPU_BACKSTOP))
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"


def one_thread_torch() -> None:
    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set
        pass


def preload_matplotlib() -> None:
    """Load matplotlib, Agg and the font list while the config folder is still writable, and
    draw one figure (grader.figure.capture.warm_up) so that every forked worker starts warm."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.font_manager  # noqa: F401 - builds or reads the font cache
    import matplotlib.pyplot  # noqa: F401

    from grader.figure.capture import warm_up

    warm_up()


class CappedOutput(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and counts the rest."""

    def __init__(self):
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s) -> int:
        s = str(s)
        room = OUTPUT_CAP - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(room, len(s))
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n... ({self.dropped} more characters of output not shown)"
        return out
