"""Print how long a fresh sandboxed worker takes to start: the zygote's fork, the namespaces,
the file tree, the supervisor and the worker, up to the answer to its first request.

    python benchmarks/worker_start.py [--runs 20]

Target: at most ~100 ms more than an unsandboxed fork (the zygote has torch loaded already).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.client import WorkerProcess  # noqa: E402
from grader.paths import solutions_dir  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    worker = WorkerProcess(solutions_dir())
    worker.request({"op": "ping"}, 120, "the first worker")  # the zygote starts (imports torch) here
    worker.kill()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        worker.request({"op": "ping"}, 60, "a ping")
        times.append(time.perf_counter() - start)
        worker.kill()
    print(f"worker start to first reply: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms over {args.runs} starts")
    print("isolation:", "; ".join(getattr(worker, "isolation", []) or ["(not reported)"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
