"""Print `grade batch` against `nbgrader autograde` on the same notebook class.

    python benchmarks/nbgrader_vs_batch.py [--students 10] [--topic convolution] [--jobs 2]

Builds an nbgrader course with `grade export nbgrader`, releases the topic, submits the
solution notebook for every student (each with a comment so no two are identical), then
times `nbgrader autograde TOPIC` and `grade batch submitted/ --topic TOPIC --jobs N` on
that same submitted/ folder, and prints both wall times and the speed-up (needs the nbgrader
extra: pip install -e '.[nbgrader]').
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run(cmd, cwd) -> float:
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-2000:]}")
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--topic", default="convolution")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    from tests.grader.test_nbgrader import fill

    with tempfile.TemporaryDirectory(prefix="nbg-bench-") as tmp:
        course = Path(tmp) / "course"
        run([sys.executable, "-m", "grader.cli", "export", "nbgrader", str(course), "--topic", args.topic], tmp)
        run([sys.executable, "-m", "nbgrader", "generate_assignment", args.topic, "--force"], course)
        release = course / "release" / args.topic / f"{args.topic}.ipynb"
        source = (ROOT / "solutions" / f"{args.topic}.py").read_text()
        for i in range(args.students):
            fill(release, source + f"\n# student {i}\n", args.topic,
                 course / "submitted" / f"s{i:02d}" / args.topic / f"{args.topic}.ipynb")
        nbgrader = run([sys.executable, "-m", "nbgrader", "autograde", args.topic, "--create"], course)
        batch = run([sys.executable, "-m", "grader.cli", "batch", str(course / "submitted"), "--topic", args.topic,
                     "--jobs", str(args.jobs), "--out", str(Path(tmp) / "out")], tmp)
    print(f"{args.students} students, {args.topic}: nbgrader autograde {nbgrader:.1f} s, "
          f"grade batch --jobs {args.jobs} {batch:.1f} s ({nbgrader / batch:.1f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
