"""Print how fast `grade` starts and grades one student, against issue 16's targets.

    python benchmarks/grade_speed.py [--runs 3] [--topic T]... [--cold]

Figures (wall time of the whole command, median over --runs, on a copy of solutions/):
- `grade --help`: target < 0.3 s.
- `grade check TOPIC` and `grade submit TOPIC` for every topic through the warm judge
  (grader.warm; the benchmark starts its own in a fresh runtime folder and reports that first,
  cold start separately): targets < 2 s and < 3 s.
- `grade submit` of the whole course, warm: target < 15 s.
- --cold: also each topic's submit and the whole course with GRADE_WARM=0 (what a machine
  without the warm judge pays every time).
- Peak memory (PSS: shared pages counted once) of the warm judge's process tree after the runs.

The command is `python -m grader.warm.client`, which is what the `grade` script runs (without
a version manager's shim in front, which adds its own start-up).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proctree import tree_pss_kb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GRADE = [sys.executable, "-m", "grader.warm.client"]
TARGETS = {"help": 0.3, "check": 2.0, "submit": 3.0, "course": 15.0}


def timed(args: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([*GRADE, *args], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"grade {' '.join(args)} failed ({proc.returncode}): {proc.stderr.decode()[-1500:]}")
    return wall


def median_of(args, env, cwd, runs: int) -> float:
    return statistics.median(timed(args, env, cwd) for _ in range(runs))


def verdict(seconds: float, target: float) -> str:
    return f"{'meets' if seconds < target else 'MISSES'} < {target:g} s"


def topics_of_course() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from grader.manifest import load_course

    return [t.name for t in load_course().topics]


def daemon_pids(run_dir: Path) -> list[int]:
    return [int(p) for log in (run_dir / "dlviz-grader").glob("*.log")
            for p in re.findall(r"\(pid (\d+)\)", log.read_text())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--topic", action="append", default=[], help="default: every topic")
    parser.add_argument("--cold", action="store_true", help="also time every command with GRADE_WARM=0")
    args = parser.parse_args()
    topics = args.topic or topics_of_course()
    work = Path(tempfile.mkdtemp(prefix="speed-"))
    run_dir = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    shutil.copytree(ROOT / "solutions", work / "solutions")
    env = {**os.environ, "GRADE_WARM": "1", "XDG_RUNTIME_DIR": str(run_dir)}
    cold_env = {**env, "GRADE_WARM": "0"}
    path = ["--path", str(work / "solutions")]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs", flush=True)
    try:
        helps = [timed(["--help"], env, work) for _ in range(max(5, args.runs))]
        print(f"grade --help                   {statistics.median(helps):6.2f} s  {verdict(statistics.median(helps), TARGETS['help'])}")
        first = timed(["check", topics[0], *path], env, work)
        print(f"first command (starts the warm judge): {first:.2f} s", flush=True)
        worst = {"check": 0.0, "submit": 0.0}
        for topic in topics:
            check = median_of(["check", topic, *path], env, work, args.runs)
            submit = median_of(["submit", topic, *path, "--out", str(work / "out")], env, work, args.runs)
            worst = {"check": max(worst["check"], check), "submit": max(worst["submit"], submit)}
            cold = f"   cold submit {timed(['submit', topic, *path, '--out', str(work / 'out')], cold_env, work):5.2f} s" \
                if args.cold else ""
            print(f"{topic:16s} check {check:5.2f} s   submit {submit:5.2f} s{cold}", flush=True)
        print(f"slowest topic: check {worst['check']:.2f} s ({verdict(worst['check'], TARGETS['check'])}), "
              f"submit {worst['submit']:.2f} s ({verdict(worst['submit'], TARGETS['submit'])})")
        course = median_of(["submit", *path, "--out", str(work / "out")], env, work, args.runs)
        print(f"grade submit (whole course, {len(topics_of_course())} topics): {course:.2f} s  "
              f"{verdict(course, TARGETS['course'])}")
        if args.cold:
            print(f"grade submit (whole course) cold: {timed(['submit', *path, '--out', str(work / 'out')], cold_env, work):.2f} s")
        pss = sum(tree_pss_kb(p) for p in daemon_pids(run_dir)) / 1024
        print(f"warm judge's process tree (judge template + zygote), idle: {pss:.0f} MB PSS")
    finally:
        for pid in daemon_pids(run_dir):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
