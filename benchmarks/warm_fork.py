"""Grading time of topics in forks of a preloaded judge: what a warm `grade submit` spends
grading, without the client, the results files or the table.

    python benchmarks/warm_fork.py --topic optimizers [--topic facets] [--runs 5] [--path DIR]

The process preloads as the warm judge does (grader.warm.preload), then forks a fresh judge
per run (as grader.warm.daemon does), which grades a copy of solutions/ (or --path) with the
hidden suite; prints each run's seconds and the median. Useful for A/B comparisons of the
grading itself: run it on both commits within minutes (this machine's speed drifts by hour).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(path: Path, topics: list[str]) -> float:
    from grader.spawner import spawner

    zygote = spawner().connection()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        spawner().adopt(zygote)
        from grader.harness.runner import grade

        start = time.perf_counter()
        grade(path, topics, split=True)
        os.write(write, f"{time.perf_counter() - start:.3f}".encode())
        os._exit(0)
    zygote.close()
    os.close(write)
    seconds = float(os.read(read, 100) or "nan")
    os.close(read)
    os.waitpid(pid, 0)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topic", action="append", default=[], help="default: the whole course")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["GRADE_WARM"] = "0"
    from grader.warm.preload import preload

    preload()
    with tempfile.TemporaryDirectory(prefix="warm-fork-") as tmp:
        path = args.path or Path(tmp) / "work"
        if args.path is None:
            shutil.copytree(ROOT / "solutions", path)
        times = [one_run(path, args.topic) for _ in range(args.runs)]
    what = ", ".join(args.topic) or "whole course"
    print(f"{what}: {' '.join(f'{t:.2f}' for t in times)} s; median {statistics.median(times):.2f} s "
          f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
