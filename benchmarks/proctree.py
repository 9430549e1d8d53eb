"""Run a command and measure its wall time and the peak of the summed RSS of its whole
process tree (the judge, the zygote and its workers), sampled from /proc every 20 ms."""

from __future__ import annotations

import os
import subprocess
import threading
import time


def _children() -> dict[int, int]:
    """pid -> parent pid for every process."""
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    out[int(name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return out


def _field_kb(path: str, field: str) -> int:
    """The kB figure of `field` in a /proc file (0 if the process is gone or unreadable)."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _field_kb(f"/proc/{pid}/status", "VmRSS:")


def _pss_kb(pid: int) -> int:
    """Proportional set size: each shared page counted once over the processes sharing it
    (forked workers share most of the zygote's memory)."""
    return _field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


def tree(root: int) -> set[int]:
    parents = _children()
    found, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, p in parents.items() if p == pid and c not in found]
        found.update(kids)
        frontier += kids
    return found


def tree_rss_kb(root: int) -> int:
    return sum(_rss_kb(p) for p in tree(root))


def tree_pss_kb(root: int) -> int:
    return sum(_pss_kb(p) for p in tree(root))


def measure(cmd: list[str], **kwargs) -> tuple[float, float, int]:
    """(wall seconds, peak tree RSS in MB, exit code)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = proc.wait()
    wall = time.monotonic() - start
    thread.join()
    return wall, peak[0] / 1024, code
