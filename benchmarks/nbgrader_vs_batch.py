"""Print `grade batch` against `nbgrader autograde` on the same notebook class (issue 16's targets).

    python benchmarks/nbgrader_vs_batch.py [--students 40] [--topic convolution --topic optimizers]

Builds an nbgrader course with `grade export nbgrader`, releases the topics, submits the
solution notebooks for every student (each with a comment so no two are identical), then, on
that same submitted/ folder, times `nbgrader autograde TOPIC` for each topic and
`grade batch submitted/ --jobs 1` and `--jobs 2` (peak PSS of each batch's process tree
sampled). Prints the wall times, the speed-ups against the targets (--jobs 2 at least 10x
nbgrader, at least 1.8x --jobs 1, PSS under 1.5 GB) and whether both batches gave the same
gradebook. Needs the nbgrader extra (pip install -e '.[nbgrader]').
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from proctree import tree_pss_kb  # noqa: E402

GRADE = [sys.executable, "-m", "grader.cli"]


def run(cmd, cwd) -> float:
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-2000:]}")
    return time.monotonic() - start


def run_sampled(cmd, cwd) -> tuple[float, float]:
    """(wall seconds, peak PSS of the process tree in MB)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_pss_kb(proc.pid))
        time.sleep(0.2)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{err[-2000:]}")
    return time.monotonic() - start, peak / 1024


def make_course(tmp: Path, topics: list[str], students: int) -> Path:
    from tests.grader.test_nbgrader import fill  # the nbgrader test's own submitted notebooks

    course = tmp / "course"
    run([*GRADE, "export", "nbgrader", str(course), *[a for t in topics for a in ("--topic", t)]], tmp)
    for topic in topics:
        run([sys.executable, "-m", "nbgrader", "generate_assignment", topic, "--force"], course)
        release = course / "release" / topic / f"{topic}.ipynb"
        source = (ROOT / "solutions" / f"{topic}.py").read_text()
        for i in range(students):
            fill(release, source + f"\n# student {i}\n", topic,
                                   course / "submitted" / f"s{i:02d}" / topic / f"{topic}.ipynb")
    return course


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--topic", action="append", default=[], help="default: convolution and optimizers")
    args = parser.parse_args()
    topics = args.topic or ["convolution", "optimizers"]
    with tempfile.TemporaryDirectory(prefix="nbg-bench-") as tmp:
        course = make_course(Path(tmp), topics, args.students)
        print(f"{args.students} students, {', '.join(topics)}; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        nbgrader = sum(run([sys.executable, "-m", "nbgrader", "autograde", t, "--create"], course) for t in topics)
        print(f"nbgrader autograde: {nbgrader:.1f} s", flush=True)
        batches = {}
        for jobs in (1, 2):
            out = Path(tmp) / f"out{jobs}"
            cmd = [*GRADE, "batch", str(course / "submitted"), "--jobs", str(jobs), "--out", str(out),
                   *[a for t in topics for a in ("--topic", t)]]
            batches[jobs] = run_sampled(cmd, tmp)
            print(f"grade batch --jobs {jobs}: {batches[jobs][0]:.1f} s, peak PSS {batches[jobs][1]:.0f} MB", flush=True)
        same = (Path(tmp) / "out1" / "gradebook.csv").read_text() == (Path(tmp) / "out2" / "gradebook.csv").read_text()
    one, two = batches[1][0], batches[2][0]
    print(f"--jobs 2 vs nbgrader: {nbgrader / two:.1f}x ({'meets' if nbgrader / two >= 10 else 'MISSES'} >= 10x)")
    print(f"--jobs 2 vs --jobs 1: {one / two:.2f}x ({'meets' if one / two >= 1.8 else 'MISSES'} >= 1.8x)")
    pss = max(b[1] for b in batches.values())
    print(f"peak PSS: {pss:.0f} MB ({'meets' if pss < 1536 else 'MISSES'} < 1536 MB)")
    print(f"gradebooks identical at --jobs 1 and 2: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
