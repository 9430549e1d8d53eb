"""Where the time of one `grade submit` goes: wall-clock timestamps around each phase.

Runs what `grade submit TOPIC --path PATH --out DIR` runs, in this process, with timers
wrapped around the grader's own functions (no profiler overhead), then prints one line per
phase. Phases nest: "pytest session" holds start-up, collection and the test loop; the test
loop holds the worker round trips.

    python benchmarks/submit_phases.py [--topic convolution] [--path solutions] [--runs 3]

Each run is a fresh process (a `grade submit` pays its start-up every time); figures are the
median over the runs. Several topics are timed as one session in this process (a real
`grade submit` grades them in two forked sessions at once, grader.harness.split, which the
timers could not see). On a machine shared with other jobs, say so when quoting them.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMES: dict[str, list[float]] = defaultdict(list)


def timed(owner, name: str, label: str) -> None:
    """Replace owner.name by a wrapper that adds its wall time to TIMES[label]."""
    inner = getattr(owner, name)

    @functools.wraps(inner)  # keeps pytest's hookimpl markers
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            TIMES[label].append(time.perf_counter() - start)

    setattr(owner, name, wrapper)


def split_roundtrips(cls) -> None:
    """Also count the round trips to the reference's worker (solutions/: reference results
    and plots) on their own."""
    from grader.paths import solutions_dir

    inner, reference = cls._roundtrip, solutions_dir().resolve()

    @functools.wraps(inner)
    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(self, *args, **kwargs)
        finally:
            if Path(self.root).resolve() == reference:
                TIMES["  of which to the reference worker (solutions/)"].append(time.perf_counter() - start)

    cls._roundtrip = wrapper


def one_run(topic: str, path: str) -> dict:
    """In a child process: time the phases of one submit; print them as JSON."""
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import grader.cli  # noqa: F401 - the CLI's own import, as `grade submit` pays it
    TIMES["import grader.cli"].append(time.perf_counter() - t0)
    import _pytest.main
    import _pytest.runner
    import pytest

    from grader import client, spawner
    from grader.commands.submit import run
    from grader.harness import plugin, split
    from grader.reports import gradescope, html

    timed(plugin, "pytest_sessionstart", "session start: zygote launch + torch import in the judge")
    timed(_pytest.main.Session, "perform_collect", "pytest collection")
    timed(_pytest.main, "pytest_runtestloop", "test loop")
    timed(_pytest.runner, "pytest_runtest_protocol", "one test (setup, call, teardown)")
    timed(spawner.Spawner, "_wait_ready", "waiting for the zygote (first worker)")
    timed(client.WorkerProcess, "_wait_ready", "first answer of each worker (fork + import)")
    timed(client.WorkerProcess, "_roundtrip", "worker round trips")
    if Path(path).resolve() != (ROOT / "solutions").resolve():
        split_roundtrips(client.WorkerProcess)
    timed(pytest, "main", "pytest.main (start-up to exit of pytest)")
    timed(plugin, "pytest_unconfigure", "pytest unconfigure: stop the workers")
    from grader.quiz import scores
    timed(scores, "add_quizzes", "grade the quiz answers")
    import _pytest.config
    timed(_pytest.config, "_prepareconfig", "pytest configuration (plugins, options)")
    timed(gradescope, "write_results", "write results.json")
    timed(html, "write_feedback", "write feedback.html")

    # one session in this process, so that the timers see it (`grade submit` of several topics
    # runs two sessions in forks at once: grader.harness.split)
    split.groups = lambda topics, n=split.GROUPS: [[t.name for t in topics]]
    start = time.perf_counter()
    grade_start = time.perf_counter()
    result = run(Path(path), () if topic == "all" else tuple(topic.split(",")), "hidden")
    TIMES["grade() total"].append(time.perf_counter() - grade_start)
    out = Path(tempfile.mkdtemp(prefix="submit-phases-"))
    gradescope.write_results(result, out)
    html.write_feedback(result, out, student=Path(path).resolve().name)
    TIMES["in-process total (after imports)"].append(time.perf_counter() - start)
    tests = sum(len(e.tests) for e in result.exercises)
    return {"times": {k: [sum(v), len(v)] for k, v in TIMES.items()}, "score": result.score,
            "max": result.max_score, "tests": tests, "wall": time.perf_counter() - t0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="convolution", help="a topic, topics joined by commas, or all")
    parser.add_argument("--path", default=str(ROOT / "solutions"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.topic, args.path)))
        return
    runs, walls = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", "--topic", args.topic, "--path", args.path],
                              capture_output=True, text=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(proc.stderr[-2000:])
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    first = runs[0]
    print(f"grade submit {args.topic} --path {args.path}: {first['score']:g}/{first['max']:g}, {first['tests']} tests, "
          f"median of {args.runs} fresh processes")
    print(f"{'process wall (interpreter start to exit)':58s} {statistics.median(walls):7.2f} s")
    print(f"{'  of which in the script (first import to last write)':58s} "
          f"{statistics.median(r['wall'] for r in runs):7.2f} s")
    for label in first["times"]:
        total = statistics.median(r["times"].get(label, [0, 0])[0] for r in runs)
        count = first["times"][label][1]
        each = f"  ({count} x {1000 * total / count:.0f} ms)" if count > 1 else ""
        print(f"{label:58s} {total:7.2f} s{each}")


if __name__ == "__main__":
    main()
