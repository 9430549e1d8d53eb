"""Print the grading server's throughput and latency.

    python benchmarks/serve_throughput.py [--students 20] [--per-student 3] [--jobs 1 2] [--topic convolution]

For each --jobs value: a fresh server on 127.0.0.1, every student uploads --per-student
submissions of the reference solution at once (distinct topics lists avoid superseding, so
every submission is graded), and the script prints submissions per minute and the p50/p95
time from upload to result.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.grader.serve_helpers import Server, client, init, tokens, upload  # noqa: E402


def run(jobs: int, students: int, per_student: int, topic: str) -> tuple[float, list[float]]:
    body = (ROOT / "solutions" / f"{topic}.py").read_bytes()
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        names = [f"s{i:03d}" for i in range(students)]
        data = init(Path(tmp), names)
        srv = Server(data, jobs=jobs, rate=10_000).start()
        tok = tokens(data)
        try:
            def one(k: int) -> float:
                c = client(srv, tok[names[k % students]])
                # a comment makes every upload a new submission; one topic list per student
                sent = time.monotonic()
                sid = upload(c, {f"{topic}.py": body + f"\n# {k}\n".encode()}, topic).json()["id"]
                while c.get(f"/api/submissions/{sid}").json()["status"] not in ("done", "failed", "superseded"):
                    time.sleep(0.2)
                return time.monotonic() - sent

            start = time.monotonic()
            with ThreadPoolExecutor(students) as pool:
                # each student's submissions one after another, so none supersedes another
                per = list(pool.map(lambda s: [one(s + students * j) for j in range(per_student)], range(students)))
            wall = time.monotonic() - start
        finally:
            srv.kill()
    return wall, [x for xs in per for x in xs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--per-student", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--topic", default="convolution")
    args = parser.parse_args()
    for jobs in args.jobs:
        wall, latencies = run(jobs, args.students, args.per_student, args.topic)
        q = statistics.quantiles(latencies, n=20)
        print(f"--jobs {jobs}: {len(latencies)} submissions in {wall:.1f} s = {60 * len(latencies) / wall:.1f} per "
              f"minute; upload to result p50 {statistics.median(latencies):.1f} s, p95 {q[18]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
