"""Throughput of `grade batch`: students per minute with --jobs 1 and --jobs 2, and peak memory.

The class: N students (default 40), each a copy of solutions/ in which one module carries a
fixture of tests/grader/fixtures/<topic>/ (a misconception or a correct alternative, put in
place of the solution's definitions exactly as the fixture tests do: tests.grader.helpers.
with_override), round-robin over the topics so every topic is represented; plain copies of
solutions/ once the fixtures run out.

    python benchmarks/batch_throughput.py [--students 40] [--topic T]... [--jobs 1 --jobs 2]

Peak memory is the largest sum of the resident set sizes of the whole process tree (the batch,
its judges and their workers), sampled from /proc every 0.2 s; /usr/bin/time -v's maximum is
the largest single process; the proportional set size (PSS, smaps_rollup) counts each shared
page once and is the figure the 1.5 GB target is about. Targets: --jobs 2 at least 1.8x as fast as --jobs 1 (given 2 CPUs).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from proctree import tree_pss_kb, tree_rss_kb  # noqa: E402 - the same process-tree memory sampler as grade_speed.py
from tests.grader.helpers import with_override  # noqa: E402 - the fixtures' own convention

FIXTURES = ROOT / "tests" / "grader" / "fixtures"
TARGET = 1.8


def topics_of_course() -> list[str]:
    from grader.manifest import load_course

    return [t.name for t in load_course().topics]


def make_class(dest: Path, n: int, topics: list[str]) -> list[str]:
    """Write the class into dest; returns what each student holds."""
    queues = [[(t, p) for p in sorted((FIXTURES / t).glob("*.py"))] for t in topics]
    mixed = [x for row in zip_longest(*queues) for x in row if x]  # round-robin over the topics
    kinds = []
    for i in range(n):
        folder = dest / f"s{i:02d}"
        folder.mkdir(parents=True)
        for topic in topics:
            shutil.copy(ROOT / "solutions" / f"{topic}.py", folder / f"{topic}.py")
        if i < len(mixed):
            topic, path = mixed[i]
            (folder / f"{topic}.py").write_text(with_override(topic, path), encoding="utf-8")
            kinds.append(f"{topic}/{path.name}")
        else:
            kinds.append("solutions")
    return kinds


def run_batch(cls: Path, out: Path, jobs: int, topics: list[str]) -> dict:
    cmd = [sys.executable, "-m", "grader.cli", "batch", str(cls), "--out", str(out), "--jobs", str(jobs)]
    cmd += [a for t in topics for a in ("--topic", t)]
    timed = Path("/usr/bin/time").exists()
    if timed:
        cmd = ["/usr/bin/time", "-v", *cmd]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = pss = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        pss = max(pss, tree_pss_kb(proc.pid))
        time.sleep(0.2)
    elapsed = time.monotonic() - start
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"grade batch --jobs {jobs} failed ({proc.returncode}):\n{stderr[-3000:]}")
    single = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return {"jobs": jobs, "seconds": elapsed, "peak_tree_mb": peak / 1024, "peak_pss_mb": pss / 1024,
            "max_single_mb": int(single.group(1)) / 1024 if single else float("nan"),
            "summary": stdout.strip().splitlines()[0] if stdout.strip() else ""}


def report_differences(outs: dict[int, Path]) -> bool:
    """Print the gradebook rows that differ between runs (same submission, same score?)."""
    books = {jobs: {line.split(",")[0]: line for line in (out / "gradebook.csv").read_text().splitlines()}
             for jobs, out in outs.items()}
    first = next(iter(books.values()))
    differ = sorted({s for book in books.values() for s, line in book.items() if first.get(s) != line})
    print("gradebooks identical across runs:", not differ)
    for student in differ:
        for jobs, book in books.items():
            print(f"  --jobs {jobs}: {book.get(student)}")
    return not differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--topic", action="append", default=[], help="grade only these topics (default: all)")
    parser.add_argument("--jobs", type=int, action="append", default=[], help="default: 1 and 2")
    parser.add_argument("--keep", action="store_true", help="keep the class and outputs (printed path)")
    args = parser.parse_args()
    topics = args.topic or topics_of_course()
    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    kinds = make_class(work / "class", args.students, topics)
    print(f"{args.students} students ({sum(k != 'solutions' for k in kinds)} with a fixture), topics: "
          f"{', '.join(topics)}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}", flush=True)
    runs = []
    for jobs in args.jobs or [1, 2]:
        r = run_batch(work / "class", work / f"out-jobs{jobs}", jobs, topics)
        r["rate"] = 60.0 * args.students / r["seconds"]
        runs.append(r)
        print(f"--jobs {jobs}: {r['seconds']:7.1f} s  {r['rate']:6.2f} students/min  peak RSS (tree) "
              f"{r['peak_tree_mb']:7.0f} MB  peak PSS (tree) {r['peak_pss_mb']:6.0f} MB (target < 1536)  largest process {r['max_single_mb']:5.0f} MB  [{r['summary']}]", flush=True)
    same = report_differences({r["jobs"]: work / f"out-jobs{r['jobs']}" for r in runs})
    if len(runs) >= 2:
        ratio = runs[1]["rate"] / runs[0]["rate"]
        verdict = "meets" if ratio >= TARGET else "misses"
        print(f"speed-up --jobs {runs[1]['jobs']} / --jobs {runs[0]['jobs']}: {ratio:.2f}x ({verdict} the {TARGET}x target)")
    if args.keep or not same:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
