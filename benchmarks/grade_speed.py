"""Print how fast the `grade` CLI starts and grades.

    python benchmarks/grade_speed.py [--runs 3]

Figures: `grade --help` wall time (target < 0.5 s: no torch on the start path), and
`grade submit optimizers convolution --path solutions` wall time and peak memory of the whole
process tree (target < 8 s and < 1.5 GB on a 2-core machine).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proctree import measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def grade_cmd() -> list[str]:
    exe = shutil.which("grade")
    return [exe] if exe else [sys.executable, "-m", "grader.cli"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--topics", nargs="*", default=["optimizers", "convolution"])
    args = parser.parse_args()
    helps = [measure(grade_cmd() + ["--help"])[0] for _ in range(max(5, args.runs))]
    print(f"grade --help: median {statistics.median(helps):.3f} s, min {min(helps):.3f} s (target < 0.5 s)")
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(args.runs):
            wall, peak, code = measure(grade_cmd() + ["submit", *args.topics, "--path", str(ROOT / "solutions"),
                                                      "--out", out, "--json"])
            if code != 0:
                print(f"grade submit failed with exit code {code}")
                return 1
            walls.append(wall)
            peaks.append(peak)
    label = " ".join(args.topics)
    print(f"grade submit {label} --path solutions: median {statistics.median(walls):.2f} s, "
          f"min {min(walls):.2f} s over {args.runs} runs (target < 8 s)")
    print(f"peak memory of the process tree: {max(peaks):.0f} MB (target < 1536 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
