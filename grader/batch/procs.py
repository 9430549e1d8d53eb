"""The processes below a judge: list them from /proc and kill them all (Linux; no-ops elsewhere)."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def process_parents() -> dict[int, int]:
    """pid -> parent pid of every process (Linux /proc; {} elsewhere)."""
    parents = {}
    for entry in Path("/proc").glob("[0-9]*/stat") if Path("/proc").is_dir() else ():
        try:
            parents[int(entry.parent.name)] = int(entry.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return parents


def descendants(pid: int, parents: dict[int, int] | None = None) -> list[int]:
    """Every process below `pid`: its children first, then theirs."""
    parents = process_parents() if parents is None else parents
    found, frontier = [], {pid}
    while frontier:
        kids = [p for p, parent in parents.items() if parent in frontier and p not in found]
        found += kids
        frontier = set(kids)
    return found


def send_signal(pid: int, sig: int) -> None:
    """os.kill(pid, sig), a no-op when the process is gone or not ours."""
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def kill_tree(pid: int, include_self: bool = True, known=()) -> None:
    """SIGKILL `pid` and everything below it (the judge, its zygote, the workers; each worker
    leads its own session, so its process group goes too), plus `known` pids seen below it
    earlier (orphans of a judge that already died). The tree is listed before anything dies."""
    targets = ([pid] if include_self else []) + descendants(pid) + list(known)
    for target in dict.fromkeys(targets):
        for kill in (os.kill,) if target == pid else (os.killpg, os.kill):
            try:
                kill(target, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
