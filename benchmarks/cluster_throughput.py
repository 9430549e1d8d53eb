"""Throughput of `grade batch --cluster` on a Dask LocalCluster of this machine: students per
minute, per worker process (one thread each, so per worker core), and what a class of 10,000
would need at that rate.

The class: N copies of solutions/<topic>.py (default 8 students, convolution). The cluster is
started once; a first batch warms the workers (torch import, zygote start) and is not counted;
the second (--force) is timed.

    python benchmarks/cluster_throughput.py [--students 8] [--workers 2] [--topic convolution]

On a machine shared with other jobs the figures are lower bounds: say so when quoting them.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_class(root: Path, students: int, topics: list[str]) -> Path:
    from grader.paths import solutions_dir

    cls = root / "class"
    for i in range(students):
        (cls / f"s{i:03d}").mkdir(parents=True)
        for topic in topics:
            shutil.copy(solutions_dir() / f"{topic}.py", cls / f"s{i:03d}" / f"{topic}.py")
    return cls


def run_batch(cls: Path, out: Path, address: str, topics: list[str]) -> float:
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(cls), "--out", str(out), "--cluster", address, "--force",
           *[a for t in topics for a in ("--topic", t)]]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        sys.exit(f"grade batch failed:\n{proc.stderr[-2000:]}")
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--topic", action="append", dest="topics")
    args = parser.parse_args()
    topics = args.topics or ["convolution"]
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory() as tmp, \
            LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                         silence_logs=40) as cluster:
        cls = make_class(Path(tmp), args.students, topics)
        warm = run_batch(cls, Path(tmp) / "out", cluster.scheduler_address, topics)
        timed = run_batch(cls, Path(tmp) / "out", cluster.scheduler_address, topics)
    rate = 60.0 * args.students / timed
    per_core = rate / args.workers
    print(f"topics {','.join(topics)}: {args.students} students on {args.workers} worker processes "
          f"(1 thread each), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"warm-up batch {warm:.1f} s; timed batch {timed:.1f} s")
    print(f"{rate:.1f} students/min, {per_core:.2f} students/min per worker core")
    for hours in (1, 4):
        cores = math.ceil(10_000 / (per_core * 60 * hours))
        print(f"10,000 students in {hours} h: {cores} worker cores at this rate")


if __name__ == "__main__":
    main()
